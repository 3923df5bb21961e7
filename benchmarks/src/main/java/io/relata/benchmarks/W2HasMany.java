package io.relata.benchmarks;

import io.r2dbc.spi.Row;
import io.relata.benchmarks.Model.Player;
import io.relata.benchmarks.Model.Team;
import io.relata.benchmarks.hibernate.HTeam;
import io.relata.query.Include;
import io.relata.query.Query;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** W2: eager hasMany, 100 teams x 10 players in one joined query. One op = 100 graphs; unit graphs/s. */
public class W2HasMany {
    /** The statement Relata plans for {@code Query.from(teams).include(teamPlayers)}, by hand. */
    static final String SQL = "SELECT t.id, t.name, t.city, p.id, p.name, p.number, p.team_id FROM teams t "
            + "LEFT JOIN players p ON p.team_id = t.id ORDER BY t.id, p.id";
    static final Object NONE = new Object();

    @Benchmark
    public long relata(Peers.Relata r) {
        return r.db.findAll(Query.from(r.m.teams).include(r.m.teamPlayers)).reduce(0L, (s, t) -> s + Sums.team(t)).block();
    }

    /** Hand-written: the same join, consecutive rows grouped by team in one pass. */
    /** The AGGREGATE strategy: one statement, each team's players as one JSON array column. */
    @Benchmark
    public long relataAggregate(Peers.Relata r) {
        return r.db.findAll(Query.from(r.m.teams).include(r.m.teamPlayers, i -> i.strategy(Include.Strategy.AGGREGATE)))
                .reduce(0L, (s, t) -> s + Sums.team(t)).block();
    }

    @Benchmark
    public long L(Peers.Raw raw) {
        return Flux.usingWhen(raw.pool.create(), c -> Flux.defer(() -> {
            Grouper g = new Grouper();
            return Flux.from(c.createStatement(SQL).execute())
                    .concatMap(result -> result.map((row, meta) -> g.push(row)))
                    .filter(o -> o != NONE)
                    .concatWith(Mono.fromSupplier(g::finish))
                    .cast(Team.class);
        }), io.r2dbc.spi.Connection::close, (c, e) -> c.close(), io.r2dbc.spi.Connection::close)
                .reduce(0L, (s, t) -> s + Sums.team(t)).block();
    }

    /** JA: one statement, each team's players as a JSON array ({@code LEFT JOIN LATERAL (... json_agg ...)}), decoded. */
    @Benchmark
    public long JA(Peers.Raw raw) {
        return Peers.query(raw.pool, JsonAgg.W2_SQL, (row, meta) -> new Team(row.get(0, Long.class), row.get(1, String.class),
                        row.get(2, String.class), JsonAgg.players(row.get(3, String.class))))
                .reduce(0L, (s, t) -> s + Sums.team(t)).block();
    }

    /**
     * Naive N+1: the teams, then one query per team inside {@code flatMap} (what repositories without
     * relationships lead to); the pool bounds it to 4 at a time.
     */
    @Benchmark
    public long N(Peers.Raw raw) {
        return naive(raw).reduce(0L, (s, t) -> s + Sums.team(t)).block();
    }

    static Flux<Team> naive(Peers.Raw raw) {
        return Peers.query(raw.pool, "SELECT id, name, city FROM teams ORDER BY id",
                        (row, meta) -> new Team(row.get(0, Long.class), row.get(1, String.class), row.get(2, String.class), null))
                .flatMap(t -> Peers.query(raw.pool, "SELECT id, name, number, team_id FROM players WHERE team_id = $1 ORDER BY id",
                                (row, meta) -> player(row, 0), t.id())
                        .collectList().map(ps -> new Team(t.id(), t.name(), t.city(), ps)));
    }

    @Benchmark
    public long H(Peers.Hibernate h) {
        return h.sf.withSession(s -> s.createSelectionQuery(
                        "from HTeam t left join fetch t.players p order by t.id, p.id", HTeam.class).getResultList())
                .thenApply(list -> {
                    long sum = 0;
                    for (HTeam t : list) {
                        sum += Sums.team(t);
                    }
                    return sum;
                }).toCompletableFuture().join();
    }

    @Benchmark
    public long J(Peers.Jdbc j) throws SQLException {
        long sum = 0;
        try (PreparedStatement ps = j.connection.prepareStatement(SQL); ResultSet rs = ps.executeQuery()) {
            Long current = null;
            String name = null;
            String city = null;
            List<Player> players = null;
            while (rs.next()) {
                long id = rs.getLong(1);
                if (current == null || current != id) {
                    if (current != null) {
                        sum += Sums.team(new Team(current, name, city, players));
                    }
                    current = id;
                    name = rs.getString(2);
                    city = rs.getString(3);
                    players = new ArrayList<>();
                }
                long pid = rs.getLong(4);
                if (!rs.wasNull()) {
                    players.add(new Player(pid, rs.getString(5), rs.getInt(6), rs.getLong(7), null));
                }
            }
            if (current != null) {
                sum += Sums.team(new Team(current, name, city, players));
            }
        }
        return sum;
    }

    static Player player(Row row, int first) {
        return new Player(row.get(first, Long.class), row.get(first + 1, String.class), row.get(first + 2, Integer.class),
                row.get(first + 3, Long.class), null);
    }

    /** Groups consecutive rows of one team (the query orders by team). */
    static final class Grouper {
        Long id;
        String name;
        String city;
        List<Player> players;

        Object push(Row row) {
            Long teamId = row.get(0, Long.class);
            Object done = NONE;
            if (id != null && !id.equals(teamId)) {
                done = finish();
            }
            if (id == null) {
                id = teamId;
                name = row.get(1, String.class);
                city = row.get(2, String.class);
                players = new ArrayList<>();
            }
            Long playerId = row.get(3, Long.class);
            if (playerId != null) {
                players.add(new Player(playerId, row.get(4, String.class), row.get(5, Integer.class),
                        row.get(6, Long.class), null));
            }
            return done;
        }

        Team finish() {
            Team t = id == null ? null : new Team(id, name, city, players);
            id = null;
            return t;
        }
    }
}
