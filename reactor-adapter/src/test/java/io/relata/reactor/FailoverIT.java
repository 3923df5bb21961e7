package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.Model;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.reactor.testing.Sql;
import io.relata.reactor.testing.StandbyCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * Failover with a multi-host URL ({@code targetServerType=primary}) through Relata's pool: a writer keeps
 * inserting while the primary is stopped and the standby promoted ({@code pg_ctl promote}); writes succeed
 * again once the standby is the primary, the outage is measured and logged (no timing assertion), and every
 * insert reported committed is on the new primary. Skipped when the PostgreSQL binaries are not installed.
 */
class FailoverIT {
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** The driver re-checks a host it found to be a standby only after this long (its default is 10 s; system property relata.failover.hostRecheckTime). */
    static final String HOST_RECHECK = System.getProperty("relata.failover.hostRecheckTime", "PT0.5S");

    record Entry(Long id, String label) {
    }

    static StandbyCluster cluster;
    static Model<Entry> entries;
    static Schema schema;

    @BeforeAll
    static void cluster() {
        Assumptions.assumeTrue(StandbyCluster.binaries().isPresent(),
                "skipped: no PostgreSQL binaries (initdb, pg_basebackup) under /usr/lib/postgresql/*/bin");
        cluster = StandbyCluster.start();
        SchemaBuilder s = Schema.builder().timestamps(false);
        entries = s.define(Entry.class);
        schema = s.build();
    }

    @AfterAll
    static void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void afterThePrimaryStopsAndTheStandbyIsPromotedWritesSucceedAgainAndNothingCommittedIsLost() {
        String url = "r2dbc:postgresql://postgres@127.0.0.1:" + cluster.primaryPort() + ",127.0.0.1:"
                + cluster.standbyPort() + "/relata?targetServerType=primary&hostRecheckTime=" + HOST_RECHECK
                + "&connectTimeout=PT2S";
        Database db = Database.connect(url, schema);
        try {
            db.sync().as(StepVerifier::create).expectComplete().verify(TIMEOUT);
            List<Long> committed = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger failures = new AtomicInteger();
            AtomicInteger afterPromotion = new AtomicInteger();
            AtomicBoolean promoted = new AtomicBoolean();
            AtomicLong lastBefore = new AtomicLong();
            AtomicLong firstAfter = new AtomicLong();
            List<String> errors = Collections.synchronizedList(new ArrayList<>());
            // one insert after the other; a failed one is tried again 10 ms later (the backoff of a real client)
            Mono<Void> writer = Flux.range(0, Integer.MAX_VALUE)
                    .concatMap(i -> db.create(entries, new Entry(null, "entry-" + i))
                            .doOnNext(e -> {
                                long now = System.nanoTime();
                                committed.add(e.id());
                                if (promoted.get()) {
                                    firstAfter.compareAndSet(0, now);
                                    afterPromotion.incrementAndGet();
                                } else if (failures.get() == 0) {
                                    lastBefore.set(now);
                                }
                            })
                            .onErrorResume(e -> {
                                if (failures.incrementAndGet() <= 3) {
                                    errors.add(e.toString());
                                }
                                return Mono.delay(Duration.ofMillis(10)).then(Mono.empty());
                            }))
                    .takeUntil(e -> afterPromotion.get() >= 20)
                    .then()
                    .subscribeOn(Schedulers.boundedElastic())
                    .cache();
            writer.subscribe(x -> { }, e -> { });
            // let it commit a while on the first primary
            Mono.fromSupplier(committed::size).filter(n -> n >= 50)
                    .repeatWhenEmpty(1000, polls -> polls.delayElements(Duration.ofMillis(5)))
                    .as(StepVerifier::create).expectNextCount(1).expectComplete().verify(TIMEOUT);
            long stopStart = System.nanoTime();
            cluster.stopServer("primary");
            long stopped = System.nanoTime();
            cluster.promoteStandby();
            long promotedAt = System.nanoTime();
            promoted.set(true);
            writer.as(StepVerifier::create).expectComplete().verify(TIMEOUT);

            long outage = firstAfter.get() - Math.max(lastBefore.get(), 1);
            System.err.printf("[relata-test] failover: primary stopped in %d ms, standby promoted in %d ms; last"
                            + " commit on the old primary at %+d ms, first on the new one at %+d ms from the stop's"
                            + " start (outage %d ms, hostRecheckTime %s, %d failed attempts, first errors %s);"
                            + " %d inserts committed%n",
                    ms(stopped - stopStart), ms(promotedAt - stopped), ms(lastBefore.get() - stopStart),
                    ms(firstAfter.get() - stopStart), ms(outage), HOST_RECHECK, failures.get(), errors,
                    committed.size());

            // nothing reported committed is lost: every id is on the new primary
            List<Long> onNewPrimary = Sql.rows(cluster.standbyFactory(), "SELECT id FROM \"Entries\" ORDER BY id")
                    .stream().map(row -> ((Number) row.get("id")).longValue()).toList();
            assertThat(onNewPrimary).containsAll(List.copyOf(committed));
            assertThat(Sql.single(cluster.standbyFactory(), "SELECT pg_is_in_recovery()", Boolean.class)).isFalse();
            assertThat(afterPromotion.get()).isGreaterThanOrEqualTo(20);
            // reads and writes through the same Database go on on the new primary
            assertThat(db.update(Query.from(entries)
                            .where(Where.eq("id", committed.get(0))), Map.of("label", "after failover"))
                    .block(TIMEOUT)).isEqualTo(1L);
        } finally {
            db.close().block(TIMEOUT);
        }
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
