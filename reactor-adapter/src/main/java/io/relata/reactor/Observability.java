package io.relata.reactor;

import io.relata.StatementException;
import io.relata.sql.Bind;
import io.relata.sql.RowSource;
import io.relata.sql.SqlStatement;
import java.lang.reflect.Array;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * The one place statements are logged and observed. Logger {@value #LOGGER} at DEBUG, one line per
 * statement when it ends:
 *
 * <pre>
 * SELECT "User"."id", ... WHERE "User"."id" = ANY($1) | binds [[1, 2, 3]] | 3 rows | 0.84 ms
 * INSERT INTO "Users" ("name") VALUES ($1) RETURNING ... | binds ['Ann'] | failed after 1.10 ms: SQLSTATE 23505
 * SELECT ... | binds [] | cancelled after 2 rows | 3.02 ms
 * </pre>
 *
 * <p>Binds are rendered readably: strings quoted and cut after {@value #MAX_TEXT} characters, arrays and
 * collections as lists of at most {@value #MAX_ELEMENTS} elements, {@code byte[]} as its length. Nothing is
 * logged above DEBUG. The {@link StatementObserver} of the database (set through the Reactor Context by
 * {@link Executor}) is told about the same statements.
 */
final class Observability {
    /** The SQL logger's name. */
    static final String LOGGER = "io.relata.sql";
    static final int MAX_TEXT = 80;
    static final int MAX_ELEMENTS = 20;
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
    private static final Object OBSERVER = new Object();

    private Observability() {
    }

    /** @return a context function making {@code observer} see the statements run inside */
    static Function<Context, Context> with(StatementObserver observer) {
        return context -> context.put(OBSERVER, observer);
    }

    /**
     * Observes a query: {@code body} builds its execution from a row callback, which is {@code mapper}
     * itself when nobody watches, or {@code mapper} counting rows.
     */
    static <T> Flux<T> rows(SqlStatement s, Function<RowSource, Object> mapper,
            Function<Function<RowSource, Object>, Flux<T>> body) {
        return Flux.deferContextual(ctx -> {
            StatementObserver observer = ctx.getOrDefault(OBSERVER, null);
            boolean log = LOG.isDebugEnabled();
            if (observer == null && !log) {
                return body.apply(mapper);
            }
            long[] rows = {0};
            Flux<T> execution = body.apply(row -> {
                rows[0]++;
                return mapper.apply(row);
            });
            return watch(s, ctx, observer, log, execution, () -> rows[0]);
        });
    }

    /** Observes a write whose execution emits its rows-updated count. */
    static Mono<Long> update(SqlStatement s, Mono<Long> execution) {
        return Mono.deferContextual(ctx -> {
            StatementObserver observer = ctx.getOrDefault(OBSERVER, null);
            boolean log = LOG.isDebugEnabled();
            if (observer == null && !log) {
                return execution;
            }
            long[] rows = {0};
            return watch(s, ctx, observer, log, execution.doOnNext(n -> rows[0] = n).flux(), () -> rows[0]).single();
        });
    }

    /**
     * Ends the log line and the observation when the statement ends, before its subscriber hears of it (so that
     * whoever saw the statement complete also finds it logged and observed), once.
     */
    private static <T> Flux<T> watch(SqlStatement s, ContextView ctx, @Nullable StatementObserver observer,
            boolean log, Flux<T> execution, LongSupplier rows) {
        long start = System.nanoTime();
        StatementObserver.Execution observed = observer == null ? null : observer.start(s, ctx);
        AtomicBoolean ended = new AtomicBoolean();
        return execution
                .doOnComplete(() -> {
                    if (ended.compareAndSet(false, true)) {
                        succeeded(s, observed, log, rows.getAsLong(), start);
                    }
                })
                .doOnError(e -> {
                    if (ended.compareAndSet(false, true)) {
                        failed(s, observed, log, e, start);
                    }
                })
                .doOnCancel(() -> {
                    if (ended.compareAndSet(false, true)) {
                        cancelled(s, observed, log, rows.getAsLong(), start);
                    }
                });
    }

    private static String millis(long start) {
        return format((System.nanoTime() - start) / 1_000_000.0);
    }

    private static void succeeded(SqlStatement s, StatementObserver.@Nullable Execution observed, boolean log, long n,
            long start) {
        if (observed != null) {
            observed.success(n);
        }
        if (log) {
            LOG.debug("{} | binds {} | {} {} | {} ms", s.sql(), binds(s.binds()), n, n == 1 ? "row" : "rows", millis(start));
        }
    }

    private static void failed(SqlStatement s, StatementObserver.@Nullable Execution observed, boolean log, Throwable e,
            long start) {
        if (observed != null) {
            observed.failure(e);
        }
        if (log) {
            LOG.debug("{} | binds {} | failed after {} ms: {}", s.sql(), binds(s.binds()), millis(start), describe(e));
        }
    }

    private static void cancelled(SqlStatement s, StatementObserver.@Nullable Execution observed, boolean log, long n,
            long start) {
        if (observed != null) {
            observed.cancelled(n);
        }
        if (log) {
            LOG.debug("{} | binds {} | cancelled after {} rows | {} ms", s.sql(), binds(s.binds()), n, millis(start));
        }
    }

    private static String format(double millis) {
        return String.format(Locale.ROOT, "%.2f", millis);
    }

    private static String describe(Throwable e) {
        if (e instanceof StatementException se && se.sqlState() != null) {
            return "SQLSTATE " + se.sqlState();
        }
        return e.getClass().getSimpleName();
    }

    /** @return the bind values as one readable list */
    static String binds(List<Bind> binds) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < binds.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            render(out, binds.get(i).value());
        }
        return out.append(']').toString();
    }

    static void render(StringBuilder out, @Nullable Object value) {
        if (value == null) {
            out.append("NULL");
        } else if (value instanceof CharSequence text) {
            out.append('\'');
            if (text.length() > MAX_TEXT) {
                out.append(text, 0, MAX_TEXT).append("…(").append(text.length()).append(" chars)");
            } else {
                out.append(text);
            }
            out.append('\'');
        } else if (value instanceof byte[] bytes) {
            out.append("bytes[").append(bytes.length).append(']');
        } else if (value.getClass().isArray()) {
            int n = Array.getLength(value);
            out.append('[');
            for (int i = 0; i < Math.min(n, MAX_ELEMENTS); i++) {
                if (i > 0) {
                    out.append(", ");
                }
                render(out, Array.get(value, i));
            }
            if (n > MAX_ELEMENTS) {
                out.append(", …(").append(n).append(" elements)");
            }
            out.append(']');
        } else if (value instanceof Collection<?> list) {
            render(out, list.toArray());
        } else {
            String text = value.toString();
            out.append(text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) + "…(" + text.length() + " chars)" : text);
        }
    }

    /**
     * The kind and main table of a statement, read from its text (low-cardinality tags: the text depends on
     * the shape only, so there are few distinct ones).
     *
     * @param operation select, insert, update, delete, cursor, ddl or other
     * @param table the main table's name, or {@code none}
     */
    record Shape(String operation, String table) {
    }

    /** @param statement a statement @return its operation and table, as its planner described it */
    static Shape shape(SqlStatement statement) {
        String table = statement.table();
        return new Shape(statement.operation(), table == null ? "none" : table);
    }
}
