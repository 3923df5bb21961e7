package io.relata.examples;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every example scenario against {@code RELATA_URL} if set, else an embedded PostgreSQL. The
 * scenarios check their own results against the Sequelize guide (seed 004) and throw on the first
 * difference, so "completes" means "the library did what the guide says".
 */
class ExamplesIT {
    private static ExampleDatabase postgres;

    @BeforeAll
    static void startDatabase() {
        postgres = ExampleDatabase.start();
    }

    @AfterAll
    static void stopDatabase() {
        if (postgres != null) {
            postgres.close();
        }
    }

    static Stream<String> scenarios() {
        return Examples.SCENARIOS.keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void scenarioRunsToCompletionWithTheGuidesResults(String scenario) {
        assertThatCode(() -> Examples.run(postgres.r2dbcUrl(), List.of(scenario))).doesNotThrowAnyException();
    }

    @Test
    void everyScenarioRunsAgainInOneGoBecauseEachRecreatesItsTables() {
        assertThatCode(() -> Examples.run(postgres.r2dbcUrl())).doesNotThrowAnyException();
    }

    @Test
    void anUnknownScenarioIsRejectedWithTheKnownNames() {
        assertThatThrownBy(() -> Examples.run(postgres.r2dbcUrl(), List.of("QuickStart", "Nope")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Nope'")
                .hasMessageContaining("QuickStart")
                .hasMessageContaining("Streaming");
    }
}
