package io.relata.reactor;

import io.r2dbc.spi.Connection;
import io.relata.internal.NodeReader;
import io.relata.internal.NodeReader.Partial;
import io.relata.internal.NodeReader.PartialAssembler;
import io.relata.internal.SqlWriter;
import io.relata.sql.RowAssembler;
import io.relata.sql.SelectPlan;
import io.relata.sql.SeparateLoad;
import io.relata.sql.SqlStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
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
        if (plan.separate().isEmpty()) {
            return executor.withConnection(c -> rows(c, plan));
        }
        return Flux.deferContextual(ctx -> {
            boolean joined = executor.current(ctx) != null;
            return executor.inTransaction(c -> windows(c, plan, joined));
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
            String cursor = "relata_cursor_" + CURSORS.incrementAndGet();
            SqlStatement declare = new SqlStatement("DECLARE " + SqlWriter.quote(cursor) + " NO SCROLL CURSOR FOR "
                    + plan.statement().sql(), plan.statement().binds());
            SqlStatement fetch = new SqlStatement("FETCH FORWARD " + WINDOW + " FROM " + SqlWriter.quote(cursor), List.of());
            SqlStatement close = new SqlStatement("CLOSE " + SqlWriter.quote(cursor), List.of());
            PartialAssembler assembler = plan.reader().partialAssembler();
            boolean[] done = {false};
            Mono<List<Partial>> window = Mono.defer(() -> {
                int[] count = {0};
                return Executor.<Partial>rows(c, fetch, row -> {
                    count[0]++;
                    Partial p = assembler.push(row);
                    return p == null ? Executor.NONE : p;
                }).collectList().map(list -> {
                    if (count[0] < WINDOW) {
                        done[0] = true;
                        Partial last = assembler.finish();
                        if (last != null) {
                            list = new ArrayList<>(list);
                            list.add(last);
                        }
                    }
                    return list;
                });
            });
            // one window at a time: the next FETCH is sent only after this window's follow-ups ran and
            // its roots were emitted, so no statement is ever in flight while the subscriber may cancel
            return Executor.update(c, declare)
                    .thenMany(window.flatMapMany(roots -> load(c, plan.reader(), plan.separate(), roots)
                            .thenMany(Flux.fromIterable(roots).map(assembler::<T>materialize)))
                            .repeat(() -> !done[0]))
                    // our own transaction's COMMIT closes the cursor; a joined one may run on for long
                    .concatWith(closeCursor ? Executor.update(c, close).then(Mono.empty()) : Mono.empty());
        });
    }

    /** Runs the follow-up loads of one window, each level after its parent level. */
    static Mono<Void> load(Connection c, NodeReader<?> root, List<SeparateLoad> loads, List<Partial> roots) {
        if (roots.isEmpty() || loads.isEmpty()) {
            return Mono.empty();
        }
        return Flux.fromIterable(loads).concatMap(load -> {
            List<Partial> parents = load.parents(root, roots);
            SqlStatement s = load.statement(parents);
            if (s == null) {
                return Mono.<Void>empty();
            }
            SeparateLoad.Rows rows = load.rows();
            return Executor.rows(c, s, row -> {
                rows.accept(row);
                return Executor.NONE;
            }).then(Mono.fromRunnable(() -> rows.attach(parents)))
                    .then(Mono.defer(() -> load(c, root, load.nested(), roots)));
        }).then();
    }
}
