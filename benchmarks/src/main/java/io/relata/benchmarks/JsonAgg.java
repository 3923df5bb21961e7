package io.relata.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.relata.benchmarks.Model.Book;
import io.relata.benchmarks.Model.Player;
import io.relata.benchmarks.Model.Tag;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Peer JA, the shape Drizzle's relational queries and Prisma's {@code relationJoins} send: one statement whose
 * to-many children come as a JSON array per parent row ({@code LEFT JOIN LATERAL (SELECT json_agg(json_build_array(...)
 * ORDER BY ...) ...) ON true}), decoded here with Jackson's streaming parser into the same records (Drizzle uses
 * {@code json_build_array}, positional, as here; Prisma {@code json_build_object}, with keys).
 */
final class JsonAgg {
    private static final JsonFactory JSON = new JsonFactory();

    /** W2: every team with its players as one JSON array (null when it has none). */
    static final String W2_SQL = "SELECT t.id, t.name, t.city, p.players FROM teams t LEFT JOIN LATERAL ("
            + "SELECT json_agg(json_build_array(p.id, p.name, p.number, p.team_id) ORDER BY p.id) AS players "
            + "FROM players p WHERE p.team_id = t.id) p ON true ORDER BY t.id";

    /** W4: every author with its books, each book with its tags, nested JSON arrays. */
    static final String W4_SQL = "SELECT a.id, a.name, a.bio, b.books FROM authors a LEFT JOIN LATERAL ("
            + "SELECT json_agg(json_build_array(b.id, b.title, b.summary, b.year, b.author_id, t.tags) ORDER BY b.id) AS books "
            + "FROM books b LEFT JOIN LATERAL ("
            + "SELECT json_agg(json_build_array(t.id, t.name) ORDER BY t.id) AS tags "
            + "FROM book_tags bt JOIN tags t ON t.id = bt.tag_id WHERE bt.book_id = b.id) t ON true "
            + "WHERE b.author_id = a.id) b ON true ORDER BY a.id";

    private JsonAgg() {
    }

    /** @param json {@code [[id, name, number, team_id], ...]} or null @return the players */
    static List<Player> players(String json) {
        if (json == null) {
            return List.of();
        }
        try (JsonParser p = JSON.createParser(json)) {
            expect(p.nextToken(), JsonToken.START_ARRAY);
            List<Player> out = new ArrayList<>();
            while (p.nextToken() == JsonToken.START_ARRAY) {
                p.nextToken();
                long id = p.getLongValue();
                p.nextToken();
                String name = p.getText();
                p.nextToken();
                int number = p.getIntValue();
                p.nextToken();
                long team = p.getLongValue();
                expect(p.nextToken(), JsonToken.END_ARRAY);
                out.add(new Player(id, name, number, team, null));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @param json {@code [[id, title, summary, year, author_id, [[tag id, tag name], ...] | null], ...]} or null */
    static List<Book> books(String json) {
        if (json == null) {
            return List.of();
        }
        try (JsonParser p = JSON.createParser(json)) {
            expect(p.nextToken(), JsonToken.START_ARRAY);
            List<Book> out = new ArrayList<>();
            while (p.nextToken() == JsonToken.START_ARRAY) {
                p.nextToken();
                long id = p.getLongValue();
                p.nextToken();
                String title = p.getText();
                p.nextToken();
                String summary = p.getText();
                p.nextToken();
                int year = p.getIntValue();
                p.nextToken();
                long author = p.getLongValue();
                List<Tag> tags = new ArrayList<>();
                if (p.nextToken() == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_ARRAY) {
                        p.nextToken();
                        long tagId = p.getLongValue();
                        p.nextToken();
                        tags.add(new Tag(tagId, p.getText()));
                        expect(p.nextToken(), JsonToken.END_ARRAY);
                    }
                }
                expect(p.nextToken(), JsonToken.END_ARRAY);
                out.add(new Book(id, title, summary, year, author, tags));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void expect(JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw new IllegalStateException("JSON: expected " + expected + ", got " + actual);
        }
    }
}
