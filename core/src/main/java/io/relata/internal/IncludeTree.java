package io.relata.internal;

import io.relata.Association;
import io.relata.Attribute;
import io.relata.Model;
import io.relata.QueryDefinitionException;
import io.relata.internal.Conditions.Col;
import io.relata.internal.sql.Condition;
import io.relata.query.Include;
import io.relata.query.Query;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The include tree of one query being planned: a node per root and include, with its table alias
 * ({@code t0, t1, ...}, junctions {@code j0, j1, ...}), its strategy, the attributes it selects and where
 * its columns are in the row. Built and validated once per planning; not shared.
 */
final class IncludeTree {

    /** A node of the tree. */
    static final class Node {
        final Model<?> model;
        final @Nullable Association<?, ?> association;
        final @Nullable Include<?, ?> include;
        final @Nullable Node parent;
        final String alias;
        final @Nullable String junctionAlias;
        final boolean required;
        final boolean separate;
        /**
         * whether this node is read from a JSON array of its parent's row (AGGREGATE, or below an AGGREGATE
         * include): its columns are positions in the array's elements, {@link #first} from 0
         */
        final boolean aggregate;
        /** for an aggregate node: its JSON column in the parent's row, or its position in the parent's elements */
        int jsonColumn = -1;
        final List<Node> children = new ArrayList<>();
        @Nullable Model<?> junction;
        List<Attribute> selected = List.of();
        List<Attribute> throughSelected = List.of();
        int first;
        int throughFirst;
        /** leave soft-deleted rows of a paranoid model out ({@code paranoid(false)} clears it) */
        boolean paranoid = true;
        /** leave soft-deleted rows of a paranoid junction out ({@code throughParanoid(false)} clears it) */
        boolean throughParanoid = true;

        Node(Model<?> model, @Nullable Association<?, ?> association, @Nullable Include<?, ?> include,
                @Nullable Node parent, String alias, @Nullable String junctionAlias, boolean required, boolean separate,
                boolean aggregate) {
            this.model = model;
            this.association = association;
            this.include = include;
            this.parent = parent;
            this.alias = alias;
            this.junctionAlias = junctionAlias;
            this.required = required;
            this.separate = separate;
            this.aggregate = aggregate;
        }

        /**
         * The soft-delete hook of a table reference: {@code "tN"."deletedAt" IS NULL} for a paranoid model read
         * with paranoid on, else nothing. Every read path of a node (root WHERE, JOIN ON, join group, EXISTS,
         * SEPARATE follow-up, lazy load) gets it from here or through {@link Joins#targetConditions}.
         *
         * @return the conditions (none or one)
         */
        List<Condition> live() {
            List<Condition> out = new ArrayList<>(1);
            SoftDeletes.live(model, alias, paranoid, out);
            return out;
        }

        /** @return the junction's soft-delete condition ({@code "jN"."deletedAt" IS NULL}), or none */
        List<Condition> junctionLive() {
            List<Condition> out = new ArrayList<>(1);
            if (junction != null && junctionAlias != null) {
                SoftDeletes.live(junction, junctionAlias, throughParanoid, out);
            }
            return out;
        }

        boolean toMany() {
            return association != null && association.toMany();
        }

        Association<?, ?> assoc() {
            return Objects.requireNonNull(association, "the root has no association");
        }

        Include<?, ?> inc() {
            return Objects.requireNonNull(include, "the root has no include");
        }

        KindRules rules() {
            return KindRules.of(assoc());
        }

        /** @return whether the include has a per-parent window ({@code limit}/{@code offset}): a lateral */
        boolean limited() {
            return include != null && (include.limit().isPresent() || include.offset().isPresent());
        }

        boolean hasToManyJoin() {
            for (Node c : children) {
                if (!c.separate && !c.aggregate && (c.toMany() || c.hasToManyJoin())) {
                    return true;
                }
            }
            return false;
        }

        /**
         * @return the children joined into the same statement (not SEPARATE, not AGGREGATE), in order: a new list,
         *     or an empty one
         */
        List<Node> joined() {
            if (children.isEmpty()) {
                return List.of();
            }
            List<Node> out = new ArrayList<>(children.size());
            for (Node c : children) {
                if (!c.separate && !c.aggregate) {
                    out.add(c);
                }
            }
            return out;
        }

        /** @return the children read from a JSON array of this node's rows (AGGREGATE), in order */
        List<Node> aggregated() {
            if (children.isEmpty()) {
                return List.of();
            }
            List<Node> out = new ArrayList<>(children.size());
            for (Node c : children) {
                if (c.aggregate) {
                    out.add(c);
                }
            }
            return out;
        }

        /** @return whether this node is a collection of the root, or below one */
        boolean underToMany() {
            for (Node n = this; n != null && n.parent != null; n = n.parent) {
                if (n.toMany()) {
                    return true;
                }
            }
            return false;
        }
    }

    private final Node root;
    private int aliases;

    private IncludeTree(Query<?> query, @Nullable Association<?, ?> link) {
        Model<?> through = link == null ? null : link.through();
        root = new Node(query.model(), null, null, null, "t0", through != null ? "j0" : null, true, false, false);
        root.paranoid = query.paranoid();
        root.throughParanoid = query.throughParanoid();
        for (Include<?, ?> i : query.includes()) {
            add(root, i);
        }
        root.selected = selection(root, query.selectedAttributes());
        if (link != null && through != null) {
            // a lazy belongsToMany load carries the junction's attributes, like Sequelize's getBars()
            root.junction = through;
            List<String> names = query.selectedThroughAttributes();
            if (names != null) {
                names.forEach(through::requireAttribute);
                if (!names.isEmpty() && query.model().throughSlot(through) < 0) {
                    throw noThroughSlot(link, query.model(), through);
                }
            }
            root.throughSelected = junctionAttributes(query.model(), through, names);
        }
    }

    /**
     * @param query the query
     * @param link the association a lazy load is of, or null for a plain query
     * @return the tree, columns laid out from 0 (after the link columns for a lazy load, whose first columns
     *     are the link: one per key part)
     */
    static Node of(Query<?> query, @Nullable Association<?, ?> link) {
        Node root = new IncludeTree(query, link).root;
        layout(root, link != null ? KindRules.of(link).loadLink(link).size() : 0);
        layoutSeparates(root);
        return root;
    }

    private static QueryDefinitionException noThroughSlot(Association<?, ?> a, Model<?> target, Model<?> junction) {
        return new QueryDefinitionException("through attributes of '" + a.as() + "' were asked for but "
                + target.name() + " has no property of the junction's type "
                + junction.entityType().getSimpleName() + " to hold them");
    }

    private static List<Attribute> junctionAttributes(Model<?> target, Model<?> junction, @Nullable List<String> names) {
        List<Attribute> list = new ArrayList<>();
        if (target.throughSlot(junction) >= 0) {
            for (Attribute attr : junction.attributes()) {
                if (attr.mapped() && (names == null || names.contains(attr.name()))) {
                    list.add(attr);
                }
            }
        }
        return list;
    }

    private void add(Node parent, Include<?, ?> include) {
        Association<?, ?> a = include.association();
        int n = ++aliases;
        boolean separate = include.strategy() == Include.Strategy.SEPARATE;
        boolean aggregate = parent.aggregate || include.strategy() == Include.Strategy.AGGREGATE;
        if (separate && parent.aggregate) {
            throw new QueryDefinitionException("include '" + a.as() + "' of " + a.source().name()
                    + " uses the SEPARATE strategy below the AGGREGATE include '" + parent.assoc().as()
                    + "', whose nested includes are read from its JSON; use the default strategy for it, or load '"
                    + parent.assoc().as() + "' with JOIN or SEPARATE");
        }
        Node node = new Node(a.target(), a, include, parent, "t" + n,
                a.kind() == Association.Kind.BELONGS_TO_MANY ? "j" + n : null, include.isRequired(), separate,
                aggregate);
        node.paranoid = include.paranoid();
        node.throughParanoid = include.throughParanoid();
        if (separate && include.isRequired()) {
            throw new QueryDefinitionException("include '" + a.as() + "' of " + a.source().name()
                    + " is required (it has a where or required(true)) but uses the SEPARATE strategy, which cannot"
                    + " filter the parents; use the JOIN strategy or required(false)");
        }
        parent.children.add(node);
        if (node.limited() || aggregate) {
            for (var o : include.orderBy()) {
                if (o.path().contains(".")) {
                    throw new QueryDefinitionException("include '" + a.as() + "' of " + a.source().name()
                            + (include.strategy() == Include.Strategy.AGGREGATE ? " uses the AGGREGATE strategy"
                                    : aggregate ? " is read from the JSON of the AGGREGATE include above it"
                                    : " has a limit/offset")
                            + ", so its order must be on attributes of " + a.target().name()
                            + " itself, not '" + o.path() + "'; its attributes: "
                            + a.target().attributes().stream().map(Attribute::name).toList());
                }
                a.target().requireAttribute(o.path());
            }
        }
        for (Include<?, ?> c : include.includes()) {
            add(node, c);
        }
        node.selected = selection(node, include.selectedAttributes());
        Model<?> junction = a.through();
        if (junction != null) {
            node.junction = junction;
            List<String> names = include.selectedThroughAttributes();
            if (a.target().throughSlot(junction) >= 0 && (names == null || !names.isEmpty())) {
                node.throughSelected = junctionAttributes(a.target(), junction, names);
            } else if (names != null && !names.isEmpty()) {
                throw noThroughSlot(a, a.target(), junction);
            }
        }
    }

    /** Selected attributes: the asked (or all mapped) ones, plus keys the plan needs. */
    private static List<Attribute> selection(Node node, @Nullable List<String> names) {
        Model<?> m = node.model;
        // a few attributes: a list is searched, no hash set is built
        List<Attribute> needed = new ArrayList<>(m.primaryKeys());
        for (Node c : node.children) {
            if (c.separate) {
                needed.addAll(c.assoc().sourceKeys());
            }
        }
        if (node.separate) {
            needed.addAll(node.rules().followUpKey(node.assoc()));
        }
        // each attribute of the model once, in its order
        List<Attribute> selected = new ArrayList<>(m.attributes().size());
        for (Attribute a : m.attributes()) {
            boolean asked = names == null ? a.mapped() : names.contains(a.name());
            if (asked || needed.contains(a)) {
                selected.add(a);
            }
        }
        return selected;
    }

    /**
     * Lays a node and its joined subtree out from {@code column}: its attributes, its junction's, its joined
     * children's in turn, then one JSON column per aggregate child (whose elements are laid out from 0).
     */
    private static int layout(Node node, int column) {
        node.first = column;
        column += node.selected.size();
        node.throughFirst = column;
        column += node.throughSelected.size();
        for (Node c : node.joined()) {
            column = layout(c, column);
        }
        for (Node c : node.aggregated()) {
            c.jsonColumn = column++;
            layout(c, 0);
        }
        return column;
    }

    /** Separate subtrees are laid out for their own statement: the link columns first, then the subtree. */
    private static void layoutSeparates(Node node) {
        for (Node c : node.children) {
            if (c.separate) {
                layout(c, c.assoc().foreignKeys().size());
            }
            layoutSeparates(c);
        }
    }

    /** Resolves {@code attr} or {@code alias.alias.attr} relative to a node. */
    static Col resolve(Node base, String path) {
        String[] parts = path.split("\\.", -1);
        for (String part : parts) {
            if (part.isEmpty()) {
                throw new QueryDefinitionException("'" + path + "' is not an attribute path: a path is attribute names"
                        + " separated by single dots, like \"name\" or \"books.title\"");
            }
        }
        Node node = base;
        for (int i = 0; i < parts.length - 1; i++) {
            Node next = null;
            for (Node c : node.children) {
                if (c.assoc().as().equals(parts[i])) {
                    next = c;
                }
            }
            if (next == null) {
                List<String> names = node.children.stream().map(c -> c.assoc().as()).toList();
                throw new QueryDefinitionException("'" + path + "': " + node.model.name() + " has no include '"
                        + parts[i] + "' in this query; included aliases: " + (names.isEmpty() ? "(none)" : names));
            }
            if (next.separate) {
                throw new QueryDefinitionException("'" + path + "' refers to include '" + parts[i]
                        + "' loaded with the SEPARATE strategy; a separate include cannot be filtered or ordered on"
                        + " from its parent query");
            }
            if (next.aggregate) {
                throw new QueryDefinitionException("'" + path + "' refers to include '" + parts[i] + "' of "
                        + node.model.name() + ", read from a JSON array (the AGGREGATE strategy); its columns cannot"
                        + " be filtered or ordered on from outside it: use include(assoc, i -> i.where(...).orderBy(...)),"
                        + " or the JOIN strategy");
            }
            node = next;
        }
        return new Col(node.alias, node.model.requireAttribute(parts[parts.length - 1]));
    }

    /** @return the node whose alias (or junction alias) is {@code alias} */
    static Node owner(Node root, @Nullable String alias) {
        Node found = find(root, alias);
        if (found == null) {
            throw new IllegalArgumentException("no node aliased " + alias);
        }
        return found;
    }

    private static @Nullable Node find(Node node, @Nullable String alias) {
        if (node.alias.equals(alias) || Objects.equals(alias, node.junctionAlias)) {
            return node;
        }
        for (Node c : node.children) {
            Node found = find(c, alias);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
