package io.relata.sql;

import io.relata.internal.NodeReader;
import io.relata.internal.NodeReader.Partial;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The follow-up query of an include fetched with the SEPARATE strategy: for a window of assembled
 * parents it runs once with {@code = ANY($1)} over their keys (the text never varies with the number
 * of keys), and its rows are attached to the parents they belong to. Nested separate includes run
 * after it, over its rows.
 *
 * @param template     the statement; bind {@code $1} is replaced by the parents' keys
 * @param parent       the parent node's reader
 * @param parentSlot   where the parent's join key is kept in its partial
 * @param keyType      the element type of the key array
 * @param child        the separate node's reader (columns start at index 1; column 0 is the link)
 * @param linkType     the Java type of the link column
 * @param nested       separate includes below this one
 */
public record SeparateLoad(SqlStatement template, NodeReader<?> parent, int parentSlot, Class<?> keyType,
        NodeReader<?> child, Class<?> linkType, List<SeparateLoad> nested) {

    public SeparateLoad {
        nested = List.copyOf(nested);
    }

    /**
     * @param root the plan's root reader
     * @param roots assembled root partials of one window
     * @return this load's parents among them
     */
    public List<Partial> parents(NodeReader<?> root, List<Partial> roots) {
        List<Partial> out = new ArrayList<>();
        for (Partial p : roots) {
            root.collect(parent, p, out);
        }
        return out;
    }

    /** @param parents parent partials @return the statement for their distinct non-null keys, or null when none */
    public @Nullable SqlStatement statement(List<Partial> parents) {
        Set<Object> keys = new LinkedHashSet<>();
        for (Partial p : parents) {
            Object k = p.value(parentSlot);
            if (k != null) {
                keys.add(k);
            }
        }
        if (keys.isEmpty()) {
            return null;
        }
        Object[] array = (Object[]) Array.newInstance(keyType, keys.size());
        int i = 0;
        for (Object k : keys) {
            array[i++] = k;
        }
        List<Bind> binds = new ArrayList<>(template.binds());
        binds.set(0, new Bind(array, array.getClass()));
        return new SqlStatement(template.sql(), binds);
    }

    /** @return a new collector of this load's rows (single use) */
    public Rows rows() {
        return new Rows();
    }

    /** Collects a follow-up query's rows by parent key, de-duplicating children. */
    public final class Rows {
        private final Map<Object, Map<Object, Partial>> byLink = new HashMap<>();

        Rows() {
        }

        /** @param row a row of the follow-up statement */
        public void accept(RowSource row) {
            Object link = row.get(0, linkType);
            Object key = child.keyOf(row);
            if (link == null || key == null) {
                return;
            }
            Map<Object, Partial> children = byLink.computeIfAbsent(link, l -> new LinkedHashMap<>());
            Partial existing = children.get(key);
            if (existing == null) {
                children.put(key, child.readTree(row));
            } else {
                child.mergeRow(existing, row);
            }
        }

        /** @param parents the parents the statement was run for: each gets its children */
        public void attach(List<Partial> parents) {
            for (Partial p : parents) {
                Object k = p.value(parentSlot);
                Map<Object, Partial> children = k == null ? null : byLink.get(k);
                if (children != null) {
                    p.attach(child.childIndex(), child.isToMany(), children);
                }
            }
        }
    }
}
