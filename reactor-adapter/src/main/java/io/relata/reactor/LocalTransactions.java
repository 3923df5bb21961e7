package io.relata.reactor;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
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
        return context.<Connection>getOrEmpty(contextKey).orElse(null);
    }

    @Override
    public <T> Flux<T> withConnection(Function<Connection, Publisher<T>> work) {
        return Flux.deferContextual(ctx -> {
            Connection tx = current(ctx);
            if (tx != null) {
                return Flux.from(work.apply(tx));
            }
            warnIfInsideSpringTransaction(ctx);
            return Flux.usingWhen(factory.create(), work, Connection::close, (c, e) -> c.close(), Connection::close);
        });
    }

    @Override
    public <T> Flux<T> inTransaction(Transaction.Propagation propagation, Function<Connection, Publisher<T>> work) {
        return Flux.deferContextual(ctx -> {
            Connection tx = current(ctx);
            if (tx != null) {
                return propagation == Transaction.Propagation.NESTED ? savepoint(tx, work) : Flux.from(work.apply(tx));
            }
            warnIfInsideSpringTransaction(ctx);
            return Flux.usingWhen(
                    Mono.from(factory.create()).flatMap(c -> Mono.from(c.beginTransaction()).thenReturn(c)
                            .onErrorResume(e -> Mono.from(c.close()).then(Mono.error(e)))),
                    c -> Flux.from(work.apply(c)).contextWrite(context -> context.put(contextKey, c)),
                    c -> end(c, c.commitTransaction()),
                    (c, e) -> end(c, c.rollbackTransaction()),
                    c -> end(c, c.rollbackTransaction()));
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

    /** A nested scope with its own rollback inside the transaction of {@code c}; the transaction goes on. */
    private static <T> Flux<T> savepoint(Connection c, Function<Connection, Publisher<T>> work) {
        return Flux.defer(() -> {
            String name = "relata_savepoint_" + SAVEPOINTS.incrementAndGet();
            return Flux.usingWhen(
                    Mono.from(c.createSavepoint(name)).thenReturn(c),
                    work,
                    conn -> conn.releaseSavepoint(name),
                    (conn, e) -> conn.rollbackTransactionToSavepoint(name),
                    conn -> conn.rollbackTransactionToSavepoint(name));
        });
    }

    private static Mono<Void> end(Connection c, Publisher<Void> action) {
        Mono<Void> close = Mono.from(c.close());
        return Mono.from(action).timeout(END_TIMEOUT).onErrorResume(e -> close.then(Mono.error(e))).then(close);
    }
}
