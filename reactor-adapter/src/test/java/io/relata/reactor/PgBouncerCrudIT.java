package io.relata.reactor;

import io.relata.reactor.testing.ThroughPgBouncer;

/** {@link CrudIT} again, through PgBouncer in transaction pooling mode (skipped when pgbouncer is not installed). */
@ThroughPgBouncer
class PgBouncerCrudIT extends CrudIT {
}
