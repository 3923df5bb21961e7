package io.relata.sql;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One execution of a {@link LoadPlan}: push the statement's rows, {@link #end()}, run the follow-ups of
 * its SEPARATE includes, then read the targets grouped by the source key they belong to. Single-use.
 *
 * @param <T> the target entity
 */
public interface LoadAssembly<T> {

    /** @param row the next row of the load statement */
    void push(RowSource row);

    /** The rows have ended. */
    void end();

    /** @return the next follow-up statement to run (nested levels after their parent level), or null when all ran */
    @Nullable FollowUp nextFollowUp();

    /** @return the targets by {@linkplain LoadPlan#canonicalKey canonical} source key, in order (sources without any are absent) */
    Map<Object, List<T>> byKey();
}
