package io.relata.sql;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * SQL text with positional bind markers ({@code $1..$n}) and the values in order. The text depends
 * only on the shape of what was asked, never on values or how many of them there are. The planner also
 * says what kind of statement it is and which table it is mainly about, for logs and metrics (an adapter
 * never reads that from the text).
 *
 * @param sql       the statement text
 * @param binds     bind values, {@code binds.get(0)} is {@code $1}
 * @param operation what the statement does: {@code select}, {@code insert}, {@code update}, {@code delete},
 *                  {@code cursor}, {@code ddl}, {@code transaction}, or {@code other}
 * @param table     the table it is mainly about (a select's root, a write's target), or null
 */
public record SqlStatement(String sql, List<Bind> binds, String operation, @Nullable String table) {
    public SqlStatement {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(operation, "operation");
        binds = List.copyOf(binds);
    }

    /**
     * A statement of kind {@code other}, about no particular table.
     *
     * @param sql the statement text
     * @param binds bind values
     */
    public SqlStatement(String sql, List<Bind> binds) {
        this(sql, binds, "other", null);
    }

    /** @param binds other values for the same text @return the same statement with them bound */
    public SqlStatement withBinds(List<Bind> binds) {
        return new SqlStatement(sql, binds, operation, table);
    }

    /** @return the bind values only, for assertions and logs */
    public List<Object> values() {
        return binds.stream().<Object>map(Bind::value).toList();
    }

    @Override
    public String toString() {
        return sql + (binds.isEmpty() ? "" : " " + binds);
    }
}
