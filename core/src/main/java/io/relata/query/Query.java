package io.relata.query;

import io.relata.Association;
import io.relata.Model;
import io.relata.QueryDefinitionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * An immutable query over one model: filter, order, window, selected attributes and eager includes.
 * Every method returns a new query. Names are checked when the query is built (unknown attributes,
 * aliases or unassociated models throw {@link QueryDefinitionException}), never later in SQL.
 *
 * @param <T> the root entity
 */
public final class Query<T> {
    private final Model<T> model;
    private final @Nullable Where where;
    private final List<Order> orderBy;
    private final @Nullable Long limit;
    private final @Nullable Long offset;
    private final @Nullable List<String> attributes;
    private final List<Include<T, ?>> includes;
    private final @Nullable List<String> throughAttributes;
    private final @Nullable Where throughWhere;
    private final @Nullable Duration timeout;
    private final boolean paranoid;
    private final boolean throughParanoid;

    private Query(Model<T> model, @Nullable Where where, List<Order> orderBy, @Nullable Long limit,
            @Nullable Long offset, @Nullable List<String> attributes, List<Include<T, ?>> includes,
            @Nullable List<String> throughAttributes, @Nullable Where throughWhere) {
        this(model, where, orderBy, limit, offset, attributes, includes, throughAttributes, throughWhere, null, true, true);
    }

    private Query(Model<T> model, @Nullable Where where, List<Order> orderBy, @Nullable Long limit,
            @Nullable Long offset, @Nullable List<String> attributes, List<Include<T, ?>> includes,
            @Nullable List<String> throughAttributes, @Nullable Where throughWhere, @Nullable Duration timeout,
            boolean paranoid, boolean throughParanoid) {
        this.model = model;
        this.where = where;
        this.orderBy = List.copyOf(orderBy);
        this.limit = limit;
        this.offset = offset;
        this.attributes = attributes;
        this.includes = List.copyOf(includes);
        this.throughAttributes = throughAttributes;
        this.throughWhere = throughWhere;
        this.timeout = timeout;
        this.paranoid = paranoid;
        this.throughParanoid = throughParanoid;
    }

    /**
     * @param model the model to query (from a built schema)
     * @param <T> its entity
     * @return all rows of it
     */
    public static <T> Query<T> from(Model<T> model) {
        Objects.requireNonNull(model, "model");
        model.attributes();
        return new Query<>(model, null, List.of(), null, null, null, List.of(), null, null);
    }

    /** @return the root model */
    public Model<T> model() {
        return model;
    }

    /** @return the filter, or null */
    public @Nullable Where where() {
        return where;
    }

    /** @return ordering */
    public List<Order> orderBy() {
        return orderBy;
    }

    /** @return the maximum number of roots, if set */
    public OptionalLong limit() {
        return limit == null ? OptionalLong.empty() : OptionalLong.of(limit);
    }

    /** @return roots skipped, if set */
    public OptionalLong offset() {
        return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
    }

    /** @return selected attributes, or null for all */
    public @Nullable List<String> selectedAttributes() {
        return attributes;
    }

    /** @return the statement timeout of this query, if set ({@link #timeout(Duration)}) */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /**
     * A server-side limit on how long the query's statements may run: the server cancels them after
     * this long ({@code statement_timeout}, set for them only; SQLSTATE {@code 57014}). Outside a
     * transaction the query then runs in a transaction of its own (the setting is transaction-local);
     * inside one the setting is restored after the query.
     *
     * @param timeout at least 1 ms
     * @return a new query
     */
    public Query<T> timeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.toMillis() == 0) {
            throw new QueryDefinitionException("timeout must be at least 1 ms, was " + timeout);
        }
        return new Query<>(model, where, orderBy, limit, offset, attributes, includes, throughAttributes, throughWhere,
                timeout, paranoid, throughParanoid);
    }

    /** @return whether soft-deleted rows of the root model are left out (default true; {@link #paranoid(boolean)}) */
    public boolean paranoid() {
        return paranoid;
    }

    /**
     * Sequelize's {@code paranoid: false}: with false, the query also reads the soft-deleted rows of a paranoid
     * root model (its includes keep their own setting, {@link Include#paranoid(boolean)}), and an
     * {@code update} changes them too (a non-forced {@code destroy} always soft-deletes live rows only). No
     * effect on a model that is not paranoid.
     *
     * @param enabled false to read soft-deleted rows too
     * @return a new query
     */
    public Query<T> paranoid(boolean enabled) {
        return new Query<>(model, where, orderBy, limit, offset, attributes, includes, throughAttributes, throughWhere,
                timeout, enabled, throughParanoid);
    }

    /** @return whether soft-deleted junction rows are left out of a lazy load or count of a belongsToMany */
    public boolean throughParanoid() {
        return throughParanoid;
    }

    /**
     * Sequelize's {@code through: {paranoid: false}} for a lazy load, count or {@code has} of a belongsToMany
     * whose junction is paranoid: with false, soft-deleted links count too ({@code getProjects} of a user
     * with one of three links soft-deleted: 2 by default, 3 with {@code throughParanoid(false)}). Like
     * {@link #throughWhere}, any other use of the query is rejected when it is planned.
     *
     * @param enabled false to follow soft-deleted links too
     * @return a new query
     */
    public Query<T> throughParanoid(boolean enabled) {
        return new Query<>(model, where, orderBy, limit, offset, attributes, includes, throughAttributes, throughWhere,
                timeout, paranoid, enabled);
    }

    /** @return eager includes */
    public List<Include<T, ?>> includes() {
        return includes;
    }

    /**
     * @return junction attributes to load into the targets' junction slot, for a lazy load of a
     *     belongsToMany: null = all (when the target can hold them), empty = none
     */
    public @Nullable List<String> selectedThroughAttributes() {
        return throughAttributes;
    }

    /** @return the filter on junction rows, for a lazy load or count of a belongsToMany, or null */
    public @Nullable Where throughWhere() {
        return throughWhere;
    }

    /** @return whether {@link #throughAttributes}, {@link #throughWhere} or {@link #throughParanoid} was given */
    public boolean hasThroughOptions() {
        return throughAttributes != null || throughWhere != null || !throughParanoid;
    }

    /** @param condition filter, ANDed with an earlier one @return a new query */
    public Query<T> where(Where condition) {
        Objects.requireNonNull(condition, "condition");
        Where w = where == null ? condition : Where.and(where, condition);
        return new Query<>(model, w, orderBy, limit, offset, attributes, includes, throughAttributes, throughWhere, timeout, paranoid, throughParanoid);
    }

    /** @param orders order terms, appended @return a new query */
    public Query<T> orderBy(Order... orders) {
        Args.elements(orders, "orders");
        List<Order> list = new ArrayList<>(orderBy);
        list.addAll(Arrays.asList(orders));
        return new Query<>(model, where, list, limit, offset, attributes, includes, throughAttributes, throughWhere, timeout, paranoid, throughParanoid);
    }

    /** @param limit at most this many roots (not joined rows) @return a new query */
    public Query<T> limit(long limit) {
        if (limit < 0) {
            throw new QueryDefinitionException("limit must be >= 0, was " + limit);
        }
        return new Query<>(model, where, orderBy, limit, offset, attributes, includes, throughAttributes, throughWhere, timeout, paranoid, throughParanoid);
    }

    /** @param offset skip this many roots @return a new query */
    public Query<T> offset(long offset) {
        if (offset < 0) {
            throw new QueryDefinitionException("offset must be >= 0, was " + offset);
        }
        return new Query<>(model, where, orderBy, limit, offset, attributes, includes, throughAttributes, throughWhere, timeout, paranoid, throughParanoid);
    }

    /** @param names the attributes to load (the primary key is always loaded) @return a new query */
    public Query<T> attributes(String... names) {
        List<String> list = List.of(Args.elements(names, "names"));
        list.forEach(model::requireAttribute);
        return new Query<>(model, where, orderBy, limit, offset, list, includes, throughAttributes, throughWhere, timeout, paranoid, throughParanoid);
    }

    /**
     * Junction options of a lazy load of a belongsToMany ({@code db.association(bt).get(source, q ->
     * q.throughAttributes("grade"))}), Include's {@link Include#throughAttributes} for lazy loads. Names
     * are checked against the junction when the load is planned; any other use of the query is rejected
     * then with a {@link QueryDefinitionException}.
     *
     * @param names junction attributes to load into the targets' junction slot; none loads nothing
     * @return a new query
     */
    public Query<T> throughAttributes(String... names) {
        return new Query<>(model, where, orderBy, limit, offset, attributes, includes,
                List.of(Args.elements(names, "names")), throughWhere, timeout, paranoid, throughParanoid);
    }

    /**
     * A filter on the junction rows of a lazy load or count of a belongsToMany, Include's
     * {@link Include#throughWhere} for lazy loads (paths are junction attributes, ANDed with an earlier
     * one); only targets linked through a matching junction row are loaded or counted.
     *
     * @param condition the filter
     * @return a new query
     */
    public Query<T> throughWhere(Where condition) {
        Objects.requireNonNull(condition, "condition");
        Where w = throughWhere == null ? condition : Where.and(throughWhere, condition);
        return new Query<>(model, where, orderBy, limit, offset, attributes, includes, throughAttributes, w, timeout, paranoid, throughParanoid);
    }

    /**
     * @param association an association of the root model
     * @param <U> its target
     * @return a new query including it
     */
    public <U> Query<T> include(Association<T, U> association) {
        return include(association, UnaryOperator.identity());
    }

    /**
     * @param association an association of the root model
     * @param options configures the include (where, required, attributes, nested includes, strategy)
     * @param <U> its target
     * @return a new query including it
     */
    public <U> Query<T> include(Association<T, U> association, UnaryOperator<Include<T, U>> options) {
        Objects.requireNonNull(association, "association");
        Objects.requireNonNull(options, "options");
        checkAssociated(model, association);
        Include<T, U> include = Objects.requireNonNull(options.apply(Include.of(association)), "options returned null");
        return withInclude(include);
    }

    /** @param alias an association alias of the root model (Sequelize's {@code include: 'leader'}) @return a new query */
    public Query<T> include(String alias) {
        return withInclude(Include.of(byAlias(model, alias)));
    }

    /** @param target a model associated without an alias (Sequelize's {@code include: Ship}) @return a new query */
    public Query<T> include(Model<?> target) {
        Objects.requireNonNull(target, "target");
        return withInclude(Include.of(byModel(model, target)));
    }

    /** @return a new query including every association of the root model, one level deep */
    public Query<T> includeAll() {
        Query<T> q = this;
        for (Association<T, ?> a : model.associations().values()) {
            if (includes.stream().noneMatch(i -> i.association() == a)) {
                q = q.withInclude(Include.of(a));
            }
        }
        return q;
    }

    private Query<T> withInclude(Include<T, ?> include) {
        for (Include<T, ?> i : includes) {
            if (i.association() == include.association()) {
                throw new QueryDefinitionException(model.name() + " includes '" + include.association().as()
                        + "' twice; include each association once");
            }
        }
        List<Include<T, ?>> list = new ArrayList<>(includes);
        list.add(include);
        return new Query<>(model, where, orderBy, limit, offset, attributes, list, throughAttributes, throughWhere, timeout, paranoid, throughParanoid);
    }

    static void checkAssociated(Model<?> model, Association<?, ?> association) {
        Objects.requireNonNull(association, "association");
        if (association.source() != model) {
            throw new QueryDefinitionException(association.target().name() + " is not associated to " + model.name()
                    + " through '" + association.as() + "' (that association belongs to " + association.source().name()
                    + "); " + model.name() + "'s aliases: " + model.describeAliases());
        }
    }

    /**
     * The association named {@code alias}: its alias ({@code Books}), or else the entity slot it fills, which
     * is the alias with a lower-case first letter ({@code books}, what a client sees in JSON).
     */
    @SuppressWarnings("unchecked")
    static <S> Association<S, ?> byAlias(Model<S> model, String alias) {
        Objects.requireNonNull(alias, "alias");
        Association<S, ?> a = model.associations().get(alias);
        if (a != null) {
            return a;
        }
        List<Association<S, ?>> bySlot = model.associations().values().stream()
                .filter(candidate -> decapitalize(candidate.as()).equals(alias))
                .collect(Collectors.toList());
        if (bySlot.size() == 1) {
            return bySlot.get(0);
        }
        throw new QueryDefinitionException("Association with alias \"" + alias + "\" does not exist on "
                + model.name() + (bySlot.isEmpty() ? "" : " (\"" + alias + "\" names the slot of several: "
                + bySlot.stream().map(Association::as).collect(Collectors.joining(", ")) + ")")
                + "; its aliases: " + model.describeAliases() + " (or their slot names: the alias with a lower-case"
                + " first letter)");
    }

    static <S> Association<S, ?> byModel(Model<S> model, Model<?> target) {
        List<Association<S, ?>> candidates = model.associations().values().stream()
                .filter(a -> a.target() == target).collect(Collectors.toList());
        if (candidates.isEmpty()) {
            throw new QueryDefinitionException(target.name() + " is not associated to " + model.name() + "! "
                    + model.name() + "'s aliases: " + model.describeAliases());
        }
        List<Association<S, ?>> plain = candidates.stream().filter(a -> !a.aliased()).toList();
        if (plain.size() != 1) {
            // Sequelize's wording for an include by model of an aliased association
            throw new QueryDefinitionException(target.name() + " is associated to " + model.name()
                    + " using an alias. You must use the 'as' keyword to specify the alias within your include"
                    + " statement: include(\"" + candidates.stream().map(Association::as)
                    .collect(Collectors.joining("\") or include(\"")) + "\"); " + model.name() + "'s aliases: "
                    + model.describeAliases());
        }
        return plain.get(0);
    }

    private static String decapitalize(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
