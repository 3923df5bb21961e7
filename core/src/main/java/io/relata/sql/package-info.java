/**
 * The boundary between core and an adapter: rendered statements ({@link io.relata.sql.SqlStatement}
 * with {@link io.relata.sql.Bind} values), plans that say how to read their rows, the row
 * abstraction an adapter implements ({@link io.relata.sql.RowSource}), and the planners
 * ({@link io.relata.sql.Statements}, {@link io.relata.sql.Ddl}). Pure: no I/O.
 */
@NullMarked
package io.relata.sql;

import org.jspecify.annotations.NullMarked;
