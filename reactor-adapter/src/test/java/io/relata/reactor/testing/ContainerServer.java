package io.relata.reactor.testing;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * PostgreSQL in a Testcontainers container. Kept in its own class so that no Testcontainers type
 * is loaded unless this source is actually considered (it may be missing from a class path that
 * reuses this extension).
 */
final class ContainerServer {

    static final String IMAGE = "postgres:15-alpine";

    private ContainerServer() {
    }

    static boolean dockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    static TestServer start() {
        PostgreSQLContainer container = new PostgreSQLContainer(IMAGE);
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "relata-test-container-stop"));
        String host = container.getHost();
        int port = container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT);
        String url = "r2dbc:postgresql://" + encode(container.getUsername()) + ":" + encode(container.getPassword())
                + "@" + host + ":" + port + "/" + container.getDatabaseName();
        return TestServer.of(url, "Testcontainers " + IMAGE + " on " + host + ":" + port);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
