package io.relata.internal.sql;

/**
 * One {@code ORDER BY} term.
 *
 * @param expr the value ordered by
 * @param descending {@code DESC}
 */
public record OrderTerm(Expr expr, boolean descending) {
}
