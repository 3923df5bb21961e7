package io.relata.sql;

import java.util.List;
import java.util.Objects;

/**
 * SQL text with positional bind markers ({@code $1..$n}) and the values in order. The text depends
 * only on the shape of what was asked, never on values or how many of them there are.
 *
 * @param sql   the statement text
 * @param binds bind values, {@code binds.get(0)} is {@code $1}
 */
public record SqlStatement(String sql, List<Bind> binds) {
    public SqlStatement {
        Objects.requireNonNull(sql, "sql");
        binds = List.copyOf(binds);
    }

    /** @return the bind values only, for assertions and logs */
    public List<Object> values() {
        return binds.stream().map(b -> (Object) b.value()).toList();
    }

    @Override
    public String toString() {
        return sql + (binds.isEmpty() ? "" : " " + binds);
    }
}
