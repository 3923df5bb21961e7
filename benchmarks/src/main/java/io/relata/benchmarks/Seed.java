package io.relata.benchmarks;

import io.relata.plan.Ddl;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates the tables with Relata's own DDL and fills them with deterministic data, set-wise
 * ({@code generate_series}), so seeding takes seconds. Skipped when the data of this version is already there.
 */
public final class Seed {
    /** Bump when the data changes. */
    static final String VERSION = "relata-bench-2";

    public static final int ITEMS = 200_000;
    public static final int TEAMS = 100;
    public static final int PLAYERS_PER_TEAM = 10;
    public static final int AUTHORS = 100;
    public static final int BOOKS_PER_AUTHOR = 10;
    public static final int TAGS = 50;
    public static final int TAGS_PER_BOOK = 5;
    public static final int PLAYLISTS = 10;
    public static final int SONGS = 1_000;
    public static final int ORDERS = 100_000;
    public static final int LINES_PER_ORDER = 10;
    public static final int WRITERS = 1_000;
    public static final int NOVELS_PER_WRITER = 50;

    private Seed() {
    }

    /**
     * @param bench the database
     * @param force seed even when the marker says the data is there
     * @return whether it seeded
     */
    public static boolean run(Bench bench, boolean force) throws SQLException {
        Model.Relata model = new Model.Relata();
        try (Connection c = bench.jdbc(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS bench_seed (version text)");
            boolean present = false;
            try (ResultSet rs = s.executeQuery("SELECT version FROM bench_seed")) {
                present = rs.next() && VERSION.equals(rs.getString(1));
            }
            if (present && !force) {
                s.execute("DELETE FROM playlist_songs");
                return false;
            }
            List<String> sql = new ArrayList<>();
            Ddl.dropTables(model.schema).forEach(ddl -> sql.add(ddl.sql()));
            Ddl.createTables(model.schema).forEach(ddl -> sql.add(ddl.sql()));
            sql.add("INSERT INTO items (id, name, quantity, price, sku) SELECT i, 'item-' || i, i % 100, i * 0.25, "
                    + "'SKU-' || lpad(i::text, 8, '0') FROM generate_series(1, " + ITEMS + ") AS i");
            sql.add("INSERT INTO teams (id, name, city) SELECT i, 'team-' || i, 'city-' || (i % 17) "
                    + "FROM generate_series(1, " + TEAMS + ") AS i");
            sql.add("INSERT INTO players (id, name, number, team_id) SELECT i, 'player-' || i, (i - 1) % "
                    + PLAYERS_PER_TEAM + " + 1, (i - 1) / " + PLAYERS_PER_TEAM + " + 1 "
                    + "FROM generate_series(1, " + TEAMS * PLAYERS_PER_TEAM + ") AS i");
            // W4: bios and summaries of realistic length, repeated on every row of the single joined query
            sql.add("INSERT INTO authors (id, name, bio) SELECT i, 'author-' || i, repeat('biography of author ' || i || '. ', 12) "
                    + "FROM generate_series(1, " + AUTHORS + ") AS i");
            sql.add("INSERT INTO books (id, title, summary, year, author_id) SELECT i, 'book-' || i, "
                    + "repeat('summary of book ' || i || '. ', 8), 1900 + i % 120, (i - 1) / " + BOOKS_PER_AUTHOR + " + 1 "
                    + "FROM generate_series(1, " + AUTHORS * BOOKS_PER_AUTHOR + ") AS i");
            sql.add("INSERT INTO tags (id, name) SELECT i, 'tag-' || i FROM generate_series(1, " + TAGS + ") AS i");
            sql.add("INSERT INTO book_tags (book_id, tag_id) SELECT b, (b + j * 10) % " + TAGS + " + 1 "
                    + "FROM generate_series(1, " + AUTHORS * BOOKS_PER_AUTHOR + ") AS b, generate_series(0, "
                    + (TAGS_PER_BOOK - 1) + ") AS j");
            sql.add("INSERT INTO playlists (id, name) SELECT i, 'playlist-' || i FROM generate_series(1, " + PLAYLISTS + ") AS i");
            sql.add("INSERT INTO songs (id, title) SELECT i, 'song-' || i FROM generate_series(1, " + SONGS + ") AS i");
            sql.add("INSERT INTO orders (id, number) SELECT i, 'ORD-' || lpad(i::text, 7, '0') "
                    + "FROM generate_series(1, " + ORDERS + ") AS i");
            sql.add("INSERT INTO lines (id, order_id, product, quantity, price) SELECT i, (i - 1) / " + LINES_PER_ORDER
                    + " + 1, 'product-' || (i % 997), i % 9 + 1, (i % 1000) * 0.5 "
                    + "FROM generate_series(1, " + ORDERS * LINES_PER_ORDER + ") AS i");
            // W8: 50 novels per writer, each of a different year (the newest 3 are unambiguous)
            sql.add("INSERT INTO writers (id, name) SELECT i, 'writer-' || i FROM generate_series(1, " + WRITERS + ") AS i");
            sql.add("INSERT INTO novels (id, title, year, writer_id) SELECT i, 'novel-' || i, 1950 + (i - 1) % "
                    + NOVELS_PER_WRITER + ", (i - 1) / " + NOVELS_PER_WRITER + " + 1 FROM generate_series(1, "
                    + WRITERS * NOVELS_PER_WRITER + ") AS i");
            // the foreign keys the joins and = ANY loads use (Relata's DDL declares no indexes of its own)
            sql.add("CREATE INDEX ON players (team_id)");
            sql.add("CREATE INDEX ON books (author_id)");
            sql.add("CREATE INDEX ON lines (order_id)");
            sql.add("CREATE INDEX ON novels (writer_id, year)");
            for (String table : List.of("items", "teams", "players", "authors", "books", "tags", "playlists", "songs",
                    "orders", "lines", "writers", "novels")) {
                sql.add("SELECT setval(pg_get_serial_sequence('" + table + "', 'id'), (SELECT max(id) FROM " + table + "))");
            }
            sql.add("DELETE FROM bench_seed");
            sql.add("INSERT INTO bench_seed VALUES ('" + VERSION + "')");
            for (String q : sql) {
                s.execute(q);
            }
            s.execute("VACUUM ANALYZE");
            return true;
        }
    }
}
