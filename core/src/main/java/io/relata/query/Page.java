package io.relata.query;

import java.util.List;

/**
 * One page of a query's roots and how many roots the query matches in all (Sequelize's
 * {@code findAndCountAll} result with {@code distinct: true}).
 *
 * @param rows the roots of the query's window ({@code limit}/{@code offset}), in query order, with their includes
 * @param count all roots the query matches, ignoring its window: each root once, required includes filtering
 * @param <T> the root entity
 */
public record Page<T>(List<T> rows, long count) {
    public Page {
        rows = List.copyOf(Args.elements(rows, "rows"));
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, was " + count);
        }
    }
}
