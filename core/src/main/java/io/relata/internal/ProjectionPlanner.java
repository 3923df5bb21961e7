package io.relata.internal;

import io.relata.Attribute;
import io.relata.ModelDefinitionException;
import io.relata.QueryDefinitionException;
import io.relata.internal.Conditions.Col;
import io.relata.internal.IncludeTree.Node;
import io.relata.internal.sql.Condition;
import io.relata.internal.sql.Expr;
import io.relata.internal.sql.Expr.Param;
import io.relata.internal.sql.FromItem;
import io.relata.internal.sql.OrderTerm;
import io.relata.internal.sql.Renderer;
import io.relata.internal.sql.Statement.Select;
import io.relata.internal.sql.Statement.SelectItem;
import io.relata.query.Order;
import io.relata.query.Projection;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.sql.ProjectionPlan;
import io.relata.sql.RowSource;
import io.relata.sql.SqlStatement;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Plans projections: computed columns (attributes and aggregates of attribute paths through the query's
 * includes) over the query's joins, {@code WHERE}, {@code GROUP BY}, {@code HAVING}, order and window. The
 * includes contribute joins only, never columns.
 */
public final class ProjectionPlanner {
    private ProjectionPlanner() {
    }

    /**
     * @param query the query: where, order, window and includes (joined, for paths and filtering)
     * @param projection the computed columns
     * @param type a record whose components are named like the projection's aliases, or {@code Map.class}
     * @param <R> the result
     * @return the plan
     * @throws QueryDefinitionException for an unknown path, a SEPARATE include, a having or order on
     *     something that is not an alias or attribute path, or a record that does not match the aliases
     */
    public static <R> ProjectionPlan<R> plan(Query<?> query, Projection projection, Class<R> type) {
        Objects.requireNonNull(projection, "projection");
        Objects.requireNonNull(type, "type");
        SelectPlanner.rejectThroughOptions(query);
        Node root = IncludeTree.of(query, null);
        rejectSeparate(root);
        Map<String, Expr> byAlias = new LinkedHashMap<>();
        List<SelectItem> items = new ArrayList<>();
        boolean aggregates = false;
        boolean overToMany = false;
        List<Expr> rootPlain = new ArrayList<>();
        List<Expr> plain = new ArrayList<>();
        for (Projection.Item item : projection.items()) {
            Expr e;
            String path = item.path();
            Projection.Aggregate fn = item.aggregate();
            if (path == null) {
                e = Expr.Call.of(Expr.Function.COUNT, new Expr.Star());
            } else {
                Col c = resolve(root, path);
                Expr column = Exprs.col(c.alias(), c.attribute());
                if (fn == null) {
                    e = Exprs.read(c.alias(), c.attribute());
                    if (root.alias.equals(c.alias())) {
                        rootPlain.add(column);
                    } else {
                        plain.add(column);
                    }
                } else {
                    e = aggregate(fn, column);
                    overToMany |= IncludeTree.owner(root, c.alias()).underToMany();
                }
            }
            aggregates |= fn != null;
            byAlias.put(item.alias(), e);
            items.add(new SelectItem(e, item.alias()));
        }
        List<Expr> groupBy = new ArrayList<>();
        List<String> explicit = projection.groupBy();
        if (explicit != null) {
            for (String path : explicit) {
                Col c = resolve(root, path);
                groupBy.add(Exprs.col(c.alias(), c.attribute()));
            }
        } else if (aggregates) {
            if (overToMany) {
                // one row per root: its other columns depend on its key
                for (Attribute k : root.model.primaryKeys()) {
                    groupBy.add(Exprs.col(root.alias, k));
                }
            } else {
                groupBy.addAll(rootPlain);
            }
            groupBy.addAll(plain);
        }
        Where having = projection.having();
        Condition havingCondition = having == null ? null : condition(having, byAlias);
        List<OrderTerm> order = new ArrayList<>();
        for (Order o : projection.orderBy()) {
            Expr e = byAlias.containsKey(o.path()) ? new Expr.Column(null, o.path()) : column(root, o.path());
            order.add(new OrderTerm(e, o.descending()));
        }
        for (Order o : query.orderBy()) {
            order.add(new OrderTerm(column(root, o.path()), o.descending()));
        }
        FromItem from = Joins.joinChildren(new FromItem.Table(root.model.tableName(), root.alias), root);
        List<Condition> roots = SelectPlanner.rootConditions(query, root, path -> IncludeTree.resolve(root, path));
        Condition condition = roots.isEmpty() ? null : Conditions.and(roots);
        Select select = Select.of(items, from, condition).groupBy(groupBy, havingCondition).orderBy(order)
                .window(query.limit().isPresent() ? Param.of(query.limit().getAsLong(), Long.class) : null,
                        query.offset().isPresent() ? Param.of(query.offset().getAsLong(), Long.class) : null);
        List<String> columns = List.copyOf(byAlias.keySet());
        return new Plan<>(Renderer.render(select), columns, reader(type, columns, query.model().name()));
    }

    private static Col resolve(Node root, String path) {
        return IncludeTree.resolve(root, path);
    }

    private static Expr column(Node root, String path) {
        Col c = resolve(root, path);
        return Exprs.col(c.alias(), c.attribute());
    }

    private static Expr aggregate(Projection.Aggregate fn, Expr column) {
        return switch (fn) {
            case COUNT -> Expr.Call.of(Expr.Function.COUNT, column);
            case COUNT_DISTINCT -> new Expr.Call(Expr.Function.COUNT, List.of(column), true);
            case SUM -> Expr.Call.of(Expr.Function.SUM, column);
            case AVG -> Expr.Call.of(Expr.Function.AVG, column);
            case MIN -> Expr.Call.of(Expr.Function.MIN, column);
            case MAX -> Expr.Call.of(Expr.Function.MAX, column);
        };
    }

    private static void rejectSeparate(Node node) {
        for (Node c : node.children) {
            if (c.separate || c.aggregate) {
                throw new QueryDefinitionException("include '" + c.assoc().as() + "' of " + c.assoc().source().name()
                        + " uses the " + (c.separate ? "SEPARATE" : "AGGREGATE") + " strategy; a projection reads"
                        + " one statement's columns, so its includes must be joined (the default strategy)");
            }
            rejectSeparate(c);
        }
    }

    /** A having over item aliases: the aliased expressions compared with binds. */
    private static Condition condition(Where where, Map<String, Expr> byAlias) {
        if (where instanceof Where.Compare c) {
            return new Condition.Compare(aliased(c.path(), byAlias), op(c.op()), bind(c.value()));
        }
        if (where instanceof Where.Between b) {
            return new Condition.Between(aliased(b.path(), byAlias), bind(b.low()), bind(b.high()));
        }
        if (where instanceof Where.IsNull n) {
            return new Condition.IsNull(aliased(n.path(), byAlias), n.negated());
        }
        if (where instanceof Where.And and) {
            return new Condition.And(and.conditions().stream().map(w -> condition(w, byAlias)).toList(), true);
        }
        if (where instanceof Where.Or or) {
            return new Condition.Or(or.conditions().stream().map(w -> condition(w, byAlias)).toList());
        }
        if (where instanceof Where.Not not) {
            return new Condition.Not(condition(not.condition(), byAlias));
        }
        throw new QueryDefinitionException("a having takes comparisons, between, is null, and, or and not on"
                + " projection aliases; not " + where);
    }

    private static Expr aliased(String alias, Map<String, Expr> byAlias) {
        Expr e = byAlias.get(alias);
        if (e == null) {
            throw new QueryDefinitionException("having on '" + alias + "', which is not an item of the projection;"
                    + " its aliases: " + byAlias.keySet());
        }
        return e;
    }

    private static Param bind(Object value) {
        return Param.of(value, value.getClass());
    }

    private static Condition.Op op(Where.Op op) {
        return switch (op) {
            case EQ -> Condition.Op.EQ;
            case NE -> Condition.Op.NE;
            case GT -> Condition.Op.GT;
            case GTE -> Condition.Op.GTE;
            case LT -> Condition.Op.LT;
            case LTE -> Condition.Op.LTE;
            case LIKE -> Condition.Op.LIKE;
            case ILIKE -> Condition.Op.ILIKE;
        };
    }

    // ---- reading ----

    /** Reads one row into the result type. */
    private interface Reader<R> {
        R read(RowSource row);
    }

    @SuppressWarnings("unchecked")
    private static <R> Reader<R> reader(Class<R> type, List<String> columns, String model) {
        if (type == Map.class) {
            return row -> {
                Map<String, @Nullable Object> map = new LinkedHashMap<>();
                for (int i = 0; i < columns.size(); i++) {
                    map.put(columns.get(i), row.get(i, Object.class));
                }
                return (R) map;
            };
        }
        if (!type.isRecord()) {
            throw new QueryDefinitionException("a projection of " + model + " is read into a record or Map.class, not "
                    + type.getName());
        }
        RecordComponent[] components = type.getRecordComponents();
        Set<String> names = new LinkedHashSet<>();
        for (RecordComponent c : components) {
            names.add(c.getName());
        }
        if (!names.equals(new LinkedHashSet<>(columns))) {
            throw new QueryDefinitionException("record " + type.getSimpleName() + " has components " + names
                    + " but the projection of " + model + " has the aliases " + columns
                    + "; name each component like one alias (as(...)), one component per alias");
        }
        int[] index = new int[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            index[i] = columns.indexOf(components[i].getName());
            types[i] = components[i].getType();
        }
        Constructor<R> constructor;
        try {
            constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
        } catch (NoSuchMethodException | SecurityException e) {
            throw new QueryDefinitionException("record " + type.getName() + " has no accessible canonical constructor: "
                    + e);
        }
        return row -> {
            @Nullable Object[] args = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                Class<?> t = types[i];
                Object v = row.get(index[i], boxed(t));
                if (v == null && t.isPrimitive()) {
                    throw new QueryDefinitionException("projection column '" + columns.get(index[i]) + "' is NULL but "
                            + type.getSimpleName() + "." + components[i].getName() + " is a " + t.getName());
                }
                args[i] = v;
            }
            try {
                return constructor.newInstance(args);
            } catch (InstantiationException | IllegalAccessException e) {
                throw new IllegalStateException("cannot construct " + type.getName(), e);
            } catch (InvocationTargetException e) {
                throw new ModelDefinitionException("the constructor of " + type.getName() + " failed: "
                        + e.getCause());
            }
        };
    }

    private static Class<?> boxed(Class<?> t) {
        if (!t.isPrimitive()) {
            return t;
        }
        return switch (t.getName()) {
            case "int" -> Integer.class;
            case "long" -> Long.class;
            case "double" -> Double.class;
            case "float" -> Float.class;
            case "short" -> Short.class;
            case "byte" -> Byte.class;
            case "boolean" -> Boolean.class;
            case "char" -> Character.class;
            default -> throw new IllegalArgumentException(t.getName());
        };
    }

    /** The plan. */
    private record Plan<R>(SqlStatement statement, List<String> columns, Reader<R> reader) implements ProjectionPlan<R> {
        @Override
        public R read(RowSource row) {
            return reader.read(row);
        }

        @Override
        public String toString() {
            return "ProjectionPlan[" + statement.sql() + "]";
        }
    }

}
