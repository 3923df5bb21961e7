package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.Model;
import io.relata.OptimisticLockException;
import io.relata.QueryDefinitionException;
import io.relata.RelataException;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.reactor.testing.CountingConnectionFactory;
import io.relata.reactor.testing.Pools;
import io.relata.reactor.testing.Sql;
import io.relata.reactor.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** save, reload, destroy, upsert, findOrCreate, increment/decrement and optimistic locking against PostgreSQL. */
@ExtendWith(TestDatabase.class)
class EntityWritesIT {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    record Account(Long id, String email, String name, Integer balance, Instant createdAt, Instant updatedAt) {
        Account withName(String n) {
            return new Account(id, email, n, balance, createdAt, updatedAt);
        }
    }

    record Doc(Long id, String title, Integer version) {
        Doc withTitle(String t) {
            return new Doc(id, t, version);
        }
    }

    static Model<Account> accounts;
    static Model<Doc> docs;
    static Database db;
    static CountingConnectionFactory counting;
    static Database counted;

    @BeforeAll
    static void schema(TestDatabase.Handle h) {
        SchemaBuilder s = Schema.builder();
        accounts = s.define(Account.class, m -> {
            m.attribute("email").unique().notNull();
            m.attribute("balance").defaultValue(0);
        });
        docs = s.define(Doc.class, m -> m.timestamps(false).version(true));
        Schema schema = s.build();
        db = Database.connect(h.url() + "?maxSize=8", schema);
        counting = new CountingConnectionFactory(db.connectionFactory());
        counted = Database.create(counting, schema);
        db.sync(true).as(StepVerifier::create).expectComplete().verify(TIMEOUT);
    }

    @AfterAll
    static void close() {
        if (db != null) {
            db.close().block(TIMEOUT);
        }
    }

    @BeforeEach
    void empty() {
        Flux.concat(db.destroy(Query.from(accounts)), db.destroy(Query.from(docs))).then().block(TIMEOUT);
        counting.reset();
    }

    @AfterEach
    void noLeaks() {
        Pools.awaitNoAcquired(db.connectionFactory());
    }

    static Account account(String email) {
        return db.create(accounts, new Account(null, email, "n", null, null, null)).block(TIMEOUT);
    }

    @Test
    void saveWritesTheChangedEntityByKeyMaintainsUpdatedAtAndReturnsTheStoredRow() {
        Account a = account("a@x.io");
        Account saved = counted.save(accounts, new Account(a.id(), null, "renamed", 5, null, null)).block(TIMEOUT);

        assertThat(saved.name()).isEqualTo("renamed");
        assertThat(saved.balance()).isEqualTo(5);
        assertThat(saved.email()).as("null properties are left as stored").isEqualTo("a@x.io");
        assertThat(saved.createdAt()).isEqualTo(a.createdAt());
        assertThat(saved.updatedAt()).isAfterOrEqualTo(a.updatedAt());
        assertThat(counting.statements()).hasSize(1).first().asString().startsWith("UPDATE \"Accounts\" SET");
        db.reload(accounts, a).as(StepVerifier::create).expectNext(saved).expectComplete().verify(TIMEOUT);
    }

    @Test
    void saveOfNamedAttributesWritesOnlyThem() {
        Account a = account("b@x.io");
        Account saved = db.save(accounts, new Account(a.id(), "ignored@x.io", null, 9, null, null), List.of("name", "balance"))
                .block(TIMEOUT);

        assertThat(saved.email()).isEqualTo("b@x.io");
        assertThat(saved.name()).as("a named null is written").isNull();
        assertThat(saved.balance()).isEqualTo(9);
    }

    @Test
    void saveOrReloadOfAMissingRowIsEmptyAndDestroyTellsWhetherItDeleted() {
        Account a = account("c@x.io");
        db.destroy(accounts, a).as(StepVerifier::create).expectNext(true).expectComplete().verify(TIMEOUT);
        db.destroy(accounts, a).as(StepVerifier::create).expectNext(false).expectComplete().verify(TIMEOUT);
        db.reload(accounts, a).as(StepVerifier::create).expectComplete().verify(TIMEOUT);
        db.save(accounts, a.withName("x")).as(StepVerifier::create).expectComplete().verify(TIMEOUT);
        db.count(Query.from(accounts)).as(StepVerifier::create).expectNext(0L).expectComplete().verify(TIMEOUT);
    }

    @Test
    void anUnsavedEntityIsRejectedBeforeAnySql() {
        Account unsaved = new Account(null, "d@x.io", "n", null, null, null);
        try {
            counted.save(accounts, unsaved);
            throw new AssertionError("expected a QueryDefinitionException");
        } catch (QueryDefinitionException e) {
            assertThat(e).hasMessageContaining("primary key 'id'");
        }
        assertThat(counting.connections()).isZero();
    }

    @Test
    void upsertInsertsThenUpdatesOnThePrimaryKeyKeepingCreatedAt() {
        Account a = account("e@x.io");
        Account up = db.upsert(accounts, new Account(a.id(), "e@x.io", "upserted", 3, null, null)).block(TIMEOUT);
        assertThat(up.id()).isEqualTo(a.id());
        assertThat(up.name()).isEqualTo("upserted");
        assertThat(up.createdAt()).isEqualTo(a.createdAt());

        Account fresh = db.upsert(accounts, new Account(987654L, "f@x.io", "new", null, null, null)).block(TIMEOUT);
        assertThat(fresh.id()).isEqualTo(987654L);
        assertThat(fresh.balance()).as("the column default").isEqualTo(0);
        db.count(Query.from(accounts)).as(StepVerifier::create).expectNext(2L).expectComplete().verify(TIMEOUT);
    }

    @Test
    void upsertOnAUniqueKeyFindsTheRowByItAndConcurrentUpsertsLeaveOneRow() {
        Account first = db.upsert(accounts, new Account(null, "g@x.io", "one", null, null, null), "email")
                .block(TIMEOUT);
        Account second = db.upsert(accounts, new Account(null, "g@x.io", "two", null, null, null), "email")
                .block(TIMEOUT);
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.name()).isEqualTo("two");

        List<Account> all = Flux.range(0, 16).flatMap(i -> db.upsert(accounts,
                new Account(null, "h@x.io", "n" + i, null, null, null), "email")).collectList().block(TIMEOUT);
        assertThat(all).extracting(Account::id).containsOnly(all.get(0).id());
        db.count(Query.from(accounts).where(Where.eq("email", "h@x.io"))).as(StepVerifier::create)
                .expectNext(1L).expectComplete().verify(TIMEOUT);
    }

    @Test
    void findOrCreateCreatesOnceThenFinds() {
        FoundOrCreated<Account> made = db.findOrCreate(Query.from(accounts).where(Where.eq("email", "i@x.io")),
                new Account(null, null, "default name", 4, null, null)).block(TIMEOUT);
        assertThat(made.created()).isTrue();
        assertThat(made.entity().email()).isEqualTo("i@x.io");
        assertThat(made.entity().name()).isEqualTo("default name");
        assertThat(made.entity().id()).isNotNull();

        FoundOrCreated<Account> found = db.findOrCreate(Query.from(accounts).where(Where.eq("email", "i@x.io")),
                new Account(null, null, "other", null, null, null)).block(TIMEOUT);
        assertThat(found.created()).isFalse();
        assertThat(found.entity()).isEqualTo(made.entity());
    }

    @Test
    void concurrentFindOrCreateCallersAllGetTheOneRowAndExactlyOneCreatedIt() {
        for (int round = 0; round < 5; round++) {
            String email = "race" + round + "@x.io";
            Query<Account> q = Query.from(accounts).where(Where.eq("email", email));
            List<FoundOrCreated<Account>> results = Flux.range(0, 24)
                    .flatMap(i -> db.findOrCreate(q, new Account(null, null, "caller" + i, null, null, null)), 24)
                    .collectList().block(TIMEOUT);

            assertThat(results).hasSize(24);
            assertThat(results).filteredOn(FoundOrCreated::created).hasSize(1);
            assertThat(results).extracting(r -> r.entity().id()).containsOnly(results.get(0).entity().id());
            db.count(q).as(StepVerifier::create).expectNext(1L).expectComplete().verify(TIMEOUT);
        }
    }

    @Test
    void aCallerThatLosesTheRaceWaitsForTheWinnersCommitAndGetsItsRow(TestDatabase.Handle h) {
        Query<Account> q = Query.from(accounts).where(Where.eq("email", "lost@x.io"));
        Sinks.Empty<Void> release = Sinks.empty();
        Sinks.One<Account> inserted = Sinks.one();
        // the winner: inserted, not yet committed
        CompletableFuture<List<Account>> winner = db.transaction(tx -> db.create(accounts,
                        new Account(null, "lost@x.io", "winner", null, null, null))
                .doOnNext(inserted::tryEmitValue)
                .flatMap(a -> release.asMono().thenReturn(a))).collectList().toFuture();
        Account won = inserted.asMono().block(TIMEOUT);

        // the loser does not see the uncommitted row, so it inserts; ON CONFLICT waits for the winner
        CompletableFuture<FoundOrCreated<Account>> loser = db.findOrCreate(q,
                new Account(null, null, "loser", null, null, null)).toFuture();
        Mono.fromCallable(() -> Sql.single(h.connectionFactory(), "SELECT count(*) FROM pg_stat_activity"
                        + " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                        + " AND query LIKE 'INSERT INTO \"Accounts\"%'", Long.class))
                .filter(n -> n == 1)
                .repeatWhenEmpty(r -> r.delayElements(Duration.ofMillis(10)))
                .timeout(Duration.ofSeconds(20))
                .block(TIMEOUT);
        assertThat(loser).isNotDone();

        release.tryEmitEmpty();
        assertThat(winner.join()).containsExactly(won);
        FoundOrCreated<Account> lost = loser.join();
        assertThat(lost.created()).isFalse();
        assertThat(lost.entity()).isEqualTo(won);
        db.count(q).as(StepVerifier::create).expectNext(1L).expectComplete().verify(TIMEOUT);
    }

    @Test
    void findOrCreateInsideATransactionJoinsItAndRollsBackWithIt() {
        Query<Account> q = Query.from(accounts).where(Where.eq("email", "tx@x.io"));
        db.transaction(tx -> db.findOrCreate(q, new Account(null, null, "t", null, null, null))
                        .flatMap(r -> db.findOrCreate(q, new Account(null, null, "u", null, null, null)))
                        .flatMap(r -> {
                            assertThat(r.created()).isFalse();
                            return Mono.error(new IllegalStateException("abort"));
                        }))
                .as(StepVerifier::create).expectErrorMessage("abort").verify(TIMEOUT);
        db.count(q).as(StepVerifier::create).expectNext(0L).expectComplete().verify(TIMEOUT);
    }

    @Test
    void findOrCreateNeedsEqualitiesOnAUniqueKey() {
        try {
            db.findOrCreate(Query.from(accounts).where(Where.eq("name", "n")), new Account(null, "z@x.io", null, null,
                    null, null));
            throw new AssertionError("expected a QueryDefinitionException");
        } catch (QueryDefinitionException e) {
            assertThat(e).hasMessageContaining("[name]").hasMessageContaining("unique key");
        }
        try {
            db.findOrCreate(Query.from(accounts).where(Where.gt("balance", 1)), new Account(null, "z@x.io", null, null,
                    null, null));
            throw new AssertionError("expected a QueryDefinitionException");
        } catch (QueryDefinitionException e) {
            assertThat(e).hasMessageContaining("equalities");
        }
    }

    @Test
    void concurrentIncrementsAllCountAndDecrementSubtracts() {
        Account a = account("k@x.io");
        Flux.range(0, 20).flatMap(i -> db.increment(accounts, a, Map.of("balance", 2)), 8).then().block(TIMEOUT);
        Account after = db.reload(accounts, a).block(TIMEOUT);
        assertThat(after.balance()).isEqualTo(40);
        assertThat(after.updatedAt()).isAfterOrEqualTo(a.updatedAt());

        db.decrement(accounts, a, Map.of("balance", 15)).map(Account::balance).as(StepVerifier::create)
                .expectNext(25).expectComplete().verify(TIMEOUT);
        db.increment(Query.from(accounts).where(Where.eq("email", "k@x.io")), Map.of("balance", 5))
                .as(StepVerifier::create).expectNext(1L).expectComplete().verify(TIMEOUT);
        db.decrement(Query.from(accounts), Map.of("balance", 1)).as(StepVerifier::create).expectNext(1L)
                .expectComplete().verify(TIMEOUT);
        db.reload(accounts, a).map(Account::balance).as(StepVerifier::create).expectNext(29).expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void aVersionStartsAtZeroAndEverySaveAndUpdateBumpsIt() {
        Doc d = db.create(docs, new Doc(null, "v0", null)).block(TIMEOUT);
        assertThat(d.version()).isZero();
        Doc saved = db.save(docs, d.withTitle("v1")).block(TIMEOUT);
        assertThat(saved.version()).isEqualTo(1);
        db.update(Query.from(docs).where(Where.eq("id", d.id())), Map.of("title", "v2")).block(TIMEOUT);
        assertThat(db.reload(docs, d).block(TIMEOUT).version()).isEqualTo(2);
        Doc up = db.upsert(docs, new Doc(d.id(), "v3", null)).block(TIMEOUT);
        assertThat(up.version()).isEqualTo(3);
    }

    @Test
    void aStaleSaveFailsWithOptimisticLockExceptionAndWritesNothing() {
        Doc d = db.create(docs, new Doc(null, "original", null)).block(TIMEOUT);
        Doc mine = d.withTitle("mine");
        Doc theirs = d.withTitle("theirs");
        db.save(docs, theirs).block(TIMEOUT);

        db.save(docs, mine).as(StepVerifier::create)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(OptimisticLockException.class)
                        .isInstanceOf(RelataException.class)
                        .hasMessageContaining("stale Doc " + d.id() + " at version 0"))
                .verify(TIMEOUT);
        db.destroy(docs, mine).as(StepVerifier::create)
                .expectError(OptimisticLockException.class).verify(TIMEOUT);
        Doc stored = db.reload(docs, d).block(TIMEOUT);
        assertThat(stored.title()).isEqualTo("theirs");
        assertThat(stored.version()).isEqualTo(1);

        Doc retried = db.save(docs, stored.withTitle("mine")).block(TIMEOUT);
        assertThat(retried.version()).isEqualTo(2);
        db.destroy(docs, retried).as(StepVerifier::create).expectNext(true).expectComplete().verify(TIMEOUT);
    }

    @Test
    void concurrentSavesOfOneVersionLetExactlyOneWin() {
        Doc d = db.create(docs, new Doc(null, "race", null)).block(TIMEOUT);
        List<Object> outcomes = Flux.range(0, 8)
                .flatMap(i -> db.save(docs, d.withTitle("w" + i)).<Object>map(x -> "saved")
                        .onErrorResume(OptimisticLockException.class, e -> Mono.just("stale")), 8)
                .collectList().block(TIMEOUT);
        assertThat(outcomes).filteredOn("saved"::equals).hasSize(1);
        assertThat(outcomes).filteredOn("stale"::equals).hasSize(7);
        assertThat(db.reload(docs, d).block(TIMEOUT).version()).isEqualTo(1);
    }
}
