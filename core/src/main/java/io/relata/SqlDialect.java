package io.relata;

/**
 * The database a schema's SQL is written for ({@link SchemaBuilder#dialect}). Relata's SQL is the same on all
 * of them except where the README's compatibility table says otherwise: the renderer spells those differences
 * (or refuses, with an {@link UnsupportedOperationException} naming the dialect and the construct, before any
 * SQL runs), and the runtime adapts its defaults (CockroachDB: transactions are retried on SQLSTATE 40001).
 */
public enum SqlDialect {
    /** PostgreSQL 13 and later (also behind PgBouncer and on streaming replicas). */
    POSTGRESQL,
    /**
     * CockroachDB (v23.1+): generated keys are identity columns (its {@code SERIAL} is {@code unique_rowid()},
     * 64-bit and unordered), no {@code DO} blocks, and transactions are retried on serialization failures by default.
     */
    COCKROACHDB,
    /** YugabyteDB's YSQL (PostgreSQL 11.2 / 15 compatible): PostgreSQL's SQL. */
    YUGABYTEDB,
    /**
     * Citus (PostgreSQL with distributed tables): PostgreSQL's SQL; the schema layout (distribution column in
     * every key and join) is the application's, see the README.
     */
    CITUS
}
