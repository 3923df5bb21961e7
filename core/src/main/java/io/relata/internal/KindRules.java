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
 * how a target is joined to its source, which column links a follow-up or lazy-load row to its source,
 * and which target column identifies a target in writes. {@link #of} is the only decision on the kind;
 * everything else dispatches on the rules object (a new kind is one more implementation, and
 * {@link #of}'s switch does not compile until it is listed).
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
     * @return the column of a follow-up row that holds its parent's key
     */
    Col followUpLink(Association<?, ?> a, String alias, @Nullable String junctionAlias);

    /**
     * @param a the association
     * @return the target column a SEPARATE child must select to be linked back, or null (the junction holds it)
     */
    @Nullable Attribute followUpKey(Association<?, ?> a);

    /**
     * @param a the association
     * @return the column whose values key a lazy load's rows ({@code = ANY($keys)}, and column 0)
     */
    Col loadLink(Association<?, ?> a);

    /**
     * @param a the association
     * @param root the target table's item in a lazy load ({@code "targets" AS "t0"})
     * @return it joined to what the load's link column is on (the junction, the source row), or as it is
     */
    FromItem loadFrom(Association<?, ?> a, FromItem root);

    /** @param a the association @return the target attribute that identifies a target in writes */
    Attribute targetIdentity(Association<?, ?> a);

    /**
     * The FROM item and conditions of a count of the targets linked to a source ({@code "t0"} the target).
     *
     * @param a the association
     * @param sourceKey the source's key as bound
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
            on.add(eq(Exprs.col(alias, a.foreignKey()), Exprs.col(parentAlias, a.sourceKey())));
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
        public Col followUpLink(Association<?, ?> a, String alias, @Nullable String junctionAlias) {
            return new Col(alias, a.foreignKey());
        }

        @Override
        public Attribute followUpKey(Association<?, ?> a) {
            return a.foreignKey();
        }

        @Override
        public Col loadLink(Association<?, ?> a) {
            return new Col("t0", a.foreignKey());
        }

        @Override
        public FromItem loadFrom(Association<?, ?> a, FromItem root) {
            return root;
        }

        @Override
        public Attribute targetIdentity(Association<?, ?> a) {
            return a.target().primaryKey();
        }

        @Override
        public FromItem linkedTargets(Association<?, ?> a, Object sourceKey, List<Condition> where) {
            where.add(new Condition.Compare(Exprs.col("t0", a.foreignKey()), Op.EQ, Exprs.value(a.foreignKey(), sourceKey)));
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
            on.add(eq(Exprs.col(alias, a.targetKey()), Exprs.col(parentAlias, a.foreignKey())));
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
        public Col followUpLink(Association<?, ?> a, String alias, @Nullable String junctionAlias) {
            return new Col(alias, a.targetKey());
        }

        @Override
        public Attribute followUpKey(Association<?, ?> a) {
            return a.targetKey();
        }

        @Override
        public Col loadLink(Association<?, ?> a) {
            return new Col("s0", a.source().primaryKey());
        }

        @Override
        public FromItem loadFrom(Association<?, ?> a, FromItem root) {
            // through the source row: the load sees the foreign key as stored, not as the entity had it
            return new FromItem.Join(JoinType.INNER, root, new FromItem.Table(a.source().tableName(), "s0"),
                    eq(Exprs.col("s0", a.foreignKey()), Exprs.col("t0", a.targetKey())));
        }

        @Override
        public Attribute targetIdentity(Association<?, ?> a) {
            return a.targetKey();
        }

        @Override
        public FromItem linkedTargets(Association<?, ?> a, Object sourceKey, List<Condition> where) {
            where.add(new Condition.Compare(Exprs.col("t0", a.targetKey()), Op.EQ, Exprs.value(a.targetKey(), sourceKey)));
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
            on.add(eq(Exprs.col(alias, a.targetKey()), Exprs.col(j, Objects.requireNonNull(a.otherKey()))));
            on.addAll(targetConditions);
            return new FromItem.Join(JoinType.INNER, new FromItem.Table(through(a).tableName(), j),
                    new FromItem.Table(a.target().tableName(), alias), Condition.And.all(on));
        }

        @Override
        public Condition joinOn(Association<?, ?> a, String alias, @Nullable String junctionAlias, String parentAlias,
                List<Condition> targetConditions, List<Condition> junctionConditions) {
            List<Condition> on = new ArrayList<>();
            on.add(eq(Exprs.col(Objects.requireNonNull(junctionAlias), a.foreignKey()), Exprs.col(parentAlias, a.sourceKey())));
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
        public Col followUpLink(Association<?, ?> a, String alias, @Nullable String junctionAlias) {
            return new Col(Objects.requireNonNull(junctionAlias), a.foreignKey());
        }

        @Override
        public @Nullable Attribute followUpKey(Association<?, ?> a) {
            return null;
        }

        @Override
        public Col loadLink(Association<?, ?> a) {
            return new Col("j0", a.foreignKey());
        }

        @Override
        public FromItem loadFrom(Association<?, ?> a, FromItem root) {
            return new FromItem.Join(JoinType.INNER, root, new FromItem.Table(through(a).tableName(), "j0"),
                    eq(Exprs.col("t0", a.targetKey()), Exprs.col("j0", Objects.requireNonNull(a.otherKey()))));
        }

        @Override
        public Attribute targetIdentity(Association<?, ?> a) {
            return a.targetKey();
        }

        @Override
        public FromItem linkedTargets(Association<?, ?> a, Object sourceKey, List<Condition> where) {
            Model<?> j = through(a);
            where.add(new Condition.Compare(Exprs.col("j0", a.foreignKey()), Op.EQ, Exprs.value(a.foreignKey(), sourceKey)));
            Conditions.scope("j0", j, a.throughScope(), where);
            return loadFrom(a, new FromItem.Table(a.target().tableName(), "t0"));
        }

        private static Model<?> through(Association<?, ?> a) {
            return Objects.requireNonNull(a.through());
        }
    }

    private static Condition eq(Expr left, Expr right) {
        return new Condition.Compare(left, Op.EQ, right);
    }
}
