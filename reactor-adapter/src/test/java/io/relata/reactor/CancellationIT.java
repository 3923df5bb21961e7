package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.HasMany;
import io.relata.Model;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.query.Include;
import io.relata.query.Order;
import io.relata.query.Query;
import io.relata.reactor.testing.Pools;
import io.relata.reactor.testing.Sql;
import io.relata.reactor.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * Cancelling a stream at any moment (before the first row, between windows of a SEPARATE include,
 * inside a transaction) releases the connection healthy: later statements on the same pool, and the
 * transaction's COMMIT, complete.
 */
@ExtendWith(TestDatabase.class)
class CancellationIT {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    record Author(Long id, String name, List<Book> books) {}

    record Book(Long id, String title, Long authorId) {}

    static Database db;
    static Model<Author> authors;
    static HasMany<Author, Book> authorBooks;

    @BeforeAll
    static void seedAThousandAuthorsWithThreeBooksEach(TestDatabase.Handle h) {
        SchemaBuilder s = Schema.builder().timestamps(false);
        authors = s.define(Author.class);
        Model<Book> books = s.define(Book.class);
        authorBooks = authors.hasMany(books, o -> o.foreignKey("authorId"));
        db = Database.connect(h.url(), s.build());
        db.sync().block(TIMEOUT);
        Sql.execute(h.connectionFactory(),
                "INSERT INTO \"Authors\" (\"name\") SELECT 'author ' || i FROM generate_series(1, 1000) i",
                "INSERT INTO \"Books\" (\"title\", \"authorId\") SELECT 'book ' || b, a FROM generate_series(1, 1000) a,"
                        + " generate_series(1, 3) b");
    }

    @AfterAll
    static void close() {
        db.close().block(TIMEOUT);
    }

    private static Query<Author> separate() {
        return Query.from(authors).include(authorBooks, i -> i.strategy(Include.Strategy.SEPARATE))
                .orderBy(Order.asc("id"));
    }

    @Test
    void takingFewRootsOfASeparateIncludeReleasesEveryConnection() {
        for (int i = 0; i < 6; i++) { // more rounds than the pool has connections
            db.findAll(separate()).take(5).map(a -> a.books().size())
                    .as(StepVerifier::create).expectNext(3, 3, 3, 3, 3).expectComplete().verify(TIMEOUT);
        }
        Pools.awaitNoAcquired(db.connectionFactory());
        db.count(Query.from(authors)).as(StepVerifier::create).expectNext(1000L).expectComplete().verify(TIMEOUT);
    }

    @Test
    void takingFewRootsOfASeparateIncludeInsideATransactionStillCommits() {
        db.transaction(tx -> db.update(Query.from(authors).where(io.relata.query.Where.eq("id", 1L)),
                        java.util.Map.of("name", "renamed in tx"))
                .thenMany(db.findAll(separate()).take(2)))
                .count()
                .as(StepVerifier::create).expectNext(2L).expectComplete().verify(TIMEOUT);
        db.findByPk(authors, 1L).map(Author::name)
                .as(StepVerifier::create).expectNext("renamed in tx").expectComplete().verify(TIMEOUT);
        Pools.awaitNoAcquired(db.connectionFactory());
    }

    @Test
    void cancellingBeforeTheFirstRowLeavesThePoolUsable() {
        for (int i = 0; i < 8; i++) {
            // cancelled as soon as it is subscribed: the statement may be sent with no row read yet
            Flux.from(db.findAll(Query.from(authors).include(authorBooks)))
                    .as(f -> StepVerifier.create(f, 0)).thenCancel().verify(TIMEOUT);
        }
        Pools.awaitNoAcquired(db.connectionFactory());
        Flux.range(0, 8).flatMap(i -> db.count(Query.from(authors)))
                .as(StepVerifier::create).expectNextCount(8).expectComplete().verify(TIMEOUT);
    }

    @Test
    void cancellingAWriteInsideATransactionRollsItBackAndFreesTheConnection() {
        db.transaction(tx -> db.update(Query.from(authors).where(io.relata.query.Where.eq("id", 2L)),
                        java.util.Map.of("name", "never committed"))
                .thenMany(db.findAll(Query.from(authors).include(authorBooks))))
                .take(1)
                .as(StepVerifier::create).expectNextCount(1).expectComplete().verify(TIMEOUT);
        Pools.awaitNoAcquired(db.connectionFactory());
        db.findByPk(authors, 2L).map(Author::name)
                .as(StepVerifier::create).expectNext("author 2").expectComplete().verify(TIMEOUT);
    }
}
