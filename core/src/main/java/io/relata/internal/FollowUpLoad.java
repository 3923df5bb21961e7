package io.relata.internal;

import io.relata.Attribute;
import io.relata.internal.NodeReader.Children;
import io.relata.internal.NodeReader.Partial;
import io.relata.sql.Bind;
import io.relata.sql.RowSource;
import io.relata.sql.SqlStatement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The follow-up query of an include fetched with the SEPARATE strategy: for a window of assembled
 * parents it runs once with {@code = ANY($n)} over their keys (the text never varies with the number of
 * keys), and its rows are attached to the parents they belong to. Nested separate includes run after
 * it, over its rows.
 *
 * <p>A composite key is as many link columns, key arrays and parent slots as it has parts: the rows'
 * first columns are the link, compared with {@code (a, b) IN (SELECT * FROM unnest($1, $2))}.
 *
 * @param template    the statement; the binds at {@code keyIndexes} are replaced by the parents' keys
 * @param keyIndexes  the index of each key part's array among the template's binds
 * @param parent      the parent node's reader
 * @param parentSlots where the parts of the parent's join key are kept in its partial
 * @param links       the link columns: the first columns of every row, and what the key arrays are compared with
 * @param child       the separate node's reader (its columns start after the links)
 * @param nested      separate includes below this one
 */
record FollowUpLoad(SqlStatement template, List<Integer> keyIndexes, NodeReader<?> parent, List<Integer> parentSlots,
        List<Attribute> links, NodeReader<?> child, List<FollowUpLoad> nested) {

    FollowUpLoad {
        keyIndexes = List.copyOf(keyIndexes);
        parentSlots = List.copyOf(parentSlots);
        links = List.copyOf(links);
        nested = List.copyOf(nested);
    }

    /** @return the parent's key held by a partial: its value, a List of parts for a composite key, or null */
    private @Nullable Object parentKey(Partial p) {
        if (parentSlots.size() == 1) {
            return p.value(parentSlots.get(0));
        }
        Object[] parts = new Object[parentSlots.size()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = p.value(parentSlots.get(i));
            if (parts[i] == null) {
                return null;
            }
        }
        return Arrays.asList(parts);
    }

    /** @return this load's parents among the roots of a window */
    List<Partial> parents(NodeReader<?> root, List<Partial> roots) {
        List<Partial> out = new ArrayList<>();
        for (Partial p : roots) {
            root.collect(parent, p, out);
        }
        return out;
    }

    /**
     * @param parents parent partials
     * @return the statement for their distinct non-null keys (converted to the link column's type; a key
     *     the column cannot hold matches nothing and is left out), or null when none is left
     */
    @Nullable SqlStatement statement(List<Partial> parents) {
        List<Object> keys = new ArrayList<>(parents.size());
        for (Partial p : parents) {
            Object k = parentKey(p);
            if (k != null) {
                keys.add(k);
            }
        }
        List<List<Object>> tuples = Keys.tuples(links, keys, true);
        if (tuples.get(0).isEmpty()) {
            return null;
        }
        List<Bind> binds = new ArrayList<>(template.binds());
        List<Bind> arrays = Keys.binds(links, tuples);
        for (int i = 0; i < keyIndexes.size(); i++) {
            binds.set(keyIndexes.get(i), arrays.get(i));
        }
        return template.withBinds(binds);
    }

    /** Collects a follow-up query's rows by parent key, de-duplicating children (single use). */
    final class Rows {
        private final Map<Object, Children> byLink = new HashMap<>();
        private final Class<?>[] linkTypes = NodeReader.wireTypes(links);
        /** the child's value arrays of this statement's rows, reused from row to row */
        private final NodeReader.Scratch scratch = new NodeReader.Scratch();

        /** @param row a row of the follow-up statement */
        void accept(RowSource row) {
            Object parentKey = NodeReader.link(row, linkTypes);
            Object raw = child.rawKey(row);
            Object key = child.key(row, raw);
            if (parentKey == null || key == null) {
                return;
            }
            Children children = byLink.computeIfAbsent(parentKey, l -> new Children());
            Object existing = children.get(key);
            if (existing == null) {
                children.add(key, child.readItem(row, raw, scratch));
            } else if (existing instanceof Partial p) {
                child.mergeRow(p, row, scratch);
            }
        }

        /** @param parents the parents the statement was run for: each gets its children */
        void attach(List<Partial> parents) {
            for (Partial p : parents) {
                Object k = Keys.canonical(parentKey(p));
                Children children = k == null ? null : byLink.get(k);
                if (children != null) {
                    p.attach(child.childIndex(), child.isToMany(), children);
                }
            }
        }
    }
}
