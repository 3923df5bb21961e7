package io.relata.benchmarks;

import io.relata.BelongsTo;
import io.relata.BelongsToMany;
import io.relata.DataType;
import io.relata.HasMany;
import io.relata.Naming;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The benchmark data model, shared by every peer: the records are what Relata builds and what the hand-written
 * peers (L, N, J) map rows into, so every peer produces the same object graph. snake_case tables and columns, no
 * timestamps, so the hand-written SQL reads naturally.
 */
public final class Model {
    private Model() {
    }

    /** W1: a flat row. */
    public record Item(Long id, String name, Integer quantity, Double price, String sku) {
    }

    /** W2, W3, W5, W7: a parent. */
    public record Team(Long id, String name, String city, @Nullable List<Player> players) {
    }

    /** W2, W3, W5, W7: a child. */
    public record Player(Long id, String name, Integer number, Long teamId, @Nullable Team team) {
    }

    /** W4: root. */
    public record Author(Long id, String name, String bio, @Nullable List<Book> books) {
    }

    /** W4: middle level. */
    public record Book(Long id, String title, String summary, Integer year, Long authorId, @Nullable List<Tag> tags) {
    }

    /** W4: junction target. */
    public record Tag(Long id, String name) {
    }

    /** W6: junction source. */
    public record Playlist(Long id, String name, @Nullable List<Song> songs) {
    }

    /** W6: junction target. */
    public record Song(Long id, String title) {
    }

    /** M1: a streamed root. */
    public record Order(Long id, String number, @Nullable List<Line> lines) {
    }

    /** M1: a streamed child. */
    public record Line(Long id, Long orderId, String product, Integer quantity, Double price) {
    }

    /** W8: a parent with many children, of which the newest few are loaded. */
    public record Writer(Long id, String name, @Nullable List<Novel> novels) {
    }

    /** W8: a child, ordered by year. */
    public record Novel(Long id, String title, Integer year, Long writerId) {
    }

    /** The Relata schema and its associations. */
    public static final class Relata {
        public final Schema schema;
        public final io.relata.Model<Item> items;
        public final io.relata.Model<Team> teams;
        public final io.relata.Model<Player> players;
        public final io.relata.Model<Author> authors;
        public final io.relata.Model<Book> books;
        public final io.relata.Model<Tag> tags;
        public final io.relata.Model<Playlist> playlists;
        public final io.relata.Model<Song> songs;
        public final io.relata.Model<Order> orders;
        public final io.relata.Model<Line> lines;
        public final HasMany<Team, Player> teamPlayers;
        public final BelongsTo<Player, Team> playerTeam;
        public final HasMany<Author, Book> authorBooks;
        public final BelongsToMany<Book, Tag> bookTags;
        public final BelongsToMany<Playlist, Song> playlistSongs;
        public final HasMany<Order, Line> orderLines;
        public final io.relata.Model<Writer> writers;
        public final HasMany<Writer, Novel> writerNovels;

        public Relata() {
            SchemaBuilder s = Schema.builder().naming(Naming.snakeCase()).timestamps(false);
            items = s.define(Item.class, m -> m.attribute("name", DataType.text()).notNull());
            teams = s.define(Team.class, m -> m.attribute("name", DataType.text()));
            players = s.define(Player.class, m -> m.attribute("name", DataType.text()));
            authors = s.define(Author.class, m -> m.attribute("bio", DataType.text()));
            books = s.define(Book.class, m -> m.attribute("summary", DataType.text()));
            tags = s.define(Tag.class);
            playlists = s.define(Playlist.class);
            songs = s.define(Song.class);
            orders = s.define(Order.class);
            lines = s.define(Line.class);
            teamPlayers = teams.hasMany(players, o -> o.foreignKey("teamId"));
            playerTeam = players.belongsTo(teams, o -> o.foreignKey("teamId"));
            authorBooks = authors.hasMany(books, o -> o.foreignKey("authorId"));
            bookTags = books.belongsToMany(tags, o -> o.through("book_tags"));
            playlistSongs = playlists.belongsToMany(songs, o -> o.through("playlist_songs"));
            orderLines = orders.hasMany(lines, o -> o.foreignKey("orderId"));
            writers = s.define(Writer.class);
            writerNovels = writers.hasMany(s.define(Novel.class), o -> o.foreignKey("writerId"));
            schema = s.build();
        }
    }
}
