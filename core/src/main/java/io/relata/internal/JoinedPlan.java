package io.relata.internal;

import io.relata.internal.NodeReader.Partial;
import io.relata.internal.NodeReader.PartialAssembler;
import io.relata.internal.sql.Dialect;
import io.relata.internal.sql.Expr.Literal;
import io.relata.internal.sql.Expr.Param;
import io.relata.internal.sql.Renderer;
import io.relata.internal.sql.Statement;
import io.relata.sql.Assembly;
import io.relata.sql.Bind;
import io.relata.sql.CursorStatements;
import io.relata.sql.FollowUp;
import io.relata.sql.RowAssembler;
import io.relata.sql.RowSource;
import io.relata.sql.SelectPlan;
import io.relata.sql.SqlStatement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A planned statement whose rows are assembled into roots: a SELECT with its include tree, or an
 * {@code INSERT ... RETURNING}. Immutable.
 *
 * @param <T> the root entity
 */
final class JoinedPlan<T> implements SelectPlan<T> {
    private final Statement.@Nullable Select select;
    private final SqlStatement statement;
    private final NodeReader<T> reader;
    private final List<FollowUpLoad> followUps;

    /**
     * @param select the statement's tree when it is a SELECT (it can then be read through a cursor), else null
     * @param statement the rendered statement
     * @param reader the root's reader
     * @param followUps the SEPARATE includes' loads
     */
    JoinedPlan(Statement.@Nullable Select select, SqlStatement statement, NodeReader<T> reader,
            List<FollowUpLoad> followUps) {
        this.select = select;
        this.statement = Objects.requireNonNull(statement, "statement");
        this.reader = Objects.requireNonNull(reader, "reader");
        this.followUps = List.copyOf(followUps);
    }

    @Override
    public SqlStatement statement() {
        return statement;
    }

    @Override
    public RowAssembler<T> assembler() {
        return reader.assembler();
    }

    @Override
    public boolean hasFollowUps() {
        return !followUps.isEmpty();
    }

    @Override
    public Assembly<T> assembly() {
        return new WindowAssembly();
    }

    @Override
    public CursorStatements cursor(String name, int window) {
        if (select == null) {
            throw new IllegalStateException("only a SELECT is read through a cursor: " + statement.sql());
        }
        // the text of DECLARE ... FOR <select> with this plan's binds (the same order as the select's own)
        String declare = Renderer.render(new Statement.DeclareCursor(name, select)).sql();
        return new CursorStatements(new SqlStatement(declare, statement.binds(), "cursor", statement.table()),
                Renderer.render(new Statement.Fetch(window, name)), Renderer.render(new Statement.CloseCursor(name)));
    }

    @Override
    public SqlStatement firstRows(long rows) {
        Statement.Select s = select;
        if (s == null) {
            throw new IllegalStateException("only a SELECT can be limited: " + statement.sql());
        }
        if (rows < 1) {
            throw new IllegalArgumentException("rows must be at least 1: " + rows);
        }
        // the limit, own or new, is a named parameter, so that its index is known whatever precedes it
        boolean own = s.limit() instanceof Param;
        Renderer.Rendered r = Renderer.renderWithSlots(
                s.window(new Param(rows, Long.class, FIRST_ROWS), s.offset()), Dialect.POSTGRESQL);
        int at = r.slot(FIRST_ROWS);
        List<Bind> binds = new ArrayList<>(statement.binds());
        long limit = rows;
        if (own) {
            Object current = binds.remove(at).value();
            if (current instanceof Number n && n.longValue() < rows) {
                limit = n.longValue();
            }
        } else if (s.limit() instanceof Literal l && l.value() instanceof Number n && n.longValue() < rows) {
            limit = n.longValue();
        }
        binds.add(at, new Bind(limit, Long.class));
        return new SqlStatement(r.statement().sql(), binds, statement.operation(), statement.table());
    }

    private static final String FIRST_ROWS = "first_rows";

    @Override
    public SelectPlan<T> withBind(int index, Object value) {
        List<Bind> binds = new ArrayList<>(statement.binds());
        binds.set(index, new Bind(value, binds.get(index).type()));
        return new JoinedPlan<>(select, statement.withBinds(binds), reader, followUps);
    }

    @Override
    public List<SqlStatement> followUpTemplates() {
        List<SqlStatement> out = new ArrayList<>();
        collect(followUps, out);
        return out;
    }

    private static void collect(List<FollowUpLoad> loads, List<SqlStatement> out) {
        for (FollowUpLoad l : loads) {
            out.add(l.template());
            collect(l.nested(), out);
        }
    }

    @Override
    public String toString() {
        return "SelectPlan[" + statement + "]";
    }

    /** One execution, window by window. */
    private final class WindowAssembly implements Assembly<T> {
        private final PartialAssembler<T> partials = reader.partialAssembler();
        private List<Partial> window = new ArrayList<>();
        private @Nullable FollowUps pending;

        @Override
        public void push(RowSource row) {
            Partial done = partials.push(row);
            if (done != null) {
                window.add(done);
            }
        }

        @Override
        public void endWindow(boolean last) {
            if (last) {
                Partial done = partials.finish();
                if (done != null) {
                    window.add(done);
                }
            }
            pending = new FollowUps(reader, window, followUps);
        }

        @Override
        public @Nullable FollowUp nextFollowUp() {
            return pending == null ? null : pending.next();
        }

        @Override
        public Iterable<T> take() {
            List<Partial> taken = window;
            window = new ArrayList<>();
            pending = null;
            return () -> new Iterator<>() {
                private final Iterator<Partial> each = taken.iterator();

                @Override
                public boolean hasNext() {
                    return each.hasNext();
                }

                @Override
                public T next() {
                    return partials.materialize(each.next());
                }
            };
        }
    }
}
