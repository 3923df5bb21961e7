package io.relata.sql;

import org.jspecify.annotations.Nullable;

/**
 * One execution of a plan with follow-up statements (SEPARATE includes), window by window: the rows of
 * the main statement are pushed in; at the end of a window the follow-ups for the roots it completed are
 * taken one by one, run, and their rows pushed into them; then the window's roots are taken out.
 * Single-use and not thread-safe: an adapter drives it from one subscription.
 *
 * <pre>{@code
 * for each window: push(row)...; endWindow(last);
 *     for (FollowUp f; (f = nextFollowUp()) != null; ) { run f.statement(), f.accept(row)...; f.complete(); }
 *     emit take();
 * }</pre>
 *
 * @param <T> the root entity
 */
public interface Assembly<T> {

    /** @param row the next row of the main statement */
    void push(RowSource row);

    /** @param last whether the main statement's rows have ended (then the root being read is complete) */
    void endWindow(boolean last);

    /**
     * @return the next follow-up statement to run for the roots completed so far (nested levels after
     *     their parent level), or null when every follow-up of the window has run
     */
    @Nullable FollowUp nextFollowUp();

    /**
     * @return the roots completed so far, with their follow-up children, built into entities one by one as
     *     they are iterated (an entity that cannot be built fails at its turn, after the ones before it);
     *     starts the next window. Iterate once.
     */
    Iterable<T> take();
}
