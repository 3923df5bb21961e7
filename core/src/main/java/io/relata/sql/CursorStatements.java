package io.relata.sql;

import java.util.Objects;

/**
 * The statements that read a SELECT through a server-side cursor, inside a transaction.
 *
 * @param declare {@code DECLARE "name" NO SCROLL CURSOR FOR <select>} (with the select's binds)
 * @param fetch   {@code FETCH FORWARD <window> FROM "name"}
 * @param close   {@code CLOSE "name"}
 */
public record CursorStatements(SqlStatement declare, SqlStatement fetch, SqlStatement close) {
    public CursorStatements {
        Objects.requireNonNull(declare, "declare");
        Objects.requireNonNull(fetch, "fetch");
        Objects.requireNonNull(close, "close");
    }
}
