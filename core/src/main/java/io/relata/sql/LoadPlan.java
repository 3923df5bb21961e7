package io.relata.sql;

import io.relata.Attribute;
import io.relata.internal.Keys;
import io.relata.internal.NodeReader;
import io.relata.internal.NodeReader.PartialAssembler;
import io.relata.internal.Values;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A planned lazy load of an association for any number of sources: one statement whose {@code $1} is
 * the array of source keys ({@code = ANY($1)}; the text never depends on how many) and whose column 0
 * is the key each row belongs to. A {@code limit}/{@code offset} of the load's query applies per
 * source.
 *
 * @param statement the statement; the bind at {@code keyIndex} is a placeholder for the key array
 * @param keyIndex  the index of the key array among the statement's binds
 * @param reader    reads the target rows (columns from index 1)
 * @param separate  follow-up loads of SEPARATE includes of the targets
 * @param link      the column {@code $1} is compared with and column 0 holds
 * @param <T> the target entity
 */
public record LoadPlan<T>(SqlStatement statement, int keyIndex, NodeReader<T> reader, List<SeparateLoad> separate,
        Attribute link) {
    public LoadPlan {
        Objects.requireNonNull(statement, "statement");
        Objects.requireNonNull(reader, "reader");
        Objects.requireNonNull(link, "link");
        separate = List.copyOf(separate);
    }

    /**
     * @param keys source keys (as entities hold them, or canonical); converted to the link column's type,
     *     de-duplicated by value; a key the column cannot hold matches nothing and is left out
     * @return the statement for them, or null when no key is left (then no target can match)
     */
    public @Nullable SqlStatement statement(Collection<?> keys) {
        List<Object> values = Keys.values(link, keys, true);
        if (values.isEmpty()) {
            return null;
        }
        List<Bind> binds = new ArrayList<>(statement.binds());
        binds.set(keyIndex, Keys.bind(link, values));
        return new SqlStatement(statement.sql(), binds);
    }

    /** @return a new single-use assembler of the rows, recording each target's link in canonical form */
    public PartialAssembler assembler() {
        return reader.linkedAssembler(Values.wireType(link));
    }
}
