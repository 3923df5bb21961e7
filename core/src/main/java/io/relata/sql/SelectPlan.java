package io.relata.sql;

import java.util.List;

/**
 * A planned SELECT: its statement, how its rows become roots, and the follow-up statements of includes
 * fetched with the SEPARATE strategy. Immutable and thread-safe; plans are cached and shared. Every
 * assembler and assembly it creates is single-use, for one execution.
 *
 * @param <T> the root entity
 */
public interface SelectPlan<T> {

    /** @return the joined statement */
    SqlStatement statement();

    /** @return a fresh assembler of this statement's rows into roots (for a plan without follow-ups) */
    RowAssembler<T> assembler();

    /** @return whether SEPARATE includes need follow-up statements (then run through {@link #assembly()}) */
    boolean hasFollowUps();

    /**
     * @return a fresh assembly for one execution with follow-ups: rows in, per window the follow-up
     *     statements to run, then the completed roots out
     */
    Assembly<T> assembly();

    /**
     * @param name the cursor's name (unique within its transaction)
     * @param window rows per fetch
     * @return the statements that read this plan's statement through a server-side cursor
     */
    CursorStatements cursor(String name, int window);

    /**
     * The statement limited to its first rows: {@code LIMIT $n} with {@code n = min(rows, its own limit)},
     * the rest of the text and the binds as in {@link #statement()}. An adapter reads it without a cursor
     * (and without a transaction): when fewer than {@code rows} rows come back, they are the whole result.
     *
     * @param rows the most rows read (e.g. one window plus one, to know whether a second window exists)
     * @return the limited statement
     * @throws IllegalStateException when the plan's statement is not a SELECT
     */
    SqlStatement firstRows(long rows);

    /**
     * The same plan with another value bound: the statement text and the row layout are kept.
     *
     * @param index the bind index (0 for {@code $1})
     * @param value the new value (of the type the plan was made with)
     * @return a plan with that bind replaced
     */
    SelectPlan<T> withBind(int index, Object value);

    /** @return the follow-up statements' templates, in the order they run (for logs and tests) */
    List<SqlStatement> followUpTemplates();
}
