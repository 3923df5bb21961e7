package io.relata.reactor.testing;

import io.relata.reactor.StatementObserver;
import io.relata.sql.SqlStatement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import reactor.util.context.ContextView;

/** Counts the statements and the rows the library read from them (an observer sees every statement). */
public final class RowCounting implements StatementObserver {
    private final AtomicLong rows = new AtomicLong();
    private final List<String> statements = new CopyOnWriteArrayList<>();

    /** @return the rows read since the last {@link #reset} */
    public long rows() {
        return rows.get();
    }

    /** @return the SQL of the statements started since the last {@link #reset}, in order */
    public List<String> statements() {
        return List.copyOf(statements);
    }

    /** Forgets what was counted. */
    public void reset() {
        rows.set(0);
        statements.clear();
    }

    @Override
    public Execution start(SqlStatement statement, ContextView context) {
        statements.add(statement.sql());
        return new Execution() {
            @Override
            public void success(long read) {
                rows.addAndGet(read);
            }

            @Override
            public void failure(Throwable error) {
            }

            @Override
            public void cancelled(long read) {
                rows.addAndGet(read);
            }
        };
    }
}
