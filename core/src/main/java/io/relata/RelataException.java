package io.relata;

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
}
