package io.relata.internal.sql;

import io.relata.DataType;
import io.relata.ReferentialAction;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A whole statement. */
public sealed interface Statement {

    /** @param visitor receives this node by its kind (the renderer) */
    void accept(StatementVisitor visitor);

    /** One method per statement kind: a new kind does not compile until every visitor handles it. */
    interface StatementVisitor {
        /** @param node a {@link Select} */
        void select(Select node);

        /** @param node a {@link Insert} */
        void insert(Insert node);

        /** @param node a {@link Update} */
        void update(Update node);

        /** @param node a {@link Delete} */
        void delete(Delete node);

        /** @param node a {@link With} */
        void with(With node);

        /** @param node a {@link DeclareCursor} */
        void declareCursor(DeclareCursor node);

        /** @param node a {@link Fetch} */
        void fetch(Fetch node);

        /** @param node a {@link CloseCursor} */
        void closeCursor(CloseCursor node);

        /** @param node a {@link Savepoint} */
        void savepoint(Savepoint node);

        /** @param node a {@link SetLocal} */
        void setLocal(SetLocal node);

        /** @param node a {@link CreateTable} */
        void createTable(CreateTable node);

        /** @param node a {@link AddForeignKey} */
        void addForeignKey(AddForeignKey node);

        /** @param node a {@link DropTable} */
        void dropTable(DropTable node);
    }

    /**
     * {@code SELECT [DISTINCT] items FROM from WHERE where GROUP BY ... HAVING ... ORDER BY ... LIMIT ... OFFSET ...}.
     *
     * @param distinct {@code DISTINCT}
     * @param items the select list
     * @param from what is read, or null
     * @param where the filter, or null
     * @param groupBy grouping expressions
     * @param having the group filter, or null
     * @param orderBy ordering
     * @param limit the row limit (a parameter or literal), or null
     * @param offset the rows skipped, or null
     */
    record Select(boolean distinct, List<SelectItem> items, @Nullable FromItem from, @Nullable Condition where,
            List<Expr> groupBy, @Nullable Condition having, List<OrderTerm> orderBy, @Nullable Expr limit,
            @Nullable Expr offset) implements Statement {
        @Override
        public void accept(StatementVisitor v) {
            v.select(this);
        }

        public Select {
            items = List.copyOf(items);
            groupBy = List.copyOf(groupBy);
            orderBy = List.copyOf(orderBy);
        }

        /** @param items the select list @param from what is read @param where the filter, or null @return a plain select */
        public static Select of(List<SelectItem> items, @Nullable FromItem from, @Nullable Condition where) {
            return new Select(false, items, from, where, List.of(), null, List.of(), null, null);
        }

        /** @param orderBy ordering @return this select ordered */
        public Select orderBy(List<OrderTerm> orderBy) {
            return new Select(distinct, items, from, where, groupBy, having, orderBy, limit, offset);
        }

        /** @param limit the limit, or null @param offset the offset, or null @return this select windowed */
        public Select window(@Nullable Expr limit, @Nullable Expr offset) {
            return new Select(distinct, items, from, where, groupBy, having, orderBy, limit, offset);
        }

        /** @param groupBy grouping @param having group filter, or null @return this select grouped */
        public Select groupBy(List<Expr> groupBy, @Nullable Condition having) {
            return new Select(distinct, items, from, where, groupBy, having, orderBy, limit, offset);
        }
    }

    /**
     * One item of a select list or of {@code RETURNING}.
     *
     * @param expr the value
     * @param alias {@code AS "alias"}, or null
     */
    record SelectItem(Expr expr, @Nullable String alias) {
        /** @param expr a value @return it without an alias */
        public static SelectItem of(Expr expr) {
            return new SelectItem(expr, null);
        }
    }

    /**
     * {@code INSERT INTO table (columns) VALUES (...), (...) | SELECT ... ON CONFLICT ... RETURNING ...}.
     *
     * @param table the table
     * @param columns the columns written
     * @param rows the rows of values (each as many as columns), or empty when {@code select} is given
     * @param select the rows as a query, or null
     * @param onConflict what a conflict does, or null
     * @param returning what is returned (empty: nothing)
     */
    record Insert(String table, List<String> columns, List<List<Expr>> rows, @Nullable Select select,
            @Nullable OnConflict onConflict, List<SelectItem> returning) implements Statement {
        @Override
        public void accept(StatementVisitor v) {
            v.insert(this);
        }

        public Insert {
            Objects.requireNonNull(table, "table");
            columns = List.copyOf(columns);
            rows = rows.stream().map(List::copyOf).toList();
            returning = List.copyOf(returning);
            if (rows.isEmpty() == (select == null)) {
                throw new IllegalArgumentException("an INSERT has either rows of values or a select");
            }
        }
    }

    /**
     * {@code ON CONFLICT [(columns)] DO NOTHING | DO UPDATE SET ...}.
     *
     * @param columns the conflict target (empty: any conflict)
     * @param set the updates (empty: {@code DO NOTHING})
     */
    record OnConflict(List<String> columns, List<Assignment> set) {
        public OnConflict {
            columns = List.copyOf(columns);
            set = List.copyOf(set);
        }
    }

    /** @param column the column @param value its new value: {@code "column" = value} */
    record Assignment(String column, Expr value) {
    }

    /**
     * {@code UPDATE table [AS alias] SET ... WHERE ... RETURNING ...}.
     *
     * @param table the table
     * @param alias its alias, or null
     * @param set the assignments
     * @param where the rows, or null for all
     * @param returning what is returned
     */
    record Update(String table, @Nullable String alias, List<Assignment> set, @Nullable Condition where,
            List<SelectItem> returning) implements Statement {
        @Override
        public void accept(StatementVisitor v) {
            v.update(this);
        }

        public Update {
            set = List.copyOf(set);
            returning = List.copyOf(returning);
        }
    }

    /**
     * {@code DELETE FROM table [AS alias] WHERE ... RETURNING ...}.
     *
     * @param table the table
     * @param alias its alias, or null
     * @param where the rows, or null for all
     * @param returning what is returned
     */
    record Delete(String table, @Nullable String alias, @Nullable Condition where, List<SelectItem> returning)
            implements Statement {
        @Override
        public void accept(StatementVisitor v) {
            v.delete(this);
        }

        public Delete {
            returning = List.copyOf(returning);
        }
    }

    /** @param name the CTE's name @param query the CTE @param body the statement that follows: {@code WITH "name" AS (query) body} */
    record With(String name, Statement query, Statement body) implements Statement {
        @Override
        public void accept(StatementVisitor v) {
            v.with(this);
        }

    }

    /** @param name the cursor @param query its query: {@code DECLARE "name" NO SCROLL CURSOR FOR query} */
    record DeclareCursor(String name, Select query) implements Statement {
        @Override
        public void accept(StatementVisitor v) {
            v.declareCursor(this);
        }

    }

    /** @param count rows per fetch @param cursor the cursor: {@code FETCH FORWARD n FROM "cursor"} */
    record Fetch(int count, String cursor) implements Statement {
        @Override
        public void accept(StatementVisitor v) {
            v.fetch(this);
        }

    }

    /**
     * A savepoint command: {@code SAVEPOINT "name"}, {@code RELEASE SAVEPOINT "name"},
     * {@code ROLLBACK TO SAVEPOINT "name"}.
     *
     * @param action which of them
     * @param name the savepoint
     */
    record Savepoint(Action action, String name) implements Statement {
        /** What is done with the savepoint. */
        public enum Action {
            /** {@code SAVEPOINT} */
            CREATE,
            /** {@code RELEASE SAVEPOINT} */
            RELEASE,
            /** {@code ROLLBACK TO SAVEPOINT} */
            ROLLBACK_TO
        }

        public Savepoint {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(name, "name");
        }

        @Override
        public void accept(StatementVisitor v) {
            v.savepoint(this);
        }
    }

    /**
     * A run-time setting for the rest of the transaction, as {@code SET LOCAL} does, with the value as a
     * bind: {@code SELECT [current_setting('setting'), ]set_config('setting', $1, true)}.
     *
     * @param setting the setting's name (a literal)
     * @param value its new value
     * @param readPrevious select the value before the change first
     */
    record SetLocal(String setting, Expr.Param value, boolean readPrevious) implements Statement {
        public SetLocal {
            Objects.requireNonNull(setting, "setting");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public void accept(StatementVisitor v) {
            v.setLocal(this);
        }
    }

    /** @param cursor {@code CLOSE "cursor"} */
    record CloseCursor(String cursor) implements Statement {
        @Override
        public void accept(StatementVisitor v) {
            v.closeCursor(this);
        }

    }

    /**
     * {@code CREATE TABLE IF NOT EXISTS "name" (columns, PRIMARY KEY (...), CONSTRAINT ... UNIQUE (...))}.
     *
     * @param name the table
     * @param columns its columns
     * @param primaryKey the primary key columns
     * @param uniques multi-column unique constraints
     * @param foreignKeys multi-column foreign keys, after the uniques: {@code , FOREIGN KEY ("a", "b")
     *     REFERENCES "t" ("x", "y") ON DELETE ... ON UPDATE ...}
     */
    record CreateTable(String name, List<ColumnDef> columns, List<String> primaryKey, List<UniqueConstraint> uniques,
            List<ForeignKey> foreignKeys) implements Statement {
        @Override
        public void accept(StatementVisitor v) {
            v.createTable(this);
        }

        public CreateTable {
            columns = List.copyOf(columns);
            primaryKey = List.copyOf(primaryKey);
            uniques = List.copyOf(uniques);
            foreignKeys = List.copyOf(foreignKeys);
        }

        /** A table without multi-column foreign keys. */
        public CreateTable(String name, List<ColumnDef> columns, List<String> primaryKey, List<UniqueConstraint> uniques) {
            this(name, columns, primaryKey, uniques, List.of());
        }
    }

    /**
     * A multi-column foreign key: {@code FOREIGN KEY ("a", "b") REFERENCES "table" ("x", "y") ON DELETE ... ON
     * UPDATE ...}.
     *
     * @param columns the referencing columns
     * @param table the referenced table
     * @param referenced the referenced columns, paired with {@code columns} in order
     * @param onDelete {@code ON DELETE}
     * @param onUpdate {@code ON UPDATE}
     */
    record ForeignKey(List<String> columns, String table, List<String> referenced, ReferentialAction onDelete,
            ReferentialAction onUpdate) {
        public ForeignKey {
            columns = List.copyOf(columns);
            referenced = List.copyOf(referenced);
        }
    }

    /**
     * One column of a {@code CREATE TABLE}.
     *
     * @param name the column
     * @param type its type
     * @param serial generated by a sequence ({@code SERIAL}, {@code BIGSERIAL}, {@code SMALLSERIAL})
     * @param notNull {@code NOT NULL}
     * @param unique {@code UNIQUE}
     * @param defaultValue {@code DEFAULT ...}, or null
     * @param references an inline {@code REFERENCES}, or null
     */
    record ColumnDef(String name, DataType type, boolean serial, boolean notNull, boolean unique,
            @Nullable Expr defaultValue, @Nullable References references) {
    }

    /** @param table the referenced table @param column its column @param onDelete {@code ON DELETE} @param onUpdate {@code ON UPDATE} */
    record References(String table, String column, ReferentialAction onDelete, ReferentialAction onUpdate) {
    }

    /** @param name the constraint @param columns its columns */
    record UniqueConstraint(String name, List<String> columns) {
        public UniqueConstraint {
            columns = List.copyOf(columns);
        }
    }

    /**
     * Adds a foreign key unless it exists: {@code ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY ...}, made
     * idempotent like {@code CREATE TABLE IF NOT EXISTS} (PostgreSQL: a {@code DO} block that ignores
     * {@code duplicate_object}).
     *
     * @param table the table
     * @param constraint the constraint name
     * @param column the column
     * @param references what it references
     * @param composite a multi-column key instead ({@code column} and {@code references} then unused), or null
     */
    record AddForeignKey(String table, String constraint, String column, @Nullable References references,
            @Nullable ForeignKey composite) implements Statement {
        @Override
        public void accept(StatementVisitor v) {
            v.addForeignKey(this);
        }

        /** A single-column foreign key. */
        public AddForeignKey(String table, String constraint, String column, References references) {
            this(table, constraint, column, references, null);
        }

        /** A multi-column foreign key. */
        public AddForeignKey(String table, String constraint, ForeignKey composite) {
            this(table, constraint, "", null, composite);
        }
    }

    /** @param name the table @param cascade {@code CASCADE}: {@code DROP TABLE IF EXISTS "name" [CASCADE]} */
    record DropTable(String name, boolean cascade) implements Statement {
        @Override
        public void accept(StatementVisitor v) {
            v.dropTable(this);
        }

    }
}
