package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.SqlDialect;
import io.relata.TransactionOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The runtime's per-dialect defaults. */
class DialectsTest {

    @Test
    void cockroachTransactionsRetrySerializationFailuresByDefault() {
        TransactionOptions options = Dialects.transactionDefaults(SqlDialect.COCKROACHDB, TransactionOptions.defaults());
        assertThat(options.retries()).isTrue();
        assertThat(options.maxAttempts()).isEqualTo(Dialects.COCKROACHDB_ATTEMPTS);
    }

    @Test
    void anExplicitRetryIsKeptOnCockroach() {
        TransactionOptions mine = TransactionOptions.defaults().retry(2, Duration.ofMillis(1));
        assertThat(Dialects.transactionDefaults(SqlDialect.COCKROACHDB, mine)).isEqualTo(mine);
    }

    @Test
    void otherDialectsKeepTheOptionsAsGiven() {
        for (SqlDialect d : new SqlDialect[] {SqlDialect.POSTGRESQL, SqlDialect.YUGABYTEDB, SqlDialect.CITUS}) {
            assertThat(Dialects.transactionDefaults(d, TransactionOptions.defaults())).isEqualTo(TransactionOptions.defaults());
        }
    }
}
