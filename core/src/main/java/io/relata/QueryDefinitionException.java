package io.relata;

/** A query, include, attribute or alias that cannot be valid; raised before any SQL runs. */
public class QueryDefinitionException extends RelataException {
    private static final long serialVersionUID = 1L;

    /** @param message names the model, the offending name and the valid choices */
    public QueryDefinitionException(String message) {
        super(message);
    }
}
