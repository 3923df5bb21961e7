package io.relata.examples.social;

import io.r2dbc.spi.ConnectionFactory;
import io.relata.Schema;
import io.relata.examples.ExampleDatabase;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.annotation.EnableTransactionManagement;

/**
 * A Spring WebFlux application on Relata's starter: the only Relata wiring is the {@link Schema} bean (the
 * starter defines the {@code Database} on Boot's pool, with Spring's transactions and exceptions).
 *
 * <pre>
 * mvn -B -q -pl examples -am -DskipTests install exec:java -Dexec.mainClass=io.relata.examples.social.SocialApp
 * curl -N 'localhost:8080/users?include=profile,posts'
 * </pre>
 *
 * <p>{@link #main} uses {@code RELATA_URL} or an embedded PostgreSQL (see {@link ExampleDatabase}) and port 8080
 * unless {@code --server.port} says otherwise; {@code relata.sync=force} re-creates the tables, and
 * {@link SocialDemo#seed} adds a few users.
 */
@SpringBootApplication
@EnableTransactionManagement
public class SocialApp {

    /** Created by Spring. */
    public SocialApp() {
    }

    /** @return the domain (models and associations) */
    @Bean
    Social social() {
        return new Social();
    }

    /** @param social the domain @return the schema: with it, the starter auto-configures the Database */
    @Bean
    Schema schema(Social social) {
        return social.schema;
    }

    /** @param factory Boot's connection factory @return Spring's SQL client, sharing Relata's transactions */
    @Bean
    DatabaseClient databaseClient(ConnectionFactory factory) {
        return DatabaseClient.create(factory);
    }

    /**
     * Runs the application until it is stopped (Ctrl-C).
     *
     * @param args Spring Boot arguments, e.g. {@code --server.port=9090}
     */
    public static void main(String[] args) {
        ExampleDatabase postgres = ExampleDatabase.start();
        Runtime.getRuntime().addShutdownHook(new Thread(postgres::close, "social-app-postgres-stop"));
        SpringApplication app = new SpringApplication(SocialApp.class);
        app.setDefaultProperties(SocialDemo.properties(postgres.r2dbcUrl(), 8080));
        var context = app.run(args);
        SocialDemo.seed(context).block(java.time.Duration.ofSeconds(60));
        String port = context.getEnvironment().getProperty("local.server.port");
        System.out.println("Social app on http://localhost:" + port + "  (try: curl -N 'localhost:" + port
                + "/users?include=profile,posts'; Ctrl-C stops it)");
    }
}
