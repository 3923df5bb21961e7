package io.relata.internal.sql;

import io.relata.DataType;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A value expression. */
public sealed interface Expr {

    /** @param visitor receives this node by its kind (the renderer) */
    void accept(ExprVisitor visitor);

    /** One method per node kind: a new node kind does not compile until every visitor handles it. */
    interface ExprVisitor {
        /** @param node a {@link Column} */
        void column(Column node);

        /** @param node a {@link Param} */
        void param(Param node);

        /** @param node a {@link Cast} */
        void cast(Cast node);

        /** @param node a {@link Call} */
        void call(Call node);

        /** @param node a {@link Over} */
        void over(Over node);

        /** @param node an {@link OrderedCall} */
        void orderedCall(OrderedCall node);

        /** @param node a {@link Row} */
        void row(Row node);

        /** @param node a {@link Star} */
        void star(Star node);

        /** @param node a {@link Literal} */
        void literal(Literal node);

        /** @param node a {@link Default} */
        void defaultValue(Default node);

        /** @param node a {@link Null} */
        void nullValue(Null node);

        /** @param node a {@link Excluded} */
        void excluded(Excluded node);

        /** @param node a {@link Subquery} */
        void subquery(Subquery node);

        /** @param node a {@link AllColumns} */
        void allColumns(AllColumns node);

        /** @param node a {@link Arithmetic} */
        void arithmetic(Arithmetic node);
    }

    /**
     * {@code "qualifier"."name"}, or {@code "name"} without a qualifier.
     *
     * @param qualifier a table name or alias, or null
     * @param name the column
     */
    record Column(@Nullable String qualifier, String name) implements Expr {
        @Override
        public void accept(ExprVisitor v) {
            v.column(this);
        }

        public Column {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * A bind parameter, rendered {@code $n} in text order. A parameter with a slot name can be found in
     * the rendered statement ({@link Renderer.Rendered#slot(String)}) to be re-bound later (a key array of
     * a lazy-load template, the key of a cached {@code findByPk}).
     *
     * @param value the value (an array for {@code = ANY} and {@code unnest}), or null
     * @param type the Java type bound (the array class for arrays); what a null is bound as
     * @param slot a name to find the parameter by, or null
     */
    record Param(@Nullable Object value, Class<?> type, @Nullable String slot) implements Expr {
        @Override
        public void accept(ExprVisitor v) {
            v.param(this);
        }

        public Param {
            Objects.requireNonNull(type, "type");
        }

        /** @param value the value @param type its type @return an unnamed parameter */
        public static Param of(@Nullable Object value, Class<?> type) {
            return new Param(value, type, null);
        }
    }

    /**
     * {@code expr::type} (or {@code expr::type[]}).
     *
     * @param expr the value
     * @param type the type cast to
     * @param array cast to an array of the type
     */
    record Cast(Expr expr, DataType type, boolean array) implements Expr {
        @Override
        public void accept(ExprVisitor v) {
            v.cast(this);
        }

    }

    /**
     * A function call: {@code name(args)}, {@code count(DISTINCT args)}.
     *
     * @param function the function
     * @param args its arguments
     * @param distinct {@code DISTINCT} before the arguments (aggregates)
     */
    record Call(Function function, List<Expr> args, boolean distinct) implements Expr {
        @Override
        public void accept(ExprVisitor v) {
            v.call(this);
        }

        public Call {
            args = List.copyOf(args);
        }

        /** @param function the function @param args the arguments @return the call */
        public static Call of(Function function, Expr... args) {
            return new Call(function, List.of(args), false);
        }
    }

    /**
     * A window function: {@code call OVER (PARTITION BY ... ORDER BY ...)}.
     *
     * @param call the function
     * @param partitionBy partition expressions
     * @param orderBy order within a partition
     */
    record Over(Call call, List<Expr> partitionBy, List<OrderTerm> orderBy) implements Expr {
        @Override
        public void accept(ExprVisitor v) {
            v.over(this);
        }

        public Over {
            partitionBy = List.copyOf(partitionBy);
            orderBy = List.copyOf(orderBy);
        }
    }

    /**
     * An aggregate over ordered input: {@code json_agg(args ORDER BY ...)}.
     *
     * @param call the aggregate
     * @param orderBy the order its input is aggregated in (not empty)
     */
    record OrderedCall(Call call, List<OrderTerm> orderBy) implements Expr {
        @Override
        public void accept(ExprVisitor v) {
            v.orderedCall(this);
        }

        public OrderedCall {
            Objects.requireNonNull(call, "call");
            orderBy = List.copyOf(orderBy);
            if (orderBy.isEmpty()) {
                throw new IllegalArgumentException("an ordered aggregate needs an order");
            }
        }
    }

    /** @param items the elements of a row value {@code (a, b)} */
    record Row(List<Expr> items) implements Expr {
        @Override
        public void accept(ExprVisitor v) {
            v.row(this);
        }

        public Row {
            items = List.copyOf(items);
        }
    }

    /** {@code *} (in {@code count(*)}). */
    record Star() implements Expr {
        @Override
        public void accept(ExprVisitor v) {
            v.star(this);
        }

    }

    /**
     * A constant written into the text: only for DDL defaults and fixed numbers of the statement shape
     * ({@code SELECT 1}, {@code FETCH FORWARD 256}); never a user value in a query.
     *
     * @param value a number, boolean or string
     */
    record Literal(Object value) implements Expr {
        @Override
        public void accept(ExprVisitor v) {
            v.literal(this);
        }

        public Literal {
            Objects.requireNonNull(value, "value");
        }
    }

    /** {@code NULL}. */
    record Null() implements Expr {
        @Override
        public void accept(ExprVisitor v) {
            v.nullValue(this);
        }
    }

    /** {@code DEFAULT} (a value of an INSERT). */
    record Default() implements Expr {
        @Override
        public void accept(ExprVisitor v) {
            v.defaultValue(this);
        }

    }

    /** @param column {@code EXCLUDED."column"} (ON CONFLICT DO UPDATE) */
    record Excluded(String column) implements Expr {
        @Override
        public void accept(ExprVisitor v) {
            v.excluded(this);
        }

    }

    /** @param query a scalar subquery {@code (SELECT ...)} */
    record Subquery(Statement.Select query) implements Expr {
        @Override
        public void accept(ExprVisitor v) {
            v.subquery(this);
        }

    }

    /** @param qualifier a table alias: {@code "qualifier".*}, every column of it (the select list of a lateral) */
    record AllColumns(String qualifier) implements Expr {
        @Override
        public void accept(ExprVisitor v) {
            v.allColumns(this);
        }

        public AllColumns {
            Objects.requireNonNull(qualifier, "qualifier");
        }
    }

    /**
     * {@code left + right} or {@code left - right} (increments, version bumps).
     *
     * @param left the left operand
     * @param op the operator
     * @param right the right operand
     */
    record Arithmetic(Expr left, ArithmeticOp op, Expr right) implements Expr {
        public Arithmetic {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(right, "right");
        }

        @Override
        public void accept(ExprVisitor v) {
            v.arithmetic(this);
        }
    }

    /** The operators of {@link Arithmetic}. */
    enum ArithmeticOp {
        /** {@code +} */ PLUS("+"),
        /** {@code -} */ MINUS("-");

        private final String symbol;

        ArithmeticOp(String symbol) {
            this.symbol = symbol;
        }

        String symbol() {
            return symbol;
        }
    }

    /** The functions Relata calls. */
    enum Function {
        /** {@code count} */ COUNT("count"),
        /** {@code sum} */ SUM("sum"),
        /** {@code avg} */ AVG("avg"),
        /** {@code min} */ MIN("min"),
        /** {@code max} */ MAX("max"),
        /** {@code now} */ NOW("now"),
        /** {@code unnest} */ UNNEST("unnest"),
        /** {@code row_number} */ ROW_NUMBER("row_number"),
        /** {@code dense_rank} */ DENSE_RANK("dense_rank"),
        /** {@code gen_random_uuid} */ GEN_RANDOM_UUID("gen_random_uuid"),
        /** {@code set_config} */ SET_CONFIG("set_config"),
        /** {@code coalesce} */ COALESCE("coalesce"),
        /** {@code json_agg} */ JSON_AGG("json_agg"),
        /** {@code json_build_object} */ JSON_BUILD_OBJECT("json_build_object"),
        /** {@code json_build_array} */ JSON_BUILD_ARRAY("json_build_array"),
        /** {@code pg_backend_pid} */ PG_BACKEND_PID("pg_backend_pid");

        private final String sqlName;

        Function(String sqlName) {
            this.sqlName = sqlName;
        }

        String sqlName() {
            return sqlName;
        }
    }
}
