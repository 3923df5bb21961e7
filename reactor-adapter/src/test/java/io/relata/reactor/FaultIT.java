package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.BelongsToMany;
import io.relata.ConnectionException;
import io.relata.Model;
import io.relata.RelataException;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.StatementException;
import io.relata.query.Order;
import io.relata.query.Query;
import io.relata.reactor.testing.Backends;
import io.relata.reactor.testing.Pools;
import io.relata.reactor.testing.Sql;
import io.relata.reactor.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * Faults: a storm of cancellations, backends terminated by the server ({@code pg_terminate_backend}
 * on this test's own backends) in the middle of a stream, a transaction and a junction {@code set},
 * and a slow consumer over a large result. After each, the database holds what it held before, the
 * subscriber got the real error, and the pool's connections are all released and usable.
 */
@ExtendWith(TestDatabase.class)
class FaultIT {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    record Item(Long id, String name) {}

    record Trickle(Long id, String name) {}

    record Account(Long id, String name) {}

    record Movie(Long id, String title, List<Actor> actors) {}

    record Actor(Long id, String name) {}

    static TestDatabase.Handle handle;
    static Database db;
    static Model<Item> items;
    static Model<Trickle> trickles;
    static Model<Account> accounts;
    static Model<Movie> movies;
    static Model<Actor> actors;
    static BelongsToMany<Movie, Actor> cast;

    @BeforeAll
    static void schema(TestDatabase.Handle h) {
        handle = h;
        SchemaBuilder s = Schema.builder().timestamps(false);
        items = s.define(Item.class);
        trickles = s.define(Trickle.class);
        accounts = s.define(Account.class);
        movies = s.define(Movie.class);
        actors = s.define(Actor.class);
        cast = movies.belongsToMany(actors, o -> o.through("ActorMovies").as("actors"));
        db = Database.connect(h.url(), s.build());
        db.sync().block(TIMEOUT);
        Sql.execute(h.connectionFactory(),
                "DROP TABLE \"Trickles\"",
                "INSERT INTO \"Items\" (name) SELECT 'item ' || i FROM generate_series(1, 10000) i",
                // 1,000 rows at once, then one row every 10 ms
                "CREATE VIEW \"Trickles\" AS SELECT i::bigint AS id,"
                        + " pg_sleep(CASE WHEN i > 1000 THEN 0.01 ELSE 0 END)::text AS name FROM generate_series(1, 100000) i",
                "INSERT INTO \"Movies\" (title) VALUES ('Heat')",
                "INSERT INTO \"Actors\" (name) VALUES ('Al'), ('Robert'), ('Val')",
                "INSERT INTO \"ActorMovies\" (\"MovieId\", \"ActorId\") VALUES (1, 1), (1, 2)",
                // from now on every new link takes a minute
                "CREATE FUNCTION slow_link() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(60);"
                        + " RETURN NEW; END $$",
                "CREATE TRIGGER slow_link BEFORE INSERT ON \"ActorMovies\" FOR EACH ROW EXECUTE FUNCTION slow_link()");
    }

    @AfterAll
    static void close() {
        if (db != null) {
            db.close().block(TIMEOUT);
        }
    }

    @AfterEach
    void poolReleasedAndEveryConnectionUsable() {
        Pools.awaitNoAcquired(db.connectionFactory(), Duration.ofSeconds(30));
        // more statements than the pool has connections, concurrently: each connection answers
        Flux.range(0, 16).flatMap(i -> db.count(Query.from(items)), 4)
                .as(StepVerifier::create).expectNextCount(16).expectComplete().verify(TIMEOUT);
        Pools.awaitNoAcquired(db.connectionFactory(), Duration.ofSeconds(30));
    }

    @Test
    void aStormOfCancellationsLeavesNoConnectionBusyOrLeaked() {
        // each stream would run for minutes: only a server-side cancel lets the storm end
        Flux.range(0, 100)
                .flatMap(i -> db.findAll(Query.from(trickles)).take(5).count(), 16)
                .reduce(0L, Long::sum)
                .as(StepVerifier::create).expectNext(500L).expectComplete().verify(Duration.ofMinutes(3));
        Pools.awaitNoAcquired(db.connectionFactory(), Duration.ofSeconds(30));
        Backends.awaitNoneActive(handle.connectionFactory(), "\"Trickles\"", Duration.ofSeconds(30));
        // no physical connection left behind: at most the pool's four
        Backends.awaitConnectionsAtMost(handle.connectionFactory(), 4, Duration.ofSeconds(30));
    }

    @Test
    void aBackendTerminatedMidStreamSignalsTheServersErrorAndThePoolRecovers() throws Exception {
        CompletableFuture<Long> stream = db.findAll(Query.from(trickles)).count().toFuture();
        Backends.awaitActive(handle.connectionFactory(), "\"Trickles\"", TIMEOUT);
        assertThat(Backends.terminateRunning(handle.connectionFactory(), "\"Trickles\"")).isEqualTo(1);
        Throwable error = failure(stream);
        assertTransientServerLoss(error);
    }

    @Test
    void aBackendTerminatedMidTransactionSignalsTheRealErrorAndCommitsNothing() throws Exception {
        // the backend is terminated while the transaction's second statement runs; its ROLLBACK then fails too
        CompletableFuture<Long> tx = db.transaction(t -> db.create(accounts, new Account(null, "written before the kill"))
                        .thenMany(db.findAll(Query.from(trickles))))
                .count().toFuture();
        Backends.awaitActive(handle.connectionFactory(), "\"Trickles\"", TIMEOUT);
        assertThat(Backends.terminateRunning(handle.connectionFactory(), "\"Trickles\"")).isEqualTo(1);
        Throwable error = failure(tx);
        assertTransientServerLoss(error);
        assertThat(error).as("the statement's own error, not the failed ROLLBACK's").isInstanceOf(StatementException.class);
        assertThat(((StatementException) error).sql()).contains("\"Trickles\"");
        assertThat(Sql.single(handle.connectionFactory(), "SELECT count(*) FROM \"Accounts\"", Long.class))
                .as("rows of the transaction whose backend was terminated").isZero();
    }

    @Test
    void aBackendTerminatedMidJunctionSetLeavesTheLinksAsTheyWere() throws Exception {
        Movie heat = db.findByPk(movies, 1L).block(TIMEOUT);
        // set = DELETE the links not listed, then INSERT the new one (which sleeps): one transaction
        CompletableFuture<Void> set = db.association(cast).set(heat, List.of(3L)).toFuture();
        Backends.awaitActive(handle.connectionFactory(), "INSERT INTO \"ActorMovies\"", TIMEOUT);
        assertThat(Backends.terminateRunning(handle.connectionFactory(), "INSERT INTO \"ActorMovies\"")).isEqualTo(1);
        Throwable error = failure(set);
        assertTransientServerLoss(error);
        assertThat(error).isInstanceOf(StatementException.class);
        assertThat(((StatementException) error).sql()).startsWith("INSERT INTO \"ActorMovies\"");
        assertThat(Sql.rows(handle.connectionFactory(), "SELECT \"ActorId\" FROM \"ActorMovies\" ORDER BY 1"))
                .extracting(r -> r.get("ActorId")).as("links after the failed set").containsExactly(1L, 2L);
    }

    @Test
    void aSlowConsumerOverALargeResultGetsEveryRowInOrder() {
        long[] last = {0};
        db.findAll(Query.from(items).orderBy(Order.asc("id")))
                .limitRate(8)
                // one thread hop per row: far slower than the server produces
                .concatMap(item -> Mono.fromCallable(item::id).subscribeOn(Schedulers.boundedElastic()), 1)
                .doOnNext(id -> {
                    assertThat(id).isEqualTo(last[0] + 1);
                    last[0] = id;
                })
                .count()
                .as(StepVerifier::create).expectNext(10_000L).expectComplete().verify(TIMEOUT);
    }

    /** The subscriber's error: the server's 57P01 for the statement, or the lost connection; transient either way. */
    static void assertTransientServerLoss(Throwable error) {
        assertThat(error).as("the error the subscriber got").isInstanceOf(RelataException.class);
        assertThat(error.getMessage()).doesNotContain("Async resource cleanup");
        assertThat(((RelataException) error).isTransient()).as("transient: %s", error).isTrue();
        if (error instanceof StatementException s) {
            assertThat(s.sqlState()).isEqualTo("57P01");
        } else {
            assertThat(error).isInstanceOf(ConnectionException.class);
        }
    }

    private static Throwable failure(CompletableFuture<?> future) throws Exception {
        try {
            future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("completed, but an error was expected");
    }
}
