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
import io.relata.UniqueKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
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
        return insert(model, entities, fixed, null, null);
    }

    /**
     * @param model the model
     * @param entities entities to insert
     * @param perRow for each entity, values written into its row whatever the entity says (its foreign keys
     *     and scope in a nested create); attribute name to value
     * @param <T> the entity
     * @return one plan per chunk of rows
     */
    static <T> List<SelectPlan<T>> insertRows(Model<T> model, List<T> entities, List<Map<String, Object>> perRow) {
        if (perRow.size() != entities.size()) {
            throw new IllegalArgumentException("one map of values per entity");
        }
        return insert(model, entities, Map.of(), perRow, null);
    }

    /**
     * {@code INSERT ... ON CONFLICT DO NOTHING RETURNING ...} of one entity (findOrCreate): a row that would
     * violate any unique constraint is not inserted and nothing is returned.
     *
     * @param model the model
     * @param entity the entity
     * @param <T> the entity
     * @return the plan; no row when the entity conflicted with a stored one
     */
    public static <T> SelectPlan<T> insertIfAbsent(Model<T> model, T entity) {
        return insert(model, List.of(entity), Map.of(), null, new Statement.OnConflict(List.of(), List.of())).get(0);
    }

    private static <T> List<SelectPlan<T>> insert(Model<T> model, List<T> entities, Map<String, ?> fixed,
            @Nullable List<Map<String, Object>> perRow, Statement.@Nullable OnConflict onConflict) {
        Objects.requireNonNull(entities, "entities");
        fixed.keySet().forEach(model::requireAttribute);
        Set<String> rowFixed = new HashSet<>();
        if (perRow != null) {
            perRow.forEach(m -> m.keySet().forEach(n -> rowFixed.add(model.requireAttribute(n).name())));
        }
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
            if (a.role().stampedOnInsert() || a.role() == Attribute.Role.VERSION || fixed.containsKey(a.name())
                    || rowFixed.contains(a.name())) {
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
        int width = Math.max(1, columns.size());
        int chunk = Math.max(1, MAX_BINDS / width);
        for (int from = 0; from < entities.size(); from += chunk) {
            List<T> rows = entities.subList(from, Math.min(entities.size(), from + chunk));
            List<List<Expr>> values = new ArrayList<>(rows.size());
            for (int r = 0; r < rows.size(); r++) {
                T row = rows.get(r);
                Map<String, Object> own = perRow == null ? Map.of() : perRow.get(from + r);
                List<Expr> rowValues = new ArrayList<>(names.size());
                if (columns.isEmpty()) {
                    rowValues.add(new Expr.Default());
                }
                for (Attribute a : columns) {
                    Object v = own.containsKey(a.name()) ? own.get(a.name())
                            : fixed.containsKey(a.name()) ? fixed.get(a.name())
                            : a.mapped() ? model.valueOf(row, a.property()) : null;
                    Values.requireStorable(a, v, () -> model.name() + "." + a.name());
                    rowValues.add(Exprs.written(a, v));
                }
                values.add(rowValues);
            }
            Statement insert = new Statement.Insert(model.tableName(), names, values, null, onConflict, returned);
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
        bumpVersion(model, set);
        return Renderer.render(new Statement.Update(model.tableName(), "t0", set, Conditions.and(where), List.of()));
    }

    /** Adds {@code "version" = "version" + 1} when the model keeps a version. */
    static void bumpVersion(Model<?> model, List<Statement.Assignment> set) {
        Attribute v = version(model);
        if (v != null) {
            set.add(new Statement.Assignment(v.column(), new Expr.Arithmetic(new Expr.Column(null, v.column()),
                    Expr.ArithmeticOp.PLUS, new Expr.Literal(1))));
        }
    }

    /** @return the model's optimistic-locking version attribute, or null */
    static @Nullable Attribute version(Model<?> model) {
        for (Attribute a : model.attributes()) {
            if (a.role() == Attribute.Role.VERSION) {
                return a;
            }
        }
        return null;
    }

    /**
     * Saves an entity by its primary key (Sequelize's {@code instance.save()}): {@code UPDATE "T" SET ...,
     * "updatedAt" = now(), "version" = "version" + 1 WHERE "id" = $n [AND "version" = $m] RETURNING ...}.
     *
     * @param model the model
     * @param entity the entity (its primary key set)
     * @param attributes the attributes written (a null value writes NULL), or null for every mapped attribute
     *     whose value is not null (keys, timestamps and the version excepted)
     * @param <T> the entity
     * @return the plan: the stored row, or none when no row has that key (or, versioned, that version)
     * @throws QueryDefinitionException for an entity without its key, an unknown attribute, or a key, timestamp
     *     or version attribute among {@code attributes}
     */
    public static <T> SelectPlan<T> save(Model<T> model, T entity, @Nullable Collection<String> attributes) {
        Objects.requireNonNull(entity, "entity");
        List<Statement.Assignment> set = new ArrayList<>();
        if (attributes == null) {
            for (Attribute a : model.attributes()) {
                if (a.mapped() && !a.primaryKey() && a.role() == Attribute.Role.PLAIN) {
                    Object v = model.valueOf(entity, a.property());
                    if (v != null) {
                        set.add(new Statement.Assignment(a.column(), Exprs.written(a, v)));
                    }
                }
            }
        } else {
            for (String name : attributes) {
                Attribute a = model.requireAttribute(name);
                if (a.primaryKey() || a.role() != Attribute.Role.PLAIN) {
                    throw new QueryDefinitionException("save of " + model.name() + " cannot write '" + name
                            + "': keys, timestamps and the version are maintained by Relata");
                }
                if (!a.mapped()) {
                    throw new QueryDefinitionException("save of " + model.name() + ": '" + name
                            + "' is not a property of " + model.entityType().getSimpleName());
                }
                Object v = model.valueOf(entity, a.property());
                if (v == null && a.notNull()) {
                    throw new QueryDefinitionException("attribute '" + name + "' of " + model.name()
                            + " is NOT NULL and cannot be saved as null");
                }
                set.add(new Statement.Assignment(a.column(), v == null ? Exprs.value(a, null) : Exprs.written(a, v)));
            }
        }
        touch(model, set);
        bumpVersion(model, set);
        List<Condition> where = keyConditions(model, entity, "save");
        Attribute version = version(model);
        Object current = version != null && version.mapped() ? model.valueOf(entity, version.property()) : null;
        if (version != null && current != null) {
            where.add(new Condition.Compare(new Expr.Column(null, version.column()), Condition.Op.EQ,
                    Exprs.value(version, current)));
        }
        if (set.isEmpty()) {
            // nothing to write: a no-op assignment still returns the stored row
            Attribute pk = model.primaryKeys().get(0);
            set.add(new Statement.Assignment(pk.column(), new Expr.Column(null, pk.column())));
        }
        return returningPlan(model, new Statement.Update(model.tableName(), null, set, Condition.And.all(where),
                returnedItems(model)));
    }

    /**
     * @param model the model
     * @param entity an entity
     * @return the optimistic-lock version it carries, or null when the model has none or the entity does not map it
     */
    public static @Nullable Object versionOf(Model<?> model, Object entity) {
        Attribute version = version(model);
        return version != null && version.mapped() ? model.valueOf(entity, version.property()) : null;
    }

    /**
     * Adds to attributes of one entity: {@code UPDATE "T" SET "x" = "x" + $1, ... WHERE "id" = $n RETURNING ...}.
     *
     * @param model the model
     * @param entity the entity (its key set)
     * @param by attribute name to the amount added (numbers)
     * @param subtract {@code -} instead of {@code +} (decrement)
     * @param <T> the entity
     * @return the plan: the stored row after the change, or none when no row has that key
     */
    public static <T> SelectPlan<T> increment(Model<T> model, T entity, Map<String, ? extends Number> by,
            boolean subtract) {
        List<Statement.Assignment> set = increments(model, by, subtract);
        return returningPlan(model, new Statement.Update(model.tableName(), null, set,
                Condition.And.all(keyConditions(model, entity, subtract ? "decrement" : "increment")),
                returnedItems(model)));
    }

    /**
     * Adds to attributes of the rows a query selects: {@code UPDATE "T" AS "t0" SET "x" = "x" + $1, ... WHERE ...}.
     *
     * @param query which rows (a where on root attributes)
     * @param by attribute name to the amount added
     * @param subtract {@code -} instead of {@code +}
     * @return the statement; its count is the number of rows changed
     */
    public static SqlStatement increment(Query<?> query, Map<String, ? extends Number> by, boolean subtract) {
        rejectWindowAndIncludes(query, subtract ? "decrement" : "increment");
        List<Statement.Assignment> set = increments(query.model(), by, subtract);
        return Renderer.render(new Statement.Update(query.model().tableName(), "t0", set, where(query), List.of()));
    }

    private static List<Statement.Assignment> increments(Model<?> model, Map<String, ? extends Number> by,
            boolean subtract) {
        Objects.requireNonNull(by, "by");
        if (by.isEmpty()) {
            throw new QueryDefinitionException((subtract ? "decrement" : "increment") + " of " + model.name()
                    + " names no attribute");
        }
        List<Statement.Assignment> set = new ArrayList<>();
        for (Map.Entry<String, ? extends Number> e : by.entrySet()) {
            Attribute a = model.requireAttribute(e.getKey());
            Class<?> t = a.javaType();
            if (!Number.class.isAssignableFrom(Values.box(t)) || a.primaryKey() || a.role() != Attribute.Role.PLAIN) {
                throw new QueryDefinitionException((subtract ? "decrement" : "increment") + " of " + model.name()
                        + ": '" + e.getKey() + "' is not a numeric attribute Relata lets you change");
            }
            Number amount = Objects.requireNonNull(e.getValue(), "amount of " + e.getKey());
            set.add(new Statement.Assignment(a.column(), new Expr.Arithmetic(new Expr.Column(null, a.column()),
                    subtract ? Expr.ArithmeticOp.MINUS : Expr.ArithmeticOp.PLUS, Exprs.value(a, amount))));
        }
        touch(model, set);
        bumpVersion(model, set);
        return set;
    }

    /**
     * Deletes one entity by its primary key (and version, when versioned and carried):
     * {@code DELETE FROM "T" WHERE "id" = $1 [AND "version" = $2]}.
     *
     * @param model the model
     * @param entity the entity (its key set)
     * @return the statement; its count is 1 when the row was deleted
     */
    public static SqlStatement destroy(Model<?> model, Object entity) {
        List<Condition> where = keyConditions(model, entity, "destroy");
        Attribute version = version(model);
        Object current = versionOf(model, entity);
        if (version != null && current != null) {
            where.add(new Condition.Compare(new Expr.Column(null, version.column()), Condition.Op.EQ,
                    Exprs.value(version, current)));
        }
        Attribute deletedAt = model.deletedAt();
        if (deletedAt != null) {
            // a paranoid model: a soft delete, as destroy(query) does it
            SoftDeletes.live(model, null, true, where);
            List<Statement.Assignment> set = List.of(new Statement.Assignment(deletedAt.column(), Exprs.now()));
            return Renderer.render(new Statement.Update(model.tableName(), null, set, Condition.And.all(where), List.of()));
        }
        return Renderer.render(new Statement.Delete(model.tableName(), null, Condition.And.all(where), List.of()));
    }

    /**
     * Inserts an entity or updates the stored row it conflicts with (Sequelize's {@code upsert}):
     * {@code INSERT INTO "T" (...) VALUES (...) ON CONFLICT (target) DO UPDATE SET "a" = EXCLUDED."a", ...,
     * "version" = "T"."version" + 1 RETURNING ...}. {@code createdAt} keeps its stored value on update.
     *
     * @param model the model
     * @param entity the entity
     * @param conflict the attributes of the unique constraint or primary key that decides the conflict (empty:
     *     the primary key)
     * @param <T> the entity
     * @return the plan: one row, the entity as stored
     * @throws QueryDefinitionException for an unknown attribute, or a target that is no unique key of the model
     */
    public static <T> SelectPlan<T> upsert(Model<T> model, T entity, List<String> conflict) {
        Objects.requireNonNull(entity, "entity");
        List<Attribute> target = new ArrayList<>();
        if (conflict.isEmpty()) {
            target.addAll(model.primaryKeys());
        } else {
            conflict.forEach(n -> target.add(model.requireAttribute(n)));
        }
        if (!isUnique(model, target)) {
            throw new QueryDefinitionException("upsert of " + model.name() + ": "
                    + target.stream().map(Attribute::name).toList() + " is neither the primary key nor a unique key;"
                    + " its unique keys: " + uniqueKeys(model));
        }
        for (Attribute a : target) {
            if (!a.mapped() || model.valueOf(entity, a.property()) == null) {
                throw new QueryDefinitionException("upsert of " + model.name() + ": the entity has no value for '"
                        + a.name() + "', part of the conflict target");
            }
        }
        List<String> columns = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        List<Statement.Assignment> set = new ArrayList<>();
        for (Attribute a : model.attributes()) {
            Object v = a.mapped() ? model.valueOf(entity, a.property()) : null;
            if (a.role() == Attribute.Role.PLAIN && v == null && !a.primaryKey()) {
                continue;
            }
            if (a.role() == Attribute.Role.VERSION) {
                columns.add(a.column());
                values.add(new Expr.Default());
                continue;
            }
            if (a.primaryKey() && v == null) {
                continue;
            }
            columns.add(a.column());
            values.add(Exprs.written(a, a.timestamp() ? null : v));
            if (!target.contains(a) && !a.primaryKey() && a.role() != Attribute.Role.CREATED_AT) {
                set.add(new Statement.Assignment(a.column(), new Expr.Excluded(a.column())));
            }
        }
        Attribute version = version(model);
        if (version != null) {
            set.add(new Statement.Assignment(version.column(), new Expr.Arithmetic(
                    new Expr.Column(model.tableName(), version.column()), Expr.ArithmeticOp.PLUS, new Expr.Literal(1))));
        }
        if (set.isEmpty()) {
            // DO NOTHING would return no row: a no-op update returns the stored one
            Attribute a = target.get(0);
            set.add(new Statement.Assignment(a.column(), new Expr.Excluded(a.column())));
        }
        Statement insert = new Statement.Insert(model.tableName(), columns, List.of(values), null,
                new Statement.OnConflict(target.stream().map(Attribute::column).toList(), set), returnedItems(model));
        return returningPlan(model, insert);
    }

    /**
     * @param model a model
     * @param attributes some of its attributes
     * @return whether they cover its primary key or one of its unique keys (so that equal values mean one row)
     */
    public static boolean isUnique(Model<?> model, Collection<Attribute> attributes) {
        if (attributes.containsAll(model.primaryKeys())) {
            return true;
        }
        for (Attribute a : attributes) {
            if (a.unique()) {
                return true;
            }
        }
        for (UniqueKey u : model.uniqueKeys()) {
            if (u.attributes().stream().allMatch(n -> attributes.contains(model.requireAttribute(n)))) {
                return true;
            }
        }
        return false;
    }

    private static List<String> uniqueKeys(Model<?> model) {
        List<String> keys = new ArrayList<>();
        keys.add(model.primaryKeys().stream().map(Attribute::name).toList().toString());
        model.attributes().stream().filter(Attribute::unique).forEach(a -> keys.add("[" + a.name() + "]"));
        model.uniqueKeys().forEach(u -> keys.add(u.attributes().toString()));
        return keys;
    }

    /** {@code "pk" = $n} for each primary key column of the entity. */
    private static List<Condition> keyConditions(Model<?> model, Object entity, String what) {
        List<Condition> where = new ArrayList<>();
        for (Attribute pk : model.primaryKeys()) {
            Object v = pk.mapped() ? model.valueOf(entity, pk.property()) : null;
            if (v == null) {
                throw new QueryDefinitionException(what + " of " + model.name() + " needs the entity's primary key '"
                        + pk.name() + "' (is it saved?)");
            }
            where.add(new Condition.Compare(new Expr.Column(null, pk.column()), Condition.Op.EQ, Exprs.value(pk, v)));
        }
        return where;
    }

    private static List<SelectItem> returnedItems(Model<?> model) {
        List<SelectItem> returned = new ArrayList<>();
        returning(model).forEach(a -> returned.add(Exprs.item(null, a, null)));
        return returned;
    }

    private static <T> SelectPlan<T> returningPlan(Model<T> model, Statement statement) {
        NodeReader<T> reader = new NodeReader<>(model, returning(model), 0, model.primaryKeys());
        return new JoinedPlan<>(null, Renderer.render(statement), reader, List.of());
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
