package io.relata.internal.sql;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** What a SELECT reads from. */
public sealed interface FromItem {

    /** @param visitor receives this node by its kind (the renderer) */
    void accept(FromVisitor visitor);

    /** One method per node kind: a new node kind does not compile until every visitor handles it. */
    interface FromVisitor {
        /** @param node a {@link Table} */
        void table(Table node);

        /** @param node a {@link Derived} */
        void derived(Derived node);

        /** @param node a {@link Function} */
        void function(Function node);

        /** @param node a {@link Join} */
        void join(Join node);
    }

    /** @param name the table @param alias its alias, or null */
    record Table(String name, @Nullable String alias) implements FromItem {
        @Override
        public void accept(FromVisitor v) {
            v.table(this);
        }

        public Table {
            Objects.requireNonNull(name, "name");
        }
    }

    /** @param query a subquery @param alias its alias @param lateral {@code LATERAL} */
    record Derived(Statement.Select query, String alias, boolean lateral) implements FromItem {
        @Override
        public void accept(FromVisitor v) {
            v.derived(this);
        }

    }

    /** @param call a set-returning function @param alias its alias @param columns its column aliases: {@code unnest($1) AS "u"("k")} */
    record Function(Expr.Call call, String alias, List<String> columns) implements FromItem {
        @Override
        public void accept(FromVisitor v) {
            v.function(this);
        }

        public Function {
            columns = List.copyOf(columns);
        }
    }

    /**
     * {@code left JOIN right ON on}. A join on the right is parenthesised as one join group
     * ({@code LEFT OUTER JOIN (a INNER JOIN b ON ...) ON ...}).
     *
     * @param type the join type
     * @param left the left side
     * @param right the right side
     * @param on the join condition
     */
    record Join(JoinType type, FromItem left, FromItem right, Condition on) implements FromItem {
        @Override
        public void accept(FromVisitor v) {
            v.join(this);
        }

    }

    /** Join types. */
    enum JoinType {
        /** {@code INNER JOIN} */ INNER,
        /** {@code LEFT OUTER JOIN} */ LEFT
    }
}
