package io.relata;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Options of one model being defined (mutable; only used inside {@link SchemaBuilder#define(Class,
 * java.util.function.Consumer)}).
 */
public final class ModelBuilder {
    @Nullable String name;
    @Nullable String table;
    @Nullable Boolean timestamps;
    final Map<String, AttributeSpec> attributes = new LinkedHashMap<>();

    ModelBuilder() {
    }

    /** @param name the model name (default: the entity's simple class name); FK inference uses it @return this */
    public ModelBuilder name(String name) {
        this.name = Objects.requireNonNull(name, "name");
        return this;
    }

    /** @param table the explicit table name (default: the naming strategy's plural of the model name) @return this */
    public ModelBuilder table(String table) {
        this.table = Objects.requireNonNull(table, "table");
        return this;
    }

    /** @param enabled whether {@code createdAt}/{@code updatedAt} are kept (default: the schema's, true) @return this */
    public ModelBuilder timestamps(boolean enabled) {
        this.timestamps = enabled;
        return this;
    }

    /**
     * Declares or refines an attribute with an explicit type.
     *
     * @param name the attribute (property) name
     * @param type the column type
     * @return the spec, to chain {@code notNull()}, {@code unique()}, ...
     */
    public AttributeSpec attribute(String name, DataType type) {
        return attribute(name).type(type);
    }

    /**
     * Declares or refines an attribute, keeping the inferred type unless set.
     *
     * @param name the attribute (property) name
     * @return the spec
     */
    public AttributeSpec attribute(String name) {
        Objects.requireNonNull(name, "name");
        return attributes.computeIfAbsent(name, AttributeSpec::new);
    }

    /** @param attribute the attribute that is the primary key (default {@code id}) @return this */
    public ModelBuilder primaryKey(String attribute) {
        attribute(attribute).primaryKey();
        return this;
    }
}
