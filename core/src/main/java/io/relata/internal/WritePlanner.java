package io.relata.internal;

import io.relata.Attribute;
import io.relata.Model;
import io.relata.QueryDefinitionException;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.sql.SelectPlan;
import io.relata.sql.SqlStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
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
        EntityMapper<T> mapper = model.mapper();
        List<Attribute> columns = new ArrayList<>();
        for (Attribute a : attrs) {
            if (a.role() != Attribute.Role.PLAIN || fixed.containsKey(a.name())) {
                columns.add(a);
                continue;
            }
            if (!a.mapped()) {
                continue;
            }
            for (T e : entities) {
                if (mapper.get(e, a.property()) != null) {
                    columns.add(a);
                    break;
                }
            }
        }
        List<Attribute> returning = returning(model);
        NodeReader<T> reader = new NodeReader<>(model, returning, 0, model.primaryKeys());
        List<SelectPlan<T>> plans = new ArrayList<>();
        int perRow = Math.max(1, columns.size());
        int chunk = Math.max(1, MAX_BINDS / perRow);
        for (int from = 0; from < entities.size(); from += chunk) {
            List<T> rows = entities.subList(from, Math.min(entities.size(), from + chunk));
            SqlWriter w = new SqlWriter();
            w.sql("INSERT INTO ").id(model.tableName());
            if (columns.isEmpty()) {
                Attribute first = attrs.get(0);
                w.sql(" (").id(first.column()).sql(") VALUES ");
                for (int r = 0; r < rows.size(); r++) {
                    w.sql(r == 0 ? "(DEFAULT)" : ", (DEFAULT)");
                }
            } else {
                w.sql(" (");
                for (int c = 0; c < columns.size(); c++) {
                    w.sql(c == 0 ? "" : ", ").id(columns.get(c).column());
                }
                w.sql(") VALUES ");
                for (int r = 0; r < rows.size(); r++) {
                    w.sql(r == 0 ? "(" : ", (");
                    for (int c = 0; c < columns.size(); c++) {
                        Attribute a = columns.get(c);
                        Object v = fixed.containsKey(a.name()) ? fixed.get(a.name())
                                : a.mapped() ? mapper.get(rows.get(r), a.property()) : null;
                        w.sql(c == 0 ? "" : ", ");
                        value(w, a, v);
                    }
                    w.sql(")");
                }
            }
            w.sql(" RETURNING ");
            for (int i = 0; i < returning.size(); i++) {
                w.sql(i == 0 ? "" : ", ");
                SelectPlanner.selectColumn(w, null, returning.get(i));
            }
            plans.add(new SelectPlan<>(w.build(), reader, List.of()));
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

    /** Writes a value for an INSERT/UPDATE: a bind, DEFAULT, or now() for timestamps. */
    static void value(SqlWriter w, Attribute a, @Nullable Object v) {
        if (v == null && a.role() != Attribute.Role.PLAIN) {
            w.sql("now()");
        } else if (v == null && a.generated()) {
            w.sql("DEFAULT");
        } else {
            w.bind(Values.toWire(a, v), Values.bindType(a));
            if (a.type().kind() == io.relata.DataType.Kind.JSONB) {
                w.sql("::jsonb");
            }
        }
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
        SqlWriter w = new SqlWriter();
        w.sql("UPDATE ").id(model.tableName()).sql(" AS ").id("t0").sql(" SET ");
        boolean first = true;
        boolean updatedAt = false;
        for (Map.Entry<String, ?> e : changes.entrySet()) {
            Attribute a = model.requireAttribute(e.getKey());
            w.sql(first ? "" : ", ").id(a.column()).sql(" = ");
            first = false;
            if (e.getValue() == null) {
                if (a.notNull()) {
                    throw new QueryDefinitionException("attribute '" + a.name() + "' of " + model.name()
                            + " is NOT NULL and cannot be set to null");
                }
                w.bind(null, Values.bindType(a));
            } else {
                value(w, a, e.getValue());
            }
            updatedAt |= a.role() == Attribute.Role.UPDATED_AT;
        }
        if (!updatedAt) {
            for (Attribute a : model.attributes()) {
                if (a.role() == Attribute.Role.UPDATED_AT) {
                    w.sql(", ").id(a.column()).sql(" = now()");
                }
            }
        }
        where(w, query);
        return w.build();
    }

    /**
     * @param query the rows to delete (root attributes only)
     * @return {@code DELETE FROM ... WHERE ...}
     */
    public static SqlStatement delete(Query<?> query) {
        rejectWindowAndIncludes(query, "destroy");
        SqlWriter w = new SqlWriter();
        w.sql("DELETE FROM ").id(query.model().tableName()).sql(" AS ").id("t0");
        where(w, query);
        return w.build();
    }

    private static void where(SqlWriter w, Query<?> query) {
        Where where = query.where();
        if (where != null) {
            w.sql(" WHERE ");
            SelectPlanner.condition(w, where, rootOnly(query.model(), "t0"));
        }
    }

    static Function<String, SelectPlanner.Col> rootOnly(Model<?> model, String alias) {
        return path -> {
            if (path.contains(".")) {
                throw new QueryDefinitionException("'" + path + "': only attributes of " + model.name()
                        + " can be used here; its attributes: "
                        + String.join(", ", model.attributes().stream().map(Attribute::name).toList()));
            }
            return new SelectPlanner.Col(alias, model.requireAttribute(path));
        };
    }

    private static void rejectWindowAndIncludes(Query<?> query, String what) {
        if (!query.includes().isEmpty() || query.limit().isPresent() || query.offset().isPresent()
                || !query.orderBy().isEmpty() || query.hasThroughOptions()) {
            throw new QueryDefinitionException(what + " of " + query.model().name()
                    + " takes a where only (no include, order, limit or offset)");
        }
    }
}
