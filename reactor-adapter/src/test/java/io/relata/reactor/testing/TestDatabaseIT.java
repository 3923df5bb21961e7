package io.relata.reactor.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

@ExtendWith(TestDatabase.class)
class TestDatabaseIT {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static String enclosingDatabase;
    private static String nestedOwnDatabase;

    @BeforeAll
    static void startsEmptyThenCreatesAMarkerTable(TestDatabase.Handle db) {
        enclosingDatabase = db.database();
        assertNoTables(db);
        execute(db.connectionFactory(), "CREATE TABLE marker (id int)")
                .as(StepVerifier::create)
                .expectComplete()
                .verify(TIMEOUT);
    }

    @AfterAll
    static void dropsTheNestedClassDatabaseAfterThatClass(TestDatabase.Handle db) {
        if (nestedOwnDatabase == null) {
            return; // OwnDatabase did not run (filtered out)
        }
        single(db.connectionFactory(), "SELECT count(*) FROM pg_database WHERE datname = $1", Long.class, nestedOwnDatabase)
                .as(StepVerifier::create)
                .expectNext(0L)
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void connectionFactoryAnswersSelectOne(TestDatabase.Handle db) {
        single(db.connectionFactory(), "SELECT 1", Integer.class)
                .as(StepVerifier::create)
                .expectNext(1)
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void urlReachesTheSameDatabaseAsTheConnectionFactory(TestDatabase.Handle db) {
        assertThat(db.database()).startsWith("relata_testdatabaseit_");
        assertThat(db.url()).startsWith("r2dbc:").contains("/" + db.database());
        assertThat(db.description()).isNotBlank();

        single(ConnectionFactories.get(db.url()), "SELECT current_database()", String.class)
                .as(StepVerifier::create)
                .expectNext(db.database())
                .expectComplete()
                .verify(TIMEOUT);
        single(db.connectionFactory(), "SELECT current_database()", String.class)
                .as(StepVerifier::create)
                .expectNext(db.database())
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void markerTableCreatedInBeforeAllIsThere(TestDatabase.Handle db) {
        assertThat(tableExists(db, "marker")).isTrue();
    }

    @Nested
    class NestedWithoutItsOwnExtension {

        @Test
        void sharesTheEnclosingClassDatabase(TestDatabase.Handle db) {
            assertThat(db.database()).isEqualTo(enclosingDatabase);
            assertThat(tableExists(db, "marker")).isTrue();
        }
    }

    @Nested
    @ExtendWith(TestDatabase.class)
    class NestedWithItsOwnExtension {

        @Test
        void getsAnotherEmptyDatabase(TestDatabase.Handle db) {
            nestedOwnDatabase = db.database();
            assertThat(db.database()).isNotEqualTo(enclosingDatabase).startsWith("relata_nestedwithitsownextension_");
            assertThat(tableExists(db, "marker")).isFalse();
            assertNoTables(db);
        }
    }

    static void assertNoTables(TestDatabase.Handle db) {
        single(db.connectionFactory(),
                "SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')",
                Long.class)
                .as(StepVerifier::create)
                .expectNext(0L)
                .expectComplete()
                .verify(TIMEOUT);
    }

    static boolean tableExists(TestDatabase.Handle db, String table) {
        Boolean exists = single(db.connectionFactory(), "SELECT to_regclass($1) IS NOT NULL", Boolean.class, "public." + table)
                .block(TIMEOUT);
        return Boolean.TRUE.equals(exists);
    }

    static Mono<Void> execute(ConnectionFactory factory, String sql) {
        return Mono.usingWhen(factory.create(),
                connection -> Flux.from(connection.createStatement(sql).execute())
                        .flatMap(result -> result.getRowsUpdated())
                        .then(),
                Connection::close);
    }

    static <T> Mono<T> single(ConnectionFactory factory, String sql, Class<T> type, Object... bindings) {
        return Mono.usingWhen(factory.create(),
                connection -> {
                    Statement statement = connection.createStatement(sql);
                    for (int i = 0; i < bindings.length; i++) {
                        statement.bind(i, bindings[i]);
                    }
                    return Flux.from(statement.execute())
                            .flatMap(result -> result.map((row, metadata) -> row.get(0, type)))
                            .single();
                },
                Connection::close);
    }
}
