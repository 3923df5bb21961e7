package io.relata.spring;

import io.relata.RelataException;
import org.springframework.dao.UncategorizedDataAccessException;

/** A Relata error that no more specific {@code DataAccessException} describes; the Relata exception is the cause. */
public final class UncategorizedRelataException extends UncategorizedDataAccessException {
    private static final long serialVersionUID = 1L;

    /** @param cause the Relata exception */
    public UncategorizedRelataException(RelataException cause) {
        super(String.valueOf(cause.getMessage()), cause);
    }
}
