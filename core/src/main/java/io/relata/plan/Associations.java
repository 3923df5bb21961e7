package io.relata.plan;

import io.relata.Association;
import io.relata.Attribute;
import io.relata.internal.AssociationPlanner;
import io.relata.internal.Keys;
import io.relata.internal.Scopes;
import io.relata.internal.SelectPlanner;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.sql.SqlStatement;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Plans the statements of association operations (Sequelize's mixins) and extracts and checks their keys
 * before any SQL runs. Every write is a set operation: one statement for any number of targets
 * ({@code = ANY($n)}, {@code unnest($n)}), its text independent of how many, and confined to the rows the
 * association sees (its foreign key, {@code scope} and {@code throughScope}).
 */
public final class Associations {
    private Associations() {
    }

    // ---- keys ----

    /**
     * @param a an association
     * @param source a source entity
     * @return the source's value of the association's source-side column (its key; belongsTo: its foreign
     *     key, or null when the entity does not hold it)
     * @throws io.relata.QueryDefinitionException when the source is of another model or (for a key) unsaved
     */
    public static @Nullable Object sourceValue(Association<?, ?> a, Object source) {
        return AssociationPlanner.sourceValue(a, source);
    }

    /**
     * @param a an association
     * @param source a source entity
     * @return the value that keys its lazy load: the source key, or for belongsTo the source's primary key
     * @throws io.relata.QueryDefinitionException for a source of another model or an unsaved one
     */
    public static Object loadValue(Association<?, ?> a, Object source) {
        return AssociationPlanner.loadValue(a, source);
    }

    /** @param a an association @return the source attribute whose values key its lazy load */
    public static Attribute loadKey(Association<?, ?> a) {
        return SelectPlanner.loadKey(a);
    }

    /**
     * @param a an association
     * @param target a target entity, or a key value of it
     * @return the key value, as bound
     * @throws io.relata.QueryDefinitionException for an unsaved entity, one of another model, or a key of the wrong type
     */
    public static Object targetValue(Association<?, ?> a, Object target) {
        return AssociationPlanner.targetValue(a, target);
    }

    /**
     * @param a an association
     * @param targets entities or keys
     * @return the distinct key values (by value), in order of first occurrence, as a typed array
     * @throws io.relata.QueryDefinitionException for the first bad target
     */
    public static Object[] targetValues(Association<?, ?> a, Collection<?> targets) {
        return AssociationPlanner.targetValues(a, targets);
    }

    /**
     * @param a an association
     * @param target a target entity about to be created through it
     * @throws io.relata.QueryDefinitionException when a list-valued scope of the association would not see it
     */
    public static void requireInScope(Association<?, ?> a, Object target) {
        AssociationPlanner.requireInScope(a, target);
    }

    /**
     * @param a a hasOne or hasMany association
     * @param sourceValue the source's key ({@link #sourceValue}; a List of parts for a composite key)
     * @return the foreign key attributes of a target created through it, by name, with their values
     */
    public static Map<String, Object> foreignKeyValues(Association<?, ?> a, Object sourceValue) {
        List<Attribute> fks = a.foreignKeys();
        List<?> parts = Keys.parts(sourceValue, fks.size());
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < fks.size(); i++) {
            out.put(fks.get(i).name(), Objects.requireNonNull(parts.get(i)));
        }
        return out;
    }

    /** @param a an association @return the source attributes whose values key its lazy load, one per key part */
    public static List<Attribute> loadKeys(Association<?, ?> a) {
        return SelectPlanner.loadKeys(a);
    }

    /** @param a an association @return its single-valued scope attributes: what a create writes */
    public static Map<String, Object> writableScope(Association<?, ?> a) {
        return Scopes.writable(a.scope());
    }

    // ---- statements ----

    /** @return {@code UPDATE target SET fk = $1 (+ scope) WHERE pk = ANY($2)} (hasOne, hasMany) */
    public static SqlStatement link(Association<?, ?> a, Object sourceValue, Object[] targetKeys) {
        return AssociationPlanner.link(a, sourceValue, targetKeys);
    }

    /**
     * @param keys null: every linked target; else the listed ones (or all but them when {@code except})
     * @param destroy delete the unlinked targets even when the foreign key is nullable
     * @return the unlink of hasOne/hasMany targets: {@code UPDATE ... SET fk = NULL}, or {@code DELETE} when
     *     the foreign key is NOT NULL or {@code destroy}
     */
    public static SqlStatement unlink(Association<?, ?> a, Object sourceValue, Object @Nullable [] keys, boolean except,
            boolean destroy) {
        return AssociationPlanner.unlink(a, sourceValue, keys, except, destroy);
    }

    /** @return {@code UPDATE source SET fk = $1 WHERE pk = $2} (belongsTo) */
    public static SqlStatement setForeignKey(Association<?, ?> a, Object source, @Nullable Object targetKey) {
        return AssociationPlanner.setForeignKey(a, source, targetKey);
    }

    /** @return the idempotent insert of junction rows (belongsToMany), confined to what the association sees */
    public static SqlStatement addJunction(Association<?, ?> a, Object sourceValue, Object[] targetKeys,
            Map<String, ?> throughValues) {
        return AssociationPlanner.addJunction(a, sourceValue, targetKeys, throughValues);
    }

    /**
     * @param keys null: every link of the source; else the listed targets (or all but them when {@code except})
     * @return the delete of junction rows (belongsToMany), confined to what the association sees
     */
    public static SqlStatement removeJunction(Association<?, ?> a, Object sourceValue, Object @Nullable [] keys,
            boolean except) {
        return AssociationPlanner.removeJunction(a, sourceValue, keys, except);
    }

    /** @return {@code SELECT count(*)} of the targets linked to the source (scopes, filters applied) */
    public static SqlStatement count(Association<?, ?> a, Object sourceValue, @Nullable Where where,
            @Nullable Where throughWhere) {
        return AssociationPlanner.count(a, sourceValue, where, throughWhere);
    }

    /**
     * @param paranoid leave soft-deleted targets out (a paranoid target)
     * @param throughParanoid leave soft-deleted links out (a paranoid junction)
     * @return {@code SELECT count(*)} of the targets linked to the source (scopes, filters applied)
     */
    public static SqlStatement count(Association<?, ?> a, Object sourceValue, @Nullable Where where,
            @Nullable Where throughWhere, boolean paranoid, boolean throughParanoid) {
        return AssociationPlanner.count(a, sourceValue, where, throughWhere, paranoid, throughParanoid);
    }

    /**
     * @param a a to-many association
     * @param sourceValue the source's key
     * @param query the targets' where (through its includes too), includes (joined; required ones filter)
     *     and throughWhere
     * @return {@code SELECT count(...)} of the linked targets matching it, each once
     */
    public static SqlStatement countWithIncludes(Association<?, ?> a, Object sourceValue, Query<?> query) {
        return AssociationPlanner.countWithIncludes(a, sourceValue, query);
    }

    /** @return {@code SELECT count(DISTINCT key)} of the given targets that are linked */
    public static SqlStatement countLinked(Association<?, ?> a, Object sourceValue, Object[] keys) {
        return AssociationPlanner.countLinked(a, sourceValue, keys);
    }

    /**
     * @param paranoid leave soft-deleted targets out (a paranoid target)
     * @param throughParanoid leave soft-deleted links out (a paranoid junction)
     * @return {@code SELECT count(DISTINCT key)} of the given targets that are linked
     */
    public static SqlStatement countLinked(Association<?, ?> a, Object sourceValue, Object[] keys, boolean paranoid,
            boolean throughParanoid) {
        return AssociationPlanner.countLinked(a, sourceValue, keys, paranoid, throughParanoid);
    }
}
