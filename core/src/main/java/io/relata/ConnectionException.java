package io.relata;

import org.jspecify.annotations.Nullable;

/**
 * A connection could not be obtained, or was lost while Relata was using it. Carries the SQLSTATE
 * when the server sent one (e.g. {@code 57P03} while it starts up, {@code 3D000} for a database that
 * does not exist, {@code 28P01} for a wrong password) and the statement that was about to run or
 * running, if any; the cause is the driver's or the pool's exception.
 */
public class ConnectionException extends RelataException {
    private static final long serialVersionUID = 1L;
    private final @Nullable String sqlState;
    private final @Nullable String sql;

    /**
     * @param message  what failed (acquiring, or which operation lost the connection)
     * @param sqlState the SQLSTATE sent by the server, if any
     * @param sql      the statement that was running or about to run, if any
     * @param cause    the underlying failure
     */
    public ConnectionException(String message, @Nullable String sqlState, @Nullable String sql, Throwable cause) {
        super(message + (sqlState == null ? "" : " [SQLSTATE " + sqlState + "]") + ": " + cause.getMessage()
                + (sql == null ? "" : "\n  SQL: " + sql), cause);
        this.sqlState = sqlState;
        this.sql = sql;
    }

    /** @return the five-character SQLSTATE the server sent, or null (refused, reset, closed, timed out) */
    public @Nullable String sqlState() {
        return sqlState;
    }

    /** @return the statement that was running or about to run when the connection failed, or null */
    public @Nullable String sql() {
        return sql;
    }

    /**
     * @return true unless the server answered with a SQLSTATE that is not transient (an unknown
     *     database, a failed authentication): a refused, reset or lost connection may work again
     */
    @Override
    public boolean isTransient() {
        return sqlState == null || isTransientSqlState(sqlState);
    }
}
