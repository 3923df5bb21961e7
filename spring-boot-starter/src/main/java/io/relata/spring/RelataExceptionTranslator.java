package io.relata.spring;

import io.relata.ModelDefinitionException;
import io.relata.QueryDefinitionException;
import io.relata.RelataException;
import io.relata.StatementException;
import io.relata.reactor.ErrorTranslator;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.dao.InvalidDataAccessResourceUsageException;
import org.springframework.dao.PermissionDeniedDataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.support.PersistenceExceptionTranslator;

/**
 * Relata's errors as Spring's {@link DataAccessException} hierarchy, the Relata exception as cause (its
 * message, SQL text and SQLSTATE stay reachable). A {@link StatementException} is mapped by SQLSTATE:
 *
 * <table>
 *   <caption>SQLSTATE to exception</caption>
 *   <tr><th>SQLSTATE</th><th>exception</th></tr>
 *   <tr><td>23505 (unique violation)</td><td>{@link DuplicateKeyException}</td></tr>
 *   <tr><td>other 23xxx (foreign key 23503, not null 23502, check 23514, ...), 22xxx (data)</td>
 *       <td>{@link DataIntegrityViolationException}</td></tr>
 *   <tr><td>40001 (serialization failure), 40P01 (deadlock), 55P03 (lock not available)</td>
 *       <td>{@link CannotAcquireLockException} (a {@code PessimisticLockingFailureException})</td></tr>
 *   <tr><td>other 40xxx</td><td>{@link ConcurrencyFailureException}</td></tr>
 *   <tr><td>57014 (query canceled: statement timeout)</td><td>{@link QueryTimeoutException}</td></tr>
 *   <tr><td>08xxx, 53xxx, 57P0x; none (the failure did not come from the server: the connection)</td>
 *       <td>{@link DataAccessResourceFailureException}</td></tr>
 *   <tr><td>42501</td><td>{@link PermissionDeniedDataAccessException}</td></tr>
 *   <tr><td>other 42xxx (syntax, undefined table or column)</td><td>{@link InvalidDataAccessResourceUsageException}</td></tr>
 *   <tr><td>anything else</td><td>{@link UncategorizedRelataException}</td></tr>
 * </table>
 *
 * <p>{@link QueryDefinitionException} and {@link ModelDefinitionException} (bad include, attribute, alias
 * or value; bad metadata) become {@link InvalidDataAccessApiUsageException}. Errors that are not Relata's
 * pass unchanged. As an {@link ErrorTranslator} it translates what a {@code Database}'s publishers signal;
 * as a {@link PersistenceExceptionTranslator} bean it lets Spring translate what {@code @Repository}
 * methods throw. Stateless and thread-safe.
 */
public final class RelataExceptionTranslator implements ErrorTranslator, PersistenceExceptionTranslator {

    /** Creates the translator. */
    public RelataExceptionTranslator() {
    }

    @Override
    public Throwable translate(Throwable error) {
        Objects.requireNonNull(error, "error");
        if (error instanceof RelataException relata) {
            return toDataAccess(relata);
        }
        return error;
    }

    @Override
    public @Nullable DataAccessException translateExceptionIfPossible(RuntimeException ex) {
        Objects.requireNonNull(ex, "ex");
        return ex instanceof RelataException relata ? toDataAccess(relata) : null;
    }

    /**
     * @param error a Relata exception
     * @return its Spring counterpart, with {@code error} as cause
     */
    public DataAccessException toDataAccess(RelataException error) {
        Objects.requireNonNull(error, "error");
        String message = String.valueOf(error.getMessage());
        if (error instanceof QueryDefinitionException || error instanceof ModelDefinitionException) {
            return new InvalidDataAccessApiUsageException(message, error);
        }
        if (!(error instanceof StatementException statement)) {
            return new UncategorizedRelataException(error);
        }
        String state = statement.sqlState();
        if (state == null || state.startsWith("08") || state.startsWith("53") || state.startsWith("57P0")) {
            return new DataAccessResourceFailureException(message, error);
        }
        if (state.equals("23505")) {
            return new DuplicateKeyException(message, error);
        }
        if (state.startsWith("23") || state.startsWith("22")) {
            return new DataIntegrityViolationException(message, error);
        }
        if (state.equals("40001") || state.equals("40P01") || state.equals("55P03")) {
            return new CannotAcquireLockException(message, error);
        }
        if (state.startsWith("40")) {
            return new ConcurrencyFailureException(message, error);
        }
        if (state.equals("57014")) {
            return new QueryTimeoutException(message, error);
        }
        if (state.equals("42501")) {
            return new PermissionDeniedDataAccessException(message, error);
        }
        if (state.startsWith("42")) {
            return new InvalidDataAccessResourceUsageException(message, error);
        }
        return new UncategorizedRelataException(error);
    }
}
