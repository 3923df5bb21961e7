package io.relata.sql;

import java.util.List;

/**
 * A planned projection ({@link io.relata.query.Projection}): one statement whose rows are each one result,
 * and how a row becomes that result (a record or a map by column name). Immutable and thread-safe.
 *
 * @param <R> what a row is read into
 */
public interface ProjectionPlan<R> {

    /** @return the statement */
    SqlStatement statement();

    /** @return the result's column names (the projection's aliases), in order */
    List<String> columns();

    /**
     * @param row a row of the statement
     * @return it as the result type
     * @throws io.relata.QueryDefinitionException when a value cannot be given to the result (a null for a primitive)
     */
    R read(RowSource row);
}
