package io.relata.reactor;

import io.relata.Association;
import io.relata.Model;
import io.relata.QueryDefinitionException;
import io.relata.Validation;
import io.relata.ValidationException;
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
 * Each write is one set statement; {@code set} and {@code create} run in a transaction. Every method
 * follows the {@linkplain io.relata.reactor reactive contract} (call-time checks, errors signalled, cancellation); each states what it emits and
 * what differs.
 *
 * <p>Soft delete: reads leave soft-deleted targets of a paranoid target model out, and links a paranoid
 * junction has soft-deleted ({@link Query#paranoid(boolean)} and {@link Query#throughParanoid(boolean)} in the
 * query variants say otherwise); through a paranoid junction {@code remove} and {@code set} soft-delete
 * links and {@code add} revives a soft-deleted one; hasMany writes touch live targets only.
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
     * @return the targets, ordered by key (belongsToMany: with the junction's attributes); completes when the
     *     batch statement has; errors with {@link io.relata.StatementException} or {@link io.relata.ConnectionException}; cancelling leaves the other loads of the batch running
     * @throws NullPointerException when {@code source} is null
     * @throws io.relata.QueryDefinitionException for a source of another model or an unsaved one
     * @see io.relata.reactor the reactive contract
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
     * @return the matching linked targets, in the query's order; completes after the last row; errors with
     *     {@link io.relata.StatementException} or {@link io.relata.ConnectionException}
     * @throws NullPointerException when {@code source} or {@code query} is null, or the query function returns
     *     null ({@code "query returned null"})
     * @throws io.relata.QueryDefinitionException for a bad source or a query that cannot be planned
     * @see io.relata.reactor the reactive contract
     */
    public Flux<T> get(S source, UnaryOperator<Query<T>> query) {
        Objects.requireNonNull(query, "query");
        Object key = Objects.requireNonNull(Associations.sourceValue(association, source));
        LoadPlan<T> plan = Statements.load(association,
                Objects.requireNonNull(query.apply(Query.from(association.target())), "query returned null"));
        return db.loader().load(plan, key);
    }

    /**
     * The targets of several sources in one statement (Sequelize's {@code association.get([a, b])}).
     *
     * @param sources source entities (saved)
     * @return each source with its targets ordered by key (an empty list when it has none), in the order
     *     of {@code sources}; emitted when the statement has completed, at once for no sources; errors with
     *     {@link io.relata.StatementException} or {@link io.relata.ConnectionException}
     * @throws NullPointerException when {@code sources} or one of its elements is null
     * @throws io.relata.QueryDefinitionException for a source of another model or an unsaved one
     * @see io.relata.reactor the reactive contract
     */
    public Mono<Map<S, List<T>>> get(Collection<? extends S> sources) {
        Args.elements(sources, "sources");
        return db.loader().fetchAll(db.loadPlan(association), sources, this::sourceKey);
    }

    /**
     * The targets of several sources matching a query, in one statement whose text does not depend on how
     * many sources; a {@code limit}/{@code offset} applies per source ({@code get(posts, q ->
     * q.orderBy(desc("createdAt")).limit(3))} is the three newest comments of each post).
     *
     * @param sources source entities (saved)
     * @param query refines the target query, as for {@link #get(Object, UnaryOperator)}
     * @return each source with its matching targets (an empty list when none), in the order of {@code sources};
     *     emitted and signalled as {@link #get(Collection)}
     * @throws NullPointerException when {@code sources}, one of its elements or {@code query} is null, or the
     *     query function returns null
     * @throws io.relata.QueryDefinitionException for a bad source or a query that cannot be planned
     * @see io.relata.reactor the reactive contract
     */
    public Mono<Map<S, List<T>>> get(Collection<? extends S> sources, UnaryOperator<Query<T>> query) {
        Args.elements(sources, "sources");
        Objects.requireNonNull(query, "query");
        LoadPlan<T> plan = Statements.load(association,
                Objects.requireNonNull(query.apply(Query.from(association.target())), "query returned null"));
        return db.loader().fetchAll(plan, sources, this::sourceKey);
    }

    private Object sourceKey(S source) {
        return Objects.requireNonNull(Associations.sourceValue(association, source));
    }

    /**
     * @param source the source entity
     * @return the number of linked targets, once the statement has completed; errors with {@link io.relata.StatementException} or {@link io.relata.ConnectionException}
     * @throws NullPointerException when {@code source} is null
     * @throws io.relata.QueryDefinitionException for a source of another model or an unsaved one
     * @see io.relata.reactor the reactive contract
     */
    public Mono<Long> count(S source) {
        return count(source, (Where) null);
    }

    /**
     * @param source the source entity
     * @param where a filter on targets, or null
     * @return the number of linked targets matching it, once the statement has completed; errors with {@link io.relata.StatementException} or {@link io.relata.ConnectionException}
     * @throws NullPointerException when {@code source} is null
     * @throws io.relata.QueryDefinitionException for a bad source or a filter that cannot be planned
     * @see io.relata.reactor the reactive contract
     */
    public Mono<Long> count(S source, @Nullable Where where) {
        Object key = Objects.requireNonNull(Associations.sourceValue(association, source));
        SqlStatement s = Associations.count(association, key, where, null);
        return single(s);
    }

    /**
     * @param source the source entity
     * @param query the targets to count: its {@code where} (paths may go through its includes), its includes
     *     (joined: a required one counts only targets that have a match, e.g. a task with an active
     *     subtask), {@link Query#paranoid(boolean)}, and for belongsToMany its {@link Query#throughWhere} (only
     *     links whose junction row matches count) and {@link Query#throughParanoid(boolean)}
     * @return emits the number of linked targets matching it (each once) and completes; errors with
     *     {@link io.relata.StatementException} or {@link io.relata.ConnectionException}
     * @throws NullPointerException when {@code source} or {@code query} is null, or the query function returns null
     * @throws io.relata.QueryDefinitionException for a bad source, or a query with a window or through
     *     attributes (a count has no rows to shape), an unknown path or a SEPARATE include
     * @see io.relata.reactor the reactive contract
     */
    public Mono<Long> count(S source, UnaryOperator<Query<T>> query) {
        Objects.requireNonNull(query, "query");
        Object key = Objects.requireNonNull(Associations.sourceValue(association, source));
        Query<T> q = Objects.requireNonNull(query.apply(Query.from(association.target())), "query returned null");
        if (q.limit().isPresent() || q.offset().isPresent() || q.selectedThroughAttributes() != null) {
            throw new QueryDefinitionException("count of " + association.source().name() + "."
                    + association.as() + " takes where and throughWhere only, with includes (no limit, offset or"
                    + " throughAttributes)");
        }
        if (!q.throughParanoid() && !junction()) {
            throw new QueryDefinitionException("throughParanoid applies to belongsToMany; " + association.source().name()
                    + "." + association.as() + " is " + association.kind());
        }
        SqlStatement s = q.includes().isEmpty()
                ? Associations.count(association, key, q.where(), q.throughWhere(), q.paranoid(), q.throughParanoid())
                : Associations.countWithIncludes(association, key, q);
        return single(s);
    }

    /**
     * @param source the source entity
     * @param target an entity or key
     * @return whether it is linked, once the statement has completed; errors with {@link io.relata.StatementException} or {@link io.relata.ConnectionException}
     * @throws NullPointerException when {@code source} or {@code target} is null
     * @throws io.relata.QueryDefinitionException for an unsaved source or target, or one of another model
     * @see io.relata.reactor the reactive contract
     */
    public Mono<Boolean> has(S source, Object target) {
        return has(source, List.of(Objects.requireNonNull(target, "target")));
    }

    /**
     * @param source the source entity
     * @param targets entities or keys
     * @return true only when every one of them is linked (at once for none), once the statement has completed;
     *     errors with {@link io.relata.StatementException} or {@link io.relata.ConnectionException}
     * @throws NullPointerException when {@code source}, {@code targets} or one of its elements is null
     * @throws io.relata.QueryDefinitionException for an unsaved source or target, or one of another model
     * @see io.relata.reactor the reactive contract
     */
    public Mono<Boolean> has(S source, Collection<?> targets) {
        Args.elements(targets, "targets");
        Object key = Objects.requireNonNull(Associations.sourceValue(association, source));
        Object[] keys = Associations.targetValues(association, targets);
        if (keys.length == 0) {
            return Mono.just(true);
        }
        SqlStatement s = Associations.countLinked(association, key, keys);
        return single(s).map(n -> n == keys.length);
    }

    /**
     * {@link #has(Object, Collection)} with the visibility of a query: {@code q -> q.paranoid(false)} also
     * counts soft-deleted targets, {@code q -> q.throughParanoid(false)} links a paranoid junction has
     * soft-deleted (Sequelize's {@code hasProjects(p, {through: {paranoid: false}})}).
     *
     * @param source the source entity
     * @param targets entities or keys
     * @param query sets {@link Query#paranoid(boolean)} and {@link Query#throughParanoid(boolean)}; nothing else
     * @return true only when every one of them is linked (at once for none), once the statement has completed;
     *     errors with {@link io.relata.StatementException} or {@link io.relata.ConnectionException}
     * @throws NullPointerException when {@code source}, {@code targets}, one of its elements or {@code query} is
     *     null, or the query function returns null
     * @throws io.relata.QueryDefinitionException for a bad source or target, or a query with anything else
     * @see io.relata.reactor the reactive contract
     */
    public Mono<Boolean> has(S source, Collection<?> targets, UnaryOperator<Query<T>> query) {
        Args.elements(targets, "targets");
        Objects.requireNonNull(query, "query");
        Object key = Objects.requireNonNull(Associations.sourceValue(association, source));
        Object[] keys = Associations.targetValues(association, targets);
        Query<T> q = Objects.requireNonNull(query.apply(Query.from(association.target())), "query returned null");
        if (q.where() != null || !q.includes().isEmpty() || q.limit().isPresent() || q.offset().isPresent()
                || q.throughWhere() != null || q.selectedThroughAttributes() != null
                || (!q.throughParanoid() && !junction())) {
            throw new QueryDefinitionException("has of " + association.source().name() + "." + association.as()
                    + " takes paranoid" + (junction() ? " and throughParanoid" : "") + " only");
        }
        if (keys.length == 0) {
            return Mono.just(true);
        }
        SqlStatement s = Associations.countLinked(association, key, keys, q.paranoid(), q.throughParanoid());
        return single(s).map(n -> n == keys.length);
    }

    private Mono<Long> single(SqlStatement s) {
        return db.executor().read(c -> Executor.<Long>rows(c, s, row -> row.get(0, Long.class))).single();
    }

    /**
     * @param source the source entity
     * @param target an entity or key
     * @return emits nothing; completes when linked (idempotent); errors with {@link io.relata.StatementException} or {@link io.relata.ConnectionException}
     * @throws NullPointerException when {@code source} or {@code target} is null
     * @throws io.relata.QueryDefinitionException for an unsaved source or target, or one of another model
     * @see io.relata.reactor the reactive contract
     */
    public Mono<Void> add(S source, Object target) {
        return add(source, List.of(Objects.requireNonNull(target, "target")), Map.of());
    }

    /**
     * @param source the source entity
     * @param targets entities or keys
     * @return emits nothing; completes when linked (idempotent; at once for none); errors with {@link io.relata.StatementException} or {@link io.relata.ConnectionException}
     * @throws NullPointerException when {@code source}, {@code targets} or one of its elements is null
     * @throws io.relata.QueryDefinitionException for an unsaved source or target, or one of another model
     * @see io.relata.reactor the reactive contract
     */
    public Mono<Void> add(S source, Collection<?> targets) {
        return add(source, targets, Map.of());
    }

    /**
     * @param source the source entity
     * @param targets entities or keys
     * @param through junction attribute values for the new links (belongsToMany); existing links get them too
     * @return emits nothing; completes when linked: one statement whatever the number of targets (none for no
     *     targets); errors with {@link io.relata.StatementException} or {@link io.relata.ConnectionException}
     * @throws NullPointerException when {@code source}, {@code targets}, one of its elements or {@code through}
     *     is null
     * @throws io.relata.QueryDefinitionException for an unsaved source or target, one of another model, through
     *     values on a hasMany, a through value that is a key or cannot be stored
     * @see io.relata.reactor the reactive contract
     */
    public Mono<Void> add(S source, Collection<?> targets, Map<String, ?> through) {
        Args.elements(targets, "targets");
        Objects.requireNonNull(through, "through");
        Object key = Objects.requireNonNull(Associations.sourceValue(association, source));
        Object[] keys = Associations.targetValues(association, targets);
        requireNoThrough(through);
        ValidationException invalid = invalidThrough(through);
        if (invalid != null) {
            return Mono.error(invalid);
        }
        if (keys.length == 0) {
            return Mono.empty();
        }
        SqlStatement s = junction() ? Associations.addJunction(association, key, keys, through)
                : Associations.link(association, key, keys);
        return db.executor().withConnection(c -> Executor.update(c, s)).then();
    }

    /**
     * {@link #remove(Object, Collection)} of one target.
     *
     * @param source the source entity
     * @param target an entity or key
     * @return emits nothing; completes when unlinked; errors with {@link io.relata.StatementException} or {@link io.relata.ConnectionException}
     * @throws NullPointerException when {@code source} or {@code target} is null
     * @throws io.relata.QueryDefinitionException as {@link #remove(Object, Collection)}
     * @see io.relata.reactor the reactive contract
     */
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
     * @return emits nothing; completes when unlinked: one statement (none for no targets); errors with
     *     {@link io.relata.StatementException} or {@link io.relata.ConnectionException}
     * @throws NullPointerException when {@code source}, {@code targets} or one of its elements is null
     * @throws io.relata.QueryDefinitionException for an unsaved source or target, or one of another model
     * @see io.relata.reactor the reactive contract
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
     * @return emits nothing; completes when unlinked: one statement; errors with {@link io.relata.StatementException} or {@link io.relata.ConnectionException}
     * @throws NullPointerException when {@code source}, {@code targets}, one of its elements or {@code unlinked}
     *     is null
     * @throws io.relata.QueryDefinitionException as {@link #remove(Object, Collection)}, and for {@code DESTROY}
     *     on a belongsToMany
     * @see io.relata.reactor the reactive contract
     */
    public Mono<Void> remove(S source, Collection<?> targets, Unlink unlinked) {
        Args.elements(targets, "targets");
        boolean destroy = destroy(Objects.requireNonNull(unlinked, "unlinked"));
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
        if (unlinked == Unlink.DESTROY && junction()) {
            throw new QueryDefinitionException(association.source().name() + "." + association.as()
                    + " is a belongsToMany: unlinking deletes junction rows, never targets; Unlink.DESTROY applies to"
                    + " hasOne and hasMany");
        }
        return unlinked == Unlink.DESTROY;
    }

    /**
     * Replaces the linked set, as {@link #set(Object, Collection, Map)} without through values.
     *
     * @param source the source entity
     * @param targets entities or keys (empty unlinks all)
     * @return emits nothing; completes when replaced, as {@link #set(Object, Collection, Map)}
     * @throws NullPointerException when {@code source}, {@code targets} or one of its elements is null
     * @throws io.relata.QueryDefinitionException for an unsaved source or target, or one of another model
     * @see io.relata.reactor the reactive contract
     */
    public Mono<Void> set(S source, Collection<?> targets) {
        return set(source, targets, Map.of(), Unlink.DEFAULT);
    }

    /**
     * {@link #set(Object, Collection)} choosing what happens to hasMany targets that are no longer linked.
     *
     * @param source the source entity
     * @param targets entities or keys (empty unlinks all)
     * @param previous {@link Unlink#DESTROY} deletes them (Sequelize's {@code destroyPrevious}); hasMany only
     * @return emits nothing; completes when replaced, as {@link #set(Object, Collection, Map)}
     * @throws NullPointerException when {@code source}, {@code targets}, one of its elements or {@code previous}
     *     is null
     * @throws io.relata.QueryDefinitionException as {@link #set(Object, Collection)}, and for {@code DESTROY} on a
     *     belongsToMany
     * @see io.relata.reactor the reactive contract
     */
    public Mono<Void> set(S source, Collection<?> targets, Unlink previous) {
        Objects.requireNonNull(previous, "previous");
        return set(source, targets, Map.of(), previous);
    }

    /**
     * Replaces the linked set: unlinks what is not listed, links what is new, in one transaction (a
     * failure leaves the links as they were).
     *
     * @param source the source entity
     * @param targets entities or keys
     * @param through junction values for new links (belongsToMany)
     * @return emits nothing; completes after the COMMIT of the unlink and the link (the unlink alone, without a
     *     transaction, for no targets); errors with {@link io.relata.StatementException} or {@link io.relata.ConnectionException}, the links as they were;
     *     cancelling rolls back
     * @throws NullPointerException when {@code source}, {@code targets}, one of its elements or {@code through}
     *     is null
     * @throws io.relata.QueryDefinitionException for an unsaved source or target, one of another model, or bad
     *     through values (as {@link #add(Object, Collection, Map)})
     * @see io.relata.reactor the reactive contract
     */
    public Mono<Void> set(S source, Collection<?> targets, Map<String, ?> through) {
        return set(source, targets, through, Unlink.DEFAULT);
    }

    private Mono<Void> set(S source, Collection<?> targets, Map<String, ?> through, Unlink previous) {
        Args.elements(targets, "targets");
        Objects.requireNonNull(through, "through");
        boolean destroy = destroy(previous);
        Object key = Objects.requireNonNull(Associations.sourceValue(association, source));
        Object[] keys = Associations.targetValues(association, targets);
        requireNoThrough(through);
        ValidationException invalid = invalidThrough(through);
        if (invalid != null) {
            return Mono.error(invalid);
        }
        SqlStatement unlink = junction() ? Associations.removeJunction(association, key, keys, true)
                : Associations.unlink(association, key, keys, true, destroy);
        if (keys.length == 0) {
            return db.executor().withConnection(c -> Executor.update(c, unlink)).then();
        }
        SqlStatement link = junction() ? Associations.addJunction(association, key, keys, through)
                : Associations.link(association, key, keys);
        return db.executor().inTransaction(c -> Executor.update(c, unlink).then(Executor.update(c, link))).then();
    }

    /**
     * {@link #create(Object, Object, Map)} without through values.
     *
     * @param source the source entity
     * @param target a new target
     * @return the created target as stored, linked; emitted and signalled as {@link #create(Object, Object, Map)}
     * @throws NullPointerException when {@code source} or {@code target} is null
     * @throws io.relata.QueryDefinitionException as {@link #create(Object, Object, Map)}
     * @see io.relata.reactor the reactive contract
     */
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
     * @return the created target as stored, once the insert (belongsToMany: and the junction row, after their
     *     COMMIT, rolled back on error and cancel) has completed; errors with {@link io.relata.StatementException} or {@link io.relata.ConnectionException}
     * @throws NullPointerException when {@code source}, {@code target} or {@code through} is null
     * @throws io.relata.QueryDefinitionException for an unsaved source, one of another model, a target outside the
     *     association's scope, through values on a hasMany, or a value or through value that does not fit its
     *     column or cannot be stored (all checked before the target is inserted)
     * @see io.relata.reactor the reactive contract
     */
    public Mono<T> create(S source, T target, Map<String, ?> through) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(through, "through");
        Object key = Objects.requireNonNull(Associations.sourceValue(association, source));
        requireNoThrough(through);
        Associations.requireInScope(association, target);
        ValidationException invalid = invalidThrough(through);
        if (invalid == null) {
            invalid = Writes.invalid(association.target(), List.of(target));
        }
        if (invalid != null) {
            return Mono.error(invalid);
        }
        Map<String, Object> scope = Associations.writableScope(association);
        if (!junction()) {
            Map<String, Object> fixed = new LinkedHashMap<>(scope);
            fixed.putAll(Associations.foreignKeyValues(association, key));
            SelectPlan<T> insert = Statements.insert(association.target(), List.of(target), fixed).get(0);
            return db.executor().withConnection(c -> Streams.rows(c, insert)).single();
        }
        SelectPlan<T> insert = Statements.insert(association.target(), List.of(target), scope).get(0);
        // planned now, for no target, so that bad through values fail before the target is inserted
        Associations.addJunction(association, key, new Object[0], through);
        return db.executor().inTransaction(c -> Streams.rows(c, insert).single().flatMap(created -> {
            Object[] keys = Associations.targetValues(association, List.of(created));
            return Executor.update(c, Associations.addJunction(association, key, keys, through))
                    .thenReturn(created);
        })).single();
    }

    /** The junction's validators over through values (belongsToMany), before any SQL. */
    private @Nullable ValidationException invalidThrough(Map<String, ?> through) {
        Model<?> junction = association.through();
        if (through.isEmpty() || junction == null) {
            return null;
        }
        try {
            Validation.checkValues(junction, through);
            return null;
        } catch (ValidationException e) {
            return e;
        }
    }

    private void requireNoThrough(Map<String, ?> through) {
        Objects.requireNonNull(through, "through");
        if (!through.isEmpty() && !junction()) {
            throw new QueryDefinitionException("through values apply to belongsToMany; "
                    + association.source().name() + "." + association.as() + " is " + association.kind());
        }
    }
}
