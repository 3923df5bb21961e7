package io.relata.internal;

import io.relata.Attribute;
import io.relata.Model;
import io.relata.sql.RowAssembler;
import io.relata.sql.RowSource;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads one include-tree node's columns out of a row and assembles the tree into entities. Built
 * once per plan (decoders resolved at plan time); the per-row work is index lookups only.
 *
 * @param <T> the node's entity
 */
public final class NodeReader<T> {
    final Model<T> model;
    final int propertyCount;
    final int[] columns;
    final int[] slots;
    final Class<?>[] wireTypes;
    final Attribute[] attributes;
    final int[] keyColumns;
    final Class<?>[] keyTypes;
    /** the index among the selected columns of a single-column key, -1 for a composite key */
    final int keyIndex;
    /** properties plus unmapped selected columns: the length of a partial's value array */
    final int valueCount;
    /** columns whose decoded value is converted (enums); null when none is */
    final boolean @Nullable [] converted;
    final List<NodeReader<?>> children;
    /** the readers of its AGGREGATE children, each decoding its JSON column of this node's row; none usually */
    final AggregateReader[] aggregates;
    /** property index in the parent entity, -1 when the parent has no slot */
    final int parentSlot;
    final boolean toMany;
    /** junction reader for belongsToMany children whose target holds junction attributes */
    final @Nullable NodeReader<?> through;
    final int throughSlot;
    /** index of this node among its parent's children (SEPARATE children included) */
    final int childIndex;
    /** whether this node's rows come from a separate query */
    final boolean separate;
    /**
     * whether a row of this node is built into its entity at once ({@link #build}): nothing below it is a
     * collection, a separate include or junction attributes, so one row holds its whole subtree
     */
    final boolean direct;
    /** whether this node has no child node and no junction reader: under a to-many parent its entity is built at its first row */
    final boolean leaf;

    /**
     * Where a node sits below its parent.
     *
     * @param parentSlot the parent entity's property it fills, or -1 when the parent has no slot for it
     * @param childIndex its index among the parent's children
     * @param toMany whether it is a collection of the parent
     * @param separate whether its rows come from a follow-up statement
     */
    record Placement(int parentSlot, int childIndex, boolean toMany, boolean separate) {
        /** A root, or a reader of a statement's own rows (RETURNING). */
        static final Placement ROOT = new Placement(-1, 0, false, false);
    }

    /**
     * A reader without children, placed as a root.
     *
     * @param model the node's model
     * @param selected the attributes read, in column order starting at {@code firstColumn}
     * @param firstColumn the index of the first column
     * @param keyAttributes the attributes that identify a row of this node (selected among them)
     */
    NodeReader(Model<T> model, List<Attribute> selected, int firstColumn, List<Attribute> keyAttributes) {
        this(model, selected, firstColumn, keyAttributes, Placement.ROOT, List.of(), List.of(), null, -1);
    }

    /**
     * @param model the node's model
     * @param selected the attributes read, in column order starting at {@code firstColumn}
     * @param firstColumn the index of the first column
     * @param keyAttributes the attributes that identify a row of this node (selected among them)
     * @param placement where the node sits below its parent
     * @param children the readers of its children, in order (built first: readers are immutable)
     * @param aggregates the readers of its AGGREGATE children (not among {@code children})
     * @param through the reader of the junction attributes it holds, or null
     * @param throughSlot the property that holds them, or -1
     */
    NodeReader(Model<T> model, List<Attribute> selected, int firstColumn, List<Attribute> keyAttributes,
            Placement placement, List<NodeReader<?>> children, List<AggregateReader> aggregates,
            @Nullable NodeReader<?> through, int throughSlot) {
        this.aggregates = aggregates.toArray(AggregateReader[]::new);
        this.parentSlot = placement.parentSlot();
        this.childIndex = placement.childIndex();
        this.toMany = placement.toMany();
        this.separate = placement.separate();
        this.children = List.copyOf(children);
        this.through = through;
        this.throughSlot = throughSlot;
        this.model = model;
        this.propertyCount = model.propertyCount();
        int n = selected.size();
        this.columns = new int[n];
        this.slots = new int[n];
        this.wireTypes = new Class<?>[n];
        this.attributes = selected.toArray(Attribute[]::new);
        int hidden = propertyCount;
        boolean[] conv = new boolean[n];
        boolean anyConverted = false;
        for (int i = 0; i < n; i++) {
            Attribute a = attributes[i];
            columns[i] = firstColumn + i;
            slots[i] = a.mapped() ? a.property() : hidden++;
            wireTypes[i] = Values.wireType(a);
            conv[i] = a.javaType().isEnum();
            anyConverted |= conv[i];
        }
        this.valueCount = hidden;
        this.converted = anyConverted ? conv : null;
        this.keyColumns = new int[keyAttributes.size()];
        this.keyTypes = new Class<?>[keyAttributes.size()];
        int single = -1;
        for (int k = 0; k < keyColumns.length; k++) {
            int idx = selected.indexOf(keyAttributes.get(k));
            if (idx < 0) {
                throw new IllegalStateException("key " + keyAttributes.get(k).name() + " is not selected");
            }
            keyColumns[k] = columns[idx];
            keyTypes[k] = wireTypes[idx];
            single = idx;
        }
        this.keyIndex = keyColumns.length == 1 ? single : -1;
        boolean allDirect = through == null;
        for (NodeReader<?> c : this.children) {
            allDirect &= !c.separate && !c.toMany && c.direct;
        }
        this.direct = allDirect;
        this.leaf = this.children.isEmpty() && through == null;
    }

    /** @return the model read */
    public Model<T> model() {
        return model;
    }

    /**
     * @param attribute a selected attribute
     * @return where its value is kept in a {@link Partial}
     */
    int slotOf(Attribute attribute) {
        for (int i = 0; i < attributes.length; i++) {
            if (attributes[i].equals(attribute)) {
                return slots[i];
            }
        }
        throw new IllegalStateException(attribute.name() + " is not selected for " + model.name());
    }

    /** @return the row's identity for this node, in {@linkplain Keys#canonical canonical} form, or null */
    @Nullable Object key(RowSource row) {
        if (keyColumns.length == 1) {
            return Keys.canonical(row.get(keyColumns[0], keyTypes[0]));
        }
        Object[] parts = new Object[keyColumns.length];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = Keys.canonical(row.get(keyColumns[i], keyTypes[i]));
            if (parts[i] == null) {
                return null;
            }
        }
        return Arrays.asList(parts);
    }

    /**
     * @param row a row
     * @return the decoded value of a single-column key (as read, not canonical), or null when it is null or the
     *     key has several columns
     */
    @Nullable Object rawKey(RowSource row) {
        return keyIndex < 0 ? null : row.get(keyColumns[0], keyTypes[0]);
    }

    /** @return the row's identity given its {@link #rawKey} (decoded once), or read from the row for a composite key */
    @Nullable Object key(RowSource row, @Nullable Object raw) {
        return keyIndex < 0 ? key(row) : Keys.canonical(raw);
    }

    Partial read(RowSource row) {
        return read(row, null);
    }

    /** @param raw the {@link #rawKey} already decoded from this row, or null to decode every column */
    Partial read(RowSource row, @Nullable Object raw) {
        Object[] values = new Object[valueCount];
        boolean[] conv = converted;
        int known = raw == null ? -1 : keyIndex;
        for (int i = 0; i < columns.length; i++) {
            Object v = i == known ? raw : row.get(columns[i], wireTypes[i]);
            values[slots[i]] = conv != null && conv[i] ? Values.fromWire(attributes[i], v) : v;
        }
        readAggregates(row, values);
        Partial p = new Partial(values, children.size());
        if (through != null) {
            p.through = through.materialize(through.read(row));
        }
        return p;
    }

    /**
     * Builds the entity of a {@link #direct} node straight from one row: its values, its to-one children built
     * the same way, no partial.
     *
     * @param raw the {@link #rawKey} already decoded from this row, or null
     * @param scratch this node's value arrays in the execution, reused from row to row (the entity does not keep
     *     them, {@link Model#instantiate}), or null to allocate them
     */
    T build(RowSource row, @Nullable Object raw, @Nullable Scratch scratch) {
        Object[] values = scratch == null ? new Object[valueCount] : scratch.values(valueCount);
        boolean[] conv = converted;
        int known = raw == null ? -1 : keyIndex;
        for (int i = 0; i < columns.length; i++) {
            Object v = i == known ? raw : row.get(columns[i], wireTypes[i]);
            values[slots[i]] = conv != null && conv[i] ? Values.fromWire(attributes[i], v) : v;
        }
        readAggregates(row, values);
        for (int i = 0; i < children.size(); i++) {
            NodeReader<?> child = children.get(i);
            if (child.parentSlot < 0) {
                continue;
            }
            Object childRaw = child.rawKey(row);
            values[child.parentSlot] = child.key(row, childRaw) == null ? null
                    : child.build(row, childRaw, scratch == null ? null : scratch.child(i, children.size()));
        }
        if (valueCount == propertyCount) {
            return model.instantiate(values);
        }
        return model.instantiate(scratch == null ? Arrays.copyOf(values, propertyCount)
                : scratch.properties(values, propertyCount));
    }

    /** Decodes the JSON columns of the AGGREGATE children into their properties (at a node's first row). */
    private void readAggregates(RowSource row, Object[] values) {
        for (AggregateReader a : aggregates) {
            Object children = a.read(row);
            if (a.parentSlot >= 0) {
                values[a.parentSlot] = children;
            }
        }
    }

    /**
     * The entity of a {@link #leaf} child at its (only) row, or the failure to build it, kept for
     * {@link #materialize} so that it surfaces at the parent's turn, as it would have from a partial.
     */
    private Object buildLeaf(RowSource row, @Nullable Object raw, @Nullable Scratch scratch) {
        try {
            return build(row, raw, scratch);
        } catch (RuntimeException e) {
            return new Failed(e);
        }
    }

    /** A leaf entity that could not be built (see {@link #buildLeaf}). */
    private record Failed(RuntimeException error) {
    }

    /**
     * Merges the row's child columns into an entity being assembled.
     *
     * @param scratch this node's {@link Scratch} in the execution (its children's are below it), or null
     */
    void merge(Partial partial, RowSource row, @Nullable Scratch scratch) {
        for (int i = 0; i < children.size(); i++) {
            NodeReader<?> child = children.get(i);
            if (child.separate) {
                continue;
            }
            // the key column is decoded once, and handed to read
            Object raw = child.rawKey(row);
            Object key = child.key(row, raw);
            if (key == null) {
                continue;
            }
            if (!child.toMany) {
                // a to-one child: at most one per parent, kept without a map
                Partial one = partial.single(i);
                if (one == null) {
                    one = child.read(row, raw);
                    partial.single(i, one);
                }
                child.merge(one, row, scratch == null ? null : scratch.child(i, children.size()));
                continue;
            }
            Children all = partial.children(i);
            Object item = all.get(key);
            if (item == null) {
                if (child.leaf) {
                    // nothing below it: one row holds all of it, so it is built now, without a partial
                    all.add(key, child.buildLeaf(row, raw, scratch == null ? null : scratch.child(i, children.size())));
                    continue;
                }
                item = child.read(row, raw);
                all.add(key, item);
            }
            if (item instanceof Partial p) {
                child.merge(p, row, scratch == null ? null : scratch.child(i, children.size()));
            }
        }
    }

    /** @return the entity built from the partial and its assembled children */
    T materialize(Partial partial) {
        // the partial is not used after it is materialized: its array is handed over when it has no extras
        Object[] values = valueCount == propertyCount ? partial.values : Arrays.copyOf(partial.values, propertyCount);
        for (int i = 0; i < children.size(); i++) {
            NodeReader<?> child = children.get(i);
            if (child.parentSlot < 0) {
                continue;
            }
            if (!child.toMany) {
                Partial one = partial.single(i);
                values[child.parentSlot] = one == null ? null : child.materialize(one);
                continue;
            }
            Children all = partial.childrenOrNull(i);
            int n = all == null ? 0 : all.size();
            // a full array of entities is handed over as it is (the partial is not used after this)
            Object[] list = all != null && n == all.capacity() ? all.items() : new Object[n];
            for (int k = 0; k < n; k++) {
                Object item = Objects.requireNonNull(all).item(k);
                if (item instanceof Failed f) {
                    throw f.error();
                }
                list[k] = item instanceof Partial p ? child.materialize(p) : item;
            }
            values[child.parentSlot] = Collections.unmodifiableList(Arrays.asList(list));
        }
        if (throughSlot >= 0 && partial.through != null) {
            values[throughSlot] = partial.through;
        }
        return model.instantiate(values);
    }

    boolean hasToManyJoin() {
        for (NodeReader<?> c : children) {
            if (!c.separate && (c.toMany || c.hasToManyJoin())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Collects the partials of a descendant node inside an assembled partial tree.
     *
     * @param target the descendant node's reader
     * @param partial a partial of this node
     * @param out receives the target's partials
     */
    public void collect(NodeReader<?> target, Partial partial, List<Partial> out) {
        if (this == target) {
            out.add(partial);
            return;
        }
        for (int i = 0; i < children.size(); i++) {
            Partial one = partial.single(i);
            if (one != null) {
                children.get(i).collect(target, one, out);
            }
            Children all = partial.childrenOrNull(i);
            if (all != null) {
                for (int k = 0; k < all.size(); k++) {
                    // leaf entities (built at their row) have nothing below them to collect
                    if (all.item(k) instanceof Partial p) {
                        children.get(i).collect(target, p, out);
                    }
                }
            }
        }
    }

    /** @return whether this node is a collection of its parent */
    public boolean isToMany() {
        return toMany;
    }

    /** @return the index of this node among its parent's children */
    public int childIndex() {
        return childIndex;
    }

    /** @param row a row of a separate query @return the identity of this node's row in it, or null */
    public @Nullable Object keyOf(RowSource row) {
        return key(row);
    }

    /** @param row a row @return a new partial of this node's columns, with its joined children merged */
    public Partial readTree(RowSource row) {
        Partial p = read(row);
        merge(p, row, null);
        return p;
    }

    /**
     * @param row the first row of one of this node's entities in a separate query
     * @param raw its {@link #rawKey}
     * @param scratch this node's {@link Scratch} in the execution, or null
     * @return the entity built at once when this is a {@link #leaf} collection member, else its partial (joined
     *     children merged)
     */
    Object readItem(RowSource row, @Nullable Object raw, @Nullable Scratch scratch) {
        if (leaf && toMany) {
            return buildLeaf(row, raw, scratch);
        }
        Partial p = read(row, raw);
        merge(p, row, scratch);
        return p;
    }

    /**
     * @param partial an existing partial of this node
     * @param row another row of it: merges joined children
     * @param scratch this node's {@link Scratch} in the execution, or null
     */
    void mergeRow(Partial partial, RowSource row, @Nullable Scratch scratch) {
        merge(partial, row, scratch);
    }

    /** @return a new single-use assembler of roots read by this node */
    public RowAssembler<T> assembler() {
        return new Assembler<>(this);
    }

    /** @return a new single-use assembler that yields roots as partials (for SEPARATE loads) */
    public PartialAssembler<T> partialAssembler() {
        return new PartialAssembler<>(this, null);
    }

    /**
     * @param linkTypes the types of the first columns, the source key a lazy-load row belongs to (one per key part)
     * @return a new single-use assembler grouping by (link, root key), recording each root's link
     */
    public PartialAssembler<T> linkedAssembler(Class<?>[] linkTypes) {
        return new PartialAssembler<>(this, linkTypes);
    }

    /** @param links link columns @return their wire types */
    static Class<?>[] wireTypes(List<Attribute> links) {
        return links.stream().map(Values::wireType).toArray(Class<?>[]::new);
    }

    /**
     * @param row a lazy-load or follow-up row
     * @param types the types of its first columns, the link (one per key part)
     * @return the link in canonical form: the value, or a List of the parts of a composite key; null when a part is
     */
    static @Nullable Object link(RowSource row, Class<?>[] types) {
        if (types.length == 1) {
            return Keys.canonical(row.get(0, types[0]));
        }
        Object[] parts = new Object[types.length];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = Keys.canonical(row.get(i, types[i]));
            if (parts[i] == null) {
                return null;
            }
        }
        return Arrays.asList(parts);
    }

    /**
     * An entity being assembled: its own values (properties first, then unmapped selected columns)
     * and, per child node, the child partials keyed by their identity (de-duplication).
     */
    public static final class Partial {
        final Object[] values;
        private final int childCount;
        /** the children of the node's only child node (the common case: no array for one) */
        private @Nullable Children only;
        /** the children per child node, when the node has several */
        private final @Nullable Children @Nullable [] children;
        private @Nullable Partial @Nullable [] singles;
        @Nullable Object through;
        @Nullable Object link;

        Partial(Object[] values, int childCount) {
            this.values = values;
            this.childCount = childCount;
            this.children = childCount < 2 ? null : new Children[childCount];
        }

        private void requireChildren() {
            if (childCount == 0) {
                throw new NullPointerException("a node without children");
            }
        }

        Children children(int index) {
            Children m = childrenOrNull(index);
            if (m == null) {
                requireChildren();
                m = new Children();
                children(index, m);
            }
            return m;
        }

        private void children(int index, Children m) {
            @Nullable Children[] all = children;
            if (all == null) {
                Objects.checkIndex(index, 1);
                only = m;
            } else {
                all[index] = m;
            }
        }

        @Nullable Children childrenOrNull(int index) {
            @Nullable Children[] all = children;
            if (all != null) {
                return all[index];
            }
            if (childCount == 0) {
                return null;
            }
            Objects.checkIndex(index, 1);
            return only;
        }

        @Nullable Partial single(int index) {
            return singles == null ? null : singles[index];
        }

        void single(int index, Partial child) {
            @Nullable Partial[] all = singles;
            if (all == null) {
                requireChildren();
                all = new Partial[childCount];
                singles = all;
            }
            all[index] = child;
        }

        /** @param slot a value slot @return the value kept there */
        public @Nullable Object value(int slot) {
            return values[slot];
        }

        /** @return the link value (column 0) of a lazy-load row, in canonical form ({@link Keys#canonical}), or null */
        public @Nullable Object link() {
            return link;
        }

        /**
         * @param index a child node index
         * @param toMany whether that child is a collection
         * @param children partials (or leaf entities) to add under it, keyed by identity; a to-one child takes
         *     the first; the children are shared, not copied, when this partial has none yet
         */
        void attach(int index, boolean toMany, Children children) {
            if (toMany) {
                requireChildren();
                Children mine = childrenOrNull(index);
                if (mine == null) {
                    children(index, children);
                    return;
                }
                for (int i = 0; i < children.size(); i++) {
                    mine.put(children.key(i), children.item(i));
                }
            } else if (children.size() > 0 && single(index) == null && children.item(0) instanceof Partial first) {
                single(index, first);
            }
        }
    }

    /**
     * The partials of one to-many child node under one parent (or, for a {@link #leaf} child, its entities),
     * keyed by identity, in arrival order. Rows come
     * ordered by the child's key within its parent in the common case, so a key is looked up against the last
     * one only while the keys keep increasing; the first key that does not (several to-many joins side by side,
     * an include ordered by another column) builds a hash index, used from then on.
     */
    static final class Children {
        private Object[] keys = new Object[10];
        private Object[] partials = new Object[10];
        private int size;
        private @Nullable Map<Object, Object> index;

        /** @param key a canonical key @return its partial (or entity), or null when none was added */
        @Nullable Object get(Object key) {
            Map<Object, Object> byKey = index;
            if (byKey != null) {
                return byKey.get(key);
            }
            if (size == 0) {
                return null;
            }
            Object last = keys[size - 1];
            if (last.equals(key)) {
                return partials[size - 1];
            }
            if (increasing(last, key)) {
                // every key so far was smaller than the last: this one was never seen
                return null;
            }
            byKey = new HashMap<>(size * 2);
            for (int i = 0; i < size; i++) {
                byKey.put(keys[i], partials[i]);
            }
            index = byKey;
            return byKey.get(key);
        }

        /** @param key a canonical key not added before @param partial its partial or entity */
        void add(Object key, Object partial) {
            if (size == keys.length) {
                int grown = size + (size >> 1);
                keys = Arrays.copyOf(keys, grown);
                partials = Arrays.copyOf(partials, grown);
            }
            if (index == null && size > 0 && !increasing(keys[size - 1], key)) {
                get(key);
            }
            keys[size] = key;
            partials[size++] = partial;
            if (index != null) {
                index.put(key, partial);
            }
        }

        /** @param key a canonical key @param partial its partial or entity, replacing the one added for it, if any */
        void put(Object key, Object partial) {
            if (get(key) == null) {
                add(key, partial);
                return;
            }
            for (int i = 0; i < size; i++) {
                if (keys[i].equals(key)) {
                    partials[i] = partial;
                }
            }
            Map<Object, Object> byKey = index;
            if (byKey != null) {
                byKey.put(key, partial);
            }
        }

        int size() {
            return size;
        }

        Object item(int i) {
            return partials[i];
        }

        Object key(int i) {
            return keys[i];
        }

        int capacity() {
            return partials.length;
        }

        /** @return the array of items itself (for a caller that is its last user) */
        Object[] items() {
            return partials;
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private static boolean increasing(Object last, Object key) {
            return last.getClass() == key.getClass() && last instanceof Comparable c && c.compareTo(key) < 0;
        }
    }

    /**
     * The value arrays of one execution's entities that are built straight from their row ({@link #build}), one
     * per node, mirroring the reader tree (a node's children's below it): the entity is built from them and does
     * not keep them ({@link Model#instantiate}), so the next row of the node fills them again. Every row of a node
     * writes the same slots, so nothing of an earlier row is left in them. Readers are shared by executions; a
     * scratch belongs to one (single-threaded, like its assembler).
     */
    static final class Scratch {
        private Object @Nullable [] values;
        private Object @Nullable [] properties;
        private @Nullable Scratch @Nullable [] children;

        /** @param length the node's value count @return its value array */
        Object[] values(int length) {
            Object[] v = values;
            if (v == null) {
                v = new Object[length];
                values = v;
            }
            return v;
        }

        /**
         * @param values the node's values, its unmapped columns after its properties
         * @param length its property count
         * @return its properties (copied into an array kept for the next row)
         */
        Object[] properties(Object[] values, int length) {
            Object[] p = properties;
            if (p == null) {
                p = new Object[length];
                properties = p;
            }
            System.arraycopy(values, 0, p, 0, length);
            return p;
        }

        /** @param index a child node's index @param count the node's child count @return the child's scratch */
        Scratch child(int index, int count) {
            @Nullable Scratch[] all = children;
            if (all == null) {
                all = new Scratch[count];
                children = all;
            }
            Scratch s = all[index];
            if (s == null) {
                s = new Scratch();
                all[index] = s;
            }
            return s;
        }
    }

    /** Groups consecutive rows by root key; emits each root when the next root's first row arrives. */
    private static final class Assembler<T> implements RowAssembler<T> {
        private final PartialAssembler<T> partials;
        private final NodeReader<T> root;

        Assembler(NodeReader<T> root) {
            this.root = root;
            this.partials = new PartialAssembler<>(root, null);
        }

        @Override
        public @Nullable T push(RowSource row) {
            if (root.direct) {
                // every row is a whole root (no collection below it): built at once, without partials
                return root.build(row, null, partials.scratch);
            }
            Partial done = partials.push(row);
            return done == null ? null : root.materialize(done);
        }

        @Override
        public @Nullable T finish() {
            Partial done = partials.finish();
            return done == null ? null : root.materialize(done);
        }
    }

    /** The grouping state machine, yielding partials. Memory: one root's subtree. */
    public static final class PartialAssembler<T> {
        private final NodeReader<T> root;
        private final boolean grouped;
        private final Class<?> @Nullable [] linkTypes;
        private @Nullable Partial current;
        private @Nullable Object currentKey;
        /** the value arrays of the entities built at their row, reused from row to row of this execution */
        final Scratch scratch = new Scratch();

        PartialAssembler(NodeReader<T> root, Class<?> @Nullable [] linkTypes) {
            this.root = root;
            this.grouped = root.hasToManyJoin();
            this.linkTypes = linkTypes;
        }

        /** @param row the next row @return the root completed by it, or null */
        public @Nullable Partial push(RowSource row) {
            Class<?>[] types = linkTypes;
            Object link = types == null ? null : link(row, types);
            if (!grouped) {
                Partial p = root.read(row);
                p.link = link;
                root.merge(p, row, scratch);
                return p;
            }
            Object raw = root.rawKey(row);
            Object own = root.key(row, raw);
            Object key = types == null ? own : Arrays.asList(link, own);
            Partial done = null;
            if (current != null && !Objects.equals(currentKey, key)) {
                done = current;
                current = null;
            }
            if (current == null) {
                current = root.read(row, raw);
                current.link = link;
                currentKey = key;
            }
            root.merge(current, row, scratch);
            return done;
        }

        /** @return the last root, or null */
        public @Nullable Partial finish() {
            Partial done = current;
            current = null;
            currentKey = null;
            return done;
        }

        /** @param partial a root partial from this assembler @return the entity */
        public T materialize(Partial partial) {
            return root.materialize(partial);
        }
    }
}
