package io.relata.sql;

import org.jspecify.annotations.Nullable;

/** One result row as an adapter exposes it to core's decoders and assembler. */
@FunctionalInterface
public interface RowSource {
    /**
     * @param index zero-based column index
     * @param type  the Java type to decode to
     * @param <V> the type
     * @return the value, or null for SQL NULL
     */
    <V> @Nullable V get(int index, Class<V> type);
}
