package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.Model;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.StatementException;
import io.relata.query.Order;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.reactor.testing.CountingConnectionFactory;
import io.relata.reactor.testing.Pools;
import io.relata.reactor.testing.Sql;
import io.relata.reactor.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** {@code db.transaction(...)}: one connection, commit on complete, rollback on error and cancel, nesting. */
@ExtendWith(TestDatabase.class)
class TransactionIT {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    record Account(Long id, String name, Integer balance) {
        static Account of(String name, int balance) {
            return new Account(null, name, balance);
        }
    }

    static Model<Account> accounts;
    static Database db;
    static CountingConnectionFactory counting;
    static Database countedDb;
    static TestDatabase.Handle handle;

    @BeforeAll
    static void schema(TestDatabase.Handle h) {
        handle = h;
        SchemaBuilder s = Schema.builder().timestamps(false);
        accounts = s.define(Account.class, m -> m.attribute("name").unique().notNull());
        Schema schema = s.build();
        db = Database.connect(h.url(), schema);
        counting = new CountingConnectionFactory(db.connectionFactory());
        countedDb = Database.create(counting, schema);
        db.sync().as(StepVerifier::create).expectComplete().verify(TIMEOUT);
    }

    @AfterAll
    static void close() {
        if (db != null) {
            db.close().block(TIMEOUT);
        }
    }

    @BeforeEach
    void empty() {
        Sql.execute(handle.connectionFactory(), "DELETE FROM \"Accounts\"");
        counting.reset();
    }

    @AfterEach
    void noConnectionLeaks() {
        Pools.awaitNoAcquired(db.connectionFactory());
    }

    /** What is committed, seen from a connection outside the pool. */
    static List<String> committedNames() {
        return Sql.rows(handle.connectionFactory(), "SELECT name FROM \"Accounts\" ORDER BY name").stream()
                .map(r -> (String) r.get("name")).toList();
    }

    @Test
    void everyOperationInsideRunsOnOneConnectionAndCommitsOnComplete() {
        countedDb.transaction(tx -> countedDb.create(accounts, Account.of("a", 10))
                        .thenMany(countedDb.bulkCreate(accounts, List.of(Account.of("b", 20), Account.of("c", 30))))
                        .then(countedDb.update(Query.from(accounts).where(Where.eq("name", "a")), Map.of("balance", 11)))
                        .then(countedDb.destroy(Query.from(accounts).where(Where.eq("name", "c"))))
                        .thenMany(countedDb.findAll(Query.from(accounts).orderBy(Order.asc("name"))))
                        .map(Account::balance)
                        .concatWith(countedDb.count(Query.from(accounts)).map(Long::intValue)))
                .as(StepVerifier::create)
                .expectNext(11, 20, 2)
                .expectComplete()
                .verify(TIMEOUT);

        assertThat(counting.connections()).as("connections taken").isEqualTo(1);
        assertThat(counting.count()).as("statements: create, bulkCreate, update, destroy, findAll, count").isEqualTo(6);
        assertThat(committedNames()).containsExactly("a", "b");
    }

    @Test
    void writesAreInvisibleOutsideUntilCommitAndVisibleInsideBeforeIt() {
        AtomicReference<List<String>> outsideDuring = new AtomicReference<>();
        db.transaction(tx -> db.create(accounts, Account.of("a", 1))
                        .then(Mono.fromCallable(TransactionIT::committedNames)
                                .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic())
                                .doOnNext(outsideDuring::set))
                        .thenMany(db.findAll(Query.from(accounts)).map(Account::name)))
                .as(StepVerifier::create)
                .expectNext("a")
                .expectComplete()
                .verify(TIMEOUT);

        assertThat(outsideDuring.get()).as("seen outside before commit").isEmpty();
        assertThat(committedNames()).containsExactly("a");
    }

    @Test
    void theTransactionHandleJoinsToo() {
        countedDb.transaction(tx -> tx.database().create(accounts, Account.of("a", 1))
                        .then(tx.database().count(Query.from(accounts))))
                .as(StepVerifier::create)
                .expectNext(1L)
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(counting.connections()).isEqualTo(1);
    }

    @Test
    void concurrentOperationsInsideShareTheOneConnection() {
        countedDb.transaction(tx -> Flux.range(0, 8)
                        .flatMap(i -> countedDb.create(accounts, Account.of("n" + i, i)))
                        .then(countedDb.count(Query.from(accounts))))
                .as(StepVerifier::create)
                .expectNext(8L)
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(counting.connections()).isEqualTo(1);
        assertThat(committedNames()).hasSize(8);
    }

    @Test
    void anErrorSignalRollsBackEverything() {
        db.transaction(tx -> db.create(accounts, Account.of("a", 1))
                        .then(db.create(accounts, Account.of("b", 2)))
                        .then(Mono.error(new IllegalStateException("boom"))))
                .as(StepVerifier::create)
                .expectErrorMessage("boom")
                .verify(TIMEOUT);

        assertThat(committedNames()).isEmpty();
    }

    @Test
    void aFailingStatementRollsBackTheEarlierWritesAndSignalsTheStatementException() {
        db.transaction(tx -> db.create(accounts, Account.of("a", 1))
                        .then(db.create(accounts, Account.of("b", 2)))
                        .then(db.create(accounts, Account.of("a", 3))))
                .as(StepVerifier::create)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(StatementException.class)
                        .extracting(x -> ((StatementException) x).sqlState()).isEqualTo("23505"))
                .verify(TIMEOUT);

        assertThat(committedNames()).isEmpty();
    }

    @Test
    void anErrorThrownByTheFunctionRollsBack() {
        db.transaction(tx -> {
            throw new IllegalArgumentException("no publisher");
        }).as(StepVerifier::create)
                .expectErrorMessage("no publisher")
                .verify(TIMEOUT);
    }

    @Test
    void cancelWithTakeRollsBack() {
        db.transaction(tx -> db.create(accounts, Account.of("a", 1)).flux()
                        .concatWith(db.create(accounts, Account.of("b", 2)))
                        .concatWith(Flux.never()))
                .take(1)
                .as(StepVerifier::create)
                .assertNext(a -> assertThat(a.name()).isEqualTo("a"))
                .expectComplete()
                .verify(TIMEOUT);

        // the rollback runs asynchronously after the cancel; the connection is released after it
        Pools.awaitNoAcquired(db.connectionFactory());
        assertThat(committedNames()).isEmpty();
    }

    @Test
    void cancelAfterAllWorkIsDoneButBeforeCompletionRollsBack() {
        Sinks.Empty<Void> gate = Sinks.empty();
        db.transaction(tx -> db.bulkCreate(accounts, List.of(Account.of("a", 1), Account.of("b", 2)))
                        .concatWith(gate.asMono().then(Mono.empty())))
                .as(StepVerifier::create)
                .expectNextCount(2)
                .thenCancel()
                .verify(TIMEOUT);

        Pools.awaitNoAcquired(db.connectionFactory());
        assertThat(committedNames()).isEmpty();
    }

    @Test
    void disposingTheSubscriptionMidwayRollsBack() {
        Sinks.One<Account> first = Sinks.one();
        Disposable subscription = db.transaction(tx -> db.create(accounts, Account.of("a", 1)).flux()
                        .concatWith(Flux.never()))
                .subscribe(first::tryEmitValue);
        first.asMono().as(StepVerifier::create).expectNextCount(1).expectComplete().verify(TIMEOUT);

        subscription.dispose();

        Pools.awaitNoAcquired(db.connectionFactory());
        assertThat(committedNames()).isEmpty();
        // the released connection works
        db.create(accounts, Account.of("after", 1)).then(db.count(Query.from(accounts))).as(StepVerifier::create)
                .expectNext(1L)
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void cancellingAStreamingReadInsideRollsBackTheWritesBeforeIt() {
        List<Account> many = java.util.stream.IntStream.range(0, 1000).mapToObj(i -> Account.of("m" + i, i)).toList();
        db.transaction(tx -> db.bulkCreate(accounts, many)
                        .thenMany(db.findAll(Query.from(accounts).orderBy(Order.asc("balance")))))
                .take(3)
                .map(Account::balance)
                .as(StepVerifier::create)
                .expectNext(0, 1, 2)
                .expectComplete()
                .verify(TIMEOUT);

        Pools.awaitNoAcquired(db.connectionFactory());
        assertThat(committedNames()).isEmpty();
        db.count(Query.from(accounts)).as(StepVerifier::create).expectNext(0L).expectComplete().verify(TIMEOUT);
    }

    @Test
    void aNestedTransactionJoinsTheOuterOne() {
        countedDb.transaction(outer -> countedDb.create(accounts, Account.of("outer", 1))
                        .then(countedDb.transaction(inner -> countedDb.create(accounts, Account.of("inner", 2))).then())
                        .then(countedDb.count(Query.from(accounts))))
                .as(StepVerifier::create)
                .expectNext(2L)
                .expectComplete()
                .verify(TIMEOUT);

        assertThat(counting.connections()).as("the inner transaction takes no connection of its own").isEqualTo(1);
        assertThat(committedNames()).containsExactly("inner", "outer");
    }

    @Test
    void aCompletedNestedTransactionIsRolledBackWithTheOuterOne() {
        db.transaction(outer -> db.create(accounts, Account.of("outer", 1))
                        .then(db.transaction(inner -> db.create(accounts, Account.of("inner", 2))).then())
                        .then(Mono.error(new IllegalStateException("outer fails after inner completed"))))
                .as(StepVerifier::create)
                .expectErrorMessage("outer fails after inner completed")
                .verify(TIMEOUT);

        assertThat(committedNames()).as("the inner one did not commit on its own").isEmpty();
    }

    @Test
    void anErrorInTheNestedTransactionRollsBackTheOuterOne() {
        db.transaction(outer -> db.create(accounts, Account.of("outer", 1))
                        .then(db.transaction(inner -> Mono.error(new IllegalStateException("inner"))).then()))
                .as(StepVerifier::create)
                .expectErrorMessage("inner")
                .verify(TIMEOUT);

        assertThat(committedNames()).isEmpty();
    }

    @Test
    void operationsOutsideATransactionAutoCommitEach() {
        db.create(accounts, Account.of("a", 1))
                .then(db.create(accounts, Account.of("a", 2)))
                .as(StepVerifier::create)
                .expectError(StatementException.class)
                .verify(TIMEOUT);

        assertThat(committedNames()).as("the first create is committed on its own").containsExactly("a");
    }

    @Test
    void transactionsOfTwoSubscribersAreIsolatedAndBothCommit() {
        Flux.merge(
                        db.transaction(tx -> db.create(accounts, Account.of("x", 1))),
                        db.transaction(tx -> db.create(accounts, Account.of("y", 2))))
                .as(StepVerifier::create)
                .expectNextCount(2)
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(committedNames()).containsExactly("x", "y");
    }

    @Test
    void theTransactionIsColdAndRunsAgainOnEachSubscription() {
        Flux<Account> tx = db.transaction(t -> db.create(accounts, Account.of("n" + System.nanoTime(), 1)));
        assertThat(committedNames()).as("nothing runs before subscribe").isEmpty();
        tx.as(StepVerifier::create).expectNextCount(1).expectComplete().verify(TIMEOUT);
        assertThat(committedNames()).hasSize(1);
    }
}
