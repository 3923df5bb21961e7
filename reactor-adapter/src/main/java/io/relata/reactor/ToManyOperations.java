package io.relata.reactor;

import io.relata.Association;
import io.relata.internal.AssociationPlanner;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.sql.LoadPlan;
import io.relata.sql.SelectPlan;
import io.relata.sql.SqlStatement;
import io.relata.sql.Statements;
import java.util.Collection;
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
     * Lazy load of all linked targets (scope applied). Loads issued together are batched into one
     * {@code = ANY($1)} statement.
     *
     * @param source the source entity
     * @return the targets, ordered by key
     */
    public Flux<T> get(S source) {
        Object key = Objects.requireNonNull(AssociationPlanner.sourceValue(association, source));
        return db.loader().load(db.loadPlan(association), key);
    }

    /**
     * @param source the source entity
     * @param query refines the target query: where, orderBy, limit, offset, attributes, include
     * @return the matching linked targets
     */
    public Flux<T> get(S source, UnaryOperator<Query<T>> query) {
        Object key = Objects.requireNonNull(AssociationPlanner.sourceValue(association, source));
        LoadPlan<T> plan = Statements.load(association, query.apply(Query.from(association.target())));
        return db.loader().load(plan, key);
    }

    /** @param source the source entity @return the number of linked targets */
    public Mono<Long> count(S source) {
        return count(source, null);
    }

    /** @param source the source entity @param where a filter on targets, or null @return the number of linked targets matching it */
    public Mono<Long> count(S source, @Nullable Where where) {
        Object key = Objects.requireNonNull(AssociationPlanner.sourceValue(association, source));
        SqlStatement s = AssociationPlanner.count(association, key, where);
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
        Object key = Objects.requireNonNull(AssociationPlanner.sourceValue(association, source));
        Object[] keys = AssociationPlanner.targetValues(association, targets);
        if (keys.length == 0) {
            return Mono.just(true);
        }
        SqlStatement s = AssociationPlanner.countLinked(association, key, keys);
        return single(s).map(n -> n == keys.length);
    }

    private Mono<Long> single(SqlStatement s) {
        return db.executor().withConnection(c -> Executor.<Long>rows(c, s, row -> row.get(0, Long.class))).single();
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
        Object key = Objects.requireNonNull(AssociationPlanner.sourceValue(association, source));
        Object[] keys = AssociationPlanner.targetValues(association, targets);
        requireNoThrough(through);
        if (keys.length == 0) {
            return Mono.empty();
        }
        SqlStatement s = junction() ? AssociationPlanner.addJunction(association, key, keys, through)
                : AssociationPlanner.link(association, key, keys);
        return db.executor().withConnection(c -> Executor.update(c, s)).then();
    }

    /** @param source the source entity @param target an entity or key @return completes when unlinked */
    public Mono<Void> remove(S source, Object target) {
        return remove(source, List.of(Objects.requireNonNull(target, "target")));
    }

    /**
     * hasMany sets the targets' foreign key to NULL; belongsToMany deletes the junction rows.
     *
     * @param source the source entity
     * @param targets entities or keys
     * @return completes when unlinked: one statement
     */
    public Mono<Void> remove(S source, Collection<?> targets) {
        Object key = Objects.requireNonNull(AssociationPlanner.sourceValue(association, source));
        Object[] keys = AssociationPlanner.targetValues(association, targets);
        if (keys.length == 0) {
            return Mono.empty();
        }
        SqlStatement s = junction() ? AssociationPlanner.removeJunction(association, key, keys, false)
                : AssociationPlanner.unlink(association, key, keys, false);
        return db.executor().withConnection(c -> Executor.update(c, s)).then();
    }

    /** @param source the source entity @param targets entities or keys (empty unlinks all) @return completes when replaced */
    public Mono<Void> set(S source, Collection<?> targets) {
        return set(source, targets, Map.of());
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
        Object key = Objects.requireNonNull(AssociationPlanner.sourceValue(association, source));
        Object[] keys = AssociationPlanner.targetValues(association, targets);
        requireNoThrough(through);
        SqlStatement unlink = junction() ? AssociationPlanner.removeJunction(association, key, keys, true)
                : AssociationPlanner.unlink(association, key, keys, true);
        if (keys.length == 0) {
            return db.executor().withConnection(c -> Executor.update(c, unlink)).then();
        }
        SqlStatement link = junction() ? AssociationPlanner.addJunction(association, key, keys, through)
                : AssociationPlanner.link(association, key, keys);
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
        Object key = Objects.requireNonNull(AssociationPlanner.sourceValue(association, source));
        requireNoThrough(through);
        if (!junction()) {
            Map<String, Object> fixed = new java.util.LinkedHashMap<>(association.scope());
            fixed.put(association.foreignKey().name(), key);
            SelectPlan<T> insert = Statements.insert(association.target(), List.of(target), fixed).get(0);
            return db.executor().withConnection(c -> Streams.rows(c, insert)).single();
        }
        SelectPlan<T> insert = Statements.insert(association.target(), List.of(target), association.scope()).get(0);
        return db.executor().inTransaction(c -> Streams.rows(c, insert).single().flatMap(created -> {
            Object[] keys = AssociationPlanner.targetValues(association, List.of(created));
            return Executor.update(c, AssociationPlanner.addJunction(association, key, keys, through))
                    .thenReturn(created);
        })).single();
    }

    private void requireNoThrough(Map<String, ?> through) {
        Objects.requireNonNull(through, "through");
        if (!through.isEmpty() && !junction()) {
            throw new io.relata.QueryDefinitionException("through values apply to belongsToMany; "
                    + association.source().name() + "." + association.as() + " is " + association.kind());
        }
    }
}
