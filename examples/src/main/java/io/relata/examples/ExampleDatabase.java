package io.relata.examples;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.jspecify.annotations.Nullable;

/**
 * The PostgreSQL server the examples run against.
 *
 * <p>If the environment variable {@value #URL_VARIABLE} is set, it is used as is (an R2DBC URL
 * such as {@code r2dbc:postgresql://postgres@localhost:5432/test}) and nothing is started.
 * Otherwise an embedded PostgreSQL (zonky) is started in a temporary directory and its
 * {@code postgres} database is used, as user {@code postgres}. Either way one line on standard
 * output says which.
 *
 * <pre>{@code
 * try (ExampleDatabase postgres = ExampleDatabase.start()) {
 *     Database db = Database.connect(postgres.r2dbcUrl(), schema);
 *     ...
 * }
 * }</pre>
 *
 * <p>Instances are thread-safe; {@link #close()} may be called more than once.
 */
public final class ExampleDatabase implements AutoCloseable {

    /** The environment variable naming an existing server, as an R2DBC URL. */
    public static final String URL_VARIABLE = "RELATA_URL";

    private final String r2dbcUrl;
    private final @Nullable EmbeddedPostgres embedded;

    private ExampleDatabase(String r2dbcUrl, @Nullable EmbeddedPostgres embedded) {
        this.r2dbcUrl = r2dbcUrl;
        this.embedded = embedded;
    }

    /**
     * Returns the server named by {@value #URL_VARIABLE}, or starts an embedded one (blocking
     * until it accepts connections, typically a few seconds on first use while the binaries
     * are unpacked).
     *
     * @return the database to run the examples against; close it when done
     * @throws UncheckedIOException if the embedded server cannot be started
     */
    public static ExampleDatabase start() {
        String url = System.getenv(URL_VARIABLE);
        if (url != null && !url.isBlank()) {
            ExampleDatabase database = new ExampleDatabase(url.trim(), null);
            System.out.println("Examples use PostgreSQL from " + URL_VARIABLE + ": " + masked(database.r2dbcUrl));
            return database;
        }
        EmbeddedPostgres postgres;
        try {
            // the builder's default shutdown hook also stops the server if close() is never reached
            postgres = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start (set " + URL_VARIABLE
                    + " to an R2DBC URL to use an existing server instead)", e);
        }
        ExampleDatabase database = new ExampleDatabase(
                "r2dbc:postgresql://postgres@localhost:" + postgres.getPort() + "/postgres", postgres);
        System.out.println("Examples use embedded PostgreSQL at " + database.r2dbcUrl
                + " (set " + URL_VARIABLE + " to use your own server)");
        return database;
    }

    /**
     * The R2DBC URL of the database to use, for example for {@code Database.connect}.
     *
     * @return an R2DBC URL, possibly with credentials
     */
    public String r2dbcUrl() {
        return r2dbcUrl;
    }

    /**
     * Stops the embedded server and deletes its data, if one was started; does nothing for a
     * server named by {@value #URL_VARIABLE}. Connections still open to the embedded server fail.
     *
     * @throws UncheckedIOException if the embedded server cannot be stopped
     */
    @Override
    public void close() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not stop cleanly", e);
            }
        }
    }

    /** The URL with any password replaced, for printing. */
    private static String masked(String url) {
        return url.replaceFirst("://([^:/@?]*):[^@/?]*@", "://$1:***@");
    }
}
