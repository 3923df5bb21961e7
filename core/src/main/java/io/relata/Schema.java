package io.relata;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * An immutable, validated set of models and associations: the entry point of Relata's metadata.
 * Create one with {@link #builder()}; share it freely between threads and databases.
 */
public final class Schema {
    private final List<Model<?>> models;
    private final Naming naming;
    private final SqlDialect dialect;

    Schema(List<Model<?>> models, Naming naming, SqlDialect dialect) {
        this.models = List.copyOf(models);
        this.naming = naming;
        this.dialect = dialect;
    }

    /** @return the database the schema's SQL is written for ({@link SchemaBuilder#dialect}) */
    public SqlDialect dialect() {
        return dialect;
    }

    /** @return a builder with Sequelize-compatible naming and timestamps on */
    public static SchemaBuilder builder() {
        return new SchemaBuilder();
    }

    /** @return every model, generated junction models included, in definition order */
    public List<Model<?>> models() {
        return models;
    }

    /** @return the naming strategy */
    public Naming naming() {
        return naming;
    }

    /**
     * @param name a model name
     * @return the model
     * @throws QueryDefinitionException when there is none of that name
     */
    public Model<?> model(String name) {
        Objects.requireNonNull(name, "name");
        for (Model<?> m : models) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        throw new QueryDefinitionException("no model named '" + name + "'; models: "
                + models.stream().map(Model::name).collect(Collectors.joining(", ")));
    }

    /**
     * @param type an entity class
     * @param <T> the entity type
     * @return its model
     * @throws QueryDefinitionException when the class is not a model's entity
     */
    @SuppressWarnings("unchecked")
    public <T> Model<T> model(Class<T> type) {
        Objects.requireNonNull(type, "type");
        for (Model<?> m : models) {
            if (m.entityType() == type) {
                return (Model<T>) m;
            }
        }
        throw new QueryDefinitionException("no model for " + type.getName() + "; models: "
                + models.stream().map(Model::name).collect(Collectors.joining(", ")));
    }
}
