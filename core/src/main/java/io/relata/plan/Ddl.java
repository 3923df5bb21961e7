package io.relata.plan;

import io.relata.Model;
import io.relata.Schema;
import io.relata.internal.DdlPlanner;
import io.relata.internal.sql.Dialect;
import io.relata.internal.sql.Renderer;
import io.relata.sql.SqlStatement;
import java.util.List;

/**
 * Renders the DDL a schema implies: {@code CREATE TABLE IF NOT EXISTS} in dependency order (a table
 * after the tables it references), foreign keys inline, and foreign keys that close a cycle added
 * afterwards with {@code ALTER TABLE ... ADD CONSTRAINT} (idempotently, so a second {@code sync()} finds
 * them there).
 */
public final class Ddl {
    private Ddl() {
    }

    /**
     * @param schema a built schema
     * @return the statements that create every table, to run in order
     */
    public static List<SqlStatement> createTables(Schema schema) {
        Dialect dialect = Dialect.of(schema.dialect());
        return DdlPlanner.createTables(schema).stream().map(s -> Renderer.render(s, dialect)).toList();
    }

    /**
     * @param schema a built schema
     * @return {@code DROP TABLE IF EXISTS ... CASCADE} for every table, dependents first
     */
    public static List<SqlStatement> dropTables(Schema schema) {
        Dialect dialect = Dialect.of(schema.dialect());
        return DdlPlanner.dropTables(schema).stream().map(s -> Renderer.render(s, dialect)).toList();
    }

    /**
     * @param model a model
     * @return its {@code CREATE TABLE IF NOT EXISTS} with every foreign key inline
     */
    public static SqlStatement createTable(Model<?> model) {
        return Renderer.render(DdlPlanner.createTable(model));
    }
}
