package io.relata.internal.sql;

import io.relata.DataType;
import io.relata.internal.sql.Condition.And;
import io.relata.internal.sql.Condition.AnyOf;
import io.relata.internal.sql.Condition.Between;
import io.relata.internal.sql.Condition.Bool;
import io.relata.internal.sql.Condition.Compare;
import io.relata.internal.sql.Condition.Exists;
import io.relata.internal.sql.Condition.IsNull;
import io.relata.internal.sql.Condition.Not;
import io.relata.internal.sql.Condition.Or;
import io.relata.internal.sql.Expr.Call;
import io.relata.internal.sql.Expr.Cast;
import io.relata.internal.sql.Expr.Column;
import io.relata.internal.sql.Expr.Default;
import io.relata.internal.sql.Expr.Excluded;
import io.relata.internal.sql.Expr.Literal;
import io.relata.internal.sql.Expr.Over;
import io.relata.internal.sql.Expr.Param;
import io.relata.internal.sql.Expr.Row;
import io.relata.internal.sql.Expr.Star;
import io.relata.internal.sql.Expr.Subquery;
import io.relata.internal.sql.FromItem.Derived;
import io.relata.internal.sql.FromItem.Join;
import io.relata.internal.sql.FromItem.Table;
import io.relata.internal.sql.Statement.AddForeignKey;
import io.relata.internal.sql.Statement.Assignment;
import io.relata.internal.sql.Statement.CloseCursor;
import io.relata.internal.sql.Statement.ColumnDef;
import io.relata.internal.sql.Statement.CreateTable;
import io.relata.internal.sql.Statement.DeclareCursor;
import io.relata.internal.sql.Statement.Delete;
import io.relata.internal.sql.Statement.DropTable;
import io.relata.internal.sql.Statement.Fetch;
import io.relata.internal.sql.Statement.Insert;
import io.relata.internal.sql.Statement.References;
import io.relata.internal.sql.Statement.Select;
import io.relata.internal.sql.Statement.SelectItem;
import io.relata.internal.sql.Statement.UniqueConstraint;
import io.relata.internal.sql.Statement.Update;
import io.relata.internal.sql.Statement.With;
import io.relata.sql.Bind;
import io.relata.sql.SqlStatement;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Renders the AST in one pass: the only code that produces SQL text. Identifiers are double-quoted here
 * and nowhere else; every {@link Param} becomes {@code $n}, numbered in text order, with its value in the
 * statement's binds; a literal is written only where the tree asks for one (DDL defaults, fixed numbers
 * of a shape). The text therefore depends on the tree's shape only, never on parameter values.
 */
public final class Renderer implements Statement.StatementVisitor, Expr.ExprVisitor,
        Condition.ConditionVisitor, FromItem.FromVisitor {
    private final Dialect dialect;
    private final StringBuilder sql = new StringBuilder(256);
    private final List<Bind> binds = new ArrayList<>();
    private final Map<String, Integer> slots = new HashMap<>();

    private Renderer(Dialect dialect) {
        this.dialect = dialect;
    }

    /**
     * A rendered statement, and where its named parameters ended up.
     *
     * @param statement the text and binds
     * @param slots parameter slot name to bind index (0 for {@code $1})
     */
    public record Rendered(SqlStatement statement, Map<String, Integer> slots) {
        public Rendered {
            slots = Map.copyOf(slots);
        }

        /**
         * @param name a slot name given to a {@link Param}
         * @return the bind index of that parameter
         * @throws IllegalArgumentException when the statement has no such slot
         */
        public int slot(String name) {
            Integer index = slots.get(name);
            if (index == null) {
                throw new IllegalArgumentException("the statement has no parameter slot '" + name + "': " + statement.sql());
            }
            return index;
        }
    }

    /** @param statement a tree @return it rendered for PostgreSQL */
    public static SqlStatement render(Statement statement) {
        return renderWithSlots(statement, Dialect.POSTGRESQL).statement();
    }

    /**
     * @param statement a tree
     * @param dialect the database rendered for
     * @return it rendered for that database
     * @throws UnsupportedOperationException naming the dialect and the construct it cannot express
     */
    public static SqlStatement render(Statement statement, Dialect dialect) {
        return renderWithSlots(statement, dialect).statement();
    }

    /**
     * @param statement a tree
     * @param dialect the database rendered for
     * @return the text, binds and slot positions
     */
    public static Rendered renderWithSlots(Statement statement, Dialect dialect) {
        Renderer r = new Renderer(Objects.requireNonNull(dialect, "dialect"));
        r.statement(statement);
        Described d = new Described();
        statement.accept(d);
        return new Rendered(new SqlStatement(r.sql.toString(), r.binds, d.operation, d.table), r.slots);
    }

    /** What a statement does and which table it is mainly about, for logs and metrics. */
    private static final class Described implements Statement.StatementVisitor {
        String operation = "other";
        @Nullable String table;

        private static @Nullable String root(@Nullable FromItem from) {
            FromItem f = from;
            while (f instanceof Join j) {
                f = j.left();
            }
            if (f instanceof Table t) {
                return t.name();
            }
            if (f instanceof Derived d) {
                return root(d.query().from());
            }
            return null;
        }

        @Override
        public void select(Select node) {
            operation = "select";
            table = root(node.from());
        }

        @Override
        public void insert(Insert node) {
            operation = "insert";
            table = node.table();
        }

        @Override
        public void update(Update node) {
            operation = "update";
            table = node.table();
        }

        @Override
        public void delete(Delete node) {
            operation = "delete";
            table = node.table();
        }

        @Override
        public void with(With node) {
            node.body().accept(this);
        }

        @Override
        public void declareCursor(DeclareCursor node) {
            operation = "cursor";
            table = root(node.query().from());
        }

        @Override
        public void fetch(Fetch node) {
            operation = "cursor";
        }

        @Override
        public void closeCursor(CloseCursor node) {
            operation = "cursor";
        }

        @Override
        public void createTable(CreateTable node) {
            operation = "ddl";
            table = node.name();
        }

        @Override
        public void addForeignKey(AddForeignKey node) {
            operation = "ddl";
            table = node.table();
        }

        @Override
        public void dropTable(DropTable node) {
            operation = "ddl";
            table = node.name();
        }

        @Override
        public void savepoint(Statement.Savepoint node) {
            operation = "transaction";
        }

        @Override
        public void setLocal(Statement.SetLocal node) {
            operation = "transaction";
        }
    }

    /** @param identifier a name @return it double-quoted with embedded quotes doubled */
    public static String quote(String identifier) {
        if (identifier.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("identifier contains a NUL character");
        }
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    // ---- statements ----

    private void statement(Statement s) {
        s.accept(this);
    }

    @Override
    public void select(Select node) {
        selectBody(node);
    }

    @Override
    public void insert(Insert node) {
        insertBody(node);
    }

    @Override
    public void update(Update node) {
        updateBody(node);
    }

    @Override
    public void delete(Delete node) {
        deleteBody(node);
    }

    @Override
    public void with(With with) {
        text("WITH ").id(with.name()).text(" AS (");
        statement(with.query());
        text(") ");
        statement(with.body());
    }

    @Override
    public void declareCursor(DeclareCursor d) {
        text("DECLARE ").id(d.name()).text(" NO SCROLL CURSOR FOR ");
        selectBody(d.query());
    }

    @Override
    public void fetch(Fetch f) {
        text("FETCH FORWARD ").text(Integer.toString(f.count())).text(" FROM ").id(f.cursor());
    }

    @Override
    public void closeCursor(CloseCursor c) {
        text("CLOSE ").id(c.cursor());
    }

    @Override
    public void savepoint(Statement.Savepoint s) {
        text(switch (s.action()) {
            case CREATE -> "SAVEPOINT ";
            case RELEASE -> "RELEASE SAVEPOINT ";
            case ROLLBACK_TO -> "ROLLBACK TO SAVEPOINT ";
        }).id(s.name());
    }

    @Override
    public void setLocal(Statement.SetLocal s) {
        text("SELECT ");
        if (s.readPrevious()) {
            text("current_setting(");
            literalValue(s.setting());
            text("), ");
        }
        text("set_config(");
        literalValue(s.setting());
        text(", ");
        bind(s.value());
        text(", true)");
    }

    @Override
    public void createTable(CreateTable t) {
        createTableBody(t);
    }

    @Override
    public void addForeignKey(AddForeignKey fk) {
        addForeignKeyBody(fk);
    }

    @Override
    public void dropTable(DropTable d) {
        text("DROP TABLE IF EXISTS ").id(d.name());
        if (d.cascade()) {
            text(" CASCADE");
        }
    }

    private void selectBody(Select s) {
        text(s.distinct() ? "SELECT DISTINCT " : "SELECT ");
        items(s.items());
        if (s.from() != null) {
            text(" FROM ");
            from(s.from());
        }
        if (s.where() != null) {
            text(" WHERE ");
            condition(s.where());
        }
        if (!s.groupBy().isEmpty()) {
            text(" GROUP BY ");
            exprs(s.groupBy());
        }
        if (s.having() != null) {
            text(" HAVING ");
            condition(s.having());
        }
        if (!s.orderBy().isEmpty()) {
            text(" ORDER BY ");
            orderTerms(s.orderBy());
        }
        if (s.limit() != null) {
            text(" LIMIT ");
            expr(s.limit());
        }
        if (s.offset() != null) {
            text(" OFFSET ");
            expr(s.offset());
        }
    }

    private void items(List<SelectItem> items) {
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                text(", ");
            }
            SelectItem item = items.get(i);
            expr(item.expr());
            if (item.alias() != null) {
                text(" AS ").id(item.alias());
            }
        }
    }

    private void orderTerms(List<OrderTerm> terms) {
        for (int i = 0; i < terms.size(); i++) {
            if (i > 0) {
                text(", ");
            }
            expr(terms.get(i).expr());
            if (terms.get(i).descending()) {
                text(" DESC");
            }
        }
    }

    private void insertBody(Insert s) {
        text("INSERT INTO ").id(s.table()).text(" (");
        ids(s.columns());
        text(")");
        if (s.select() != null) {
            text(" ");
            selectBody(s.select());
        } else {
            text(" VALUES ");
            for (int r = 0; r < s.rows().size(); r++) {
                text(r == 0 ? "(" : ", (");
                exprs(s.rows().get(r));
                text(")");
            }
        }
        if (s.onConflict() != null) {
            Statement.OnConflict c = s.onConflict();
            text(" ON CONFLICT");
            if (!c.columns().isEmpty()) {
                text(" (");
                ids(c.columns());
                text(")");
            }
            if (c.set().isEmpty()) {
                text(" DO NOTHING");
            } else {
                text(" DO UPDATE SET ");
                assignments(c.set());
            }
        }
        returning(s.returning());
    }

    private void updateBody(Update s) {
        text("UPDATE ").id(s.table());
        if (s.alias() != null) {
            text(" AS ").id(s.alias());
        }
        text(" SET ");
        assignments(s.set());
        if (s.where() != null) {
            text(" WHERE ");
            condition(s.where());
        }
        returning(s.returning());
    }

    private void deleteBody(Delete s) {
        text("DELETE FROM ").id(s.table());
        if (s.alias() != null) {
            text(" AS ").id(s.alias());
        }
        if (s.where() != null) {
            text(" WHERE ");
            condition(s.where());
        }
        returning(s.returning());
    }

    private void assignments(List<Assignment> set) {
        for (int i = 0; i < set.size(); i++) {
            if (i > 0) {
                text(", ");
            }
            id(set.get(i).column()).text(" = ");
            expr(set.get(i).value());
        }
    }

    private void returning(List<SelectItem> returning) {
        if (!returning.isEmpty()) {
            text(" RETURNING ");
            items(returning);
        }
    }

    // ---- DDL ----

    private void createTableBody(CreateTable t) {
        text("CREATE TABLE IF NOT EXISTS ").id(t.name()).text(" (");
        for (int i = 0; i < t.columns().size(); i++) {
            ColumnDef c = t.columns().get(i);
            if (i > 0) {
                text(", ");
            }
            id(c.name()).text(" ").text(c.serial() ? serial(c.type(), dialect) : c.type().sql());
            if (c.notNull()) {
                text(" NOT NULL");
            }
            if (c.unique()) {
                text(" UNIQUE");
            }
            if (c.defaultValue() != null) {
                text(" DEFAULT ");
                expr(c.defaultValue());
            }
            if (c.references() != null) {
                references(c.references());
            }
        }
        text(", PRIMARY KEY (");
        ids(t.primaryKey());
        text(")");
        for (UniqueConstraint u : t.uniques()) {
            text(", CONSTRAINT ").id(u.name()).text(" UNIQUE (");
            ids(u.columns());
            text(")");
        }
        for (Statement.ForeignKey fk : t.foreignKeys()) {
            text(", ");
            foreignKey(fk);
        }
        text(")");
    }

    private void foreignKey(Statement.ForeignKey fk) {
        text("FOREIGN KEY (");
        ids(fk.columns());
        text(") REFERENCES ").id(fk.table()).text(" (");
        ids(fk.referenced());
        text(") ON DELETE ").text(fk.onDelete().sql()).text(" ON UPDATE ").text(fk.onUpdate().sql());
    }

    private static String serial(DataType type, Dialect dialect) {
        if (dialect == Dialect.COCKROACHDB) {
            // CockroachDB's SERIAL is unique_rowid() (INT8, unordered) whatever the declared width
            return switch (type.kind()) {
                case BIGINT, SMALLINT, INTEGER -> type.sql() + " GENERATED BY DEFAULT AS IDENTITY";
                default -> throw new IllegalArgumentException("a " + type.sql() + " column cannot be generated by a sequence");
            };
        }
        return switch (type.kind()) {
            case BIGINT -> "BIGSERIAL";
            case SMALLINT -> "SMALLSERIAL";
            case INTEGER -> "SERIAL";
            default -> throw new IllegalArgumentException("a " + type.sql() + " column cannot be generated by a sequence");
        };
    }

    private void references(References r) {
        text(" REFERENCES ").id(r.table()).text(" (").id(r.column()).text(") ON DELETE ").text(r.onDelete().sql())
                .text(" ON UPDATE ").text(r.onUpdate().sql());
    }

    private void addForeignKeyBody(AddForeignKey fk) {
        if (dialect == Dialect.COCKROACHDB) {
            throw new UnsupportedOperationException(dialect + " has no DO blocks: sync() cannot add the foreign key "
                    + fk.constraint() + " on " + fk.table() + "." + fk.column() + " (it closes a reference cycle) idempotently;"
                    + " create that constraint in a migration instead");
        }
        // idempotent like CREATE TABLE IF NOT EXISTS: a second sync() finds the constraint there
        text("DO $relata$ BEGIN ALTER TABLE ").id(fk.table()).text(" ADD CONSTRAINT ").id(fk.constraint()).text(" ");
        Statement.ForeignKey composite = fk.composite();
        if (composite != null) {
            foreignKey(composite);
        } else {
            text("FOREIGN KEY (").id(fk.column()).text(")");
            references(Objects.requireNonNull(fk.references()));
        }
        text("; EXCEPTION WHEN duplicate_object THEN NULL; END $relata$");
    }

    // ---- FROM ----

    private void from(FromItem f) {
        f.accept(this);
    }

    @Override
    public void table(Table t) {
        id(t.name());
        if (t.alias() != null) {
            text(" AS ").id(t.alias());
        }
    }

    @Override
    public void derived(Derived d) {
        text(d.lateral() ? "LATERAL (" : "(");
        selectBody(d.query());
        text(") AS ").id(d.alias());
    }

    @Override
    public void function(FromItem.Function fn) {
        expr(fn.call());
        text(" AS ").id(fn.alias());
        if (!fn.columns().isEmpty()) {
            text("(");
            ids(fn.columns());
            text(")");
        }
    }

    @Override
    public void join(Join j) {
        from(j.left());
        text(j.type() == FromItem.JoinType.INNER ? " INNER JOIN " : " LEFT OUTER JOIN ");
        if (j.right() instanceof Join) {
            text("(");
            from(j.right());
            text(")");
        } else {
            from(j.right());
        }
        text(" ON ");
        condition(j.on());
    }

    // ---- conditions ----

    private void condition(Condition c) {
        c.accept(this);
    }

    @Override
    public void compare(Compare cmp) {
        expr(cmp.left());
        text(" ").text(cmp.op().symbol()).text(" ");
        expr(cmp.right());
    }

    @Override
    public void anyOf(AnyOf any) {
        expr(any.left());
        text(any.negated() ? " <> ALL(" : " = ANY(");
        expr(any.array());
        text(")");
    }

    @Override
    public void inUnnest(Condition.InUnnest in) {
        text("(");
        exprs(in.columns());
        text(in.negated() ? ") NOT IN (SELECT * FROM unnest(" : ") IN (SELECT * FROM unnest(");
        exprs(in.arrays());
        text("))");
    }

    @Override
    public void isNull(IsNull n) {
        expr(n.expr());
        text(n.negated() ? " IS NOT NULL" : " IS NULL");
    }

    @Override
    public void between(Between b) {
        expr(b.expr());
        text(" BETWEEN ");
        expr(b.low());
        text(" AND ");
        expr(b.high());
    }

    @Override
    public void and(And and) {
        junction(and.parts(), " AND ", "TRUE", and.grouped());
    }

    @Override
    public void or(Or or) {
        junction(or.parts(), " OR ", "FALSE", true);
    }

    @Override
    public void not(Not not) {
        text("NOT (");
        condition(not.condition());
        text(")");
    }

    @Override
    public void exists(Exists e) {
        text(e.negated() ? "NOT EXISTS (" : "EXISTS (");
        selectBody(e.query());
        text(")");
    }

    @Override
    public void bool(Bool b) {
        text(b.value() ? "TRUE" : "FALSE");
    }

    private void junction(List<Condition> parts, String op, String empty, boolean grouped) {
        if (parts.isEmpty()) {
            text(empty);
            return;
        }
        if (parts.size() == 1) {
            condition(parts.get(0));
            return;
        }
        if (grouped) {
            text("(");
        }
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                text(op);
            }
            condition(parts.get(i));
        }
        if (grouped) {
            text(")");
        }
    }

    // ---- expressions ----

    private void exprs(List<Expr> list) {
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                text(", ");
            }
            expr(list.get(i));
        }
    }

    private void expr(Expr e) {
        e.accept(this);
    }

    @Override
    public void column(Column c) {
        if (c.qualifier() != null) {
            id(c.qualifier()).text(".");
        }
        id(c.name());
    }

    @Override
    public void param(Param p) {
        bind(p);
    }

    @Override
    public void cast(Cast c) {
        expr(c.expr());
        // PostgreSQL's spelling of the type names Relata casts to: text, jsonb, bytea
        text("::").text(c.type().sql().toLowerCase(Locale.ROOT));
        if (c.array()) {
            text("[]");
        }
    }

    @Override
    public void call(Call call) {
        text(call.function().sqlName()).text("(");
        if (call.distinct()) {
            text("DISTINCT ");
        }
        exprs(call.args());
        text(")");
    }

    @Override
    public void orderedCall(Expr.OrderedCall ordered) {
        Call call = ordered.call();
        text(call.function().sqlName()).text("(");
        if (call.distinct()) {
            text("DISTINCT ");
        }
        exprs(call.args());
        text(" ORDER BY ");
        orderTerms(ordered.orderBy());
        text(")");
    }

    @Override
    public void over(Over over) {
        expr(over.call());
        text(" OVER (");
        if (!over.partitionBy().isEmpty()) {
            text("PARTITION BY ");
            exprs(over.partitionBy());
        }
        if (!over.orderBy().isEmpty()) {
            text(over.partitionBy().isEmpty() ? "ORDER BY " : " ORDER BY ");
            orderTerms(over.orderBy());
        }
        text(")");
    }

    @Override
    public void row(Row row) {
        text("(");
        exprs(row.items());
        text(")");
    }

    @Override
    public void star(Star s) {
        text("*");
    }

    @Override
    public void literal(Literal l) {
        literalValue(l.value());
    }

    @Override
    public void defaultValue(Default d) {
        text("DEFAULT");
    }

    @Override
    public void nullValue(Expr.Null n) {
        text("NULL");
    }

    @Override
    public void excluded(Excluded x) {
        text("EXCLUDED.").id(x.column());
    }

    @Override
    public void arithmetic(Expr.Arithmetic a) {
        expr(a.left());
        text(" ").text(a.op().symbol()).text(" ");
        expr(a.right());
    }

    @Override
    public void subquery(Subquery q) {
        text("(");
        selectBody(q.query());
        text(")");
    }

    @Override
    public void allColumns(Expr.AllColumns a) {
        id(a.qualifier()).text(".*");
    }

    private void bind(Param p) {
        binds.add(new Bind(p.value(), p.type()));
        if (p.slot() != null && slots.putIfAbsent(p.slot(), binds.size() - 1) != null) {
            throw new IllegalArgumentException("parameter slot '" + p.slot() + "' is used twice");
        }
        sql.append('$').append(binds.size());
    }

    private void literalValue(Object value) {
        if (value instanceof BigDecimal d) {
            sql.append(d.toPlainString());
        } else if (value instanceof Number n) {
            sql.append(n);
        } else if (value instanceof Boolean b) {
            sql.append(b ? "TRUE" : "FALSE");
        } else {
            String s = value instanceof Enum<?> en ? en.name() : value.toString();
            sql.append('\'').append(s.replace("'", "''")).append('\'');
        }
    }

    // ---- text ----

    private Renderer text(String text) {
        sql.append(text);
        return this;
    }

    private Renderer id(String identifier) {
        if (identifier.indexOf('"') >= 0 || identifier.indexOf('\0') >= 0) {
            sql.append(quote(identifier));
        } else {
            // the common case, nothing to double: appended as it is, without an intermediate string
            sql.append('"').append(identifier).append('"');
        }
        return this;
    }

    private void ids(List<String> identifiers) {
        for (int i = 0; i < identifiers.size(); i++) {
            if (i > 0) {
                text(", ");
            }
            id(identifiers.get(i));
        }
    }

    @Override
    public String toString() {
        return dialect + ": " + sql;
    }
}
