package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.PoolMetrics;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Result;
import io.relata.HasMany;
import io.relata.Model;
import io.relata.Naming;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.query.Include;
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
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Streaming of eager-loaded graphs: windows apply to roots, the SEPARATE strategy gives the same graphs
 * as JOIN with a bounded number of statements, cancellation releases the connection and demand counts
 * roots, not rows.
 *
 * <p>Data (seeded server-side): 3000 authors; those whose id is not a multiple of 3 have 10 books
 * ({@code b1..b10}), each book has 2 chapters; authors with an even id have one award, multiples of 4 two.
 */
@ExtendWith(TestDatabase.class)
class EagerStreamingIT {
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final int AUTHORS = 3000;

    record Author(Long id, String name, List<Book> books, List<Award> awards) {
    }

    record Book(Long id, String title, Long authorId, List<Chapter> chapters) {
    }

    record Chapter(Long id, String heading, Long bookId) {
    }

    record Award(Long id, String title, Long authorId) {
    }

    static Model<Author> authors;
    static HasMany<Author, Book> authorBooks;
    static HasMany<Author, Award> authorAwards;
    static HasMany<Book, Chapter> bookChapters;
    static Schema schema;

    static Database owner;
    static CountingConnectionFactory counting;
    static Database db;
    static TestDatabase.Handle handle;

    @BeforeAll
    static void seed(TestDatabase.Handle h) {
        handle = h;
        SchemaBuilder s = Schema.builder().naming(Naming.snakeCase()).timestamps(false);
        authors = s.define(Author.class);
        Model<Book> books = s.define(Book.class);
        Model<Chapter> chapters = s.define(Chapter.class);
        Model<Award> awards = s.define(Award.class);
        authorBooks = authors.hasMany(books);
        authorAwards = authors.hasMany(awards);
        bookChapters = books.hasMany(chapters);
        schema = s.build();

        owner = Database.connect(h.url(), schema);
        counting = new CountingConnectionFactory(owner.connectionFactory());
        db = Database.create(counting, schema);
        db.sync().as(StepVerifier::create).expectComplete().verify(TIMEOUT);
        Sql.execute(h.connectionFactory(),
                "INSERT INTO authors (id, name) SELECT a, 'author-' || lpad(a::text, 5, '0')"
                        + " FROM generate_series(1, " + AUTHORS + ") a",
                "INSERT INTO books (id, title, author_id) SELECT (a - 1) * 10 + n, 'b' || n, a"
                        + " FROM generate_series(1, " + AUTHORS + ") a, generate_series(1, 10) n WHERE a % 3 <> 0",
                "INSERT INTO chapters (id, heading, book_id) SELECT b.id * 2 + c, 'ch' || c, b.id"
                        + " FROM books b, generate_series(0, 1) c",
                "INSERT INTO awards (id, title, author_id) SELECT a * 2 + k, 'award-' || a || '-' || k, a"
                        + " FROM generate_series(1, " + AUTHORS + ") a, generate_series(0, 1) k"
                        + " WHERE a % 2 = 0 AND (k = 0 OR a % 4 = 0)",
                "ANALYZE");
    }

    @AfterAll
    static void close() {
        owner.close().block(TIMEOUT);
    }

    @BeforeEach
    void resetCounter() {
        counting.reset();
    }

    @AfterEach
    void noConnectionLeaked() {
        Pools.awaitNoAcquired(owner.connectionFactory());
    }

    static List<Book> tenBooks(long author) {
        return LongStream.rangeClosed(1, 10).mapToObj(n -> new Book((author - 1) * 10 + n, "b" + n, author, null))
                .toList();
    }

    @Nested
    class WindowsApplyToRoots {

        @Test
        void limitWithAToManyIncludeLimitsRootsNotRows() {
            db.findAll(Query.from(authors).include(authorBooks).limit(2))
                    .as(StepVerifier::create)
                    .expectNext(new Author(1L, "author-00001", tenBooks(1), null))
                    .expectNext(new Author(2L, "author-00002", tenBooks(2), null))
                    .expectComplete()
                    .verify(TIMEOUT);
            assertThat(counting.count()).isEqualTo(1);
        }

        @Test
        void offsetSkipsRootsAndKeepsOptionalRootsWithoutChildren() {
            db.findAll(Query.from(authors).include(authorBooks).limit(2).offset(1))
                    .as(StepVerifier::create)
                    .expectNext(new Author(2L, "author-00002", tenBooks(2), null))
                    .expectNext(new Author(3L, "author-00003", List.of(), null))
                    .expectComplete()
                    .verify(TIMEOUT);
        }

        @Test
        void requiredToManyWithLimitKeepsOnlyRootsThatHaveAMatch() {
            db.findAll(Query.from(authors).include(authorBooks, i -> i.required(true)).limit(2).offset(1))
                    .map(a -> a.id() + ":" + a.books().size())
                    .as(StepVerifier::create)
                    .expectNext("2:10", "4:10")
                    .expectComplete()
                    .verify(TIMEOUT);
        }

        @Test
        void includeWhereWithLimitCountsOnlyMatchingRootsAndFiltersChildren() {
            db.findAll(Query.from(authors).include(authorBooks, i -> i.where(Where.eq("title", "b3"))).limit(3))
                    .as(StepVerifier::create)
                    .expectNext(new Author(1L, "author-00001", List.of(new Book(3L, "b3", 1L, null)), null))
                    .expectNext(new Author(2L, "author-00002", List.of(new Book(13L, "b3", 2L, null)), null))
                    .expectNext(new Author(4L, "author-00004", List.of(new Book(33L, "b3", 4L, null)), null))
                    .expectComplete()
                    .verify(TIMEOUT);
        }

        @Test
        void userOrderWithLimitAndToManyInclude() {
            db.findAll(Query.from(authors).include(authorBooks).orderBy(Order.desc("name")).limit(2))
                    .as(StepVerifier::create)
                    .expectNext(new Author(3000L, "author-03000", List.of(), null))
                    .expectNext(new Author(2999L, "author-02999", tenBooks(2999), null))
                    .expectComplete()
                    .verify(TIMEOUT);
        }

        @Test
        void limitWithTwoSiblingToManyIncludes() {
            db.findAll(Query.from(authors).include(authorBooks).include(authorAwards).where(Where.gte("id", 4L)).limit(1))
                    .as(StepVerifier::create)
                    .assertNext(a -> {
                        assertThat(a.id()).isEqualTo(4L);
                        assertThat(a.books()).isEqualTo(tenBooks(4));
                        assertThat(a.awards()).extracting(Award::title).containsExactly("award-4-0", "award-4-1");
                    })
                    .expectComplete()
                    .verify(TIMEOUT);
        }
    }

    @Nested
    class SeparateStrategy {

        /** Sibling to-many (books, awards) and a nested to-many (books → chapters) over 600 roots. */
        Query<Author> query(Include.Strategy strategy) {
            return Query.from(authors).where(Where.lte("id", 600L))
                    .include(authorBooks, b -> b.strategy(strategy).include(bookChapters, c -> c.strategy(strategy)))
                    .include(authorAwards, a -> a.strategy(strategy));
        }

        @Test
        void givesTheSameGraphsAsJoinForSiblingAndDeepToMany() {
            List<Author> joined = db.findAll(query(Include.Strategy.JOIN)).collectList().block(TIMEOUT);
            List<Author> separate = db.findAll(query(Include.Strategy.SEPARATE)).collectList().block(TIMEOUT);
            assertThat(joined).hasSize(600);
            assertThat(joined.get(3).books()).hasSize(10);
            assertThat(joined.get(3).books().get(0).chapters()).hasSize(2);
            assertThat(joined.get(3).awards()).hasSize(2);
            assertThat(separate).isEqualTo(joined);
        }

        @Test
        void mixedSeparateParentWithJoinedChildGivesTheSameGraphs() {
            Query<Author> mixed = Query.from(authors).where(Where.lte("id", 300L))
                    .include(authorBooks, b -> b.strategy(Include.Strategy.SEPARATE).include(bookChapters))
                    .include(authorAwards);
            List<Author> separate = db.findAll(mixed).collectList().block(TIMEOUT);
            List<Author> joined = db.findAll(query(Include.Strategy.JOIN).where(Where.lte("id", 300L)))
                    .collectList().block(TIMEOUT);
            assertThat(separate).hasSize(300).isEqualTo(joined);
        }

        @Test
        void runsOneFollowUpPerIncludeLevelPerWindowOf256Roots() {
            db.findAll(query(Include.Strategy.SEPARATE))
                    .as(StepVerifier::create)
                    .expectNextCount(600)
                    .expectComplete()
                    .verify(TIMEOUT);
            List<String> sql = counting.statements();
            Map<String, Long> byKind = sql.stream().collect(Collectors.groupingBy(
                    st -> st.startsWith("DECLARE") ? "declare" : st.startsWith("FETCH") ? "fetch"
                            : st.startsWith("CLOSE") ? "close" : isRoot(st) ? "first window" : "follow-up",
                    Collectors.counting()));
            // 600 roots: the first window's probe (257 rows: more than one window), then the cursor's fetches of
            // 256, 256 and 88 rows; 3 include levels (books, chapters, awards) per window
            assertThat(byKind).as("statements: %s", sql)
                    .containsEntry("first window", 1L)
                    .containsEntry("declare", 1L)
                    .containsEntry("fetch", 3L)
                    .containsEntry("follow-up", 9L);
            assertThat(sql.size()).isLessThanOrEqualTo(1 + 1 + 3 + 9 + 1);
            Map<String, Long> followUps = sql.stream()
                    .filter(st -> !st.startsWith("DECLARE") && !st.startsWith("FETCH") && !st.startsWith("CLOSE")
                            && !isRoot(st))
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            // windows of 256, 256 and 88 keys: the text does not depend on the number of keys
            assertThat(followUps).hasSize(3).allSatisfy((text, n) -> {
                assertThat(n).isEqualTo(3L);
                assertThat(text).contains("= ANY($1)");
            });
        }

        @Test
        void followUpSqlIsTheSameForOneKeyAndForMany() {
            db.findAll(query(Include.Strategy.SEPARATE).where(Where.eq("id", 4L))).blockLast(TIMEOUT);
            List<String> one = followUps(counting.statements());
            counting.reset();
            db.findAll(query(Include.Strategy.SEPARATE).where(Where.lte("id", 200L))).blockLast(TIMEOUT);
            List<String> many = followUps(counting.statements());
            assertThat(one).hasSize(3).isEqualTo(many);
        }

        List<String> followUps(List<String> sql) {
            return sql.stream()
                    .filter(st -> !st.startsWith("DECLARE") && !st.startsWith("FETCH") && !st.startsWith("CLOSE")
                            && !isRoot(st))
                    .toList();
        }

        /** @return whether a statement reads the roots (the first window's, without a cursor) */
        boolean isRoot(String sql) {
            return sql.startsWith("SELECT ") && sql.contains(" FROM \"authors\" AS \"t0\"");
        }

        @Test
        void separateIncludeWithLimitAppliesTheLimitToRoots() {
            db.findAll(Query.from(authors).include(authorBooks, b -> b.strategy(Include.Strategy.SEPARATE)).limit(2))
                    .as(StepVerifier::create)
                    .expectNext(new Author(1L, "author-00001", tenBooks(1), null))
                    .expectNext(new Author(2L, "author-00002", tenBooks(2), null))
                    .expectComplete()
                    .verify(TIMEOUT);
        }
    }

    /** Each test has its own pool, so that a connection leaked by one cannot fail the others. */
    @Nested
    class CancellationAndDemand {
        Database local;
        List<Object> backendsBefore;

        @BeforeEach
        void ownPool() {
            backendsBefore = backendPids();
            local = Database.connect(handle.url(), schema);
        }

        /** Closes the pool and ends the server sessions a failed test may have left behind (isolation only). */
        @AfterEach
        void closeOwnPool() {
            local.close().timeout(Duration.ofSeconds(5)).onErrorComplete().block();
            for (Object pid : backendPids()) {
                if (!backendsBefore.contains(pid)) {
                    Sql.rows(handle.connectionFactory(), "SELECT pg_terminate_backend($1)", pid);
                }
            }
        }

        List<Object> backendPids() {
            return Sql.rows(handle.connectionFactory(), "SELECT pid FROM pg_stat_activity"
                            + " WHERE datname = current_database() AND pid <> pg_backend_pid()")
                    .stream().map(row -> row.get("pid")).toList();
        }

        PoolMetrics metrics() {
            return ((ConnectionPool) local.connectionFactory()).getMetrics().orElseThrow();
        }

        /** @return (reactively, on a fresh connection) how many other backends of this database match */
        Mono<Long> backends(String condition) {
            return Mono.usingWhen(handle.connectionFactory().create(),
                    c -> Flux.from(c.createStatement("SELECT count(*) FROM pg_stat_activity"
                                    + " WHERE datname = current_database() AND pid <> pg_backend_pid() AND " + condition)
                            .execute())
                            .concatMap(r -> r.map((row, meta) -> row.get(0, Long.class)))
                            .single(),
                    Connection::close);
        }

        /** Polls (no sleep) until no other backend of this database runs a statement. */
        void awaitNoActiveQuery() {
            backends("state = 'active'")
                    .filter(n -> n == 0)
                    .repeatWhenEmpty(r -> r.delayElements(Duration.ofMillis(10)))
                    .timeout(Duration.ofSeconds(10))
                    .as(StepVerifier::create)
                    .expectNext(0L)
                    .expectComplete()
                    .verify(TIMEOUT);
        }

        @Test
        void cancellingMidStreamStopsTheQueryAndReleasesAHealthyConnection() {
            // more cancellations than the pool has connections: a leaked or poisoned one would show
            for (int round = 0; round < 6; round++) {
                local.findAll(Query.from(authors).include(authorBooks).include(authorAwards))
                        .take(3)
                        .map(Author::id)
                        .as(StepVerifier::create)
                        .expectNext(1L, 2L, 3L)
                        .expectComplete()
                        .verify(TIMEOUT);
                Pools.awaitNoAcquired(local.connectionFactory());
            }
            assertThat(metrics().acquiredSize()).isZero();
            awaitNoActiveQuery();
            // still usable, on every pooled connection
            Flux.range(0, 8)
                    .flatMap(i -> local.count(Query.from(authors)), 8)
                    .as(StepVerifier::create)
                    .expectNextCount(8)
                    .expectComplete()
                    .verify(TIMEOUT);
            local.findAll(Query.from(authors).include(authorBooks))
                    .count()
                    .as(StepVerifier::create)
                    .expectNext((long) AUTHORS)
                    .expectComplete()
                    .verify(TIMEOUT);
        }

        @Test
        void cancellingAJoinedStreamInsideATransactionRollsBackAndReleases() {
            for (int round = 0; round < 5; round++) {
                local.transaction(tx -> local.findAll(Query.from(authors).include(authorBooks)))
                        .take(3)
                        .as(StepVerifier::create)
                        .expectNextCount(3)
                        .expectComplete()
                        .verify(TIMEOUT);
                Pools.awaitNoAcquired(local.connectionFactory());
            }
            local.count(Query.from(authors)).as(StepVerifier::create).expectNext((long) AUTHORS).expectComplete()
                    .verify(TIMEOUT);
        }

        @Test
        void cancellingASeparateStreamWithinItsFirstWindowReleasesTheConnection() {
            local.findAll(Query.from(authors).include(authorBooks, b -> b.strategy(Include.Strategy.SEPARATE)))
                    .take(10)
                    .as(StepVerifier::create)
                    .expectNextCount(10)
                    .expectComplete()
                    .verify(TIMEOUT);
            Pools.awaitNoAcquired(local.connectionFactory());
        }

        @Test
        void findOneWithASeparateIncludeReleasesItsCursorTransaction() {
            for (int round = 0; round < 5; round++) {
                local.findByPk(Query.from(authors).include(authorBooks, b -> b.strategy(Include.Strategy.SEPARATE)), 2L)
                        .as(StepVerifier::create)
                        .expectNext(new Author(2L, "author-00002", tenBooks(2), null))
                        .expectComplete()
                        .verify(TIMEOUT);
                Pools.awaitNoAcquired(local.connectionFactory());
            }
        }

        @Test
        void cancellingASeparateStreamRollsBackItsCursorTransactionAndReleasesTheConnection() {
            for (int round = 0; round < 5; round++) {
                local.findAll(Query.from(authors).include(authorBooks, b -> b.strategy(Include.Strategy.SEPARATE)))
                        .take(300)
                        .as(StepVerifier::create)
                        .expectNextCount(300)
                        .expectComplete()
                        .verify(TIMEOUT);
                Pools.awaitNoAcquired(local.connectionFactory());
            }
            awaitNoActiveQuery();
            local.findAll(Query.from(authors).include(authorBooks, b -> b.strategy(Include.Strategy.SEPARATE)))
                    .count()
                    .as(StepVerifier::create)
                    .expectNext((long) AUTHORS)
                    .expectComplete()
                    .verify(TIMEOUT);
        }

        /**
         * A consumer that asked for one root and gives up after a while ({@code take(Duration)}, like a
         * client that disconnects or a timeout): depending on how long, the cancel finds the statement
         * still starting, streaming, or paused by backpressure with rows buffered that nobody asked for.
         * Each time the connection must come back to the pool and every pooled connection must still answer.
         */
        void cancelAfter(Supplier<Flux<Author>> stream) {
            for (int millis : new int[] {5, 10, 15, 20, 25, 30, 40, 50, 75, 100, 300}) {
                StepVerifier.create(stream.get().take(Duration.ofMillis(millis)), 1)
                        .thenConsumeWhile(a -> true)
                        .expectComplete()
                        .verify(TIMEOUT);
                Pools.awaitNoAcquired(local.connectionFactory());
                Flux.range(0, 8)
                        .flatMap(i -> local.count(Query.from(authors)), 8)
                        .as(StepVerifier::create)
                        .as("every pooled connection answers after a cancel at " + millis + " ms")
                        .expectNextCount(8)
                        .expectComplete()
                        .verify(Duration.ofSeconds(15));
            }
        }

        @Test
        void cancellingAJoinedStreamAtAnyPointLeavesEveryConnectionUsable() {
            cancelAfter(() -> local.findAll(Query.from(authors).include(authorBooks)));
        }

        @Test
        void cancellingAJoinedStreamInsideATransactionAtAnyPointReleasesAUsableConnection() {
            cancelAfter(() -> local.transaction(tx -> local.findAll(Query.from(authors).include(authorBooks))));
        }

        @Test
        void cancellingASeparateStreamAtAnyPointReleasesAUsableConnection() {
            cancelAfter(() -> local.findAll(Query.from(authors)
                    .include(authorBooks, b -> b.strategy(Include.Strategy.SEPARATE))));
        }

        /**
         * Cancels a stream whose statement is still waiting on the server (another transaction holds a lock
         * on its table), i.e. after the statement was sent and before any result came back; then lets the
         * statement run. The connection must come back to the pool, and every pooled connection must answer.
         */
        void cancelWhileTheStatementWaitsOnTheServer(Flux<Author> stream) {
            Connection locker = Mono.from(handle.connectionFactory().create()).block(TIMEOUT);
            try {
                Mono.from(locker.beginTransaction()).block(TIMEOUT);
                Flux.from(locker.createStatement("LOCK TABLE authors IN ACCESS EXCLUSIVE MODE").execute())
                        .flatMap(Result::getRowsUpdated).blockLast(TIMEOUT);
                StepVerifier.create(stream, 1)
                        .then(this::awaitAStatementWaitingForTheLock)
                        .thenCancel()
                        .verify(TIMEOUT);
            } finally {
                Mono.from(locker.commitTransaction()).then(Mono.from(locker.close())).block(TIMEOUT);
            }
            Pools.awaitNoAcquired(local.connectionFactory());
            Flux.range(0, 8)
                    .flatMap(i -> local.count(Query.from(authors)), 8)
                    .as(StepVerifier::create)
                    .expectNextCount(8)
                    .expectComplete()
                    .verify(Duration.ofSeconds(15));
        }

        void awaitAStatementWaitingForTheLock() {
            backends("wait_event_type = 'Lock'")
                    .filter(n -> n > 0)
                    .repeatWhenEmpty(r -> r.delayElements(Duration.ofMillis(5)))
                    .timeout(Duration.ofSeconds(10))
                    .block();
        }

        @Test
        void cancellingAJoinedStreamBeforeItsFirstResultLeavesEveryConnectionUsable() {
            cancelWhileTheStatementWaitsOnTheServer(local.findAll(Query.from(authors).include(authorBooks)));
        }

        @Test
        void cancellingAJoinedStreamInATransactionBeforeItsFirstResultReleasesAUsableConnection() {
            cancelWhileTheStatementWaitsOnTheServer(
                    local.transaction(tx -> local.findAll(Query.from(authors).include(authorBooks))));
        }

        @Test
        void cancellingASeparateStreamBeforeItsFirstResultReleasesAUsableConnection() {
            cancelWhileTheStatementWaitsOnTheServer(local.findAll(Query.from(authors)
                    .include(authorBooks, b -> b.strategy(Include.Strategy.SEPARATE))));
        }

        @Test
        void demandCountsRootsNotRows() {
            // each of these roots spans 10 joined rows
            StepVerifier.create(local.findAll(Query.from(authors).include(authorBooks).where(Where.lte("id", 5L))), 0)
                    .expectSubscription()
                    .expectNoEvent(Duration.ofMillis(100))
                    .thenRequest(1)
                    .expectNext(new Author(1L, "author-00001", tenBooks(1), null))
                    .expectNoEvent(Duration.ofMillis(300))
                    .thenRequest(1)
                    .expectNext(new Author(2L, "author-00002", tenBooks(2), null))
                    .expectNoEvent(Duration.ofMillis(100))
                    .thenRequest(Long.MAX_VALUE)
                    .expectNextCount(3)
                    .expectComplete()
                    .verify(TIMEOUT);
        }

        @Test
        void limitRateOfOneStillAssemblesWholeRoots() {
            local.findAll(Query.from(authors).include(authorBooks).include(authorAwards).where(Where.lte("id", 40L)))
                    .limitRate(1)
                    .as(StepVerifier::create)
                    .recordWith(java.util.ArrayList::new)
                    .expectNextCount(40)
                    .consumeRecordedWith(all -> {
                        assertThat(all).extracting(Author::id).containsExactlyElementsOf(
                                LongStream.rangeClosed(1, 40).boxed().toList());
                        assertThat(all).allSatisfy(a -> assertThat(a.books()).hasSize(a.id() % 3 == 0 ? 0 : 10));
                    })
                    .expectComplete()
                    .verify(TIMEOUT);
        }
    }
}
