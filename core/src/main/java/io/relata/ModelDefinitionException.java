package io.relata;

/** Bad model or association metadata; thrown by {@link SchemaBuilder#build()} and the definition API. */
public class ModelDefinitionException extends RelataException {
    private static final long serialVersionUID = 1L;

    /** @param message names the model(s), the option and what would be valid */
    public ModelDefinitionException(String message) {
        super(message);
    }
}
