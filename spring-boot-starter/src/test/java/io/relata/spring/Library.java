package io.relata.spring;

import io.relata.BelongsToMany;
import io.relata.DataType;
import io.relata.HasMany;
import io.relata.Model;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import java.util.List;

/**
 * The test application's domain (aliases as Sequelize infers them: {@code Books}, {@code Tags}; slots {@code books},
 * {@code tags}): Author hasMany Book, Book belongsToMany Tag, and Probe (records pg_backend_pid()).
 */
final class Library {
    record Author(Long id, String name, String bio, List<Book> books) {
        static Author named(String name) {
            return new Author(null, name, "", null);
        }
    }

    record Book(Long id, String title, Long authorId, List<Tag> tags) {
    }

    record Tag(Long id, String name) {
    }

    /** A row whose {@code pid} column defaults to the inserting session's pg_backend_pid(). */
    record Probe(Long id, String note, Integer pid) {
        static Probe of(String note) {
            return new Probe(null, note, null);
        }
    }

    final Model<Author> authors;
    final Model<Book> books;
    final Model<Tag> tags;
    final Model<Probe> probes;
    final HasMany<Author, Book> authorBooks;
    final BelongsToMany<Book, Tag> bookTags;
    final Schema schema;

    Library() {
        SchemaBuilder s = Schema.builder().timestamps(false);
        authors = s.define(Author.class, m -> {
            m.attribute("name").unique().notNull();
            m.attribute("bio", DataType.text());
        });
        books = s.define(Book.class, m -> m.attribute("title").notNull());
        tags = s.define(Tag.class, m -> m.attribute("name").unique());
        probes = s.define(Probe.class);
        authorBooks = authors.hasMany(books, o -> o.foreignKey(fk -> fk.name("authorId").notNull()));
        bookTags = books.belongsToMany(tags, o -> o.through("BookTags"));
        schema = s.build();
    }
}
