package io.relata;
import org.jspecify.annotations.Nullable;

/**
 * Root of every exception Relata throws or signals. Unchecked, like R2DBC's and Reactor's.
 */
public class RelataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, where, and what would be valid */
    public RelataException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong
     * @param cause   the underlying failure
     */
    public RelataException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether running the same unit of work again may succeed: a serialization failure or deadlock, a
     * lost or refused connection, a server shutting down or starting up. Definition and query errors
     * never are.
     *
     * @return true when a retry (of the whole transaction, on a fresh connection) may succeed
     */
    public boolean isTransient() {
        return false;
    }

    /**
     * The SQLSTATEs Relata treats as transient: {@code 40001} (serialization_failure), {@code 40P01}
     * (deadlock_detected), class {@code 08} (connection exceptions) and {@code 57P01}..{@code 57P03}
     * (admin_shutdown, crash_shutdown, cannot_connect_now).
     *
     * @param sqlState a five-character SQLSTATE, or null
     * @return whether it is one of those
     */
    public static boolean isTransientSqlState(@Nullable String sqlState) {
        if (sqlState == null) {
            return false;
        }
        return sqlState.equals("40001") || sqlState.equals("40P01") || sqlState.startsWith("08")
                || sqlState.equals("57P01") || sqlState.equals("57P02") || sqlState.equals("57P03");
    }
}
