package io.relata.reactor;

import io.relata.Association;
import io.relata.QueryDefinitionException;
import io.relata.plan.Associations;
import io.relata.plan.Statements;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.sql.LoadPlan;
import io.relata.sql.SelectPlan;
import io.relata.sql.SqlStatement;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Operations of a hasMany or belongsToMany association (Sequelize's {@code getBars}, {@code countBars},
 * {@code hasBar(s)}, {@code addBar(s)}, {@code removeBar(s)}, {@code setBars}, {@code createBar}).
 * Targets are entities or their keys. Arguments are checked when a method is called (an unsaved
 * target or one of another model fails before any SQL); the publisher is cold and runs on every
 * subscription. hasMany writes the targets' foreign key; belongsToMany writes junction rows only.
 * Each write is one set statement; {@code set} and {@code create} run in a transaction.
 *
 * @param <S> the source entity
 * @param <T> the target entity
 */
public final class ToManyOperations<S, T> {
    private final Database db;
    private final Association<S, T> association;

    ToManyOperations(Database db, Association<S, T> association) {
        this.db = db;
        this.association = db.check(Objects.requireNonNull(association, "association"));
    }

    /** @return the association */
    public Association<S, T> association() {
        return association;
    }

    private boolean junction() {
        return association.kind() == Association.Kind.BELONGS_TO_MANY;
    }

    /**
     * Lazy load of all linked targets (scope applied). Loads of this association issued in one tick (e.g.
     * inside one {@code flatMap} over a collection of sources) are one {@code = ANY($1)} statement; see
     * {@link Database#withBatchWindow}.
     *
     * @param source the source entity
     * @return the targets, ordered by key (belongsToMany: with the junction's attributes); errors with
     *     {@link io.relata.StatementException}; cancelling leaves the other loads of the batch running
     * @throws io.relata.QueryDefinitionException for a source of another model or an unsaved one
     */
    public Flux<T> get(S source) {
        Object key = Objects.requireNonNull(Associations.sourceValue(association, source));
        return db.loader().load(db.loadPlan(association), key);
    }

    /**
     * Lazy load of the linked targets matching a query. A {@code limit}/{@code offset} applies to this
     * source's targets, in the query's order.
     *
     * @param source the source entity
     * @param query refines the target query: where, orderBy, limit, offset, attributes, include, and for
     *     belongsToMany {@link Query#throughWhere} and {@link Query#throughAttributes}
     * @return the matching linked targets
     * @throws io.relata.QueryDefinitionException for a bad source or a query that cannot be planned
     */
    public Flux<T> get(S source, UnaryOperator<Query<T>> query) {
        Object key = Objects.requireNonNull(Associations.sourceValue(association, source));
        LoadPlan<T> plan = Statements.load(association, query.apply(Query.from(association.target())));
        return db.loader().load(plan, key);
    }

    /**
     * The targets of several sources in one statement (Sequelize's {@code association.get([a, b])}).
     *
     * @param sources source entities (saved)
     * @return each source with its targets ordered by key (an empty list when it has none), in the order
     *     of {@code sources}; emitted when the statement has completed, at once for no sources; errors with
     *     {@link io.relata.StatementException}
     * @throws io.relata.QueryDefinitionException for a source of another model or an unsaved one
     */
    public Mono<Map<S, List<T>>> get(Collection<? extends S> sources) {
        return db.loader().fetchAll(db.loadPlan(association), sources, this::sourceKey);
    }

    /**
     * The targets of several sources matching a query, in one statement whose text does not depend on how
     * many sources; a {@code limit}/{@code offset} applies per source ({@code get(posts, q ->
     * q.orderBy(desc("createdAt")).limit(3))} is the three newest comments of each post).
     *
     * @param sources source entities (saved)
     * @param query refines the target query, as for {@link #get(Object, UnaryOperator)}
     * @return each source with its matching targets (an empty list when none), in the order of {@code sources}
     * @throws io.relata.QueryDefinitionException for a bad source or a query that cannot be planned
     */
    public Mono<Map<S, List<T>>> get(Collection<? extends S> sources, UnaryOperator<Query<T>> query) {
        LoadPlan<T> plan = Statements.load(association, query.apply(Query.from(association.target())));
        return db.loader().fetchAll(plan, sources, this::sourceKey);
    }

    private Object sourceKey(S source) {
        return Objects.requireNonNull(Associations.sourceValue(association, source));
    }

    /** @param source the source entity @return the number of linked targets */
    public Mono<Long> count(S source) {
        return count(source, (Where) null);
    }

    /** @param source the source entity @param where a filter on targets, or null @return the number of linked targets matching it */
    public Mono<Long> count(S source, @Nullable Where where) {
        Object key = Objects.requireNonNull(Associations.sourceValue(association, source));
        SqlStatement s = Associations.count(association, key, where, null);
        return single(s);
    }

    /**
     * @param source the source entity
     * @param query the targets to count: its {@code where}, and for belongsToMany its
     *     {@link Query#throughWhere} (only links whose junction row matches count)
     * @return the number of linked targets matching it
     * @throws io.relata.QueryDefinitionException for a bad source, or a query with includes, a window or
     *     through attributes (a count has no rows to shape)
     */
    public Mono<Long> count(S source, UnaryOperator<Query<T>> query) {
        Object key = Objects.requireNonNull(Associations.sourceValue(association, source));
        Query<T> q = Objects.requireNonNull(query.apply(Query.from(association.target())), "query returned null");
        if (!q.includes().isEmpty() || q.limit().isPresent() || q.offset().isPresent()
                || q.selectedThroughAttributes() != null) {
            throw new QueryDefinitionException("count of " + association.source().name() + "."
                    + association.as() + " takes where and throughWhere only (no include, limit, offset or"
                    + " throughAttributes)");
        }
        SqlStatement s = Associations.count(association, key, q.where(), q.throughWhere());
        return single(s);
    }

    /** @param source the source entity @param target an entity or key @return whether it is linked */
    public Mono<Boolean> has(S source, Object target) {
        return has(source, List.of(Objects.requireNonNull(target, "target")));
    }

    /**
     * @param source the source entity
     * @param targets entities or keys
     * @return true only when every one of them is linked
     */
    public Mono<Boolean> has(S source, Collection<?> targets) {
        Object key = Objects.requireNonNull(Associations.sourceValue(association, source));
        Object[] keys = Associations.targetValues(association, targets);
        if (keys.length == 0) {
            return Mono.just(true);
        }
        SqlStatement s = Associations.countLinked(association, key, keys);
        return single(s).map(n -> n == keys.length);
    }

    private Mono<Long> single(SqlStatement s) {
        return db.executor().read(c -> Executor.<Long>rows(c, s, row -> row.get(0, Long.class))).single();
    }

    /** @param source the source entity @param target an entity or key @return completes when linked (idempotent) */
    public Mono<Void> add(S source, Object target) {
        return add(source, List.of(Objects.requireNonNull(target, "target")), Map.of());
    }

    /** @param source the source entity @param targets entities or keys @return completes when linked (idempotent) */
    public Mono<Void> add(S source, Collection<?> targets) {
        return add(source, targets, Map.of());
    }

    /**
     * @param source the source entity
     * @param targets entities or keys
     * @param through junction attribute values for the new links (belongsToMany); existing links get them too
     * @return completes when linked: one statement whatever the number of targets
     */
    public Mono<Void> add(S source, Collection<?> targets, Map<String, ?> through) {
        Object key = Objects.requireNonNull(Associations.sourceValue(association, source));
        Object[] keys = Associations.targetValues(association, targets);
        requireNoThrough(through);
        if (keys.length == 0) {
            return Mono.empty();
        }
        SqlStatement s = junction() ? Associations.addJunction(association, key, keys, through)
                : Associations.link(association, key, keys);
        return db.executor().withConnection(c -> Executor.update(c, s)).then();
    }

    /** @param source the source entity @param target an entity or key @return completes when unlinked */
    public Mono<Void> remove(S source, Object target) {
        return remove(source, List.of(Objects.requireNonNull(target, "target")));
    }

    /**
     * Unlinks targets, confined to what the association sees (its foreign key and scope; a sibling
     * association through the same junction or foreign key is never touched). hasMany sets the targets'
     * foreign key to NULL, or deletes them when it is NOT NULL ({@link Unlink#DEFAULT}); belongsToMany
     * deletes the junction rows.
     *
     * @param source the source entity
     * @param targets entities or keys
     * @return completes when unlinked: one statement; errors with {@link io.relata.StatementException}
     * @throws io.relata.QueryDefinitionException for an unsaved source or target, or one of another model
     */
    public Mono<Void> remove(S source, Collection<?> targets) {
        return remove(source, targets, Unlink.DEFAULT);
    }

    /**
     * {@link #remove(Object, Collection)} choosing what happens to unlinked hasMany targets.
     *
     * @param source the source entity
     * @param targets entities or keys
     * @param unlinked {@link Unlink#DESTROY} deletes them (Sequelize's {@code destroy: true}); hasMany only
     * @return completes when unlinked: one statement
     * @throws io.relata.QueryDefinitionException as {@link #remove(Object, Collection)}, and for {@code DESTROY}
     *     on a belongsToMany
     */
    public Mono<Void> remove(S source, Collection<?> targets, Unlink unlinked) {
        boolean destroy = destroy(unlinked);
        Object key = Objects.requireNonNull(Associations.sourceValue(association, source));
        Object[] keys = Associations.targetValues(association, targets);
        if (keys.length == 0) {
            return Mono.empty();
        }
        SqlStatement s = junction() ? Associations.removeJunction(association, key, keys, false)
                : Associations.unlink(association, key, keys, false, destroy);
        return db.executor().withConnection(c -> Executor.update(c, s)).then();
    }

    private boolean destroy(Unlink unlinked) {
        Objects.requireNonNull(unlinked, "unlinked");
        if (unlinked == Unlink.DESTROY && junction()) {
            throw new QueryDefinitionException(association.source().name() + "." + association.as()
                    + " is a belongsToMany: unlinking deletes junction rows, never targets; Unlink.DESTROY applies to"
                    + " hasOne and hasMany");
        }
        return unlinked == Unlink.DESTROY;
    }

    /** @param source the source entity @param targets entities or keys (empty unlinks all) @return completes when replaced */
    public Mono<Void> set(S source, Collection<?> targets) {
        return set(source, targets, Map.of(), Unlink.DEFAULT);
    }

    /**
     * {@link #set(Object, Collection)} choosing what happens to hasMany targets that are no longer linked.
     *
     * @param source the source entity
     * @param targets entities or keys (empty unlinks all)
     * @param previous {@link Unlink#DESTROY} deletes them (Sequelize's {@code destroyPrevious}); hasMany only
     * @return completes when replaced
     */
    public Mono<Void> set(S source, Collection<?> targets, Unlink previous) {
        return set(source, targets, Map.of(), previous);
    }

    /**
     * Replaces the linked set: unlinks what is not listed, links what is new, in one transaction (a
     * failure leaves the links as they were).
     *
     * @param source the source entity
     * @param targets entities or keys
     * @param through junction values for new links (belongsToMany)
     * @return completes when replaced
     */
    public Mono<Void> set(S source, Collection<?> targets, Map<String, ?> through) {
        return set(source, targets, through, Unlink.DEFAULT);
    }

    private Mono<Void> set(S source, Collection<?> targets, Map<String, ?> through, Unlink previous) {
        boolean destroy = destroy(previous);
        Object key = Objects.requireNonNull(Associations.sourceValue(association, source));
        Object[] keys = Associations.targetValues(association, targets);
        requireNoThrough(through);
        SqlStatement unlink = junction() ? Associations.removeJunction(association, key, keys, true)
                : Associations.unlink(association, key, keys, true, destroy);
        if (keys.length == 0) {
            return db.executor().withConnection(c -> Executor.update(c, unlink)).then();
        }
        SqlStatement link = junction() ? Associations.addJunction(association, key, keys, through)
                : Associations.link(association, key, keys);
        return db.executor().inTransaction(c -> Executor.update(c, unlink).then(Executor.update(c, link))).then();
    }

    /** @param source the source entity @param target a new target @return the created target, linked */
    public Mono<T> create(S source, T target) {
        return create(source, target, Map.of());
    }

    /**
     * hasMany inserts the target with the foreign key (and scope) set; belongsToMany inserts it and the
     * junction row, in one transaction.
     *
     * @param source the source entity
     * @param target a new target
     * @param through junction values (belongsToMany)
     * @return the created target as stored
     */
    public Mono<T> create(S source, T target, Map<String, ?> through) {
        Objects.requireNonNull(target, "target");
        Object key = Objects.requireNonNull(Associations.sourceValue(association, source));
        requireNoThrough(through);
        Associations.requireInScope(association, target);
        Map<String, Object> scope = Associations.writableScope(association);
        if (!junction()) {
            Map<String, Object> fixed = new LinkedHashMap<>(scope);
            fixed.put(association.foreignKey().name(), key);
            SelectPlan<T> insert = Statements.insert(association.target(), List.of(target), fixed).get(0);
            return db.executor().withConnection(c -> Streams.rows(c, insert)).single();
        }
        SelectPlan<T> insert = Statements.insert(association.target(), List.of(target), scope).get(0);
        return db.executor().inTransaction(c -> Streams.rows(c, insert).single().flatMap(created -> {
            Object[] keys = Associations.targetValues(association, List.of(created));
            return Executor.update(c, Associations.addJunction(association, key, keys, through))
                    .thenReturn(created);
        })).single();
    }

    private void requireNoThrough(Map<String, ?> through) {
        Objects.requireNonNull(through, "through");
        if (!through.isEmpty() && !junction()) {
            throw new QueryDefinitionException("through values apply to belongsToMany; "
                    + association.source().name() + "." + association.as() + " is " + association.kind());
        }
    }
}
