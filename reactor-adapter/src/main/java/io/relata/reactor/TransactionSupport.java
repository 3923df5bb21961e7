package io.relata.reactor;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.relata.QueryDefinitionException;
import io.relata.TransactionOptions;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.util.context.ContextView;

/**
 * Where a {@link Database} gets its connections and how it demarcates transactions: the one seam between
 * Relata's operations and a transaction manager. Every statement Relata runs goes through
 * {@link #withConnection} (one statement, or several that need no atomicity) or {@link #inTransaction}
 * (several statements that must commit or fail together).
 *
 * <p>The rule every implementation keeps: <b>join the surrounding transaction; never commit or roll back
 * a transaction it did not begin</b>. Only a scope that begins a transaction ends it; a nested scope that
 * needs its own rollback ({@link TransactionOptions.Propagation#NESTED}) uses a SAVEPOINT.
 *
 * <p>The default ({@link #local(ConnectionFactory)}, what {@link Database#connect} and
 * {@link Database#create} use) carries the transaction's connection in the Reactor Context. The Spring
 * integration ({@code io.relata.spring.SpringTransactions} in {@code relata-spring-boot-starter}) makes
 * Relata's transactions Spring's: it joins {@code @Transactional} / {@code TransactionalOperator} and
 * begins its own through the {@code ReactiveTransactionManager}. Implementations are thread-safe and
 * their publishers are cold.
 */
public interface TransactionSupport {

    /** @return the factory connections come from (for {@link Database#connectionFactory()}) */
    ConnectionFactory connectionFactory();

    /**
     * The connection of the transaction surrounding a subscriber, when it is known without I/O. Used to
     * group work per transaction (lazy loads of one transaction batch together and run on its connection).
     *
     * @param context the subscriber's Reactor Context
     * @return the transaction's connection, or null outside a transaction
     * @throws NullPointerException when {@code context} is null
     */
    @Nullable Connection current(ContextView context);

    /**
     * Runs work on the surrounding transaction's connection, or on a connection acquired for it and
     * released when the work completes, errors or is cancelled. Never begins or ends a transaction.
     *
     * Implementations follow the {@linkplain io.relata.reactor reactive contract}.
     *
     * @param work the statements to run; called once per subscription
     * @param <T> what the work emits
     * @return what the work emits; completes when the work does (the connection then released, if acquired
     *     here); errors with the work's errors or the acquisition failure (a {@link io.relata.ConnectionException}
     *     once translated by the database); cancelling cancels the work and releases an acquired connection
     *     after its statement has ended
     * @throws NullPointerException when {@code work} is null
     */
    <T> Flux<T> withConnection(Function<Connection, Publisher<T>> work);

    /**
     * Runs work in a transaction. {@link TransactionOptions.Propagation#REQUIRED}: joins the surrounding
     * transaction (neither committing nor rolling it back; an error is passed on to whoever began it), else
     * begins one that is committed when the work completes and rolled back when it errors or is cancelled.
     * {@link TransactionOptions.Propagation#NESTED}: like REQUIRED outside a transaction; inside one, a SAVEPOINT
     * that is rolled back to when the work errors or is cancelled and released when it completes.
     *
     * Implementations follow the {@linkplain io.relata.reactor reactive contract}; a transaction begun here is rolled back on cancel.
     *
     * @param propagation how to relate to a surrounding transaction
     * @param work the statements to run on the transaction's connection; called once per subscription
     * @param <T> what the work emits
     * @return what the work emits; after it completes the transaction (if begun here) has committed; errors with
     *     the work's error after the rollback, or a failed COMMIT
     * @throws NullPointerException when {@code propagation} or {@code work} is null
     */
    <T> Flux<T> inTransaction(TransactionOptions.Propagation propagation, Function<Connection, Publisher<T>> work);

    /**
     * {@link #inTransaction(TransactionOptions.Propagation, Function)} with the options' propagation, beginning a
     * transaction with their isolation level and read-only flag. The statement timeout and retry are
     * applied by the caller, on top. This default joins as the propagation says and rejects an isolation
     * level or read-only flag for a transaction it would begin, with a {@link QueryDefinitionException};
     * implementations that can begin such transactions override it.
     *
     * @param options the propagation, isolation and read-only flag
     * @param work the statements to run on the transaction's connection; called once per subscription
     * @param <T> what the work emits
     * @return what the work emits; after it completes the transaction (if begun here) has committed; signals a
     *     {@link QueryDefinitionException} (this default) for options it cannot honour
     * @throws NullPointerException when {@code options} or {@code work} is null
     * @see io.relata.reactor the reactive contract
     */
    default <T> Flux<T> inTransaction(TransactionOptions options, Function<Connection, Publisher<T>> work) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(work, "work");
        TransactionOptions.Propagation propagation = options.propagation();
        return Flux.deferContextual(ctx -> {
            if (current(ctx) == null && (options.isolation() != null || options.readOnly())) {
                return Flux.error(new QueryDefinitionException(getClass().getName() + " does not begin"
                        + " transactions with an isolation level or read-only flag (asked: " + options + ")"));
            }
            return inTransaction(propagation, work);
        });
    }

    /**
     * Relata's own transactions: the connection of {@code transaction(...)} travels in the Reactor Context
     * under a key private to this instance; outside one, each operation takes a connection from the factory
     * and closes it afterwards.
     *
     * @param factory a pool (recommended) or a plain factory
     * @return the transaction support
     * @throws NullPointerException when {@code factory} is null
     */
    static TransactionSupport local(ConnectionFactory factory) {
        return new LocalTransactions(Objects.requireNonNull(factory, "factory"));
    }
}
