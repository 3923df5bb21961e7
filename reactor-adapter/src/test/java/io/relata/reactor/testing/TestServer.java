package io.relata.reactor.testing;

import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.postgresql.api.PostgresqlResult;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;

/**
 * The PostgreSQL server the integration tests of this JVM run against: an R2DBC URL for an
 * administrative database on it (used to create and drop the per-class databases) and a
 * description of where it came from.
 *
 * <p>Resolved once per JVM by {@link #get()}, in this order: the {@code RELATA_TEST_URL}
 * environment variable, Testcontainers (only if a Docker engine answers), an embedded
 * PostgreSQL started in this JVM.
 */
record TestServer(String adminUrl, ConnectionFactoryOptions adminOptions, String description) {

    /** Environment variable naming an existing server (an R2DBC URL). */
    static final String URL_VARIABLE = "RELATA_TEST_URL";

    /** Admin statements are blocking test set-up; a server that does not answer fails the class. */
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(60);

    private static final Object LOCK = new Object();
    private static TestServer resolved;
    private static RuntimeException resolutionFailure;

    TestServer {
        Objects.requireNonNull(adminUrl, "adminUrl");
        Objects.requireNonNull(adminOptions, "adminOptions");
        Objects.requireNonNull(description, "description");
    }

    static TestServer of(String adminUrl, String description) {
        return new TestServer(adminUrl, ConnectionFactoryOptions.parse(adminUrl), description);
    }

    /**
     * The server for this JVM, resolved (and, for Testcontainers or embedded, started) on first use.
     * A failure is remembered, so every later test class fails fast with the same cause instead of
     * trying again.
     */
    static TestServer get() {
        synchronized (LOCK) {
            if (resolved == null && resolutionFailure == null) {
                try {
                    long start = System.nanoTime();
                    TestServer server = locate();
                    // Fail here, once, with the source named, rather than in every class; also takes
                    // the driver's first-connection warm-up out of the per-class timings.
                    try {
                        server.executeAdmin("SELECT 1");
                    } catch (RuntimeException e) {
                        throw new IllegalStateException("cannot connect to " + server.description() + ": " + e.getMessage(), e);
                    }
                    resolved = server;
                    System.err.println("[relata-test] PostgreSQL for integration tests: " + server.description()
                            + " (ready in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms)");
                } catch (RuntimeException | Error e) {
                    resolutionFailure = new IllegalStateException(
                            "no PostgreSQL server for integration tests: " + e.getMessage(), e);
                }
            }
            if (resolutionFailure != null) {
                throw resolutionFailure;
            }
            return resolved;
        }
    }

    private static TestServer locate() {
        String url = System.getenv(URL_VARIABLE);
        if (url != null && !url.isBlank()) {
            return of(url.trim(), URL_VARIABLE + " = " + masked(url.trim()));
        }
        // The Testcontainers classes are only touched from here on, and any failure of theirs
        // (missing from the class path, no Docker, image pull error) only means "not this source".
        if (dockerAvailable()) {
            try {
                return ContainerServer.start();
            } catch (Throwable e) {
                System.err.println("[relata-test] Docker is available but the PostgreSQL container did not start ("
                        + e + "); falling back to embedded PostgreSQL");
            }
        }
        return EmbeddedServer.start();
    }

    private static boolean dockerAvailable() {
        try {
            return ContainerServer.dockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    /** The R2DBC URL of {@code database} on this server (same credentials and options). */
    String urlFor(String database) {
        return withDatabase(adminUrl, database);
    }

    /** Connection options for {@code database} on this server. */
    ConnectionFactoryOptions optionsFor(String database) {
        return ConnectionFactoryOptions.builder()
                .from(adminOptions)
                .option(ConnectionFactoryOptions.DATABASE, database)
                .build();
    }

    /** A plain, unpooled connection factory for {@code database} on this server. */
    PostgresqlConnectionFactory connectionFactoryFor(String database) {
        return new PostgresqlConnectionFactoryProvider().create(optionsFor(database));
    }

    /** Runs one statement on a fresh connection to the administrative database and waits for it. */
    void executeAdmin(String sql) {
        PostgresqlConnectionFactory factory = new PostgresqlConnectionFactoryProvider().create(adminOptions);
        Mono.usingWhen(factory.create(),
                        connection -> connection.createStatement(sql).execute()
                                .flatMap(PostgresqlResult::getRowsUpdated)
                                .then(),
                        PostgresqlConnection::close)
                .block(ADMIN_TIMEOUT);
    }

    /** Replaces the path (database) of an R2DBC URL, keeping driver, credentials, host and options. */
    static String withDatabase(String url, String database) {
        int separator = url.indexOf("://");
        if (separator < 0) {
            throw new IllegalArgumentException("not an R2DBC URL (expected r2dbc:driver://host/database): " + masked(url));
        }
        int authorityStart = separator + 3;
        int queryStart = url.indexOf('?', authorityStart);
        int end = queryStart < 0 ? url.length() : queryStart;
        int pathStart = url.indexOf('/', authorityStart);
        if (pathStart < 0 || pathStart > end) {
            pathStart = end;
        }
        return url.substring(0, pathStart) + "/" + database + url.substring(end);
    }

    /** The URL with any password replaced, for logs. */
    static String masked(String url) {
        return url.replaceFirst("://([^:/@?]*):[^@/?]*@", "://$1:***@");
    }
}
