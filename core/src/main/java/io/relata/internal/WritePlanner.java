package io.relata.internal;

import io.relata.Attribute;
import io.relata.Model;
import io.relata.QueryDefinitionException;
import io.relata.query.Query;
import io.relata.internal.sql.Condition;
import io.relata.internal.sql.Expr;
import io.relata.internal.sql.Renderer;
import io.relata.internal.sql.Statement;
import io.relata.internal.sql.Statement.SelectItem;
import io.relata.query.Where;
import io.relata.sql.SelectPlan;
import io.relata.sql.SqlStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Plans INSERT (with RETURNING), UPDATE and DELETE statements. */
public final class WritePlanner {
    /** PostgreSQL's limit of bind parameters in one statement. */
    public static final int MAX_BINDS = 32767;

    private WritePlanner() {
    }

    /**
     * @param model the model
     * @param entities entities to insert; a null property means "the column default" for generated
     *     columns, {@code now()} for timestamps, and NULL otherwise
     * @param <T> the entity
     * @return one plan per chunk of rows (as many rows as fit in PostgreSQL's bind limit), each
     *     returning the inserted rows in order
     */
    public static <T> List<SelectPlan<T>> insert(Model<T> model, List<T> entities) {
        return insert(model, entities, Map.of());
    }

    /**
     * @param model the model
     * @param entities entities to insert
     * @param fixed values written into every row whatever the entity says (foreign keys and scopes of
     *     association creates); attribute name to value
     * @param <T> the entity
     * @return one plan per chunk of rows
     */
    public static <T> List<SelectPlan<T>> insert(Model<T> model, List<T> entities, Map<String, ?> fixed) {
        Objects.requireNonNull(entities, "entities");
        fixed.keySet().forEach(model::requireAttribute);
        for (T e : entities) {
            Objects.requireNonNull(e, "entities contains null");
            if (!model.entityType().isInstance(e)) {
                throw new QueryDefinitionException("cannot insert a " + e.getClass().getSimpleName() + " into model "
                        + model.name() + " (expects " + model.entityType().getSimpleName() + ")");
            }
        }
        List<Attribute> attrs = model.attributes();
        List<Attribute> columns = new ArrayList<>();
        for (Attribute a : attrs) {
            if (a.role().stampedOnInsert() || fixed.containsKey(a.name())) {
                columns.add(a);
                continue;
            }
            if (!a.mapped()) {
                continue;
            }
            for (T e : entities) {
                if (model.valueOf(e, a.property()) != null) {
                    columns.add(a);
                    break;
                }
            }
        }
        List<Attribute> returning = returning(model);
        NodeReader<T> reader = new NodeReader<>(model, returning, 0, model.primaryKeys());
        List<SelectItem> returned = new ArrayList<>(returning.size());
        returning.forEach(a -> returned.add(Exprs.item(null, a, null)));
        List<String> names = columns.isEmpty() ? List.of(attrs.get(0).column())
                : columns.stream().map(Attribute::column).toList();
        List<SelectPlan<T>> plans = new ArrayList<>();
        int perRow = Math.max(1, columns.size());
        int chunk = Math.max(1, MAX_BINDS / perRow);
        for (int from = 0; from < entities.size(); from += chunk) {
            List<T> rows = entities.subList(from, Math.min(entities.size(), from + chunk));
            List<List<Expr>> values = new ArrayList<>(rows.size());
            for (T row : rows) {
                List<Expr> rowValues = new ArrayList<>(names.size());
                if (columns.isEmpty()) {
                    rowValues.add(new Expr.Default());
                }
                for (Attribute a : columns) {
                    Object v = fixed.containsKey(a.name()) ? fixed.get(a.name())
                            : a.mapped() ? model.valueOf(row, a.property()) : null;
                    Values.requireStorable(a, v, () -> model.name() + "." + a.name());
                    rowValues.add(Exprs.written(a, v));
                }
                values.add(rowValues);
            }
            Statement insert = new Statement.Insert(model.tableName(), names, values, null, null, returned);
            plans.add(new JoinedPlan<>(null, Renderer.render(insert), reader, List.of()));
        }
        return plans;
    }

    /** @return mapped attributes plus keys: what a RETURNING or a plain read needs */
    static List<Attribute> returning(Model<?> model) {
        List<Attribute> list = new ArrayList<>();
        for (Attribute a : model.attributes()) {
            if (a.mapped() || a.primaryKey()) {
                list.add(a);
            }
        }
        return list;
    }

    /**
     * @param query the rows to change (root attributes only)
     * @param changes attribute name to new value (null sets NULL)
     * @return {@code UPDATE ... SET ... WHERE ...}; {@code updatedAt} is set to {@code now()}
     */
    public static SqlStatement update(Query<?> query, Map<String, ?> changes) {
        Objects.requireNonNull(changes, "changes");
        if (changes.isEmpty()) {
            throw new QueryDefinitionException("update of " + query.model().name() + " has no changes");
        }
        rejectWindowAndIncludes(query, "update");
        Model<?> model = query.model();
        List<Statement.Assignment> set = new ArrayList<>();
        boolean updatedAt = false;
        for (Map.Entry<String, ?> e : changes.entrySet()) {
            Attribute a = model.requireAttribute(e.getKey());
            Expr value;
            if (e.getValue() == null) {
                if (a.notNull()) {
                    throw new QueryDefinitionException("attribute '" + a.name() + "' of " + model.name()
                            + " is NOT NULL and cannot be set to null");
                }
                value = Exprs.value(a, null);
            } else {
                Values.requireStorable(a, e.getValue(), () -> "the change of " + model.name() + "." + a.name());
                value = Exprs.written(a, e.getValue());
            }
            set.add(new Statement.Assignment(a.column(), value));
            updatedAt |= a.role() == Attribute.Role.UPDATED_AT;
        }
        if (!updatedAt) {
            touch(model, set);
        }
        List<Condition> where = new ArrayList<>();
        SoftDeletes.live(model, "t0", query.paranoid(), where);
        Condition filter = where(query);
        if (filter != null) {
            where.add(filter);
        }
        return Renderer.render(new Statement.Update(model.tableName(), "t0", set, Conditions.and(where), List.of()));
    }

    /** Adds {@code "updatedAt" = now()} when the model keeps timestamps. */
    static void touch(Model<?> model, List<Statement.Assignment> set) {
        for (Attribute a : model.attributes()) {
            if (a.role() == Attribute.Role.UPDATED_AT) {
                set.add(new Statement.Assignment(a.column(), Exprs.now()));
            }
        }
    }

    /**
     * @param query the rows to delete (root attributes only)
     * @return {@code DELETE FROM ... WHERE ...}
     */
    public static SqlStatement delete(Query<?> query) {
        return delete(query, false);
    }

    /**
     * Sequelize's {@code destroy}: a paranoid model's rows are soft-deleted, {@code UPDATE ... AS "t0" SET
     * "deletedAt" = now() WHERE "t0"."deletedAt" IS NULL AND ...} (rows deleted already keep their time);
     * with {@code force}, or for a model that is not paranoid, {@code DELETE FROM ... WHERE ...} (every
     * matching row, soft-deleted ones included).
     *
     * @param query the rows to destroy (root attributes only)
     * @param force delete for real even when the model is paranoid
     * @return the statement
     */
    public static SqlStatement delete(Query<?> query, boolean force) {
        rejectWindowAndIncludes(query, "destroy");
        Model<?> model = query.model();
        Attribute deletedAt = model.deletedAt();
        if (deletedAt == null || force) {
            return Renderer.render(new Statement.Delete(model.tableName(), "t0", where(query), List.of()));
        }
        List<Condition> where = new ArrayList<>();
        SoftDeletes.live(model, "t0", true, where);
        Condition filter = where(query);
        if (filter != null) {
            where.add(filter);
        }
        List<Statement.Assignment> set = List.of(new Statement.Assignment(deletedAt.column(), Exprs.now()));
        return Renderer.render(new Statement.Update(model.tableName(), "t0", set, Conditions.and(where), List.of()));
    }

    /**
     * Sequelize's {@code restore}: {@code UPDATE ... AS "t0" SET "deletedAt" = NULL WHERE "t0"."deletedAt" IS
     * NOT NULL AND ...}, so the count is of the rows brought back.
     *
     * @param query the rows to restore (root attributes only)
     * @return the statement
     * @throws QueryDefinitionException when the model is not paranoid, or the query has more than a where
     */
    public static SqlStatement restore(Query<?> query) {
        rejectWindowAndIncludes(query, "restore");
        Model<?> model = query.model();
        Attribute deletedAt = SoftDeletes.deletedAt(model, "restore");
        List<Condition> where = new ArrayList<>();
        where.add(SoftDeletes.deleted(model, "t0"));
        Condition filter = where(query);
        if (filter != null) {
            where.add(filter);
        }
        List<Statement.Assignment> set = List.of(new Statement.Assignment(deletedAt.column(), new Expr.Null()));
        return Renderer.render(new Statement.Update(model.tableName(), "t0", set, Conditions.and(where), List.of()));
    }

    private static @Nullable Condition where(Query<?> query) {
        Where where = query.where();
        return where == null ? null : Conditions.of(where, Conditions.rootOnly(query.model(), "t0"));
    }

    private static void rejectWindowAndIncludes(Query<?> query, String what) {
        if (!query.includes().isEmpty() || query.limit().isPresent() || query.offset().isPresent()
                || !query.orderBy().isEmpty() || query.hasThroughOptions()) {
            throw new QueryDefinitionException(what + " of " + query.model().name()
                    + " takes a where only (no include, order, limit or offset)");
        }
    }
}
