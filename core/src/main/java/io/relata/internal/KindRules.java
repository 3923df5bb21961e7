package io.relata.internal;

import io.relata.Association;
import io.relata.Attribute;
import io.relata.Model;
import io.relata.internal.Conditions.Col;
import io.relata.internal.sql.Condition;
import io.relata.internal.sql.Condition.Op;
import io.relata.internal.sql.Expr;
import io.relata.internal.sql.FromItem;
import io.relata.internal.sql.FromItem.JoinType;
import io.relata.internal.sql.OrderTerm;
import io.relata.internal.sql.Statement.Select;
import io.relata.internal.sql.Statement.SelectItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The SQL shapes that differ by association kind, in one place per kind: where the foreign key lives,
 * how a target is joined to its source, which columns link a follow-up or lazy-load row to its source,
 * and which target columns identify a target in writes. {@link #of} is the only decision on the kind;
 * everything else dispatches on the rules object (a new kind is one more implementation, and
 * {@link #of}'s switch does not compile until it is listed).
 *
 * <p>Keys are lists of columns, one per part of the key the association joins on (one for a
 * single-column key): a join's ON is the AND of the pairs, and a link is as many columns as the key has.
 */
sealed interface KindRules {

    /** @param a an association @return the rules of its kind */
    static KindRules of(Association<?, ?> a) {
        return switch (a.kind()) {
            case HAS_ONE, HAS_MANY -> ForeignKeyOnTarget.INSTANCE;
            case BELONGS_TO -> ForeignKeyOnSource.INSTANCE;
            case BELONGS_TO_MANY -> Junction.INSTANCE;
        };
    }

    /**
     * What a joined target is read from: its table, or for belongsToMany the junction joined to it (one join
     * group, parenthesised by the renderer).
     *
     * @param a the association
     * @param alias the target's alias
     * @param junctionAlias the junction's alias (belongsToMany), else null
     * @param targetConditions the target's scope and filter, ANDed into the group's own ON (belongsToMany)
     * @return the FROM item
     */
    FromItem joinItem(Association<?, ?> a, String alias, @Nullable String junctionAlias,
            List<Condition> targetConditions);

    /**
     * The ON condition that links a joined target to its parent row, with what belongs there: the
     * target's scope and filter (or, for belongsToMany, the junction's scope and filter; the target's are in
     * the join group).
     *
     * @param a the association
     * @param alias the target's alias
     * @param junctionAlias the junction's alias (belongsToMany), else null
     * @param parentAlias the parent's alias
     * @param targetConditions the target's scope and filter
     * @param junctionConditions the junction's scope and filter
     * @return the condition
     */
    Condition joinOn(Association<?, ?> a, String alias, @Nullable String junctionAlias, String parentAlias,
            List<Condition> targetConditions, List<Condition> junctionConditions);

    /**
     * @param a the association
     * @param alias the target's alias in a follow-up statement
     * @param junctionAlias the junction's alias (belongsToMany), else null
     * @return the columns of a follow-up row that hold its parent's key, one per key part
     */
    List<Col> followUpLink(Association<?, ?> a, String alias, @Nullable String junctionAlias);

    /**
     * @param a the association
     * @return the target columns a SEPARATE child must select to be linked back, or none (the junction holds them)
     */
    List<Attribute> followUpKey(Association<?, ?> a);

    /**
     * @param a the association
     * @return the columns whose values key a lazy load's rows ({@code = ANY($keys)}, or for a composite key
     *     {@code (a, b) IN (SELECT * FROM unnest($k0, $k1))}), selected first
     */
    List<Col> loadLink(Association<?, ?> a);

    /**
     * @param a the association
     * @param root the target table's item in a lazy load ({@code "targets" AS "t0"})
     * @return it joined to what the load's link columns are on (the junction, the source row), or as it is
     */
    FromItem loadFrom(Association<?, ?> a, FromItem root);

    /** @param a the association @return the target attributes that identify a target in writes */
    List<Attribute> targetIdentity(Association<?, ?> a);

    /**
     * The FROM item and conditions of a count of the targets linked to a source ({@code "t0"} the target).
     *
     * @param a the association
     * @param sourceKey the source's key as bound (a {@code List} of its parts for a composite key)
     * @param where receives the conditions
     * @return the FROM item
     */
    FromItem linkedTargets(Association<?, ?> a, Object sourceKey, List<Condition> where);

    /**
     * A to-many target windowed per parent (top-N children): {@code LATERAL (SELECT "alias".* FROM target
     * WHERE link = parentKey AND ... ORDER BY ... LIMIT $n OFFSET $m) AS "alias"}, joined {@code ON TRUE};
     * for belongsToMany the junction is windowed with the target joined inside, and the target joined to it
     * by key outside ({@code LATERAL (SELECT "j".* FROM junction INNER JOIN target ...) AS "j" INNER JOIN
     * target AS "alias" ON ...}), so both keep their aliases and column names.
     *
     * @param a the association (to-many)
     * @param alias the target's alias
     * @param junctionAlias the junction's alias (belongsToMany), else null
     * @param parentKey the parent key the children link to (a parent column, or a key of an unnest)
     * @param targetConditions the target's scope, filter and required children
     * @param junctionConditions the junction's scope and filter
     * @param order the window's order (unique: it ends with the target's key)
     * @param limit the limit, or null
     * @param offset the offset, or null
     * @return the FROM item
     */
    FromItem windowedItem(Association<?, ?> a, String alias, @Nullable String junctionAlias, Expr parentKey,
            List<Condition> targetConditions, List<Condition> junctionConditions, List<OrderTerm> order,
            @Nullable Expr limit, @Nullable Expr offset);

    private static FromItem lateral(String alias, FromItem from, List<Condition> where, List<OrderTerm> order,
            @Nullable Expr limit, @Nullable Expr offset) {
        Select select = Select.of(List.of(SelectItem.of(new Expr.AllColumns(alias))), from, Condition.And.all(where))
                .orderBy(order).window(limit, offset);
        return new FromItem.Derived(select, alias, true);
    }

    /** hasOne and hasMany: the foreign key is on the target. */
    final class ForeignKeyOnTarget implements KindRules {
        static final ForeignKeyOnTarget INSTANCE = new ForeignKeyOnTarget();

        private ForeignKeyOnTarget() {
        }

        @Override
        public FromItem joinItem(Association<?, ?> a, String alias, @Nullable String junctionAlias,
                List<Condition> targetConditions) {
            return new FromItem.Table(a.target().tableName(), alias);
        }

        @Override
        public Condition joinOn(Association<?, ?> a, String alias, @Nullable String junctionAlias, String parentAlias,
                List<Condition> targetConditions, List<Condition> junctionConditions) {
            List<Condition> on = new ArrayList<>();
            pairs(alias, a.foreignKeys(), parentAlias, a.sourceKeys(), on);
            on.addAll(targetConditions);
            return Condition.And.all(on);
        }

        @Override
        public FromItem windowedItem(Association<?, ?> a, String alias, @Nullable String junctionAlias, Expr parentKey,
                List<Condition> targetConditions, List<Condition> junctionConditions, List<OrderTerm> order,
                @Nullable Expr limit, @Nullable Expr offset) {
            List<Condition> where = new ArrayList<>();
            where.add(eq(Exprs.col(alias, a.foreignKey()), parentKey));
            where.addAll(targetConditions);
            return lateral(alias, new FromItem.Table(a.target().tableName(), alias), where, order, limit, offset);
        }

        @Override
        public List<Col> followUpLink(Association<?, ?> a, String alias, @Nullable String junctionAlias) {
            return cols(alias, a.foreignKeys());
        }

        @Override
        public List<Attribute> followUpKey(Association<?, ?> a) {
            return a.foreignKeys();
        }

        @Override
        public List<Col> loadLink(Association<?, ?> a) {
            return cols("t0", a.foreignKeys());
        }

        @Override
        public FromItem loadFrom(Association<?, ?> a, FromItem root) {
            return root;
        }

        @Override
        public List<Attribute> targetIdentity(Association<?, ?> a) {
            return a.target().primaryKeys();
        }

        @Override
        public FromItem linkedTargets(Association<?, ?> a, Object sourceKey, List<Condition> where) {
            equalsKey("t0", a.foreignKeys(), sourceKey, where);
            return new FromItem.Table(a.target().tableName(), "t0");
        }
    }

    /** belongsTo: the foreign key is on the source. */
    final class ForeignKeyOnSource implements KindRules {
        static final ForeignKeyOnSource INSTANCE = new ForeignKeyOnSource();

        private ForeignKeyOnSource() {
        }

        @Override
        public FromItem joinItem(Association<?, ?> a, String alias, @Nullable String junctionAlias,
                List<Condition> targetConditions) {
            return new FromItem.Table(a.target().tableName(), alias);
        }

        @Override
        public Condition joinOn(Association<?, ?> a, String alias, @Nullable String junctionAlias, String parentAlias,
                List<Condition> targetConditions, List<Condition> junctionConditions) {
            List<Condition> on = new ArrayList<>();
            pairs(alias, a.targetKeys(), parentAlias, a.foreignKeys(), on);
            on.addAll(targetConditions);
            return Condition.And.all(on);
        }

        @Override
        public FromItem windowedItem(Association<?, ?> a, String alias, @Nullable String junctionAlias, Expr parentKey,
                List<Condition> targetConditions, List<Condition> junctionConditions, List<OrderTerm> order,
                @Nullable Expr limit, @Nullable Expr offset) {
            throw new IllegalStateException("a belongsTo include has no per-parent window: " + a.as());
        }

        @Override
        public List<Col> followUpLink(Association<?, ?> a, String alias, @Nullable String junctionAlias) {
            return cols(alias, a.targetKeys());
        }

        @Override
        public List<Attribute> followUpKey(Association<?, ?> a) {
            return a.targetKeys();
        }

        @Override
        public List<Col> loadLink(Association<?, ?> a) {
            return cols("s0", a.source().primaryKeys());
        }

        @Override
        public FromItem loadFrom(Association<?, ?> a, FromItem root) {
            // through the source row: the load sees the foreign key as stored, not as the entity had it
            List<Condition> on = new ArrayList<>();
            pairs("s0", a.foreignKeys(), "t0", a.targetKeys(), on);
            return new FromItem.Join(JoinType.INNER, root, new FromItem.Table(a.source().tableName(), "s0"),
                    Condition.And.all(on));
        }

        @Override
        public List<Attribute> targetIdentity(Association<?, ?> a) {
            return a.targetKeys();
        }

        @Override
        public FromItem linkedTargets(Association<?, ?> a, Object sourceKey, List<Condition> where) {
            equalsKey("t0", a.targetKeys(), sourceKey, where);
            return new FromItem.Table(a.target().tableName(), "t0");
        }
    }

    /** belongsToMany: the keys are in a junction. */
    final class Junction implements KindRules {
        static final Junction INSTANCE = new Junction();

        private Junction() {
        }

        @Override
        public FromItem joinItem(Association<?, ?> a, String alias, @Nullable String junctionAlias,
                List<Condition> targetConditions) {
            String j = Objects.requireNonNull(junctionAlias);
            List<Condition> on = new ArrayList<>();
            pairs(alias, a.targetKeys(), j, a.otherKeys(), on);
            on.addAll(targetConditions);
            return new FromItem.Join(JoinType.INNER, new FromItem.Table(through(a).tableName(), j),
                    new FromItem.Table(a.target().tableName(), alias), Condition.And.all(on));
        }

        @Override
        public Condition joinOn(Association<?, ?> a, String alias, @Nullable String junctionAlias, String parentAlias,
                List<Condition> targetConditions, List<Condition> junctionConditions) {
            List<Condition> on = new ArrayList<>();
            pairs(Objects.requireNonNull(junctionAlias), a.foreignKeys(), parentAlias, a.sourceKeys(), on);
            on.addAll(junctionConditions);
            return Condition.And.all(on);
        }

        @Override
        public FromItem windowedItem(Association<?, ?> a, String alias, @Nullable String junctionAlias, Expr parentKey,
                List<Condition> targetConditions, List<Condition> junctionConditions, List<OrderTerm> order,
                @Nullable Expr limit, @Nullable Expr offset) {
            String j = Objects.requireNonNull(junctionAlias);
            List<Condition> where = new ArrayList<>();
            where.add(eq(Exprs.col(j, a.foreignKey()), parentKey));
            where.addAll(junctionConditions);
            FromItem window = lateral(j, joinItem(a, alias, j, targetConditions), where, order, limit, offset);
            return new FromItem.Join(JoinType.INNER, window, new FromItem.Table(a.target().tableName(), alias),
                    eq(Exprs.col(alias, a.targetKey()), Exprs.col(j, Objects.requireNonNull(a.otherKey()))));
        }

        @Override
        public List<Col> followUpLink(Association<?, ?> a, String alias, @Nullable String junctionAlias) {
            return cols(Objects.requireNonNull(junctionAlias), a.foreignKeys());
        }

        @Override
        public List<Attribute> followUpKey(Association<?, ?> a) {
            return List.of();
        }

        @Override
        public List<Col> loadLink(Association<?, ?> a) {
            return cols("j0", a.foreignKeys());
        }

        @Override
        public FromItem loadFrom(Association<?, ?> a, FromItem root) {
            List<Condition> on = new ArrayList<>();
            pairs("t0", a.targetKeys(), "j0", a.otherKeys(), on);
            return new FromItem.Join(JoinType.INNER, root, new FromItem.Table(through(a).tableName(), "j0"),
                    Condition.And.all(on));
        }

        @Override
        public List<Attribute> targetIdentity(Association<?, ?> a) {
            return a.targetKeys();
        }

        @Override
        public FromItem linkedTargets(Association<?, ?> a, Object sourceKey, List<Condition> where) {
            Model<?> j = through(a);
            equalsKey("j0", a.foreignKeys(), sourceKey, where);
            Conditions.scope("j0", j, a.throughScope(), where);
            return loadFrom(a, new FromItem.Table(a.target().tableName(), "t0"));
        }

        private static Model<?> through(Association<?, ?> a) {
            return Objects.requireNonNull(a.through());
        }
    }

    /** Appends {@code left.l_i = right.r_i} for every key part. */
    private static void pairs(String leftAlias, List<Attribute> left, String rightAlias, List<Attribute> right,
            List<Condition> out) {
        for (int i = 0; i < left.size(); i++) {
            out.add(new Condition.Compare(Exprs.col(leftAlias, left.get(i)), Op.EQ, Exprs.col(rightAlias, right.get(i))));
        }
    }

    /** Appends {@code alias.k_i = $n} for every part of a bound key ({@link Keys#parts}). */
    private static void equalsKey(String alias, List<Attribute> columns, Object key, List<Condition> out) {
        List<?> parts = Keys.parts(key, columns.size());
        for (int i = 0; i < columns.size(); i++) {
            out.add(new Condition.Compare(Exprs.col(alias, columns.get(i)), Op.EQ, Exprs.value(columns.get(i), parts.get(i))));
        }
    }

    private static Condition eq(Expr left, Expr right) {
        return new Condition.Compare(left, Op.EQ, right);
    }

    private static List<Col> cols(String alias, List<Attribute> columns) {
        return columns.stream().map(c -> new Col(alias, c)).toList();
    }
}
