/**
 * The SQL AST: small immutable records for every statement shape Relata emits, built by the planners
 * and turned into text and ordered binds only by {@link io.relata.internal.sql.Renderer}. Not API.
 */
@NullMarked
package io.relata.internal.sql;

import org.jspecify.annotations.NullMarked;
