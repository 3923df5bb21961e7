package io.relata;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
    @Nullable String version;
    final Map<String, AttributeSpec> attributes = new LinkedHashMap<>();
    final List<UniqueKey> uniqueKeys = new ArrayList<>();

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
     * Optimistic locking (Sequelize's {@code version: true}): an {@code INTEGER NOT NULL DEFAULT 0} attribute
     * {@code version} that {@code save} checks (a stale entity fails with {@link OptimisticLockException}) and
     * that every save, update and upsert increments. The entity may map it as a property to carry it.
     *
     * @param enabled whether the model keeps a version
     * @return this
     */
    public ModelBuilder version(boolean enabled) {
        this.version = enabled ? "version" : null;
        return this;
    }

    /**
     * {@link #version(boolean)} under another attribute name.
     *
     * @param attribute the version attribute's name
     * @return this
     */
    public ModelBuilder version(String attribute) {
        this.version = Objects.requireNonNull(attribute, "attribute");
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

    /**
     * A {@code UNIQUE} constraint over several attributes (Sequelize's {@code unique: 'name'} on each of
     * them), e.g. a polymorphic junction's {@code (tag_id, taggable, taggable_id)}. A belongsToMany through
     * this model uses it as the conflict target of {@code add} when it covers the association's keys.
     *
     * @param name the constraint name
     * @param attributes the attribute names, in order (at least one)
     * @return this
     */
    public ModelBuilder unique(String name, String... attributes) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(attributes, "attributes");
        if (attributes.length == 0) {
            throw new ModelDefinitionException("unique key '" + name + "' needs at least one attribute");
        }
        uniqueKeys.add(new UniqueKey(name, List.of(attributes)));
        return this;
    }

    /** @param attribute the attribute that is the primary key (default {@code id}) @return this */
    public ModelBuilder primaryKey(String attribute) {
        attribute(attribute).primaryKey();
        return this;
    }
}
