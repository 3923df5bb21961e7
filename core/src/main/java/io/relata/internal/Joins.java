package io.relata.internal;

import io.relata.Association;
import io.relata.DataType;
import io.relata.Model;
import io.relata.QueryDefinitionException;
import io.relata.internal.IncludeTree.Node;
import io.relata.internal.sql.Condition;
import io.relata.internal.sql.Expr;
import io.relata.internal.sql.FromItem;
import io.relata.internal.sql.FromItem.JoinType;
import io.relata.internal.sql.OrderTerm;
import io.relata.internal.sql.Statement.Select;
import io.relata.internal.sql.Statement.SelectItem;
import io.relata.query.Include;
import io.relata.query.Order;
import io.relata.query.Where;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * The joined part of a SELECT: how included nodes are joined (their kind's shape, with their scope and
 * filter in the ON clause), the select list of a node and its joined subtree, and the order that keeps
 * each parent's rows together.
 */
final class Joins {
    private Joins() {
    }

    /**
     * Joins a node (and its joined subtree) onto what is read so far. A required node is an INNER JOIN;
     * an optional one is a LEFT OUTER JOIN, and its required children are joined inside it
     * ({@code LEFT OUTER JOIN (parent INNER JOIN child ON ...) ON ...}) so that they cannot drop its
     * parent's rows.
     */
    static FromItem join(FromItem left, Node n) {
        return join(left, n, false);
    }

    /** @param count for a count: aggregate nodes only filter (required ones), they build no JSON */
    private static FromItem join(FromItem left, Node n, boolean count) {
        if (n.aggregate) {
            return count ? aggregateFilter(left, n) : aggregate(left, n);
        }
        List<Node> same = sameStatement(n);
        List<Node> nested = new ArrayList<>();
        if (!n.required) {
            for (Node c : same) {
                if (c.required) {
                    nested.add(c);
                }
            }
        }
        FromItem right = joinItem(n);
        for (Node c : nested) {
            right = join(right, c, count);
        }
        FromItem joined = new FromItem.Join(n.required ? JoinType.INNER : JoinType.LEFT, left, right, on(n));
        for (Node c : same) {
            if (!nested.contains(c)) {
                joined = join(joined, c, count);
            }
        }
        return joined;
    }

    /**
     * @return the children of a node read from the statement it is read from: aggregate ones first (their lateral is
     *     computed once per row of the node, before joined collections repeat that row), then joined ones
     */
    private static List<Node> sameStatement(Node n) {
        List<Node> aggregated = n.aggregated();
        if (aggregated.isEmpty()) {
            return n.joined();
        }
        List<Node> all = new ArrayList<>(aggregated);
        all.addAll(n.joined());
        return all;
    }

    /** @return the node's joined and aggregate children joined onto {@code from} */
    static FromItem joinChildren(FromItem from, Node node) {
        FromItem f = from;
        for (Node c : sameStatement(node)) {
            f = join(f, c, false);
        }
        return f;
    }

    /**
     * The joins of a count: as {@link #joinChildren}, but an aggregate node builds no JSON: an optional one is left
     * out (it cannot change which roots match or how many there are), a required one is {@code INNER JOIN LATERAL
     * (SELECT 1 AS "v" FROM ... WHERE <link> LIMIT 1) AS "aN" ON TRUE}.
     */
    static FromItem countJoins(FromItem from, Node node) {
        FromItem f = from;
        for (Node c : sameStatement(node)) {
            f = join(f, c, true);
        }
        return f;
    }

    private static FromItem aggregateFilter(FromItem left, Node n) {
        if (!n.required) {
            return left;
        }
        FromItem from = joinItem(n);
        for (Node c : n.aggregated()) {
            from = aggregateFilter(from, c);
        }
        Select one = Select.of(List.of(new SelectItem(new Expr.Literal(1), JSON_VALUE)), from, n.limited() ? null : on(n))
                .window(new Expr.Literal(1), null);
        return new FromItem.Join(JoinType.INNER, left, new FromItem.Derived(one, jsonAlias(n), true),
                new Condition.Bool(true));
    }

    /** PostgreSQL's limit on a function's arguments ({@code FUNC_MAX_ARGS}), so on one json_build_array's values. */
    private static final int MAX_ARRAY_VALUES = 100;

    /**
     * An AGGREGATE node joined onto its parent: {@code LEFT JOIN LATERAL (SELECT json_agg(json_build_array(<its
     * attributes>, <its junction's>, <its aggregate children's arrays>) ORDER BY <its include's order>, <key>) AS "v"
     * FROM <its table, junction or per-parent window> [its aggregate children, the same way] WHERE <link to the
     * parent, scope, filter>) AS "aN" ON TRUE}; a required node is {@code INNER JOIN LATERAL ... ON "aN"."v" IS NOT
     * NULL}, so a parent without a matching child is dropped, as with JOIN. The array is null when there is none.
     */
    private static FromItem aggregate(FromItem left, Node n) {
        FromItem from = joinItem(n);
        for (Node c : n.aggregated()) {
            from = aggregate(from, c);
        }
        List<Expr> values = new ArrayList<>(n.selected.size() + n.throughSelected.size() + n.children.size());
        for (var a : n.selected) {
            values.add(jsonValue(n, n.alias, a));
        }
        for (var a : n.throughSelected) {
            values.add(jsonValue(n, Objects.requireNonNull(n.junctionAlias), a));
        }
        for (Node c : n.aggregated()) {
            values.add(json(c));
        }
        List<OrderTerm> order = new ArrayList<>();
        orderTerms(n.inc().orderBy(), n, order);
        List<OrderTerm> keys = new ArrayList<>();
        keyTerms(n, keys);
        for (OrderTerm k : keys) {
            if (order.stream().noneMatch(o -> o.expr().equals(k.expr()))) {
                order.add(k);
            }
        }
        Expr agg = new Expr.OrderedCall(Expr.Call.of(Expr.Function.JSON_AGG, jsonArray(values)), order);
        Select select = Select.of(List.of(new SelectItem(agg, JSON_VALUE)), from, n.limited() ? null : on(n));
        FromItem lateral = new FromItem.Derived(select, jsonAlias(n), true);
        Condition on = n.required ? new Condition.IsNull(json(n), true) : new Condition.Bool(true);
        return new FromItem.Join(n.required ? JoinType.INNER : JoinType.LEFT, left, lateral, on);
    }

    /**
     * @return {@code json_build_array(values)}; over {@value #MAX_ARRAY_VALUES} values, an array of arrays of at most
     *     that many each ({@link AggregateReader#CHUNK})
     */
    private static Expr jsonArray(List<Expr> values) {
        if (values.size() <= MAX_ARRAY_VALUES) {
            return new Expr.Call(Expr.Function.JSON_BUILD_ARRAY, values, false);
        }
        List<Expr> chunks = new ArrayList<>();
        for (int i = 0; i < values.size(); i += AggregateReader.CHUNK) {
            chunks.add(new Expr.Call(Expr.Function.JSON_BUILD_ARRAY,
                    values.subList(i, Math.min(values.size(), i + AggregateReader.CHUNK)), false));
        }
        return jsonArray(chunks);
    }

    /**
     * A value of an aggregate node's element, written so that JSON carries it exactly whatever the session's
     * settings: JSONB as its text (a JSON string, so that a JSON {@code null} stays apart from SQL NULL), BYTEA as
     * hex ({@code encode(..., 'hex')}, not {@code bytea_output}'s form), DOUBLE PRECISION and REAL as the hex of
     * their IEEE 754 bits (not {@code extra_float_digits}' rounding); others as themselves.
     */
    private static Expr jsonValue(Node n, String alias, io.relata.Attribute a) {
        Expr c = Exprs.col(alias, a);
        return switch (AggregateReader.form(n.assoc(), a)) {
            case TEXT -> new Expr.Cast(c, DataType.text(), false);
            case HEX -> hex(c);
            case BITS -> hex(Expr.Call.of(a.type().kind() == DataType.Kind.DOUBLE ? Expr.Function.FLOAT8SEND
                    : Expr.Function.FLOAT4SEND, c));
            case PLAIN -> c;
        };
    }

    private static Expr hex(Expr bytes) {
        return Expr.Call.of(Expr.Function.ENCODE, bytes, new Expr.Literal("hex"));
    }

    /** The column of an aggregate node's lateral holding its JSON array. */
    private static final String JSON_VALUE = "v";

    /** @return the alias of an aggregate node's lateral: {@code "aN"} for its table alias {@code "tN"} */
    private static String jsonAlias(Node n) {
        return "a" + n.alias.substring(1);
    }

    /** @return {@code "aN"."v"}, an aggregate node's JSON array */
    static Expr json(Node n) {
        return new Expr.Column(jsonAlias(n), JSON_VALUE);
    }

    /**
     * @return what a node is read from: its table, or for belongsToMany the junction joined to it; a node with
     *     a per-parent window is a lateral over its parent's key ({@link #windowed})
     */
    static FromItem joinItem(Node n) {
        if (n.limited()) {
            Node p = Objects.requireNonNull(n.parent);
            return windowed(n, Exprs.col(p.alias, n.assoc().sourceKey()));
        }
        return n.rules().joinItem(n.assoc(), n.alias, n.junctionAlias, targetConditions(n));
    }

    /** @return the ON condition linking a node to its parent ({@code TRUE} for a lateral: the link is inside) */
    static Condition on(Node n) {
        if (n.limited()) {
            return new Condition.Bool(true);
        }
        Node p = Objects.requireNonNull(n.parent);
        return n.rules().joinOn(n.assoc(), n.alias, n.junctionAlias, p.alias, targetConditions(n), junctionConditions(n));
    }

    /**
     * The top-N children of one parent: a lateral over the node's target (its kind's shape, {@link
     * KindRules#windowedItem}) with its scope, filter and required children ({@code EXISTS}, so that the window
     * counts only children that have them, as Sequelize's separate query does), ordered by the include's order
     * and the key, windowed by the include's limit and offset.
     *
     * @param n a node with a window
     * @param parentKey the parent key its children link to
     * @return the FROM item
     */
    static FromItem windowed(Node n, Expr parentKey) {
        Include<?, ?> inc = n.inc();
        List<Condition> target = new ArrayList<>(n.live());
        Conditions.scope(n.alias, n.model, n.assoc().scope(), target);
        Where where = inc.where();
        if (where != null) {
            target.add(Conditions.of(where, path -> {
                Conditions.Col c = IncludeTree.resolve(n, path);
                if (!n.alias.equals(c.alias())) {
                    throw new QueryDefinitionException("include '" + n.assoc().as() + "' has a limit/offset, so its"
                            + " where must be on attributes of " + n.model.name() + " itself, not '" + path
                            + "'; filter the nested include with its own where");
                }
                return c;
            }));
        }
        for (Node c : sameStatement(n)) {
            if (c.required) {
                target.add(exists(c));
            }
        }
        List<OrderTerm> order = new ArrayList<>();
        orderTerms(inc.orderBy(), n, order);
        keyTerms(n, order);
        return n.rules().windowedItem(n.assoc(), n.alias, n.junctionAlias, parentKey, target, junctionConditions(n),
                order, window(inc.limit()), window(inc.offset()));
    }

    private static @Nullable Expr window(OptionalLong value) {
        return value.isPresent() ? Expr.Param.of(value.getAsLong(), Long.class) : null;
    }

    /**
     * {@code EXISTS (SELECT 1 FROM node [required joined children] WHERE on(node) [AND EXISTS (required aggregate
     * child)])}: the parent has a match.
     */
    static Condition exists(Node n) {
        FromItem from = joinItem(n);
        for (Node c : n.joined()) {
            if (c.required) {
                from = join(from, c);
            }
        }
        Condition where = on(n);
        List<Condition> required = new ArrayList<>();
        for (Node c : n.aggregated()) {
            if (c.required) {
                required.add(exists(c));
            }
        }
        if (!required.isEmpty()) {
            required.add(0, where);
            where = Condition.And.all(required);
        }
        return Condition.Exists.of(Select.of(List.of(SelectItem.of(new Expr.Literal(1))), from, where));
    }

    /** The target's soft-delete condition ({@link Node#live()}), its scope and the include's filter. */
    static List<Condition> targetConditions(Node n) {
        List<Condition> out = new ArrayList<>(n.live());
        Conditions.scope(n.alias, n.model, n.assoc().scope(), out);
        Where where = n.inc().where();
        if (where != null) {
            out.add(Conditions.of(where, path -> IncludeTree.resolve(n, path)));
        }
        return out;
    }

    /**
     * The junction's soft-delete condition ({@link Node#junctionLive()}), its scope and the include's junction
     * filter (belongsToMany), else none.
     */
    static List<Condition> junctionConditions(Node n) {
        List<Condition> out = new ArrayList<>(n.junctionLive());
        Association<?, ?> a = n.assoc();
        Model<?> junction = a.through();
        if (junction != null) {
            String j = Objects.requireNonNull(n.junctionAlias);
            Conditions.scope(j, junction, a.throughScope(), out);
            Where tw = n.inc().throughWhere();
            if (tw != null) {
                out.add(Conditions.of(tw, path -> new Conditions.Col(j, junction.requireAttribute(path))));
            }
        }
        return out;
    }

    /** {@code "c<n>"} for the first columns, built once. */
    private static final String[] COLUMN_ALIASES = new String[64];

    static {
        for (int i = 0; i < COLUMN_ALIASES.length; i++) {
            COLUMN_ALIASES[i] = "c" + i;
        }
    }

    /** @param index a column's index in the select list @return its alias, {@code "c<index>"} */
    static String columnAlias(int index) {
        return index < COLUMN_ALIASES.length ? COLUMN_ALIASES[index] : "c" + index;
    }

    /** Appends the select list of a node and its joined subtree ({@code "c<n>"} in layout order). */
    static void columns(Node node, List<SelectItem> items) {
        for (var a : node.selected) {
            items.add(Exprs.item(node.alias, a, columnAlias(items.size())));
        }
        for (var a : node.throughSelected) {
            items.add(Exprs.item(Objects.requireNonNull(node.junctionAlias), a, columnAlias(items.size())));
        }
        for (Node c : node.joined()) {
            columns(c, items);
        }
        for (Node c : node.aggregated()) {
            // read as text: the driver hands a json column's text to a String
            items.add(new SelectItem(new Expr.Cast(json(c), DataType.text(), false), columnAlias(items.size())));
        }
    }

    /** Appends the primary key of a node. */
    static void keyTerms(Node node, List<OrderTerm> out) {
        for (var k : node.model.primaryKeys()) {
            out.add(new OrderTerm(Exprs.col(node.alias, k), false));
        }
    }

    /** Appends order terms resolved relative to a node. */
    static void orderTerms(List<Order> orders, Node base, List<OrderTerm> out) {
        for (Order o : orders) {
            orderTerm(IncludeTree.resolve(base, o.path()), o.descending(), out);
        }
    }

    static void orderTerm(Conditions.Col c, boolean descending, List<OrderTerm> out) {
        out.add(new OrderTerm(Exprs.col(c.alias(), c.attribute()), descending));
    }

    /** Appends, for each joined child in turn, its include's order and (for a collection) its key, recursively. */
    static void childOrders(Node node, List<OrderTerm> out) {
        for (Node c : node.joined()) {
            orderTerms(c.inc().orderBy(), c, out);
            if (c.toMany()) {
                keyTerms(c, out);
            }
            childOrders(c, out);
        }
    }

    /** @return the flat conjunction, or null */
    static @Nullable Condition where(List<Condition> parts) {
        return Conditions.and(parts);
    }
}
