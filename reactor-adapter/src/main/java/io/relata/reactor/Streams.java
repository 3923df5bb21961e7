package io.relata.reactor;

import io.r2dbc.spi.Connection;
import io.relata.sql.Assembly;
import io.relata.sql.CursorStatements;
import io.relata.sql.FollowUp;
import io.relata.sql.RowAssembler;
import io.relata.sql.SelectPlan;
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

    /** Runs a plan: a plain joined stream, or, with SEPARATE includes, a cursor read window by window. */
    static <T> Flux<T> select(Executor executor, SelectPlan<T> plan) {
        if (!plan.hasFollowUps()) {
            return executor.withConnection(c -> rows(c, plan));
        }
        return Flux.deferContextual(ctx -> {
            boolean joined = executor.current(ctx) != null;
            return executor.inTransaction(c -> windows(c, plan, joined));
        });
    }

    /** {@link #select} for a read: on a read replica outside a transaction when the database has some. */
    static <T> Flux<T> read(Executor executor, SelectPlan<T> plan) {
        if (!plan.hasFollowUps()) {
            return executor.read(c -> rows(c, plan));
        }
        return Flux.deferContextual(ctx -> {
            boolean joined = executor.current(ctx) != null;
            return executor.readInTransaction(c -> windows(c, plan, joined));
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
