package io.relata.internal;

import io.relata.Association;
import io.relata.Attribute;
import io.relata.Model;
import io.relata.QueryDefinitionException;
import io.relata.UniqueKey;
import io.relata.query.Where;
import io.relata.sql.SqlStatement;
import java.util.ArrayList;
import java.util.Collection;
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
        Object value = ((EntityMapper<Object>) model.mapper()).get(source, key.property());
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
        Object id = pk.mapped() ? ((EntityMapper<Object>) a.source().mapper()).get(source, pk.property()) : null;
        if (id == null) {
            throw new QueryDefinitionException(a.source().name() + "." + a.as() + ": the source " + a.source().name()
                    + " has no " + pk.name() + " (is it saved?); create it first");
        }
        return Objects.requireNonNull(Values.toWire(pk, id));
    }

    /** @return the target attribute that identifies a target in writes (pk for hasOne/hasMany, else the target key) */
    public static Attribute targetIdentity(Association<?, ?> a) {
        return switch (a.kind()) {
            case HAS_ONE, HAS_MANY -> a.target().primaryKey();
            case BELONGS_TO, BELONGS_TO_MANY -> a.targetKey();
        };
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
            Object value = ((EntityMapper<Object>) model.mapper()).get(target, id.property());
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
        return distinct.toArray((Object[]) java.lang.reflect.Array.newInstance(Values.bindType(id), distinct.size()));
    }

    /** A key bound for a column: converted to the column's wire type. */
    private static @Nullable Object key(Attribute column, @Nullable Object value) {
        return Values.toWire(column, value);
    }

    // ---- hasOne / hasMany: the foreign key lives on the target ----

    /**
     * {@code UPDATE target SET fk = $1 (+ single-valued scope) WHERE pk = ANY($2) (+ list-valued scope)}:
     * links targets to the source. A list-valued scope is not written, so only targets it already sees are
     * linked.
     */
    public static SqlStatement link(Association<?, ?> a, Object sourceValue, Object[] targetKeys) {
        requireKinds(a, Association.Kind.HAS_ONE, Association.Kind.HAS_MANY);
        Model<?> t = a.target();
        SqlWriter w = new SqlWriter();
        w.sql("UPDATE ").id(t.tableName()).sql(" SET ").id(a.foreignKey().column()).sql(" = ")
                .bind(key(a.foreignKey(), sourceValue), Values.bindType(a.foreignKey()));
        Map<String, Object> written = Scopes.writable(a.scope());
        for (Map.Entry<String, Object> e : written.entrySet()) {
            Attribute attr = t.requireAttribute(e.getKey());
            w.sql(", ").id(attr.column()).sql(" = ").bind(Values.toWire(attr, e.getValue()), Values.bindType(attr));
        }
        touch(w, t);
        w.sql(" WHERE ").id(t.primaryKey().column()).sql(" = ANY(").array(t.primaryKey(), targetKeys).sql(")");
        Scopes.conditions(w, null, t, readOnly(a.scope(), written));
        return w.build();
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
        requireKinds(a, Association.Kind.HAS_ONE, Association.Kind.HAS_MANY);
        Model<?> t = a.target();
        SqlWriter w = new SqlWriter();
        if (destroy || a.foreignKey().notNull()) {
            w.sql("DELETE FROM ").id(t.tableName());
        } else {
            w.sql("UPDATE ").id(t.tableName()).sql(" SET ").id(a.foreignKey().column()).sql(" = NULL");
            touch(w, t);
        }
        w.sql(" WHERE ").id(a.foreignKey().column()).sql(" = ")
                .bind(key(a.foreignKey(), sourceValue), Values.bindType(a.foreignKey()));
        if (keys != null) {
            w.sql(" AND ").id(t.primaryKey().column()).sql(except ? " <> ALL(" : " = ANY(")
                    .array(t.primaryKey(), keys).sql(")");
        }
        Scopes.conditions(w, null, t, a.scope());
        return w.build();
    }

    /** {@link #unlink(Association, Object, Object[], boolean, boolean)} without {@code destroy}. */
    public static SqlStatement unlink(Association<?, ?> a, Object sourceValue, Object @Nullable [] keys, boolean except) {
        return unlink(a, sourceValue, keys, except, false);
    }

    /**
     * @param a an association
     * @param target a target entity about to be created through it
     * @throws QueryDefinitionException when a list-valued scope of the association would not see it
     */
    @SuppressWarnings("unchecked")
    public static void requireInScope(Association<?, ?> a, Object target) {
        Model<Object> t = (Model<Object>) a.target();
        Map<String, Object> values = new java.util.HashMap<>();
        for (String name : a.scope().keySet()) {
            Attribute attr = t.requireAttribute(name);
            if (attr.mapped()) {
                values.put(name, t.mapper().get(target, attr.property()));
            }
        }
        Scopes.requireSeen(a.source().name() + "." + a.as(), t, a.scope(), values);
    }

    private static Map<String, Object> readOnly(Map<String, Object> scope, Map<String, Object> written) {
        Map<String, Object> rest = new java.util.LinkedHashMap<>(scope);
        written.keySet().forEach(rest::remove);
        return rest;
    }

    // ---- belongsTo: the foreign key lives on the source ----

    /** {@code UPDATE source SET fk = $1 WHERE pk = $2}. */
    public static SqlStatement setForeignKey(Association<?, ?> a, Object source, @Nullable Object targetKey) {
        requireKinds(a, Association.Kind.BELONGS_TO);
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
        Object id = ((EntityMapper<Object>) s.mapper()).get(source, pk.property());
        if (id == null) {
            throw new QueryDefinitionException(s.name() + "." + a.as() + ": the source " + s.name()
                    + " has no " + pk.name() + " (is it saved?); create it first");
        }
        SqlWriter w = new SqlWriter();
        w.sql("UPDATE ").id(s.tableName()).sql(" SET ").id(a.foreignKey().column()).sql(" = ")
                .bind(key(a.foreignKey(), targetKey), Values.bindType(a.foreignKey()));
        touch(w, s);
        w.sql(" WHERE ").id(pk.column()).sql(" = ").bind(Values.toWire(pk, id), Values.bindType(pk));
        return w.build();
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
        requireKinds(a, Association.Kind.BELONGS_TO_MANY);
        Model<?> j = Objects.requireNonNull(a.through());
        Model<?> t = a.target();
        Attribute fk = a.foreignKey();
        Attribute other = Objects.requireNonNull(a.otherKey());
        if (Scopes.writable(a.throughScope()).size() != a.throughScope().size()) {
            throw new QueryDefinitionException(a.source().name() + "." + a.as() + ": its throughScope lists several"
                    + " values for one attribute " + a.throughScope() + ", so a link added through it would not be seen"
                    + " by it; add links through an association whose throughScope has one value per attribute");
        }
        Map<String, Object> values = new java.util.LinkedHashMap<>(a.throughScope());
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
        SqlWriter w = new SqlWriter();
        if (conflict == null && !throughValues.isEmpty()) {
            // no unique key to conflict on: existing links get the values by an UPDATE in the same statement
            w.sql("WITH ").id("updated").sql(" AS (UPDATE ").id(j.tableName()).sql(" SET ");
            boolean first = true;
            for (String name : throughValues.keySet()) {
                Attribute attr = j.requireAttribute(name);
                w.sql(first ? "" : ", ").id(attr.column()).sql(" = ");
                WritePlanner.value(w, attr, throughValues.get(name));
                first = false;
            }
            touch(w, j);
            w.sql(" WHERE ").id(fk.column()).sql(" = ").bind(key(fk, sourceValue), Values.bindType(fk)).sql(" AND ")
                    .id(other.column()).sql(" = ANY(").array(other, targetKeys).sql(")");
            Scopes.conditions(w, null, j, a.throughScope());
            inTargetScope(w, a, j.tableName());
            w.sql(" RETURNING 1) ");
        }
        w.sql("INSERT INTO ").id(j.tableName()).sql(" (").id(fk.column()).sql(", ").id(other.column());
        List<Attribute> stamps = new ArrayList<>();
        for (Attribute attr : j.attributes()) {
            if (attr.role() != Attribute.Role.PLAIN && !values.containsKey(attr.name())) {
                stamps.add(attr);
                w.sql(", ").id(attr.column());
            }
        }
        List<Attribute> extra = new ArrayList<>();
        for (String name : values.keySet()) {
            Attribute attr = j.requireAttribute(name);
            extra.add(attr);
            w.sql(", ").id(attr.column());
        }
        w.sql(") SELECT ").bind(key(fk, sourceValue), Values.bindType(fk)).sql(", ").column("u", "k");
        for (int i = 0; i < stamps.size(); i++) {
            w.sql(", now()");
        }
        for (Attribute attr : extra) {
            w.sql(", ");
            WritePlanner.value(w, attr, values.get(attr.name()));
        }
        w.sql(" FROM unnest(").array(other, targetKeys).sql(") AS ").id("u").sql("(").id("k").sql(")");
        String glue = " WHERE ";
        if (!a.scope().isEmpty()) {
            w.sql(glue).sql("EXISTS (SELECT 1 FROM ").id(t.tableName()).sql(" AS ").id("t").sql(" WHERE ")
                    .column("t", a.targetKey().column()).sql(" = ").column("u", "k");
            Scopes.conditions(w, "t", t, a.scope());
            w.sql(")");
            glue = " AND ";
        }
        if (conflict == null) {
            w.sql(glue).sql("NOT EXISTS (SELECT 1 FROM ").id(j.tableName()).sql(" AS ").id("e").sql(" WHERE ")
                    .column("e", fk.column()).sql(" = ").bind(key(fk, sourceValue), Values.bindType(fk)).sql(" AND ")
                    .column("e", other.column()).sql(" = ").column("u", "k");
            Scopes.conditions(w, "e", j, a.throughScope());
            w.sql(")");
        }
        if (throughValues.isEmpty() || conflict == null) {
            w.sql(" ON CONFLICT DO NOTHING");
        } else {
            w.sql(" ON CONFLICT (");
            for (int i = 0; i < conflict.size(); i++) {
                w.sql(i == 0 ? "" : ", ").id(conflict.get(i));
            }
            w.sql(") DO UPDATE SET ");
            boolean first = true;
            for (String name : throughValues.keySet()) {
                Attribute attr = j.requireAttribute(name);
                w.sql(first ? "" : ", ").id(attr.column()).sql(" = EXCLUDED.").id(attr.column());
                first = false;
            }
            for (Attribute attr : j.attributes()) {
                if (attr.role() == Attribute.Role.UPDATED_AT && !throughValues.containsKey(attr.name())) {
                    w.sql(", ").id(attr.column()).sql(" = now()");
                }
            }
        }
        return w.build();
    }

    /**
     * The columns of the junction's primary key or unique key that identifies a link of this association:
     * the pair of keys, plus any single-valued through-scope attributes (a polymorphic junction's
     * {@code (tag_id, taggable, taggable_id)}); null when the junction has none.
     */
    private static @Nullable List<String> conflictTarget(Association<?, ?> a) {
        Model<?> j = Objects.requireNonNull(a.through());
        Attribute fk = a.foreignKey();
        Attribute other = Objects.requireNonNull(a.otherKey());
        Set<String> pair = Set.of(fk.name(), other.name());
        Set<String> allowed = new java.util.HashSet<>(pair);
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
        requireKinds(a, Association.Kind.BELONGS_TO_MANY);
        Model<?> j = Objects.requireNonNull(a.through());
        SqlWriter w = new SqlWriter();
        w.sql("DELETE FROM ").id(j.tableName()).sql(" WHERE ").id(a.foreignKey().column()).sql(" = ")
                .bind(key(a.foreignKey(), sourceValue), Values.bindType(a.foreignKey()));
        if (keys != null) {
            Attribute other = Objects.requireNonNull(a.otherKey());
            w.sql(" AND ").id(other.column()).sql(except ? " <> ALL(" : " = ANY(").array(other, keys).sql(")");
        }
        Scopes.conditions(w, null, j, a.throughScope());
        inTargetScope(w, a, j.tableName());
        return w.build();
    }

    /** {@code AND EXISTS (SELECT 1 FROM target WHERE key = junction.other AND scope)} when the target is scoped. */
    private static void inTargetScope(SqlWriter w, Association<?, ?> a, String junctionRef) {
        if (a.scope().isEmpty()) {
            return;
        }
        Model<?> t = a.target();
        w.sql(" AND EXISTS (SELECT 1 FROM ").id(t.tableName()).sql(" AS ").id("t").sql(" WHERE ")
                .column("t", a.targetKey().column()).sql(" = ")
                .column(junctionRef, Objects.requireNonNull(a.otherKey()).column());
        Scopes.conditions(w, "t", t, a.scope());
        w.sql(")");
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
        if (throughWhere != null && a.kind() != Association.Kind.BELONGS_TO_MANY) {
            throw new QueryDefinitionException("throughWhere applies to belongsToMany; " + a.source().name() + "."
                    + a.as() + " is " + a.kind());
        }
        Model<?> t = a.target();
        SqlWriter w = new SqlWriter();
        w.sql("SELECT count(*) FROM ").id(t.tableName()).sql(" AS ").id("t0");
        linkCondition(w, a, sourceValue);
        if (throughWhere != null) {
            Model<?> j = Objects.requireNonNull(a.through());
            w.sql(" AND ");
            SelectPlanner.condition(w, throughWhere, path -> new SelectPlanner.Col("j0", j.requireAttribute(path)));
        }
        Scopes.conditions(w, "t0", t, a.scope());
        if (where != null) {
            w.sql(" AND ");
            SelectPlanner.condition(w, where, WritePlanner.rootOnly(t, "t0"));
        }
        return w.build();
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
        SqlWriter w = new SqlWriter();
        w.sql("SELECT count(DISTINCT ").column("t0", id.column()).sql(") FROM ").id(t.tableName()).sql(" AS ").id("t0");
        linkCondition(w, a, sourceValue);
        w.sql(" AND ").column("t0", id.column()).sql(" = ANY(").array(id, keys).sql(")");
        Scopes.conditions(w, "t0", t, a.scope());
        return w.build();
    }

    /** FROM-item continuation and WHERE restricting targets to those linked to the source. */
    private static void linkCondition(SqlWriter w, Association<?, ?> a, Object sourceValue) {
        switch (a.kind()) {
            case HAS_ONE, HAS_MANY -> w.sql(" WHERE ").column("t0", a.foreignKey().column()).sql(" = ")
                    .bind(key(a.foreignKey(), sourceValue), Values.bindType(a.foreignKey()));
            case BELONGS_TO -> w.sql(" WHERE ").column("t0", a.targetKey().column()).sql(" = ")
                    .bind(key(a.targetKey(), sourceValue), Values.bindType(a.targetKey()));
            case BELONGS_TO_MANY -> {
                Model<?> j = Objects.requireNonNull(a.through());
                w.sql(" INNER JOIN ").id(j.tableName()).sql(" AS ").id("j0").sql(" ON ")
                        .column("t0", a.targetKey().column()).sql(" = ")
                        .column("j0", Objects.requireNonNull(a.otherKey()).column())
                        .sql(" WHERE ").column("j0", a.foreignKey().column()).sql(" = ")
                        .bind(key(a.foreignKey(), sourceValue), Values.bindType(a.foreignKey()));
                Scopes.conditions(w, "j0", j, a.throughScope());
            }
            default -> throw new IllegalStateException();
        }
    }

    private static void touch(SqlWriter w, Model<?> m) {
        for (Attribute attr : m.attributes()) {
            if (attr.role() == Attribute.Role.UPDATED_AT) {
                w.sql(", ").id(attr.column()).sql(" = now()");
            }
        }
    }

    private static void requireKinds(Association<?, ?> a, Association.Kind... kinds) {
        for (Association.Kind k : kinds) {
            if (a.kind() == k) {
                return;
            }
        }
        throw new IllegalArgumentException(a + " is " + a.kind() + ", expected one of " + List.of(kinds));
    }
}
