package io.relata.reactor;

import io.relata.Association;
import io.relata.QueryDefinitionException;
import io.relata.ValidationException;
import io.relata.plan.Associations;
import io.relata.plan.Statements;
import io.relata.query.Query;
import io.relata.sql.LoadPlan;
import io.relata.sql.SelectPlan;
import io.relata.sql.SqlStatement;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Operations of a hasOne or belongsTo association (Sequelize's {@code getBar}, {@code setBar},
 * {@code createBar}). Every method checks its arguments when called and returns a cold publisher:
 * nothing runs until it is subscribed, and it runs again on every subscription. Multi-statement
 * operations run in a transaction (joining the surrounding one). Every method follows the
 * {@linkplain io.relata.reactor reactive contract} (call-time checks, errors signalled, cancellation); each states what it emits and what differs.
 *
 * @param <S> the source entity
 * @param <T> the target entity
 */
public final class ToOneOperations<S, T> {
    private final Database db;
    private final Association<S, T> association;

    ToOneOperations(Database db, Association<S, T> association) {
        this.db = db;
        this.association = db.check(Objects.requireNonNull(association, "association"));
    }

    /** @return the association */
    public Association<S, T> association() {
        return association;
    }

    /**
     * Lazy load of what the database holds now (for belongsTo, through the source's stored foreign key,
     * so a source entity read before a {@code set} still sees the new target). Loads issued together
     * (e.g. inside one {@code flatMap}) are batched into one statement.
     *
     * @param source the source entity
     * @return the target, or completes empty when none is linked (or it is soft-deleted: a paranoid target; see
     *     {@link #get(Object, UnaryOperator)} with {@code q -> q.paranoid(false)}); errors with the batch
     *     statement's {@link io.relata.StatementException} or {@link io.relata.ConnectionException}; cancelling
     *     leaves the other loads of the batch running
     * @throws NullPointerException when {@code source} is null
     * @throws io.relata.QueryDefinitionException for a source of another model or an unsaved one
     * @see io.relata.reactor the reactive contract
     */
    public Mono<T> get(S source) {
        Object key = Associations.loadValue(association, source);
        LoadPlan<T> plan = db.loadPlan(association);
        return db.loader().load(plan, key).next();
    }

    /**
     * Links the source to a target (or unlinks with null). hasOne: the previously linked target is
     * unlinked ({@link Unlink#DEFAULT}: its foreign key set to NULL, or the target deleted when the
     * foreign key is NOT NULL) and the new target's foreign key (and scope) set to the source, in one
     * transaction; setting the target already linked changes nothing. belongsTo: the source's foreign
     * key is written.
     *
     * @param source the source entity
     * @param target a target entity, its key, or null to unlink
     * @return emits nothing; completes after the statement (hasOne linking a new target: after the COMMIT of the
     *     unlink and the link, one transaction rolled back on
     *     error or cancel); errors with {@link io.relata.StatementException} or {@link io.relata.ConnectionException}
     * @throws NullPointerException when {@code source} is null
     * @throws io.relata.QueryDefinitionException for an unsaved source or target, one of another model, or
     *     null for a belongsTo whose foreign key is NOT NULL
     * @see io.relata.reactor the reactive contract
     */
    public Mono<Void> set(S source, @Nullable Object target) {
        return set(source, target, Unlink.DEFAULT);
    }

    /**
     * {@link #set(Object, Object)} choosing what happens to the previous target of a hasOne.
     *
     * @param source the source entity
     * @param target a target entity, its key, or null to unlink
     * @param previous {@link Unlink#DESTROY} deletes the previous target (Sequelize's {@code destroyPrevious})
     * @return emits nothing; completes as {@link #set(Object, Object)}
     * @throws NullPointerException when {@code source} or {@code previous} is null
     * @throws io.relata.QueryDefinitionException as {@link #set(Object, Object)}, and for {@code DESTROY} on a belongsTo
     * @see io.relata.reactor the reactive contract
     */
    public Mono<Void> set(S source, @Nullable Object target, Unlink previous) {
        Objects.requireNonNull(previous, "previous");
        Object sourceValue = Associations.sourceValue(association, source);
        Object targetKey = target == null ? null : Associations.targetValue(association, target);
        if (association.kind() == Association.Kind.BELONGS_TO) {
            if (previous == Unlink.DESTROY) {
                throw new QueryDefinitionException(association.source().name() + "." + association.as()
                        + " is a belongsTo: the foreign key is on the source, so there is no previous target to destroy");
            }
            SqlStatement s = Associations.setForeignKey(association, source, targetKey);
            return db.executor().withConnection(c -> Executor.update(c, s)).then();
        }
        Object sv = Objects.requireNonNull(sourceValue);
        boolean destroy = previous == Unlink.DESTROY;
        if (targetKey == null) {
            SqlStatement unlink = Associations.unlink(association, sv, null, false, destroy);
            return db.executor().withConnection(c -> Executor.update(c, unlink)).then();
        }
        Object[] keys = Associations.targetValues(association, List.of(targetKey));
        // every other linked target is unlinked; the new one is left alone, so setting it again is a no-op
        SqlStatement unlink = Associations.unlink(association, sv, keys, true, destroy);
        SqlStatement link = Associations.link(association, sv, keys);
        return db.executor().inTransaction(c -> Executor.update(c, unlink).then(Executor.update(c, link))).then();
    }

    /**
     * Creates a target and links it: hasOne inserts it with the foreign key (after unlinking the previous
     * one); belongsTo inserts it and points the source's foreign key at it.
     *
     * @param source the source entity
     * @param target the new target (unsaved)
     * @return the created target as stored, after the COMMIT of the insert and the link (one transaction,
     *     rolled back on error and cancel); errors with {@link io.relata.StatementException} or
     *     {@link io.relata.ConnectionException}
     * @throws NullPointerException when {@code source} or {@code target} is null
     * @throws io.relata.QueryDefinitionException for an unsaved source, one of another model, a target outside
     *     the association's scope, or a value that does not fit its column or cannot be stored
     * @see io.relata.reactor the reactive contract
     */
    public Mono<T> create(S source, T target) {
        Objects.requireNonNull(target, "target");
        Object sourceValue = Associations.sourceValue(association, source);
        ValidationException invalid = Writes.invalid(association.target(), List.of(target));
        if (invalid != null) {
            return Mono.error(invalid);
        }
        if (association.kind() == Association.Kind.BELONGS_TO) {
            SelectPlan<T> insert = Statements.insert(association.target(), List.of(target)).get(0);
            return db.executor().inTransaction(c -> Streams.rows(c, insert).single().flatMap(created -> {
                Object key = Associations.targetValue(association, created);
                SqlStatement s = Associations.setForeignKey(association, source, key);
                return Executor.update(c, s).thenReturn(created);
            })).single();
        }
        Object sv = Objects.requireNonNull(sourceValue);
        Associations.requireInScope(association, target);
        Map<String, Object> fixed = new LinkedHashMap<>(Associations.writableScope(association));
        fixed.putAll(Associations.foreignKeyValues(association, sv));
        SelectPlan<T> insert = Statements.insert(association.target(), List.of(target), fixed).get(0);
        SqlStatement unlink = Associations.unlink(association, sv, null, false, false);
        return db.executor().inTransaction(c -> Executor.update(c, unlink).thenMany(Streams.rows(c, insert))).single();
    }

    /**
     * @param source the source entity
     * @param query a query over the target (where, attributes, includes); not batched with other loads
     * @return the target, or completes empty; errors with {@link io.relata.StatementException} or
     *     {@link io.relata.ConnectionException}
     * @throws NullPointerException when {@code source} or {@code query} is null, or the query function returns
     *     null ({@code "query returned null"})
     * @throws io.relata.QueryDefinitionException for a bad source or a query that cannot be planned
     * @see io.relata.reactor the reactive contract
     */
    public Mono<T> get(S source, UnaryOperator<Query<T>> query) {
        Objects.requireNonNull(query, "query");
        Object key = Associations.loadValue(association, source);
        LoadPlan<T> plan = Statements.load(association,
                Objects.requireNonNull(query.apply(Query.from(association.target())), "query returned null"));
        return db.loader().load(plan, key).next();
    }

    /**
     * The targets of several sources in one statement (Sequelize's {@code association.get([a, b])}); for
     * belongsTo through each source's stored foreign key.
     *
     * @param sources source entities (saved)
     * @return each source that has a target, with it, in the order of {@code sources} (sources without a
     *     target are absent); emitted when the statement has completed, at once for no sources; errors
     *     with {@link io.relata.StatementException} or {@link io.relata.ConnectionException}
     * @throws NullPointerException when {@code sources} or one of its elements is null
     * @throws io.relata.QueryDefinitionException for a source of another model or an unsaved one
     * @see io.relata.reactor the reactive contract
     */
    public Mono<Map<S, T>> get(Collection<? extends S> sources) {
        Args.elements(sources, "sources");
        return first(db.loader().fetchAll(db.loadPlan(association), sources, this::loadKey));
    }

    /**
     * @param sources source entities (saved)
     * @param query a query over the target (where, attributes, includes)
     * @return each source that has a matching target, with it, in the order of {@code sources}; emitted and
     *     signalled as {@link #get(Collection)}
     * @throws NullPointerException when {@code sources}, one of its elements or {@code query} is null, or the
     *     query function returns null
     * @throws io.relata.QueryDefinitionException for a bad source or a query that cannot be planned
     * @see io.relata.reactor the reactive contract
     */
    public Mono<Map<S, T>> get(Collection<? extends S> sources, UnaryOperator<Query<T>> query) {
        Args.elements(sources, "sources");
        Objects.requireNonNull(query, "query");
        LoadPlan<T> plan = Statements.load(association,
                Objects.requireNonNull(query.apply(Query.from(association.target())), "query returned null"));
        return first(db.loader().fetchAll(plan, sources, this::loadKey));
    }

    private Object loadKey(S source) {
        return Associations.loadValue(association, source);
    }

    private static <S, T> Mono<Map<S, T>> first(Mono<Map<S, List<T>>> all) {
        return all.map(bySource -> {
            Map<S, T> out = new LinkedHashMap<>();
            bySource.forEach((s, targets) -> {
                if (!targets.isEmpty()) {
                    out.put(s, targets.get(0));
                }
            });
            return Collections.unmodifiableMap(out);
        });
    }
}
