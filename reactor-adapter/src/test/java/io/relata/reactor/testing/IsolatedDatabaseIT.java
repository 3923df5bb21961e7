package io.relata.reactor.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.test.StepVerifier;

/**
 * A second top-level class: whichever of this and {@link TestDatabaseIT} runs later would find the
 * other's {@code marker} table (and fail on {@code CREATE TABLE}) if they shared a database.
 */
@ExtendWith(TestDatabase.class)
class IsolatedDatabaseIT {

    @BeforeAll
    static void startsEmptyThenCreatesAMarkerTable(TestDatabase.Handle db) {
        TestDatabaseIT.assertNoTables(db);
        TestDatabaseIT.execute(db.connectionFactory(), "CREATE TABLE marker (id int)")
                .as(StepVerifier::create)
                .expectComplete()
                .verify(TestDatabaseIT.TIMEOUT);
    }

    @Test
    void hasItsOwnDatabase(TestDatabase.Handle db) {
        assertThat(db.database()).startsWith("relata_isolateddatabaseit_");
        assertThat(TestDatabaseIT.tableExists(db, "marker")).isTrue();
    }
}
