package io.relata.reactor;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.TransactionDefinition;
import io.relata.ConnectionException;
import io.relata.RelataException;
import io.relata.TransactionOptions;
import io.relata.plan.Statements;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * {@link TransactionSupport#local}: the transaction's connection is carried in the Reactor Context under a
 * key of this instance; commit on complete, rollback on error and on cancel, always released.
 */
final class LocalTransactions implements TransactionSupport {
    /** Bounds COMMIT/ROLLBACK so that a connection the driver can no longer complete is still released. */
    static final Duration END_TIMEOUT = Duration.ofSeconds(10);
    private static final AtomicLong SAVEPOINTS = new AtomicLong();

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    /** Spring's reactive transaction context class, when Spring is on the class path (never referenced by type). */
    private static final @Nullable Class<?> SPRING_TRANSACTION = springTransactionContext();

    private final ConnectionFactory factory;
    private final Object contextKey = new Object();
    private final AtomicBoolean warned = new AtomicBoolean();

    LocalTransactions(ConnectionFactory factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    @Override
    public ConnectionFactory connectionFactory() {
        return factory;
    }

    @Override
    public @Nullable Connection current(ContextView context) {
        return Objects.requireNonNull(context, "context").<Connection>getOrEmpty(contextKey).orElse(null);
    }

    @Override
    public <T> Flux<T> withConnection(Function<Connection, Publisher<T>> work) {
        Objects.requireNonNull(work, "work");
        return Flux.deferContextual(ctx -> {
            Connection tx = current(ctx);
            if (tx != null) {
                return Flux.from(work.apply(tx));
            }
            warnIfInsideSpringTransaction(ctx);
            return Flux.usingWhen(acquire(), work, Executor::close, Executor::closeAfterError,
                    c -> Executor.Lease.abort(c).then(Executor.close(c)));
        });
    }

    @Override
    public <T> Flux<T> inTransaction(TransactionOptions.Propagation propagation, Function<Connection, Publisher<T>> work) {
        Objects.requireNonNull(propagation, "propagation");
        Objects.requireNonNull(work, "work");
        return inTransaction(TransactionOptions.defaults().propagation(propagation), work);
    }

    /**
     * Joins the surrounding transaction (or opens a savepoint in it), else begins one with the options'
     * isolation and read-only flag on a fresh connection: COMMIT on complete (inside the work's stream, so
     * that a failed COMMIT reaches the subscriber as itself), ROLLBACK on error (a failing ROLLBACK is
     * attached to the error as suppressed) and on cancel (after the server has stopped the statement in
     * flight, see {@link Executor.Lease#abort}).
     */
    @Override
    public <T> Flux<T> inTransaction(TransactionOptions options, Function<Connection, Publisher<T>> work) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(work, "work");
        return Flux.deferContextual(ctx -> {
            Connection tx = current(ctx);
            if (tx != null) {
                return options.propagation() == TransactionOptions.Propagation.NESTED
                        ? savepoint(tx, work) : Flux.from(work.apply(tx));
            }
            warnIfInsideSpringTransaction(ctx);
            return Flux.usingWhen(acquire(),
                    c -> begin(c, options)
                            .thenMany(Flux.from(work.apply(c)).contextWrite(context -> context.put(contextKey, c)))
                            .concatWith(Executor.control(c, "COMMIT", c.commitTransaction()).then(Mono.empty())),
                    Executor::close,
                    Executor::rollbackAfterError,
                    c -> Executor.Lease.abort(c).then(Executor.cleanup(c, "ROLLBACK", c.rollbackTransaction())
                                    .timeout(Executor.END_TIMEOUT)
                                    .onErrorResume(e -> {
                                        LOG.debug("ROLLBACK after cancel failed", e);
                                        return Executor.discard(c);
                                    }))
                            .then(Executor.close(c)));
        });
    }

    /**
     * Relata's own transactions cannot join Spring's: say so once (at WARN, logger {@code io.relata.reactor.Database})
     * instead of running outside the Spring transaction silently.
     */
    private void warnIfInsideSpringTransaction(ContextView ctx) {
        if (SPRING_TRANSACTION != null && !warned.get() && ctx.hasKey(SPRING_TRANSACTION)
                && warned.compareAndSet(false, true)) {
            LOG.warn("A Relata operation ran inside a Spring transaction on a Database with Relata's own transactions:"
                    + " it does not join it (another connection, its own commit). Create the Database with the Spring"
                    + " integration: relata-spring-boot-starter, or RelataSpring.builder(connectionFactory,"
                    + " transactionManager, schema). Logged once per Database.");
        }
    }

    private static @Nullable Class<?> springTransactionContext() {
        try {
            return Class.forName("org.springframework.transaction.reactive.TransactionContext", false,
                    LocalTransactions.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    /** A nested scope: a savepoint, released on complete, rolled back to on error and cancel. */
    private static <T> Flux<T> savepoint(Connection tx, Function<Connection, Publisher<T>> work) {
        return Flux.defer(() -> {
        String name = "relata_savepoint_" + SAVEPOINTS.incrementAndGet();
        Mono<Connection> open = Executor.update(tx, Statements.savepoint(name)).thenReturn(tx);
        return Flux.usingWhen(open,
                c -> Flux.from(work.apply(c)).concatWith(Executor.update(c, Statements.releaseSavepoint(name)).then(Mono.empty())),
                c -> Mono.empty(),
                (c, e) -> Executor.update(c, Statements.rollbackToSavepoint(name)).then().onErrorResume(re -> {
                    e.addSuppressed(re);
                    return Mono.empty();
                }),
                c -> Mono.defer(() -> Executor.Lease.aborted(c) ? Mono.empty()
                        : Executor.update(c, Statements.rollbackToSavepoint(name)).then().onErrorResume(re -> {
                            LOG.debug("ROLLBACK TO SAVEPOINT after cancel failed", re);
                            return Mono.empty();
                        })));
        });
    }

    /** A pooled (or fresh) connection, registered for cancellation; failures as {@link ConnectionException}. */
    private Mono<Connection> acquire() {
        return Mono.<Connection>from(factory.create())
                .onErrorMap(e -> !(e instanceof RelataException), e -> new ConnectionException(
                        "could not acquire a connection", e instanceof R2dbcException r ? r.getSqlState() : null, null, e))
                .doOnNext(Executor.Lease::register);
    }

    private Mono<Void> begin(Connection c, TransactionOptions options) {
        Publisher<Void> begin;
        if (options.isolation() == null && !options.readOnly()) {
            begin = c.beginTransaction();
        } else {
            begin = c.beginTransaction(new Definition(options));
        }
        Mono<Void> started = Executor.control(c, "BEGIN", begin);
        // the statement timeout is set by Executor, for every TransactionSupport
        return started;
    }

    /** Isolation and read-only as R2DBC's transaction definition (the driver writes the BEGIN). */
    private record Definition(TransactionOptions options) implements TransactionDefinition {
        @Override
        @SuppressWarnings("unchecked")
        public <T> @Nullable T getAttribute(io.r2dbc.spi.Option<T> option) {
            if (option.equals(TransactionDefinition.ISOLATION_LEVEL) && options.isolation() != null) {
                return (T) switch (Objects.requireNonNull(options.isolation())) {
                    case READ_UNCOMMITTED -> IsolationLevel.READ_UNCOMMITTED;
                    case READ_COMMITTED -> IsolationLevel.READ_COMMITTED;
                    case REPEATABLE_READ -> IsolationLevel.REPEATABLE_READ;
                    case SERIALIZABLE -> IsolationLevel.SERIALIZABLE;
                };
            }
            if (option.equals(TransactionDefinition.READ_ONLY) && options.readOnly()) {
                return (T) (Object) true;
            }
            return null;
        }
    }

}
