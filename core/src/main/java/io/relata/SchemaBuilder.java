package io.relata;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Collects model and association definitions (mutable, not thread-safe) and turns them into an
 * immutable {@link Schema} with {@link #build()}, which validates everything and infers keys,
 * aliases and junction models the way Sequelize does. Definitions after {@code build()} throw.
 */
public final class SchemaBuilder {
    Naming naming = Naming.sequelize();
    boolean timestamps = true;
    SqlDialect dialect = SqlDialect.POSTGRESQL;
    final List<Model<?>> models = new ArrayList<>();
    final List<AssociationBase<?, ?>> associations = new ArrayList<>();
    private boolean built;

    SchemaBuilder() {
    }

    /** @param naming how tables and columns are named (default {@link Naming#sequelize()}) @return this */
    public SchemaBuilder naming(Naming naming) {
        checkOpen("change the naming");
        this.naming = Objects.requireNonNull(naming, "naming");
        return this;
    }

    /**
     * @param dialect the database the SQL is written for (default {@link SqlDialect#POSTGRESQL})
     * @return this
     */
    public SchemaBuilder dialect(SqlDialect dialect) {
        checkOpen("change the dialect");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        return this;
    }

    /** @param enabled the default of {@link ModelBuilder#timestamps(boolean)} (Sequelize's default: true) @return this */
    public SchemaBuilder timestamps(boolean enabled) {
        checkOpen("change the timestamps default");
        this.timestamps = enabled;
        return this;
    }

    /**
     * Defines a model with inferred attributes.
     *
     * @param type the entity: a record or a class with a no-arg constructor
     * @param <T> the entity type
     * @return the model, on which associations are defined
     */
    public <T> Model<T> define(Class<T> type) {
        return define(type, m -> { });
    }

    /**
     * Defines a model.
     *
     * @param type the entity: a record or a class with a no-arg constructor
     * @param definition declares attribute types, the table name, timestamps, ...
     * @param <T> the entity type
     * @return the model, on which associations are defined
     */
    public <T> Model<T> define(Class<T> type, Consumer<ModelBuilder> definition) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(definition, "definition");
        checkOpen("define model " + type.getSimpleName());
        if (type.isInterface() || type.isPrimitive() || type.isArray() || Map.class.isAssignableFrom(type)) {
            throw new ModelDefinitionException("cannot define a model for " + type.getName()
                    + ": an entity is a record or a class with a no-arg constructor");
        }
        ModelBuilder config = new ModelBuilder();
        definition.accept(config);
        Model<T> model = new Model<>(this, type, config, false);
        for (Model<?> other : models) {
            if (other.name.equals(model.name)) {
                throw new ModelDefinitionException("model " + model.name + " is defined twice ("
                        + other.type.getName() + " and " + type.getName() + "); give one another name with m.name(...)");
            }
        }
        models.add(model);
        return model;
    }

    void defined(AssociationBase<?, ?> association) {
        associations.add(association);
    }

    void checkOpen(String what) {
        if (built) {
            throw new ModelDefinitionException("cannot " + what + ": the schema is already built and frozen");
        }
    }

    /**
     * Validates all definitions, infers foreign keys, aliases and junction models, and freezes.
     *
     * @return the immutable schema
     * @throws ModelDefinitionException naming the model(s) and option that are wrong
     */
    public Schema build() {
        checkOpen("build the schema again");
        Schema schema = new SchemaCompiler(this).compile();
        built = true;
        return schema;
    }
}
