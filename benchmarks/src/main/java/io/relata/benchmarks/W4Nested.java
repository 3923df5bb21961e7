package io.relata.benchmarks;

import io.r2dbc.spi.Row;
import io.relata.benchmarks.Model.Author;
import io.relata.benchmarks.Model.Book;
import io.relata.benchmarks.Model.Tag;
import io.relata.benchmarks.hibernate.HAuthor;
import io.relata.query.Include;
import io.relata.query.Query;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.annotations.Benchmark;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * W4: author -> books -> tags (hasMany, then belongsToMany through {@code book_tags}): 100 authors x 10 books x
 * 5 tags. One op = 100 graphs; unit graphs/s. The single joined query returns 5,000 rows that repeat each author's
 * bio 50 times and each book's summary 5 times; the split form returns 100 + 1,000 + 5,000 narrow rows.
 */
public class W4Nested {
    /** The statement Relata plans for the JOIN strategy, by hand: L's single (cartesian) join. */
    static final String JOIN_SQL = "SELECT a.id, a.name, a.bio, b.id, b.title, b.summary, b.year, b.author_id, t.id, t.name "
            + "FROM authors a LEFT JOIN books b ON b.author_id = a.id "
            + "LEFT JOIN (book_tags bt JOIN tags t ON t.id = bt.tag_id) ON bt.book_id = b.id ORDER BY a.id, b.id, t.id";
    static final String AUTHORS_SQL = "SELECT id, name, bio FROM authors";
    static final String BOOKS_SQL = "SELECT id, title, summary, year, author_id FROM books WHERE author_id = ANY($1) "
            + "ORDER BY author_id, id";
    static final String TAGS_SQL = "SELECT bt.book_id, t.id, t.name FROM book_tags bt JOIN tags t ON t.id = bt.tag_id "
            + "WHERE bt.book_id = ANY($1) ORDER BY bt.book_id, t.id";
    static final Object NONE = new Object();

    static Query<Author> join(Model.Relata m) {
        return Query.from(m.authors).include(m.authorBooks, i -> i.include(m.bookTags));
    }

    static Query<Author> separate(Model.Relata m) {
        return Query.from(m.authors).include(m.authorBooks, i -> i.strategy(Include.Strategy.SEPARATE)
                .include(m.bookTags, j -> j.strategy(Include.Strategy.SEPARATE)));
    }

    static Query<Author> separateTags(Model.Relata m) {
        return Query.from(m.authors).include(m.authorBooks, i -> i
                .include(m.bookTags, j -> j.strategy(Include.Strategy.SEPARATE)));
    }

    @Benchmark
    public long relataJoin(Peers.Relata r) {
        return r.db.findAll(join(r.m)).reduce(0L, (s, a) -> s + Sums.author(a)).block();
    }

    @Benchmark
    public long relataSeparate(Peers.Relata r) {
        return r.db.findAll(separate(r.m)).reduce(0L, (s, a) -> s + Sums.author(a)).block();
    }

    /** Books joined, tags SEPARATE. */
    @Benchmark
    public long relataSeparateTags(Peers.Relata r) {
        return r.db.findAll(separateTags(r.m)).reduce(0L, (s, a) -> s + Sums.author(a)).block();
    }

    /** AGGREGATE: one statement, each author's books (each with its tags) as nested JSON arrays. */
    @Benchmark
    public long relataAggregate(Peers.Relata r) {
        return r.db.findAll(Query.from(r.m.authors).include(r.m.authorBooks, i -> i.strategy(Include.Strategy.AGGREGATE)
                .include(r.m.bookTags))).reduce(0L, (s, a) -> s + Sums.author(a)).block();
    }

    /** L's single join, grouped by hand in one pass (the ORDER BY makes each level consecutive). */
    @Benchmark
    public long L_join(Peers.Raw raw) {
        return Flux.usingWhen(raw.pool.create(), c -> Flux.defer(() -> {
            Grouper g = new Grouper();
            return Flux.from(c.createStatement(JOIN_SQL).execute())
                    .concatMap(result -> result.map((row, meta) -> g.push(row)))
                    .filter(o -> o != NONE)
                    .concatWith(Mono.fromSupplier(g::finish))
                    .cast(Author.class);
        }), io.r2dbc.spi.Connection::close, (c, e) -> c.close(), io.r2dbc.spi.Connection::close)
                .reduce(0L, (s, a) -> s + Sums.author(a)).block();
    }

    /** JA: one statement, each author's books (each with its tags) as nested JSON arrays, decoded. */
    @Benchmark
    public long JA(Peers.Raw raw) {
        return Peers.query(raw.pool, JsonAgg.W4_SQL, (row, meta) -> new Author(row.get(0, Long.class), row.get(1, String.class),
                        row.get(2, String.class), JsonAgg.books(row.get(3, String.class))))
                .reduce(0L, (s, a) -> s + Sums.author(a)).block();
    }

    private record TagRow(Long bookId, Tag tag) {
    }

    /** L's hand-split queries: authors, their books by {@code = ANY}, those books' tags by {@code = ANY}; one connection. */
    @Benchmark
    public long L_split(Peers.Raw raw) {
        return Flux.usingWhen(raw.pool.create(), c -> Peers.query(c, AUTHORS_SQL,
                        (row, meta) -> new Author(row.get(0, Long.class), row.get(1, String.class), row.get(2, String.class), null))
                .collectList()
                .flatMapMany(authors -> {
                    Long[] authorIds = new Long[authors.size()];
                    for (int i = 0; i < authorIds.length; i++) {
                        authorIds[i] = authors.get(i).id();
                    }
                    return Peers.query(c, BOOKS_SQL, (row, meta) -> new Book(row.get(0, Long.class), row.get(1, String.class),
                                    row.get(2, String.class), row.get(3, Integer.class), row.get(4, Long.class), null), (Object) authorIds)
                            .collectList()
                            .flatMapMany(books -> {
                                Long[] bookIds = new Long[books.size()];
                                for (int i = 0; i < bookIds.length; i++) {
                                    bookIds[i] = books.get(i).id();
                                }
                                return Peers.query(c, TAGS_SQL, (row, meta) -> new TagRow(row.get(0, Long.class),
                                                new Tag(row.get(1, Long.class), row.get(2, String.class))), (Object) bookIds)
                                        .collectList()
                                        .flatMapIterable(tags -> assemble(authors, books, tags));
                            });
                }), io.r2dbc.spi.Connection::close, (c, e) -> c.close(), io.r2dbc.spi.Connection::close)
                .reduce(0L, (s, a) -> s + Sums.author(a)).block();
    }

    private static List<Author> assemble(List<Author> authors, List<Book> books, List<TagRow> tags) {
        Map<Long, List<Tag>> tagsByBook = new HashMap<>();
        for (TagRow t : tags) {
            tagsByBook.computeIfAbsent(t.bookId(), k -> new ArrayList<>()).add(t.tag());
        }
        Map<Long, List<Book>> booksByAuthor = new HashMap<>();
        for (Book b : books) {
            booksByAuthor.computeIfAbsent(b.authorId(), k -> new ArrayList<>()).add(new Book(b.id(), b.title(), b.summary(),
                    b.year(), b.authorId(), tagsByBook.getOrDefault(b.id(), List.of())));
        }
        List<Author> out = new ArrayList<>(authors.size());
        for (Author a : authors) {
            out.add(new Author(a.id(), a.name(), a.bio(), booksByAuthor.getOrDefault(a.id(), List.of())));
        }
        return out;
    }

    @Benchmark
    public long H(Peers.Hibernate h) {
        return h.sf.withSession(s -> s.createSelectionQuery(
                        "from HAuthor a left join fetch a.books b left join fetch b.tags t order by a.id, b.id, t.id",
                        HAuthor.class).getResultList())
                .thenApply(list -> {
                    long sum = 0;
                    for (HAuthor a : list) {
                        sum += Sums.author(a);
                    }
                    return sum;
                }).toCompletableFuture().join();
    }

    @Benchmark
    public long J(Peers.Jdbc j) throws SQLException {
        long sum = 0;
        try (PreparedStatement ps = j.connection.prepareStatement(JOIN_SQL); ResultSet rs = ps.executeQuery()) {
            JdbcGrouper g = new JdbcGrouper();
            while (rs.next()) {
                Author done = g.push(rs);
                if (done != null) {
                    sum += Sums.author(done);
                }
            }
            Author last = g.finish();
            if (last != null) {
                sum += Sums.author(last);
            }
        }
        return sum;
    }

    /** One pass over the ordered join: a new author or book starts when its key changes. */
    static final class Grouper {
        Long authorId;
        String name;
        String bio;
        List<Book> books;
        Long bookId;
        String title;
        String summary;
        Integer year;
        Long bookAuthor;
        List<Tag> tags;

        Object push(Row row) {
            Long a = row.get(0, Long.class);
            Object done = NONE;
            if (authorId != null && !authorId.equals(a)) {
                done = finish();
            }
            if (authorId == null) {
                authorId = a;
                name = row.get(1, String.class);
                bio = row.get(2, String.class);
                books = new ArrayList<>();
            }
            Long b = row.get(3, Long.class);
            if (b != null && !b.equals(bookId)) {
                finishBook();
                bookId = b;
                title = row.get(4, String.class);
                summary = row.get(5, String.class);
                year = row.get(6, Integer.class);
                bookAuthor = row.get(7, Long.class);
                tags = new ArrayList<>();
            }
            Long t = row.get(8, Long.class);
            if (t != null) {
                tags.add(new Tag(t, row.get(9, String.class)));
            }
            return done;
        }

        private void finishBook() {
            if (bookId != null) {
                books.add(new Book(bookId, title, summary, year, bookAuthor, tags));
                bookId = null;
            }
        }

        Author finish() {
            if (authorId == null) {
                return null;
            }
            finishBook();
            Author done = new Author(authorId, name, bio, books);
            authorId = null;
            return done;
        }
    }

    /** The same pass over a JDBC result set. */
    static final class JdbcGrouper {
        long authorId = -1;
        String name;
        String bio;
        List<Book> books;
        long bookId = -1;
        String title;
        String summary;
        int year;
        long bookAuthor;
        List<Tag> tags;

        Author push(ResultSet rs) throws SQLException {
            long a = rs.getLong(1);
            Author done = null;
            if (authorId != -1 && authorId != a) {
                done = finish();
            }
            if (authorId == -1) {
                authorId = a;
                name = rs.getString(2);
                bio = rs.getString(3);
                books = new ArrayList<>();
            }
            long b = rs.getLong(4);
            if (!rs.wasNull() && b != bookId) {
                finishBook();
                bookId = b;
                title = rs.getString(5);
                summary = rs.getString(6);
                year = rs.getInt(7);
                bookAuthor = rs.getLong(8);
                tags = new ArrayList<>();
            }
            long t = rs.getLong(9);
            if (!rs.wasNull()) {
                tags.add(new Tag(t, rs.getString(10)));
            }
            return done;
        }

        private void finishBook() {
            if (bookId != -1) {
                books.add(new Book(bookId, title, summary, year, bookAuthor, tags));
                bookId = -1;
            }
        }

        Author finish() {
            if (authorId == -1) {
                return null;
            }
            finishBook();
            Author done = new Author(authorId, name, bio, books);
            authorId = -1;
            return done;
        }
    }
}
