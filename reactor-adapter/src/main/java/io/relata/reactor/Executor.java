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
 * Runs statements on connections: the one of the surrounding transaction (from the Reactor
 * Context) or a fresh one from the factory, always released on complete, error and cancel.
 */
final class Executor {
    /** Returned by row callbacks that produced nothing; filtered out (Reactor forbids null). */
    static final Object NONE = new Object();

    private final ConnectionFactory factory;
    private final Object contextKey;

    Executor(ConnectionFactory factory, Object contextKey) {
        this.factory = factory;
        this.contextKey = contextKey;
    }

    ConnectionFactory factory() {
        return factory;
    }

    /** @return the connection of the surrounding {@code transaction(...)} of this database, if any */
    @Nullable Connection current(ContextView context) {
        return context.<Connection>getOrEmpty(contextKey).orElse(null);
    }

    Object contextKey() {
        return contextKey;
    }

    /** Runs work on the transaction's connection, or on a fresh connection closed afterwards. */
    <T> Flux<T> withConnection(Function<Connection, Publisher<T>> work) {
        return Flux.deferContextual(ctx -> {
            Connection tx = current(ctx);
            if (tx != null) {
                return Flux.from(work.apply(tx));
            }
            return Flux.usingWhen(factory.create(), work, Connection::close, (c, e) -> c.close(), Connection::close);
        });
    }

    /**
     * Runs work in a transaction: joins the surrounding one, else begins one on a fresh connection,
     * commits on complete and rolls back on error and on cancel.
     */
    <T> Flux<T> inTransaction(Function<Connection, Publisher<T>> work) {
        return Flux.deferContextual(ctx -> {
            Connection tx = current(ctx);
            if (tx != null) {
                return Flux.from(work.apply(tx));
            }
            return Flux.usingWhen(
                    Mono.from(factory.create()).flatMap(c -> Mono.from(c.beginTransaction()).thenReturn(c)
                            .onErrorResume(e -> Mono.from(c.close()).then(Mono.error(e)))),
                    c -> Flux.from(work.apply(c)).contextWrite(context -> context.put(contextKey, c)),
                    c -> release(c, c.commitTransaction()),
                    (c, e) -> release(c, c.rollbackTransaction()),
                    c -> release(c, c.rollbackTransaction()));
        });
    }

    /** Bounds COMMIT/ROLLBACK so that a connection the driver can no longer complete is still released. */
    static final java.time.Duration END_TIMEOUT = java.time.Duration.ofSeconds(10);

    private static Mono<Void> release(Connection c, Publisher<Void> action) {
        Mono<Void> close = Mono.from(c.close());
        return Mono.from(action).timeout(END_TIMEOUT).onErrorResume(e -> close.then(Mono.error(e))).then(close);
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
    @SuppressWarnings("unchecked")
    static <T> Flux<T> rows(Connection c, SqlStatement s, Function<RowSource, Object> mapper) {
        RowAdapter adapter = new RowAdapter();
        return drainOnCancel(Flux.defer(() -> Flux.from(prepare(c, s).execute()))
                .concatMap(result -> result.map((row, meta) -> mapper.apply(adapter.with(row))), 1))
                .filter(v -> v != NONE)
                .map(v -> (T) v)
                .onErrorMap(R2dbcException.class, e -> translate(s, e));
    }

    /** @return the rows-updated count of a statement */
    static Mono<Long> update(Connection c, SqlStatement s) {
        return drainOnCancel(Flux.defer(() -> Flux.from(prepare(c, s).execute()))
                .concatMap(Result::getRowsUpdated))
                .reduce(0L, Long::sum)
                .onErrorMap(R2dbcException.class, e -> translate(s, e));
    }

    /**
     * Once a statement is sent, its response is always read to the end. A subscriber that cancels is
     * detached at once (and the connection released), but the statement's remaining rows are consumed
     * and dropped instead of cancelling the driver's exchange: r2dbc-postgresql 1.1.1 leaves a
     * connection unable to complete any later exchange when an exchange is cancelled before its first
     * row (a later COMMIT never completes). The next user of the connection queues behind the drain.
     */
    static <T> Flux<T> drainOnCancel(Flux<T> source) {
        return Flux.create(sink -> {
            Draining<T> draining = new Draining<>(sink);
            source.subscribe(draining);
            sink.onCancel(draining::drain);
            sink.onRequest(draining::demand);
        });
    }

    /** Forwards demand and signals until the downstream cancels, then requests everything and drops it. */
    private static final class Draining<T> extends reactor.core.publisher.BaseSubscriber<T> {
        private final reactor.core.publisher.FluxSink<T> sink;
        private volatile boolean dropping;
        private boolean subscribed;
        private long pending;

        Draining(reactor.core.publisher.FluxSink<T> sink) {
            this.sink = sink;
        }

        @Override
        protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
            long early;
            synchronized (this) {
                subscribed = true;
                early = pending;
            }
            if (early > 0) {
                request(early);
            }
        }

        /** Demand of the downstream; kept until the upstream has subscribed. */
        void demand(long n) {
            synchronized (this) {
                if (!subscribed) {
                    pending = reactor.core.publisher.Operators.addCap(pending, n);
                    return;
                }
            }
            request(n);
        }

        void drain() {
            dropping = true;
            synchronized (this) {
                if (!subscribed) {
                    pending = Long.MAX_VALUE;
                    return;
                }
            }
            requestUnbounded();
        }

        @Override
        protected void hookOnNext(T value) {
            if (!dropping) {
                sink.next(value);
            }
        }

        @Override
        protected void hookOnComplete() {
            if (!dropping) {
                sink.complete();
            }
        }

        @Override
        protected void hookOnError(Throwable error) {
            if (!dropping) {
                sink.error(error);
            }
        }
    }

    static StatementException translate(SqlStatement s, R2dbcException e) {
        return new StatementException(s.sql(), e.getSqlState(), e);
    }

    static StatementException translate(String sql, R2dbcException e) {
        return new StatementException(sql, e.getSqlState(), e);
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
