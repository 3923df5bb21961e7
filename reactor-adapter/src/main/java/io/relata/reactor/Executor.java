package io.relata.reactor;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.Statement;
import io.relata.StatementException;
import io.relata.sql.Bind;
import io.relata.sql.RowSource;
import io.relata.sql.SqlStatement;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * Runs statements on connections. Where connections come from and how transactions begin and end is the
 * {@link TransactionSupport} of the database (Relata's own, or Spring's); errors leave through the
 * database's {@link ErrorTranslator}; every statement is logged and observed by {@link Observability}.
 */
final class Executor {
    /** Returned by row callbacks that produced nothing; filtered out (Reactor forbids null). */
    static final Object NONE = new Object();

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

    /** Runs work on the transaction's connection, or on a fresh connection released afterwards. */
    <T> Flux<T> withConnection(Function<Connection, Publisher<T>> work) {
        return around(transactions.withConnection(work));
    }

    /**
     * Runs work in a transaction: joins the surrounding one, else begins one, commits on complete and
     * rolls back on error and on cancel.
     */
    <T> Flux<T> inTransaction(Function<Connection, Publisher<T>> work) {
        return inTransaction(Transaction.Propagation.REQUIRED, work);
    }

    /** {@link #inTransaction(Function)} with a propagation (NESTED: a savepoint inside a transaction). */
    <T> Flux<T> inTransaction(Transaction.Propagation propagation, Function<Connection, Publisher<T>> work) {
        return around(transactions.inTransaction(propagation, work));
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
        return Observability.rows(s, mapper, counted -> {
            RowAdapter adapter = new RowAdapter();
            return new Drained<T>(Flux.defer(() -> Flux.from(prepare(c, s).execute()))
                    .concatMap(result -> result.map((row, meta) -> counted.apply(adapter.with(row))), 1))
                    .onErrorMap(R2dbcException.class, e -> translate(s, e));
        });
    }

    /** @return the rows-updated count of a statement */
    static Mono<Long> update(Connection c, SqlStatement s) {
        return Observability.update(s, new Drained<Long>(Flux.defer(() -> Flux.from(prepare(c, s).execute()))
                .concatMap(Result::getRowsUpdated))
                .reduce(0L, Long::sum)
                .onErrorMap(R2dbcException.class, e -> translate(s, e)));
    }

    /**
     * A statement's signals without the {@link #NONE} placeholders, and with a cancellation that never
     * reaches the driver. Once a statement is sent its response is read to the end: a subscriber that
     * cancels is detached at once (and the connection released), and the remaining rows are consumed
     * and dropped. r2dbc-postgresql 1.1.1 leaves a connection unable to complete any later exchange
     * (a COMMIT never completes) when an exchange is cancelled before its first row, and can do so for
     * a result of more than 256 rows cancelled midway; the next user of the connection queues behind
     * the drain instead.
     */
    static final class Drained<T> extends Flux<T> {
        private final Publisher<?> source;

        Drained(Publisher<?> source) {
            this.source = source;
        }

        @Override
        public void subscribe(reactor.core.CoreSubscriber<? super T> actual) {
            source.subscribe(new Inner<>(actual));
        }

        private static final class Inner<T> implements reactor.core.CoreSubscriber<Object>,
                org.reactivestreams.Subscription {
            private final reactor.core.CoreSubscriber<? super T> actual;
            private org.reactivestreams.@Nullable Subscription upstream;
            private volatile boolean dropping;

            Inner(reactor.core.CoreSubscriber<? super T> actual) {
                this.actual = actual;
            }

            @Override
            public reactor.util.context.Context currentContext() {
                return actual.currentContext();
            }

            @Override
            public void onSubscribe(org.reactivestreams.Subscription s) {
                upstream = s;
                actual.onSubscribe(this);
            }

            @Override
            @SuppressWarnings("unchecked")
            public void onNext(Object value) {
                if (dropping) {
                    return;
                }
                if (value == NONE) {
                    java.util.Objects.requireNonNull(upstream).request(1);
                    return;
                }
                actual.onNext((T) value);
            }

            @Override
            public void onError(Throwable error) {
                if (!dropping) {
                    actual.onError(error);
                }
            }

            @Override
            public void onComplete() {
                if (!dropping) {
                    actual.onComplete();
                }
            }

            @Override
            public void request(long n) {
                if (!dropping) {
                    java.util.Objects.requireNonNull(upstream).request(n);
                }
            }

            @Override
            public void cancel() {
                dropping = true;
                java.util.Objects.requireNonNull(upstream).request(Long.MAX_VALUE);
            }
        }
    }

    static StatementException translate(SqlStatement s, R2dbcException e) {
        return new StatementException(s.sql(), e.getSqlState(), e);
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
            return java.util.Objects.requireNonNull(row).get(index, type);
        }
    }
}
