package io.relata.query;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A filter condition: an immutable tree rendered to SQL with bind values (never inlined). Paths
 * name an attribute of the queried model ({@code "name"}) or of an include by its alias chain
 * ({@code "ship.name"}, {@code "books.tags.label"}).
 */
public sealed interface Where {

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

        private final String sql;

        Op(String sql) {
            this.sql = sql;
        }

        /** @return the SQL operator */
        public String sql() {
            return sql;
        }
    }

    /** @param path attribute path @param op operator @param value compared value (not null) */
    record Compare(String path, Op op, Object value) implements Where {
        public Compare {
            Paths.check(path, "path");
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(value, "value");
        }
    }

    /** @param path attribute path @param values candidates @param negated NOT IN */
    record In(String path, List<Object> values, boolean negated) implements Where {
        public In {
            Paths.check(path, "path");
            values = List.copyOf(Args.elements(values, "values"));
        }
    }

    /** @param path attribute path @param negated IS NOT NULL */
    record IsNull(String path, boolean negated) implements Where {
        public IsNull {
            Paths.check(path, "path");
        }
    }

    /** @param path attribute path @param low lower bound @param high upper bound (both inclusive) */
    record Between(String path, Object low, Object high) implements Where {
        public Between {
            Paths.check(path, "path");
            Objects.requireNonNull(low, "low");
            Objects.requireNonNull(high, "high");
        }
    }

    /** @param conditions all must hold */
    record And(List<Where> conditions) implements Where {
        public And {
            conditions = List.copyOf(Args.elements(conditions, "conditions"));
        }
    }

    /** @param conditions one must hold */
    record Or(List<Where> conditions) implements Where {
        public Or {
            conditions = List.copyOf(Args.elements(conditions, "conditions"));
        }
    }

    /** @param condition must not hold */
    record Not(Where condition) implements Where {
        public Not {
            Objects.requireNonNull(condition, "condition");
        }
    }

    /** @param path attribute path @param value value; null means {@code IS NULL} (Sequelize's rule) @return {@code =} */
    static Where eq(String path, @Nullable Object value) {
        return value == null ? new IsNull(path, false) : new Compare(path, Op.EQ, value);
    }

    /** @param path attribute path @param value value; null means {@code IS NOT NULL} @return {@code <>} */
    static Where ne(String path, @Nullable Object value) {
        return value == null ? new IsNull(path, true) : new Compare(path, Op.NE, value);
    }

    /** @param path attribute path @param value bound @return {@code >} */
    static Where gt(String path, Object value) {
        return new Compare(path, Op.GT, value);
    }

    /** @param path attribute path @param value bound @return {@code >=} */
    static Where gte(String path, Object value) {
        return new Compare(path, Op.GTE, value);
    }

    /** @param path attribute path @param value bound @return {@code <} */
    static Where lt(String path, Object value) {
        return new Compare(path, Op.LT, value);
    }

    /** @param path attribute path @param value bound @return {@code <=} */
    static Where lte(String path, Object value) {
        return new Compare(path, Op.LTE, value);
    }

    /** @param path attribute path @param pattern SQL pattern @return {@code LIKE} */
    static Where like(String path, String pattern) {
        return new Compare(path, Op.LIKE, Objects.requireNonNull(pattern, "pattern"));
    }

    /** @param path attribute path @param pattern SQL pattern @return {@code ILIKE} (case-insensitive) */
    static Where iLike(String path, String pattern) {
        return new Compare(path, Op.ILIKE, Objects.requireNonNull(pattern, "pattern"));
    }

    /** @param path attribute path @param values candidates @return {@code = ANY($n)} */
    static Where in(String path, Collection<?> values) {
        return new In(path, List.copyOf(Args.elements(values, "values")), false);
    }

    /** @param path attribute path @param values candidates @return {@code = ANY($n)} */
    static Where in(String path, Object... values) {
        return new In(path, Arrays.asList(Args.elements(values, "values")), false);
    }

    /** @param path attribute path @param values excluded values @return {@code <> ALL($n)} */
    static Where notIn(String path, Collection<?> values) {
        return new In(path, List.copyOf(Args.elements(values, "values")), true);
    }

    /** @param path attribute path @return {@code IS NULL} */
    static Where isNull(String path) {
        return new IsNull(path, false);
    }

    /** @param path attribute path @return {@code IS NOT NULL} */
    static Where notNull(String path) {
        return new IsNull(path, true);
    }

    /** @param path attribute path @param low lower bound @param high upper bound @return {@code BETWEEN} */
    static Where between(String path, Object low, Object high) {
        return new Between(path, low, high);
    }

    /** @param conditions conditions @return all of them */
    static Where and(Where... conditions) {
        return new And(List.of(Args.elements(conditions, "conditions")));
    }

    /** @param conditions conditions @return any of them */
    static Where or(Where... conditions) {
        return new Or(List.of(Args.elements(conditions, "conditions")));
    }

    /** @param condition a condition @return its negation */
    static Where not(Where condition) {
        return new Not(condition);
    }
}
