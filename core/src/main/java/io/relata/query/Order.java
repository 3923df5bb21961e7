package io.relata.query;

import java.util.Objects;

/**
 * One {@code ORDER BY} term.
 *
 * @param path       attribute path (see {@link Where})
 * @param descending {@code DESC} when true
 */
public record Order(String path, boolean descending) {
    public Order {
        Paths.check(path, "path");
    }

    /** @param path attribute path @return ascending order */
    public static Order asc(String path) {
        return new Order(path, false);
    }

    /** @param path attribute path @return descending order */
    public static Order desc(String path) {
        return new Order(path, true);
    }
}
