package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import io.relata.HasMany;
import io.relata.Model;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.query.Order;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.reactor.testing.Pools;
import io.relata.reactor.testing.Sql;
import io.relata.reactor.testing.TestDatabase;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * {@code findAll} streams: roots are emitted while the server is still sending, demand counts roots,
 * cancelling a large result returns a healthy connection to the pool.
 */
@ExtendWith(TestDatabase.class)
class StreamingIT {

    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final int BUCKETS = 1000;
    static final int PER_BUCKET = 200;
    static final int ITEMS = BUCKETS * PER_BUCKET;
    static final int GATED = 5000;
    static final long LOCK = 4242;

    record Bucket(Long id, String name, List<Item> items) {
    }

    record Item(Long id, Integer n, String label) {
    }

    record Gated(Long id, String label) {
    }

    static Model<Bucket> buckets;
    static Model<Item> items;
    static HasMany<Bucket, Item> bucketItems;
    static Model<Gated> gated;
    static Database db;
    static Database gatedDb;
    static TestDatabase.Handle handle;

    @BeforeAll
    static void fill(TestDatabase.Handle h) {
        handle = h;
        SchemaBuilder s = Schema.builder().timestamps(false);
        buckets = s.define(Bucket.class);
        items = s.define(Item.class);
        bucketItems = buckets.hasMany(items);
        Schema schema = s.build();
        db = Database.connect(h.url(), schema);
        db.sync().as(StepVerifier::create).expectComplete().verify(TIMEOUT);
        Sql.execute(h.connectionFactory(),
                "INSERT INTO \"Buckets\" (id, name) SELECT g, 'bucket ' || g FROM generate_series(1, " + BUCKETS + ") g",
                "INSERT INTO \"Items\" (n, label, \"BucketId\") SELECT g, 'item ' || g, (g - 1) / " + PER_BUCKET
                        + " + 1 FROM generate_series(1, " + ITEMS + ") g",
                "ANALYZE \"Buckets\"", "ANALYZE \"Items\"",
                // a view whose last row can only be computed once advisory lock LOCK is free
                "CREATE TABLE gated_rows (id BIGINT PRIMARY KEY, label TEXT)",
                "INSERT INTO gated_rows SELECT g, repeat('x', 100) FROM generate_series(1, " + GATED + ") g",
                "CREATE FUNCTION relata_gate(n BIGINT, label TEXT) RETURNS TEXT LANGUAGE plpgsql VOLATILE AS $$"
                        + " BEGIN IF n = " + GATED + " THEN PERFORM pg_advisory_lock(" + LOCK + ");"
                        + " PERFORM pg_advisory_unlock(" + LOCK + "); END IF; RETURN label; END $$",
                "CREATE VIEW gated AS SELECT id, relata_gate(id, label) AS label FROM gated_rows");

        SchemaBuilder g = Schema.builder().timestamps(false);
        gated = g.define(Gated.class, m -> m.table("gated"));
        gatedDb = Database.create(db.connectionFactory(), g.build());
    }

    @AfterAll
    static void close() {
        if (db != null) {
            db.close().block(TIMEOUT);
        }
    }

    @AfterEach
    void noConnectionLeaks() {
        Pools.awaitNoAcquired(db.connectionFactory());
    }

    @Test
    void takeOneOfALargeResultCompletesAndLeavesThePoolHealthy() {
        for (int i = 0; i < 6; i++) {
            db.findAll(Query.from(items)).take(1)
                    .as(StepVerifier::create)
                    .assertNext(item -> assertThat(item.label()).startsWith("item "))
                    .expectComplete()
                    .verify(TIMEOUT);
            db.findAll(Query.from(buckets).include(bucketItems).orderBy(Order.asc("id"))).take(1)
                    .as(StepVerifier::create)
                    .assertNext(b -> {
                        assertThat(b.id()).isEqualTo(1L);
                        assertThat(b.items()).hasSize(PER_BUCKET);
                    })
                    .expectComplete()
                    .verify(TIMEOUT);
        }
        // the same concurrently, so that every pooled connection has a cancelled large result behind it
        Flux.range(0, 8)
                .flatMap(i -> db.findAll(Query.from(items)).take(1), 4)
                .as(StepVerifier::create)
                .expectNextCount(8)
                .expectComplete()
                .verify(TIMEOUT);
        Pools.awaitNoAcquired(db.connectionFactory());

        // then ordinary queries, more of them than the pool has connections, all at once
        Flux.range(0, 12)
                .flatMap(i -> db.findAll(Query.from(items).where(Where.lte("n", 1000))).count(), 12)
                .collectList()
                .as(StepVerifier::create)
                .assertNext(counts -> assertThat(counts).hasSize(12).containsOnly(1000L))
                .expectComplete()
                .verify(TIMEOUT);
        db.count(Query.from(items)).as(StepVerifier::create).expectNext((long) ITEMS).expectComplete().verify(TIMEOUT);
    }

    @Test
    void disposingALargeReadMidwayReleasesTheConnection() {
        StepVerifier.create(db.findAll(Query.from(items)), 0)
                .expectSubscription()
                .thenRequest(300)
                .expectNextCount(300)
                .thenCancel()
                .verify(TIMEOUT);
        Pools.awaitNoAcquired(db.connectionFactory());
        db.findAll(Query.from(items).orderBy(Order.desc("n")).limit(2)).map(Item::n)
                .as(StepVerifier::create)
                .expectNext(ITEMS, ITEMS - 1)
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void demandCountsRootsNotRows() {
        StepVerifier.create(db.findAll(Query.from(buckets).include(bucketItems).orderBy(Order.asc("id"))), 0)
                .expectSubscription()
                .thenRequest(1)
                .assertNext(b -> {
                    assertThat(b.id()).isEqualTo(1L);
                    assertThat(b.items()).hasSize(PER_BUCKET);
                })
                .thenRequest(2)
                .assertNext(b -> assertThat(b.id()).isEqualTo(2L))
                .assertNext(b -> {
                    assertThat(b.id()).isEqualTo(3L);
                    assertThat(b.items()).extracting(Item::n).contains(2 * PER_BUCKET + 1, 3 * PER_BUCKET);
                })
                .thenRequest(5)
                .expectNextCount(5)
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void theSubscriberReceivesExactlyTheRequestedRoots() {
        // StepVerifier fails with "request overflow" when more arrives than was requested
        StepVerifier.create(db.findAll(Query.from(items).orderBy(Order.asc("n"))).map(Item::n), 0)
                .expectSubscription()
                .thenRequest(1)
                .expectNext(1)
                .thenRequest(3)
                .expectNext(2, 3, 4)
                .thenRequest(1000)
                .expectNextCount(1000)
                .thenRequest(1)
                .expectNext(1005)
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void rowsArePulledFromTheDriverOnlyAsRootsAreRequested() {
        RowCounting counting = new RowCounting(db.connectionFactory());
        Database counted = Database.create(counting, db.schema());
        long[] afterFirst = new long[1];
        long[] beforeCancel = new long[1];

        StepVerifier.create(counted.findAll(Query.from(buckets).include(bucketItems).orderBy(Order.asc("id"))), 0)
                .expectSubscription()
                .thenRequest(1)
                .assertNext(b -> assertThat(b.items()).hasSize(PER_BUCKET))
                .then(() -> afterFirst[0] = counting.rows.get())
                .thenRequest(1)
                .expectNextCount(1)
                // what the cancel leaves behind is read to its end (and counted) after this point
                .then(() -> beforeCancel[0] = counting.rows.get())
                .thenCancel()
                .verify(TIMEOUT);

        assertThat(afterFirst[0]).as("rows mapped when the first of %s roots was emitted", BUCKETS)
                .isGreaterThan(PER_BUCKET) // the assembler needs the next root's first row to finish one
                .isLessThan(ITEMS / 10);
        assertThat(beforeCancel[0]).as("rows mapped when the second root was emitted").isLessThan(ITEMS / 10);
    }

    @Test
    void theFirstRootArrivesBeforeTheServerHasProducedTheLastRow(TestDatabase.Handle h) {
        // the server cannot compute the last row of "gated" while another session holds the advisory lock:
        // if findAll collected the result before emitting, nothing would arrive until the lock is released
        Connection holder = Mono.from(h.connectionFactory().create()).block(TIMEOUT);
        Sinks.One<Boolean> unlocked = Sinks.one();
        try {
            Flux.from(holder.createStatement("SELECT pg_advisory_lock(" + LOCK + ")").execute())
                    .concatMap(Result::getRowsUpdated).then().block(TIMEOUT);

            gatedDb.findAll(Query.from(gated))
                    .as(StepVerifier::create)
                    .assertNext(g -> assertThat(g.id()).isEqualTo(1L))
                    .expectNextCount(100)
                    // not blocking here: this may run on the event loop the holder connection needs
                    .then(() -> Flux.from(holder.createStatement("SELECT pg_advisory_unlock(" + LOCK + ")").execute())
                            .concatMap(r -> r.map((row, meta) -> row.get(0, Boolean.class)))
                            .next().subscribe(v -> unlocked.tryEmitValue(v), unlocked::tryEmitError))
                    .expectNextCount(GATED - 101)
                    .expectComplete()
                    .verify(TIMEOUT);
            // the holder's answer may arrive after the stream completed (it travels on another connection)
            unlocked.asMono().as(StepVerifier::create).expectNext(true).expectComplete().verify(TIMEOUT);
        } finally {
            Mono.from(holder.close()).block(TIMEOUT);
        }
    }

    /**
     * Only a guard against a hang, not a speed check: 200,000 rows under Netty's paranoid leak detector (a stack
     * trace recorded per buffer) on a machine loaded by other builds took over 60 s.
     */
    static final Duration LARGE_RESULT_GUARD = Duration.ofMinutes(10);

    @Test
    void aLargeResultStreamsToTheEnd() {
        db.findAll(Query.from(items)).map(Item::n).reduce(0L, Long::sum)
                .as(StepVerifier::create)
                .expectNext((long) ITEMS * (ITEMS + 1) / 2)
                .expectComplete()
                .verify(LARGE_RESULT_GUARD);
        db.findAll(Query.from(buckets).include(bucketItems)).map(b -> b.items().size()).distinct()
                .as(StepVerifier::create)
                .expectNext(PER_BUCKET)
                .expectComplete()
                .verify(LARGE_RESULT_GUARD);
    }

    /** Counts the rows handed to {@code Result.map} mapping functions, i.e. rows pulled from the driver. */
    static final class RowCounting implements ConnectionFactory {
        final ConnectionFactory delegate;
        final AtomicLong rows = new AtomicLong();

        RowCounting(ConnectionFactory delegate) {
            this.delegate = delegate;
        }

        @Override
        public Publisher<? extends Connection> create() {
            return Mono.from(delegate.create()).map(c -> proxy(Connection.class, c));
        }

        @Override
        public ConnectionFactoryMetadata getMetadata() {
            return delegate.getMetadata();
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        <T> T proxy(Class<T> type, T target) {
            return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
                Object[] a = args;
                if (type == Result.class && method.getName().equals("map") && a != null && a.length == 1) {
                    a = a.clone();
                    if (a[0] instanceof BiFunction f) {
                        a[0] = (BiFunction) (row, meta) -> {
                            rows.incrementAndGet();
                            return f.apply(row, meta);
                        };
                    } else if (a[0] instanceof Function f) {
                        a[0] = (Function) readable -> {
                            rows.incrementAndGet();
                            return f.apply(readable);
                        };
                    }
                }
                Object result = invoke(method, target, a);
                if (result == target) {
                    return p; // fluent Statement methods
                }
                if (type == Connection.class && result instanceof Statement s) {
                    return proxy(Statement.class, s);
                }
                if (type == Statement.class && method.getName().equals("execute")) {
                    return Flux.from((Publisher<? extends Result>) result).map(r -> proxy(Result.class, r));
                }
                return result;
            });
        }

        private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
