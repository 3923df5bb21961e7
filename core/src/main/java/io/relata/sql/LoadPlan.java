package io.relata.sql;

import java.util.Collection;
import org.jspecify.annotations.Nullable;

/**
 * A planned lazy load of an association for any number of sources: one statement whose key array bind
 * holds the sources' keys ({@code = ANY($n)}; the text never depends on how many) and whose column 0 is
 * the key each row belongs to. For a composite key the statement has one aligned array per key part
 * ({@code (a, b) IN (SELECT * FROM unnest($n, $m))}), its first columns are the parts, and a key is a
 * {@code List} of its parts. A {@code limit}/{@code offset} of the load's query applies per source.
 * Immutable and thread-safe.
 *
 * @param <T> the target entity
 */
public interface LoadPlan<T> {

    /** @return the statement as planned; the bind at {@link #keyIndex()} is a placeholder for the key array */
    SqlStatement statement();

    /** @return the index of the key array among the statement's binds (of the first part's, for a composite key) */
    int keyIndex();

    /**
     * @param keys source keys (as entities hold them, or canonical; a List of parts for a composite key);
     *     converted to the link columns' types, de-duplicated by value (whole keys); a key a column cannot hold
     *     matches nothing and is left out
     * @return the statement for them, or null when no key is left (then no target can match)
     */
    @Nullable SqlStatement statement(Collection<?> keys);

    /**
     * @param key a source key as an entity holds it
     * @return its canonical form: equal for equal values whatever their Java type ({@code Integer} 1 and
     *     {@code Long} 1, byte arrays of the same content), as {@link LoadAssembly#byKey()} keys results
     */
    Object canonicalKey(Object key);

    /** @return a fresh assembly of one execution's rows (single use) */
    LoadAssembly<T> assembly();
}
