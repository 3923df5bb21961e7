package io.relata.spring;

import io.relata.reactor.testing.ThroughPgBouncer;

/**
 * {@link StarterIT} again (Spring's transactions, errors, streaming, observations) through PgBouncer in transaction
 * pooling mode; skipped when pgbouncer is not installed.
 */
@ThroughPgBouncer
class PgBouncerStarterIT extends StarterIT {
}
