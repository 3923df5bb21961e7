package io.relata.reactor;

import io.relata.reactor.testing.ThroughPgBouncer;

/** {@link TransactionIT} again, through PgBouncer in transaction pooling mode (skipped when pgbouncer is not installed). */
@ThroughPgBouncer
class PgBouncerTransactionIT extends TransactionIT {
}
