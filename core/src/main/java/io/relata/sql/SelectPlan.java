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

    /**
     * The same plan with other values: the statement text and the row layout are kept.
     *
     * @param index the bind index (0 for {@code $1})
     * @param value the new value (of the type the plan was made with)
     * @return a plan with that bind replaced
     */
    public SelectPlan<T> withBind(int index, Object value) {
        java.util.List<Bind> binds = new java.util.ArrayList<>(statement.binds());
        binds.set(index, new Bind(value, binds.get(index).type()));
        return new SelectPlan<>(new SqlStatement(statement.sql(), binds), reader, separate);
    }

    /** @return a fresh assembler for one execution */
    public RowAssembler<T> assembler() {
        return reader.assembler();
    }
}
