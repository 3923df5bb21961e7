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
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

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
 * <p>Each load is one small publisher whose subscription is its place in the batch (no operator chain per
 * load). Nothing runs detached: the flush subscribes the statement with a subscriber that hands its result,
 * or its error, to every load still waiting (the statement sees the Reactor Context of the first of them);
 * a requester that cancels leaves the others running, and when all have cancelled the statement is
 * stopped (or never sent). A batch whose requesters all left before the flush runs no statement; no
 * statement ever runs for an empty key set.
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

    /**
     * One load: the subscription its subscriber gets, and its place in a batch. Emits the load's results
     * on demand once the batch's statement has run (or its error); its subscriber's cancel leaves the batch,
     * which stops the statement when no load is left waiting.
     */
    private static final class Request implements Subscription {
        private static final AtomicIntegerFieldUpdater<Request> WIP =
                AtomicIntegerFieldUpdater.newUpdater(Request.class, "wip");
        private static final AtomicLongFieldUpdater<Request> REQUESTED =
                AtomicLongFieldUpdater.newUpdater(Request.class, "requested");
        private static final AtomicIntegerFieldUpdater<Request> CANCELLED =
                AtomicIntegerFieldUpdater.newUpdater(Request.class, "cancelled");

        /** canonical: equal for the same key whatever its Java type */
        final Object key;
        /** as the source's statement takes it */
        final Object given;
        final CoreSubscriber<? super Object> actual;
        volatile @Nullable Batch batch;
        volatile @Nullable List<Object> results;
        volatile @Nullable Throwable error;
        @SuppressWarnings("UnusedVariable") // read and written through WIP
        volatile int wip;
        volatile long requested;
        volatile int cancelled;
        /** whether the batch counted this load's leaving (once) */
        boolean left;
        /** drain state, only touched by the thread that holds {@link #wip} */
        int index;
        boolean terminated;

        Request(Object key, Object given, CoreSubscriber<? super Object> actual) {
            this.key = key;
            this.given = given;
            this.actual = actual;
        }

        boolean isCancelled() {
            return cancelled != 0;
        }

        @Override
        public void request(long n) {
            if (Operators.validate(n)) {
                Operators.addCap(REQUESTED, this, n);
                drain();
            }
        }

        @Override
        public void cancel() {
            if (CANCELLED.compareAndSet(this, 0, 1)) {
                Batch b = batch;
                if (b != null) {
                    b.left(this);
                }
            }
        }

        /** The batch ran: these are the load's results. */
        void complete(List<Object> found) {
            results = found;
            drain();
        }

        /** The batch failed. */
        void fail(Throwable e) {
            error = e;
            drain();
        }

        private void drain() {
            if (WIP.getAndIncrement(this) != 0) {
                return;
            }
            int missed = 1;
            while (true) {
                if (terminated || isCancelled()) {
                    return;
                }
                Throwable e = error;
                if (e != null) {
                    terminated = true;
                    actual.onError(e);
                    return;
                }
                List<Object> items = results;
                if (items != null) {
                    long demand = requested;
                    long emitted = 0;
                    while (index < items.size() && emitted != demand) {
                        actual.onNext(items.get(index++));
                        emitted++;
                        if (isCancelled()) {
                            return;
                        }
                    }
                    if (index == items.size()) {
                        terminated = true;
                        actual.onComplete();
                        return;
                    }
                    if (emitted != 0) {
                        Operators.produced(REQUESTED, this, emitted);
                    }
                }
                missed = WIP.addAndGet(this, -missed);
                if (missed == 0) {
                    return;
                }
            }
        }
    }

    /** A load as a publisher: each subscription is a load of its own (cold, like every Relata publisher). */
    private final class LoadFlux extends Flux<Object> {
        private final Object shape;
        private final Object canonical;
        private final Object given;
        private final Source source;

        LoadFlux(Object shape, Object canonical, Object given, Source source) {
            this.shape = shape;
            this.canonical = canonical;
            this.given = given;
            this.source = source;
        }

        @Override
        public void subscribe(CoreSubscriber<? super Object> actual) {
            Request request = new Request(canonical, given, actual);
            actual.onSubscribe(request);
            if (request.isCancelled()) {
                return;
            }
            Batch batch;
            try {
                batch = Loader.this.join(new BatchKey(shape, executor.current(actual.currentContext())), request, source);
            } catch (RuntimeException e) {
                request.fail(e);
                return;
            }
            request.batch = batch;
            if (request.isCancelled()) {
                batch.left(request);
            }
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
        return new LoadFlux(shape, canonical, given, source);
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

        /** the loads that have not left (cancelled) */
        int waiting;
        /** the running statement's subscription, once flushed */
        @Nullable Subscription running;

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
            waiting++;
        }

        /** A load left (its subscriber cancelled): when none is left, the statement is stopped (or never sent). */
        void left(Request request) {
            Subscription stop = null;
            synchronized (this) {
                if (request.left) {
                    return;
                }
                request.left = true;
                waiting--;
                if (waiting == 0) {
                    stop = running;
                }
            }
            if (stop != null) {
                stop.cancel();
            }
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

        /**
         * Runs the batch's statement for the keys whose loads are still waiting, in the Reactor Context of the
         * first of them; its outcome reaches each of them. Runs once per batch, after it was sealed.
         */
        void flush() {
            List<Object> keys = new ArrayList<>();
            List<Request> live = new ArrayList<>();
            synchronized (this) {
                for (Request r : requests) {
                    if (!r.left && !r.isCancelled()) {
                        keys.add(r.given);
                        live.add(r);
                    }
                }
            }
            if (live.isEmpty()) {
                return;
            }
            Mono<Map<Object, List<Object>>> statement;
            try {
                statement = source.fetch(keys);
            } catch (RuntimeException e) {
                live.forEach(r -> r.fail(e));
                return;
            }
            // Not detached: Outcome is the waiting loads' own subscriber of the statement. It runs in the Reactor
            // Context of the first load still waiting (currentContext), hands onError to every waiting load (and
            // to Reactor's onErrorDropped only when all of them have cancelled), hands each its results on
            // completion (a failure there fails that load), and is cancelled when the last load leaves. No tick
            // of a requester is running when the batch flushes, so there is no chain of one requester to join
            // without tying the others to its cancel. LazyBatchingIT and FindByPkBatchingIT prove the errors
            // (statement, constructor, decode) reach every waiting load, also after the first one cancelled.
            statement.subscribe(new Outcome(live, live.get(0).actual.currentContext()));
        }

        /** The batch statement's subscriber: hands its result, or its error, to each waiting load. */
        private final class Outcome implements CoreSubscriber<Map<Object, List<Object>>> {
            private final List<Request> live;
            private final Context context;
            private @Nullable Map<Object, List<Object>> found;

            Outcome(List<Request> live, Context context) {
                this.live = live;
                this.context = context;
            }

            @Override
            public Context currentContext() {
                return context;
            }

            @Override
            public void onSubscribe(Subscription s) {
                boolean stop;
                synchronized (Batch.this) {
                    running = s;
                    stop = waiting == 0;
                }
                if (stop) {
                    s.cancel();
                } else {
                    s.request(Long.MAX_VALUE);
                }
            }

            @Override
            public void onNext(Map<Object, List<Object>> value) {
                found = value;
            }

            @Override
            public void onError(Throwable e) {
                boolean heard = false;
                for (Request r : live) {
                    heard |= !r.isCancelled();
                    r.fail(e);
                }
                if (!heard) {
                    // every load left while the statement was being stopped: Reactor's hook for such errors
                    Operators.onErrorDropped(e, context);
                }
            }

            @Override
            public void onComplete() {
                Map<Object, List<Object>> all = found == null ? Map.of() : found;
                for (Request r : live) {
                    List<Object> mine;
                    try {
                        mine = source.results(all, r.key);
                    } catch (RuntimeException e) {
                        r.fail(e);
                        continue;
                    }
                    r.complete(mine);
                }
            }
        }

    }
}
