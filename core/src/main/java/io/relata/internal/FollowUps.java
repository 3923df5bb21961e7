package io.relata.internal;

import io.relata.internal.NodeReader.Partial;
import io.relata.sql.FollowUp;
import io.relata.sql.RowSource;
import io.relata.sql.SqlStatement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The follow-up statements of one window of roots, in the order they must run: each load after its
 * parent level, depth first ({@code books}, then {@code books.tags}, then {@code awards}). Single use.
 */
final class FollowUps {
    private final NodeReader<?> root;
    private final List<Partial> roots;
    private final Deque<FollowUpLoad> pending;

    FollowUps(NodeReader<?> root, List<Partial> roots, List<FollowUpLoad> loads) {
        this.root = root;
        this.roots = roots;
        this.pending = new ArrayDeque<>(loads);
    }

    /** @return the next follow-up to run, or null when none is left (a load without parents is skipped) */
    @Nullable FollowUp next() {
        while (!pending.isEmpty()) {
            FollowUpLoad load = pending.pollFirst();
            List<Partial> parents = load.parents(root, roots);
            SqlStatement statement = load.statement(parents);
            if (statement != null) {
                return new Step(load, parents, statement);
            }
        }
        return null;
    }

    /** One follow-up statement and the parents it fills. */
    private final class Step implements FollowUp {
        private final FollowUpLoad load;
        private final List<Partial> parents;
        private final SqlStatement statement;
        private final FollowUpLoad.Rows rows;

        Step(FollowUpLoad load, List<Partial> parents, SqlStatement statement) {
            this.load = load;
            this.parents = parents;
            this.statement = statement;
            this.rows = load.new Rows();
        }

        @Override
        public SqlStatement statement() {
            return statement;
        }

        @Override
        public void accept(RowSource row) {
            rows.accept(row);
        }

        @Override
        public void complete() {
            rows.attach(parents);
            List<FollowUpLoad> nested = load.nested();
            for (int i = nested.size() - 1; i >= 0; i--) {
                pending.addFirst(nested.get(i));
            }
        }
    }
}
