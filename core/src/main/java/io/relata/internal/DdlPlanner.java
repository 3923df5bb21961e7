package io.relata.internal;

import io.relata.Attribute;
import io.relata.CompositeReference;
import io.relata.DefaultValue;
import io.relata.Model;
import io.relata.Schema;
import io.relata.UniqueKey;
import io.relata.internal.sql.Expr;
import io.relata.internal.sql.Statement;
import io.relata.internal.sql.Statement.ColumnDef;
import io.relata.internal.sql.Statement.References;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Plans the DDL a schema implies as statement trees: {@code CREATE TABLE IF NOT EXISTS} in dependency
 * order (a table after the tables it references), foreign keys inline, and foreign keys that close a
 * cycle added afterwards, idempotently.
 */
public final class DdlPlanner {
    private DdlPlanner() {
    }

    /** @param schema a built schema @return the statements that create every table, to run in order */
    public static List<Statement> createTables(Schema schema) {
        List<Model<?>> ordered = ordered(schema);
        Set<String> created = new HashSet<>();
        List<Statement> statements = new ArrayList<>();
        List<Statement> later = new ArrayList<>();
        for (Model<?> m : ordered) {
            statements.add(createTable(m, created, later));
            created.add(m.tableName());
        }
        statements.addAll(later);
        return statements;
    }

    /** @param schema a built schema @return {@code DROP TABLE IF EXISTS ... CASCADE} for every table, dependents first */
    public static List<Statement> dropTables(Schema schema) {
        List<Model<?>> ordered = ordered(schema);
        List<Statement> statements = new ArrayList<>();
        for (int i = ordered.size() - 1; i >= 0; i--) {
            statements.add(new Statement.DropTable(ordered.get(i).tableName(), true));
        }
        return statements;
    }

    /** @param model a model @return its {@code CREATE TABLE IF NOT EXISTS} with every foreign key inline */
    public static Statement createTable(Model<?> model) {
        return createTable(model, null, new ArrayList<>());
    }

    private static List<Model<?>> ordered(Schema schema) {
        List<Model<?>> ordered = new ArrayList<>();
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
            }
            pending.remove(next);
            ordered.add(next);
            done.add(next.tableName());
        }
        return ordered;
    }

    private static Set<String> dependencies(Model<?> m) {
        Set<String> deps = new HashSet<>();
        for (Attribute a : m.attributes()) {
            Attribute.Reference r = a.reference();
            if (r != null && r.constraint() && !r.table().equals(m.tableName())) {
                deps.add(r.table());
            }
        }
        for (CompositeReference r : m.compositeReferences()) {
            if (!r.table().equals(m.tableName())) {
                deps.add(r.table());
            }
        }
        return deps;
    }

    /**
     * @param created tables created before this one (null: reference everything inline)
     * @param later receives the constraints to add once the referenced tables exist
     */
    private static Statement createTable(Model<?> model, @Nullable Set<String> created, List<Statement> later) {
        List<ColumnDef> columns = new ArrayList<>();
        boolean compositeKey = model.primaryKeys().size() > 1;
        for (Attribute a : model.attributes()) {
            References references = null;
            Attribute.Reference r = a.reference();
            if (r != null && r.constraint()) {
                References refs = new References(r.table(), r.column(), r.onDelete(), r.onUpdate());
                if (created != null && !r.table().equals(model.tableName()) && !created.contains(r.table())) {
                    later.add(new Statement.AddForeignKey(model.tableName(), model.tableName() + "_" + a.column()
                            + "_fkey", a.column(), refs));
                } else {
                    references = refs;
                }
            }
            boolean notNull = a.notNull() && (!a.primaryKey() || compositeKey);
            columns.add(new ColumnDef(a.column(), a.type(), a.autoIncrement(), notNull, a.unique() && !a.primaryKey(),
                    defaultValue(a.defaultValue()), references));
        }
        List<Statement.UniqueConstraint> uniques = new ArrayList<>();
        for (UniqueKey u : model.uniqueKeys()) {
            uniques.add(new Statement.UniqueConstraint(u.name(),
                    u.attributes().stream().map(n -> model.requireAttribute(n).column()).toList()));
        }
        List<Statement.ForeignKey> foreignKeys = new ArrayList<>();
        for (CompositeReference r : model.compositeReferences()) {
            Statement.ForeignKey fk = new Statement.ForeignKey(r.columns(), r.table(), r.referencedColumns(),
                    r.onDelete(), r.onUpdate());
            if (created != null && !r.table().equals(model.tableName()) && !created.contains(r.table())) {
                later.add(new Statement.AddForeignKey(model.tableName(), model.tableName() + "_"
                        + String.join("_", r.columns()) + "_fkey", fk));
            } else {
                foreignKeys.add(fk);
            }
        }
        return new Statement.CreateTable(model.tableName(), columns,
                model.primaryKeys().stream().map(Attribute::column).toList(), uniques, foreignKeys);
    }

    private static @Nullable Expr defaultValue(@Nullable DefaultValue d) {
        if (d instanceof DefaultValue.UuidV4) {
            return Expr.Call.of(Expr.Function.GEN_RANDOM_UUID);
        }
        if (d instanceof DefaultValue.Now) {
            return Expr.Call.of(Expr.Function.NOW);
        }
        if (d instanceof DefaultValue.Literal l) {
            return new Expr.Literal(l.value());
        }
        return null;
    }
}
