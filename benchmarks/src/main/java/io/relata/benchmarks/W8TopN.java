package io.relata.benchmarks;

import io.r2dbc.spi.Row;
import io.relata.benchmarks.Model.Novel;
import io.relata.benchmarks.Model.Writer;
import io.relata.query.Include;
import io.relata.query.Order;
import io.relata.query.Query;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * W8: top-N children per parent (issue 13): 1,000 writers x 50 novels, each writer with its newest 3 novels.
 * One op = 1,000 graphs; unit graphs/s. Relata with the JOIN strategy (one statement, a {@code LEFT JOIN LATERAL
 * (... ORDER BY year DESC LIMIT 3)} per writer) and with SEPARATE (the writers through a cursor, then per window
 * of 256 one {@code unnest($1)} lateral statement); L the same lateral SQL by hand; {@code naiveAll} loads
 * every novel with Relata (50,000 rows) and keeps the first 3 of each writer in memory.
 */
public class W8TopN {
    static final long NEWEST = 3;
    /** The statement Relata plans for {@link #join}, by hand. */
    static final String SQL = "SELECT w.id, w.name, n.id, n.title, n.year, n.writer_id FROM writers w "
            + "LEFT JOIN LATERAL (SELECT * FROM novels n WHERE n.writer_id = w.id ORDER BY n.year DESC, n.id LIMIT $1) n "
            + "ON TRUE ORDER BY w.id, n.year DESC, n.id";
    static final Object NONE = new Object();

    static Query<Writer> join(Model.Relata m) {
        return Query.from(m.writers).include(m.writerNovels, i -> i.orderBy(Order.desc("year")).limit(NEWEST));
    }

    static Query<Writer> separate(Model.Relata m) {
        return Query.from(m.writers).include(m.writerNovels, i -> i.orderBy(Order.desc("year")).limit(NEWEST)
                .strategy(Include.Strategy.SEPARATE));
    }

    @Benchmark
    public long relataJoin(Peers.Relata r) {
        return r.db.findAll(join(r.m)).reduce(0L, (s, w) -> s + Sums.writer(w)).block();
    }

    @Benchmark
    public long relataSeparate(Peers.Relata r) {
        return r.db.findAll(separate(r.m)).reduce(0L, (s, w) -> s + Sums.writer(w)).block();
    }

    /** AGGREGATE: each writer's newest novels as one JSON array, aggregated from the per-writer lateral. */
    @Benchmark
    public long relataAggregate(Peers.Relata r) {
        return r.db.findAll(Query.from(r.m.writers).include(r.m.writerNovels, i -> i.orderBy(Order.desc("year"))
                .limit(NEWEST).strategy(Include.Strategy.AGGREGATE))).reduce(0L, (s, w) -> s + Sums.writer(w)).block();
    }

    /** What an application does without a per-include limit: every novel loaded, all but 3 per writer dropped. */
    @Benchmark
    public long naiveAll(Peers.Relata r) {
        return r.db.findAll(Query.from(r.m.writers).include(r.m.writerNovels, i -> i.orderBy(Order.desc("year"))))
                .map(w -> new Writer(w.id(), w.name(), List.copyOf(w.novels().subList(0, (int) Math.min(NEWEST,
                        w.novels().size())))))
                .reduce(0L, (s, w) -> s + Sums.writer(w)).block();
    }

    /** L: the same lateral statement by hand, consecutive rows grouped by writer in one pass. */
    @Benchmark
    public long L(Peers.Raw raw) {
        return Flux.usingWhen(raw.pool.create(), c -> Flux.defer(() -> {
            Grouper g = new Grouper();
            return Flux.from(c.createStatement(SQL).bind(0, NEWEST).execute())
                    .concatMap(result -> result.map((row, meta) -> g.push(row)))
                    .filter(o -> o != NONE)
                    .concatWith(Mono.fromSupplier(g::finish))
                    .cast(Writer.class);
        }), io.r2dbc.spi.Connection::close, (c, e) -> c.close(), io.r2dbc.spi.Connection::close)
                .reduce(0L, (s, w) -> s + Sums.writer(w)).block();
    }

    /** Groups consecutive rows of one writer (the query orders by writer). */
    static final class Grouper {
        Long id;
        String name;
        List<Novel> novels;

        Object push(Row row) {
            Long writerId = row.get(0, Long.class);
            Object done = NONE;
            if (id != null && !id.equals(writerId)) {
                done = finish();
            }
            if (id == null) {
                id = writerId;
                name = row.get(1, String.class);
                novels = new ArrayList<>();
            }
            Long novelId = row.get(2, Long.class);
            if (novelId != null) {
                novels.add(new Novel(novelId, row.get(3, String.class), row.get(4, Integer.class), row.get(5, Long.class)));
            }
            return done;
        }

        Writer finish() {
            Writer w = id == null ? null : new Writer(id, name, novels);
            id = null;
            return w;
        }
    }
}
