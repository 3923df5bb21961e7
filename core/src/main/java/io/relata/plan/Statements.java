package io.relata.plan;

import io.relata.Association;
import io.relata.Attribute;
import io.relata.Model;
import io.relata.QueryDefinitionException;
import io.relata.internal.Keys;
import io.relata.internal.AssociationPlanner;
import io.relata.internal.ProjectionPlanner;
import io.relata.internal.NestedCreatePlanner;
import io.relata.internal.SelectPlanner;
import io.relata.internal.WritePlanner;
import io.relata.internal.sql.Expr;
import io.relata.internal.sql.Renderer;
import io.relata.internal.sql.Statement;
import io.relata.internal.Values;
import io.relata.query.Projection;
import io.relata.query.Query;
import io.relata.sql.LoadPlan;
import io.relata.sql.ProjectionPlan;
import io.relata.sql.SelectPlan;
import io.relata.sql.SqlStatement;
import io.relata.sql.WriteProgram;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The planner an adapter runs: every statement of the CRUD operations, lazy loads and transaction
 * control, as rendered statements and plans ({@link io.relata.sql}). Everything is validated here, before
 * any SQL runs: unknown attributes, aliases and paths throw {@link io.relata.QueryDefinitionException}.
 * Association operations are in {@link Associations}, DDL in {@link Ddl}.
 */
public final class Statements {
    private Statements() {
    }

    /**
     * @param query a query, with includes
     * @param <T> the root entity
     * @return the joined SELECT (and SEPARATE follow-ups) and how to assemble its rows into roots
     */
    public static <T> SelectPlan<T> select(Query<T> query) {
        return SelectPlanner.plan(query);
    }

    /**
     * @param query a query; includes count as filters (required ones) and roots are counted once
     * @return {@code SELECT count(*)} or {@code count(DISTINCT key)} with includes
     */
    public static SqlStatement count(Query<?> query) {
        return SelectPlanner.count(query);
    }

    /**
     * @param query the query: where, order, window, and includes (joined only: they add no columns)
     * @param projection the computed columns, grouping, having and order
     * @param type a record whose components are named like the projection's aliases, or {@code Map.class}
     * @param <R> the result type
     * @return the projection's statement and how a row is read into the result
     * @throws io.relata.QueryDefinitionException for an unknown path or alias, a SEPARATE include, or a type
     *     that does not match the aliases
     */
    public static <R> ProjectionPlan<R> project(Query<?> query, Projection projection, Class<R> type) {
        return ProjectionPlanner.plan(query, projection, type);
    }

    /**
     * @param model the model
     * @param entities the rows to insert
     * @param <T> the entity
     * @return multi-row {@code INSERT ... RETURNING} plans (one per chunk that fits the bind limit)
     */
    public static <T> List<SelectPlan<T>> insert(Model<T> model, List<T> entities) {
        return WritePlanner.insert(model, entities);
    }

    /**
     * @param model the model
     * @param entities the rows to insert
     * @param fixed attribute values written into every row (foreign keys, scopes)
     * @param <T> the entity
     * @return multi-row {@code INSERT ... RETURNING} plans
     */
    public static <T> List<SelectPlan<T>> insert(Model<T> model, List<T> entities, Map<String, ?> fixed) {
        return WritePlanner.insert(model, entities, fixed);
    }

    /**
     * The lazy load of an association for a batch of sources: {@code $1} is the array of source keys,
     * column 0 of every row the key it belongs to.
     *
     * @param association the association
     * @param query a query over the target
     * @param <T> the target entity
     * @return the plan
     * @throws io.relata.QueryDefinitionException when the query is over another model or cannot be planned
     */
    public static <T> LoadPlan<T> load(Association<?, T> association, Query<T> query) {
        return SelectPlanner.load(association, query);
    }

    /**
     * @param query which rows (a where on root attributes)
     * @param changes attribute to new value
     * @return {@code UPDATE}
     */
    public static SqlStatement update(Query<?> query, Map<String, ?> changes) {
        return WritePlanner.update(query, changes);
    }

    /**
     * @param query which rows (a where on root attributes)
     * @return {@code DELETE}
     */
    public static SqlStatement delete(Query<?> query) {
        return WritePlanner.delete(query);
    }

    /**
     * @param query which rows (a where on root attributes)
     * @param force delete for real even when the model is paranoid
     * @return {@code UPDATE ... SET "deletedAt" = now()} for a paranoid model (soft delete), else, or with
     *     {@code force}, {@code DELETE}
     */
    public static SqlStatement delete(Query<?> query, boolean force) {
        return WritePlanner.delete(query, force);
    }

    /**
     * @param query which soft-deleted rows (a where on root attributes)
     * @return {@code UPDATE ... SET "deletedAt" = NULL WHERE "deletedAt" IS NOT NULL AND ...}
     * @throws io.relata.QueryDefinitionException when the model is not paranoid
     */
    public static SqlStatement restore(Query<?> query) {
        return WritePlanner.restore(query);
    }

    /**
     * @param model the model
     * @param entity an entity with its key set
     * @param attributes the attributes written, or null for every mapped non-null one
     * @param <T> the entity
     * @return {@code UPDATE ... WHERE key [AND version] RETURNING ...}: the stored row, none when no row matched
     * @see WritePlanner#save
     */
    public static <T> SelectPlan<T> save(Model<T> model, T entity, @Nullable Collection<String> attributes) {
        return WritePlanner.save(model, entity, attributes);
    }

    /**
     * @param model the model
     * @param entity an entity
     * @param conflict the conflict target's attributes (empty: the primary key)
     * @param <T> the entity
     * @return {@code INSERT ... ON CONFLICT (...) DO UPDATE SET ... RETURNING ...}
     */
    public static <T> SelectPlan<T> upsert(Model<T> model, T entity, List<String> conflict) {
        return WritePlanner.upsert(model, entity, conflict);
    }

    /**
     * Sequelize's {@code create(values, { include })}: the roots and the new entities in their included slots,
     * to any depth, one INSERT per include level (belongsTo targets before their sources, junction rows after
     * both ends).
     *
     * @param include the root model and the include tree of the slots to create
     * @param entities the new roots
     * @param <T> the root entity
     * @return the program to run in one transaction; it yields the roots as stored with their created slots
     * @throws io.relata.ValidationException listing every violation in the graph
     * @throws io.relata.QueryDefinitionException for a query with more than includes, or a missing slot
     */
    public static <T> WriteProgram<List<T>> create(Query<T> include, List<T> entities) {
        return NestedCreatePlanner.create(include, entities);
    }

    /**
     * @param model the model
     * @param entity the row to insert
     * @param <T> the entity
     * @return {@code INSERT ... ON CONFLICT DO NOTHING RETURNING ...}: no row when it conflicted
     */
    public static <T> SelectPlan<T> insertIfAbsent(Model<T> model, T entity) {
        return WritePlanner.insertIfAbsent(model, entity);
    }

    /**
     * @param model the model
     * @param entity an entity with its key set
     * @return {@code DELETE ... WHERE key [AND version]}
     */
    public static SqlStatement destroy(Model<?> model, Object entity) {
        return WritePlanner.destroy(model, entity);
    }

    /**
     * @param model the model
     * @param entity an entity with its key set
     * @param by attribute to amount
     * @param subtract decrement instead of increment
     * @param <T> the entity
     * @return {@code UPDATE ... SET "x" = "x" + $1 ... WHERE key RETURNING ...}
     */
    public static <T> SelectPlan<T> increment(Model<T> model, T entity, Map<String, ? extends Number> by,
            boolean subtract) {
        return WritePlanner.increment(model, entity, by, subtract);
    }

    /**
     * @param query which rows
     * @param by attribute to amount
     * @param subtract decrement instead of increment
     * @return {@code UPDATE ... SET "x" = "x" + $1 ... WHERE ...}
     */
    public static SqlStatement increment(Query<?> query, Map<String, ? extends Number> by, boolean subtract) {
        return WritePlanner.increment(query, by, subtract);
    }

    /**
     * @param model the model
     * @param entity an entity
     * @return the optimistic-lock version it carries, or null (model not versioned, property not mapped or null)
     */
    public static @Nullable Object versionOf(Model<?> model, Object entity) {
        return WritePlanner.versionOf(model, entity);
    }

    /**
     * @param model a model
     * @param attributes attribute names
     * @return whether equal values of them identify at most one row (they cover the primary key or a unique key)
     * @throws io.relata.QueryDefinitionException for an unknown attribute
     */
    public static boolean isUnique(Model<?> model, Collection<String> attributes) {
        return WritePlanner.isUnique(model, attributes.stream().map(model::requireAttribute).toList());
    }

    /**
     * @param key a primary key value as a caller gives it
     * @param primaryKey the model's primary key
     * @return the value as bound for that column ({@link #select} plans with it can swap it in with
     *     {@link SelectPlan#withBind})
     * @throws io.relata.QueryDefinitionException when the value does not fit the column
     */
    public static Object keyValue(Attribute primaryKey, Object key) {
        return Objects.requireNonNull(Values.toWire(primaryKey, Objects.requireNonNull(key, "key")));
    }

    /**
     * @param key a key value (as an entity holds it, as a caller gives it, or as bound)
     * @return its canonical form: equal for the same key whatever its Java type ({@code Integer} 1 and
     *     {@code Long} 1, {@code BigDecimal} 1.0 and 1, byte arrays of the same content), as
     *     {@link io.relata.sql.LoadPlan#canonicalKey} keys results
     */
    public static Object canonicalKey(Object key) {
        return Objects.requireNonNull(Keys.canonical(Objects.requireNonNull(key, "key")));
    }

    /**
     * The parts of a primary key value as a caller gives it: the value for a single-column key, a {@code List}
     * of the parts in {@link Model#primaryKeys()} order for a composite one.
     *
     * @param model the model
     * @param key the key value
     * @return one bound value per key column, in key order
     * @throws io.relata.QueryDefinitionException naming the model and its key columns when a composite key is
     *     not a List of as many parts, or a part is null or of a type its column does not take
     */
    public static List<Object> primaryKeyValues(Model<?> model, Object key) {
        Objects.requireNonNull(key, "key");
        List<Attribute> pks = model.primaryKeys();
        if (pks.size() == 1) {
            return List.of(keyValue(pks.get(0), key));
        }
        List<String> names = pks.stream().map(Attribute::name).toList();
        if (!(key instanceof List<?> parts) || parts.size() != pks.size()) {
            throw new QueryDefinitionException("model " + model.name() + " has the composite primary key " + names
                    + ": give its " + pks.size() + " parts in that order (findByPk(model, a, b) or List.of(a, b)), got "
                    + key.getClass().getSimpleName() + ": " + key);
        }
        List<Object> out = new ArrayList<>(pks.size());
        for (int i = 0; i < pks.size(); i++) {
            out.add(AssociationPlanner.keyPart("the primary key " + names + " of " + model.name() + " takes ",
                    pks.get(i), parts.get(i)));
        }
        return out;
    }

    // ---- transaction control ----

    /**
     * Sets {@code statement_timeout} for the rest of the current transaction (what {@code SET LOCAL}
     * does), with the value as a bind so the text never varies. Its one row, one column is the
     * setting as it was before ({@code current_setting} is evaluated first), for {@link #restoreStatementTimeout}.
     *
     * @param timeout at least 1 ms
     * @return {@code SELECT current_setting('statement_timeout'), set_config('statement_timeout', $1, true)}
     */
    public static SqlStatement statementTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.toMillis() == 0) {
            throw new IllegalArgumentException("statement timeout must be at least 1 ms, was " + timeout);
        }
        return Renderer.render(new Statement.SetLocal("statement_timeout",
                new Expr.Param(timeout.toMillis() + "ms", String.class, null), true));
    }

    /**
     * @param previous the setting {@link #statementTimeout} returned
     * @return {@code SELECT set_config('statement_timeout', $1, true)}: the transaction-local value put back
     */
    public static SqlStatement restoreStatementTimeout(String previous) {
        return Renderer.render(new Statement.SetLocal("statement_timeout",
                new Expr.Param(Objects.requireNonNull(previous, "previous"), String.class, null), false));
    }

    /** @param name a savepoint name @return {@code SAVEPOINT "name"} */
    public static SqlStatement savepoint(String name) {
        return Renderer.render(new Statement.Savepoint(Statement.Savepoint.Action.CREATE, name));
    }

    /** @param name a savepoint name @return {@code RELEASE SAVEPOINT "name"} */
    public static SqlStatement releaseSavepoint(String name) {
        return Renderer.render(new Statement.Savepoint(Statement.Savepoint.Action.RELEASE, name));
    }

    /** @param name a savepoint name @return {@code ROLLBACK TO SAVEPOINT "name"} */
    public static SqlStatement rollbackToSavepoint(String name) {
        return Renderer.render(new Statement.Savepoint(Statement.Savepoint.Action.ROLLBACK_TO, name));
    }
}
