package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.Model;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.StatementException;
import io.relata.TransactionOptions;
import io.relata.TransactionOptions.Isolation;
import io.relata.TransactionOptions.Propagation;
import io.relata.query.Order;
import io.relata.query.Query;
import io.relata.reactor.testing.Backends;
import io.relata.reactor.testing.Pools;
import io.relata.reactor.testing.Sql;
import io.relata.reactor.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * {@code db.transaction(TransactionOptions, ...)}: isolation, read-only, statement timeout, retry on
 * serialization failure, nesting as a savepoint; and the per-query statement timeout.
 */
@ExtendWith(TestDatabase.class)
class TransactionOptionsIT {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** The session's settings as the server sees them, read through a view when queried. */
    record Setting(Long id, String isolation, String readOnly, String statementTimeout) {}

    record Sleep(Long id, String name) {}

    record Account(Long id, String name) {}

    static TestDatabase.Handle handle;
    static Database db;
    static Model<Setting> settings;
    static Model<Sleep> sleeps;
    static Model<Account> accounts;
    static Model<Code> codes;

    record Code(Long id, String name) {}

    @BeforeAll
    static void schema(TestDatabase.Handle h) {
        handle = h;
        SchemaBuilder s = Schema.builder().timestamps(false);
        settings = s.define(Setting.class);
        sleeps = s.define(Sleep.class);
        accounts = s.define(Account.class, m -> m.attribute("name").unique());
        codes = s.define(Code.class);
        db = Database.connect(h.url(), s.build());
        Sql.execute(h.connectionFactory(),
                "CREATE VIEW \"Settings\" AS SELECT 1::bigint AS id, current_setting('transaction_isolation') AS isolation,"
                        + " current_setting('transaction_read_only') AS \"readOnly\","
                        + " current_setting('statement_timeout') AS \"statementTimeout\"",
                "CREATE VIEW \"Sleeps\" AS SELECT 1::bigint AS id, pg_sleep(60)::text AS name",
                "CREATE TABLE \"Accounts\" (id bigserial PRIMARY KEY, name text UNIQUE)",
                // the first attempts of an insert named 'flaky' fail as a serialization failure would:
                // a sequence is not transactional, so it counts attempts across rollbacks
                "CREATE SEQUENCE attempts",
                "CREATE FUNCTION flaky() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                        + " IF NEW.name LIKE 'flaky%' AND nextval('attempts') <= substr(NEW.name, 7)::int THEN"
                        + " RAISE EXCEPTION 'simulated conflict' USING ERRCODE = 'serialization_failure'; END IF;"
                        + " RETURN NEW; END $$",
                "CREATE TRIGGER flaky BEFORE INSERT ON \"Accounts\" FOR EACH ROW EXECUTE FUNCTION flaky()",
                // checked at COMMIT only
                "CREATE TABLE \"Codes\" (id bigserial PRIMARY KEY, name text,"
                        + " CONSTRAINT codes_name UNIQUE (name) DEFERRABLE INITIALLY DEFERRED)");
    }

    @AfterAll
    static void close() {
        if (db != null) {
            db.close().block(TIMEOUT);
        }
    }

    @BeforeEach
    void empty() {
        Sql.execute(handle.connectionFactory(), "DELETE FROM \"Accounts\"", "SELECT setval('attempts', 1, false)");
    }

    @AfterEach
    void noLeaks() {
        Backends.awaitNoneActive(handle.connectionFactory(), "\"Sleeps\"", Duration.ofSeconds(20));
        Pools.awaitNoAcquired(db.connectionFactory());
    }

    static Mono<Setting> setting() {
        return db.findOne(Query.from(settings));
    }

    static List<String> committed() {
        return Sql.rows(handle.connectionFactory(), "SELECT name FROM \"Accounts\" ORDER BY name").stream()
                .map(r -> (String) r.get("name")).toList();
    }

    static long attempts() {
        return Sql.single(handle.connectionFactory(), "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM attempts",
                Long.class);
    }

    @Nested
    class Begin {
        @ParameterizedTest
        @EnumSource(Isolation.class)
        void theIsolationLevelIsTheTransactions(Isolation level) {
            db.transaction(TransactionOptions.defaults().isolation(level), tx -> setting().map(Setting::isolation))
                    .as(StepVerifier::create)
                    .expectNext(level.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '))
                    .expectComplete().verify(TIMEOUT);
        }

        @Test
        void aReadOnlyTransactionRejectsWritesWith25006() {
            db.transaction(TransactionOptions.defaults().readOnly(true), tx -> setting().map(Setting::readOnly)
                            .concatWith(db.create(accounts, new Account(null, "a")).map(Account::name)))
                    .as(StepVerifier::create)
                    .expectNext("on")
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(StatementException.class)
                            .extracting(x -> ((StatementException) x).sqlState()).isEqualTo("25006"))
                    .verify(TIMEOUT);
            assertThat(committed()).isEmpty();
        }

        @Test
        void aStatementTimeoutCancelsTheSlowStatementOnTheServerAndRollsBack() {
            db.transaction(TransactionOptions.defaults().statementTimeout(Duration.ofMillis(300)),
                            tx -> setting().map(Setting::statementTimeout)
                                    .concatWith(db.create(accounts, new Account(null, "a")).map(Account::name))
                                    .concatWith(db.findAll(Query.from(sleeps)).map(Sleep::name)))
                    .as(StepVerifier::create)
                    .expectNext("300ms", "a")
                    .expectErrorSatisfies(e -> {
                        assertThat(e).isInstanceOf(StatementException.class);
                        assertThat(((StatementException) e).sqlState()).isEqualTo("57014");
                        assertThat(((StatementException) e).isTransient()).isFalse();
                    })
                    .verify(TIMEOUT);
            assertThat(committed()).isEmpty();
        }

        @Test
        void withoutOptionsTheServersDefaultsApply() {
            db.transaction(tx -> setting())
                    .as(StepVerifier::create)
                    .assertNext(s -> {
                        assertThat(s.isolation()).isEqualTo("read committed");
                        assertThat(s.readOnly()).isEqualTo("off");
                        assertThat(s.statementTimeout()).isEqualTo("0");
                    })
                    .expectComplete().verify(TIMEOUT);
        }
    }

    @Nested
    class Retry {
        @Test
        void aSerializationFailureRunsTheWholeWorkAgainAndEmitsOnlyTheCommittedAttempt() {
            db.transaction(TransactionOptions.defaults().retry(3, Duration.ofMillis(5)),
                            tx -> db.create(accounts, new Account(null, "before")).map(Account::name)
                                    .concatWith(db.create(accounts, new Account(null, "flaky 2")).map(Account::name)))
                    .as(StepVerifier::create)
                    .expectNext("before", "flaky 2")
                    .expectComplete().verify(TIMEOUT);
            assertThat(attempts()).as("attempts").isEqualTo(3);
            assertThat(committed()).containsExactly("before", "flaky 2");
        }

        @Test
        void attemptsAreBoundedAndTheLastFailureIsSignalled() {
            db.transaction(TransactionOptions.defaults().retry(2, Duration.ZERO),
                            tx -> db.create(accounts, new Account(null, "flaky 5")))
                    .as(StepVerifier::create)
                    .expectErrorSatisfies(e -> {
                        assertThat(e).isInstanceOf(StatementException.class);
                        assertThat(((StatementException) e).sqlState()).isEqualTo("40001");
                        assertThat(((StatementException) e).isTransient()).isTrue();
                    })
                    .verify(TIMEOUT);
            assertThat(attempts()).as("attempts").isEqualTo(2);
            assertThat(committed()).isEmpty();
        }

        @Test
        void withoutRetryASerializationFailureIsSignalledAfterOneAttempt() {
            db.transaction(tx -> db.create(accounts, new Account(null, "flaky 1")))
                    .as(StepVerifier::create)
                    .expectErrorSatisfies(e -> assertThat(((StatementException) e).sqlState()).isEqualTo("40001"))
                    .verify(TIMEOUT);
            assertThat(attempts()).isEqualTo(1);
        }

        @Test
        void otherErrorsAreNotRetried() {
            Sql.execute(handle.connectionFactory(), "INSERT INTO \"Accounts\" (name) VALUES ('taken')");
            int[] runs = {0};
            db.transaction(TransactionOptions.defaults().retry(5, Duration.ZERO),
                            tx -> Mono.fromRunnable(() -> runs[0]++).then(db.create(accounts, new Account(null, "taken"))))
                    .as(StepVerifier::create)
                    .expectErrorSatisfies(e -> assertThat(((StatementException) e).sqlState()).isEqualTo("23505"))
                    .verify(TIMEOUT);
            assertThat(runs[0]).isEqualTo(1);
        }
    }

    @Nested
    class Nesting {
        @Test
        void aFailingNestedScopeRollsBackToItsSavepointAndTheOuterTransactionCommits() {
            db.transaction(tx -> db.create(accounts, new Account(null, "outer")).map(Account::name)
                            .concatWith(db.transaction(TransactionOptions.defaults().propagation(Propagation.NESTED),
                                            inner -> db.create(accounts, new Account(null, "inner")).map(Account::name)
                                                    .concatWith(db.create(accounts, new Account(null, "outer")).map(Account::name)))
                                    .onErrorResume(StatementException.class, e -> Flux.just("inner failed: " + e.sqlState())))
                            .concatWith(db.create(accounts, new Account(null, "after")).map(Account::name)))
                    .as(StepVerifier::create)
                    .expectNext("outer", "inner", "inner failed: 23505", "after")
                    .expectComplete().verify(TIMEOUT);
            assertThat(committed()).containsExactly("after", "outer");
        }

        @Test
        void aCompletedNestedScopeIsPartOfTheOuterTransaction() {
            db.transaction(tx -> db.transaction(TransactionOptions.defaults().propagation(Propagation.NESTED),
                                    inner -> db.create(accounts, new Account(null, "inner")))
                            .then(Mono.<Account>error(new IllegalStateException("outer fails"))))
                    .as(StepVerifier::create).expectError(IllegalStateException.class).verify(TIMEOUT);
            assertThat(committed()).as("the outer rollback undoes the released savepoint").isEmpty();
        }

        @Test
        void aJoiningNestedTransactionFailureRollsBackEverything() {
            db.transaction(tx -> db.create(accounts, new Account(null, "outer"))
                            .then(db.transaction(inner -> db.create(accounts, new Account(null, "outer"))).then())
                            .onErrorResume(StatementException.class, e -> Mono.empty())
                            .then(db.create(accounts, new Account(null, "after"))))
                    .as(StepVerifier::create)
                    .expectErrorSatisfies(e -> assertThat(((StatementException) e).sqlState()).isEqualTo("25P02"))
                    .verify(TIMEOUT);
            assertThat(committed()).isEmpty();
        }

        @Test
        void aNestedScopeWithoutASurroundingTransactionIsATransaction() {
            db.transaction(TransactionOptions.defaults().propagation(Propagation.NESTED),
                            tx -> db.create(accounts, new Account(null, "a")).then(Mono.error(new IllegalStateException("x"))))
                    .as(StepVerifier::create).expectError(IllegalStateException.class).verify(TIMEOUT);
            assertThat(committed()).isEmpty();
        }
    }

    @Nested
    class FailedCommit {
        @Test
        void aCommitThatFailsIsSignalledAsTheCommitsStatementException() {
            db.transaction(tx -> db.create(codes, new Code(null, "same")).then(db.create(codes, new Code(null, "same"))).then())
                    .as(StepVerifier::create)
                    .expectErrorSatisfies(e -> {
                        assertThat(e).isInstanceOf(StatementException.class);
                        assertThat(((StatementException) e).sql()).isEqualTo("COMMIT");
                        assertThat(((StatementException) e).sqlState()).isEqualTo("23505");
                    })
                    .verify(TIMEOUT);
            assertThat(Sql.single(handle.connectionFactory(), "SELECT count(*) FROM \"Codes\"", Long.class)).isZero();
        }
    }

    @Nested
    class QueryTimeout {
        @Test
        void aQueryTimeoutIsEnforcedByTheServer() {
            db.findAll(Query.from(sleeps).timeout(Duration.ofMillis(200)))
                    .as(StepVerifier::create)
                    .expectErrorSatisfies(e -> {
                        assertThat(e).isInstanceOf(StatementException.class);
                        assertThat(((StatementException) e).sqlState()).isEqualTo("57014");
                    })
                    .verify(TIMEOUT);
            db.count(Query.from(sleeps).timeout(Duration.ofMillis(200)))
                    .as(StepVerifier::create)
                    .expectErrorSatisfies(e -> assertThat(((StatementException) e).sqlState()).isEqualTo("57014"))
                    .verify(TIMEOUT);
        }

        @Test
        void aQueryTimeoutAppliesToItsOwnStatementsOnly() {
            db.findAll(Query.from(settings).timeout(Duration.ofSeconds(7))).map(Setting::statementTimeout)
                    .concatWith(setting().map(Setting::statementTimeout))
                    .as(StepVerifier::create).expectNext("7s", "0").expectComplete().verify(TIMEOUT);
        }

        @Test
        void insideATransactionTheTransactionsTimeoutIsPutBackAfterTheQuery() {
            db.transaction(TransactionOptions.defaults().statementTimeout(Duration.ofSeconds(9)),
                            tx -> db.findAll(Query.from(settings).timeout(Duration.ofSeconds(2))).map(Setting::statementTimeout)
                                    .concatWith(setting().map(Setting::statementTimeout))
                                    .concatWith(db.update(Query.from(accounts).timeout(Duration.ofSeconds(3)),
                                            java.util.Map.of("name", "x")).map(String::valueOf))
                                    .concatWith(setting().map(Setting::statementTimeout)))
                    .as(StepVerifier::create).expectNext("2s", "9s", "0", "9s").expectComplete().verify(TIMEOUT);
        }

        @Test
        void aQueryTimeoutOnAnOrderedQueryWithIncludesIsTheSame() {
            db.findAll(Query.from(accounts).orderBy(Order.asc("name")).timeout(Duration.ofSeconds(1)))
                    .as(StepVerifier::create).expectComplete().verify(TIMEOUT);
        }
    }
}
