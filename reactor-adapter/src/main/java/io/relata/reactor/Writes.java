package io.relata.reactor;

import io.r2dbc.spi.Connection;
import io.relata.Attribute;
import io.relata.Model;
import io.relata.OptimisticLockException;
import io.relata.QueryDefinitionException;
import io.relata.RelataException;
import io.relata.Validation;
import io.relata.ValidationException;
import io.relata.ValidationException.Violation;
import io.relata.plan.Statements;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.sql.SelectPlan;
import io.relata.sql.SqlStatement;
import io.relata.sql.WriteProgram;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The entity writes of a {@link Database}: validation, hooks and optimistic locking around the planned
 * statements. Without hooks an operation is its statement alone (validation runs first, in memory); with
 * hooks it runs in a transaction that the hooks join.
 */
final class Writes {
    private final Database db;
    private final Hooks hooks;

    Writes(Database db, Hooks hooks) {
        this.db = db;
        this.hooks = hooks;
    }

    private Executor executor() {
        return db.executor();
    }

    static <T> @Nullable ValidationException invalid(Model<T> model, Collection<? extends T> entities) {
        List<Violation> violations = new ArrayList<>();
        for (T e : entities) {
            violations.addAll(Validation.violations(model, e));
        }
        return violations.isEmpty() ? null : new ValidationException(violations);
    }

    private static <T> Mono<T> validated(Model<T> model, T entity) {
        ValidationException e = invalid(model, List.of(entity));
        return e == null ? Mono.just(entity) : Mono.error(e);
    }

    // ---- create ----

    <T> Mono<T> create(Model<T> model, T entity) {
        Objects.requireNonNull(entity, "entity");
        Hooks.ModelHooks<T> h = hooks.of(model);
        if (!h.any()) {
            ValidationException e = invalid(model, List.of(entity));
            if (e != null) {
                return Mono.error(e);
            }
            SelectPlan<T> plan = Statements.insert(model, List.of(entity)).get(0);
            return Streams.select(executor(), plan).single();
        }
        return executor().inTransaction(c -> created(h, model, entity,
                e -> Streams.rows(c, Statements.insert(model, List.of(e)).get(0)).singleOrEmpty())).single();
    }

    /** beforeValidate, validation, beforeCreate, the insert, afterCreate (when it inserted). */
    private static <T> Mono<T> created(Hooks.ModelHooks<T> h, Model<T> model, T entity,
            Function<T, Mono<T>> insert) {
        return Hooks.ModelHooks.chain(h.beforeValidate, entity)
                .flatMap(e -> validated(model, e))
                .flatMap(e -> Hooks.ModelHooks.chain(h.beforeCreate, e))
                .flatMap(insert)
                .flatMap(stored -> Hooks.ModelHooks.run(h.afterCreate, stored).thenReturn(stored));
    }

    <T> Flux<T> bulkCreate(Model<T> model, List<T> entities) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(entities, "entities");
        Hooks.ModelHooks<T> h = hooks.of(model);
        if (!h.any()) {
            if (entities.isEmpty()) {
                return Flux.empty();
            }
            ValidationException e = invalid(model, entities);
            if (e != null) {
                return Flux.error(e);
            }
            List<SelectPlan<T>> plans = Statements.insert(model, entities);
            if (plans.size() == 1) {
                return Streams.select(executor(), plans.get(0));
            }
            return executor().inTransaction(c -> Flux.fromIterable(plans).concatMap(p -> Streams.rows(c, p)));
        }
        return executor().inTransaction(c -> Hooks.ModelHooks.chain(h.beforeBulkCreate, List.copyOf(entities))
                .flatMapMany(Flux::fromIterable)
                .concatMap(e -> Hooks.ModelHooks.chain(h.beforeValidate, e))
                .collectList()
                .flatMapMany(list -> {
                    ValidationException e = invalid(model, list);
                    if (e != null) {
                        return Flux.error(e);
                    }
                    if (list.isEmpty()) {
                        return Flux.empty();
                    }
                    return Flux.fromIterable(Statements.insert(model, list)).concatMap(p -> Streams.rows(c, p));
                })
                .collectList()
                .flatMapMany(stored -> Hooks.ModelHooks.run(h.afterBulkCreate, stored)
                        .thenMany(Flux.fromIterable(stored))));
    }

    // ---- create with include ----

    <T> Flux<T> create(Query<T> include, List<T> entities) {
        Objects.requireNonNull(include, "include");
        Objects.requireNonNull(entities, "entities");
        if (entities.isEmpty()) {
            return Flux.empty();
        }
        WriteProgram<List<T>> program;
        try {
            program = Statements.create(include, entities);
        } catch (ValidationException e) {
            return Flux.error(e);
        }
        if (include.includes().isEmpty()) {
            // nothing nested: a plain create (its create hooks) or bulkCreate (its bulk hooks)
            return entities.size() == 1 ? create(include.model(), entities.get(0)).flux()
                    : bulkCreate(include.model(), entities);
        }
        Hooks.ModelHooks<T> h = hooks.of(include.model());
        if (!h.any()) {
            return executor().inTransaction(c -> run(c, program).flatMapMany(Flux::fromIterable));
        }
        // the root model's create hooks around the graph (the nested models' hooks do not run)
        return executor().inTransaction(c -> Flux.fromIterable(entities)
                .concatMap(e -> Hooks.ModelHooks.chain(h.beforeValidate, e)
                        .flatMap(v -> Hooks.ModelHooks.chain(h.beforeCreate, v)))
                .collectList()
                .flatMap(roots -> run(c, Statements.create(include, roots)))
                .flatMapMany(Flux::fromIterable)
                .concatMap(stored -> Hooks.ModelHooks.run(h.afterCreate, stored).thenReturn(stored)));
    }

    /** Interprets a write program on one connection, step after step. */
    static <A> Mono<A> run(Connection c, WriteProgram<A> program) {
        return Mono.defer(() -> {
            if (program instanceof WriteProgram.Done<A> done) {
                return Mono.justOrEmpty(done.value());
            }
            if (program instanceof WriteProgram.Insert<?, A> insert) {
                return insert(c, insert);
            }
            WriteProgram.Execute<A> execute = (WriteProgram.Execute<A>) program;
            return Executor.update(c, execute.statement()).then(Mono.defer(() -> run(c, execute.next().get())));
        });
    }

    private static <R, A> Mono<A> insert(Connection c, WriteProgram.Insert<R, A> insert) {
        return Streams.rows(c, insert.plan()).collectList().flatMap(rows -> run(c, insert.next().apply(rows)));
    }

    // ---- bulk update and destroy ----

    <T> Mono<Long> update(Query<T> query, Map<String, ?> changes) {
        Model<T> model = query.model();
        Hooks.ModelHooks<T> h = hooks.of(model);
        if (!h.any()) {
            SqlStatement s = Statements.update(query, changes);
            try {
                Validation.checkValues(model, changes);
            } catch (ValidationException e) {
                return Mono.error(e);
            }
            return executor().withConnection(c -> Executor.update(c, s)).single();
        }
        SqlStatement s = Statements.update(query, changes);
        return executor().inTransaction(c -> Flux.fromIterable(h.beforeBulkUpdate)
                .concatMap(hook -> Mono.defer(() -> hook.apply(query, changes)))
                .then(Mono.fromRunnable(() -> Validation.checkValues(model, changes)))
                .then(Executor.update(c, s))
                .flatMap(n -> Flux.fromIterable(h.afterBulkUpdate)
                        .concatMap(hook -> Mono.defer(() -> hook.apply(query, n))).then(Mono.just(n)))).single();
    }

    <T> Mono<Long> destroy(Query<T> query, boolean force) {
        Hooks.ModelHooks<T> h = hooks.of(query.model());
        SqlStatement s = Statements.delete(query, force);
        if (!h.any()) {
            return executor().withConnection(c -> Executor.update(c, s)).single();
        }
        return executor().inTransaction(c -> Flux.fromIterable(h.beforeBulkDestroy)
                .concatMap(hook -> Mono.defer(() -> hook.apply(query)))
                .then(Executor.update(c, s))
                .flatMap(n -> Flux.fromIterable(h.afterBulkDestroy)
                        .concatMap(hook -> Mono.defer(() -> hook.apply(query, n))).then(Mono.just(n)))).single();
    }

    // ---- one entity ----

    <T> Mono<T> save(Model<T> model, T entity, @Nullable Collection<String> attributes) {
        Objects.requireNonNull(entity, "entity");
        Hooks.ModelHooks<T> h = hooks.of(model);
        if (!h.any()) {
            ValidationException e = invalid(model, List.of(entity));
            if (e != null) {
                return Mono.error(e);
            }
            SelectPlan<T> plan = Statements.save(model, entity, attributes);
            return Streams.select(executor(), plan).singleOrEmpty().switchIfEmpty(stale(model, entity));
        }
        return executor().inTransaction(c -> Hooks.ModelHooks.chain(h.beforeValidate, entity)
                .flatMap(e -> validated(model, e))
                .flatMap(e -> Hooks.ModelHooks.chain(h.beforeUpdate, e))
                .flatMap(e -> Streams.rows(c, Statements.save(model, e, attributes)).singleOrEmpty()
                        .switchIfEmpty(stale(model, e)))
                .flatMap(stored -> Hooks.ModelHooks.run(h.afterUpdate, stored).thenReturn(stored))).singleOrEmpty();
    }

    /** Nothing matched: a versioned entity is stale; otherwise the row is gone (empty). */
    private static <T> Mono<T> stale(Model<T> model, T entity) {
        return Mono.defer(() -> {
            Object version = Statements.versionOf(model, entity);
            return version == null ? Mono.empty()
                    : Mono.error(new OptimisticLockException(model.name(), key(model, entity), version));
        });
    }

    private static @Nullable Object key(Model<?> model, Object entity) {
        List<Attribute> pks = model.primaryKeys();
        if (pks.size() == 1) {
            Attribute pk = pks.get(0);
            return pk.mapped() ? model.valueOf(entity, pk.property()) : null;
        }
        List<@Nullable Object> values = new ArrayList<>();
        for (Attribute pk : pks) {
            values.add(pk.mapped() ? model.valueOf(entity, pk.property()) : null);
        }
        return values;
    }

    <T> Mono<T> reload(Model<T> model, T entity) {
        Objects.requireNonNull(entity, "entity");
        List<Attribute> pks = model.primaryKeys();
        List<Where> parts = new ArrayList<>();
        for (Attribute pk : pks) {
            Object v = pk.mapped() ? model.valueOf(entity, pk.property()) : null;
            if (v == null) {
                throw new QueryDefinitionException("reload of " + model.name() + " needs the entity's primary key '"
                        + pk.name() + "' (is it saved?)");
            }
            parts.add(Where.eq(pk.name(), v));
        }
        if (pks.size() == 1) {
            return db.findByPk(model, Objects.requireNonNull(key(model, entity)));
        }
        return db.findOne(Query.from(model).where(Where.and(parts.toArray(Where[]::new))));
    }

    <T> Mono<Boolean> destroy(Model<T> model, T entity) {
        Objects.requireNonNull(entity, "entity");
        Hooks.ModelHooks<T> h = hooks.of(model);
        SqlStatement s = Statements.destroy(model, entity);
        Mono<Boolean> delete = Mono.defer(() -> Mono.just(entity)).flatMap(e -> executor()
                .withConnection(c -> Executor.update(c, s)).single()
                .flatMap(n -> n > 0 ? Mono.just(true) : stale(model, entity).thenReturn(false)));
        if (!h.any()) {
            return delete;
        }
        return executor().inTransaction(c -> Hooks.ModelHooks.run(h.beforeDestroy, entity)
                .then(delete)
                .flatMap(deleted -> (deleted ? Hooks.ModelHooks.run(h.afterDestroy, entity) : Mono.<Void>empty())
                        .thenReturn(deleted))).single();
    }

    <T> Mono<T> upsert(Model<T> model, T entity, List<String> conflict) {
        Objects.requireNonNull(entity, "entity");
        ValidationException e = invalid(model, List.of(entity));
        if (e != null) {
            return Mono.error(e);
        }
        SelectPlan<T> plan = Statements.upsert(model, entity, conflict);
        return Streams.select(executor(), plan).single();
    }

    <T> Mono<T> increment(Model<T> model, T entity, Map<String, ? extends Number> by, boolean subtract) {
        SelectPlan<T> plan = Statements.increment(model, entity, by, subtract);
        return Streams.select(executor(), plan).singleOrEmpty();
    }

    Mono<Long> increment(Query<?> query, Map<String, ? extends Number> by, boolean subtract) {
        SqlStatement s = Statements.increment(query, by, subtract);
        return executor().withConnection(c -> Executor.update(c, s)).single();
    }

    // ---- findOrCreate ----

    <T> Mono<FoundOrCreated<T>> findOrCreate(Query<T> query, T defaults) {
        Objects.requireNonNull(defaults, "defaults");
        Model<T> model = query.model();
        if (!query.includes().isEmpty() || query.limit().isPresent() || query.offset().isPresent()
                || !query.orderBy().isEmpty() || query.hasThroughOptions() || query.selectedAttributes() != null) {
            throw new QueryDefinitionException("findOrCreate of " + model.name()
                    + " takes a where only (no include, order, limit, offset or attributes)");
        }
        Map<String, Object> equal = new LinkedHashMap<>();
        Where where = query.where();
        if (where == null) {
            throw new QueryDefinitionException("findOrCreate of " + model.name() + " needs a where of equalities");
        }
        equalities(model, where, equal);
        if (!Statements.isUnique(model, equal.keySet())) {
            throw new QueryDefinitionException("findOrCreate of " + model.name() + " on " + equal.keySet()
                    + ": concurrent callers can only be given one row when the where's attributes are the primary key"
                    + " or a unique key (declare one with m.attribute(...).unique() or m.unique(name, attributes...))");
        }
        @Nullable Object[] values = new Object[model.propertyCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = model.valueOf(defaults, i);
        }
        for (Map.Entry<String, Object> e : equal.entrySet()) {
            Attribute a = model.requireAttribute(e.getKey());
            if (!a.mapped()) {
                throw new QueryDefinitionException("findOrCreate of " + model.name() + ": '" + e.getKey()
                        + "' is not a property of " + model.entityType().getSimpleName() + ", so it cannot be created");
            }
            values[a.property()] = e.getValue();
        }
        T candidate = model.instantiate(values);
        Hooks.ModelHooks<T> h = hooks.of(model);
        Mono<T> find = db.findOne(query);
        Mono<T> insert = h.any()
                ? executor().inTransaction(c -> created(h, model, candidate,
                        e -> Streams.rows(c, Statements.insertIfAbsent(model, e)).singleOrEmpty())).singleOrEmpty()
                : validated(model, candidate).flatMap(e ->
                        Streams.select(executor(), Statements.insertIfAbsent(model, e)).singleOrEmpty());
        return find.map(found -> new FoundOrCreated<>(found, false))
                .switchIfEmpty(Mono.defer(() -> insert.map(stored -> new FoundOrCreated<>(stored, true))))
                // a concurrent caller inserted it first: its row is committed (ON CONFLICT waited for it)
                .switchIfEmpty(Mono.defer(() -> find.map(found -> new FoundOrCreated<>(found, false))))
                .switchIfEmpty(Mono.error(() -> new RelataException("findOrCreate of " + model.name()
                        + ": the new row conflicted with a stored one on a unique key that the where " + equal.keySet()
                        + " does not match")));
    }

    private static void equalities(Model<?> model, Where where, Map<String, Object> out) {
        if (where instanceof Where.And and) {
            and.conditions().forEach(w -> equalities(model, w, out));
        } else if (where instanceof Where.Compare cmp && cmp.op() == Where.Op.EQ && !cmp.path().contains(".")) {
            model.requireAttribute(cmp.path());
            out.put(cmp.path(), cmp.value());
        } else {
            throw new QueryDefinitionException("findOrCreate of " + model.name() + " needs a where of equalities"
                    + " on its attributes (Where.eq, Where.and), to know the values of the row it creates; got " + where);
        }
    }
}
