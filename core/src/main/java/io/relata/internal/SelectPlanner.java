package io.relata.internal;

import io.relata.Association;
import io.relata.Attribute;
import io.relata.Model;
import io.relata.QueryDefinitionException;
import io.relata.internal.Conditions.Col;
import io.relata.internal.IncludeTree.Node;
import io.relata.internal.sql.Condition;
import io.relata.internal.sql.Dialect;
import io.relata.internal.sql.Expr;
import io.relata.internal.sql.Expr.Param;
import io.relata.internal.sql.FromItem;
import io.relata.internal.sql.OrderTerm;
import io.relata.internal.sql.Renderer;
import io.relata.internal.sql.Statement.Select;
import io.relata.internal.sql.Statement.SelectItem;
import io.relata.query.Order;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.sql.LoadPlan;
import io.relata.sql.SelectPlan;
import io.relata.sql.SqlStatement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Plans SELECTs with include trees: one joined statement (positional aliases {@code t0, t1, ...},
 * columns {@code c0, c1, ...}) ordered so that each root's rows are consecutive, plus the follow-up
 * statements of SEPARATE includes. Root windows ({@code LIMIT}/{@code OFFSET}) apply to roots; the
 * window of a lazy load applies per source.
 */
public final class SelectPlanner {
    /** The slot of the key array of lazy loads and follow-ups. */
    static final String KEYS = "keys";

    private SelectPlanner() {
    }

    /**
     * @param query a query
     * @param <T> the root entity
     * @return its plan
     * @throws QueryDefinitionException when a path, order or window cannot be expressed
     */
    public static <T> SelectPlan<T> plan(Query<T> query) {
        rejectThroughOptions(query);
        Node root = IncludeTree.of(query, null);
        Readers readers = new Readers();
        NodeReader<T> reader = readers.build(root);
        Select select = select(query, root);
        return new JoinedPlan<>(select, Renderer.render(select), reader, FollowUpPlanner.of(root, readers));
    }

    /** Through options belong to a lazy load or count of a belongsToMany, which knows the junction. */
    static void rejectThroughOptions(Query<?> query) {
        if (query.hasThroughOptions()) {
            throw new QueryDefinitionException("throughAttributes/throughWhere/throughParanoid of a query over " + query.model().name()
                    + " apply only to a lazy load or count of a belongsToMany (db.association(...).get/count(source,"
                    + " q -> ...)); to filter a belongsToMany include, use include(assoc, i -> i.throughWhere(...))");
        }
    }

    /**
     * Plans a lazy load of an association for a set of sources: the target query, restricted to the
     * targets linked to the source keys of an array bind ({@code = ANY($n)}), with the link value as
     * column 0 so one statement serves a batch of sources.
     *
     * @param association the association
     * @param query a query over the target (where, order, window, attributes, includes)
     * @param <T> the target entity
     * @return the plan; the bind at its {@code keyIndex} is a placeholder for the key array
     */
    public static <T> LoadPlan<T> load(Association<?, T> association, Query<T> query) {
        if (query.model() != association.target()) {
            throw new QueryDefinitionException("the query for " + association.source().name() + "." + association.as()
                    + " must be over " + association.target().name() + ", not " + query.model().name());
        }
        if (query.hasThroughOptions() && association.kind() != Association.Kind.BELONGS_TO_MANY) {
            throw new QueryDefinitionException("throughAttributes/throughWhere apply to belongsToMany; "
                    + association.source().name() + "." + association.as() + " is " + association.kind());
        }
        Node root = IncludeTree.of(query, association);
        Readers readers = new Readers();
        NodeReader<T> reader = readers.build(root);
        Renderer.Rendered rendered = Renderer.renderWithSlots(loadSelect(query, association, root), Dialect.POSTGRESQL);
        List<Attribute> links = attributes(KindRules.of(association).loadLink(association));
        return new BatchLoadPlan<>(rendered.statement(), keySlots(rendered, links.size()), reader,
                FollowUpPlanner.of(root, readers), links);
    }

    /**
     * @param query a query (its window and order are ignored)
     * @return {@code SELECT count(...)} counting distinct roots
     */
    public static SqlStatement count(Query<?> query) {
        rejectThroughOptions(query);
        Node root = IncludeTree.of(query, null);
        boolean joins = !root.joined().isEmpty();
        Expr counted;
        if (joins) {
            List<Attribute> pks = root.model.primaryKeys();
            List<Expr> keys = pks.stream().map(k -> (Expr) Exprs.col(root.alias, k)).toList();
            counted = new Expr.Call(Expr.Function.COUNT, List.of(keys.size() == 1 ? keys.get(0) : new Expr.Row(keys)), true);
        } else {
            counted = Expr.Call.of(Expr.Function.COUNT, new Expr.Star());
        }
        FromItem from = Joins.countJoins(new FromItem.Table(root.model.tableName(), root.alias), root);
        Condition condition = Conditions.and(rootConditions(query, root, path -> IncludeTree.resolve(root, path)));
        return Renderer.render(Select.of(List.of(SelectItem.of(counted)), from, condition));
    }

    /**
     * The root's own conditions, for every read of a query's root table: its soft-delete condition
     * ({@link IncludeTree.Node#live()}) and the query's where.
     *
     * @param query the query
     * @param root its tree's root
     * @param paths how the where's paths resolve here
     * @return the conditions, to AND
     */
    static List<Condition> rootConditions(Query<?> query, Node root, Function<String, Col> paths) {
        List<Condition> out = new ArrayList<>(root.live());
        Where where = query.where();
        if (where != null) {
            out.add(Conditions.of(where, paths));
        }
        return out;
    }

    /**
     * @param a an association
     * @return the source attribute whose values key a lazy load: the source key, or for belongsTo the
     *     source's primary key (the stored foreign key is joined)
     * @throws UnsupportedOperationException for a composite key (use {@link #loadKeys})
     */
    public static Attribute loadKey(Association<?, ?> a) {
        List<Attribute> keys = loadKeys(a);
        if (keys.size() != 1) {
            throw new UnsupportedOperationException(a.source().name() + "." + a.as() + " is keyed by "
                    + keys.stream().map(Attribute::name).toList() + "; use loadKeys");
        }
        return keys.get(0);
    }

    /**
     * @param a an association
     * @return the source attributes whose values key a lazy load, one per key part: the source key, or for
     *     belongsTo the source's primary key (the stored foreign key is joined)
     */
    public static List<Attribute> loadKeys(Association<?, ?> a) {
        return a.kind() == Association.Kind.BELONGS_TO ? a.source().primaryKeys() : a.sourceKeys();
    }

    /** @return the bind indexes of the key arrays of a statement, one per key part ({@link Exprs#slot}) */
    static int[] keySlots(Renderer.Rendered rendered, int parts) {
        int[] slots = new int[parts];
        for (int i = 0; i < parts; i++) {
            slots[i] = rendered.slot(Exprs.slot(KEYS, i));
        }
        return slots;
    }

    static List<Attribute> attributes(List<Col> cols) {
        return cols.stream().map(Col::attribute).toList();
    }

    // ---- the root query ----

    /** Order terms of the query split by whether their column is of the root (or a to-one below it). */
    private record Orders(List<Order> root, List<Order> children) {
        static Orders of(Query<?> query, Node root) {
            List<Order> rootOrder = new ArrayList<>();
            List<Order> childOrder = new ArrayList<>();
            for (Order o : query.orderBy()) {
                Col c = IncludeTree.resolve(root, o.path());
                if (IncludeTree.owner(root, c.alias()).underToMany()) {
                    childOrder.add(o);
                } else {
                    rootOrder.add(o);
                }
            }
            return new Orders(rootOrder, childOrder);
        }
    }

    private static Select select(Query<?> query, Node root) {
        List<SelectItem> items = new ArrayList<>();
        Joins.columns(root, items);
        boolean grouped = root.hasToManyJoin();
        boolean windowed = query.limit().isPresent() || query.offset().isPresent();
        boolean subquery = windowed && grouped;
        Orders orders = Orders.of(query, root);
        FromItem from = subquery ? new FromItem.Derived(rootWindow(query, root, orders), root.alias, false)
                : new FromItem.Table(root.model.tableName(), root.alias);
        from = Joins.joinChildren(from, root);
        Condition condition = subquery ? null
                : Conditions.and(rootConditions(query, root, path -> IncludeTree.resolve(root, path)));
        List<OrderTerm> order = new ArrayList<>();
        if (!orders.root().isEmpty() || grouped) {
            Joins.orderTerms(orders.root(), root, order);
            if (grouped) {
                Joins.keyTerms(root, order);
                Joins.orderTerms(orders.children(), root, order);
                Joins.childOrders(root, order);
            }
        }
        Select select = Select.of(items, from, condition).orderBy(order);
        return subquery ? select : select.window(limit(query), offset(query));
    }

    /**
     * The roots of a window with to-many includes, chosen first: {@code (SELECT * FROM root WHERE ...
     * [AND EXISTS (required include)] ORDER BY ... LIMIT ... OFFSET ...)}, so that the window counts roots,
     * not joined rows.
     */
    private static Select rootWindow(Query<?> query, Node root, Orders orders) {
        Function<String, Col> rootOnly = path -> {
            Col c = IncludeTree.resolve(root, path);
            if (!root.alias.equals(c.alias())) {
                throw new QueryDefinitionException("a where or order on the included column '" + path
                        + "' together with limit/offset and a to-many include is not supported; filter the"
                        + " include with include(assoc, i -> i.where(...)) (roots without a match are dropped"
                        + " before the window), or drop the window");
            }
            return c;
        };
        List<Condition> conditions = rootConditions(query, root, rootOnly);
        for (Node c : root.children) {
            if (c.required && !c.separate) {
                conditions.add(Joins.exists(c));
            }
        }
        List<OrderTerm> order = new ArrayList<>();
        for (Order o : orders.root()) {
            Joins.orderTerm(rootOnly.apply(o.path()), o.descending(), order);
        }
        Joins.keyTerms(root, order);
        return Select.of(List.of(SelectItem.of(new Expr.Star())), new FromItem.Table(root.model.tableName(), root.alias),
                Conditions.and(conditions)).orderBy(order).window(limit(query), offset(query));
    }

    private static @Nullable Expr limit(Query<?> query) {
        return query.limit().isPresent() ? Param.of(query.limit().getAsLong(), Long.class) : null;
    }

    private static @Nullable Expr offset(Query<?> query) {
        return query.offset().isPresent() ? Param.of(query.offset().getAsLong(), Long.class) : null;
    }

    // ---- lazy loads ----

    private static Select loadSelect(Query<?> query, Association<?, ?> link, Node root) {
        KindRules rules = KindRules.of(link);
        List<Col> lc = rules.loadLink(link);
        List<SelectItem> items = new ArrayList<>();
        for (Col c : lc) {
            items.add(Exprs.item(c.alias(), c.attribute(), Joins.columnAlias(items.size())));
        }
        Joins.columns(root, items);
        int columns = items.size();
        boolean windowed = query.limit().isPresent() || query.offset().isPresent();
        Orders orders = Orders.of(query, root);
        FromItem from = rules.loadFrom(link, new FromItem.Table(root.model.tableName(), root.alias));
        from = Joins.joinChildren(from, root);
        List<Condition> where = new ArrayList<>();
        where.add(Exprs.keyIn(lc, List.of(), KEYS, false));
        Model<?> through = link.through();
        if (through != null) {
            where.addAll(root.junctionLive());
            Conditions.scope("j0", through, link.throughScope(), where);
            Where tw = query.throughWhere();
            if (tw != null) {
                where.add(Conditions.of(tw, path -> new Col("j0", through.requireAttribute(path))));
            }
        }
        Conditions.scope(root.alias, root.model, link.scope(), where);
        where.addAll(rootConditions(query, root, path -> IncludeTree.resolve(root, path)));
        List<Expr> linkColumns = lc.stream().map(c -> (Expr) Exprs.col(c.alias(), c.attribute())).toList();
        if (windowed) {
            return perSourceWindow(query, root, orders, items, columns, from, Conditions.and(where), linkColumns);
        }
        List<OrderTerm> order = new ArrayList<>();
        for (Expr c : linkColumns) {
            order.add(new OrderTerm(c, false));
        }
        Joins.orderTerms(orders.root(), root, order);
        Joins.keyTerms(root, order);
        Joins.orderTerms(orders.children(), root, order);
        Joins.childOrders(root, order);
        return Select.of(items, from, Conditions.and(where)).orderBy(order);
    }

    /**
     * The window of a lazy load, per source: {@code SELECT "w"."c0", ... FROM (<load with its rank "r"
     * among its source's targets>) AS "w" WHERE "w"."r" > $offset AND "w"."r" <= $offset+limit ORDER BY
     * "w"."c0", "w"."r", <child order>}. The rank is {@code dense_rank()}, so the rows of one target (its
     * to-many includes) share it and the window counts targets, not rows.
     */
    private static Select perSourceWindow(Query<?> query, Node root, Orders orders, List<SelectItem> items, int columns,
            FromItem from, @Nullable Condition where, List<Expr> linkColumns) {
        List<OrderTerm> rank = new ArrayList<>();
        Joins.orderTerms(orders.root(), root, rank);
        Joins.keyTerms(root, rank);
        List<SelectItem> inner = new ArrayList<>(items);
        inner.add(new SelectItem(new Expr.Over(Expr.Call.of(Expr.Function.DENSE_RANK), linkColumns, rank), "r"));
        List<OrderTerm> hidden = new ArrayList<>();
        Joins.orderTerms(orders.children(), root, hidden);
        Joins.childOrders(root, hidden);
        for (int i = 0; i < hidden.size(); i++) {
            inner.add(new SelectItem(hidden.get(i).expr(), "o" + i));
        }
        List<SelectItem> outer = new ArrayList<>();
        for (int i = 0; i < columns; i++) {
            outer.add(SelectItem.of(new Expr.Column("w", Joins.columnAlias(i))));
        }
        long offset = query.offset().orElse(0);
        List<Condition> window = new ArrayList<>();
        Expr r = new Expr.Column("w", "r");
        if (query.offset().isPresent()) {
            window.add(new Condition.Compare(r, Condition.Op.GT, Param.of(offset, Long.class)));
        }
        if (query.limit().isPresent()) {
            long limit = query.limit().getAsLong();
            long last = limit > Long.MAX_VALUE - offset ? Long.MAX_VALUE : offset + limit;
            window.add(new Condition.Compare(r, Condition.Op.LTE, Param.of(last, Long.class)));
        }
        List<OrderTerm> order = new ArrayList<>();
        for (int i = 0; i < linkColumns.size(); i++) {
            order.add(new OrderTerm(new Expr.Column("w", Joins.columnAlias(i)), false));
        }
        order.add(new OrderTerm(r, false));
        for (int i = 0; i < hidden.size(); i++) {
            order.add(new OrderTerm(new Expr.Column("w", "o" + i), hidden.get(i).descending()));
        }
        Select ranked = Select.of(inner, from, where);
        return Select.of(outer, new FromItem.Derived(ranked, "w", false), Conditions.and(window)).orderBy(order);
    }

    // ---- SEPARATE ----

    /** The follow-up statements of SEPARATE includes. */
    static final class FollowUpPlanner {
        private FollowUpPlanner() {
        }

        /** @return the follow-up loads of the separate nodes below {@code node} (not below a separate one) */
        static List<FollowUpLoad> of(Node node, Readers readers) {
            List<FollowUpLoad> loads = new ArrayList<>();
            collect(node, readers, loads);
            return loads;
        }

        private static void collect(Node node, Readers readers, List<FollowUpLoad> loads) {
            for (Node c : node.children) {
                if (c.separate) {
                    loads.add(load(c, readers));
                } else {
                    collect(c, readers, loads);
                }
            }
        }

        /**
         * A follow-up query: the separate node (and its joined subtree) for the parents whose keys are bound
         * in its key slot. The first column is the parent's key the row belongs to.
         */
        private static FollowUpLoad load(Node n, Readers readers) {
            Association<?, ?> a = n.assoc();
            List<Col> links = n.rules().followUpLink(a, n.alias, n.junctionAlias);
            List<SelectItem> items = new ArrayList<>();
            List<Condition> where = new ArrayList<>();
            List<Expr> linkColumns = new ArrayList<>();
            FromItem from;
            if (n.limited()) {
                if (links.size() != 1) {
                    throw new UnsupportedOperationException("include '" + a.as() + "' of " + a.source().name()
                            + ": a per-parent limit/offset over a composite key is not supported yet");
                }
                Col link = links.get(0);
                // top-N per parent: unnest($1) AS "p"("k") INNER JOIN LATERAL (... = "p"."k" ... LIMIT) ON TRUE
                Expr linkColumn = new Expr.Column("p", "k");
                linkColumns.add(linkColumn);
                items.add(new SelectItem(linkColumn, "c0"));
                FromItem keys = new FromItem.Function(new Expr.Call(Expr.Function.UNNEST,
                        Exprs.arrays(List.of(link.attribute()), List.of(), KEYS), false), "p", List.of("k"));
                from = new FromItem.Join(FromItem.JoinType.INNER, keys, Joins.windowed(n, linkColumn),
                        new Condition.Bool(true));
            } else {
                for (Col link : links) {
                    linkColumns.add(Exprs.col(link.alias(), link.attribute()));
                    items.add(Exprs.item(link.alias(), link.attribute(), Joins.columnAlias(items.size())));
                }
                from = Joins.joinItem(n);
                where.add(Exprs.keyIn(links, List.of(), KEYS, false));
                if (a.through() != null) {
                    where.addAll(Joins.junctionConditions(n));
                } else {
                    where.addAll(Joins.targetConditions(n));
                }
            }
            Joins.columns(n, items);
            from = Joins.joinChildren(from, n);
            List<OrderTerm> order = new ArrayList<>();
            for (Expr c : linkColumns) {
                order.add(new OrderTerm(c, false));
            }
            Joins.orderTerms(n.inc().orderBy(), n, order);
            Joins.keyTerms(n, order);
            Joins.childOrders(n, order);
            Renderer.Rendered rendered = Renderer.renderWithSlots(Select.of(items, from, Conditions.and(where))
                    .orderBy(order), Dialect.POSTGRESQL);
            NodeReader<?> parent = readers.of(Objects.requireNonNull(n.parent));
            List<Attribute> sourceKeys = a.sourceKeys();
            List<Integer> parentSlots = sourceKeys.stream().map(parent::slotOf).toList();
            List<Integer> keySlots = Arrays.stream(keySlots(rendered, links.size())).boxed().toList();
            return new FollowUpLoad(rendered.statement(), keySlots, parent, parentSlots,
                    attributes(links), readers.of(n), of(n, readers));
        }
    }
}
