package io.relata;

import java.util.Objects;

/**
 * How model names become table names and attribute names become column names. Foreign-key
 * attribute names are always inferred Sequelize-style ({@code captainId}, {@code TeamId}); the
 * naming strategy then maps them to columns like every other attribute.
 */
public interface Naming {

    /**
     * @param modelName the model's name (the entity's simple class name unless set)
     * @return the table name
     */
    String tableName(String modelName);

    /**
     * @param attributeName the attribute's name (a Java property name)
     * @return the column name
     */
    String columnName(String attributeName);

    /**
     * Sequelize's defaults: the table is the plural of the model name ({@code Person → People}),
     * columns are named exactly like their attributes ({@code "createdAt"}, {@code "TeamId"}).
     *
     * @return the default strategy
     */
    static Naming sequelize() {
        return Sequelize.INSTANCE;
    }

    /**
     * snake_case everything (Sequelize's {@code underscored: true}): {@code BlogPost → blog_posts},
     * {@code createdAt → created_at}, {@code TeamId → team_id}.
     *
     * @return the snake_case strategy
     */
    static Naming snakeCase() {
        return SnakeCase.INSTANCE;
    }

    /** Sequelize's default naming. */
    enum Sequelize implements Naming {
        /** the one instance */
        INSTANCE;

        @Override
        public String tableName(String modelName) {
            return Inflector.pluralize(Objects.requireNonNull(modelName, "modelName"));
        }

        @Override
        public String columnName(String attributeName) {
            return Objects.requireNonNull(attributeName, "attributeName");
        }
    }

    /** snake_case naming. */
    enum SnakeCase implements Naming {
        /** the one instance */
        INSTANCE;

        @Override
        public String tableName(String modelName) {
            return Inflector.pluralize(Inflector.underscore(Objects.requireNonNull(modelName, "modelName")));
        }

        @Override
        public String columnName(String attributeName) {
            return Inflector.underscore(Objects.requireNonNull(attributeName, "attributeName"));
        }
    }
}
