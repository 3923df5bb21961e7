/**
 * Relata's runtime on Project Reactor and R2DBC: {@link io.relata.reactor.Database} executes the
 * plans core builds over pooled connections, streams entity graphs, runs transactions carried in
 * the Reactor Context, and exposes association operations.
 *
 * <h2 id="contract">The reactive contract</h2>
 *
 * Every public method that returns a {@code Mono} or {@code Flux} ({@link io.relata.reactor.Database},
 * {@link io.relata.reactor.ToManyOperations}, {@link io.relata.reactor.ToOneOperations}, their mixins,
 * {@link io.relata.reactor.TransactionSupport} and the Spring integration's implementations of it)
 * follows the rules below; a method's own documentation says only what it emits and what differs.
 *
 * <h3 id="call-time">At call time</h3>
 * The arguments are checked and the statements planned when the method is called, before a publisher is
 * returned: a {@code null} for a parameter not marked {@code @Nullable} throws a
 * {@link java.lang.NullPointerException} whose message is the parameter's name (list and varargs elements
 * as {@code name[i]}); bad input throws an {@link io.relata.QueryDefinitionException} naming the model,
 * the attribute or alias and what would be valid: an unknown attribute, alias or path, a malformed path,
 * an entity of another model or an unsaved one, a value that does not fit its column, a string PostgreSQL
 * cannot store (a NUL, a lone UTF-16 surrogate). Either way nothing has been sent and no connection
 * was asked for.
 *
 * <h3 id="subscription">On subscription</h3>
 * The publisher is cold: nothing runs until it is subscribed, and it runs again on every subscription.
 * It takes a connection when subscribed (or uses the surrounding transaction's, found in the Reactor
 * Context) and returns it to the pool when it completes, errors or is cancelled. A {@code Flux} of
 * entities emits each one as soon as its rows have been read, with backpressure counted in entities;
 * a {@code Mono} emits after its statement has completed; both complete after the last statement of the
 * operation (and, where the operation runs in a transaction of its own, after its COMMIT).
 *
 * <h3 id="errors">Errors signalled</h3>
 * <ul>
 *   <li>{@link io.relata.StatementException}: a statement failed on the server; it carries the SQL text
 *   ({@code sql()}), the SQLSTATE ({@code sqlState()}, e.g. {@code 23505} for a unique violation,
 *   {@code 57014} when a statement timeout fired) and the driver's exception as cause.</li>
 *   <li>{@link io.relata.ConnectionException}: a connection could not be had (pool exhausted, refused,
 *   the server starting or shutting down) or was lost without the server saying why; its SQLSTATE when
 *   the server sent one.</li>
 *   <li>{@link io.relata.QueryDefinitionException}: definition errors are thrown at call time (above), not
 *   signalled; only the checks that need the Reactor Context signal one (a transaction option that the
 *   {@link io.relata.reactor.TransactionSupport} cannot honour, such as an isolation level for a
 *   transaction it would have to begin). Relata has no separate validation exception: a value the
 *   database refuses (NOT NULL, unique, foreign key, check) is the server's {@code StatementException}
 *   with its SQLSTATE ({@code 23502}, {@code 23505}, {@code 23503}, {@code 23514}).</li>
 *   <li>An error of the caller's own publisher inside {@code transaction(...)} is passed on as it is,
 *   after the rollback.</li>
 * </ul>
 * The subscriber always gets the first real failure; a ROLLBACK or release that fails after it is added
 * as suppressed, never in its place. {@link io.relata.RelataException#isTransient()} says whether running
 * the work again may succeed. A database built with an {@link io.relata.reactor.ErrorTranslator} (the
 * Spring starter's maps to {@code DataAccessException}) signals what the translator returns instead.
 *
 * <h3 id="cancellation">Cancellation</h3>
 * Cancelling (a {@code take}, a {@code timeout}, a disposed subscription, an HTTP client that went away):
 * <ul>
 *   <li><b>outside a transaction</b>, when a statement is still running, Relata sends PostgreSQL's
 *   CancelRequest for the connection's backend (after a 20 ms grace in which a statement about to end is
 *   left to end, and again with a doubling pause, at most 6 times, while it runs on). The subscriber is
 *   detached at once and gets nothing more; the connection is held until the server has answered the
 *   statement (SQLSTATE {@code 57014}, or its natural end) and the CancelRequest has been handled, then
 *   returned to the pool, so a cancel can never reach a later statement. When that does not happen within
 *   5 s the physical connection is closed instead (the pool drops it). A write cancelled this way may
 *   still have committed, when its statement ended before the cancel arrived.</li>
 *   <li><b>of a transaction</b> ({@code transaction(...)}, and operations that run in a transaction of
 *   their own: {@code set}, belongsToMany {@code create}, a {@code bulkCreate} of several statements, a
 *   query with a statement timeout or SEPARATE includes): the statement running is cancelled as above,
 *   then the transaction is rolled back (to its savepoint, for a nested scope) and the connection
 *   released.</li>
 *   <li><b>inside a transaction that goes on</b> (a {@code take} on one query of a larger unit of work):
 *   the subscriber is detached, and the statement is read to its end with its remaining rows discarded,
 *   since a server-side cancel would abort the whole transaction.</li>
 *   <li>with the <b>Spring integration</b> ({@code SpringTransactions}), connections and transactions are
 *   Spring's: a cancel releases the connection through Spring and the statement is read to its end, its
 *   rows discarded (no CancelRequest is sent); a transaction begun through Spring's
 *   {@code TransactionalOperator} is rolled back by it.</li>
 *   <li>a <b>lazy load</b> or a <b>{@code findByPk}</b> lookup that is batched with others leaves the batch
 *   running for the others; when all
 *   of a batch's requesters have cancelled, its statement is stopped as above, or never sent.</li>
 * </ul>
 * A {@link io.relata.query.Query#timeout(java.time.Duration)} or
 * {@link io.relata.TransactionOptions#statementTimeout(java.time.Duration)} is enforced by the server
 * ({@code statement_timeout}): the statement fails with a {@link io.relata.StatementException} of SQLSTATE
 * {@code 57014} and the connection stays usable.
 */
@NullMarked
package io.relata.reactor;

import org.jspecify.annotations.NullMarked;
