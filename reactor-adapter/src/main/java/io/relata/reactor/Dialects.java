package io.relata.reactor;

import io.relata.SqlDialect;
import io.relata.TransactionOptions;
import java.time.Duration;

/** What the runtime does differently per {@link SqlDialect} (the SQL differences are the renderer's). */
final class Dialects {
    /** Attempts of a transaction on CockroachDB when its options ask for no retry. */
    static final int COCKROACHDB_ATTEMPTS = 5;
    /** The first retry's delay there (doubled each time, with jitter). */
    static final Duration COCKROACHDB_BACKOFF = Duration.ofMillis(10);

    private Dialects() {
    }

    /**
     * @param dialect the schema's dialect
     * @param options the transaction's options
     * @return the options, with CockroachDB's retry on 40001 (and deadlocks) added when they have no retry and begin
     *     a transaction (a joined one is retried by whoever began it)
     */
    static TransactionOptions transactionDefaults(SqlDialect dialect, TransactionOptions options) {
        if (dialect == SqlDialect.COCKROACHDB && !options.retries()) {
            return options.retry(COCKROACHDB_ATTEMPTS, COCKROACHDB_BACKOFF);
        }
        return options;
    }
}
