/**
 * The planners an adapter calls: {@link io.relata.plan.Statements} (queries, writes, lazy loads,
 * transaction control), {@link io.relata.plan.Associations} (association operations and their keys) and
 * {@link io.relata.plan.Ddl}. They return rendered statements and plans of {@link io.relata.sql}. Pure: no
 * I/O.
 */
@NullMarked
package io.relata.plan;

import org.jspecify.annotations.NullMarked;
