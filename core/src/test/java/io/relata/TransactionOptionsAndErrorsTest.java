package io.relata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which failures are transient, and what transaction options accept. */
class TransactionOptionsAndErrorsTest {

    @Nested
    class Transient {
        @ParameterizedTest(name = "{0} transient: {1}")
        @CsvSource({
            "40001, true", "40P01, true", "08000, true", "08003, true", "08006, true", "08P01, true",
            "57P01, true", "57P02, true", "57P03, true",
            "57014, false", "23505, false", "25P02, false", "42P01, false", "3D000, false", "28P01, false",
            "25006, false", "40002, false"})
        void bySqlState(String sqlState, boolean expected) {
            assertThat(RelataException.isTransientSqlState(sqlState)).isEqualTo(expected);
            assertThat(new StatementException("SELECT 1", sqlState, new RuntimeException("x")).isTransient())
                    .isEqualTo(expected);
        }

        @Test
        void aStatementFailureWithoutSqlStateIsNot() {
            assertThat(new StatementException("SELECT 1", null, new RuntimeException("x")).isTransient()).isFalse();
        }

        @Test
        void aConnectionFailureIsUnlessTheServerSaidOtherwise() {
            assertThat(new ConnectionException("lost", null, null, new RuntimeException("reset")).isTransient()).isTrue();
            assertThat(new ConnectionException("acquire", "57P03", null, new RuntimeException("starting")).isTransient())
                    .isTrue();
            assertThat(new ConnectionException("acquire", "3D000", null, new RuntimeException("no db")).isTransient())
                    .isFalse();
            assertThat(new ConnectionException("acquire", "28P01", null, new RuntimeException("auth")).isTransient())
                    .isFalse();
        }

        @Test
        void definitionErrorsNeverAre() {
            assertThat(new QueryDefinitionException("bad").isTransient()).isFalse();
            assertThat(new ModelDefinitionException("bad").isTransient()).isFalse();
        }

        @Test
        void messagesNameTheSqlStateAndTheStatement() {
            assertThat(new ConnectionException("connection lost", "08006", "SELECT 1", new RuntimeException("closed")))
                    .hasMessage("connection lost [SQLSTATE 08006]: closed\n  SQL: SELECT 1");
            assertThat(new ConnectionException("could not acquire a connection", null, null, new RuntimeException("refused")))
                    .hasMessage("could not acquire a connection: refused");
        }
    }

    @Nested
    class Options {
        @Test
        void defaultsBeginAPlainTransactionAndJoin() {
            TransactionOptions d = TransactionOptions.defaults();
            assertThat(d.isolation()).isNull();
            assertThat(d.readOnly()).isFalse();
            assertThat(d.statementTimeout()).isNull();
            assertThat(d.maxAttempts()).isEqualTo(1);
            assertThat(d.retries()).isFalse();
            assertThat(d.propagation()).isEqualTo(TransactionOptions.Propagation.REQUIRED);
        }

        @Test
        void everyWitherKeepsTheOthers() {
            TransactionOptions o = TransactionOptions.defaults()
                    .isolation(TransactionOptions.Isolation.SERIALIZABLE).readOnly(true)
                    .statementTimeout(Duration.ofSeconds(2)).retry(4, Duration.ofMillis(10))
                    .propagation(TransactionOptions.Propagation.NESTED);
            assertThat(o).isEqualTo(new TransactionOptions(TransactionOptions.Isolation.SERIALIZABLE, true,
                    Duration.ofSeconds(2), 4, Duration.ofMillis(10), TransactionOptions.Propagation.NESTED));
            assertThat(o.retries()).isTrue();
        }

        @Test
        void badValuesAreRejected() {
            assertThatThrownBy(() -> TransactionOptions.defaults().retry(0, Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxAttempts");
            assertThatThrownBy(() -> TransactionOptions.defaults().retry(2, Duration.ofMillis(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("backoff");
            assertThatThrownBy(() -> TransactionOptions.defaults().statementTimeout(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("statementTimeout");
            assertThatThrownBy(() -> TransactionOptions.defaults().isolation(null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("level");
        }

        @ParameterizedTest
        @CsvSource({"40001, true", "40P01, true", "08006, false", "57P01, false", "23505, false"})
        void onlySerializationFailuresAndDeadlocksAreRetried(String sqlState, boolean retried) {
            assertThat(TransactionOptions.isRetryable(sqlState)).isEqualTo(retried);
        }
    }
}
