package io.relata.sql;

import io.relata.internal.NodeReader;
import java.util.List;
import java.util.Objects;

/**
 * A planned SELECT: the statement, how to assemble its rows into roots, and the follow-up loads of
 * includes fetched with the SEPARATE strategy.
 *
 * @param statement the joined query
 * @param reader    the root's reader (creates assemblers)
 * @param separate  follow-up loads, run per window of roots
 * @param <T> the root entity
 */
public record SelectPlan<T>(SqlStatement statement, NodeReader<T> reader, List<SeparateLoad> separate) {
    public SelectPlan {
        Objects.requireNonNull(statement, "statement");
        Objects.requireNonNull(reader, "reader");
        separate = List.copyOf(separate);
    }

    /** @return a fresh assembler for one execution */
    public RowAssembler<T> assembler() {
        return reader.assembler();
    }
}
