package io.relata.query;

import io.relata.QueryDefinitionException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Computed columns of a query (Sequelize's {@code attributes: [[fn('COUNT', col('comments.id')),
 * 'commentCount']]} with {@code group} and {@code having}): attributes and aggregates of attribute paths of
 * the root or of its includes ({@code "comments.id"}, {@code "table2.tables3.value"}), grouped, filtered
 * and ordered, read into a record of the caller's choosing or a {@code Map<String, Object>}
 * ({@code db.project(query, projection, type)}). Immutable; every method returns a new projection.
 *
 * <p>Without {@link #groupBy}, a projection with aggregates groups by the root's key when an aggregate
 * reads through a to-many include (one row per root), plus every plain item outside the root; else by its
 * plain items (none: one row for the whole query). Includes of the query only join (they add no columns);
 * their {@code where} and {@code required} filter as usual. Paths and names are checked when the query is
 * planned, before any SQL ({@link QueryDefinitionException} naming the model, path and valid choices).
 */
public final class Projection {

    /** The aggregate functions. */
    public enum Aggregate {
        /** {@code count(path)}: non-null values ({@code count(*)} for {@link #countAll()}) */
        COUNT,
        /** {@code count(DISTINCT path)} */
        COUNT_DISTINCT,
        /** {@code sum(path)} */
        SUM,
        /** {@code avg(path)} */
        AVG,
        /** {@code min(path)} */
        MIN,
        /** {@code max(path)} */
        MAX;

        /**
         * @param name a function name: {@code count}, {@code countDistinct} (or {@code count distinct}),
         *     {@code sum}, {@code avg}, {@code min}, {@code max}; any case
         * @return the aggregate
         * @throws QueryDefinitionException for any other name, listing the valid ones
         */
        public static Aggregate named(String name) {
            Objects.requireNonNull(name, "name");
            String key = name.trim().toLowerCase(Locale.ROOT).replace(" ", "").replace("_", "");
            for (Aggregate a : values()) {
                if (a.name().toLowerCase(Locale.ROOT).replace("_", "").equals(key)) {
                    return a;
                }
            }
            throw new QueryDefinitionException("'" + name + "' is not an aggregate function; valid: "
                    + Arrays.stream(values()).map(Aggregate::displayName).collect(Collectors.joining(", ")));
        }

        /** @return the name as {@link #named} accepts it */
        public String displayName() {
            return this == COUNT_DISTINCT ? "countDistinct" : name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One computed column.
     *
     * @param aggregate the function, or null for the attribute itself
     * @param path an attribute path ({@code "id"}, {@code "comments.id"}), or null for {@code count(*)}
     * @param alias the column's name in the result (a record component or map key)
     */
    public record Item(@Nullable Aggregate aggregate, @Nullable String path, String alias) {
        public Item {
            Objects.requireNonNull(alias, "alias");
            if (alias.isBlank() || alias.indexOf('\0') >= 0) {
                throw new QueryDefinitionException("a projection item needs a non-blank alias without NUL characters,"
                        + " not '" + alias.replace("\0", "\\0") + "'");
            }
            if (path == null && aggregate != Aggregate.COUNT) {
                throw new QueryDefinitionException("only count can go without a path (count(*))");
            }
        }

        /** @param name the column's name in the result @return this item under that name */
        public Item as(String name) {
            return new Item(aggregate, path, Objects.requireNonNull(name, "name"));
        }
    }

    private final List<Item> items;
    private final @Nullable List<String> groupBy;
    private final @Nullable Where having;
    private final List<Order> orderBy;

    private Projection(List<Item> items, @Nullable List<String> groupBy, @Nullable Where having, List<Order> orderBy) {
        this.items = List.copyOf(items);
        this.groupBy = groupBy == null ? null : List.copyOf(groupBy);
        this.having = having;
        this.orderBy = List.copyOf(orderBy);
    }

    /**
     * @param items the computed columns, at least one, with distinct aliases
     * @return a projection of them
     * @throws QueryDefinitionException when there is none or two share an alias
     */
    public static Projection of(Item... items) {
        Args.elements(items, "items");
        if (items.length == 0) {
            throw new QueryDefinitionException("a projection needs at least one item");
        }
        Set<String> seen = new HashSet<>();
        for (Item i : items) {
            if (!seen.add(i.alias())) {
                throw new QueryDefinitionException("two projection items are named '" + i.alias() + "'; give each"
                        + " its own alias with as(...)");
            }
        }
        return new Projection(List.of(items), null, null, List.of());
    }

    /** @param path an attribute path @return the attribute itself, named by its path */
    public static Item attribute(String path) {
        return new Item(null, Objects.requireNonNull(path, "path"), path);
    }

    /** @return {@code count(*)}, named {@code count} */
    public static Item countAll() {
        return new Item(Aggregate.COUNT, null, "count");
    }

    /** @param path an attribute path @return {@code count(path)}, named {@code count} */
    public static Item count(String path) {
        return aggregate(Aggregate.COUNT, path);
    }

    /** @param path an attribute path @return {@code count(DISTINCT path)}, named {@code countDistinct} */
    public static Item countDistinct(String path) {
        return aggregate(Aggregate.COUNT_DISTINCT, path);
    }

    /** @param path an attribute path @return {@code sum(path)}, named {@code sum} */
    public static Item sum(String path) {
        return aggregate(Aggregate.SUM, path);
    }

    /** @param path an attribute path @return {@code avg(path)}, named {@code avg} */
    public static Item avg(String path) {
        return aggregate(Aggregate.AVG, path);
    }

    /** @param path an attribute path @return {@code min(path)}, named {@code min} */
    public static Item min(String path) {
        return aggregate(Aggregate.MIN, path);
    }

    /** @param path an attribute path @return {@code max(path)}, named {@code max} */
    public static Item max(String path) {
        return aggregate(Aggregate.MAX, path);
    }

    /**
     * @param function a function name ({@link Aggregate#named})
     * @param path an attribute path
     * @return the aggregate of it, named by the function
     * @throws QueryDefinitionException for an unknown function name
     * @throws NullPointerException when an argument is null
     */
    public static Item aggregate(String function, String path) {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(path, "path");
        return aggregate(Aggregate.named(function), path);
    }

    /** @param aggregate the function @param path an attribute path @return the aggregate of it, named by the function */
    public static Item aggregate(Aggregate aggregate, String path) {
        return new Item(Objects.requireNonNull(aggregate, "aggregate"), Objects.requireNonNull(path, "path"),
                aggregate.displayName());
    }

    /** @return the computed columns, in result order */
    public List<Item> items() {
        return items;
    }

    /** @return the explicit grouping (attribute paths), or null for the default */
    public @Nullable List<String> groupBy() {
        return groupBy;
    }

    /** @return the filter on groups (paths are item aliases), or null */
    public @Nullable Where having() {
        return having;
    }

    /** @return the order (item aliases or attribute paths) */
    public List<Order> orderBy() {
        return orderBy;
    }

    /** @param paths attribute paths to group by, replacing the default @return a new projection */
    public Projection groupBy(String... paths) {
        return new Projection(items, List.of(Args.elements(paths, "paths")), having, orderBy);
    }

    /**
     * @param condition a filter on groups whose paths are item aliases ({@code Where.gt("commentCount", 2)}),
     *     ANDed with an earlier one
     * @return a new projection
     */
    public Projection having(Where condition) {
        Objects.requireNonNull(condition, "condition");
        return new Projection(items, groupBy, having == null ? condition : Where.and(having, condition), orderBy);
    }

    /** @param orders order terms on item aliases or attribute paths, appended @return a new projection */
    public Projection orderBy(Order... orders) {
        List<Order> list = new ArrayList<>(orderBy);
        list.addAll(Arrays.asList(Args.elements(orders, "orders")));
        return new Projection(items, groupBy, having, list);
    }

    @Override
    public String toString() {
        return "Projection" + items + (groupBy == null ? "" : " group by " + groupBy)
                + (having == null ? "" : " having " + having) + (orderBy.isEmpty() ? "" : " order by " + orderBy);
    }
}
