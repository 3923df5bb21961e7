package io.relata.sql;

import io.relata.plan.Statements;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.BelongsToMany;
import io.relata.HasMany;
import io.relata.Model;
import io.relata.QueryDefinitionException;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.query.Query;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Include names as clients send them (query strings, JSON): the alias Sequelize infers ({@code Books}) or the
 * entity slot the association fills, which is what a client sees in the JSON ({@code books}).
 */
class IncludeNameTest {
    record Author(Long id, String name, List<Book> books) {
    }

    record Book(Long id, String title, Long AuthorId, List<Tag> tags) {
    }

    record Tag(Long id, String name) {
    }

    static final Model<Author> authors;
    static final Model<Book> books;
    static final HasMany<Author, Book> authorBooks;
    static final BelongsToMany<Book, Tag> bookTags;

    static {
        SchemaBuilder s = Schema.builder().timestamps(false);
        authors = s.define(Author.class);
        books = s.define(Book.class);
        Model<Tag> tags = s.define(Tag.class);
        authorBooks = authors.hasMany(books);
        bookTags = books.belongsToMany(tags, o -> o.through("BookTags"));
        s.build();
    }

    @Nested
    class HasManyWithoutAlias {
        @Test
        void theInferredAliasIsCapitalizedAndTheSlotIsNot() {
            assertThat(authorBooks.as()).isEqualTo("Books");
            assertThat(authors.slot(authors.associations().get("Books"))).isEqualTo(2);
        }

        @Test
        void theSlotNamePlansTheSameStatementAsTheAlias() {
            SqlStatement bySlot = Statements.select(Query.from(authors).include("books")).statement();
            assertThat(bySlot).isEqualTo(Statements.select(Query.from(authors).include("Books")).statement());
            assertThat(bySlot).isEqualTo(Statements.select(Query.from(authors).include(authorBooks)).statement());
        }
    }

    @Nested
    class NestedBelongsToManyWithoutAlias {
        @Test
        void aNestedSlotNameIsAcceptedToo() {
            SqlStatement bySlot = Statements.select(Query.from(authors).include(authorBooks, i -> i.include("tags")))
                    .statement();
            assertThat(bySlot).isEqualTo(Statements.select(Query.from(authors)
                    .include(authorBooks, i -> i.include(bookTags))).statement());
        }
    }

    @Nested
    class UnknownNames {
        @Test
        void anUnknownNameNamesTheModelTheAliasesAndTheSlotRule() {
            assertThatThrownBy(() -> Query.from(authors).include("book"))
                    .isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContainingAll("\"book\"", "Author", "Books (Book)", "slot names");
        }

        @Test
        void aSlotNameIsCaseSensitiveBeyondTheFirstLetter() {
            assertThatThrownBy(() -> Query.from(authors).include("BOOKS"))
                    .isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContaining("\"BOOKS\"");
        }
    }
}
