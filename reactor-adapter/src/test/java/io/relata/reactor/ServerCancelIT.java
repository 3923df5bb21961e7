package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.Model;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.query.Order;
import io.relata.query.Query;
import io.relata.reactor.testing.Backends;
import io.relata.reactor.testing.Pools;
import io.relata.reactor.testing.Sql;
import io.relata.reactor.testing.TestDatabase;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * Cancelling a Relata publisher (timeout, take, dispose) stops its statement on the server, and the
 * connection (here the only one of its pool) serves the next query once the server has answered.
 * The statements here would run for a minute or more: every check polls {@code pg_stat_activity}
 * with a deadline far below that, so without a server-side cancel they fail.
 */
@ExtendWith(TestDatabase.class)
class ServerCancelIT {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Far shorter than any statement here runs when it is not cancelled. */
    static final Duration GONE = Duration.ofSeconds(20);

    record Sleep(Long id, String name) {}

    record Trickle(Long id, String name) {}

    record Note(Long id, String text) {}

    static TestDatabase.Handle handle;
    static Database db;
    static Model<Sleep> sleeps;
    static Model<Trickle> trickles;
    static Model<Note> notes;

    @BeforeAll
    static void schema(TestDatabase.Handle h) {
        handle = h;
        SchemaBuilder s = Schema.builder().timestamps(false);
        sleeps = s.define(Sleep.class);
        trickles = s.define(Trickle.class);
        notes = s.define(Note.class);
        Schema schema = s.build();
        Sql.execute(h.connectionFactory(),
                // a minute of sleep, then one row
                "CREATE VIEW \"Sleeps\" AS SELECT 1::bigint AS id, pg_sleep(60)::text AS name",
                // 100,000 rows, one every 10 ms: about 17 minutes when read to the end
                "CREATE VIEW \"Trickles\" AS SELECT i::bigint AS id, pg_sleep(0.01)::text AS name"
                        + " FROM generate_series(1, 100000) i",
                "CREATE TABLE \"Notes\" (id bigserial PRIMARY KEY, text text)",
                "CREATE FUNCTION slow_note() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                        + " IF NEW.text LIKE 'slow%' THEN PERFORM pg_sleep(60); END IF; RETURN NEW; END $$",
                "CREATE TRIGGER slow_note BEFORE INSERT ON \"Notes\" FOR EACH ROW EXECUTE FUNCTION slow_note()");
        // a pool of one: the next query can only run once the cancelled statement has left the connection
        db = Database.connect(h.url() + (h.url().contains("?") ? "&" : "?") + "maxSize=1", schema);
    }

    @AfterAll
    static void close() {
        if (db != null) {
            db.close().block(TIMEOUT);
        }
    }

    @BeforeEach
    void empty() {
        Sql.execute(handle.connectionFactory(), "DELETE FROM \"Notes\"");
    }

    @AfterEach
    void nothingLeftRunningOrAcquired() {
        Backends.awaitNoneActive(handle.connectionFactory(), "\"Sleeps\"", GONE);
        Backends.awaitNoneActive(handle.connectionFactory(), "\"Trickles\"", GONE);
        Pools.awaitNoAcquired(db.connectionFactory(), GONE);
    }

    private static void nextQueryAnswers() {
        db.count(Query.from(notes)).as(StepVerifier::create).expectNextCount(1).expectComplete().verify(TIMEOUT);
    }

    @Test
    void timeoutOnASleepingQueryStopsItOnTheServer() {
        nextQueryAnswers();
        java.util.Set<Integer> before = Backends.pids(handle.connectionFactory());
        db.findAll(Query.from(sleeps)).timeout(Duration.ofSeconds(1))
                .as(StepVerifier::create).expectError(TimeoutException.class).verify(TIMEOUT);
        Backends.awaitNoneActive(handle.connectionFactory(), "\"Sleeps\"", GONE);
        nextQueryAnswers();
        assertThat(Backends.pids(handle.connectionFactory())).as("the pool's connection is kept, not replaced")
                .isEqualTo(before);
    }

    @Test
    void takingFewRowsOfASlowStreamStopsTheRestOnTheServer() {
        // no ORDER BY: sorting would read all 100,000 rows before the first
        db.findAll(Query.from(trickles)).take(3).map(Trickle::id)
                .as(StepVerifier::create).expectNext(1L, 2L, 3L).expectComplete().verify(TIMEOUT);
        Backends.awaitNoneActive(handle.connectionFactory(), "\"Trickles\"", GONE);
        nextQueryAnswers();
    }

    @Test
    void disposingASubscriptionStopsTheStatement() {
        reactor.core.Disposable d = db.findAll(Query.from(sleeps)).subscribe();
        Backends.awaitActive(handle.connectionFactory(), "\"Sleeps\"", TIMEOUT);
        d.dispose();
        Backends.awaitNoneActive(handle.connectionFactory(), "\"Sleeps\"", GONE);
        nextQueryAnswers();
    }

    @Test
    void createTimingOutAgainstASlowInsertCommitsNothing() {
        db.create(notes, new Note(null, "slow insert")).timeout(Duration.ofSeconds(1))
                .as(StepVerifier::create).expectError(TimeoutException.class).verify(TIMEOUT);
        Backends.awaitNoneActive(handle.connectionFactory(), "INSERT INTO \"Notes\"", GONE);
        assertThat(Sql.single(handle.connectionFactory(), "SELECT count(*) FROM \"Notes\"", Long.class))
                .as("rows committed by the insert whose caller timed out").isZero();
        nextQueryAnswers();
    }

    @Test
    void cancellingATransactionStopsItsStatementAndRollsBack() {
        nextQueryAnswers();
        java.util.Set<Integer> before = Backends.pids(handle.connectionFactory());
        db.transaction(tx -> db.create(notes, new Note(null, "written before the sleep"))
                        .thenMany(db.findAll(Query.from(sleeps))))
                .timeout(Duration.ofSeconds(1))
                .as(StepVerifier::create).expectError(TimeoutException.class).verify(TIMEOUT);
        Backends.awaitNoneActive(handle.connectionFactory(), "\"Sleeps\"", GONE);
        Pools.awaitNoAcquired(db.connectionFactory(), GONE);
        assertThat(Sql.single(handle.connectionFactory(), "SELECT count(*) FROM \"Notes\"", Long.class))
                .as("rows of the cancelled transaction").isZero();
        nextQueryAnswers();
        assertThat(Backends.pids(handle.connectionFactory())).as("the connection is rolled back and kept, not replaced")
                .isEqualTo(before);
    }

    @Test
    void takingFewRowsInsideATransactionLetsTheTransactionGoOnAndCommit() {
        // a statement cancelled inside a transaction that goes on must not abort it: it is drained, not cancelled
        db.transaction(tx -> db.findAll(Query.from(notes)).take(1).then(db.create(notes, new Note(null, "first")))
                        .then(db.create(notes, new Note(null, "second")))
                        .thenMany(db.findAll(Query.from(notes).orderBy(Order.asc("id"))).take(1))
                        .then(db.count(Query.from(notes))))
                .as(StepVerifier::create).expectNext(2L).expectComplete().verify(TIMEOUT);
        assertThat(Sql.single(handle.connectionFactory(), "SELECT count(*) FROM \"Notes\"", Long.class)).isEqualTo(2L);
    }

    /**
     * A cancel racing the statement's natural end: the statement takes about as long as the timeout.
     * Whichever wins, the CancelRequest must never reach the next statement on the connection (it
     * would fail with SQLSTATE 57014), so every next query on the pool of one answers.
     */
    @ParameterizedTest(name = "timeout {0} ms against a 30 ms statement")
    @ValueSource(ints = {1, 10, 25, 30, 35, 50})
    void aCancelRacingTheNaturalEndNeverHitsTheNextStatement(int millis) {
        SchemaBuilder s = Schema.builder().timestamps(false);
        Model<Note> racing = s.define(Note.class, m -> m.name("Racer").table("Racers"));
        Schema schema = s.build();
        Sql.execute(handle.connectionFactory(), "CREATE OR REPLACE VIEW \"Racers\" AS"
                + " SELECT 1::bigint AS id, pg_sleep(0.03)::text AS text");
        Database racingDb = Database.create(db.connectionFactory(), schema);
        for (int i = 0; i < 10; i++) {
            Flux.from(racingDb.findAll(Query.from(racing))).timeout(Duration.ofMillis(millis))
                    .onErrorResume(TimeoutException.class, e -> Flux.empty())
                    .then()
                    .as(StepVerifier::create).expectComplete().verify(TIMEOUT);
            // immediately: the next statement on the only connection
            db.findAll(Query.from(notes)).count()
                    .as(StepVerifier::create).expectNext(0L).expectComplete().verify(TIMEOUT);
        }
    }
}
