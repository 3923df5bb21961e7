package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.HasMany;
import io.relata.Model;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.TransactionOptions;
import io.relata.query.Include;
import io.relata.query.Order;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.reactor.testing.CountingConnectionFactory;
import io.relata.reactor.testing.Sql;
import io.relata.reactor.testing.StandbyCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Read replicas for real: a primary and a streaming standby made by {@link StandbyCluster} on free ports. A
 * view {@code probes} answers {@code pg_is_in_recovery()}, so a read of it through Relata says which server ran
 * it; counting factories around both pools say where the other statements went. Skipped when the PostgreSQL
 * binaries are not installed.
 */
class ReplicaIT {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    record Probe(Integer id, Boolean standby) {
    }

    record Author(Long id, String name) {
    }

    record Book(Long id, String title, Long authorId) {
    }

    static StandbyCluster cluster;
    static Model<Probe> probes;
    static Model<Author> authors;
    static Model<Book> books;
    static HasMany<Author, Book> authorBooks;
    static Schema schema;
    static Database primaryPool;
    static Database replicaPool;
    static CountingConnectionFactory onPrimary;
    static CountingConnectionFactory onReplica;
    static Database db;

    @BeforeAll
    static void cluster() {
        Assumptions.assumeTrue(StandbyCluster.binaries().isPresent(),
                "skipped: no PostgreSQL binaries (initdb, pg_basebackup) under /usr/lib/postgresql/*/bin");
        cluster = StandbyCluster.start();
        SchemaBuilder s = Schema.builder().timestamps(false);
        probes = s.define(Probe.class, m -> m.table("probes"));
        authors = s.define(Author.class);
        books = s.define(Book.class);
        authorBooks = authors.hasMany(books);
        schema = s.build();
        Sql.execute(cluster.primaryFactory(), "CREATE VIEW probes AS SELECT 1 AS id, pg_is_in_recovery() AS standby");
        primaryPool = Database.connect(cluster.primaryUrl(), schema);
        replicaPool = Database.connect(cluster.standbyUrl(), schema);
        onPrimary = new CountingConnectionFactory(primaryPool.connectionFactory());
        onReplica = new CountingConnectionFactory(replicaPool.connectionFactory());
        db = Database.builder(TransactionSupport.local(onPrimary), schema)
                .replicas(List.of(onReplica))
                .replicaRetryAfter(Duration.ofMillis(100))
                .build();
        db.sync().as(StepVerifier::create).expectComplete().verify(TIMEOUT);
        Sql.execute(cluster.primaryFactory(),
                "INSERT INTO \"Authors\" (id, name) SELECT i, 'author-' || i FROM generate_series(1, 300) i",
                "INSERT INTO \"Books\" (id, title, \"authorId\") SELECT i, 'book-' || i, (i + 1) / 2"
                        + " FROM generate_series(1, 600) i",
                "SELECT setval(pg_get_serial_sequence('\"Authors\"', 'id'), 1000)");
        cluster.awaitReplay(500).block(TIMEOUT);
    }

    @AfterAll
    static void close() {
        if (primaryPool != null) {
            primaryPool.close().then(replicaPool.close()).block(TIMEOUT);
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void reset() {
        onPrimary.reset();
        onReplica.reset();
    }

    private static Boolean onStandby(Mono<Probe> probe) {
        return probe.map(Probe::standby).block(TIMEOUT);
    }

    @Test
    void readsOutsideATransactionRunOnTheStandby() {
        assertThat(db.findAll(Query.from(probes)).map(Probe::standby).collectList().block(TIMEOUT))
                .containsExactly(true);
        assertThat(onStandby(db.findOne(Query.from(probes)))).isTrue();
        assertThat(onStandby(db.findByPk(probes, 1))).isTrue();
        assertThat(onStandby(db.findByPk(Query.from(probes), 1))).isTrue();
        assertThat(db.count(Query.from(books)).block(TIMEOUT)).isEqualTo(600L);
        assertThat(onPrimary.count()).isZero();
        assertThat(onReplica.statements()).hasSize(5).last().asString().startsWith("SELECT count(");
    }

    @Test
    void aReadWithATimeoutRunsOnTheStandbyInAReadOnlyTransaction() {
        Query<Probe> timed = Query.from(probes).timeout(Duration.ofSeconds(5));
        assertThat(onStandby(db.findOne(timed))).isTrue();
        assertThat(db.count(Query.from(books).timeout(Duration.ofSeconds(5))).block(TIMEOUT)).isEqualTo(600L);
        assertThat(onStandby(db.primary().findOne(timed))).isFalse();
        assertThat(onReplica.statements()).anySatisfy(sql -> assertThat(sql).contains("set_config"));
    }

    @Test
    void readsAreSpreadOverTheReplicasRoundRobin() {
        // two replica entries over the same standby: each gets every other read
        CountingConnectionFactory second = new CountingConnectionFactory(replicaPool.connectionFactory());
        Database two = Database.builder(TransactionSupport.local(onPrimary), schema)
                .replicas(List.of(onReplica, second)).build();
        for (int i = 0; i < 6; i++) {
            assertThat(onStandby(two.findByPk(probes, 1))).isTrue();
        }
        assertThat(onReplica.count()).isEqualTo(3);
        assertThat(second.count()).isEqualTo(3);
        assertThat(onPrimary.count()).isZero();
    }

    @Test
    void writesAndSyncRunOnThePrimary() {
        db.sync().as(StepVerifier::create).expectComplete().verify(TIMEOUT);
        Author created = db.create(authors, new Author(null, "written")).block(TIMEOUT);
        assertThat(created.id()).isNotNull();
        assertThat(db.update(Query.from(authors).where(Where.eq("id", created.id())), Map.of("name", "changed"))
                .block(TIMEOUT)).isEqualTo(1L);
        assertThat(Sql.single(cluster.primaryFactory(), "SELECT name FROM \"Authors\" WHERE id = $1", String.class,
                created.id())).isEqualTo("changed");
        assertThat(db.destroy(Query.from(authors).where(Where.eq("id", created.id()))).block(TIMEOUT)).isEqualTo(1L);
        assertThat(onReplica.count()).isZero();
        assertThat(onPrimary.count()).isPositive();
    }

    @Test
    void everythingInsideATransactionRunsOnThePrimary() {
        List<Boolean> seen = db.transaction(tx -> db.findAll(Query.from(probes)).map(Probe::standby)
                        .concatWith(db.count(Query.from(books)).map(n -> n == 600L))
                        .concatWith(db.association(authorBooks).get(new Author(1L, "author-1")).count().map(n -> n == 2L)))
                .collectList().block(TIMEOUT);
        assertThat(seen).containsExactly(false, true, true);
        assertThat(onReplica.count()).isZero();
    }

    @Test
    void readsOfThePrimaryViewRunOnThePrimary() {
        Database primary = db.primary();
        assertThat(onStandby(primary.findByPk(probes, 1))).isFalse();
        assertThat(onStandby(primary.findOne(Query.from(probes)))).isFalse();
        assertThat(primary.association(authorBooks).get(new Author(2L, "author-2")).count().block(TIMEOUT)).isEqualTo(2L);
        assertThat(onReplica.count()).isZero();
        // the view shares the database: the next plain read is on the standby again
        assertThat(onStandby(db.findByPk(probes, 1))).isTrue();
    }

    @Test
    void aReadOnlyTransactionRunsOnTheStandby() {
        Boolean standby = db.transaction(TransactionOptions.defaults().readOnly(true),
                tx -> db.findAll(Query.from(probes)).map(Probe::standby)).single().block(TIMEOUT);
        assertThat(standby).isTrue();
        Boolean writable = db.transaction(TransactionOptions.defaults(),
                tx -> db.findAll(Query.from(probes)).map(Probe::standby)).single().block(TIMEOUT);
        assertThat(writable).isFalse();
    }

    @Test
    void separateIncludesAndLazyLoadsRunOnTheStandby() {
        Query<Author> query = Query.from(authors).where(Where.lte("id", 300L)).orderBy(Order.asc("id"))
                .include(authorBooks, b -> b.strategy(Include.Strategy.SEPARATE));
        assertThat(db.findAll(query).count().block(TIMEOUT)).isEqualTo(300L);
        List<Book> lazy = db.association(authorBooks).get(new Author(7L, "author-7")).collectList().block(TIMEOUT);
        assertThat(lazy).extracting(Book::title).containsExactlyInAnyOrder("book-13", "book-14");
        assertThat(onPrimary.count()).isZero();
        assertThat(onReplica.statements()).anySatisfy(sql -> assertThat(sql).startsWith("DECLARE"));
    }

    @Test
    void replicationLagIsHandledByPrimaryReads() {
        Sql.execute(cluster.standbyFactory(), "SELECT pg_wal_replay_pause()");
        try {
            Mono.fromCallable(() -> Sql.single(cluster.standbyFactory(), "SELECT pg_get_wal_replay_pause_state()",
                            String.class))
                    .filter("paused"::equals)
                    .repeatWhenEmpty(500, polls -> polls.delayElements(Duration.ofMillis(10)))
                    .as(StepVerifier::create).expectNext("paused").expectComplete().verify(TIMEOUT);
            Author written = db.create(authors, new Author(null, "fresh")).block(TIMEOUT);
            // the standby has not replayed the insert: a plain read misses it, a primary() read sees it
            assertThat(db.findByPk(authors, written.id()).block(TIMEOUT)).isNull();
            assertThat(db.primary().findByPk(authors, written.id()).block(TIMEOUT)).isEqualTo(written);
        } finally {
            Sql.execute(cluster.standbyFactory(), "SELECT pg_wal_replay_resume()");
        }
        cluster.awaitReplay(500).block(TIMEOUT);
        assertThat(db.findOne(Query.from(authors).where(Where.eq("name", "fresh"))).map(Author::name).block(TIMEOUT))
                .isEqualTo("fresh");
    }

    @Test
    void aStoppedStandbyFallsBackToThePrimaryWithoutFailingReadsAndIsUsedAgainOnceBack() {
        cluster.stopServer("standby");
        try {
            for (int i = 0; i < 5; i++) {
                assertThat(onStandby(db.findByPk(probes, 1))).isFalse();
            }
            assertThat(db.count(Query.from(books)).block(TIMEOUT)).isEqualTo(600L);
            assertThat(db.findAll(Query.from(authors).where(Where.lte("id", 10L))
                    .include(authorBooks, b -> b.strategy(Include.Strategy.SEPARATE))).count().block(TIMEOUT))
                    .isEqualTo(10L);
            assertThat(db.association(authorBooks).get(new Author(3L, "author-3")).count().block(TIMEOUT)).isEqualTo(2L);
        } finally {
            cluster.startServer("standby");
        }
        // retried after replicaRetryAfter: reads reach the standby again (bounded number of reads)
        Mono.defer(() -> db.findByPk(probes, 1))
                .filter(Probe::standby)
                .repeatWhenEmpty(200, polls -> polls.delayElements(Duration.ofMillis(25)))
                .map(Probe::standby)
                .as(StepVerifier::create).expectNext(true).expectComplete().verify(TIMEOUT);
    }

    @Test
    void connectWithReplicaUrlsRoutesReadsToTheStandbyAndClosesEveryPool() {
        Database connected = Database.connect(cluster.primaryUrl(), List.of(cluster.standbyUrl()), schema);
        try {
            assertThat(onStandby(connected.findByPk(probes, 1))).isTrue();
            assertThat(onStandby(connected.primary().findByPk(probes, 1))).isFalse();
            assertThat(connected.create(authors, new Author(null, "via-connect")).block(TIMEOUT).id()).isNotNull();
        } finally {
            connected.close().block(TIMEOUT);
        }
        StepVerifier.create(connected.findByPk(probes, 1)).expectError().verify(TIMEOUT);
    }
}
