package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.HasMany;
import io.relata.Model;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.query.Include;
import io.relata.query.Order;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.reactor.testing.Pools;
import io.relata.reactor.testing.RecordingConnectionFactory;
import io.relata.reactor.testing.RecordingConnectionFactory.Executed;
import io.relata.reactor.testing.Sql;
import io.relata.reactor.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.test.StepVerifier;

/**
 * SEPARATE includes read the root statement's first window ({@value Streams#WINDOW} rows) as a plain
 * statement limited to one row more: when the roots fit it, no cursor is declared and, outside a
 * transaction, none is begun (the root statement, then one statement per follow-up level); only a result
 * larger than a window is read again through a cursor in a transaction.
 */
@ExtendWith(TestDatabase.class)
class SeparateFirstWindowIT {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final int ROOTS = Streams.WINDOW + 44;

    record Author(Long id, String name, List<Book> books) {}

    record Book(Long id, String title, Long authorId, List<Note> notes) {}

    record Note(Long id, String text, Long bookId) {}

    static Database pool;
    static Database db;
    static RecordingConnectionFactory recording;
    static Model<Author> authors;
    static HasMany<Author, Book> authorBooks;
    static HasMany<Book, Note> bookNotes;

    @BeforeAll
    static void seedThreeHundredAuthorsWithThreeBooksAndOneNoteEach(TestDatabase.Handle h) {
        SchemaBuilder s = Schema.builder().timestamps(false);
        authors = s.define(Author.class);
        Model<Book> books = s.define(Book.class);
        Model<Note> notes = s.define(Note.class);
        authorBooks = authors.hasMany(books, o -> o.foreignKey("authorId"));
        bookNotes = books.hasMany(notes, o -> o.foreignKey("bookId"));
        Schema schema = s.build();
        pool = Database.connect(h.url(), schema);
        pool.sync().block(TIMEOUT);
        recording = new RecordingConnectionFactory(pool.connectionFactory());
        db = Database.create(recording, schema);
        Sql.execute(h.connectionFactory(),
                "INSERT INTO \"Authors\" (\"name\") SELECT 'author ' || i FROM generate_series(1, " + ROOTS + ") i",
                "INSERT INTO \"Books\" (\"title\", \"authorId\") SELECT 'book ' || b, a FROM generate_series(1, "
                        + ROOTS + ") a, generate_series(1, 3) b",
                "INSERT INTO \"Notes\" (\"text\", \"bookId\") SELECT 'note on ' || id, id FROM \"Books\"");
    }

    @AfterAll
    static void close() {
        pool.close().block(TIMEOUT);
    }

    @BeforeEach
    void reset() {
        Pools.awaitNoAcquired(pool.connectionFactory());
        recording.reset();
    }

    private static Query<Author> separate(long lastId) {
        return Query.from(authors).where(Where.lte("id", lastId))
                .include(authorBooks, i -> i.strategy(Include.Strategy.SEPARATE)
                        .include(bookNotes, n -> n.strategy(Include.Strategy.SEPARATE)))
                .orderBy(Order.asc("id"));
    }

    private static void expectAuthorsWithThreeBooksAndTheirNotes(Query<Author> query, long count) {
        db.findAll(query).collectList().as(StepVerifier::create).assertNext(list -> {
            assertThat(list).hasSize((int) count);
            assertThat(list).extracting(Author::id).isSorted().first().isEqualTo(1L);
            assertThat(list).allSatisfy(a -> {
                assertThat(a.books()).hasSize(3).allSatisfy(b -> assertThat(b.authorId()).isEqualTo(a.id()));
                assertThat(a.books()).allSatisfy(b -> assertThat(b.notes()).singleElement()
                        .satisfies(n -> assertThat(n.text()).isEqualTo("note on " + b.id())));
            });
        }).expectComplete().verify(TIMEOUT);
    }

    private static List<String> sql() {
        return recording.executed().stream().map(Executed::sql).toList();
    }

    @Test
    void rootsThatFitAWindowAreReadWithoutCursorOrTransaction() {
        expectAuthorsWithThreeBooksAndTheirNotes(separate(10), 10);

        List<Executed> executed = recording.executed();
        assertThat(executed).hasSize(3);
        assertThat(executed.get(0).sql()).startsWith("SELECT ").endsWith(" LIMIT $2");
        assertThat(executed.get(0).binds()).containsExactly(10L, (long) Streams.WINDOW + 1);
        assertThat(executed.get(1).sql()).contains("FROM \"Books\"").contains("= ANY($1)");
        assertThat(executed.get(2).sql()).contains("FROM \"Notes\"").contains("= ANY($1)");
        assertThat(sql()).noneMatch(s -> s.startsWith("DECLARE") || s.startsWith("FETCH") || s.startsWith("CLOSE"));
        assertThat(recording.controls()).isEmpty();
    }

    @Test
    void exactlyAWindowOfRootsStillNeedsNoCursor() {
        expectAuthorsWithThreeBooksAndTheirNotes(separate(Streams.WINDOW), Streams.WINDOW);

        assertThat(sql()).hasSize(3).noneMatch(s -> s.startsWith("DECLARE"));
        assertThat(recording.controls()).isEmpty();
    }

    @Test
    void oneRootMoreThanAWindowIsReadThroughACursorInATransaction() {
        expectAuthorsWithThreeBooksAndTheirNotes(separate(Streams.WINDOW + 1L), Streams.WINDOW + 1L);

        List<String> sql = sql();
        assertThat(sql.get(0)).endsWith(" LIMIT $2");
        assertThat(sql.get(1)).startsWith("DECLARE ");
        // two windows (256 + 1 roots), each with its two follow-up levels
        assertThat(sql.subList(2, sql.size())).hasSize(2 * 3);
        assertThat(sql.stream().filter(s -> s.startsWith("FETCH FORWARD " + Streams.WINDOW))).hasSize(2);
        assertThat(recording.controls()).containsExactly("beginTransaction", "commitTransaction");
    }

    @Test
    void everyRootOfALargeResultArrivesOnceThroughTheCursor() {
        expectAuthorsWithThreeBooksAndTheirNotes(separate(ROOTS), ROOTS);

        assertThat(sql()).filteredOn(s -> s.startsWith("DECLARE ")).hasSize(1);
        assertThat(recording.controls()).containsExactly("beginTransaction", "commitTransaction");
    }

    @Test
    void insideATransactionRootsThatFitAWindowNeedNoCursor() {
        db.transaction(tx -> db.update(Query.from(authors).where(Where.eq("id", 2L)), Map.of("name", "renamed"))
                        .thenMany(db.findAll(separate(5))))
                .collectList().as(StepVerifier::create)
                .assertNext(list -> assertThat(list).extracting(Author::name).containsExactly(
                        "author 1", "renamed", "author 3", "author 4", "author 5"))
                .expectComplete().verify(TIMEOUT);

        assertThat(sql()).hasSize(4).noneMatch(s -> s.startsWith("DECLARE"));
        assertThat(recording.controls()).containsExactly("beginTransaction", "commitTransaction");
        db.update(Query.from(authors).where(Where.eq("id", 2L)), Map.of("name", "author 2")).block(TIMEOUT);
    }

    @Test
    void insideATransactionALargeResultUsesTheCursorOnTheTransactionsConnection() {
        db.transaction(tx -> db.findAll(separate(ROOTS)).count())
                .as(StepVerifier::create).expectNext((long) ROOTS).expectComplete().verify(TIMEOUT);

        assertThat(sql()).filteredOn(s -> s.startsWith("DECLARE ")).hasSize(1);
        assertThat(sql()).filteredOn(s -> s.startsWith("CLOSE ")).hasSize(1);
        assertThat(recording.controls()).containsExactly("beginTransaction", "commitTransaction");
    }

    @Test
    void anOwnLimitBelowAWindowIsKeptInTheProbe() {
        db.findAll(separate(ROOTS).limit(4)).map(a -> a.books().size()).collectList()
                .as(StepVerifier::create).expectNext(List.of(3, 3, 3, 3)).expectComplete().verify(TIMEOUT);

        assertThat(recording.executed().get(0).binds()).containsExactly((long) ROOTS, 4L);
        assertThat(sql()).hasSize(3);
        assertThat(recording.controls()).isEmpty();
    }

    @Test
    void takingFewRootsOfAResultThatFitsReleasesTheConnection() {
        db.findAll(separate(50)).take(2).map(Author::id)
                .as(StepVerifier::create).expectNext(1L, 2L).expectComplete().verify(TIMEOUT);
        Pools.awaitNoAcquired(pool.connectionFactory());
    }
}
