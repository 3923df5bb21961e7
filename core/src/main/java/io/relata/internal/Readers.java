package io.relata.internal;

import io.relata.Association;
import io.relata.Model;
import io.relata.internal.IncludeTree.Node;
import io.relata.internal.NodeReader.Placement;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds the row readers of an include tree, children first, so that every reader is immutable once it
 * exists (plans are cached and shared between threads). Keeps which reader belongs to which node, for
 * the follow-up loads that attach rows to a parent reader's partials.
 */
final class Readers {
    private final IdentityHashMap<Node, NodeReader<?>> byNode = new IdentityHashMap<>();

    /** @param node a node of the tree @return its reader, built by {@link #build} */
    NodeReader<?> of(Node node) {
        return Objects.requireNonNull(byNode.get(node), "no reader for " + node.alias);
    }

    /**
     * @param root the tree's root
     * @param <T> its entity
     * @return its reader (and, reachable through {@link #of}, every descendant's)
     */
    @SuppressWarnings("unchecked")
    <T> NodeReader<T> build(Node root) {
        return (NodeReader<T>) build(root, Placement.ROOT);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private NodeReader<?> build(Node node, Placement placement) {
        List<NodeReader<?>> children = new ArrayList<>(node.children.size());
        List<AggregateReader> aggregates = new ArrayList<>();
        for (Node c : node.children) {
            int slot = node.model.slot((Association) c.assoc());
            if (c.aggregate) {
                aggregates.add(aggregate(c, slot));
            } else {
                children.add(build(c, new Placement(slot, children.size(), c.toMany(), c.separate)));
            }
        }
        NodeReader<?> through = null;
        int throughSlot = -1;
        if (!node.throughSelected.isEmpty()) {
            Model<?> junction = Objects.requireNonNull(node.junction);
            through = new NodeReader(junction, node.throughSelected, node.throughFirst, List.of());
            throughSlot = node.model.throughSlot(junction);
        }
        NodeReader<?> reader = new NodeReader(node.model, node.selected, node.first, node.model.primaryKeys(), placement,
                children, aggregates, through, throughSlot);
        byNode.put(node, reader);
        return reader;
    }

    /** The reader of an AGGREGATE node and its subtree, read from JSON (no row reader: nothing attaches to it). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static AggregateReader aggregate(Node node, int parentSlot) {
        List<AggregateReader> children = new ArrayList<>();
        for (Node c : node.children) {
            children.add(aggregate(c, node.model.slot((Association) c.assoc())));
        }
        int throughSlot = node.throughSelected.isEmpty() ? -1 : node.model.throughSlot(Objects.requireNonNull(node.junction));
        return new AggregateReader(node.assoc(), node.selected, node.throughSelected.isEmpty() ? null : node.junction,
                node.throughSelected, throughSlot, children, node.jsonColumn, parentSlot);
    }
}
