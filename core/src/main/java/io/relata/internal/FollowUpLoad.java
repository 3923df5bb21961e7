package io.relata.internal;

import io.relata.Attribute;
import io.relata.internal.NodeReader.Children;
import io.relata.internal.NodeReader.Partial;
import io.relata.sql.Bind;
import io.relata.sql.RowSource;
import io.relata.sql.SqlStatement;
import java.util.ArrayList;
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
 * @param template   the statement; the bind at {@code keyIndex} is replaced by the parents' keys
 * @param keyIndex   the index of the key array among the template's binds
 * @param parent     the parent node's reader
 * @param parentSlot where the parent's join key is kept in its partial
 * @param link       the link column: column 0 of every row, and what the key array is compared with
 * @param child      the separate node's reader (columns start at index 1; column 0 is the link)
 * @param nested     separate includes below this one
 */
record FollowUpLoad(SqlStatement template, int keyIndex, NodeReader<?> parent, int parentSlot, Attribute link,
        NodeReader<?> child, List<FollowUpLoad> nested) {

    FollowUpLoad {
        nested = List.copyOf(nested);
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
            Object k = p.value(parentSlot);
            if (k != null) {
                keys.add(k);
            }
        }
        List<Object> values = Keys.values(link, keys, true);
        if (values.isEmpty()) {
            return null;
        }
        List<Bind> binds = new ArrayList<>(template.binds());
        binds.set(keyIndex, Keys.bind(link, values));
        return template.withBinds(binds);
    }

    /** Collects a follow-up query's rows by parent key, de-duplicating children (single use). */
    final class Rows {
        private final Map<Object, Children> byLink = new HashMap<>();
        private final Class<?> linkType = Values.wireType(link);

        /** @param row a row of the follow-up statement */
        void accept(RowSource row) {
            Object parentKey = Keys.canonical(row.get(0, linkType));
            Object raw = child.rawKey(row);
            Object key = child.key(row, raw);
            if (parentKey == null || key == null) {
                return;
            }
            Children children = byLink.computeIfAbsent(parentKey, l -> new Children());
            Object existing = children.get(key);
            if (existing == null) {
                children.add(key, child.readItem(row, raw));
            } else if (existing instanceof Partial p) {
                child.mergeRow(p, row);
            }
        }

        /** @param parents the parents the statement was run for: each gets its children */
        void attach(List<Partial> parents) {
            for (Partial p : parents) {
                Object k = Keys.canonical(p.value(parentSlot));
                Children children = k == null ? null : byLink.get(k);
                if (children != null) {
                    p.attach(child.childIndex(), child.isToMany(), children);
                }
            }
        }
    }
}
