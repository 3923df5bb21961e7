package io.relata.reactor;

import io.relata.Model;
import io.relata.query.Query;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Model lifecycle hooks (Sequelize's {@code beforeCreate}, {@code afterUpdate}, ...) as functions returning
 * {@link Mono}s, registered per model and given to a database with {@link Database#withHooks}. Immutable and
 * thread-safe once built.
 *
 * <p>A model with hooks has its writes run in a transaction (joining a surrounding one), and every hook runs
 * inside it: an operation of the same database inside a hook joins the transaction, and a hook that signals
 * an error aborts the operation and rolls back everything it and the hooks wrote. A {@code before} hook
 * emits the entity to go on with (a record is changed by emitting a copy; empty keeps the entity as it
 * was); an {@code after} hook sees the entity as stored.
 *
 * <p>Which operation runs which hooks (in this order):
 * <ul>
 *   <li>{@code create}, and the create of {@code findOrCreate}: beforeValidate, (validation), beforeCreate,
 *       INSERT, afterCreate</li>
 *   <li>{@code bulkCreate}: beforeBulkCreate, beforeValidate of each entity, (validation), INSERT,
 *       afterBulkCreate</li>
 *   <li>{@code save}: beforeValidate, (validation), beforeUpdate, UPDATE, afterUpdate</li>
 *   <li>{@code update(query, changes)}: beforeBulkUpdate, (validation of the changes), UPDATE, afterBulkUpdate</li>
 *   <li>{@code destroy(model, entity)}: beforeDestroy, DELETE, afterDestroy</li>
 *   <li>{@code destroy(query)}: beforeBulkDestroy, DELETE, afterBulkDestroy</li>
 * </ul>
 */
public final class Hooks {
    private static final Hooks NONE = new Hooks(Map.of());

    private final Map<Model<?>, ModelHooks<?>> byModel;

    private Hooks(Map<Model<?>, ModelHooks<?>> byModel) {
        this.byModel = Map.copyOf(byModel);
    }

    /** @return no hooks */
    public static Hooks none() {
        return NONE;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    @SuppressWarnings("unchecked")
    <T> ModelHooks<T> of(Model<T> model) {
        ModelHooks<?> s = byModel.get(model);
        return s == null ? (ModelHooks<T>) ModelHooks.EMPTY : (ModelHooks<T>) s;
    }

    /** The hooks of one model. */
    static final class ModelHooks<T> {
        static final ModelHooks<Object> EMPTY = new ModelHooks<>();

        final List<Function<T, Mono<T>>> beforeValidate = new ArrayList<>();
        final List<Function<T, Mono<T>>> beforeCreate = new ArrayList<>();
        final List<Function<T, Mono<Void>>> afterCreate = new ArrayList<>();
        final List<Function<T, Mono<T>>> beforeUpdate = new ArrayList<>();
        final List<Function<T, Mono<Void>>> afterUpdate = new ArrayList<>();
        final List<Function<T, Mono<Void>>> beforeDestroy = new ArrayList<>();
        final List<Function<T, Mono<Void>>> afterDestroy = new ArrayList<>();
        final List<Function<List<T>, Mono<List<T>>>> beforeBulkCreate = new ArrayList<>();
        final List<Function<List<T>, Mono<Void>>> afterBulkCreate = new ArrayList<>();
        final List<BiFunction<Query<T>, Map<String, ?>, Mono<Void>>> beforeBulkUpdate = new ArrayList<>();
        final List<BiFunction<Query<T>, Long, Mono<Void>>> afterBulkUpdate = new ArrayList<>();
        final List<Function<Query<T>, Mono<Void>>> beforeBulkDestroy = new ArrayList<>();
        final List<BiFunction<Query<T>, Long, Mono<Void>>> afterBulkDestroy = new ArrayList<>();

        boolean any() {
            return !(beforeValidate.isEmpty() && beforeCreate.isEmpty() && afterCreate.isEmpty()
                    && beforeUpdate.isEmpty() && afterUpdate.isEmpty() && beforeDestroy.isEmpty()
                    && afterDestroy.isEmpty() && beforeBulkCreate.isEmpty() && afterBulkCreate.isEmpty()
                    && beforeBulkUpdate.isEmpty() && afterBulkUpdate.isEmpty() && beforeBulkDestroy.isEmpty()
                    && afterBulkDestroy.isEmpty());
        }

        /** Runs transforming hooks one after the other; an empty result keeps the value. */
        static <V> Mono<V> chain(List<Function<V, Mono<V>>> hooks, V value) {
            Mono<V> result = Mono.just(value);
            for (Function<V, Mono<V>> h : hooks) {
                result = result.flatMap(v -> Mono.defer(() -> Objects.requireNonNull(h.apply(v), "a hook returned null"))
                        .defaultIfEmpty(v));
            }
            return result;
        }

        /** Runs observing hooks one after the other. */
        static <V> Mono<Void> run(List<Function<V, Mono<Void>>> hooks, V value) {
            return Flux.fromIterable(hooks)
                    .concatMap(h -> Mono.defer(() -> Objects.requireNonNull(h.apply(value), "a hook returned null")))
                    .then();
        }
    }

    /** Collects hooks; not thread-safe. */
    public static final class Builder {
        private final Map<Model<?>, ModelHooks<?>> byModel = new LinkedHashMap<>();

        private Builder() {
        }

        @SuppressWarnings("unchecked")
        private <T> ModelHooks<T> set(Model<T> model) {
            return (ModelHooks<T>) byModel.computeIfAbsent(Objects.requireNonNull(model, "model"), m -> new ModelHooks<>());
        }

        /**
         * @param model the model
         * @param hook receives an entity about to be validated; emits the entity to validate (empty: unchanged)
         * @param <T> the entity
         * @return this builder
         */
        public <T> Builder beforeValidate(Model<T> model, Function<T, Mono<T>> hook) {
            set(model).beforeValidate.add(Objects.requireNonNull(hook, "hook"));
            return this;
        }

        /**
         * @param model the model
         * @param hook receives the validated entity about to be inserted; emits the entity to insert (empty: unchanged)
         * @param <T> the entity
         * @return this builder
         */
        public <T> Builder beforeCreate(Model<T> model, Function<T, Mono<T>> hook) {
            set(model).beforeCreate.add(Objects.requireNonNull(hook, "hook"));
            return this;
        }

        /**
         * @param model the model
         * @param hook receives the entity as inserted (keys and defaults filled), before the commit
         * @param <T> the entity
         * @return this builder
         */
        public <T> Builder afterCreate(Model<T> model, Function<T, Mono<Void>> hook) {
            set(model).afterCreate.add(Objects.requireNonNull(hook, "hook"));
            return this;
        }

        /**
         * @param model the model
         * @param hook receives the validated entity about to be saved; emits the entity to save (empty: unchanged)
         * @param <T> the entity
         * @return this builder
         */
        public <T> Builder beforeUpdate(Model<T> model, Function<T, Mono<T>> hook) {
            set(model).beforeUpdate.add(Objects.requireNonNull(hook, "hook"));
            return this;
        }

        /**
         * @param model the model
         * @param hook receives the entity as saved, before the commit
         * @param <T> the entity
         * @return this builder
         */
        public <T> Builder afterUpdate(Model<T> model, Function<T, Mono<Void>> hook) {
            set(model).afterUpdate.add(Objects.requireNonNull(hook, "hook"));
            return this;
        }

        /**
         * @param model the model
         * @param hook receives the entity about to be deleted
         * @param <T> the entity
         * @return this builder
         */
        public <T> Builder beforeDestroy(Model<T> model, Function<T, Mono<Void>> hook) {
            set(model).beforeDestroy.add(Objects.requireNonNull(hook, "hook"));
            return this;
        }

        /**
         * @param model the model
         * @param hook receives the entity that was deleted, before the commit
         * @param <T> the entity
         * @return this builder
         */
        public <T> Builder afterDestroy(Model<T> model, Function<T, Mono<Void>> hook) {
            set(model).afterDestroy.add(Objects.requireNonNull(hook, "hook"));
            return this;
        }

        /**
         * @param model the model
         * @param hook receives the entities about to be validated and inserted; emits the list to go on with
         *     (empty: unchanged)
         * @param <T> the entity
         * @return this builder
         */
        public <T> Builder beforeBulkCreate(Model<T> model, Function<List<T>, Mono<List<T>>> hook) {
            set(model).beforeBulkCreate.add(Objects.requireNonNull(hook, "hook"));
            return this;
        }

        /**
         * @param model the model
         * @param hook receives the entities as inserted, before the commit
         * @param <T> the entity
         * @return this builder
         */
        public <T> Builder afterBulkCreate(Model<T> model, Function<List<T>, Mono<Void>> hook) {
            set(model).afterBulkCreate.add(Objects.requireNonNull(hook, "hook"));
            return this;
        }

        /**
         * @param model the model
         * @param hook receives the query and the changes of an {@code update}
         * @param <T> the entity
         * @return this builder
         */
        public <T> Builder beforeBulkUpdate(Model<T> model, BiFunction<Query<T>, Map<String, ?>, Mono<Void>> hook) {
            set(model).beforeBulkUpdate.add(Objects.requireNonNull(hook, "hook"));
            return this;
        }

        /**
         * @param model the model
         * @param hook receives the query and the number of rows updated, before the commit
         * @param <T> the entity
         * @return this builder
         */
        public <T> Builder afterBulkUpdate(Model<T> model, BiFunction<Query<T>, Long, Mono<Void>> hook) {
            set(model).afterBulkUpdate.add(Objects.requireNonNull(hook, "hook"));
            return this;
        }

        /**
         * @param model the model
         * @param hook receives the query of a {@code destroy(query)}
         * @param <T> the entity
         * @return this builder
         */
        public <T> Builder beforeBulkDestroy(Model<T> model, Function<Query<T>, Mono<Void>> hook) {
            set(model).beforeBulkDestroy.add(Objects.requireNonNull(hook, "hook"));
            return this;
        }

        /**
         * @param model the model
         * @param hook receives the query and the number of rows deleted, before the commit
         * @param <T> the entity
         * @return this builder
         */
        public <T> Builder afterBulkDestroy(Model<T> model, BiFunction<Query<T>, Long, Mono<Void>> hook) {
            set(model).afterBulkDestroy.add(Objects.requireNonNull(hook, "hook"));
            return this;
        }

        /** @return the hooks */
        public Hooks build() {
            Map<Model<?>, ModelHooks<?>> copy = new LinkedHashMap<>();
            byModel.forEach((m, s) -> copy.put(m, copyOf(s)));
            return new Hooks(copy);
        }

        private static <T> ModelHooks<T> copyOf(ModelHooks<T> s) {
            ModelHooks<T> c = new ModelHooks<>();
            c.beforeValidate.addAll(s.beforeValidate);
            c.beforeCreate.addAll(s.beforeCreate);
            c.afterCreate.addAll(s.afterCreate);
            c.beforeUpdate.addAll(s.beforeUpdate);
            c.afterUpdate.addAll(s.afterUpdate);
            c.beforeDestroy.addAll(s.beforeDestroy);
            c.afterDestroy.addAll(s.afterDestroy);
            c.beforeBulkCreate.addAll(s.beforeBulkCreate);
            c.afterBulkCreate.addAll(s.afterBulkCreate);
            c.beforeBulkUpdate.addAll(s.beforeBulkUpdate);
            c.afterBulkUpdate.addAll(s.afterBulkUpdate);
            c.beforeBulkDestroy.addAll(s.beforeBulkDestroy);
            c.afterBulkDestroy.addAll(s.afterBulkDestroy);
            return c;
        }
    }
}
