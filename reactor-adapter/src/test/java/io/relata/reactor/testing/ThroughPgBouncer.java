package io.relata.reactor.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a {@link TestDatabase} test class (and its {@code @Nested} classes) through a {@link PgBouncer} in
 * transaction pooling mode: the {@link TestDatabase.Handle}'s URL and connection factory point at PgBouncer,
 * with the driver's prepared-statement cache off ({@code preparedStatementCacheQueries=0}). The class is
 * skipped, with a message saying so, when the {@code pgbouncer} binary is not installed. Annotate a subclass of
 * an existing IT to run its tests a second time through PgBouncer.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Inherited
public @interface ThroughPgBouncer {
}
