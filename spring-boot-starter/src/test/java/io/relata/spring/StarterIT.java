package io.relata.spring;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.ConnectionFactory;
import io.relata.QueryDefinitionException;
import io.relata.StatementException;
import io.relata.TransactionOptions;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.reactor.Database;
import io.relata.reactor.testing.Pools;
import io.relata.reactor.testing.Sql;
import io.relata.reactor.testing.TestDatabase;
import io.relata.spring.LibraryService.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The starter in a real Boot application on a real PostgreSQL: Relata's operations and Spring's
 * {@code DatabaseClient} share Spring's transactions both ways, Relata never commits what Spring began, errors
 * are Spring's, statements are logged and observed. Runs on Boot 4 here and on Boot 3.5 in {@code boot3-tests}.
 */
@ExtendWith(TestDatabase.class)
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "relata.sync=force",
        "logging.level.io.relata.sql=DEBUG",
        "management.endpoints.web.exposure.include=metrics"})
class StarterIT {
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static TestDatabase.Handle handle;

    @Autowired Database db;
    @Autowired Library library;
    @Autowired LibraryService service;
    @Autowired DatabaseClient client;
    @Autowired ConnectionFactory connectionFactory;
    @Autowired ReactiveTransactionManager transactionManager;
    @Autowired TestObservationRegistry observations;
    @Autowired TestApp.Authors authorsEndpoint;
    @Autowired TestApp.AuthorRepository repository;
    @Value("${local.server.port}") int port;

    @BeforeAll
    static void database(TestDatabase.Handle h) {
        handle = h;
    }

    @DynamicPropertySource
    static void r2dbc(DynamicPropertyRegistry registry) {
        registry.add("spring.r2dbc.url", () -> handle.url());
    }

    @BeforeEach
    void emptyTables() {
        // relata.sync=force created the tables at start-up; the probe records the writing session
        Sql.execute(handle.connectionFactory(), "ALTER TABLE \"Probes\" ALTER COLUMN \"pid\" SET DEFAULT pg_backend_pid()");
        Sql.execute(handle.connectionFactory(), "TRUNCATE \"Probes\", \"BookTags\", \"Books\", \"Authors\", \"Tags\" CASCADE");
    }

    @AfterEach
    void noConnectionLeaks() {
        Pools.awaitNoAcquired(connectionFactory);
    }

    /** @return the committed probe notes, read outside the application's pool, sorted */
    static List<String> committedNotes() {
        List<String> notes = new ArrayList<>();
        Sql.rows(handle.connectionFactory(), "SELECT \"note\" FROM \"Probes\" ORDER BY \"note\"")
                .forEach(row -> notes.add((String) row.get("note")));
        return notes;
    }

    static long committed(String table) {
        return Sql.single(handle.connectionFactory(), "SELECT count(*) FROM \"" + table + "\"", Long.class);
    }

    static <T> void expectError(Mono<T> mono, Class<? extends Throwable> type, String message) {
        mono.as(StepVerifier::create)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(type).hasMessageContaining(message))
                .verify(TIMEOUT);
    }

    @Test
    void theAutoConfiguredDatabaseRunsOnBootsPoolWithSpringsTransactions() {
        assertThat(connectionFactory).isInstanceOf(ConnectionPool.class);
        assertThat(db.connectionFactory()).isSameAs(connectionFactory);
        assertThat(committed("Authors")).isZero(); // relata.sync created the tables
    }

    @Test
    void relatasPoolDefaultsFillWhatTheApplicationLeftUnset(@Autowired org.springframework.core.env.Environment env) {
        assertThat(env.getProperty("spring.r2dbc.pool.validation-query")).isEqualTo("SELECT 1");
        assertThat(env.getProperty("spring.r2dbc.pool.validation-depth")).isEqualTo("remote");
        assertThat(env.getProperty("spring.r2dbc.properties.forceBinary")).isEqualTo("true");
        int expected = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        assertThat(((ConnectionPool) connectionFactory).getMetrics().orElseThrow().getMaxAllocatedSize())
                .isEqualTo(expected);
    }

    @Nested
    class Transactions {
        static Stream<List<Step>> orders() {
            return Stream.of(
                    List.of(Step.RELATA, Step.CLIENT),
                    List.of(Step.CLIENT, Step.RELATA),
                    List.of(Step.RELATA, Step.CLIENT, Step.RELATA_READ, Step.CLIENT),
                    List.of(Step.CLIENT, Step.RELATA_READ, Step.RELATA, Step.CLIENT));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("orders")
        void relataAndDatabaseClientRunOnOneBackendInsideTransactional(List<Step> order) {
            service.pids(order).as(StepVerifier::create)
                    .assertNext(pids -> assertThat(pids).hasSize(order.size()).containsOnly(pids.get(0)))
                    .expectComplete()
                    .verify(TIMEOUT);
        }

        @Test
        void withoutATransactionEachOperationTakesAConnectionAndGivesItBack() {
            service.pid(Step.RELATA).then(service.pid(Step.CLIENT)).as(StepVerifier::create)
                    .expectNextCount(1).expectComplete().verify(TIMEOUT);
            assertThat(committedNotes()).containsExactly("pid");
        }

        @Test
        void aLazyLoadInsideTransactionalRunsOnTheTransactionsConnection() {
            service.lazyLoadSeesTheTransactionsWrites("Lazy").as(StepVerifier::create)
                    .expectNext(List.of("Lazy's book"))
                    .expectComplete()
                    .verify(TIMEOUT);
            assertThat(committed("Books")).isEqualTo(1);
        }

        @Test
        void aDatabaseWithRelatasOwnTransactionsWarnsOnceWhenUsedInsideASpringTransaction() {
            ch.qos.logback.core.read.ListAppender<ILoggingEvent> appender = new ch.qos.logback.core.read.ListAppender<>();
            appender.start();
            ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Database.class);
            logger.addAppender(appender);
            try {
                Database byHand = Database.create(connectionFactory, library.schema);
                TransactionalOperator operator = TransactionalOperator.create(transactionManager);
                operator.transactional(byHand.create(library.probes, Library.Probe.of("a"))
                                .then(byHand.create(library.probes, Library.Probe.of("b"))))
                        .as(StepVerifier::create).expectNextCount(1).expectComplete().verify(TIMEOUT);
                byHand.create(library.probes, Library.Probe.of("outside")).as(StepVerifier::create)
                        .expectNextCount(1).expectComplete().verify(TIMEOUT);
            } finally {
                logger.detachAppender(appender);
            }
            assertThat(appender.list).singleElement().satisfies(e -> {
                assertThat(e.getLevel()).isEqualTo(Level.WARN);
                assertThat(e.getFormattedMessage()).contains("does not join it").contains("relata-spring-boot-starter");
            });
        }

        @Test
        void theStartersDatabaseNeverWarnsAboutSpringTransactions() {
            ch.qos.logback.core.read.ListAppender<ILoggingEvent> appender = new ch.qos.logback.core.read.ListAppender<>();
            appender.start();
            ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Database.class);
            logger.addAppender(appender);
            try {
                service.writeBoth("quiet").as(StepVerifier::create).expectComplete().verify(TIMEOUT);
            } finally {
                logger.detachAppender(appender);
            }
            assertThat(appender.list).isEmpty();
        }

        @Test
        void aFailingTransactionalMethodRollsBackBothWriters() {
            expectError(service.writeBothThenFail("rolled-back"), IllegalStateException.class, LibraryService.BOOM);
            assertThat(committedNotes()).isEmpty();
        }

        @Test
        void aCompletingTransactionalMethodCommitsBothWriters() {
            service.writeBoth("kept").as(StepVerifier::create).expectComplete().verify(TIMEOUT);
            assertThat(committedNotes()).containsExactly("kept", "kept");
        }

        @Test
        void transactionalOperatorIsJoinedLikeTransactional() {
            TransactionalOperator operator = TransactionalOperator.create(transactionManager);
            Mono<List<Integer>> pids = service.pid(Step.RELATA).concatWith(service.clientPid())
                    .concatWith(service.pid(Step.RELATA_READ)).collectList();
            operator.transactional(pids.flatMap(p -> Mono.<List<Integer>>error(new IllegalStateException(p.toString()))))
                    .as(StepVerifier::create)
                    .expectErrorSatisfies(e -> {
                        String[] seen = e.getMessage().replaceAll("[\\[\\] ]", "").split(",");
                        assertThat(seen).hasSize(3).containsOnly(seen[0]);
                    })
                    .verify(TIMEOUT);
            assertThat(committedNotes()).isEmpty();
        }

        @Test
        void multiStatementOperationsJoinTheSpringTransactionAndNeverCommitIt() {
            // 40000 tags need two INSERTs (32767 binds each at most): bulkCreate's own transaction, joined
            expectError(service.multiStatementOperationsThenFail("nested", 40_000), IllegalStateException.class,
                    LibraryService.BOOM);
            assertThat(committed("Authors")).isZero();
            assertThat(committed("Books")).isZero();
            assertThat(committed("Tags")).isZero();
            assertThat(committed("BookTags")).isZero();
        }

        @Test
        void aNestedDatabaseTransactionJoinsAndIsRolledBackWithTheSpringTransaction() {
            expectError(service.nestedDatabaseTransactionThenFail("inner"), IllegalStateException.class,
                    LibraryService.BOOM);
            assertThat(committedNotes()).isEmpty();
        }

        @Test
        void aNestedPropagationRollsBackToItsSavepointAndTheOuterTransactionCommits() {
            service.outerCommitsNestedRollsBack("outer", "inner").as(StepVerifier::create)
                    .expectComplete().verify(TIMEOUT);
            assertThat(committedNotes()).containsExactly("outer", "outer-after");
        }

        @Test
        void transactionOptionsBeginASpringTransactionWithTheirIsolationAndReadOnlyFlag() {
            TransactionOptions options = TransactionOptions.defaults()
                    .isolation(TransactionOptions.Isolation.SERIALIZABLE).readOnly(true);
            Mono<List<String>> settings = db.transaction(options, tx -> client
                    .sql("SELECT current_setting('transaction_isolation') || ' ' || current_setting('transaction_read_only')")
                    .map(row -> row.get(0, String.class)).one()
                    .concatWith(service.clientPid().map(pid -> "joined")))
                    .collectList();
            settings.as(StepVerifier::create)
                    .expectNext(List.of("serializable on", "joined"))
                    .expectComplete()
                    .verify(TIMEOUT);
        }

        @Test
        void aReadOnlyTransactionRejectsRelatasWrites() {
            db.transaction(TransactionOptions.defaults().readOnly(true),
                            tx -> tx.database().create(library.probes, Library.Probe.of("read-only")))
                    .then().as(StepVerifier::create)
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(DataAccessException.class)
                            .cause().isInstanceOfSatisfying(StatementException.class,
                                    se -> assertThat(se.sqlState()).isEqualTo("25006")))
                    .verify(TIMEOUT);
            assertThat(committedNotes()).isEmpty();
        }

        @Test
        void databaseTransactionIsASpringTransactionThatDatabaseClientJoins() {
            Mono<List<Integer>> inside = db.transaction(tx -> service.pid(Step.RELATA)
                    .concatWith(service.clientPid())
                    .concatWith(service.clientInsert("client").then(Mono.empty()))
                    .concatWith(service.pid(Step.RELATA_READ))).collectList();
            inside.as(StepVerifier::create)
                    .assertNext(pids -> assertThat(pids).hasSize(3).containsOnly(pids.get(0)))
                    .expectComplete()
                    .verify(TIMEOUT);
            assertThat(committedNotes()).containsExactly("client", "pid", "read");

            emptyTables();
            expectError(db.transaction(tx -> service.clientInsert("client")
                    .then(db.create(library.probes, Library.Probe.of("relata")))
                    .then(Mono.error(new IllegalStateException(LibraryService.BOOM)))).then(),
                    IllegalStateException.class, LibraryService.BOOM);
            assertThat(committedNotes()).isEmpty();
        }

        @Test
        void aThousandFailingTransactionalCallsLeaveNoConnectionAcquiredAndNoSessionIdleInTransaction() {
            Flux.range(0, 1000)
                    .flatMap(i -> service.writeBothThenFail("leak-" + i)
                            .onErrorResume(IllegalStateException.class, e -> Mono.empty()).thenReturn(i), 4)
                    .count()
                    .as(StepVerifier::create)
                    .expectNext(1000L)
                    .expectComplete()
                    .verify(Duration.ofMinutes(3));
            Pools.awaitNoAcquired(connectionFactory);
            assertThat(committed("Probes")).isZero();
            long idleInTransaction = Sql.single(handle.connectionFactory(), "SELECT count(*) FROM pg_stat_activity "
                    + "WHERE datname = current_database() AND state LIKE 'idle in transaction%'", Long.class);
            assertThat(idleInTransaction).isZero();
        }
    }

    @Nested
    class Errors {
        @Test
        void aUniqueViolationIsADuplicateKeyExceptionCausedByTheStatementException() {
            db.create(library.authors, Library.Author.named("Ann")).as(StepVerifier::create)
                    .expectNextCount(1).expectComplete().verify(TIMEOUT);
            db.create(library.authors, Library.Author.named("Ann")).as(StepVerifier::create)
                    .expectErrorSatisfies(e -> {
                        assertThat(e).isInstanceOf(DuplicateKeyException.class);
                        assertThat(e.getCause()).isInstanceOf(StatementException.class);
                        assertThat(((StatementException) e.getCause()).sqlState()).isEqualTo("23505");
                        assertThat(e.getMessage()).contains("INSERT INTO \"Authors\"");
                    })
                    .verify(TIMEOUT);
        }

        @Test
        void aForeignKeyViolationIsADataIntegrityViolationException() {
            db.create(library.books, new Library.Book(null, "orphan", 999_999L, null)).as(StepVerifier::create)
                    .expectErrorSatisfies(e -> {
                        assertThat(e).isInstanceOf(DataIntegrityViolationException.class)
                                .isNotInstanceOf(DuplicateKeyException.class);
                        assertThat(((StatementException) e.getCause()).sqlState()).isEqualTo("23503");
                    })
                    .verify(TIMEOUT);
        }

        @Test
        void aNotNullViolationInsideATransactionIsTranslatedAndRollsItBack() {
            expectError(db.transaction(tx -> db.create(library.probes, Library.Probe.of("before"))
                    .then(db.create(library.authors, new Library.Author(null, null, "", null)))).then(),
                    DataIntegrityViolationException.class, "23502");
            assertThat(committedNotes()).isEmpty();
        }

        @Test
        void aQueryDefinitionExceptionThrownInARepositoryIsInvalidDataAccessApiUsage() {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> repository.byInclude("nope"))
                    .isInstanceOf(InvalidDataAccessApiUsageException.class)
                    .hasCauseInstanceOf(QueryDefinitionException.class)
                    .hasMessageContaining("\"nope\"").hasMessageContaining("Books");
        }

        @Test
        void includeNamesMayBeTheSlotsThatClientsSee() {
            db.create(library.authors, Library.Author.named("Ann"))
                    .flatMap(a -> db.create(library.books, new Library.Book(null, "Ann's", a.id(), null)))
                    .thenMany(repository.byInclude("books"))
                    .as(StepVerifier::create)
                    .assertNext(a -> assertThat(a.books()).extracting(Library.Book::title).containsExactly("Ann's"))
                    .expectComplete()
                    .verify(TIMEOUT);
        }
    }

    @Nested
    class Streaming {
        @Test
        void anNdjsonClientThatCancelsAfterTwoAuthorsFreesTheConnection() {
            // ~24 MB of NDJSON: far more than socket buffers hold, so the stream is still running when the client leaves
            String bio = "x".repeat(8_000);
            List<Library.Author> many = new ArrayList<>();
            for (int i = 0; i < 3_000; i++) {
                many.add(new Library.Author(null, String.format("author-%05d", i), bio, null));
            }
            db.bulkCreate(library.authors, many).then().as(StepVerifier::create).expectComplete().verify(TIMEOUT);
            int cancelledBefore = authorsEndpoint.cancelled.get();

            WebTestClient web = WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                    .responseTimeout(TIMEOUT).build();
            web.get().uri("/authors").accept(MediaType.APPLICATION_NDJSON).exchange()
                    .expectStatus().isOk()
                    .returnResult(Library.Author.class).getResponseBody()
                    .take(2)
                    .as(StepVerifier::create)
                    .assertNext(a -> assertThat(a.name()).isEqualTo("author-00000"))
                    .assertNext(a -> {
                        assertThat(a.name()).isEqualTo("author-00001");
                        assertThat(a.books()).isEmpty();
                    })
                    .expectComplete()
                    .verify(TIMEOUT);

            Pools.awaitNoAcquired(connectionFactory, Duration.ofSeconds(30));
            Mono.fromSupplier(authorsEndpoint.cancelled::get).filter(n -> n > cancelledBefore)
                    .repeatWhenEmpty(r -> r.delayElements(Duration.ofMillis(10)))
                    .as(StepVerifier::create).expectNextCount(1).expectComplete().verify(TIMEOUT);
        }
    }

    @Nested
    class Observability {
        ch.qos.logback.core.read.ListAppender<ILoggingEvent> appender;

        @BeforeEach
        void captureTheSqlLogger() {
            appender = new ch.qos.logback.core.read.ListAppender<>();
            appender.start();
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.relata.sql")).addAppender(appender);
        }

        @AfterEach
        void release() {
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.relata.sql")).detachAppender(appender);
        }

        List<String> lines() {
            assertThat(appender.list).allSatisfy(e -> assertThat(e.getLevel()).isEqualTo(Level.DEBUG));
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }

        @Test
        void eachStatementIsLoggedAtDebugWithReadableBindsRowsAndDuration() {
            String longName = "n".repeat(200);
            List<Library.Tag> created = db.create(library.tags, new Library.Tag(null, longName))
                    .concatWith(db.create(library.tags, new Library.Tag(null, "short"))).collectList().block(TIMEOUT);
            long a = created.get(0).id();
            long b = created.get(1).id();
            db.findAll(Query.from(library.tags).where(Where.in("id", List.of(a, b, -1L)))).then()
                    .as(StepVerifier::create).expectComplete().verify(TIMEOUT);
            assertThat(lines())
                    .anySatisfy(line -> assertThat(line).matches("INSERT INTO \"Tags\" \\(\"name\"\\) VALUES \\(\\$1\\) "
                            + "RETURNING \"id\", \"name\" \\| binds \\['n{80}…\\(200 chars\\)'\\] \\| 1 row \\| \\d+\\.\\d\\d ms"))
                    .anySatisfy(line -> assertThat(line).matches("INSERT INTO \"Tags\" .* \\| binds \\['short'\\] \\| 1 row \\| .*"))
                    .anySatisfy(line -> assertThat(line).matches("SELECT .* FROM \"Tags\" .*= ANY\\(\\$1\\).* \\| binds \\[\\["
                            + a + ", " + b + ", -1\\]\\] \\| 2 rows \\| \\d+\\.\\d\\d ms"))
                    .noneSatisfy(line -> assertThat(line).contains("[Ljava"));
        }

        @Test
        void aFailedStatementIsLoggedWithItsSqlState() {
            db.create(library.books, new Library.Book(null, "orphan", 424_242L, null)).as(StepVerifier::create)
                    .expectError(DataIntegrityViolationException.class).verify(TIMEOUT);
            assertThat(lines()).anySatisfy(line -> assertThat(line).matches("INSERT INTO \"Books\" .* \\| binds "
                    + "\\['orphan', 424242\\] \\| failed after \\d+\\.\\d\\d ms: SQLSTATE 23503"));
        }

        @Test
        void aCancelledStreamIsLoggedWithTheRowsReadSoFar() {
            db.bulkCreate(library.tags, List.of(new Library.Tag(null, "t1"), new Library.Tag(null, "t2"),
                    new Library.Tag(null, "t3"))).then().block(TIMEOUT);
            appender.list.clear();
            db.findAll(Query.from(library.tags)).take(1).then().as(StepVerifier::create).expectComplete().verify(TIMEOUT);
            assertThat(lines()).anySatisfy(line -> assertThat(line)
                    .matches("SELECT .* FROM \"Tags\" .* \\| binds \\[\\] \\| cancelled after \\d+ rows \\| \\d+\\.\\d\\d ms"));
        }

        @Test
        void eachStatementIsAnObservationWithLowCardinalityOperationAndTable() {
            observations.clear();
            db.create(library.authors, Library.Author.named("observed"))
                    .flatMap(a -> db.findByPk(library.authors, a.id()))
                    .as(StepVerifier::create).expectNextCount(1).expectComplete().verify(TIMEOUT);
            TestObservationRegistryAssert.assertThat(observations)
                    .hasNumberOfObservationsWithNameEqualTo("relata.statement", 2)
                    .hasAnObservation(o -> o.hasNameEqualTo("relata.statement")
                            .hasLowCardinalityKeyValue("relata.operation", "insert")
                            .hasLowCardinalityKeyValue("relata.table", "Authors")
                            .hasLowCardinalityKeyValue("outcome", "success")
)
                    .hasAnObservation(o -> o.hasNameEqualTo("relata.statement")
                            .hasLowCardinalityKeyValue("relata.operation", "select")
                            .hasLowCardinalityKeyValue("relata.table", "Authors")
                            .hasHighCardinalityKeyValue("relata.rows", "1"));
        }

        @Test
        void bootsActuatorShowsTheStatementTimer() {
            db.create(library.authors, Library.Author.named("metered")).as(StepVerifier::create)
                    .expectNextCount(1).expectComplete().verify(TIMEOUT);
            WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(TIMEOUT).build()
                    .get().uri("/actuator/metrics/relata.statement?tag=relata.operation:insert").exchange()
                    .expectStatus().isOk()
                    .expectBody()
                    .jsonPath("$.name").isEqualTo("relata.statement")
                    .jsonPath("$.measurements[?(@.statistic == 'COUNT')].value").value(v -> assertThat(v.toString())
                            .isNotEqualTo("[0.0]"))
                    .jsonPath("$.availableTags[*].tag").value(tags -> assertThat(tags.toString())
                            .contains("relata.table").contains("outcome"));
        }
    }
}
