package io.relata.internal;

import io.relata.Attribute;
import io.relata.internal.NodeReader.Partial;
import io.relata.internal.NodeReader.PartialAssembler;
import io.relata.sql.Bind;
import io.relata.sql.FollowUp;
import io.relata.sql.LoadAssembly;
import io.relata.sql.LoadPlan;
import io.relata.sql.RowSource;
import io.relata.sql.SqlStatement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A planned lazy load for any number of sources ({@link LoadPlan}). Immutable.
 *
 * @param <T> the target entity
 */
final class BatchLoadPlan<T> implements LoadPlan<T> {
    private final SqlStatement statement;
    private final int[] keyIndexes;
    private final NodeReader<T> reader;
    private final List<FollowUpLoad> followUps;
    private final List<Attribute> links;
    /** the link columns' wire types (read from every row) */
    private final Class<?>[] linkTypes;
    /** whether a target is built at its row: no collections or junction values below it */
    private final boolean direct;

    /**
     * @param keyIndexes the bind index of each key part's array
     * @param links the link columns (the rows' first columns), one per key part
     */
    BatchLoadPlan(SqlStatement statement, int[] keyIndexes, NodeReader<T> reader, List<FollowUpLoad> followUps,
            List<Attribute> links) {
        this.statement = Objects.requireNonNull(statement, "statement");
        this.keyIndexes = keyIndexes.clone();
        this.reader = Objects.requireNonNull(reader, "reader");
        this.followUps = List.copyOf(followUps);
        this.links = List.copyOf(links);
        this.linkTypes = NodeReader.wireTypes(this.links);
        this.direct = reader.direct && this.followUps.isEmpty();
    }

    @Override
    public SqlStatement statement() {
        return statement;
    }

    @Override
    public int keyIndex() {
        return keyIndexes[0];
    }

    @Override
    public @Nullable SqlStatement statement(Collection<?> keys) {
        List<List<Object>> tuples = Keys.tuples(links, keys, true);
        if (tuples.get(0).isEmpty()) {
            return null;
        }
        List<Bind> binds = new ArrayList<>(statement.binds());
        List<Bind> arrays = Keys.binds(links, tuples);
        for (int i = 0; i < keyIndexes.length; i++) {
            binds.set(keyIndexes[i], arrays.get(i));
        }
        return statement.withBinds(binds);
    }

    @Override
    public Object canonicalKey(Object key) {
        return Objects.requireNonNull(Keys.canonical(Objects.requireNonNull(key, "key")));
    }

    @Override
    public LoadAssembly<T> assembly() {
        return new Execution();
    }

    @Override
    public String toString() {
        return "LoadPlan[" + statement + "]";
    }

    /**
     * One execution: rows grouped by (link, target), follow-ups, then targets by source key. A target without
     * collections or junction values below it ({@link NodeReader#direct}) is built at its row, straight into
     * its source's list, without a partial.
     */
    private final class Execution implements LoadAssembly<T> {
        private final PartialAssembler<T> partials = reader.linkedAssembler(linkTypes);
        private final List<Partial> roots = new ArrayList<>();
        private final Map<Object, List<T>> built = new LinkedHashMap<>();
        private final NodeReader.Scratch scratch = new NodeReader.Scratch();
        private @Nullable FollowUps pending;

        @Override
        public void push(RowSource row) {
            if (direct) {
                Object link = Objects.requireNonNull(NodeReader.link(row, linkTypes), "a load row without its source key");
                built.computeIfAbsent(link, k -> new ArrayList<>()).add(reader.build(row, null, scratch));
                return;
            }
            Partial done = partials.push(row);
            if (done != null) {
                roots.add(done);
            }
        }

        @Override
        public void end() {
            Partial last = partials.finish();
            if (last != null) {
                roots.add(last);
            }
            pending = new FollowUps(reader, roots, followUps);
        }

        @Override
        public @Nullable FollowUp nextFollowUp() {
            return pending == null ? null : pending.next();
        }

        @Override
        public Map<Object, List<T>> byKey() {
            if (direct) {
                return built;
            }
            Map<Object, List<T>> out = new LinkedHashMap<>();
            for (Partial p : roots) {
                out.computeIfAbsent(Objects.requireNonNull(p.link()), k -> new ArrayList<>())
                        .add(partials.materialize(p));
            }
            return out;
        }
    }
}
