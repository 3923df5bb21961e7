package io.relata.reactor;

import io.r2dbc.spi.Connection;
import io.relata.QueryDefinitionException;
import io.relata.sql.LoadAssembly;
import io.relata.sql.LoadPlan;
import io.relata.sql.SqlStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Lazy loads of associations, batched DataLoader-style: the loads of one association (same plan) that
 * are issued in the same tick of a thread (one {@code flatMap} over a collection, the rows of one
 * network read; see {@link Ticks}) share one {@code = ANY($1)} statement, and so do loads issued by any
 * thread while the batch window is open. A batch is flushed when every thread that issued loads into
 * it has ended its tick and, unless every one of those ticks was a task of a Netty event loop (whose end
 * is known exactly, so waiting longer only delays the statement), the window (measured from its first
 * load) has passed; or at once when it holds {@value #MAX_KEYS} distinct keys. Loads inside a transaction are batched per transaction and
 * run on its connection.
 *
 * <p>Nothing runs detached: the statement runs in the subscription of the batch's requesters (a shared
 * subscription, made by the first of them that is still subscribed, whose Reactor Context it sees), its
 * error reaches every requester, a requester that cancels leaves the others running, and when all have
 * cancelled the statement is stopped (or never sent). A batch whose requesters all left before the flush
 * runs no statement; no statement ever runs for an empty key set.
 */
final class Loader {
    /** The default batch window. */
    static final Duration DEFAULT_WINDOW = Duration.ofNanos(500_000);
    /** A batch is flushed at once when it reaches this many distinct keys. */
    static final int MAX_KEYS = 1000;

    private final Executor executor;
    private final Duration window;
    private final ConcurrentHashMap<BatchKey, Batch> open = new ConcurrentHashMap<>();

    /**
     * @param window a batch window as a caller gives it
     * @return it
     * @throws NullPointerException naming {@code window} when it is null
     * @throws QueryDefinitionException when it is negative
     */
    static Duration checkWindow(Duration window) {
        Objects.requireNonNull(window, "window");
        if (window.isNegative()) {
            throw new QueryDefinitionException("batch window must not be negative, was " + window);
        }
        return window;
    }

    /** @return the batch window */
    Duration window() {
        return window;
    }

    Loader(Executor executor, Duration window) {
        this.executor = executor;
        this.window = window;
    }

    /**
     * @param shape what the loads share: the association's plan, or the model of a batched primary-key lookup
     * @param connection the transaction's connection, or null outside one
     */
    private record BatchKey(Object shape, @Nullable Connection connection) {
    }

    /**
     * What a batch runs once it is flushed: one statement for the keys still waiting, in the subscription
     * of the batch's requesters.
     */
    interface Source {
        /**
         * @param keys the waiting loads' keys as given to {@link #load(Object, Object, Object, Source)}
         *     (never empty; duplicates possible)
         * @return the found entities by canonical key (keys without any are absent)
         */
        Mono<Map<Object, List<Object>>> fetch(List<Object> keys);

        /**
         * @param found what {@link #fetch} emitted
         * @param canonicalKey one requester's key
         * @return what that requester gets
         */
        default List<Object> results(Map<Object, List<Object>> found, Object canonicalKey) {
            return found.getOrDefault(canonicalKey, List.of());
        }
    }

    /** One load waiting in a batch. */
    private static final class Request {
        /** canonical: equal for the same key whatever its Java type */
        final Object key;
        /** as the source's statement takes it */
        final Object given;
        volatile boolean cancelled;

        Request(Object key, Object given) {
            this.key = key;
            this.given = given;
        }
    }

    /**
     * @param plan the load plan of the association (shared by all loads of the same shape)
     * @param key the source's key value
     * @param <T> the target entity
     * @return the targets linked to that key, in the plan's order; the statement runs when the batch is
     *     flushed; errors with the statement's error
     */
    @SuppressWarnings("unchecked")
    <T> Flux<T> load(LoadPlan<T> plan, Object key) {
        Object canonical = plan.canonicalKey(Objects.requireNonNull(key, "key"));
        Source source = keys -> {
            SqlStatement statement = plan.statement(keys);
            return statement == null ? Mono.just(Map.of()) : fetch(plan, statement);
        };
        return load(plan, canonical, canonical, source).map(o -> (T) o);
    }

    /**
     * A load batched with the other loads of the same shape (and transaction) issued in the same tick or
     * window.
     *
     * @param shape what the batch's loads share (its statement's shape)
     * @param canonical the key, canonical (what results are matched by)
     * @param given the key as {@code source} takes it
     * @param source the batch's statement; the first load of a batch gives it, the others share it
     * @return the results for the key; the statement runs when the batch is flushed; errors with its error
     */
    Flux<Object> load(Object shape, Object canonical, Object given, Source source) {
        return Flux.deferContextual(ctx -> {
            Request request = new Request(canonical, given);
            Batch batch = join(new BatchKey(shape, executor.current(ctx)), request, source);
            return batch.done
                    .doOnCancel(() -> request.cancelled = true)
                    .thenMany(Flux.defer(() -> Flux.fromIterable(batch.results(canonical))));
        });
    }

    private Batch join(BatchKey key, Request request, Source source) {
        Thread thread = Thread.currentThread();
        while (true) {
            Batch batch = open.computeIfAbsent(key, k -> new Batch(k, source));
            boolean flush;
            synchronized (batch) {
                if (!batch.admits(thread)) {
                    open.remove(key, batch);
                    continue;
                }
                batch.add(thread, request);
                flush = batch.keys.size() >= MAX_KEYS && batch.seal();
            }
            if (flush) {
                batch.flush();
            }
            return batch;
        }
    }

    /**
     * A load for several sources now, in one statement of its own (not batched with other loads).
     *
     * @param plan the load plan
     * @param sources the sources; their keys are read here, before anything runs
     * @param keyOf a source's key (throws for a source it does not take)
     * @param <S> the source entity
     * @param <T> the target entity
     * @return each source with its targets (an empty list when none), in the order of {@code sources}
     */
    @SuppressWarnings("unchecked")
    <S, T> Mono<Map<S, List<T>>> fetchAll(LoadPlan<T> plan, Collection<? extends S> sources, Function<S, Object> keyOf) {
        Objects.requireNonNull(sources, "sources");
        Map<S, Object> keys = new LinkedHashMap<>();
        for (S source : sources) {
            keys.put(Objects.requireNonNull(source, "sources contains null"),
                    plan.canonicalKey(keyOf.apply(source)));
        }
        SqlStatement statement = plan.statement(keys.values());
        Mono<Map<Object, List<Object>>> found = statement == null ? Mono.just(Map.of()) : fetch(plan, statement);
        return found.map(byKey -> {
            Map<S, List<T>> out = new LinkedHashMap<>();
            keys.forEach((source, key) -> out.put(source,
                    Collections.unmodifiableList((List<T>) (List<?>) byKey.getOrDefault(key, List.of()))));
            return Collections.unmodifiableMap(out);
        });
    }

    /**
     * Runs a load for a set of keys now, in the subscriber's chain.
     *
     * @param plan the load plan
     * @param statement the statement for the keys ({@link LoadPlan#statement(java.util.Collection)})
     * @return the targets by canonical key of the source they belong to (sources without any are absent)
     */
    @SuppressWarnings("unchecked")
    Mono<Map<Object, List<Object>>> fetch(LoadPlan<?> plan, SqlStatement statement) {
        return executor.read(c -> Flux.defer(() -> {
            LoadAssembly<?> assembly = plan.assembly();
            return Executor.rows(c, statement, row -> {
                assembly.push(row);
                return Executor.NONE;
            }).then(Mono.fromRunnable(assembly::end))
                    .then(Streams.followUps(c, assembly::nextFollowUp))
                    .then(Mono.fromCallable(() -> (Map<Object, List<Object>>) (Map<?, ?>) assembly.byKey()));
        })).single();
    }

    /**
     * The loads of one plan (and transaction) collected until the flush. Guarded by its monitor, except
     * the result fields, which are written once by the run and read after it.
     */
    private final class Batch {
        final BatchKey key;
        final Source source;
        final List<Request> requests = new ArrayList<>();
        final Set<Object> keys = new HashSet<>();
        /** the current tick of each thread that issued loads into this batch */
        final Map<Thread, Ticks.Tick> ticks = new HashMap<>();
        int pendingTicks;
        Ticks.@Nullable Tick first;
        boolean windowPassed;
        /** whether every tick that issued loads into this batch is an event-loop task (its end exact) */
        boolean exactTicks = true;
        /** when the first load arrived (System.nanoTime) */
        long opened;
        /** whether the window's timer was scheduled */
        boolean timed;
        boolean sealed;

        final Sinks.Empty<Void> flushed = Sinks.empty();
        /** completes when the batch's statement has run: shared by all requesters (the first one subscribes it) */
        final Flux<Void> done = flushed.asMono().then(Mono.defer(this::run)).flux().share();
        volatile @Nullable Map<Object, List<Object>> results;
        volatile @Nullable Throwable failure;

        Batch(BatchKey key, Source source) {
            this.key = key;
            this.source = source;
        }

        /**
         * A thread in its tick may always add; another thread may join while the window is open or the
         * first thread's tick lasts (so that a batch's life is bounded by its members' ticks).
         */
        boolean admits(Thread thread) {
            if (sealed) {
                return false;
            }
            Ticks.Tick tick = ticks.get(thread);
            if (tick != null && !tick.ended()) {
                return true;
            }
            return !windowPassed || (first != null && !first.ended());
        }

        void add(Thread thread, Request request) {
            Ticks.Tick tick = ticks.get(thread);
            if (tick != null && !tick.ended()) {
                tick.touch();
            } else {
                Ticks.Tick created = Ticks.current(this::tickEnded);
                exactTicks &= created.exact();
                ticks.put(thread, created);
                pendingTicks++;
                if (first == null) {
                    first = created;
                }
            }
            if (requests.isEmpty()) {
                opened = System.nanoTime();
                if (window.isZero() || window.isNegative()) {
                    windowPassed = true;
                }
            }
            // the timer only matters once a tick whose end is estimated takes part (see ready())
            if (!exactTicks && !windowPassed && !timed) {
                timed = true;
                long left = window.toNanos() - (System.nanoTime() - opened);
                try {
                    Schedulers.parallel().schedule(this::windowPassed, Math.max(0, left), TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException shutDown) {
                    windowPassed = true;
                }
            }
            requests.add(request);
            keys.add(request.key);
        }

        private void tickEnded(Ticks.Tick tick) {
            boolean flush;
            synchronized (this) {
                pendingTicks--;
                ticks.remove(tick.thread, tick);
                flush = ready() && seal();
            }
            if (flush) {
                flush();
            }
        }

        private void windowPassed() {
            boolean flush;
            synchronized (this) {
                windowPassed = true;
                flush = ready() && seal();
            }
            if (flush) {
                flush();
            }
        }

        private boolean ready() {
            return pendingTicks == 0 && (windowPassed || exactTicks);
        }

        /** @return true when this call sealed the batch (the caller then flushes, outside the monitor) */
        boolean seal() {
            if (sealed) {
                return false;
            }
            sealed = true;
            open.remove(key, this);
            return true;
        }

        void flush() {
            flushed.tryEmitEmpty();
        }

        /** The batch's statement, for the keys whose requesters are still waiting; runs once per batch. */
        private Mono<Void> run() {
            if (results != null) {
                return Mono.empty();
            }
            Throwable failed = failure;
            if (failed != null) {
                return Mono.error(failed);
            }
            List<Object> waiting = new ArrayList<>();
            synchronized (this) {
                for (Request r : requests) {
                    if (!r.cancelled) {
                        waiting.add(r.given);
                    }
                }
            }
            if (waiting.isEmpty()) {
                results = Map.of();
                return Mono.empty();
            }
            return source.fetch(waiting)
                    .doOnNext(found -> results = found)
                    .doOnError(e -> failure = e)
                    .then();
        }

        List<Object> results(Object canonicalKey) {
            Map<Object, List<Object>> found = Objects.requireNonNull(results, "batch completed without results");
            return source.results(found, canonicalKey);
        }
    }
}
