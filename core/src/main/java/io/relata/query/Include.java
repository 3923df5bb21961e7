package io.relata.query;

import io.relata.Association;
import io.relata.Model;
import io.relata.QueryDefinitionException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * One eager-loaded association of a query (immutable; every method returns a new include).
 * A {@code where} makes the include required (INNER JOIN) unless {@link #required(boolean)} says
 * otherwise, Sequelize's rule. A required nested include does not make its parent required: under an
 * optional parent it is joined inside the parent's LEFT OUTER JOIN ({@code LEFT OUTER JOIN (parent
 * INNER JOIN child ON ...) ON ...}), so a root without a matching child keeps its row and gets no
 * parent, as in Sequelize.
 *
 * @param <S> the entity that has the association
 * @param <T> the included entity
 */
public final class Include<S, T> {

    /** How an include is fetched. */
    public enum Strategy {
        /** joined into the root query (default) */
        JOIN,
        /** a follow-up {@code = ANY($1)} query per include level over a window of parents */
        SEPARATE,
        /**
         * in the one statement, each parent's children as one JSON array column (the Prisma / Drizzle shape):
         * {@code LEFT JOIN LATERAL (SELECT json_agg(json_build_array(<columns>) ORDER BY <order>, <key>) ...) ON TRUE},
         * decoded into entities as the parent's row is read. Parent rows are not repeated per child, so the
         * roots stream (and are windowed by {@code limit}/{@code offset}) one row each. Every include nested
         * below an AGGREGATE include is read from the same JSON (nested arrays), whatever its own strategy,
         * except SEPARATE, which is rejected; their columns cannot be referenced from outside the include
         * (filter and order them with the include's own {@code where} and {@code orderBy}).
         */
        AGGREGATE
    }

    private final Association<S, T> association;
    private final @Nullable Where where;
    private final @Nullable Boolean required;
    private final @Nullable List<String> attributes;
    private final List<Order> orderBy;
    private final List<Include<T, ?>> includes;
    private final Strategy strategy;
    private final @Nullable List<String> throughAttributes;
    private final @Nullable Where throughWhere;
    private final boolean paranoid;
    private final boolean throughParanoid;

    private final @Nullable Long limit;
    private final @Nullable Long offset;

    private Include(Association<S, T> association, @Nullable Where where, @Nullable Boolean required,
            @Nullable List<String> attributes, List<Order> orderBy, List<Include<T, ?>> includes, Strategy strategy,
            @Nullable List<String> throughAttributes, @Nullable Where throughWhere, boolean paranoid,
            boolean throughParanoid, @Nullable Long limit, @Nullable Long offset) {
        this.association = association;
        this.where = where;
        this.required = required;
        this.attributes = attributes;
        this.orderBy = List.copyOf(orderBy);
        this.includes = List.copyOf(includes);
        this.strategy = strategy;
        this.throughAttributes = throughAttributes;
        this.throughWhere = throughWhere;
        this.paranoid = paranoid;
        this.throughParanoid = throughParanoid;
        this.limit = limit;
        this.offset = offset;
    }

    /**
     * @param association the association to load
     * @param <S> source
     * @param <T> target
     * @return a plain include
     */
    public static <S, T> Include<S, T> of(Association<S, T> association) {
        return new Include<>(Objects.requireNonNull(association, "association"), null, null, null, List.of(),
                List.of(), Strategy.JOIN, null, null, true, true, null, null);
    }

    /** @return the most children each parent gets ({@link #limit(long)}), if set */
    public OptionalLong limit() {
        return limit == null ? OptionalLong.empty() : OptionalLong.of(limit);
    }

    /** @return the children skipped per parent ({@link #offset(long)}), if set */
    public OptionalLong offset() {
        return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
    }

    /**
     * Top-N children per parent (Sequelize's {@code include: [{ separate: true, limit, order }]}): each
     * parent gets at most {@code limit} children of this to-many include, in its {@link #orderBy} (then by
     * primary key). With the JOIN strategy it is a {@code LEFT JOIN LATERAL (... LIMIT n) ON TRUE} in the
     * one statement; with SEPARATE a lateral per parent key of the follow-up; with AGGREGATE the JSON array is
     * aggregated from that lateral. A required include keeps its
     * meaning: a parent needs at least one child in the window.
     *
     * @param limit at least 0
     * @return a new include
     * @throws QueryDefinitionException when the limit is negative or the association is to-one
     */
    public Include<S, T> limit(long limit) {
        if (limit < 0) {
            throw new QueryDefinitionException("limit of include '" + association.as() + "' must be >= 0, was " + limit);
        }
        requireToMany("limit");
        return new Include<>(association, where, required, attributes, orderBy, includes, strategy, throughAttributes,
                throughWhere, paranoid, throughParanoid, limit, offset);
    }

    /**
     * @param offset children skipped per parent (in the include's order), at least 0
     * @return a new include
     * @throws QueryDefinitionException when the offset is negative or the association is to-one
     */
    public Include<S, T> offset(long offset) {
        if (offset < 0) {
            throw new QueryDefinitionException("offset of include '" + association.as() + "' must be >= 0, was "
                    + offset);
        }
        requireToMany("offset");
        return new Include<>(association, where, required, attributes, orderBy, includes, strategy, throughAttributes,
                throughWhere, paranoid, throughParanoid, limit, offset);
    }

    private void requireToMany(String what) {
        if (!association.toMany()) {
            throw new QueryDefinitionException(what + " applies to a to-many include (hasMany, belongsToMany); "
                    + association.source().name() + "." + association.as() + " is " + association.kind());
        }
    }

    /** @return the association */
    public Association<S, T> association() {
        return association;
    }

    /** @return whether soft-deleted rows of a paranoid target are left out (default true) */
    public boolean paranoid() {
        return paranoid;
    }

    /**
     * Sequelize's include {@code paranoid: false}: with false, soft-deleted rows of the (paranoid) target are
     * included too. It applies to this include's target only; nested includes keep their own setting. It
     * does not make the include required.
     *
     * @param enabled false to include soft-deleted targets
     * @return a new include
     */
    public Include<S, T> paranoid(boolean enabled) {
        return new Include<>(association, where, required, attributes, orderBy, includes, strategy, throughAttributes,
                throughWhere, enabled, throughParanoid, limit, offset);
    }

    /** @return whether soft-deleted junction rows are left out (belongsToMany through a paranoid junction; default true) */
    public boolean throughParanoid() {
        return throughParanoid;
    }

    /**
     * Sequelize's include {@code through: {paranoid: false}} (belongsToMany only): with false, targets linked
     * by soft-deleted junction rows are included too.
     *
     * @param enabled false to follow soft-deleted links too
     * @return a new include
     */
    public Include<S, T> throughParanoid(boolean enabled) {
        requireJunction();
        return new Include<>(association, where, required, attributes, orderBy, includes, strategy, throughAttributes,
                throughWhere, paranoid, enabled, limit, offset);
    }

    /** @return the filter on the included rows (in the join's ON clause), or null */
    public @Nullable Where where() {
        return where;
    }

    /**
     * @return INNER JOIN when true: as set with {@link #required(boolean)}, else true when the include has a
     *     {@code where} or a {@code throughWhere} (a required nested include does not count)
     */
    public boolean isRequired() {
        if (required != null) {
            return required;
        }
        return where != null || throughWhere != null;
    }

    /** @return the explicitly selected attributes, or null for all */
    public @Nullable List<String> selectedAttributes() {
        return attributes;
    }

    /** @return ordering of the included rows within their parent */
    public List<Order> orderBy() {
        return orderBy;
    }

    /** @return nested includes */
    public List<Include<T, ?>> includes() {
        return includes;
    }

    /** @return the fetch strategy */
    public Strategy strategy() {
        return strategy;
    }

    /** @return junction attributes to load (belongsToMany): null = all when the target can hold them, empty = none */
    public @Nullable List<String> selectedThroughAttributes() {
        return throughAttributes;
    }

    /** @return filter on junction rows (belongsToMany), or null */
    public @Nullable Where throughWhere() {
        return throughWhere;
    }

    /** @param condition filter on included rows (ANDed with an earlier one); makes the include required @return a new include */
    public Include<S, T> where(Where condition) {
        Objects.requireNonNull(condition, "condition");
        Where w = where == null ? condition : Where.and(where, condition);
        return new Include<>(association, w, required, attributes, orderBy, includes, strategy, throughAttributes,
                throughWhere, paranoid, throughParanoid, limit, offset);
    }

    /** @param required INNER JOIN when true, LEFT OUTER JOIN when false @return a new include */
    public Include<S, T> required(boolean required) {
        return new Include<>(association, where, required, attributes, orderBy, includes, strategy,
                throughAttributes, throughWhere, paranoid, throughParanoid, limit, offset);
    }

    /** @param names attributes of the target to load (its primary key is always loaded) @return a new include */
    public Include<S, T> attributes(String... names) {
        List<String> list = List.of(Args.elements(names, "names"));
        list.forEach(n -> association.target().requireAttribute(n));
        return new Include<>(association, where, required, list, orderBy, includes, strategy, throughAttributes,
                throughWhere, paranoid, throughParanoid, limit, offset);
    }

    /** @param orders ordering of the included rows within each parent (paths relative to the target) @return a new include */
    public Include<S, T> orderBy(Order... orders) {
        Args.elements(orders, "orders");
        List<Order> list = new ArrayList<>(orderBy);
        list.addAll(Arrays.asList(orders));
        return new Include<>(association, where, required, attributes, list, includes, strategy, throughAttributes,
                throughWhere, paranoid, throughParanoid, limit, offset);
    }

    /** @param strategy JOIN (default), SEPARATE or AGGREGATE @return a new include */
    public Include<S, T> strategy(Strategy strategy) {
        return new Include<>(association, where, required, attributes, orderBy, includes,
                Objects.requireNonNull(strategy, "strategy"), throughAttributes, throughWhere, paranoid, throughParanoid, limit, offset);
    }

    /**
     * @param nested an association of the target
     * @param <U> its target
     * @return a new include with it nested
     */
    public <U> Include<S, T> include(Association<T, U> nested) {
        Objects.requireNonNull(nested, "nested");
        return include(nested, UnaryOperator.identity());
    }

    /**
     * @param nested an association of the target
     * @param options configures the nested include
     * @param <U> its target
     * @return a new include with it nested
     */
    public <U> Include<S, T> include(Association<T, U> nested, UnaryOperator<Include<T, U>> options) {
        Objects.requireNonNull(nested, "nested");
        Objects.requireNonNull(options, "options");
        Query.checkAssociated(association.target(), nested);
        Include<T, U> child = Objects.requireNonNull(options.apply(Include.of(nested)), "options returned null");
        return withInclude(child);
    }

    /** @param alias an association alias of the target @return a new include with it nested */
    public Include<S, T> include(String alias) {
        return withInclude(Include.of(Query.byAlias(association.target(), alias)));
    }

    /** @param target a model associated to the target without an alias @return a new include with it nested */
    public Include<S, T> include(Model<?> target) {
        Objects.requireNonNull(target, "target");
        return withInclude(Include.of(Query.byModel(association.target(), target)));
    }

    private Include<S, T> withInclude(Include<T, ?> child) {
        for (Include<T, ?> i : includes) {
            if (i.association == child.association) {
                throw new QueryDefinitionException(association.target().name() + " includes '"
                        + child.association.as() + "' twice; include each association once");
            }
        }
        List<Include<T, ?>> list = new ArrayList<>(includes);
        list.add(child);
        return new Include<>(association, where, required, attributes, orderBy, list, strategy, throughAttributes,
                throughWhere, paranoid, throughParanoid, limit, offset);
    }

    /**
     * Junction options (belongsToMany only).
     *
     * @param attributes junction attributes to load into the target's junction slot; none loads nothing
     * @return a new include
     */
    public Include<S, T> throughAttributes(String... attributes) {
        List<String> list = List.of(Args.elements(attributes, "attributes"));
        Model<?> junction = requireJunction();
        list.forEach(junction::requireAttribute);
        return new Include<>(association, where, required, this.attributes, orderBy, includes, strategy, list,
                throughWhere, paranoid, throughParanoid, limit, offset);
    }

    /** @param condition filter on junction rows (paths are junction attributes); makes the include required @return a new include */
    public Include<S, T> throughWhere(Where condition) {
        Objects.requireNonNull(condition, "condition");
        requireJunction();
        Where w = throughWhere == null ? condition : Where.and(throughWhere, condition);
        return new Include<>(association, where, required, attributes, orderBy, includes, strategy,
                throughAttributes, w, paranoid, throughParanoid, limit, offset);
    }

    private Model<?> requireJunction() {
        Model<?> junction = association.through();
        if (junction == null) {
            throw new QueryDefinitionException("through options apply to belongsToMany; " + association.source().name()
                    + "." + association.as() + " is " + association.kind());
        }
        return junction;
    }
}
