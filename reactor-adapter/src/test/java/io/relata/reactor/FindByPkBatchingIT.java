package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.HasMany;
import io.relata.Model;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.StatementException;
import io.relata.query.Include;
import io.relata.query.Order;
import io.relata.query.Query;
import io.relata.reactor.testing.Pools;
import io.relata.reactor.testing.RecordingConnectionFactory;
import io.relata.reactor.testing.RecordingConnectionFactory.Executed;
import io.relata.reactor.testing.Sql;
import io.relata.reactor.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * {@code findByPk(model, key)} lookups subscribed together are one statement, as Prisma's dataloader batches
 * {@code findUnique} calls of one tick: a lone lookup keeps {@code WHERE pk = $1 LIMIT 1}; several are one
 * {@code WHERE pk = ANY($1)} whose rows go to the lookups by key; each lookup gets its own entity and its own
 * outcome (soft-deleted rows stay hidden, a cancelled lookup leaves the others their rows, a failed statement
 * fails each of them with its SQL and SQLSTATE); inside a transaction the batch runs on its connection and sees
 * its uncommitted rows; composite keys are looked up one statement each. Proved by counting the statements
 * the server got, never by time.
 */
@ExtendWith(TestDatabase.class)
class FindByPkBatchingIT {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    record Book(Long id, String title) {
    }

    record Memo(Long id, String body, Instant deletedAt) {
    }

    record Seat(Integer row, String letter, String holder) {
    }

    record Ghost(Long id, String name) {
    }

    record Author(Long id, String name, List<Novel> novels) {
    }

    record Novel(Long id, String title, Long authorId) {
    }

    static Model<Book> books;
    static Model<Memo> memos;
    static Model<Seat> seats;
    static Model<Ghost> ghosts;
    static Model<Author> authors;
    static HasMany<Author, Novel> authorNovels;
    static TestDatabase.Handle handle;
    static Database pool;
    static RecordingConnectionFactory recording;
    static Database db;

    @BeforeAll
    static void schema(TestDatabase.Handle h) {
        handle = h;
        SchemaBuilder s = Schema.builder().timestamps(false);
        books = s.define(Book.class, m -> m.table("pk_books"));
        memos = s.define(Memo.class, m -> m.table("pk_memos").paranoid(true).deletedAt("deletedAt"));
        seats = s.define(Seat.class, m -> m.table("pk_seats").primaryKey("row", "letter"));
        ghosts = s.define(Ghost.class, m -> m.table("pk_ghosts"));
        authors = s.define(Author.class, m -> m.table("pk_authors"));
        authorNovels = authors.hasMany(s.define(Novel.class, m -> m.table("pk_novels")));
        Schema schema = s.build();
        pool = Database.connect(h.url(), schema);
        recording = new RecordingConnectionFactory(pool.connectionFactory());
        db = Database.create(recording, schema);
        db.sync().as(StepVerifier::create).expectComplete().verify(TIMEOUT);
        Sql.execute(h.connectionFactory(),
                "INSERT INTO pk_books (id, title) SELECT g, 'book-' || g FROM generate_series(1, 20) g",
                "INSERT INTO pk_memos (id, body, \"deletedAt\") VALUES (1, 'live', NULL), (2, 'gone', now()), (3, 'also live', NULL)",
                "INSERT INTO pk_authors (id, name) VALUES (1, 'ann'), (2, 'bo'), (3, 'cy')",
                "INSERT INTO pk_novels (id, title, \"authorId\") VALUES (1, 'a1', 1), (2, 'a2', 1), (3, 'b1', 2)",
                "INSERT INTO pk_seats (row, letter, holder) VALUES (1, 'A', 'ann'), (1, 'B', 'bob'), (2, 'A', 'cy')",
                // the model's table is dropped: every statement over it fails with 42P01
                "DROP TABLE pk_ghosts");
    }

    @AfterAll
    static void close() {
        pool.close().block(TIMEOUT);
    }

    @BeforeEach
    void reset() {
        recording.reset();
    }

    @AfterEach
    void noConnectionLeaked() {
        Pools.awaitNoAcquired(pool.connectionFactory());
    }

    /** The titles the lookups of {@code ids} found, in the order of {@code ids} ("-" for none). */
    static String lookupsTogether(Database on, Long... ids) {
        return Flux.range(0, ids.length)
                .flatMap(i -> on.findByPk(books, ids[i]).map(Book::title).defaultIfEmpty("-").map(t -> Map.entry(i, t)))
                .collectSortedList(Map.Entry.comparingByKey())
                .map(l -> l.stream().map(Map.Entry::getValue).collect(Collectors.joining(";")))
                .block(TIMEOUT);
    }

    static List<Executed> selects() {
        return recording.executed().stream().filter(e -> e.sql().startsWith("SELECT")).toList();
    }

    @Test
    void aLoneLookupIsOneStatementForItsKey() {
        db.findByPk(books, 7L).map(Book::title).as(StepVerifier::create).expectNext("book-7").expectComplete().verify(TIMEOUT);
        assertThat(selects()).singleElement().satisfies(e -> {
            assertThat(e.sql()).contains("= $1").contains("LIMIT").doesNotContain("ANY");
            assertThat(e.binds()).startsWith(7L);
        });
    }

    @Test
    void lookupsSubscribedTogetherAreOneStatementOverTheirKeys() {
        assertThat(lookupsTogether(db, 3L, 1L, 99L, 20L, 5L)).isEqualTo("book-3;book-1;-;book-20;book-5");
        assertThat(selects()).singleElement().satisfies(e -> {
            assertThat(e.sql()).contains("= ANY($1)").doesNotContain("LIMIT");
            assertThat(Arrays.asList(e.array(0))).containsExactly(3L, 1L, 99L, 20L, 5L);
        });
    }

    @Test
    void lookupsOfTheSameKeyShareTheStatementButNotTheEntity() {
        List<Book> found = Flux.range(0, 3).flatMap(i -> db.findByPk(books, i == 1 ? 4L : 2L)).collectList().block(TIMEOUT);
        assertThat(found).extracting(Book::title).containsExactlyInAnyOrder("book-2", "book-4", "book-2");
        List<Book> twos = found.stream().filter(b -> b.id() == 2L).toList();
        assertThat(twos.get(0)).isEqualTo(twos.get(1)).isNotSameAs(twos.get(1));
        assertThat(selects()).singleElement().satisfies(e -> assertThat(Arrays.asList(e.array(0))).containsExactly(2L, 4L));
    }

    @Test
    void lookupsOfOneKeyTogetherKeepTheStatementOfALoneLookup() {
        assertThat(lookupsTogether(db, 6L, 6L)).isEqualTo("book-6;book-6");
        assertThat(selects()).singleElement().satisfies(e -> assertThat(e.sql()).contains("= $1").doesNotContain("ANY"));
    }

    @Test
    void aBatchLeavesSoftDeletedRowsOutAsALoneLookupDoes() {
        String found = Flux.range(1, 3)
                .flatMap(i -> db.findByPk(memos, (long) i).map(m -> m.id() + ":" + m.body()))
                .sort().collect(Collectors.joining(";")).block(TIMEOUT);
        assertThat(found).isEqualTo("1:live;3:also live");
        assertThat(selects()).singleElement().satisfies(e -> assertThat(e.sql()).contains("= ANY($1)").contains("\"deletedAt\" IS NULL"));
        db.findByPk(memos, 2L).as(StepVerifier::create).expectComplete().verify(TIMEOUT);
    }

    @Test
    void inATransactionTheBatchRunsOnItsConnectionAndSeesItsRows() {
        String seen = db.transaction(tx -> db.create(books, new Book(100L, "uncommitted"))
                        .then(Flux.just(100L, 1L, 2L).flatMap(id -> db.findByPk(books, id)).map(Book::title).sort()
                                .collect(Collectors.joining(";")))
                        .flatMap(titles -> Mono.<String>error(new IllegalStateException(titles))))
                .onErrorResume(IllegalStateException.class, e -> Mono.just(String.valueOf(e.getMessage())))
                .blockLast(TIMEOUT);
        assertThat(seen).isEqualTo("book-1;book-2;uncommitted");
        assertThat(selects()).singleElement().satisfies(e -> assertThat(e.sql()).contains("= ANY($1)"));
        // rolled back
        db.findByPk(books, 100L).as(StepVerifier::create).expectComplete().verify(TIMEOUT);
    }

    @Test
    void aLookupThatCancelsLeavesTheOthersTheirRows() {
        Sinks.Empty<Void> stop = Sinks.empty();
        Mono<Optional<String>> cancelled = db.findByPk(books, 8L).map(Book::title).map(Optional::of)
                .takeUntilOther(stop.asMono()).defaultIfEmpty(Optional.empty());
        String outcome = Flux.merge(cancelled.map(o -> o.orElse("cancelled")),
                        Mono.fromRunnable(stop::tryEmitEmpty).then(Mono.<String>empty()),
                        db.findByPk(books, 9L).map(Book::title), db.findByPk(books, 10L).map(Book::title))
                .sort().collect(Collectors.joining(";")).block(TIMEOUT);
        assertThat(outcome).isEqualTo("book-10;book-9;cancelled");
        assertThat(selects()).singleElement().satisfies(e -> assertThat(Arrays.asList(e.array(0))).containsExactly(9L, 10L));
    }

    @Test
    void lookupsThatAllCancelBeforeTheFlushSendNoKeyOfTheirs() {
        Flux.range(1, 3).flatMap(i -> db.findByPk(books, (long) i)).subscribe().dispose();
        // a later lookup (in the same batch, or in a new one): the only key that reaches the server is its own
        db.findByPk(books, 15L).map(Book::title).as(StepVerifier::create).expectNext("book-15").expectComplete().verify(TIMEOUT);
        assertThat(selects()).singleElement().satisfies(e -> {
            assertThat(e.sql()).contains("= $1").doesNotContain("ANY");
            assertThat(e.binds()).startsWith(15L);
        });
    }

    @Test
    void aFailedBatchFailsEachLookupWithTheStatementsSqlAndSqlState() {
        List<String> errors = Flux.range(1, 3)
                .flatMap(i -> db.findByPk(ghosts, (long) i).map(Ghost::name)
                        .onErrorResume(StatementException.class, e -> Mono.just(e.sqlState() + " " + e.sql())))
                .collectList().block(TIMEOUT);
        assertThat(errors).hasSize(3).allSatisfy(e -> assertThat(e).startsWith("42P01 SELECT").contains("= ANY($1)"));
        assertThat(selects()).hasSize(1);
    }

    @Test
    void aFailedBatchFailsTheLookupsStillWaitingWhenTheFirstOneCancelled() {
        Sinks.Empty<Void> stop = Sinks.empty();
        Mono<String> cancelled = db.findByPk(ghosts, 1L).map(Ghost::name).takeUntilOther(stop.asMono())
                .defaultIfEmpty("cancelled");
        List<String> outcomes = Flux.merge(cancelled, Mono.fromRunnable(stop::tryEmitEmpty).then(Mono.<String>empty()),
                        db.findByPk(ghosts, 2L).map(Ghost::name).onErrorResume(StatementException.class,
                                e -> Mono.just(String.valueOf(e.sqlState()))),
                        db.findByPk(ghosts, 3L).map(Ghost::name).onErrorResume(StatementException.class,
                                e -> Mono.just(String.valueOf(e.sqlState()))))
                .collectList().block(TIMEOUT);
        assertThat(outcomes).containsExactlyInAnyOrder("cancelled", "42P01", "42P01");
        assertThat(selects()).singleElement().satisfies(e -> assertThat(Arrays.asList(e.array(0))).containsExactly(2L, 3L));
    }

    @Test
    void compositeKeyLookupsAreOneStatementEach() {
        String holders = Flux.just(List.<Object>of(1, "A"), List.<Object>of(1, "B"), List.<Object>of(2, "B"))
                .flatMap(k -> db.findByPk(seats, k).map(Seat::holder)).sort().collect(Collectors.joining(";")).block(TIMEOUT);
        assertThat(holders).isEqualTo("ann;bob");
        assertThat(selects()).hasSize(3).allSatisfy(e -> assertThat(e.sql()).doesNotContain("ANY"));
    }

    @Test
    void lookupsThroughTheSamePoolFromTwoDatabasesAreBatchedPerDatabase() {
        Database other = db.withBatchWindow(Duration.ZERO);
        String found = Flux.merge(db.findByPk(books, 11L), db.findByPk(books, 12L), other.findByPk(books, 13L),
                        other.findByPk(books, 14L))
                .map(Book::title).sort().collect(Collectors.joining(";")).block(TIMEOUT);
        assertThat(found).isEqualTo("book-11;book-12;book-13;book-14");
        assertThat(selects()).hasSize(2).allSatisfy(e -> assertThat(e.sql()).contains("= ANY($1)"));
    }

    /**
     * W7's shape: each batch's rows complete its lookups in one task of the event loop, where the flatMap
     * subscribes the next ones, so 256 lookups at concurrency 4 are 64 statements of 4 keys.
     */
    @Test
    void aFlatMapAtConcurrencyFourRunsOneStatementPerFourLookups() {
        long sum = Flux.range(0, 256).flatMap(i -> db.findByPk(books, (long) (i % 20 + 1)), 4)
                .map(Book::id).reduce(0L, Long::sum).block(TIMEOUT);
        assertThat(sum).isEqualTo(12 * 210L + (1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 + 10 + 11 + 12 + 13 + 14 + 15 + 16));
        assertThat(selects()).hasSize(64).allSatisfy(e -> assertThat(e.array(0)).hasSize(4));
    }

    static String author(Author a) {
        return a.name() + "[" + a.novels().stream().map(Novel::title).sorted().collect(Collectors.joining(",")) + "]";
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Include.Strategy.class)
    void lookupsThroughOneQueryWithIncludesAreOneBatchWithEachRootsChildren(Include.Strategy strategy) {
        Query<Author> query = Query.from(authors).include(authorNovels, i -> i.strategy(strategy).orderBy(Order.asc("id")));
        String found = Flux.just(2L, 1L, 9L, 3L, 1L)
                .flatMap(id -> db.findByPk(query, id).map(FindByPkBatchingIT::author).defaultIfEmpty("-"))
                .sort().collect(Collectors.joining(";")).block(TIMEOUT);
        assertThat(found).isEqualTo("-;ann[a1,a2];ann[a1,a2];bo[b1];cy[]");
        List<Executed> selects = selects();
        assertThat(selects.get(0).sql()).contains("= ANY($1)");
        if (strategy != Include.Strategy.SEPARATE) {
            // JOIN: the novels joined; AGGREGATE: each author's novels as one JSON array in its row
            assertThat(selects).singleElement().satisfies(e -> assertThat(e.sql()).doesNotContain("LIMIT"));
        } else {
            // the roots (read as SEPARATE's first window: at most 257 rows), then the novels of all of them
            assertThat(selects).hasSize(2);
            assertThat(selects.get(0).binds()).last().isEqualTo(257L);
        }
        // the two lookups of author 1: separate roots, the same children
        List<Author> ones = Flux.range(0, 2).flatMap(i -> db.findByPk(query, 1L)).collectList().block(TIMEOUT);
        assertThat(ones.get(0)).isNotSameAs(ones.get(1)).isEqualTo(ones.get(1));
    }

    @Test
    void aLoneLookupThroughAQueryKeepsItsStatementAndLookupsThroughOtherQueriesAreNotBatchedTogether() {
        Query<Author> query = Query.from(authors).include(authorNovels);
        db.findByPk(query, 1L).map(FindByPkBatchingIT::author).as(StepVerifier::create).expectNext("ann[a1,a2]")
                .expectComplete().verify(TIMEOUT);
        assertThat(selects()).singleElement().satisfies(e -> assertThat(e.sql()).doesNotContain("ANY").contains("= $1"));
        recording.reset();
        String found = Flux.merge(db.findByPk(Query.from(authors).include(authorNovels), 1L),
                        db.findByPk(Query.from(authors).include(authorNovels), 2L))
                .map(FindByPkBatchingIT::author).sort().collect(Collectors.joining(";")).block(TIMEOUT);
        assertThat(found).isEqualTo("ann[a1,a2];bo[b1]");
        assertThat(selects()).hasSize(2).allSatisfy(e -> assertThat(e.sql()).doesNotContain("ANY"));
    }

    @Test
    void lookupsThroughAQueryWithAWindowAreOneStatementEach() {
        Query<Author> query = Query.from(authors).offset(0);
        String found = Flux.just(1L, 2L).flatMap(id -> db.findByPk(query, id)).map(Author::name).sort()
                .collect(Collectors.joining(";")).block(TIMEOUT);
        assertThat(found).isEqualTo("ann;bo");
        assertThat(selects()).hasSize(2).allSatisfy(e -> assertThat(e.sql()).doesNotContain("ANY"));
    }
}
