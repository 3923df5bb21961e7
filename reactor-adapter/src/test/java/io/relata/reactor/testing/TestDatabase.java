package io.relata.reactor.testing;

import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.R2dbcException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * JUnit 5 extension giving each integration test class its own, freshly created PostgreSQL
 * database.
 *
 * <pre>{@code
 * @ExtendWith(TestDatabase.class)
 * class SomethingIT {
 *     @BeforeAll
 *     static void schema(TestDatabase.Handle db) { ... }
 *
 *     @Test
 *     void works(TestDatabase.Handle db) {
 *         Database.connect(db.url(), schema) ...
 *     }
 * }
 * }</pre>
 *
 * <p>The server is chosen once per JVM: the R2DBC URL in the environment variable
 * {@code RELATA_TEST_URL} if set; else a Testcontainers {@code postgres:15-alpine} container if
 * a Docker engine answers; else an embedded PostgreSQL (zonky) started in this JVM. The choice is
 * printed once to stderr.
 *
 * <p>Before a test class runs, a database {@code relata_<class>_<pid>_<n>} is created on that
 * server (from {@code template0}, so it is empty); after the class it is dropped
 * {@code WITH (FORCE)}. A {@code @Nested} class shares its enclosing class's database, unless the
 * nested class itself carries {@code @ExtendWith(TestDatabase.class)}, in which case it gets its
 * own.
 *
 * <p>Tests receive the database as a {@link Handle} parameter of test methods, lifecycle methods
 * (including {@code static @BeforeAll}/{@code @AfterAll}) and constructors.
 */
public final class TestDatabase implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TestDatabase.class);
    private static final String HANDLE = "handle";
    /** PostgreSQL truncates identifiers longer than this (NAMEDATALEN - 1). */
    private static final int MAX_IDENTIFIER_BYTES = 63;
    private static final String DUPLICATE_DATABASE = "42P04";
    private static final AtomicInteger COUNTER = new AtomicInteger();

    /**
     * The database of one test class.
     *
     * @param database          the database name on the server
     * @param url               the R2DBC URL of that database (same credentials and options as the server's)
     * @param connectionFactory a plain, unpooled {@code PostgresqlConnectionFactory} for it
     * @param description       where the server came from ({@code RELATA_TEST_URL}, Testcontainers, embedded)
     */
    public record Handle(String database, String url, ConnectionFactory connectionFactory, String description) {

        /** Checks that no component is null. */
        public Handle {
            Objects.requireNonNull(database, "database");
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(connectionFactory, "connectionFactory");
            Objects.requireNonNull(description, "description");
        }
    }

    /** Creates the extension; JUnit calls this for {@code @ExtendWith(TestDatabase.class)}. */
    public TestDatabase() {
    }

    /** Creates the class's database (for top-level classes and nested classes that ask for one). */
    @Override
    public void beforeAll(ExtensionContext context) {
        if (!ownsDatabase(context)) {
            return;
        }
        boolean bounced = throughPgBouncer(context);
        if (bounced) {
            Assumptions.assumeTrue(PgBouncer.binary().isPresent(), "skipped: " + context.getRequiredTestClass().getName()
                    + " runs through PgBouncer, and the pgbouncer binary is not installed (apt-get install pgbouncer;"
                    + " .ci/run installs it when run as root)");
        }
        TestServer server = TestServer.get();
        long start = System.nanoTime();
        String database = create(server, context.getRequiredTestClass());
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.err.println("[relata-test] " + context.getRequiredTestClass().getSimpleName()
                + ": created database " + database + " in " + millis + " ms" + (bounced ? " (used through PgBouncer)" : ""));
        Handle handle = bounced ? bouncedHandle(context, server, database)
                : new Handle(database, server.urlFor(database), server.connectionFactoryFor(database), server.description());
        context.getStore(NAMESPACE).put(HANDLE, handle);
    }

    /** Drops the database this class created, terminating connections still open to it. */
    @Override
    public void afterAll(ExtensionContext context) {
        if (!ownsDatabase(context)) {
            return;
        }
        Handle handle = context.getStore(NAMESPACE).remove(HANDLE, Handle.class);
        if (handle != null) {
            TestServer.get().executeAdmin("DROP DATABASE IF EXISTS " + quote(handle.database()) + " WITH (FORCE)");
        }
    }

    /** Supports parameters of type {@link Handle}. */
    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == Handle.class;
    }

    /** The handle of the nearest enclosing class that owns a database. */
    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        // Store look-ups fall back to the parent contexts: a method or nested class finds its class's handle.
        Handle handle = extensionContext.getStore(NAMESPACE).get(HANDLE, Handle.class);
        if (handle == null) {
            throw new ParameterResolutionException("no test database for " + parameterContext.getDeclaringExecutable()
                    + ": TestDatabase creates it before all tests of a class, so it is not available here");
        }
        return handle;
    }

    /** Whether the class or one enclosing it (in this run) carries {@link ThroughPgBouncer}. */
    private static boolean throughPgBouncer(ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            if (c.getTestClass().map(type -> AnnotationSupport.isAnnotated(type, ThroughPgBouncer.class)).orElse(false)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The handle of a database reached through the JVM's PgBouncer (started on first use, closed with the
     * root context): URL and factory with the driver's prepared-statement cache off.
     */
    private static Handle bouncedHandle(ExtensionContext context, TestServer server, String database) {
        ConnectionFactoryOptions direct = server.optionsFor(database);
        String host = String.valueOf(direct.getRequiredValue(ConnectionFactoryOptions.HOST));
        Object portValue = direct.getValue(ConnectionFactoryOptions.PORT);
        int port = portValue == null ? 5432 : Integer.parseInt(portValue.toString());
        Object userValue = direct.getValue(ConnectionFactoryOptions.USER);
        String user = userValue == null ? "postgres" : userValue.toString();
        Object passwordValue = direct.getValue(ConnectionFactoryOptions.PASSWORD);
        String password = passwordValue == null ? null : passwordValue.toString();
        PgBouncer bouncer = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(
                PgBouncer.class, k -> PgBouncer.start(host, port, user, password), PgBouncer.class);
        String url = "r2dbc:postgresql://" + user + (password == null ? "" : ":" + password) + "@127.0.0.1:"
                + bouncer.port() + "/" + database + "?preparedStatementCacheQueries=0";
        ConnectionFactoryOptions options = ConnectionFactoryOptions.builder().from(direct)
                .option(ConnectionFactoryOptions.HOST, "127.0.0.1")
                .option(ConnectionFactoryOptions.PORT, bouncer.port())
                .option(PostgresqlConnectionFactoryProvider.PREPARED_STATEMENT_CACHE_QUERIES, 0)
                .build();
        return new Handle(database, url, ConnectionFactories.get(options),
                server.description() + " through PgBouncer on 127.0.0.1:" + bouncer.port());
    }

    /**
     * Top-level classes own a database; a nested class only when it carries the extension itself
     * (the registration it inherits from its enclosing class means "share the enclosing database").
     */
    private static boolean ownsDatabase(ExtensionContext context) {
        boolean nested = context.getParent().flatMap(ExtensionContext::getTestClass).isPresent();
        if (!nested) {
            return true;
        }
        return AnnotationSupport.findRepeatableAnnotations(context.getRequiredTestClass(), ExtendWith.class).stream()
                .anyMatch(extendWith -> Arrays.asList(extendWith.value()).contains(TestDatabase.class));
    }

    private static String create(TestServer server, Class<?> testClass) {
        String prefix = "relata_" + testClass.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        while (true) {
            String suffix = "_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
            String database = prefix.substring(0, Math.min(prefix.length(), MAX_IDENTIFIER_BYTES - suffix.length()))
                    + suffix;
            try {
                server.executeAdmin("CREATE DATABASE " + quote(database) + " TEMPLATE template0");
                return database;
            } catch (R2dbcException e) {
                // a leftover of a killed run with the same pid on a shared server: never drop it, take the next name
                if (!DUPLICATE_DATABASE.equals(e.getSqlState())) {
                    throw e;
                }
            }
        }
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
