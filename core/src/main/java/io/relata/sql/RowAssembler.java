package io.relata.sql;

import org.jspecify.annotations.Nullable;

/**
 * Turns a stream of rows into a stream of root entities, one root at a time. Stateful and single-use:
 * an adapter creates one per execution. Rows of one root must be consecutive (the plan's ORDER BY
 * makes them so); a root is complete when a row of the next root arrives, or at {@link #finish()}.
 *
 * @param <T> the root entity
 */
public interface RowAssembler<T> {
    /**
     * @param row the next row
     * @return the root completed by this row's arrival, or null when none completed
     */
    @Nullable T push(RowSource row);

    /** @return the last root still being assembled, or null when there is none */
    @Nullable T finish();
}
