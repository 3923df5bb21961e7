package io.relata.sql;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A write of several statements whose later statements depend on what earlier ones returned (a nested
 * create: a child's foreign key is its parent's generated key). Built by a planner without any I/O; an
 * adapter interprets it step by step, in one transaction: run {@link Insert#plan()}, hand the rows it
 * returned to {@link Insert#next()}; run {@link Execute#statement()}, then {@link Execute#next()}; until
 * {@link Done}. Each step is planned only when the previous one has run, so every statement is a set
 * statement over all rows of its level.
 *
 * @param <A> what the whole write yields
 */
public sealed interface WriteProgram<A> {

    /**
     * @param value the result
     * @param <A> its type
     * @return a program that runs nothing
     */
    static <A> WriteProgram<A> done(A value) {
        return new Done<>(value);
    }

    /**
     * @param plan an {@code INSERT ... RETURNING}
     * @param <R> the rows' entity
     * @return a program that runs it and yields its rows
     */
    static <R> WriteProgram<List<R>> insert(SelectPlan<R> plan) {
        return new Insert<>(plan, WriteProgram::done);
    }

    /**
     * @param statement a statement without rows
     * @return a program that runs it
     */
    static WriteProgram<Long> execute(SqlStatement statement) {
        return new Execute<>(statement, () -> done(0L));
    }

    /**
     * @param next what follows, given this program's result
     * @param <B> what that yields
     * @return this program, then {@code next}
     */
    <B> WriteProgram<B> then(Function<? super A, WriteProgram<B>> next);

    /**
     * @param value the result
     * @param <A> its type
     */
    record Done<A>(A value) implements WriteProgram<A> {
        @Override
        public <B> WriteProgram<B> then(Function<? super A, WriteProgram<B>> next) {
            return Objects.requireNonNull(next.apply(value), "next");
        }
    }

    /**
     * @param plan the {@code INSERT ... RETURNING} to run
     * @param next receives its rows (entities as stored, in the order inserted)
     * @param <R> the rows' entity
     * @param <A> the result
     */
    record Insert<R, A>(SelectPlan<R> plan, Function<List<R>, WriteProgram<A>> next) implements WriteProgram<A> {
        public Insert {
            Objects.requireNonNull(plan, "plan");
            Objects.requireNonNull(next, "next");
        }

        @Override
        public <B> WriteProgram<B> then(Function<? super A, WriteProgram<B>> after) {
            return new Insert<>(plan, rows -> next.apply(rows).then(after));
        }
    }

    /**
     * @param statement the statement to run (no rows)
     * @param next what follows
     * @param <A> the result
     */
    record Execute<A>(SqlStatement statement, Supplier<WriteProgram<A>> next) implements WriteProgram<A> {
        public Execute {
            Objects.requireNonNull(statement, "statement");
            Objects.requireNonNull(next, "next");
        }

        @Override
        public <B> WriteProgram<B> then(Function<? super A, WriteProgram<B>> after) {
            return new Execute<>(statement, () -> next.get().then(after));
        }
    }
}
