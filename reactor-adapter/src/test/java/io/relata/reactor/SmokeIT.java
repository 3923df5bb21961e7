package io.relata.reactor;

import io.relata.*;
import io.relata.query.*;
import io.relata.reactor.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestDatabase.class)
class SmokeIT {
    record Captain(Long id, String name, Integer skillLevel, Ship ship) {}
    record Ship(Long id, String name, Long captainId, Captain captain) {}
    record Author(Long id, String name, List<Book> books) {}
    record Book(Long id, String title, Long authorId, List<Tag> tags) {}
    record Tag(Long id, String label) {}

    @Test
    void smoke(TestDatabase.Handle h) {
        SchemaBuilder s = Schema.builder();
        Model<Captain> captains = s.define(Captain.class, m -> m.timestamps(false));
        Model<Ship> ships = s.define(Ship.class, m -> m.timestamps(false));
        HasOne<Captain, Ship> cs = captains.hasOne(ships);
        BelongsTo<Ship, Captain> sc = ships.belongsTo(captains);
        Model<Author> authors = s.define(Author.class);
        Model<Book> books = s.define(Book.class);
        Model<Tag> tags = s.define(Tag.class);
        HasMany<Author, Book> ab = authors.hasMany(books, o -> o.foreignKey("authorId"));
        BelongsToMany<Book, Tag> bt = books.belongsToMany(tags, o -> o.through("BookTags"));
        Schema schema = s.build();
        io.relata.sql.Ddl.createTables(schema).forEach(System.out::println);
        Database db = Database.connect(h.url(), schema);
        db.sync().block();
        Captain jack = db.create(captains, new Captain(null, "Jack", 5, null)).block();
        System.out.println(jack);
        Ship pearl = db.create(ships, new Ship(null, "Pearl", jack.id(), null)).block();
        System.out.println(pearl);
        System.out.println(db.findAll(Query.from(captains).include(cs)).collectList().block());
        System.out.println(db.findAll(Query.from(ships).include(sc)).collectList().block());
        System.out.println(db.association(cs).get(jack).block());
        Author a = db.create(authors, new Author(null, "A", null)).block();
        Author b = db.create(authors, new Author(null, "B", null)).block();
        List<Book> bs = db.bulkCreate(books, List.of(new Book(null, "b1", a.id(), null), new Book(null, "b2", a.id(), null), new Book(null, "b3", b.id(), null))).collectList().block();
        List<Tag> ts = db.bulkCreate(tags, List.of(new Tag(null, "x"), new Tag(null, "y"))).collectList().block();
        db.association(bt).add(bs.get(0), ts).block();
        db.association(bt).add(bs.get(1), List.of(ts.get(1).id())).block();
        System.out.println(db.association(bt).count(bs.get(0)).block());
        Query<Author> q = Query.from(authors).include(ab, i -> i.include(bt)).orderBy(Order.asc("name"));
        System.out.println(io.relata.sql.Statements.select(q).statement());
        System.out.println(db.findAll(q).collectList().block());
        Query<Author> q2 = Query.from(authors).include(ab, i -> i.include(bt).strategy(Include.Strategy.SEPARATE)).orderBy(Order.asc("name"));
        System.out.println(db.findAll(q2).collectList().block());
        Query<Author> q3 = Query.from(authors).include(ab, i -> i.include(bt, t -> t.strategy(Include.Strategy.SEPARATE))).limit(1);
        System.out.println(io.relata.sql.Statements.select(q3).statement());
        System.out.println(db.findAll(q3).collectList().block());
        System.out.println(reactor.core.publisher.Flux.fromIterable(List.of(a, b)).flatMap(x -> db.association(ab).get(x)).collectList().block());
        System.out.println(db.count(Query.from(authors).include(ab, i -> i.where(Where.eq("title", "b3")))).block());
        db.close().block();
    }
}
