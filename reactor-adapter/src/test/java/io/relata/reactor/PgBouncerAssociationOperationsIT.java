package io.relata.reactor;

import io.relata.reactor.testing.ThroughPgBouncer;

/** {@link AssociationOperationsIT} again, through PgBouncer in transaction pooling mode (skipped when pgbouncer is not installed). */
@ThroughPgBouncer
class PgBouncerAssociationOperationsIT extends AssociationOperationsIT {
}
