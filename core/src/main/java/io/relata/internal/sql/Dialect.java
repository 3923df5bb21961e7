package io.relata.internal.sql;

/**
 * The database a statement is rendered for. Planners build the same tree for every dialect; only the
 * {@link Renderer} consults the dialect, so a difference in spelling or in supported syntax is handled in
 * one place.
 */
public enum Dialect {
    /** PostgreSQL 13 and later. */
    POSTGRESQL
}
