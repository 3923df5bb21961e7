package io.relata.reactor.testing;

import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * What the server is doing for a test's database, from {@code pg_stat_activity}, seen from a connection
 * outside the code under test; and terminating those backends ({@code pg_terminate_backend}). Only
 * backends of the test's own database are ever looked at or terminated. Blocking helpers, for tests only.
 */
public final class Backends {
    private static final String OTHERS = "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()";

    private Backends() {
    }

    /** @return the statements now active in the test's database whose text contains {@code fragment} */
    public static List<String> active(ConnectionFactory admin, String fragment) {
        return Sql.rows(admin, "SELECT query " + OTHERS + " AND state = 'active' AND strpos(query, $1) > 0", fragment)
                .stream().map(r -> (String) r.get("query")).toList();
    }

    /**
     * Polls until no statement containing {@code fragment} is active; fails after {@code deadline} with
     * what is still running.
     */
    public static void awaitNoneActive(ConnectionFactory admin, String fragment, Duration deadline) {
        Mono.fromCallable(() -> active(admin, fragment))
                .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic())
                .filter(List::isEmpty)
                .repeatWhenEmpty(attempts -> attempts.delayElements(Duration.ofMillis(20)))
                .timeout(deadline, Mono.fromCallable(() -> active(admin, fragment))
                        .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic())
                        .flatMap(still -> Mono.error(new AssertionError("still active on the server after " + deadline
                                + ": " + still))))
                .as(StepVerifier::create)
                .expectNextCount(1)
                .expectComplete()
                .verify(deadline.plusSeconds(30));
    }

    /** Polls until a statement containing {@code fragment} is active; fails after {@code deadline}. */
    public static void awaitActive(ConnectionFactory admin, String fragment, Duration deadline) {
        Mono.fromCallable(() -> active(admin, fragment))
                .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic())
                .filter(l -> !l.isEmpty())
                .repeatWhenEmpty(attempts -> attempts.delayElements(Duration.ofMillis(10)))
                .timeout(deadline, Mono.error(() -> new AssertionError("never active on the server within " + deadline
                        + ": " + fragment)))
                .as(StepVerifier::create)
                .expectNextCount(1)
                .expectComplete()
                .verify(deadline.plusSeconds(30));
    }

    /**
     * Terminates the backends of the test's database running a statement that contains {@code fragment}.
     *
     * @return how many were terminated
     */
    public static long terminateRunning(ConnectionFactory admin, String fragment) {
        return Sql.single(admin, "SELECT count(pg_terminate_backend(pid)) " + OTHERS
                + " AND state = 'active' AND strpos(query, $1) > 0", Long.class, fragment);
    }

    /** Terminates one backend of the test's database by its process id. */
    public static void terminate(ConnectionFactory admin, long pid) {
        Boolean done = Sql.single(admin, "SELECT pg_terminate_backend($1::int)", Boolean.class, (int) pid);
        if (!Boolean.TRUE.equals(done)) {
            throw new AssertionError("backend " + pid + " was not terminated");
        }
    }

    /** @return the number of connections other than the caller's open to the test's database */
    public static long connections(ConnectionFactory admin) {
        return Sql.single(admin, "SELECT count(*) " + OTHERS, Long.class);
    }

    /**
     * Polls until at most {@code max} other connections are open to the test's database (backends of
     * closed connections take a moment to exit); fails after {@code deadline} with the number.
     */
    public static void awaitConnectionsAtMost(ConnectionFactory admin, long max, Duration deadline) {
        Mono.fromCallable(() -> connections(admin))
                .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic())
                .filter(n -> n <= max)
                .repeatWhenEmpty(attempts -> attempts.delayElements(Duration.ofMillis(20)))
                .timeout(deadline, Mono.fromCallable(() -> connections(admin))
                        .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic())
                        .flatMap(n -> Mono.error(new AssertionError("connections to the database after " + deadline
                                + ": " + n + ", expected at most " + max))))
                .as(StepVerifier::create)
                .expectNextCount(1)
                .expectComplete()
                .verify(deadline.plusSeconds(30));
    }

    /** @return the process ids of the other client backends connected to the test's database */
    public static java.util.Set<Integer> pids(ConnectionFactory admin) {
        return Sql.rows(admin, "SELECT pid " + OTHERS + " AND backend_type = 'client backend'").stream()
                .map(r -> (Integer) r.get("pid")).collect(java.util.stream.Collectors.toSet());
    }
}
