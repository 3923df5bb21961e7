package io.relata.reactor;

import io.r2dbc.spi.Connection;
import io.relata.sql.Assembly;
import io.relata.sql.CursorStatements;
import io.relata.sql.FollowUp;
import io.relata.sql.RowAssembler;
import io.relata.sql.SelectPlan;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Executes select plans as streams of roots. */
final class Streams {
    /** Roots per window of SEPARATE includes (one follow-up statement per include level and window). */
    static final int WINDOW = 256;
    private static final AtomicLong CURSORS = new AtomicLong();

    private Streams() {
    }

    /**
     * Runs a plan: a plain joined stream, or, with SEPARATE includes, the first window without a cursor
     * (and, outside a transaction, without one) when the result fits it, else a cursor read window by
     * window in a transaction.
     */
    static <T> Flux<T> select(Executor executor, SelectPlan<T> plan) {
        if (!plan.hasFollowUps()) {
            return executor.withConnection(c -> rows(c, plan));
        }
        return Flux.deferContextual(ctx -> {
            if (executor.current(ctx) != null) {
                // inside a transaction: the probe on its connection, then the cursor there if needed
                return executor.inTransaction(c -> firstWindow(c, plan)
                        .flatMapMany(roots -> roots.isEmpty() ? windows(c, plan, true) : Flux.fromIterable(roots.get())));
            }
            // the first window read as a plain statement, on a connection of its own and without a
            // transaction; only a result larger than one window is read again through a cursor
            return executor.withConnection(c -> firstWindow(c, plan))
                    .concatMap(roots -> roots.isEmpty()
                            ? executor.inTransaction(c -> windows(c, plan, false))
                            : Flux.fromIterable(roots.get()).onErrorMap(executor::translate));
        });
    }

    /**
     * The plan's statement limited to {@value #WINDOW} + 1 rows ({@link SelectPlan#firstRows}), read
     * without a cursor. When at most {@value #WINDOW} rows came back they are the whole result: its
     * follow-ups run on the same connection and the roots come back (built lazily as iterated). Otherwise
     * the result needs more than one window and nothing comes back (empty): the caller reads it again
     * through a cursor.
     */
    private static <T> Mono<Optional<Iterable<T>>> firstWindow(Connection c, SelectPlan<T> plan) {
        return Mono.defer(() -> {
            Assembly<T> assembly = plan.assembly();
            int[] count = {0};
            return Executor.rows(c, plan.firstRows(WINDOW + 1L), row -> {
                if (++count[0] <= WINDOW) {
                    assembly.push(row);
                }
                return Executor.NONE;
            }).then(Mono.defer(() -> {
                if (count[0] > WINDOW) {
                    return Mono.just(Optional.<Iterable<T>>empty());
                }
                assembly.endWindow(true);
                return followUps(c, assembly::nextFollowUp).then(Mono.fromSupplier(() -> Optional.of(assembly.take())));
            }));
        });
    }

    /** {@link #select} for a read: on a read replica outside a transaction when the database has some. */
    static <T> Flux<T> read(Executor executor, SelectPlan<T> plan) {
        if (!plan.hasFollowUps()) {
            return executor.read(c -> rows(c, plan));
        }
        return Flux.deferContextual(ctx -> {
            if (executor.current(ctx) != null) {
                // inside a transaction: the probe on its connection, then the cursor there if needed
                return executor.readInTransaction(c -> firstWindow(c, plan)
                        .flatMapMany(roots -> roots.isEmpty() ? windows(c, plan, true) : Flux.fromIterable(roots.get())));
            }
            // as select: the first window as a plain statement (on a replica when there are some), the
            // cursor in a read-only transaction of its own only for a result larger than one window
            return executor.read(c -> firstWindow(c, plan))
                    .concatMap(roots -> roots.isEmpty()
                            ? executor.readInTransaction(c -> windows(c, plan, false))
                            : Flux.fromIterable(roots.get()).onErrorMap(executor::translate));
        });
    }

    /** The joined statement's rows assembled into roots, each emitted as soon as it is complete. */
    static <T> Flux<T> rows(Connection c, SelectPlan<T> plan) {
        return Flux.defer(() -> {
            RowAssembler<T> assembler = plan.assembler();
            return Executor.<T>rows(c, plan.statement(), row -> {
                T done = assembler.push(row);
                return done == null ? Executor.NONE : done;
            }).concatWith(Mono.fromSupplier(assembler::finish));
        });
    }

    /**
     * SEPARATE includes: the joined statement is opened as a cursor (inside a transaction) and fetched
     * {@value #WINDOW} rows at a time; for the roots completed by each fetch the follow-up statements run
     * with {@code = ANY($1)} over their keys, then those roots are emitted. Memory: one window.
     */
    private static <T> Flux<T> windows(Connection c, SelectPlan<T> plan, boolean closeCursor) {
        return Flux.defer(() -> {
            CursorStatements cursor = plan.cursor("relata_cursor_" + CURSORS.incrementAndGet(), WINDOW);
            Assembly<T> assembly = plan.assembly();
            boolean[] done = {false};
            Mono<Iterable<T>> window = Mono.defer(() -> {
                int[] count = {0};
                return Executor.rows(c, cursor.fetch(), row -> {
                    count[0]++;
                    assembly.push(row);
                    return Executor.NONE;
                }).then(Mono.defer(() -> {
                    done[0] = count[0] < WINDOW;
                    assembly.endWindow(done[0]);
                    return followUps(c, assembly::nextFollowUp);
                })).then(Mono.fromSupplier(assembly::take));
            });
            // one window at a time: the next FETCH is sent only after this window's follow-ups ran and
            // its roots were emitted, so no statement is ever in flight while the subscriber may cancel
            return Executor.update(c, cursor.declare())
                    .thenMany(window.flatMapMany(Flux::fromIterable).repeat(() -> !done[0]))
                    // our own transaction's COMMIT closes the cursor; a joined one may run on for long
                    .concatWith(closeCursor ? Executor.update(c, cursor.close()).then(Mono.empty()) : Mono.empty());
        });
    }

    /**
     * Runs follow-up statements one after the other, each level after its parent level, until the
     * assembly has none left.
     *
     * @param next the assembly's next follow-up, or null when all ran
     */
    static Mono<Void> followUps(Connection c, Supplier<@Nullable FollowUp> next) {
        return Mono.defer(() -> {
            FollowUp f = next.get();
            if (f == null) {
                return Mono.<Void>empty();
            }
            return Executor.rows(c, f.statement(), row -> {
                f.accept(row);
                return Executor.NONE;
            }).then(Mono.fromRunnable(f::complete)).then(followUps(c, next));
        });
    }
}
