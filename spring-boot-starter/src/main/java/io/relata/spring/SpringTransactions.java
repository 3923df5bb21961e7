package io.relata.spring;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.relata.TransactionOptions;
import io.relata.reactor.Transaction;
import io.relata.reactor.TransactionSupport;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.springframework.r2dbc.connection.ConnectionFactoryUtils;
import org.springframework.r2dbc.connection.ConnectionHolder;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.reactive.TransactionContext;
import org.springframework.transaction.reactive.TransactionSynchronizationManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * Relata's transactions as Spring's: the {@link TransactionSupport} of a {@code Database} in a Spring
 * application (the starter's auto-configuration uses it; wire it by hand with
 * {@code Database.builder(SpringTransactions.of(connectionFactory, transactionManager), schema)}, or
 * {@link RelataSpring#builder}).
 *
 * <ul>
 *   <li>Every statement runs on the connection Spring binds to the current reactive transaction
 *       ({@code @Transactional}, {@code TransactionalOperator}), obtained with
 *       {@link ConnectionFactoryUtils#getConnection} and handed back with
 *       {@link ConnectionFactoryUtils#releaseConnection}: the same connection (and {@code pg_backend_pid()})
 *       as {@code DatabaseClient} there, in any order of calls. Outside a transaction a connection is taken
 *       from the factory and closed after the operation.</li>
 *   <li>{@code db.transaction(...)} and Relata's multi-statement operations run through a
 *       {@link TransactionalOperator} on the {@link ReactiveTransactionManager}: inside a Spring transaction
 *       they join it (PROPAGATION_REQUIRED; never a COMMIT of their own, an error marks it rollback-only);
 *       outside one they begin one that {@code DatabaseClient} calls inside join.
 *       {@link TransactionOptions.Propagation#NESTED} is PROPAGATION_NESTED: a SAVEPOINT inside a transaction.
 *       {@code db.transaction(TransactionOptions, ...)} begins Spring transactions with the options'
 *       isolation level and read-only flag.</li>
 * </ul>
 *
 * <p>The transaction manager must manage the same connection factory (e.g. Boot's
 * {@code R2dbcTransactionManager} on Boot's {@code ConnectionFactory}). Thread-safe.
 */
public final class SpringTransactions implements TransactionSupport {
    private final ConnectionFactory factory;
    private final ReactiveTransactionManager manager;
    private final TransactionalOperator required;
    private final TransactionalOperator nested;

    private SpringTransactions(ConnectionFactory factory, ReactiveTransactionManager manager) {
        this.factory = factory;
        this.manager = manager;
        this.required = TransactionalOperator.create(manager,
                new DefaultTransactionDefinition(TransactionDefinition.PROPAGATION_REQUIRED));
        this.nested = TransactionalOperator.create(manager,
                new DefaultTransactionDefinition(TransactionDefinition.PROPAGATION_NESTED));
    }

    /**
     * @param factory the connection factory the transaction manager manages (Boot's {@code ConnectionFactory})
     * @param manager the reactive transaction manager (Boot's {@code R2dbcTransactionManager})
     * @return the transaction support
     */
    public static SpringTransactions of(ConnectionFactory factory, ReactiveTransactionManager manager) {
        return new SpringTransactions(Objects.requireNonNull(factory, "factory"), Objects.requireNonNull(manager, "manager"));
    }

    /** @return the transaction manager Relata's transactions run through */
    public ReactiveTransactionManager transactionManager() {
        return manager;
    }

    @Override
    public ConnectionFactory connectionFactory() {
        return factory;
    }

    /**
     * @param context a subscriber's Reactor Context
     * @return the connection Spring has bound to the context's transaction for this factory, or null
     */
    @Override
    public @Nullable Connection current(ContextView context) {
        return bound(context);
    }

    private @Nullable Connection bound(ContextView context) {
        TransactionContext transaction = context.getOrDefault(TransactionContext.class, null);
        if (transaction == null) {
            return null;
        }
        Object resource = new TransactionSynchronizationManager(transaction).getResource(factory);
        if (resource instanceof ConnectionHolder holder) {
            try {
                return holder.getConnection();
            } catch (IllegalStateException noConnection) {
                return null;
            }
        }
        return null;
    }

    @Override
    public <T> Flux<T> withConnection(Function<Connection, Publisher<T>> work) {
        Objects.requireNonNull(work, "work");
        return Flux.usingWhen(ConnectionFactoryUtils.getConnection(factory), work, this::release,
                (c, e) -> release(c), this::release);
    }

    /**
     * Closes a connection unless it is the one Spring holds for the current transaction (which Spring closes
     * when the transaction ends). Like {@code DatabaseClient}, and unlike
     * {@code ConnectionFactoryUtils.releaseConnection}, it leaves the holder's reference count alone: a
     * transaction manager's holder starts at zero, and releasing it would empty it before the COMMIT.
     */
    private Mono<Void> release(Connection connection) {
        return Mono.deferContextual(ctx -> bound(ctx) == connection ? Mono.empty() : Mono.from(connection.close()));
    }

    @Override
    public <T> Flux<T> inTransaction(TransactionOptions.Propagation propagation, Function<Connection, Publisher<T>> work) {
        Objects.requireNonNull(work, "work");
        TransactionalOperator operator = propagation == TransactionOptions.Propagation.NESTED ? nested : required;
        return operator.execute(status -> withConnection(work));
    }

    /**
     * Runs work in a Spring transaction defined by the options: their propagation, and for a transaction
     * begun here their isolation level and read-only flag (Spring's {@link TransactionDefinition}; the
     * {@code R2dbcTransactionManager} applies them when it begins the transaction). Joining a surrounding
     * Spring transaction keeps that transaction's settings, as Spring does. The statement timeout and the
     * retry are applied by Relata, on top.
     *
     * @param options the propagation, isolation and read-only flag
     * @param work the statements to run on the transaction's connection; called once per subscription
     * @param <T> what the work emits
     * @return what the work emits; after it completes the transaction (if begun here) has committed
     * @throws NullPointerException if an argument is null
     */
    @Override
    public <T> Flux<T> inTransaction(TransactionOptions options, Function<Connection, Publisher<T>> work) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(work, "work");
        if (options.isolation() == null && !options.readOnly()) {
            return inTransaction(options.propagation(), work);
        }
        DefaultTransactionDefinition definition = new DefaultTransactionDefinition(
                options.propagation() == TransactionOptions.Propagation.NESTED
                        ? TransactionDefinition.PROPAGATION_NESTED : TransactionDefinition.PROPAGATION_REQUIRED);
        TransactionOptions.Isolation isolation = options.isolation();
        if (isolation != null) {
            definition.setIsolationLevel(switch (isolation) {
                case READ_UNCOMMITTED -> TransactionDefinition.ISOLATION_READ_UNCOMMITTED;
                case READ_COMMITTED -> TransactionDefinition.ISOLATION_READ_COMMITTED;
                case REPEATABLE_READ -> TransactionDefinition.ISOLATION_REPEATABLE_READ;
                case SERIALIZABLE -> TransactionDefinition.ISOLATION_SERIALIZABLE;
            });
        }
        definition.setReadOnly(options.readOnly());
        return TransactionalOperator.create(manager, definition).execute(status -> withConnection(work));
    }
}
