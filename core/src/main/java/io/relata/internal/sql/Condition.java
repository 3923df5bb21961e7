package io.relata.internal.sql;

import java.util.List;

/** A boolean expression (WHERE, ON, HAVING). */
public sealed interface Condition {

    /** @param visitor receives this node by its kind (the renderer) */
    void accept(ConditionVisitor visitor);

    /** One method per node kind: a new node kind does not compile until every visitor handles it. */
    interface ConditionVisitor {
        /** @param node a {@link Compare} */
        void compare(Compare node);

        /** @param node a {@link AnyOf} */
        void anyOf(AnyOf node);

        /** @param node a {@link IsNull} */
        void isNull(IsNull node);

        /** @param node a {@link Between} */
        void between(Between node);

        /** @param node a {@link And} */
        void and(And node);

        /** @param node a {@link Or} */
        void or(Or node);

        /** @param node a {@link Not} */
        void not(Not node);

        /** @param node a {@link Exists} */
        void exists(Exists node);

        /** @param node a {@link Bool} */
        void bool(Bool node);

        /** @param node a {@link InUnnest} */
        void inUnnest(InUnnest node);
    }

    /** Comparison operators. */
    enum Op {
        /** {@code =} */ EQ("="),
        /** {@code <>} */ NE("<>"),
        /** {@code >} */ GT(">"),
        /** {@code >=} */ GTE(">="),
        /** {@code <} */ LT("<"),
        /** {@code <=} */ LTE("<="),
        /** {@code LIKE} */ LIKE("LIKE"),
        /** {@code ILIKE} */ ILIKE("ILIKE");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        String symbol() {
            return symbol;
        }
    }

    /** @param left left side @param op operator @param right right side */
    record Compare(Expr left, Op op, Expr right) implements Condition {
        @Override
        public void accept(ConditionVisitor v) {
            v.compare(this);
        }

    }

    /** @param left the value @param array an array: {@code left = ANY(array)}, or {@code left <> ALL(array)} when negated @param negated {@code <> ALL} */
    record AnyOf(Expr left, Expr array, boolean negated) implements Condition {
        @Override
        public void accept(ConditionVisitor v) {
            v.anyOf(this);
        }

    }

    /** @param expr the value @param negated {@code IS NOT NULL} */
    record IsNull(Expr expr, boolean negated) implements Condition {
        @Override
        public void accept(ConditionVisitor v) {
            v.isNull(this);
        }

    }

    /** @param expr the value @param low lower bound @param high upper bound */
    record Between(Expr expr, Expr low, Expr high) implements Condition {
        @Override
        public void accept(ConditionVisitor v) {
            v.between(this);
        }

    }

    /**
     * All of the parts. Grouped: {@code (a AND b)} (a user's {@code Where.and}, {@code TRUE} when empty);
     * flat: {@code a AND b}, for clauses assembled by a planner (a join's key, its scope, its filter).
     *
     * @param parts the conditions
     * @param grouped whether the conjunction is parenthesised as one term
     */
    record And(List<Condition> parts, boolean grouped) implements Condition {
        @Override
        public void accept(ConditionVisitor v) {
            v.and(this);
        }

        public And {
            parts = List.copyOf(parts);
        }

        /** @param parts conditions @return their flat conjunction */
        public static Condition all(List<Condition> parts) {
            return parts.size() == 1 ? parts.get(0) : new And(parts, false);
        }
    }

    /** @param parts any of them: {@code (a OR b)}, {@code FALSE} when empty */
    record Or(List<Condition> parts) implements Condition {
        @Override
        public void accept(ConditionVisitor v) {
            v.or(this);
        }

        public Or {
            parts = List.copyOf(parts);
        }
    }

    /** @param condition {@code NOT (condition)} */
    record Not(Condition condition) implements Condition {
        @Override
        public void accept(ConditionVisitor v) {
            v.not(this);
        }
    }

    /** @param query the subquery @param negated {@code NOT EXISTS (query)} instead of {@code EXISTS (query)} */
    record Exists(Statement.Select query, boolean negated) implements Condition {
        @Override
        public void accept(ConditionVisitor v) {
            v.exists(this);
        }

        /** @param query the subquery @return {@code EXISTS (query)} */
        public static Exists of(Statement.Select query) {
            return new Exists(query, false);
        }
    }

    /**
     * A composite key among the tuples of aligned arrays: {@code ("a", "b") IN (SELECT * FROM unnest($1, $2))},
     * or {@code NOT IN} when negated. The text depends on the number of key columns only, never on the number
     * of keys (the set form of {@code = ANY($n)} for several columns).
     *
     * @param columns the key columns (two or more)
     * @param arrays one array per column, paired up by position
     * @param negated {@code NOT IN}
     */
    record InUnnest(List<Expr> columns, List<Expr> arrays, boolean negated) implements Condition {
        @Override
        public void accept(ConditionVisitor v) {
            v.inUnnest(this);
        }

        public InUnnest {
            columns = List.copyOf(columns);
            arrays = List.copyOf(arrays);
            if (columns.size() != arrays.size() || columns.size() < 2) {
                throw new IllegalArgumentException("a composite key IN pairs two or more columns with as many arrays");
            }
        }
    }

    /** @param value {@code TRUE} or {@code FALSE} */
    record Bool(boolean value) implements Condition {
        @Override
        public void accept(ConditionVisitor v) {
            v.bool(this);
        }
    }
}
