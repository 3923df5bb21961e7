package io.relata.reactor.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.PoolMetrics;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Leak checks on an R2DBC pool: releases are asynchronous, so they are polled with a deadline. */
public final class Pools {
    private Pools() {
    }

    /**
     * Waits until the pool has no acquired connection; fails after {@code timeout} with the metrics.
     *
     * @param factory a {@link ConnectionPool} (e.g. {@code db.connectionFactory()} of {@code Database.connect})
     * @param timeout how long releases may take
     */
    public static void awaitNoAcquired(ConnectionFactory factory, Duration timeout) {
        assertThat(factory).as("the database's connection factory").isInstanceOf(ConnectionPool.class);
        PoolMetrics metrics = ((ConnectionPool) factory).getMetrics().orElseThrow();
        Mono.fromSupplier(metrics::acquiredSize)
                .filter(n -> n == 0)
                .repeatWhenEmpty(attempts -> attempts.delayElements(Duration.ofMillis(5)))
                .timeout(timeout, Mono.error(() -> new AssertionError("connections still acquired after " + timeout
                        + ": acquired=" + metrics.acquiredSize() + ", allocated=" + metrics.allocatedSize()
                        + ", idle=" + metrics.idleSize() + ", pending=" + metrics.pendingAcquireSize())))
                .as(StepVerifier::create)
                .expectNext(0)
                .expectComplete()
                .verify(timeout.plusSeconds(5));
    }

    /** {@link #awaitNoAcquired(ConnectionFactory, Duration)} with 30 seconds (releases wait for cancelled statements to end; slow under the paranoid leak detector). */
    public static void awaitNoAcquired(ConnectionFactory factory) {
        awaitNoAcquired(factory, Duration.ofSeconds(30));
    }
}
