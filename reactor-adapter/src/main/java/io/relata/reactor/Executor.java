package io.relata.reactor;

import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.Wrapped;
import io.relata.ConnectionException;
import io.relata.RelataException;
import io.relata.StatementException;
import io.relata.TransactionOptions;
import io.relata.plan.Statements;
import io.relata.sql.Bind;
import io.relata.sql.RowSource;
import io.relata.sql.SqlStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Scannable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.publisher.Sinks;
import reactor.util.Logger;
import reactor.util.Loggers;
import reactor.util.context.Context;
import reactor.util.context.ContextView;
import reactor.util.retry.Retry;

/**
 * Runs statements on connections. Where connections come from and how transactions begin and end is the
 * {@link TransactionSupport} of the database (Relata's own, or Spring's); errors leave through the
 * database's {@link ErrorTranslator}; every statement is logged and observed by {@link Observability}.
 *
 * <p>Cancellation: a statement's exchange with the driver is never cancelled (see {@link Settled});
 * when the subscriber of a unit of work that owns its connection cancels, the server is asked to
 * cancel the statement still running ({@link Lease#abort}), and the connection is released only once
 * the server has answered it and the CancelRequest has been handled, so it can never hit a later
 * statement.
 */
final class Executor {
    /** Returned by row callbacks that produced nothing; filtered out (Reactor forbids null). */
    static final Object NONE = new Object();

    private static final Logger LOG = Loggers.getLogger("io.relata.reactor");

    /** Bounds COMMIT/ROLLBACK so that a connection the driver can no longer complete is still released. */
    static final Duration END_TIMEOUT = Duration.ofSeconds(10);

    private final TransactionSupport transactions;
    private final ErrorTranslator errors;
    private final @Nullable StatementObserver observer;

    Executor(TransactionSupport transactions, ErrorTranslator errors, @Nullable StatementObserver observer) {
        this.transactions = transactions;
        this.errors = errors;
        this.observer = observer;
    }

    ConnectionFactory factory() {
        return transactions.connectionFactory();
    }

    /** @return the connection of the surrounding transaction of this database, if any */
    @Nullable Connection current(ContextView context) {
        return transactions.current(context);
    }

    /** The database's observer for the statements inside, and its error translation outside. */
    private <T> Flux<T> around(Flux<T> operation) {
        Flux<T> observed = observer == null ? operation : operation.contextWrite(Observability.with(observer));
        return observed.onErrorMap(errors::translate);
    }

    /** @return an error as the database's callers see it (for errors raised outside {@link #withConnection}) */
    Throwable translate(Throwable error) {
        return errors.translate(error);
    }

    /** Runs work on the transaction's connection, or on a fresh connection released afterwards. */
    <T> Flux<T> withConnection(Function<Connection, Publisher<T>> work) {
        return around(transactions.withConnection(work));
    }

    /**
     * A read: like {@link #withConnection}, but outside a transaction on a read replica when the database
     * has some ({@link ReplicaRouting}).
     */
    <T> Flux<T> read(Function<Connection, Publisher<T>> work) {
        return transactions instanceof ReplicaRouting routing ? around(routing.read(work)) : withConnection(work);
    }

    /** A read that needs a transaction (a cursor): like {@link #inTransaction(Function)}, on a replica when routed. */
    <T> Flux<T> readInTransaction(Function<Connection, Publisher<T>> work) {
        return transactions instanceof ReplicaRouting routing ? around(routing.readInTransaction(work)) : inTransaction(work);
    }

    /**
     * A read under a statement timeout: like {@link #withStatementTimeout}, but outside a transaction, when routed,
     * in a read-only transaction of its own on a replica.
     */
    <T> Flux<T> readWithStatementTimeout(Duration timeout, Supplier<Publisher<T>> work) {
        if (!(transactions instanceof ReplicaRouting routing) || routing.readsOnPrimary()) {
            return withStatementTimeout(timeout, work);
        }
        return Flux.deferContextual(ctx -> current(ctx) != null ? withStatementTimeout(timeout, work)
                : inTransaction(TransactionOptions.defaults().readOnly(true).statementTimeout(timeout), c -> work.get()));
    }

    /** @return this executor with every read on the primary (itself when there are no replicas) */
    Executor onPrimary() {
        return transactions instanceof ReplicaRouting routing ? new Executor(routing.onPrimary(), errors, observer) : this;
    }

    /** @return closes what the executor's routing owns (replica pools of {@code Database.connect}) */
    Mono<Void> closeReplicas() {
        return transactions instanceof ReplicaRouting routing ? routing.close() : Mono.empty();
    }

    /**
     * Runs work in a transaction: joins the surrounding one, else begins one, commits on complete and
     * rolls back on error and on cancel.
     */
    <T> Flux<T> inTransaction(Function<Connection, Publisher<T>> work) {
        return inTransaction(TransactionOptions.defaults(), work);
    }

    /** {@link #inTransaction(Function)} with a propagation (NESTED: a savepoint inside a transaction). */
    <T> Flux<T> inTransaction(TransactionOptions.Propagation propagation, Function<Connection, Publisher<T>> work) {
        return inTransaction(TransactionOptions.defaults().propagation(propagation), work);
    }

    /**
     * Runs work in a transaction with options: joins the surrounding one (or, with
     * {@link TransactionOptions.Propagation#NESTED}, opens a savepoint in it), else begins one with the
     * options' isolation and read-only flag ({@link TransactionSupport#inTransaction(TransactionOptions,
     * Function)}); sets the statement timeout for it; retries the whole work when the options ask for it.
     */
    <T> Flux<T> inTransaction(TransactionOptions options, Function<Connection, Publisher<T>> work) {
        return around(Flux.deferContextual(ctx -> {
            Connection tx = current(ctx);
            Duration timeout = options.statementTimeout();
            Function<Connection, Publisher<T>> inner = work;
            if (timeout != null && tx == null) {
                inner = c -> Executor.<Object>rows(c, Statements.statementTimeout(timeout), row -> NONE)
                        .thenMany(Flux.defer(() -> work.apply(c)));
            } else if (timeout != null && options.propagation() == TransactionOptions.Propagation.NESTED) {
                inner = c -> withStatementTimeout(timeout, () -> work.apply(c));
            }
            Flux<T> once = transactions.inTransaction(options, inner);
            if (tx != null || !options.retries()) {
                return once;
            }
            // held until committed: a failed attempt's elements never reach the subscriber
            long retries = options.maxAttempts() - 1L;
            Retry retry = options.backoff().isZero()
                    ? Retry.max(retries).filter(Executor::retryable)
                            .onRetryExhaustedThrow((spec, signal) -> signal.failure())
                    : Retry.backoff(retries, options.backoff()).jitter(0.5).filter(Executor::retryable)
                            .onRetryExhaustedThrow((spec, signal) -> signal.failure());
            return once.collectList().retryWhen(retry).flatMapIterable(list -> list);
        }));
    }

    /** @return whether a transaction that failed with it may run again: serialization failure or deadlock */
    static boolean retryable(Throwable e) {
        return e instanceof StatementException s && TransactionOptions.isRetryable(s.sqlState());
    }

    /**
     * Runs work with a server-side statement timeout: in a transaction of its own when there is none
     * (the setting is transaction-local), else set before and restored after the work inside the
     * surrounding one.
     */
    <T> Flux<T> withStatementTimeout(Duration timeout, Supplier<Publisher<T>> work) {
        return Flux.deferContextual(ctx -> {
            Connection tx = current(ctx);
            if (tx == null) {
                return inTransaction(TransactionOptions.defaults().statementTimeout(timeout), c -> work.get());
            }
            return Flux.usingWhen(
                    Executor.<String>rows(tx, Statements.statementTimeout(timeout), row -> row.get(0, String.class)).single(),
                    previous -> Flux.from(work.get())
                            .concatWith(Executor.<Object>rows(tx, Statements.restoreStatementTimeout(previous), row -> NONE)
                                    .then(Mono.empty())),
                    previous -> Mono.empty(),
                    // a failed statement aborted the transaction: nothing to restore
                    (previous, e) -> Mono.empty(),
                    // the work's statements drain first (same connection), then the setting is put back
                    previous -> Executor.<Object>rows(tx, Statements.restoreStatementTimeout(previous), row -> NONE)
                            .onErrorResume(e -> Mono.empty()));
        });
    }

    /** Rolls back after the work failed: a failing ROLLBACK is added to the work's error, never replaces it. */
    static Mono<Void> rollbackAfterError(Connection c, Throwable error) {
        return end(c, "ROLLBACK", c.rollbackTransaction())
                .onErrorResume(e -> {
                    error.addSuppressed(e);
                    return discard(c);
                })
                .then(closeAfterError(c, error));
    }

    /** COMMIT/ROLLBACK through {@link #control}, bounded by {@link #END_TIMEOUT}. */
    static Mono<Void> end(Connection c, String what, Publisher<Void> action) {
        return control(c, what, action).timeout(END_TIMEOUT);
    }

    /** Returns the connection (to the pool) and forgets its lease; a failure to do so is logged only. */
    static Mono<Void> close(Connection c) {
        return Mono.defer(() -> {
            Lease.unregister(c);
            return Mono.from(c.close());
        }).onErrorResume(e -> {
            LOG.debug("closing a connection failed", e);
            return Mono.empty();
        });
    }

    static Mono<Void> closeAfterError(Connection c, Throwable error) {
        return Mono.defer(() -> {
            Lease.unregister(c);
            // a backend that is going away may still look open for a moment: never hand it out again
            return lost(error) ? discard(c).then(Mono.from(c.close())) : Mono.from(c.close());
        }).onErrorResume(e -> {
            error.addSuppressed(e);
            return Mono.empty();
        });
    }

    /** @return whether an error means the connection (its backend) is gone or going: class 08, 57P01..57P03 */
    static boolean lost(Throwable error) {
        if (error instanceof ConnectionException) {
            return true;
        }
        if (error instanceof StatementException s && s.sqlState() != null) {
            String state = Objects.requireNonNull(s.sqlState());
            return state.startsWith("08") || state.startsWith("57P");
        }
        return false;
    }

    /**
     * Closes the physical connection under a pooled one, so that the pool drops it when it is
     * released instead of handing it out again (a connection whose state is unknown).
     */
    static Mono<Void> discard(Connection c) {
        Connection physical = c;
        while (physical instanceof Wrapped<?> w && w.unwrap() instanceof Connection inner && inner != physical) {
            physical = inner;
        }
        if (physical == c) {
            return Mono.empty();
        }
        return Mono.from(physical.close()).onErrorResume(e -> Mono.empty());
    }

    /** A transaction-control exchange (BEGIN, COMMIT, ROLLBACK) that is never cancelled in the driver. */
    static Mono<Void> control(Connection c, String sql, Publisher<Void> action) {
        return new Settled<Void>(c, sql, Flux.from(action), null, false)
                .onErrorMap(R2dbcException.class, e -> translate(sql, e))
                .then();
    }

    /** Cleanup after a cancel (ROLLBACK): runs although the connection's work was cancelled. */
    static Mono<Void> cleanup(Connection c, String sql, Publisher<Void> action) {
        return new Settled<Void>(c, sql, Flux.from(action), null, true)
                .onErrorMap(R2dbcException.class, e -> translate(sql, e))
                .then();
    }

    /** @return a statement with its binds applied */
    static Statement prepare(Connection c, SqlStatement s) {
        Statement st = c.createStatement(s.sql());
        List<Bind> binds = s.binds();
        for (int i = 0; i < binds.size(); i++) {
            Bind b = binds.get(i);
            if (b.value() == null) {
                st.bindNull(i, b.type());
            } else {
                st.bind(i, b.value());
            }
        }
        return st;
    }

    /**
     * Streams a statement's rows through a callback that runs while the row is valid.
     *
     * @param mapper returns a value, or {@link #NONE} for "nothing yet"
     */
    static <T> Flux<T> rows(Connection c, SqlStatement s, Function<RowSource, Object> mapper) {
        return Observability.rows(s, mapper, counted -> Flux.<T>defer(() -> {
            RowAdapter adapter = new RowAdapter();
            Settled.Flag cancelled = new Settled.Flag();
            // rows drained after a cancel are not decoded
            return new Settled<T>(c, s.sql(), Flux.from(prepare(c, s).execute())
                    .concatMap(result -> result.map((row, meta) -> cancelled.raised ? NONE
                            : counted.apply(adapter.with(row))), 1), cancelled, false);
        }).onErrorMap(R2dbcException.class, e -> translate(s.sql(), e)));
    }

    /** @return the rows-updated count of a statement */
    static Mono<Long> update(Connection c, SqlStatement s) {
        return Observability.update(s, new Settled<Long>(c, s.sql(), Flux.defer(() -> Flux.from(prepare(c, s).execute()))
                .concatMap(Result::getRowsUpdated))
                .reduce(0L, Long::sum)
                .onErrorMap(R2dbcException.class, e -> translate(s.sql(), e)));
    }

    /**
     * A driver exchange whose cancellation never reaches the driver, without the {@link #NONE}
     * placeholders. r2dbc-postgresql 1.1.1 leaves a connection unable to complete any later exchange
     * (a COMMIT never completes) when an exchange is cancelled before its first row, and can do so for
     * a result of more than 256 rows cancelled midway. So a subscriber that cancels is detached at once,
     * and the exchange is still read to its end (ReadyForQuery), its remaining rows discarded. The
     * statement is registered with its connection's {@link Lease} from subscription to that end: a
     * unit of work that owns the connection and is cancelled asks the server to stop the statement
     * (so the end comes soon, as SQLSTATE 57014) and releases the connection only after it.
     */
    static final class Settled<T> extends FluxOperator<Object, T> {
        private final Connection connection;
        private final String sql;
        private final @Nullable Flag cancelled;

        /** Raised when the subscriber cancels, for a source that can skip work while it drains. */
        static final class Flag {
            volatile boolean raised;
        }

        private final boolean cleanup;

        Settled(Connection connection, String sql, Flux<?> source) {
            this(connection, sql, source, null, false);
        }

        @SuppressWarnings("unchecked")
        Settled(Connection connection, String sql, Flux<?> source, @Nullable Flag cancelled, boolean cleanup) {
            super((Flux<Object>) source);
            this.connection = connection;
            this.sql = sql;
            this.cancelled = cancelled;
            this.cleanup = cleanup;
        }

        @Override
        public void subscribe(CoreSubscriber<? super T> actual) {
            Lease lease = Lease.of(connection);
            if (lease != null && !lease.begin(cleanup)) {
                // the unit of work owning the connection was cancelled: nothing more is sent on it
                Operators.error(actual, new CancellationException("not run, its connection is being released after a"
                        + " cancel: " + sql));
                return;
            }
            // Not a detached subscription: this is the operator's own link in the subscriber's chain (a
            // FluxOperator subscribing its source with a subscriber that wraps `actual`). SettledSubscriber
            // hands the subscriber's Context upstream (currentContext), forwards every onNext/onError/
            // onComplete to `actual` while it listens, and after `actual` cancelled only drains the exchange
            // (a late error then has no listener: it is the answer to our own CancelRequest, logged at DEBUG,
            // and the Lease completes the unit of work's release). FaultIT and ServerCancelIT prove the
            // errors reach the subscriber (StatementException with SQLSTATE mid-stream and mid-transaction).
            source.subscribe(new SettledSubscriber<>(actual, lease, cancelled));
        }

        @Override
        @SuppressWarnings("rawtypes") // Reactor's signature
        public @Nullable Object scanUnsafe(Attr key) {
            if (key == Attr.RUN_STYLE) {
                return Attr.RunStyle.SYNC;
            }
            return super.scanUnsafe(key);
        }
    }

    private static final class SettledSubscriber<T> implements CoreSubscriber<Object>, Subscription, Scannable {
        @SuppressWarnings("rawtypes")
        private static final AtomicIntegerFieldUpdater<SettledSubscriber> CANCELLED =
                AtomicIntegerFieldUpdater.newUpdater(SettledSubscriber.class, "cancelled");

        private final CoreSubscriber<? super T> actual;
        private final @Nullable Lease lease;
        private final Settled.@Nullable Flag flag;
        private @Nullable Subscription upstream;
        private volatile int cancelled;
        private volatile boolean done;

        SettledSubscriber(CoreSubscriber<? super T> actual, @Nullable Lease lease, Settled.@Nullable Flag flag) {
            this.actual = actual;
            this.lease = lease;
            this.flag = flag;
        }

        @Override
        public Context currentContext() {
            return actual.currentContext();
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (Operators.validate(upstream, s)) {
                upstream = s;
                actual.onSubscribe(this);
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public void onNext(Object value) {
            if (done) {
                Operators.onNextDropped(value, actual.currentContext());
                return;
            }
            if (cancelled != 0) {
                Operators.onDiscard(value, actual.currentContext());
                return;
            }
            if (value == NONE) {
                Objects.requireNonNull(upstream).request(1);
                return;
            }
            actual.onNext((T) value);
        }

        @Override
        public void onError(Throwable error) {
            if (done) {
                Operators.onErrorDropped(error, actual.currentContext());
                return;
            }
            done = true;
            settle();
            if (cancelled != 0) {
                // the answer to our CancelRequest (57014), or the end of a connection we discarded
                LOG.debug("statement ended after its subscriber cancelled: {}", error.toString());
                return;
            }
            actual.onError(error);
        }

        @Override
        public void onComplete() {
            if (done) {
                return;
            }
            done = true;
            settle();
            if (cancelled == 0) {
                actual.onComplete();
            }
        }

        private void settle() {
            if (lease != null) {
                lease.end();
            }
        }

        @Override
        public void request(long n) {
            if (cancelled == 0 && Operators.validate(n)) {
                Objects.requireNonNull(upstream).request(n);
            }
        }

        @Override
        public void cancel() {
            if (CANCELLED.compareAndSet(this, 0, 1)) {
                if (flag != null) {
                    flag.raised = true;
                }
                // read to the end instead: the driver's exchange must complete for the connection to stay usable
                Objects.requireNonNull(upstream).request(Long.MAX_VALUE);
            }
        }

        @Override
        @SuppressWarnings("rawtypes") // Reactor's signature
        public @Nullable Object scanUnsafe(Attr key) {
            if (key == Attr.PARENT) {
                return upstream;
            }
            if (key == Attr.ACTUAL) {
                return actual;
            }
            if (key == Attr.CANCELLED) {
                return cancelled != 0;
            }
            if (key == Attr.TERMINATED) {
                return done;
            }
            if (key == Attr.RUN_STYLE) {
                return Attr.RunStyle.SYNC;
            }
            return null;
        }
    }

    /**
     * What runs on one connection that a unit of work owns: the statements in flight, and whether the
     * work was cancelled. {@link #abort} (the cancel path) sends PostgreSQL's CancelRequest for the
     * connection's backend while a statement is in flight, and completes only when every statement in
     * flight has ended and the CancelRequest has been handled by the server (its connection closed
     * after signalling the backend): released after that, the connection can never receive a cancel
     * meant for an earlier statement. A CancelRequest that arrives before the backend has read the
     * statement is ignored by PostgreSQL, so it is sent again while the statement runs on.
     */
    static final class Lease {
        /**
         * A statement that ends this soon after the cancel needs no CancelRequest (its result was
         * already on its way: what is left is read from the socket).
         */
        static final Duration GRACE = Duration.ofMillis(20);
        /** How long after the first CancelRequest the statement may still run before it is sent again (then doubled). */
        static final Duration RECANCEL_AFTER = Duration.ofMillis(250);
        /** How many CancelRequests at most. */
        static final int MAX_CANCELS = 6;
        /**
         * After this long the physical connection is closed instead of waiting for the statement's end
         * (the pool then drops it): PostgreSQL handles a cancel only once its pending write to the
         * socket completes, so a large result leaves up to the socket buffers' worth of rows to read.
         */
        static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);

        private static final Map<Connection, Lease> LEASES = new ConcurrentHashMap<>();

        private final Connection connection;
        private final Sinks.Empty<Void> idle = Sinks.empty();
        private int inFlight;
        private boolean aborted;

        private Lease(Connection connection) {
            this.connection = connection;
        }

        static void register(Connection c) {
            LEASES.put(c, new Lease(c));
        }

        static void unregister(Connection c) {
            LEASES.remove(c);
        }

        static @Nullable Lease of(Connection c) {
            return LEASES.get(c);
        }

        /** @return whether the unit of work owning the connection was cancelled */
        static boolean aborted(Connection c) {
            Lease lease = LEASES.get(c);
            if (lease == null) {
                return false;
            }
            synchronized (lease) {
                return lease.aborted;
            }
        }

        /** @return the cancel path for a connection: {@link #abort()} of its lease, if it has one */
        static Mono<Void> abort(Connection c) {
            return Mono.defer(() -> {
                Lease lease = LEASES.get(c);
                return lease == null ? Mono.empty() : lease.abort();
            });
        }

        /**
         * @param cleanup a ROLLBACK after the cancel, which runs once {@link #abort} completed
         * @return false when the connection's work was cancelled (the statement must not run)
         */
        synchronized boolean begin(boolean cleanup) {
            if (aborted && !cleanup) {
                return false;
            }
            inFlight++;
            return true;
        }

        void end() {
            boolean nowIdle;
            synchronized (this) {
                inFlight--;
                nowIdle = aborted && inFlight == 0;
            }
            if (nowIdle) {
                idle.tryEmitEmpty();
            }
        }

        /**
         * @return completes when no statement runs on the connection and no CancelRequest is pending;
         *     closes the physical connection when that cannot be known
         */
        Mono<Void> abort() {
            return Mono.defer(() -> {
                boolean busy;
                synchronized (this) {
                    aborted = true;
                    busy = inFlight > 0;
                }
                if (!busy) {
                    return Mono.empty();
                }
                PostgresqlConnection pg = postgres(connection);
                Mono<Void> ended = idle.asMono();
                if (pg == null) {
                    return ended.timeout(DRAIN_TIMEOUT, discard(connection));
                }
                // each attempt: a CancelRequest, answered (or refused), then a while (doubling) for the end
                int[] attempts = {0};
                Mono<Void> attempt = Mono.defer(() -> cancelRequest(pg)
                        .then(ended.timeout(RECANCEL_AFTER.multipliedBy(1L << Math.min(attempts[0]++, 5)))));
                return ended.timeout(GRACE)
                        .onErrorResume(TimeoutException.class, late -> attempt
                                .retryWhen(Retry.max(MAX_CANCELS - 1).filter(TimeoutException.class::isInstance)
                                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
                                .onErrorResume(TimeoutException.class, e -> ended))
                        .timeout(DRAIN_TIMEOUT)
                        .onErrorResume(e -> {
                            // a CancelRequest that may still arrive, or a statement that does not end:
                            // this connection must not serve anyone again
                            LOG.info("closing a connection whose cancelled statement did not end in time: " + e);
                            return discard(connection).then(ended.timeout(END_TIMEOUT).onErrorResume(x -> Mono.empty()));
                        });
            });
        }

        private static Mono<Void> cancelRequest(PostgresqlConnection pg) {
            return pg.cancelRequest().onErrorResume(e -> {
                // not delivered (no connection to the server): nothing can arrive later
                LOG.debug("CancelRequest failed", e);
                return Mono.empty();
            });
        }

        private static io.r2dbc.postgresql.api.@Nullable PostgresqlConnection postgres(Connection c) {
            Object current = c;
            for (int i = 0; i < 8; i++) {
                if (current instanceof PostgresqlConnection pg) {
                    return pg;
                }
                if (!(current instanceof Wrapped<?> w)) {
                    return null;
                }
                current = w.unwrap();
            }
            return null;
        }
    }

    /**
     * @return the driver's exception as a {@link StatementException} (SQLSTATE from the server), or,
     *     when the connection failed under the statement without the server saying why, as a
     *     {@link ConnectionException}
     */
    static RelataException translate(String sql, R2dbcException e) {
        if (e.getSqlState() == null
                && (e instanceof R2dbcNonTransientResourceException || e instanceof R2dbcTransientResourceException)) {
            return new ConnectionException("connection lost", null, sql, e);
        }
        return new StatementException(sql, e.getSqlState(), e);
    }

    /** @return {@link #translate(String, R2dbcException)} of a planned statement */
    static RelataException translate(SqlStatement s, R2dbcException e) {
        return translate(s.sql(), e);
    }

    /** One reusable view of the current row: no allocation per row. */
    private static final class RowAdapter implements RowSource {
        private @Nullable Row row;

        RowAdapter with(Row row) {
            this.row = row;
            return this;
        }

        @Override
        public <V> @Nullable V get(int index, Class<V> type) {
            return Objects.requireNonNull(row).get(index, type);
        }
    }
}
