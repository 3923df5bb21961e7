/**
 * What an adapter executes and reads, with no implementation in it: rendered statements
 * ({@link io.relata.sql.SqlStatement} with {@link io.relata.sql.Bind} values), plans that say how their
 * rows become entities ({@link io.relata.sql.SelectPlan}, {@link io.relata.sql.LoadPlan}, with
 * {@link io.relata.sql.Assembly} and {@link io.relata.sql.FollowUp} for SEPARATE includes), and the row
 * abstraction an adapter implements ({@link io.relata.sql.RowSource}). The planners that produce them are
 * in {@link io.relata.plan}. Pure: no I/O.
 */
@NullMarked
package io.relata.sql;

import org.jspecify.annotations.NullMarked;
