package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.PoolMetrics;
import io.relata.query.Query;
import io.relata.reactor.testing.Backends;
import io.relata.reactor.testing.Pools;
import io.relata.reactor.testing.Sql;
import io.relata.reactor.testing.ThroughPgBouncer;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** {@link ServerCancelIT} again, through PgBouncer in transaction pooling mode (skipped when pgbouncer is not installed). */
@ThroughPgBouncer
class PgBouncerServerCancelIT extends ServerCancelIT {

    /**
     * As in {@link ServerCancelIT}, except the last check: which server backend serves the next transaction is
     * PgBouncer's choice, so backend pids cannot show that the connection was kept. Checked instead: the statement
     * stopped on the server, and the pool of one answers the next query with one connection allocated.
     */
    @Override
    @Test
    void timeoutOnASleepingQueryStopsItOnTheServer() {
        db.count(Query.from(notes)).as(StepVerifier::create).expectNextCount(1).expectComplete().verify(TIMEOUT);
        PoolMetrics metrics = ((ConnectionPool) db.connectionFactory()).getMetrics().orElseThrow();
        int allocated = metrics.allocatedSize();
        db.findAll(Query.from(sleeps)).timeout(Duration.ofSeconds(1))
                .as(StepVerifier::create).expectError(TimeoutException.class).verify(TIMEOUT);
        Backends.awaitNoneActive(handle.connectionFactory(), "\"Sleeps\"", GONE);
        db.count(Query.from(notes)).as(StepVerifier::create).expectNextCount(1).expectComplete().verify(TIMEOUT);
        assertThat(allocated).isEqualTo(1);
        assertThat(metrics.allocatedSize()).as("connections of the pool of one").isEqualTo(1);
    }

    /** As in {@link ServerCancelIT}, with the last check replaced as above (pids say nothing through PgBouncer). */
    @Override
    @Test
    void cancellingATransactionStopsItsStatementAndRollsBack() {
        db.count(Query.from(notes)).as(StepVerifier::create).expectNextCount(1).expectComplete().verify(TIMEOUT);
        PoolMetrics metrics = ((ConnectionPool) db.connectionFactory()).getMetrics().orElseThrow();
        db.transaction(tx -> db.create(notes, new Note(null, "written before the sleep"))
                        .thenMany(db.findAll(Query.from(sleeps))))
                .timeout(Duration.ofSeconds(1))
                .as(StepVerifier::create).expectError(TimeoutException.class).verify(TIMEOUT);
        Backends.awaitNoneActive(handle.connectionFactory(), "\"Sleeps\"", GONE);
        Pools.awaitNoAcquired(db.connectionFactory(), GONE);
        assertThat(Sql.single(handle.connectionFactory(), "SELECT count(*) FROM \"Notes\"", Long.class))
                .as("rows of the cancelled transaction").isZero();
        db.count(Query.from(notes)).as(StepVerifier::create).expectNextCount(1).expectComplete().verify(TIMEOUT);
        assertThat(metrics.allocatedSize()).as("connections of the pool of one").isEqualTo(1);
    }
}
