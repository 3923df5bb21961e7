package io.relata.sql;

import io.relata.Attribute;
import io.relata.DefaultValue;
import io.relata.Model;
import io.relata.Schema;
import io.relata.UniqueKey;
import io.relata.internal.SqlWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Renders the DDL a schema implies: {@code CREATE TABLE IF NOT EXISTS} in dependency order (a table
 * after the tables it references), foreign keys inline, and foreign keys that close a cycle added
 * afterwards with {@code ALTER TABLE ... ADD CONSTRAINT}.
 */
public final class Ddl {
    private Ddl() {
    }

    /**
     * @param schema a built schema
     * @return the statements that create every table, to run in order
     */
    public static List<String> createTables(Schema schema) {
        List<Model<?>> ordered = new ArrayList<>();
        Set<String> deferred = new LinkedHashSet<>();
        order(schema, ordered, deferred);
        Set<String> created = new HashSet<>();
        List<String> statements = new ArrayList<>();
        List<String> alters = new ArrayList<>();
        for (Model<?> m : ordered) {
            statements.add(createTable(m, created, alters));
            created.add(m.tableName());
        }
        statements.addAll(alters);
        return statements;
    }

    /**
     * @param schema a built schema
     * @return {@code DROP TABLE IF EXISTS ... CASCADE} for every table, dependents first
     */
    public static List<String> dropTables(Schema schema) {
        List<Model<?>> ordered = new ArrayList<>();
        order(schema, ordered, new LinkedHashSet<>());
        List<String> statements = new ArrayList<>();
        for (int i = ordered.size() - 1; i >= 0; i--) {
            statements.add("DROP TABLE IF EXISTS " + SqlWriter.quote(ordered.get(i).tableName()) + " CASCADE");
        }
        return statements;
    }

    private static void order(Schema schema, List<Model<?>> ordered, Set<String> deferred) {
        List<Model<?>> pending = new ArrayList<>(schema.models());
        Set<String> done = new HashSet<>();
        while (!pending.isEmpty()) {
            Model<?> next = null;
            for (Model<?> m : pending) {
                if (dependencies(m).stream().allMatch(done::contains)) {
                    next = m;
                    break;
                }
            }
            if (next == null) {
                // a cycle: create the first waiting table now; its missing references are added later
                next = pending.get(0);
                deferred.add(next.tableName());
            }
            pending.remove(next);
            ordered.add(next);
            done.add(next.tableName());
        }
    }

    private static Set<String> dependencies(Model<?> m) {
        Set<String> deps = new HashSet<>();
        for (Attribute a : m.attributes()) {
            Attribute.Reference r = a.reference();
            if (r != null && r.constraint() && !r.table().equals(m.tableName())) {
                deps.add(r.table());
            }
        }
        return deps;
    }

    /**
     * @param model a model
     * @return its {@code CREATE TABLE IF NOT EXISTS} with every foreign key inline
     */
    public static String createTable(Model<?> model) {
        return createTable(model, null, new ArrayList<>());
    }

    private static String createTable(Model<?> model, @org.jspecify.annotations.Nullable Set<String> created,
            List<String> alters) {
        SqlWriter w = new SqlWriter();
        w.sql("CREATE TABLE IF NOT EXISTS ").id(model.tableName()).sql(" (");
        boolean first = true;
        for (Attribute a : model.attributes()) {
            if (!first) {
                w.sql(", ");
            }
            first = false;
            w.id(a.column()).sql(" ").sql(columnType(a));
            if (a.notNull() && !a.primaryKey()) {
                w.sql(" NOT NULL");
            } else if (a.notNull() && model.primaryKeys().size() > 1) {
                w.sql(" NOT NULL");
            }
            if (a.unique() && !a.primaryKey()) {
                w.sql(" UNIQUE");
            }
            DefaultValue d = a.defaultValue();
            if (d != null) {
                w.sql(" DEFAULT ");
                if (d instanceof DefaultValue.UuidV4) {
                    w.sql("gen_random_uuid()");
                } else if (d instanceof DefaultValue.Now) {
                    w.sql("now()");
                } else if (d instanceof DefaultValue.Literal l) {
                    w.literal(l.value());
                }
            }
            Attribute.Reference r = a.reference();
            if (r != null && r.constraint()) {
                boolean later = created != null && !r.table().equals(model.tableName()) && !created.contains(r.table());
                if (later) {
                    // idempotent like CREATE TABLE IF NOT EXISTS: a second sync() finds the constraint there
                    SqlWriter alter = new SqlWriter();
                    alter.sql("DO $relata$ BEGIN ALTER TABLE ").id(model.tableName()).sql(" ADD CONSTRAINT ")
                            .id(model.tableName() + "_" + a.column() + "_fkey").sql(" FOREIGN KEY (").id(a.column())
                            .sql(")");
                    references(alter, r);
                    alter.sql("; EXCEPTION WHEN duplicate_object THEN NULL; END $relata$");
                    alters.add(alter.toString());
                } else {
                    references(w, r);
                }
            }
        }
        w.sql(", PRIMARY KEY (");
        first = true;
        for (Attribute a : model.primaryKeys()) {
            if (!first) {
                w.sql(", ");
            }
            first = false;
            w.id(a.column());
        }
        w.sql(")");
        for (UniqueKey u : model.uniqueKeys()) {
            w.sql(", CONSTRAINT ").id(u.name()).sql(" UNIQUE (");
            first = true;
            for (String name : u.attributes()) {
                if (!first) {
                    w.sql(", ");
                }
                first = false;
                w.id(model.requireAttribute(name).column());
            }
            w.sql(")");
        }
        w.sql(")");
        return w.toString();
    }

    private static void references(SqlWriter w, Attribute.Reference r) {
        w.sql(" REFERENCES ").id(r.table()).sql(" (").id(r.column()).sql(") ON DELETE ").sql(r.onDelete().sql())
                .sql(" ON UPDATE ").sql(r.onUpdate().sql());
    }

    private static String columnType(Attribute a) {
        if (a.autoIncrement()) {
            return switch (a.type().sql()) {
                case "BIGINT" -> "BIGSERIAL";
                case "SMALLINT" -> "SMALLSERIAL";
                default -> "SERIAL";
            };
        }
        return a.type().sql();
    }
}
