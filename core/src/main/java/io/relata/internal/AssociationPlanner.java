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
import io.relata.query.Query;
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
    // A key value is the value of a single-column key, or a List of the parts of a composite one (in the
    // order of the association's key columns), each converted to its column's wire type.

    /**
     * @param a an association
     * @param source a source entity
     * @return the source's value of the association's source-side columns (its key; belongsTo: its foreign
     *     key), a List of parts for a composite key
     * @throws QueryDefinitionException when the source is of another model, has no such property, or (for a key) is unsaved
     */
    public static @Nullable Object sourceValue(Association<?, ?> a, Object source) {
        Objects.requireNonNull(source, "source");
        Model<?> model = a.source();
        if (!model.entityType().isInstance(source)) {
            throw new QueryDefinitionException(a.source().name() + "." + a.as() + " takes a " + model.name()
                    + " as source, got " + source.getClass().getSimpleName());
        }
        boolean belongsTo = a.kind() == Association.Kind.BELONGS_TO;
        List<Attribute> keys = a.sourceKeys();
        Object[] parts = new Object[keys.size()];
        for (int i = 0; i < parts.length; i++) {
            Attribute key = keys.get(i);
            if (!key.mapped() && belongsTo) {
                // Sequelize adds the foreign key to the model itself: an entity without it is fine, every
                // belongsTo operation reaches the stored key through the source's primary key
                return null;
            }
            if (!key.mapped()) {
                throw new QueryDefinitionException(model.name() + "." + a.as() + ": the entity "
                        + model.entityType().getSimpleName() + " has no property '" + key.name()
                        + "', so its value cannot be read; add a component of that name");
            }
            Object value = model.valueOf(source, key.property());
            if (value == null && !belongsTo) {
                throw new QueryDefinitionException(model.name() + "." + a.as() + ": the source " + model.name()
                        + " has no " + key.name() + " (is it saved?); create it first");
            }
            if (value == null) {
                return null;
            }
            Values.requireStorable(key, value, () -> "the key " + model.name() + "." + key.name() + " of the source of "
                    + model.name() + "." + a.as());
            parts[i] = Objects.requireNonNull(Values.toWire(key, value));
        }
        return parts.length == 1 ? parts[0] : List.of(parts);
    }

    /**
     * @param a an association
     * @param source a source entity
     * @return the value that keys its lazy load ({@link SelectPlanner#loadKeys}): the source key, or for
     *     belongsTo the source's primary key; a List of parts for a composite key
     * @throws QueryDefinitionException for a source of another model or an unsaved one
     */
    public static Object loadValue(Association<?, ?> a, Object source) {
        if (a.kind() != Association.Kind.BELONGS_TO) {
            return Objects.requireNonNull(sourceValue(a, source));
        }
        sourceValue(a, source);
        return primaryKeyValue(a.source(), source, a.source().name() + "." + a.as());
    }

    /** @return the entity's primary key as bound (a List of parts for a composite key) */
    static Object primaryKeyValue(Model<?> m, Object entity, String what) {
        List<Attribute> pks = m.primaryKeys();
        Object[] parts = new Object[pks.size()];
        for (int i = 0; i < parts.length; i++) {
            Attribute pk = pks.get(i);
            Object id = pk.mapped() ? m.valueOf(entity, pk.property()) : null;
            if (id == null) {
                throw new QueryDefinitionException(what + ": the " + m.name() + " has no " + pk.name()
                        + (pk.mapped() ? " (is it saved?); create it first" : " property to identify it"));
            }
            parts[i] = Objects.requireNonNull(Values.toWire(pk, id));
        }
        return parts.length == 1 ? parts[0] : List.of(parts);
    }

    /**
     * @return the target attribute that identifies a target in writes (pk for hasOne/hasMany, else the target key)
     * @throws UnsupportedOperationException for a composite key ({@link #targetIdentities})
     */
    public static Attribute targetIdentity(Association<?, ?> a) {
        List<Attribute> ids = targetIdentities(a);
        if (ids.size() != 1) {
            throw new UnsupportedOperationException(a.source().name() + "." + a.as() + " identifies targets by "
                    + ids.stream().map(Attribute::name).toList() + "; use targetIdentities");
        }
        return ids.get(0);
    }

    /** @return the target attributes that identify a target in writes, one per key part */
    public static List<Attribute> targetIdentities(Association<?, ?> a) {
        return KindRules.of(a).targetIdentity(a);
    }

    /**
     * @param a an association
     * @param target a target entity, or a key value of it (a List of parts for a composite key)
     * @return the key value
     * @throws QueryDefinitionException for an unsaved entity, an entity of another model, or a key of the wrong
     *     type or number of parts
     */
    public static Object targetValue(Association<?, ?> a, Object target) {
        Objects.requireNonNull(target, "target");
        List<Attribute> ids = targetIdentities(a);
        Model<?> model = a.target();
        Object[] parts = new Object[ids.size()];
        if (model.entityType().isInstance(target)) {
            for (int i = 0; i < parts.length; i++) {
                Attribute id = ids.get(i);
                if (!id.mapped()) {
                    throw new QueryDefinitionException(a.source().name() + "." + a.as() + ": " + model.name()
                            + " has no property '" + id.name() + "'; pass the key instead of the entity");
                }
                Object value = model.valueOf(target, id.property());
                if (value == null) {
                    throw new QueryDefinitionException(a.source().name() + "." + a.as() + ": the " + model.name()
                            + " " + target + " has no " + id.name() + " (is it saved?); create it first");
                }
                Values.requireStorable(id, value, () -> "the key " + model.name() + "." + id.name() + " of a target of "
                        + a.source().name() + "." + a.as());
                parts[i] = Objects.requireNonNull(Values.toWire(id, value));
            }
        } else {
            String what = a.source().name() + "." + a.as() + " expects a " + model.name() + " or ";
            List<?> given;
            if (ids.size() == 1) {
                given = List.of(target);
            } else if (target instanceof List<?> l && l.size() == ids.size()) {
                given = l;
            } else {
                throw new QueryDefinitionException(what + "its key " + ids.stream().map(Attribute::name).toList()
                        + " as a List of " + ids.size() + " parts, got " + target.getClass().getSimpleName() + ": " + target);
            }
            for (int i = 0; i < parts.length; i++) {
                Attribute id = ids.get(i);
                Values.requireStorable(id, given.get(i), () -> "the key " + model.name() + "." + id.name()
                        + " of a target of " + a.source().name() + "." + a.as());
                parts[i] = keyPart(what, id, given.get(i));
            }
        }
        return parts.length == 1 ? parts[0] : List.of(parts);
    }

    /**
     * @param what the start of the message ({@code "X.y expects a Y or "})
     * @param id the key column
     * @param part a given key (part)
     * @return it converted to the column's wire type
     * @throws QueryDefinitionException for a null part or one of a type the column does not take
     */
    public static Object keyPart(String what, Attribute id, @Nullable Object part) {
        Class<?> keyType = Values.box(id.javaType());
        if (part == null) {
            throw new QueryDefinitionException(what + "a " + keyType.getSimpleName() + " key (" + id.name() + "), got null");
        }
        boolean numeric = part instanceof Number && Number.class.isAssignableFrom(id.type().javaType());
        if (!keyType.isInstance(part) && !id.type().javaType().isInstance(part) && !numeric) {
            throw new QueryDefinitionException(what + "a " + keyType.getSimpleName() + " key (" + id.name() + "), got "
                    + part.getClass().getSimpleName() + ": " + part);
        }
        try {
            return Objects.requireNonNull(Values.toWire(id, part));
        } catch (QueryDefinitionException e) {
            throw new QueryDefinitionException(what + "a " + keyType.getSimpleName() + " key (" + id.name() + "), got "
                    + part.getClass().getSimpleName() + ": " + part + " (" + e.getMessage() + ")");
        }
    }

    /**
     * @param a an association
     * @param targets entities or keys
     * @return the distinct key values (by value: {@link Keys#canonical}), each of the target identity
     *     column's wire type, in order of first occurrence, as an array of that type (for a composite key,
     *     an {@code Object[]} of Lists of parts)
     */
    public static Object[] targetValues(Association<?, ?> a, Collection<?> targets) {
        List<Object> keys = new ArrayList<>();
        for (Object t : Objects.requireNonNull(targets, "targets")) {
            keys.add(targetValue(a, t));
        }
        List<Attribute> ids = targetIdentities(a);
        List<List<Object>> tuples = Keys.tuples(ids, keys, false);
        if (ids.size() == 1) {
            Attribute id = ids.get(0);
            List<Object> distinct = tuples.get(0);
            return distinct.toArray((Object[]) Array.newInstance(Values.bindType(id), distinct.size()));
        }
        Object[] out = new Object[tuples.get(0).size()];
        for (int r = 0; r < out.length; r++) {
            Object[] parts = new Object[ids.size()];
            for (int i = 0; i < parts.length; i++) {
                parts[i] = tuples.get(i).get(r);
            }
            out[r] = List.of(parts);
        }
        return out;
    }

    /** Appends {@code alias.col_i = $n} for each part of a bound key. */
    private static void equalsKey(@Nullable String alias, List<Attribute> columns, Object key, List<Condition> out) {
        List<?> parts = Keys.parts(key, columns.size());
        for (int i = 0; i < columns.size(); i++) {
            out.add(new Condition.Compare(Exprs.col(alias, columns.get(i)), Op.EQ, Exprs.value(columns.get(i), parts.get(i))));
        }
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
        List<Attribute> fks = a.foreignKeys();
        List<?> sv = Keys.parts(sourceValue, fks.size());
        for (int i = 0; i < fks.size(); i++) {
            set.add(new Assignment(fks.get(i).column(), Exprs.value(fks.get(i), sv.get(i))));
        }
        Map<String, Object> written = Scopes.writable(a.scope());
        for (Map.Entry<String, Object> e : written.entrySet()) {
            Attribute attr = t.requireAttribute(e.getKey());
            set.add(new Assignment(attr.column(), Exprs.value(attr, e.getValue())));
        }
        WritePlanner.touch(t, set);
        List<Condition> where = new ArrayList<>();
        where.add(Exprs.keyIn(Exprs.cols(null, t.primaryKeys()), Arrays.asList(targetKeys), null, false));
        Conditions.scope(null, t, readOnly(a.scope(), written), where);
        SoftDeletes.live(t, null, true, where);
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
        equalsKey(null, a.foreignKeys(), sourceValue, where);
        if (keys != null) {
            where.add(Exprs.keyIn(Exprs.cols(null, t.primaryKeys()), Arrays.asList(keys), null, except));
        }
        Conditions.scope(null, t, a.scope(), where);
        SoftDeletes.live(t, null, true, where);
        if (destroy || a.foreignKeys().stream().anyMatch(Attribute::notNull)) {
            Attribute deletedAt = t.deletedAt();
            if (deletedAt != null) {
                // a paranoid target is destroyed the way destroy does it: soft
                List<Assignment> soft = List.of(new Assignment(deletedAt.column(), Exprs.now()));
                return Renderer.render(new Statement.Update(t.tableName(), null, soft, Conditions.and(where), List.of()));
            }
            return Renderer.render(new Statement.Delete(t.tableName(), null, Conditions.and(where), List.of()));
        }
        List<Assignment> set = new ArrayList<>();
        for (Attribute fk : a.foreignKeys()) {
            set.add(new Assignment(fk.column(), new Expr.Null()));
        }
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
        List<Attribute> fks = a.foreignKeys();
        if (targetKey == null && fks.stream().anyMatch(Attribute::notNull)) {
            throw new QueryDefinitionException(s.name() + "." + a.as() + ": the foreign key "
                    + fks.stream().map(Attribute::name).toList() + " is NOT NULL, so the " + s.name()
                    + " cannot be unlinked; set another target or destroy it");
        }
        Object id = primaryKeyValue(s, source, s.name() + "." + a.as() + " (source)");
        List<Assignment> set = new ArrayList<>();
        List<?> parts = targetKey == null ? null : Keys.parts(targetKey, fks.size());
        for (int i = 0; i < fks.size(); i++) {
            Attribute fk = fks.get(i);
            set.add(new Assignment(fk.column(), Exprs.value(fk, parts == null ? null : parts.get(i))));
        }
        WritePlanner.touch(s, set);
        List<Condition> where = new ArrayList<>();
        equalsKey(null, s.primaryKeys(), id, where);
        return Renderer.render(new Statement.Update(s.tableName(), null, set, Conditions.and(where), List.of()));
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
        List<Attribute> fks = a.foreignKeys();
        List<Attribute> others = a.otherKeys();
        if (Scopes.writable(a.throughScope()).size() != a.throughScope().size()) {
            throw new QueryDefinitionException(a.source().name() + "." + a.as() + ": its throughScope lists several"
                    + " values for one attribute " + a.throughScope() + ", so a link added through it would not be seen"
                    + " by it; add links through an association whose throughScope has one value per attribute");
        }
        Map<String, Object> values = new LinkedHashMap<>(a.throughScope());
        for (Map.Entry<String, ?> e : throughValues.entrySet()) {
            Attribute attr = j.requireAttribute(e.getKey());
            if (fks.contains(attr) || others.contains(attr)) {
                throw new QueryDefinitionException("through value '" + e.getKey() + "' of " + j.name()
                        + " is a key of the association; pass only extra junction attributes");
            }
            if (a.throughScope().containsKey(e.getKey())) {
                throw new QueryDefinitionException("through value '" + e.getKey() + "' of " + j.name()
                        + " is fixed by the throughScope of " + a.source().name() + "." + a.as());
            }
            Values.requireStorable(attr, e.getValue(), () -> "through value " + j.name() + "." + attr.name());
            values.put(e.getKey(), e.getValue());
        }
        List<String> conflict = conflictTarget(a);
        List<?> sv = Keys.parts(sourceValue, fks.size());
        // one unnest column per key part: "k" for a single-column key (its text unchanged), "k0", "k1", ...
        List<String> unnested = new ArrayList<>();
        for (int i = 0; i < others.size(); i++) {
            unnested.add(others.size() == 1 ? "k" : "k" + i);
        }
        List<String> columns = new ArrayList<>();
        List<SelectItem> selected = new ArrayList<>();
        for (int i = 0; i < fks.size(); i++) {
            columns.add(fks.get(i).column());
            selected.add(SelectItem.of(Exprs.value(fks.get(i), sv.get(i))));
        }
        for (int i = 0; i < others.size(); i++) {
            columns.add(others.get(i).column());
            selected.add(SelectItem.of(new Expr.Column("u", unnested.get(i))));
        }
        for (Attribute attr : j.attributes()) {
            if (attr.role().stampedOnInsert() && !values.containsKey(attr.name())) {
                columns.add(attr.column());
                selected.add(SelectItem.of(Exprs.now()));
            }
        }
        for (Map.Entry<String, Object> e : values.entrySet()) {
            Attribute attr = j.requireAttribute(e.getKey());
            columns.add(attr.column());
            selected.add(SelectItem.of(Exprs.written(attr, e.getValue())));
        }
        FromItem unnest = new FromItem.Function(new Expr.Call(Expr.Function.UNNEST,
                Exprs.arrays(others, Arrays.asList(targetKeys), null), false), "u", unnested);
        List<Condition> where = new ArrayList<>();
        if (!a.scope().isEmpty()) {
            List<Condition> seen = new ArrayList<>();
            List<Attribute> tks = a.targetKeys();
            for (int i = 0; i < tks.size(); i++) {
                seen.add(new Condition.Compare(Exprs.col("t", tks.get(i)), Op.EQ, new Expr.Column("u", unnested.get(i))));
            }
            Conditions.scope("t", t, a.scope(), seen);
            where.add(Condition.Exists.of(Select.of(List.of(SelectItem.of(new Expr.Literal(1))),
                    new FromItem.Table(t.tableName(), "t"), Conditions.and(seen))));
        }
        if (conflict == null) {
            List<Condition> linked = new ArrayList<>();
            equalsKey("e", fks, sourceValue, linked);
            for (int i = 0; i < others.size(); i++) {
                linked.add(new Condition.Compare(Exprs.col("e", others.get(i)), Op.EQ, new Expr.Column("u", unnested.get(i))));
            }
            Conditions.scope("e", j, a.throughScope(), linked);
            where.add(new Condition.Exists(Select.of(List.of(SelectItem.of(new Expr.Literal(1))),
                    new FromItem.Table(j.tableName(), "e"), Conditions.and(linked)), true));
        }
        Attribute deletedAt = j.deletedAt();
        Statement.OnConflict onConflict;
        if ((throughValues.isEmpty() && deletedAt == null) || conflict == null) {
            onConflict = new Statement.OnConflict(List.of(), List.of());
        } else {
            List<Assignment> update = new ArrayList<>();
            if (deletedAt != null) {
                // a paranoid junction: adding a soft-deleted link revives it
                update.add(new Assignment(deletedAt.column(), new Expr.Null()));
            }
            for (String name : throughValues.keySet()) {
                Attribute attr = j.requireAttribute(name);
                update.add(new Assignment(attr.column(), new Expr.Excluded(attr.column())));
            }
            for (Attribute attr : j.attributes()) {
                if (attr.role() == Attribute.Role.UPDATED_AT && !throughValues.isEmpty()
                        && !throughValues.containsKey(attr.name())) {
                    update.add(new Assignment(attr.column(), Exprs.now()));
                }
            }
            onConflict = new Statement.OnConflict(conflict, update);
        }
        Statement insert = new Statement.Insert(j.tableName(), columns, List.of(),
                Select.of(selected, unnest, Conditions.and(where)), onConflict, List.of());
        if (conflict == null && (!throughValues.isEmpty() || deletedAt != null)) {
            // no unique key to conflict on: existing links get the values (and a soft-deleted one is revived)
            // by an UPDATE in the same statement
            List<Assignment> set = new ArrayList<>();
            if (deletedAt != null) {
                set.add(new Assignment(deletedAt.column(), new Expr.Null()));
            }
            for (String name : throughValues.keySet()) {
                Attribute attr = j.requireAttribute(name);
                set.add(new Assignment(attr.column(), Exprs.written(attr, throughValues.get(name))));
            }
            if (!throughValues.isEmpty()) {
                WritePlanner.touch(j, set);
            }
            List<Condition> existing = new ArrayList<>();
            equalsKey(null, fks, sourceValue, existing);
            existing.add(Exprs.keyIn(Exprs.cols(null, others), Arrays.asList(targetKeys), null, false));
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
        Set<String> pair = new HashSet<>();
        a.foreignKeys().forEach(k -> pair.add(k.name()));
        a.otherKeys().forEach(k -> pair.add(k.name()));
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
     * [AND other = ANY($2) | AND other <> ALL($2)]}; for composite keys {@code fk1 = $1 AND fk2 = $2
     * [AND (o1, o2) [NOT] IN (SELECT * FROM unnest($3, $4))]}.
     *
     * @param keys null: every link of the source; else the listed targets (or all but them when {@code except})
     */
    public static SqlStatement removeJunction(Association<?, ?> a, Object sourceValue, Object @Nullable [] keys,
            boolean except) {
        Model<?> j = junction(a);
        List<Condition> where = new ArrayList<>();
        equalsKey(null, a.foreignKeys(), sourceValue, where);
        if (keys != null) {
            where.add(Exprs.keyIn(Exprs.cols(null, a.otherKeys()), Arrays.asList(keys), null, except));
        }
        Conditions.scope(null, j, a.throughScope(), where);
        inTargetScope(a, j.tableName(), where);
        Attribute deletedAt = j.deletedAt();
        if (deletedAt != null) {
            // a paranoid junction: links are soft-deleted (and an already soft-deleted one keeps its time)
            SoftDeletes.live(j, null, true, where);
            List<Assignment> set = List.of(new Assignment(deletedAt.column(), Exprs.now()));
            return Renderer.render(new Statement.Update(j.tableName(), null, set, Conditions.and(where), List.of()));
        }
        return Renderer.render(new Statement.Delete(j.tableName(), null, Conditions.and(where), List.of()));
    }

    /** {@code EXISTS (SELECT 1 FROM target WHERE key = junction.other AND scope)} when the target is scoped. */
    private static void inTargetScope(Association<?, ?> a, String junctionRef, List<Condition> out) {
        if (a.scope().isEmpty()) {
            return;
        }
        Model<?> t = a.target();
        List<Condition> seen = new ArrayList<>();
        List<Attribute> tks = a.targetKeys();
        for (int i = 0; i < tks.size(); i++) {
            seen.add(new Condition.Compare(Exprs.col("t", tks.get(i)), Op.EQ, Exprs.col(junctionRef, a.otherKeys().get(i))));
        }
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
        return count(a, sourceValue, where, throughWhere, true, true);
    }

    /**
     * @param a a to-many association
     * @param sourceValue the source's key
     * @param where an extra filter on targets, or null
     * @param throughWhere a filter on the junction rows (belongsToMany), or null
     * @param paranoid leave soft-deleted targets out (when the target is paranoid)
     * @param throughParanoid leave soft-deleted links out (when the junction is paranoid)
     * @return {@code SELECT count(*)} of the targets linked to the source (scopes applied)
     * @throws QueryDefinitionException for a through filter on another kind, or an unknown attribute
     */
    public static SqlStatement count(Association<?, ?> a, Object sourceValue, @Nullable Where where,
            @Nullable Where throughWhere, boolean paranoid, boolean throughParanoid) {
        Model<?> j = a.through();
        if (throughWhere != null && j == null) {
            throw new QueryDefinitionException("throughWhere applies to belongsToMany; " + a.source().name() + "."
                    + a.as() + " is " + a.kind());
        }
        Model<?> t = a.target();
        List<Condition> conditions = new ArrayList<>();
        FromItem from = KindRules.of(a).linkedTargets(a, sourceValue, conditions);
        visible(a, paranoid, throughParanoid, conditions);
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
     * A count of the targets linked to a source that match a query with includes (a task counted only when
     * it has an active subtask): the includes are joined as in a lazy load ({@code "t0"} the target, every
     * column qualified), required ones filter, and each target counts once ({@code count(DISTINCT key)}).
     *
     * @param a a to-many association
     * @param sourceValue the source's key
     * @param query the targets' where (paths may go through its includes), includes and throughWhere
     * @return {@code SELECT count(...)} of the matching linked targets
     * @throws QueryDefinitionException for a through filter on another kind, an unknown path, or a SEPARATE include
     */
    public static SqlStatement countWithIncludes(Association<?, ?> a, Object sourceValue, Query<?> query) {
        Model<?> j = a.through();
        Where throughWhere = query.throughWhere();
        if (throughWhere != null && j == null) {
            throw new QueryDefinitionException("throughWhere applies to belongsToMany; " + a.source().name() + "."
                    + a.as() + " is " + a.kind());
        }
        IncludeTree.Node root = IncludeTree.of(query, a);
        rejectSeparate(root, a);
        Model<?> t = a.target();
        List<Condition> conditions = new ArrayList<>();
        FromItem from = Joins.countJoins(KindRules.of(a).linkedTargets(a, sourceValue, conditions), root);
        if (throughWhere != null && j != null) {
            conditions.add(Conditions.of(throughWhere, path -> new Conditions.Col("j0", j.requireAttribute(path))));
        }
        Conditions.scope("t0", t, a.scope(), conditions);
        visible(a, query.paranoid(), query.throughParanoid(), conditions);
        Where where = query.where();
        if (where != null) {
            conditions.add(Conditions.of(where, path -> IncludeTree.resolve(root, path)));
        }
        Expr counted = root.joined().isEmpty() ? Expr.Call.of(Expr.Function.COUNT, new Expr.Star())
                : new Expr.Call(Expr.Function.COUNT, List.of(Exprs.col("t0", t.primaryKey())), true);
        return Renderer.render(Select.of(List.of(SelectItem.of(counted)), from, Conditions.and(conditions)));
    }

    private static void rejectSeparate(IncludeTree.Node node, Association<?, ?> a) {
        for (IncludeTree.Node c : node.children) {
            if (c.separate) {
                throw new QueryDefinitionException("count of " + a.source().name() + "." + a.as() + ": include '"
                        + c.assoc().as() + "' uses the SEPARATE strategy; a count joins its includes");
            }
            rejectSeparate(c, a);
        }
    }

    /**
     * @param a an association
     * @param sourceValue the source's key
     * @param keys target keys
     * @return {@code SELECT count(DISTINCT key)} of those targets that are linked (all linked when it equals the number of keys)
     */
    public static SqlStatement countLinked(Association<?, ?> a, Object sourceValue, Object[] keys) {
        return countLinked(a, sourceValue, keys, true, true);
    }

    /**
     * @param a an association
     * @param sourceValue the source's key
     * @param keys target keys
     * @param paranoid leave soft-deleted targets out (when the target is paranoid)
     * @param throughParanoid leave soft-deleted links out (when the junction is paranoid)
     * @return {@code SELECT count(DISTINCT key)} of those targets that are linked
     */
    public static SqlStatement countLinked(Association<?, ?> a, Object sourceValue, Object[] keys, boolean paranoid,
            boolean throughParanoid) {
        Model<?> t = a.target();
        List<Attribute> ids = targetIdentities(a);
        List<Condition> conditions = new ArrayList<>();
        FromItem from = KindRules.of(a).linkedTargets(a, sourceValue, conditions);
        visible(a, paranoid, throughParanoid, conditions);
        conditions.add(Exprs.keyIn(Exprs.cols("t0", ids), Arrays.asList(keys), null, false));
        Conditions.scope("t0", t, a.scope(), conditions);
        List<Expr> counted = ids.stream().map(id -> (Expr) Exprs.col("t0", id)).toList();
        Expr count = new Expr.Call(Expr.Function.COUNT, List.of(counted.size() == 1 ? counted.get(0)
                : new Expr.Row(counted)), true);
        return Renderer.render(Select.of(List.of(SelectItem.of(count)), from, Conditions.and(conditions)));
    }

    /** The soft-delete conditions of a count's target ({@code "t0"}) and junction ({@code "j0"}). */
    private static void visible(Association<?, ?> a, boolean paranoid, boolean throughParanoid, List<Condition> out) {
        Model<?> j = a.through();
        if (j != null) {
            SoftDeletes.live(j, "j0", throughParanoid, out);
        }
        SoftDeletes.live(a.target(), "t0", paranoid, out);
    }
}
