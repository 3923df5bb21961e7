package io.relata.reactor;

import io.relata.sql.SqlStatement;
import reactor.util.context.ContextView;

/**
 * Observes each statement a {@link Database} executes: told when it is sent and how it ended. Used for
 * metrics and traces ({@link MicrometerObservations} records a Micrometer {@code Observation} per
 * statement); SQL logging ({@code io.relata.sql} at DEBUG) is built in and needs no observer.
 * Implementations are thread-safe, fast and never throw; they must not block.
 */
public interface StatementObserver {

    /**
     * Called when a statement is about to be sent, on the thread that subscribes to it.
     *
     * @param statement the statement (SQL text and binds)
     * @param context the Reactor Context of the subscriber the statement runs for (tracing, security, ...)
     * @return receives how the statement ended; exactly one of its methods is called, once
     */
    Execution start(SqlStatement statement, ContextView context);

    /** The end of one statement's execution. */
    interface Execution {
        /** @param rows rows read (queries) or rows updated (writes) */
        void success(long rows);

        /** @param error the statement's error */
        void failure(Throwable error);

        /** @param rows rows read before the subscriber cancelled */
        void cancelled(long rows);
    }
}
