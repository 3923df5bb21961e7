package io.relata.spring;

import io.relata.TransactionOptions;
import io.relata.query.Include;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.reactor.Database;
import io.relata.reactor.Transaction;
import java.util.ArrayList;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code @Transactional} methods mixing Relata and {@code DatabaseClient}. */
@Service
class LibraryService {
    static final String BOOM = "boom: the service failed after its writes";
    private final Database db;
    private final DatabaseClient client;
    private final Library library;

    LibraryService(Database db, DatabaseClient client, Library library) {
        this.db = db;
        this.client = client;
        this.library = library;
    }

    /** One step of {@link #pids}: a Relata write or a DatabaseClient read of the session's pid. */
    enum Step { RELATA, CLIENT, RELATA_READ }

    /** @return the pg_backend_pid() seen by each step, run in order inside one Spring transaction */
    @Transactional
    public Mono<List<Integer>> pids(List<Step> steps) {
        return Flux.fromIterable(steps).concatMap(this::pid).collectList();
    }

    Mono<Integer> pid(Step step) {
        return switch (step) {
            case RELATA -> db.create(library.probes, Library.Probe.of("pid")).map(Library.Probe::pid);
            case CLIENT -> clientPid();
            // a read: the probe written just before, visible only on the transaction's connection
            case RELATA_READ -> db.create(library.probes, Library.Probe.of("read"))
                    .flatMap(p -> db.findByPk(library.probes, p.id())).map(Library.Probe::pid);
        };
    }

    Mono<Integer> clientPid() {
        return client.sql("SELECT pg_backend_pid()").map(row -> row.get(0, Integer.class)).one();
    }

    Mono<Void> clientInsert(String note) {
        return client.sql("INSERT INTO \"Probes\" (\"note\") VALUES ($1)").bind(0, note).then();
    }

    /** Relata and DatabaseClient write, then the method fails: both writes must be rolled back. */
    @Transactional
    public Mono<Void> writeBothThenFail(String note) {
        return db.create(library.probes, Library.Probe.of(note))
                .then(clientInsert(note))
                .then(Mono.error(new IllegalStateException(BOOM)));
    }

    /** DatabaseClient first, then Relata, then commit. */
    @Transactional
    public Mono<Void> writeBoth(String note) {
        return clientInsert(note).then(db.create(library.probes, Library.Probe.of(note))).then();
    }

    /**
     * Every multi-statement Relata operation (each would begin and COMMIT a transaction of its own outside
     * Spring's), then the method fails: none of their writes may survive.
     */
    @Transactional
    public Mono<Void> multiStatementOperationsThenFail(String prefix, int bulkRows) {
        List<Library.Tag> many = new ArrayList<>();
        for (int i = 0; i < bulkRows; i++) {
            many.add(new Library.Tag(null, prefix + "-bulk-" + i));
        }
        return db.create(library.authors, Library.Author.named(prefix + "-author"))
                .flatMap(a -> db.create(library.books, new Library.Book(null, prefix + "-book", a.id(), null)))
                .flatMap(book -> db.bulkCreate(library.tags, many).collectList()                  // chunked INSERTs
                        .flatMap(created -> db.association(library.bookTags)
                                .create(book, new Library.Tag(null, prefix + "-created"))            // INSERT + junction
                                .then(db.association(library.bookTags).set(book, created.subList(0, 3))))) // diff
                .thenMany(db.findAll(Query.from(library.authors)                                     // SEPARATE: cursor
                        .where(Where.eq("name", prefix + "-author"))
                        .include(library.authorBooks, i -> i.strategy(Include.Strategy.SEPARATE))))
                .then(Mono.error(new IllegalStateException(BOOM)));
    }

    /**
     * Writes an author and a book with DatabaseClient, then lazy-loads the author's books with Relata: the
     * uncommitted book is visible only on the transaction's connection.
     */
    @Transactional
    public Mono<List<String>> lazyLoadSeesTheTransactionsWrites(String name) {
        return client.sql("INSERT INTO \"Authors\" (\"name\", \"bio\") VALUES ($1, '') RETURNING \"id\"").bind(0, name)
                .map(row -> row.get(0, Long.class)).one()
                .flatMap(id -> client.sql("INSERT INTO \"Books\" (\"title\", \"authorId\") VALUES ($1, $2)")
                        .bind(0, name + "'s book").bind(1, id).then()
                        .then(db.findByPk(library.authors, id)))
                .flatMapMany(author -> db.association(library.authorBooks).get(author))
                .map(Library.Book::title)
                .collectList();
    }

    /** A nested db.transaction inside the Spring transaction, then the method fails. */
    @Transactional
    public Mono<Void> nestedDatabaseTransactionThenFail(String note) {
        return db.transaction(tx -> tx.database().create(library.probes, Library.Probe.of(note))
                        .then(clientInsert(note)))
                .then(Mono.error(new IllegalStateException(BOOM)));
    }

    /**
     * A NESTED db.transaction that fails and is handled, inside a Spring transaction that commits: the outer
     * write stays, the nested one is rolled back to its savepoint.
     */
    @Transactional
    public Mono<Void> outerCommitsNestedRollsBack(String outer, String inner) {
        return db.create(library.probes, Library.Probe.of(outer))
                .then(db.transaction(TransactionOptions.Propagation.NESTED, tx -> tx.database()
                                .create(library.probes, Library.Probe.of(inner))
                                .then(clientInsert(inner))
                                .then(Mono.error(new IllegalStateException(BOOM))))
                        .onErrorResume(IllegalStateException.class, e -> Mono.empty())
                        .then())
                .then(clientInsert(outer + "-after"));
    }
}
