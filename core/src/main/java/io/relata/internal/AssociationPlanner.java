package io.relata.internal;

import io.relata.Association;
import io.relata.Attribute;
import io.relata.Model;
import io.relata.QueryDefinitionException;
import io.relata.internal.sql.Condition.Op;
import io.relata.internal.sql.Condition;
import io.relata.internal.sql.Expr;
import io.relata.internal.sql.FromItem;
import io.relata.internal.sql.Renderer;
import io.relata.internal.sql.Statement.Assignment;
import io.relata.internal.sql.Statement.Select;
import io.relata.internal.sql.Statement.SelectItem;
import io.relata.internal.sql.Statement;
import io.relata.query.Where;
import io.relata.sql.SqlStatement;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Plans the statements of association operations (Sequelize's mixins). Every write is a set
 * operation: one statement for any number of targets ({@code = ANY($n)}, {@code unnest($n)}), with
 * SQL text that does not depend on how many. Keys are extracted and checked here, before any SQL.
 */
public final class AssociationPlanner {
    private AssociationPlanner() {
    }

    // ---- keys ----

    /**
     * @param a an association
     * @param source a source entity
     * @return the source's value of the association's source-side column (its key; belongsTo: its foreign key)
     * @throws QueryDefinitionException when the source is of another model, has no such property, or (for a key) is unsaved
     */
    public static @Nullable Object sourceValue(Association<?, ?> a, Object source) {
        Objects.requireNonNull(source, "source");
        Model<?> model = a.source();
        if (!model.entityType().isInstance(source)) {
            throw new QueryDefinitionException(a.source().name() + "." + a.as() + " takes a " + model.name()
                    + " as source, got " + source.getClass().getSimpleName());
        }
        Attribute key = a.sourceKey();
        if (!key.mapped() && a.kind() == Association.Kind.BELONGS_TO) {
            // Sequelize adds the foreign key to the model itself: an entity without it is fine, every
            // belongsTo operation reaches the stored key through the source's primary key
            return null;
        }
        if (!key.mapped()) {
            throw new QueryDefinitionException(model.name() + "." + a.as() + ": the entity "
                    + model.entityType().getSimpleName() + " has no property '" + key.name()
                    + "', so its value cannot be read; add a component of that name");
        }
        @SuppressWarnings("unchecked")
        Object value = model.valueOf(source, key.property());
        if (value == null && a.kind() != Association.Kind.BELONGS_TO) {
            throw new QueryDefinitionException(model.name() + "." + a.as() + ": the source " + model.name()
                    + " has no " + key.name() + " (is it saved?); create it first");
        }
        return value == null ? null : Values.toWire(key, value);
    }

    /**
     * @param a an association
     * @param source a source entity
     * @return the value that keys its lazy load ({@link SelectPlanner#loadKey}): the source key, or for
     *     belongsTo the source's primary key
     * @throws QueryDefinitionException for a source of another model or an unsaved one
     */
    public static Object loadValue(Association<?, ?> a, Object source) {
        if (a.kind() != Association.Kind.BELONGS_TO) {
            return Objects.requireNonNull(sourceValue(a, source));
        }
        sourceValue(a, source);
        Attribute pk = a.source().primaryKey();
        @SuppressWarnings("unchecked")
        Object id = pk.mapped() ? a.source().valueOf(source, pk.property()) : null;
        if (id == null) {
            throw new QueryDefinitionException(a.source().name() + "." + a.as() + ": the source " + a.source().name()
                    + " has no " + pk.name() + " (is it saved?); create it first");
        }
        return Objects.requireNonNull(Values.toWire(pk, id));
    }

    /** @return the target attribute that identifies a target in writes (pk for hasOne/hasMany, else the target key) */
    public static Attribute targetIdentity(Association<?, ?> a) {
        return KindRules.of(a).targetIdentity(a);
    }

    /**
     * @param a an association
     * @param target a target entity, or a key value of it
     * @return the key value
     * @throws QueryDefinitionException for an unsaved entity, an entity of another model, or a key of the wrong type
     */
    public static Object targetValue(Association<?, ?> a, Object target) {
        Objects.requireNonNull(target, "target");
        Attribute id = targetIdentity(a);
        Model<?> model = a.target();
        if (model.entityType().isInstance(target)) {
            if (!id.mapped()) {
                throw new QueryDefinitionException(a.source().name() + "." + a.as() + ": " + model.name()
                        + " has no property '" + id.name() + "'; pass the key instead of the entity");
            }
            @SuppressWarnings("unchecked")
            Object value = model.valueOf(target, id.property());
            if (value == null) {
                throw new QueryDefinitionException(a.source().name() + "." + a.as() + ": the " + model.name()
                        + " " + target + " has no " + id.name() + " (is it saved?); create it first");
            }
            return Objects.requireNonNull(Values.toWire(id, value));
        }
        Class<?> keyType = Values.box(id.javaType());
        boolean numeric = target instanceof Number && Number.class.isAssignableFrom(id.type().javaType());
        if (!keyType.isInstance(target) && !id.type().javaType().isInstance(target) && !numeric) {
            throw new QueryDefinitionException(a.source().name() + "." + a.as() + " expects a " + model.name()
                    + " or a " + keyType.getSimpleName() + " key (" + id.name() + "), got "
                    + target.getClass().getSimpleName() + ": " + target);
        }
        try {
            return Objects.requireNonNull(Values.toWire(id, target));
        } catch (QueryDefinitionException e) {
            throw new QueryDefinitionException(a.source().name() + "." + a.as() + " expects a " + model.name()
                    + " or a " + keyType.getSimpleName() + " key (" + id.name() + "), got "
                    + target.getClass().getSimpleName() + ": " + target + " (" + e.getMessage() + ")");
        }
    }

    /**
     * @param a an association
     * @param targets entities or keys
     * @return the distinct key values (by value: {@link Keys#canonical}), each of the target identity
     *     column's wire type, in order of first occurrence, as an array of that type
     */
    public static Object[] targetValues(Association<?, ?> a, Collection<?> targets) {
        List<Object> keys = new ArrayList<>();
        for (Object t : Objects.requireNonNull(targets, "targets")) {
            keys.add(targetValue(a, t));
        }
        Attribute id = targetIdentity(a);
        List<Object> distinct = Keys.values(id, keys, false);
        return distinct.toArray((Object[]) Array.newInstance(Values.bindType(id), distinct.size()));
    }

    // ---- hasOne / hasMany: the foreign key lives on the target ----

    /**
     * {@code UPDATE target SET fk = $1 (+ single-valued scope) WHERE pk = ANY($2) (+ list-valued scope)}:
     * links targets to the source. A list-valued scope is not written, so only targets it already sees are
     * linked.
     */
    public static SqlStatement link(Association<?, ?> a, Object sourceValue, Object[] targetKeys) {
        Model<?> t = foreignKeyOnTarget(a);
        List<Assignment> set = new ArrayList<>();
        set.add(new Assignment(a.foreignKey().column(), Exprs.value(a.foreignKey(), sourceValue)));
        Map<String, Object> written = Scopes.writable(a.scope());
        for (Map.Entry<String, Object> e : written.entrySet()) {
            Attribute attr = t.requireAttribute(e.getKey());
            set.add(new Assignment(attr.column(), Exprs.value(attr, e.getValue())));
        }
        WritePlanner.touch(t, set);
        List<Condition> where = new ArrayList<>();
        where.add(new Condition.AnyOf(Exprs.col(null, t.primaryKey()), Exprs.array(t.primaryKey(), Arrays.asList(targetKeys),
                null), false));
        Conditions.scope(null, t, readOnly(a.scope(), written), where);
        return Renderer.render(new Statement.Update(t.tableName(), null, set, Conditions.and(where), List.of()));
    }

    /**
     * Unlinks targets from the source, confined to the rows the association sees (its scope):
     * {@code UPDATE target SET fk = NULL WHERE fk = $1 [AND pk = ANY($2) | AND pk <> ALL($2)] (+ scope)},
     * or, when the foreign key is NOT NULL or {@code destroy} is asked for (Sequelize's {@code destroy} /
     * {@code destroyPrevious}), {@code DELETE FROM target WHERE ...} with the same condition.
     *
     * @param keys null: every linked target; else the listed ones (or all but them when {@code except})
     * @param destroy delete the unlinked targets even when the foreign key is nullable
     */
    public static SqlStatement unlink(Association<?, ?> a, Object sourceValue, Object @Nullable [] keys, boolean except,
            boolean destroy) {
        Model<?> t = foreignKeyOnTarget(a);
        List<Condition> where = new ArrayList<>();
        where.add(new Condition.Compare(Exprs.col(null, a.foreignKey()), Op.EQ, Exprs.value(a.foreignKey(), sourceValue)));
        if (keys != null) {
            where.add(new Condition.AnyOf(Exprs.col(null, t.primaryKey()), Exprs.array(t.primaryKey(), Arrays.asList(keys),
                    null), except));
        }
        Conditions.scope(null, t, a.scope(), where);
        if (destroy || a.foreignKey().notNull()) {
            return Renderer.render(new Statement.Delete(t.tableName(), null, Conditions.and(where), List.of()));
        }
        List<Assignment> set = new ArrayList<>();
        set.add(new Assignment(a.foreignKey().column(), new Expr.Null()));
        WritePlanner.touch(t, set);
        return Renderer.render(new Statement.Update(t.tableName(), null, set, Conditions.and(where), List.of()));
    }

    /** {@link #unlink(Association, Object, Object[], boolean, boolean)} without {@code destroy}. */
    public static SqlStatement unlink(Association<?, ?> a, Object sourceValue, Object @Nullable [] keys, boolean except) {
        return unlink(a, sourceValue, keys, except, false);
    }

    private static Model<?> foreignKeyOnTarget(Association<?, ?> a) {
        if (!(KindRules.of(a) instanceof KindRules.ForeignKeyOnTarget)) {
            throw new IllegalArgumentException(a.source().name() + "." + a.as() + " is " + a.kind()
                    + "; linking by the target's foreign key applies to hasOne and hasMany");
        }
        return a.target();
    }

    /**
     * @param a an association
     * @param target a target entity about to be created through it
     * @throws QueryDefinitionException when a list-valued scope of the association would not see it
     */
    @SuppressWarnings("unchecked")
    public static void requireInScope(Association<?, ?> a, Object target) {
        Model<Object> t = (Model<Object>) a.target();
        Map<String, Object> values = new HashMap<>();
        for (String name : a.scope().keySet()) {
            Attribute attr = t.requireAttribute(name);
            if (attr.mapped()) {
                values.put(name, t.valueOf(target, attr.property()));
            }
        }
        Scopes.requireSeen(a.source().name() + "." + a.as(), t, a.scope(), values);
    }

    private static Map<String, Object> readOnly(Map<String, Object> scope, Map<String, Object> written) {
        Map<String, Object> rest = new LinkedHashMap<>(scope);
        written.keySet().forEach(rest::remove);
        return rest;
    }

    // ---- belongsTo: the foreign key lives on the source ----

    /** {@code UPDATE source SET fk = $1 WHERE pk = $2}. */
    public static SqlStatement setForeignKey(Association<?, ?> a, Object source, @Nullable Object targetKey) {
        if (!(KindRules.of(a) instanceof KindRules.ForeignKeyOnSource)) {
            throw new IllegalArgumentException(a.source().name() + "." + a.as() + " is " + a.kind()
                    + "; setting the source's foreign key applies to belongsTo");
        }
        Model<?> s = a.source();
        if (!s.entityType().isInstance(source)) {
            throw new QueryDefinitionException(s.name() + "." + a.as() + " takes a " + s.name() + " as source, got "
                    + source.getClass().getSimpleName());
        }
        if (targetKey == null && a.foreignKey().notNull()) {
            throw new QueryDefinitionException(s.name() + "." + a.as() + ": the foreign key " + a.foreignKey().name()
                    + " is NOT NULL, so the " + s.name() + " cannot be unlinked; set another target or destroy it");
        }
        Attribute pk = s.primaryKey();
        if (!pk.mapped()) {
            throw new QueryDefinitionException(s.name() + " has no property '" + pk.name() + "' to identify the source");
        }
        @SuppressWarnings("unchecked")
        Object id = s.valueOf(source, pk.property());
        if (id == null) {
            throw new QueryDefinitionException(s.name() + "." + a.as() + ": the source " + s.name()
                    + " has no " + pk.name() + " (is it saved?); create it first");
        }
        List<Assignment> set = new ArrayList<>();
        set.add(new Assignment(a.foreignKey().column(), Exprs.value(a.foreignKey(), targetKey)));
        WritePlanner.touch(s, set);
        Condition where = new Condition.Compare(Exprs.col(null, pk), Op.EQ, Exprs.value(pk, id));
        return Renderer.render(new Statement.Update(s.tableName(), null, set, where, List.of()));
    }

    // ---- belongsToMany: junction rows ----

    /**
     * Links the source to targets with junction rows, confined to what the association sees:
     * {@code INSERT INTO junction (fk, other, ...) SELECT $1, "u"."k", ... FROM unnest($2) AS "u"("k")
     * ON CONFLICT DO NOTHING} (or {@code DO UPDATE} of the given junction values on the junction's unique
     * key). With a target scope only targets it sees are linked ({@code WHERE EXISTS (SELECT 1 FROM target
     * ...)}); without a unique key over the pair, a pair already linked is skipped ({@code NOT EXISTS}) and
     * its junction values are updated in the same statement. Idempotent.
     *
     * @throws QueryDefinitionException for a through value that is a key, or a list-valued through scope
     */
    public static SqlStatement addJunction(Association<?, ?> a, Object sourceValue, Object[] targetKeys,
            Map<String, ?> throughValues) {
        Model<?> j = junction(a);
        Model<?> t = a.target();
        Attribute fk = a.foreignKey();
        Attribute other = Objects.requireNonNull(a.otherKey());
        if (Scopes.writable(a.throughScope()).size() != a.throughScope().size()) {
            throw new QueryDefinitionException(a.source().name() + "." + a.as() + ": its throughScope lists several"
                    + " values for one attribute " + a.throughScope() + ", so a link added through it would not be seen"
                    + " by it; add links through an association whose throughScope has one value per attribute");
        }
        Map<String, Object> values = new LinkedHashMap<>(a.throughScope());
        for (Map.Entry<String, ?> e : throughValues.entrySet()) {
            Attribute attr = j.requireAttribute(e.getKey());
            if (attr.equals(fk) || attr.equals(other)) {
                throw new QueryDefinitionException("through value '" + e.getKey() + "' of " + j.name()
                        + " is a key of the association; pass only extra junction attributes");
            }
            if (a.throughScope().containsKey(e.getKey())) {
                throw new QueryDefinitionException("through value '" + e.getKey() + "' of " + j.name()
                        + " is fixed by the throughScope of " + a.source().name() + "." + a.as());
            }
            values.put(e.getKey(), e.getValue());
        }
        List<String> conflict = conflictTarget(a);
        List<String> columns = new ArrayList<>(List.of(fk.column(), other.column()));
        List<SelectItem> selected = new ArrayList<>();
        selected.add(SelectItem.of(Exprs.value(fk, sourceValue)));
        selected.add(SelectItem.of(new Expr.Column("u", "k")));
        for (Attribute attr : j.attributes()) {
            if (attr.timestamp() && !values.containsKey(attr.name())) {
                columns.add(attr.column());
                selected.add(SelectItem.of(Exprs.now()));
            }
        }
        for (Map.Entry<String, Object> e : values.entrySet()) {
            Attribute attr = j.requireAttribute(e.getKey());
            columns.add(attr.column());
            selected.add(SelectItem.of(Exprs.written(attr, e.getValue())));
        }
        FromItem unnest = new FromItem.Function(Expr.Call.of(Expr.Function.UNNEST,
                Exprs.array(other, Arrays.asList(targetKeys), null)), "u", List.of("k"));
        List<Condition> where = new ArrayList<>();
        if (!a.scope().isEmpty()) {
            List<Condition> seen = new ArrayList<>();
            seen.add(new Condition.Compare(Exprs.col("t", a.targetKey()), Op.EQ, new Expr.Column("u", "k")));
            Conditions.scope("t", t, a.scope(), seen);
            where.add(Condition.Exists.of(Select.of(List.of(SelectItem.of(new Expr.Literal(1))),
                    new FromItem.Table(t.tableName(), "t"), Conditions.and(seen))));
        }
        if (conflict == null) {
            List<Condition> linked = new ArrayList<>();
            linked.add(new Condition.Compare(Exprs.col("e", fk), Op.EQ, Exprs.value(fk, sourceValue)));
            linked.add(new Condition.Compare(Exprs.col("e", other), Op.EQ, new Expr.Column("u", "k")));
            Conditions.scope("e", j, a.throughScope(), linked);
            where.add(new Condition.Exists(Select.of(List.of(SelectItem.of(new Expr.Literal(1))),
                    new FromItem.Table(j.tableName(), "e"), Conditions.and(linked)), true));
        }
        Statement.OnConflict onConflict;
        if (throughValues.isEmpty() || conflict == null) {
            onConflict = new Statement.OnConflict(List.of(), List.of());
        } else {
            List<Assignment> update = new ArrayList<>();
            for (String name : throughValues.keySet()) {
                Attribute attr = j.requireAttribute(name);
                update.add(new Assignment(attr.column(), new Expr.Excluded(attr.column())));
            }
            for (Attribute attr : j.attributes()) {
                if (attr.role() == Attribute.Role.UPDATED_AT && !throughValues.containsKey(attr.name())) {
                    update.add(new Assignment(attr.column(), Exprs.now()));
                }
            }
            onConflict = new Statement.OnConflict(conflict, update);
        }
        Statement insert = new Statement.Insert(j.tableName(), columns, List.of(),
                Select.of(selected, unnest, Conditions.and(where)), onConflict, List.of());
        if (conflict == null && !throughValues.isEmpty()) {
            // no unique key to conflict on: existing links get the values by an UPDATE in the same statement
            List<Assignment> set = new ArrayList<>();
            for (String name : throughValues.keySet()) {
                Attribute attr = j.requireAttribute(name);
                set.add(new Assignment(attr.column(), Exprs.written(attr, throughValues.get(name))));
            }
            WritePlanner.touch(j, set);
            List<Condition> existing = new ArrayList<>();
            existing.add(new Condition.Compare(Exprs.col(null, fk), Op.EQ, Exprs.value(fk, sourceValue)));
            existing.add(new Condition.AnyOf(Exprs.col(null, other), Exprs.array(other, Arrays.asList(targetKeys), null),
                    false));
            Conditions.scope(null, j, a.throughScope(), existing);
            inTargetScope(a, j.tableName(), existing);
            Statement update = new Statement.Update(j.tableName(), null, set, Conditions.and(existing),
                    List.of(SelectItem.of(new Expr.Literal(1))));
            insert = new Statement.With("updated", update, insert);
        }
        return Renderer.render(insert);
    }

    /**
     * The columns of the junction's primary key or unique key that identifies a link of this association:
     * the pair of keys, plus any single-valued through-scope attributes (a polymorphic junction's
     * {@code (tag_id, taggable, taggable_id)}); null when the junction has none.
     */
    private static @Nullable List<String> conflictTarget(Association<?, ?> a) {
        Model<?> j = junction(a);
        Attribute fk = a.foreignKey();
        Attribute other = Objects.requireNonNull(a.otherKey());
        Set<String> pair = Set.of(fk.name(), other.name());
        Set<String> allowed = new HashSet<>(pair);
        allowed.addAll(Scopes.writable(a.throughScope()).keySet());
        List<List<String>> keys = new ArrayList<>();
        keys.add(j.primaryKeys().stream().map(Attribute::name).toList());
        j.uniqueKeys().forEach(u -> keys.add(u.attributes()));
        for (List<String> key : keys) {
            if (key.containsAll(pair) && allowed.containsAll(key)) {
                return key.stream().map(n -> j.requireAttribute(n).column()).toList();
            }
        }
        return null;
    }

    /**
     * Deletes junction rows of the source, confined to what the association sees (through scope, and the
     * target scope through {@code EXISTS}): {@code DELETE FROM junction WHERE fk = $1
     * [AND other = ANY($2) | AND other <> ALL($2)]}.
     *
     * @param keys null: every link of the source; else the listed targets (or all but them when {@code except})
     */
    public static SqlStatement removeJunction(Association<?, ?> a, Object sourceValue, Object @Nullable [] keys,
            boolean except) {
        Model<?> j = junction(a);
        List<Condition> where = new ArrayList<>();
        where.add(new Condition.Compare(Exprs.col(null, a.foreignKey()), Op.EQ, Exprs.value(a.foreignKey(), sourceValue)));
        if (keys != null) {
            Attribute other = Objects.requireNonNull(a.otherKey());
            where.add(new Condition.AnyOf(Exprs.col(null, other), Exprs.array(other, Arrays.asList(keys), null), except));
        }
        Conditions.scope(null, j, a.throughScope(), where);
        inTargetScope(a, j.tableName(), where);
        return Renderer.render(new Statement.Delete(j.tableName(), null, Conditions.and(where), List.of()));
    }

    /** {@code EXISTS (SELECT 1 FROM target WHERE key = junction.other AND scope)} when the target is scoped. */
    private static void inTargetScope(Association<?, ?> a, String junctionRef, List<Condition> out) {
        if (a.scope().isEmpty()) {
            return;
        }
        Model<?> t = a.target();
        List<Condition> seen = new ArrayList<>();
        seen.add(new Condition.Compare(Exprs.col("t", a.targetKey()), Op.EQ,
                Exprs.col(junctionRef, Objects.requireNonNull(a.otherKey()))));
        Conditions.scope("t", t, a.scope(), seen);
        out.add(Condition.Exists.of(Select.of(List.of(SelectItem.of(new Expr.Literal(1))),
                new FromItem.Table(t.tableName(), "t"), Conditions.and(seen))));
    }

    private static Model<?> junction(Association<?, ?> a) {
        Model<?> j = a.through();
        if (j == null) {
            throw new IllegalArgumentException(a.source().name() + "." + a.as() + " is " + a.kind()
                    + "; junction rows belong to belongsToMany");
        }
        return j;
    }

    // ---- reads ----

    /**
     * @param a a to-many association
     * @param sourceValue the source's key
     * @param where an extra filter on targets, or null
     * @return {@code SELECT count(*)} of the targets linked to the source (scopes applied)
     */
    public static SqlStatement count(Association<?, ?> a, Object sourceValue, @Nullable Where where) {
        return count(a, sourceValue, where, null);
    }

    /**
     * @param a a to-many association
     * @param sourceValue the source's key
     * @param where an extra filter on targets, or null
     * @param throughWhere a filter on the junction rows (belongsToMany), or null
     * @return {@code SELECT count(*)} of the targets linked to the source (scopes applied)
     * @throws QueryDefinitionException for a through filter on another kind, or an unknown attribute
     */
    public static SqlStatement count(Association<?, ?> a, Object sourceValue, @Nullable Where where,
            @Nullable Where throughWhere) {
        Model<?> j = a.through();
        if (throughWhere != null && j == null) {
            throw new QueryDefinitionException("throughWhere applies to belongsToMany; " + a.source().name() + "."
                    + a.as() + " is " + a.kind());
        }
        Model<?> t = a.target();
        List<Condition> conditions = new ArrayList<>();
        FromItem from = KindRules.of(a).linkedTargets(a, sourceValue, conditions);
        if (throughWhere != null && j != null) {
            conditions.add(Conditions.of(throughWhere, path -> new Conditions.Col("j0", j.requireAttribute(path))));
        }
        Conditions.scope("t0", t, a.scope(), conditions);
        if (where != null) {
            conditions.add(Conditions.of(where, Conditions.rootOnly(t, "t0")));
        }
        return Renderer.render(Select.of(List.of(SelectItem.of(Expr.Call.of(Expr.Function.COUNT, new Expr.Star()))),
                from, Conditions.and(conditions)));
    }

    /**
     * @param a an association
     * @param sourceValue the source's key
     * @param keys target keys
     * @return {@code SELECT count(DISTINCT key)} of those targets that are linked (all linked when it equals the number of keys)
     */
    public static SqlStatement countLinked(Association<?, ?> a, Object sourceValue, Object[] keys) {
        Model<?> t = a.target();
        Attribute id = targetIdentity(a);
        List<Condition> conditions = new ArrayList<>();
        FromItem from = KindRules.of(a).linkedTargets(a, sourceValue, conditions);
        conditions.add(new Condition.AnyOf(Exprs.col("t0", id), Exprs.array(id, Arrays.asList(keys), null), false));
        Conditions.scope("t0", t, a.scope(), conditions);
        Expr count = new Expr.Call(Expr.Function.COUNT, List.of(Exprs.col("t0", id)), true);
        return Renderer.render(Select.of(List.of(SelectItem.of(count)), from, Conditions.and(conditions)));
    }
}
