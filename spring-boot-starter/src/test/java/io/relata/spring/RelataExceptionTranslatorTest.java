package io.relata.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.relata.ModelDefinitionException;
import io.relata.QueryDefinitionException;
import io.relata.StatementException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.dao.InvalidDataAccessResourceUsageException;
import org.springframework.dao.PermissionDeniedDataAccessException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;

/** Relata's exceptions to Spring's, by SQLSTATE; the Relata exception stays the cause. */
class RelataExceptionTranslatorTest {
    final RelataExceptionTranslator translator = new RelataExceptionTranslator();

    static StatementException failed(String sqlState) {
        return new StatementException("INSERT INTO \"T\" DEFAULT VALUES", sqlState,
                new R2dbcNonTransientResourceException("server said no", sqlState));
    }

    @Nested
    class StatementExceptions {
        static Stream<Arguments> states() {
            return Stream.of(
                    Arguments.of("23505", DuplicateKeyException.class),
                    Arguments.of("23503", DataIntegrityViolationException.class),
                    Arguments.of("23502", DataIntegrityViolationException.class),
                    Arguments.of("23514", DataIntegrityViolationException.class),
                    Arguments.of("22001", DataIntegrityViolationException.class),
                    Arguments.of("40001", CannotAcquireLockException.class),
                    Arguments.of("40P01", CannotAcquireLockException.class),
                    Arguments.of("55P03", CannotAcquireLockException.class),
                    Arguments.of("40002", ConcurrencyFailureException.class),
                    Arguments.of("57014", QueryTimeoutException.class),
                    Arguments.of("08006", DataAccessResourceFailureException.class),
                    Arguments.of("53300", DataAccessResourceFailureException.class),
                    Arguments.of("57P01", DataAccessResourceFailureException.class),
                    Arguments.of("42501", PermissionDeniedDataAccessException.class),
                    Arguments.of("42P01", InvalidDataAccessResourceUsageException.class),
                    Arguments.of("XX000", UncategorizedRelataException.class));
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @MethodSource("states")
        void aSqlStateChoosesTheSpringException(String state, Class<? extends DataAccessException> expected) {
            StatementException relata = failed(state);
            Throwable translated = translator.translate(relata);
            assertThat(translated).isExactlyInstanceOf(expected).hasCause(relata);
            assertThat(translated.getMessage()).contains("SQLSTATE " + state).contains("INSERT INTO \"T\"");
            assertThat(translator.translateExceptionIfPossible(relata)).isExactlyInstanceOf(expected);
        }

        @Test
        void lockingFailuresArePessimisticLockingFailures() {
            assertThat(translator.translate(failed("40001"))).isInstanceOf(PessimisticLockingFailureException.class);
            assertThat(translator.translate(failed("40P01"))).isInstanceOf(PessimisticLockingFailureException.class);
        }

        @Test
        void aFailureWithoutSqlStateIsTheConnections() {
            StatementException relata = new StatementException("SELECT 1", null,
                    new R2dbcNonTransientResourceException("connection reset"));
            assertThat(translator.translate(relata)).isInstanceOf(DataAccessResourceFailureException.class).hasCause(relata);
        }
    }

    @Nested
    class DefinitionErrors {
        @Test
        void aQueryDefinitionExceptionIsInvalidApiUsage() {
            QueryDefinitionException relata = new QueryDefinitionException("no alias 'x' on Author; its aliases: Books");
            assertThat(translator.translate(relata)).isExactlyInstanceOf(InvalidDataAccessApiUsageException.class)
                    .hasCause(relata).hasMessageContaining("Books");
        }

        @Test
        void aModelDefinitionExceptionIsInvalidApiUsage() {
            ModelDefinitionException relata = new ModelDefinitionException("bad");
            assertThat(translator.translate(relata)).isExactlyInstanceOf(InvalidDataAccessApiUsageException.class);
        }
    }

    @Nested
    class OtherErrors {
        @Test
        void errorsThatAreNotRelatasPassUnchanged() {
            IllegalStateException other = new IllegalStateException("mine");
            assertThat(translator.translate(other)).isSameAs(other);
            assertThat(translator.translateExceptionIfPossible(other)).isNull();
        }

        @Test
        void aTranslatedErrorIsNotTranslatedTwice() {
            Throwable once = translator.translate(failed("23505"));
            assertThat(translator.translate(once)).isSameAs(once);
        }
    }
}
