package io.relata;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a transaction is begun and what happens around it. Immutable; every method returns a copy.
 *
 * <pre>{@code
 * TransactionOptions.defaults()
 *         .isolation(TransactionOptions.Isolation.SERIALIZABLE)
 *         .readOnly(true)
 *         .statementTimeout(Duration.ofSeconds(5))
 *         .retry(5, Duration.ofMillis(20))          // on 40001 / 40P01, the whole unit of work
 *         .propagation(TransactionOptions.Propagation.NESTED);
 * }</pre>
 *
 * <p>Isolation, read-only, statement timeout and retry apply to a transaction that begins here; a
 * transaction that joins a surrounding one (the default {@link Propagation#REQUIRED}) runs with the
 * surrounding one's settings, and a {@link Propagation#NESTED} scope (a SAVEPOINT) takes only its
 * statement timeout.
 *
 * @param isolation        the isolation level, or null for the server's default ({@code READ COMMITTED})
 * @param readOnly         whether the transaction is {@code READ ONLY}
 * @param statementTimeout every statement of the transaction is cancelled by the server after this
 *                         long ({@code statement_timeout}, set for the transaction only), or null
 * @param maxAttempts      how many times the unit of work runs at most (1 = no retry)
 * @param backoff          the delay before the first retry (doubled each time, with jitter)
 * @param propagation      join a surrounding transaction, or open a savepoint inside it
 */
public record TransactionOptions(@Nullable Isolation isolation, boolean readOnly, @Nullable Duration statementTimeout,
        int maxAttempts, Duration backoff, Propagation propagation) {

    private static final TransactionOptions DEFAULTS = new TransactionOptions(null, false, null, 1, Duration.ZERO,
            Propagation.REQUIRED);

    /** Checks the values: a positive statement timeout, at least one attempt, a non-negative backoff. */
    public TransactionOptions {
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(propagation, "propagation");
        if (statementTimeout != null && (statementTimeout.isNegative() || statementTimeout.isZero()
                || statementTimeout.toMillis() == 0)) {
            throw new IllegalArgumentException("statementTimeout must be at least 1 ms, was " + statementTimeout);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
        }
        if (backoff.isNegative()) {
            throw new IllegalArgumentException("backoff must not be negative, was " + backoff);
        }
    }

    /** The SQL isolation levels PostgreSQL offers ({@code READ UNCOMMITTED} behaves as {@code READ COMMITTED}). */
    public enum Isolation {
        /** {@code READ UNCOMMITTED} */
        READ_UNCOMMITTED,
        /** {@code READ COMMITTED} */
        READ_COMMITTED,
        /** {@code REPEATABLE READ} */
        REPEATABLE_READ,
        /** {@code SERIALIZABLE} */
        SERIALIZABLE
    }

    /** What a transaction does when one is already running (in the Reactor Context). */
    public enum Propagation {
        /**
         * Join the surrounding transaction (Relata's or, with the Spring integration, Spring's); begin one
         * when there is none. A joined scope never commits or rolls back: its error reaches whoever began
         * the transaction, who rolls it back.
         */
        REQUIRED,
        /**
         * Inside a transaction: a {@code SAVEPOINT}, released when the work completes and rolled back to
         * when it errors or is cancelled, so the surrounding transaction goes on if the error is handled.
         * Without one: like {@link #REQUIRED}.
         */
        NESTED
    }

    /** @return no isolation level (server default), read-write, no statement timeout, one attempt, REQUIRED */
    public static TransactionOptions defaults() {
        return DEFAULTS;
    }

    /** @param level the isolation level @return a copy with it */
    public TransactionOptions isolation(Isolation level) {
        return new TransactionOptions(Objects.requireNonNull(level, "level"), readOnly, statementTimeout, maxAttempts,
                backoff, propagation);
    }

    /** @param readOnly whether the transaction is {@code READ ONLY} (writes fail with SQLSTATE 25006) @return a copy */
    public TransactionOptions readOnly(boolean readOnly) {
        return new TransactionOptions(isolation, readOnly, statementTimeout, maxAttempts, backoff, propagation);
    }

    /**
     * @param timeout the server cancels any statement of the transaction that runs longer (SQLSTATE
     *     {@code 57014}, which aborts the transaction); at least 1 ms
     * @return a copy with it
     */
    public TransactionOptions statementTimeout(Duration timeout) {
        return new TransactionOptions(isolation, readOnly, Objects.requireNonNull(timeout, "timeout"), maxAttempts,
                backoff, propagation);
    }

    /**
     * Opt-in retry: when the transaction fails with a serialization failure ({@code 40001}) or a
     * deadlock ({@code 40P01}) it is rolled back and the whole unit of work runs again, on a fresh
     * transaction, at most {@code maxAttempts} times in all, waiting {@code backoff}, then twice as long,
     * and so on (with jitter) in between. What the work emits is held until its transaction committed,
     * so the subscriber sees the elements of the successful attempt only.
     *
     * @param maxAttempts how many times the work may run, at least 1
     * @param backoff the first delay
     * @return a copy with it
     */
    public TransactionOptions retry(int maxAttempts, Duration backoff) {
        return new TransactionOptions(isolation, readOnly, statementTimeout, maxAttempts, backoff, propagation);
    }

    /** @param propagation join (default) or a savepoint inside a surrounding transaction @return a copy */
    public TransactionOptions propagation(Propagation propagation) {
        return new TransactionOptions(isolation, readOnly, statementTimeout, maxAttempts, backoff, propagation);
    }

    /** @return whether the work runs again on serialization failures and deadlocks */
    public boolean retries() {
        return maxAttempts > 1;
    }

    /**
     * @param sqlState the SQLSTATE a transaction failed with
     * @return whether {@link #retry} runs the work again for it: {@code 40001} or {@code 40P01}
     */
    public static boolean isRetryable(@Nullable String sqlState) {
        return "40001".equals(sqlState) || "40P01".equals(sqlState);
    }
}
