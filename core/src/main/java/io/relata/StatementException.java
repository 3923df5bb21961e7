package io.relata;

import org.jspecify.annotations.Nullable;

/**
 * A statement failed in the database. Carries the SQL text and the SQLSTATE; the cause is the
 * driver's exception (an {@code R2dbcException} with the R2DBC adapter). Failures of cleanup that
 * followed it (a ROLLBACK on a connection that is gone) are attached as suppressed exceptions.
 */
public class StatementException extends RelataException {
    private static final long serialVersionUID = 1L;
    private final String sql;
    private final @Nullable String sqlState;

    /**
     * @param sql      the statement text that failed
     * @param sqlState the SQLSTATE reported by the server, if any
     * @param cause    the driver's exception
     */
    public StatementException(String sql, @Nullable String sqlState, Throwable cause) {
        super("Statement failed" + (sqlState == null ? "" : " [SQLSTATE " + sqlState + "]") + ": "
                + cause.getMessage() + "\n  SQL: " + sql, cause);
        this.sql = sql;
        this.sqlState = sqlState;
    }

    /** @return the SQL text of the failed statement */
    public String sql() {
        return sql;
    }

    /** @return the five-character SQLSTATE, or null when the failure did not come from the server */
    public @Nullable String sqlState() {
        return sqlState;
    }

    /**
     * @return true for a serialization failure ({@code 40001}), a deadlock ({@code 40P01}), a
     *     connection exception (class {@code 08}) or a server going away or not ready
     *     ({@code 57P01}..{@code 57P03}); see {@link RelataException#isTransientSqlState(String)}
     */
    @Override
    public boolean isTransient() {
        return isTransientSqlState(sqlState);
    }
}
