package io.relata.examples;

import io.relata.HasMany;
import io.relata.Model;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.query.Order;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.reactor.Database;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import reactor.core.publisher.Mono;

/**
 * Eager loading that streams: authors with their books come out of one joined query one author at
 * a time, as soon as the author's last row has been read. Demand counts authors, not rows, so
 * {@code limitRate} bounds what is in memory, {@code take} stops the query early (the connection
 * goes back to the pool), and the same works inside {@code db.transaction(...)}.
 */
public final class Streaming {

    static final int AUTHORS = 3000;
    static final int BOOKS_PER_AUTHOR = 3;

    record Author(Long id, String name, List<Book> books) {
    }

    record Book(Long id, String title, Long authorId) {
    }

    private Streaming() {
    }

    /**
     * @param url an R2DBC URL
     */
    public static void run(String url) {
        SchemaBuilder s = Schema.builder();
        Model<Author> authors = s.define(Author.class, m -> m.timestamps(false));
        Model<Book> books = s.define(Book.class, m -> m.timestamps(false));
        HasMany<Author, Book> authorBooks = authors.hasMany(books);
        Schema schema = s.build();

        Database db = Database.connect(url, schema);
        try {
            db.sync(true).block();
            List<Author> created = db.bulkCreate(authors, IntStream.rangeClosed(1, AUTHORS)
                    .mapToObj(i -> new Author(null, String.format("Author %04d", i), null)).toList())
                    .collectList().block();
            List<Book> manuscripts = new ArrayList<>();
            for (Author a : created) {
                for (int b = 1; b <= BOOKS_PER_AUTHOR; b++) {
                    manuscripts.add(new Book(null, a.name() + ", volume " + b, a.id()));
                }
            }
            long stored = db.bulkCreate(books, manuscripts).count().block();
            System.out.println("  bulkCreate: " + created.size() + " authors, " + stored + " books");

            Query<Author> everyone = Query.from(authors)
                    .orderBy(Order.asc("name"))
                    .include(authorBooks, i -> i.orderBy(Order.asc("title")));

            // 1. Backpressure: the subscriber asks for 100 authors, then 75 more whenever 75 are used.
            //    doOnRequest (above limitRate) shows what the database stream was asked for.
            List<Long> requests = new CopyOnWriteArrayList<>();
            AtomicLong bookCount = new AtomicLong();
            long streamed = db.findAll(everyone)
                    .doOnRequest(requests::add)
                    .limitRate(100)
                    .doOnNext(author -> bookCount.addAndGet(author.books().size()))
                    .count()
                    .block();
            System.out.println("  limitRate(100): streamed " + streamed + " authors with " + bookCount.get()
                    + " books; demand came in " + requests.size() + " requests: " + summary(requests));
            Check.expect("authors streamed", streamed, (long) AUTHORS);
            Check.expect("books streamed", bookCount.get(), (long) AUTHORS * BOOKS_PER_AUTHOR);
            Check.expect("first request", requests.get(0), 100L);

            // 2. take(5) cancels the query after the fifth author: the rest is never read.
            List<Author> firstFive = db.findAll(everyone).take(5).collectList().block();
            System.out.println("  take(5): " + firstFive.stream()
                    .map(a -> a.name() + " (" + books(a) + ")").collect(Collectors.joining(", ")));
            Check.expect("take(5)", firstFive.size(), 5);
            Check.expect("books of the first author", firstFive.get(0).books().stream().map(Book::title).toList(),
                    List.of("Author 0001, volume 1", "Author 0001, volume 2", "Author 0001, volume 3"));
            long total = db.count(Query.from(authors)).block();   // the pool is healthy after the cancel
            System.out.println("  after the cancel the pool still serves queries: count(Author) = " + total);
            Check.expect("count after cancel", total, (long) AUTHORS);

            // 3. In a transaction: insert an author with a book, then stream the newest authors (the
            //    uncommitted one included) and stop after 3. take(...) is INSIDE the function, so the
            //    function's publisher completes and the transaction commits. (A take(...) outside
            //    would cancel the transaction, which rolls it back.)
            List<String> seen = db.transaction(tx -> db.create(authors, new Author(null, "Zadie Smith", null))
                    .flatMap(zadie -> db.association(authorBooks).create(zadie, new Book(null, "White Teeth", null)))
                    .thenMany(db.findAll(Query.from(authors)
                            .orderBy(Order.desc("name"))
                            .include(authorBooks))
                            .limitRate(2)
                            .take(3))
                    .map(a -> a.name() + " (" + books(a) + ")"))
                    .collectList()
                    .block();
            System.out.println("  transaction: created Zadie Smith, then streamed " + seen);
            long zadies = db.count(Query.from(authors).where(Where.eq("name", "Zadie Smith"))).block();
            System.out.println("  committed: " + zadies + " Zadie Smith outside the transaction");
            Check.expect("streamed in the transaction", seen,
                    List.of("Zadie Smith (1 book)", "Author 3000 (3 books)", "Author 2999 (3 books)"));
            Check.expect("committed", zadies, 1L);

            // 4. An error inside the function rolls everything back.
            String outcome = db.transaction(tx -> db.create(authors, new Author(null, "Ghost Writer", null))
                    .then(Mono.<String>error(new IllegalStateException("changed my mind"))))
                    .onErrorResume(e -> Mono.just("rolled back (" + e.getMessage() + ")"))
                    .blockLast();
            long ghosts = db.count(Query.from(authors).where(Where.eq("name", "Ghost Writer"))).block();
            System.out.println("  transaction that fails: " + outcome + "; Ghost Writers stored: " + ghosts);
            Check.expect("rolled back", ghosts, 0L);
        } finally {
            db.close().block();
        }
    }

    private static String books(Author author) {
        int n = author.books().size();
        return n == 1 ? "1 book" : n + " books";
    }

    /** "100, 75 x 39, 25" instead of forty numbers. */
    private static String summary(List<Long> requests) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < requests.size(); ) {
            int j = i;
            while (j < requests.size() && requests.get(j).equals(requests.get(i))) {
                j++;
            }
            parts.add(j - i == 1 ? String.valueOf(requests.get(i)) : requests.get(i) + " x " + (j - i));
            i = j;
        }
        return String.join(", ", parts);
    }
}
