package io.relata.benchmarks;

import io.relata.benchmarks.Model.Player;
import io.relata.benchmarks.Model.Team;
import io.relata.benchmarks.hibernate.HPlayer;
import io.relata.query.Query;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.openjdk.jmh.annotations.Benchmark;

/** W3: eager belongsTo over 1,000 players (each with its team), one joined query. Unit rows/s. */
public class W3BelongsTo {
    /** The statement Relata plans for {@code Query.from(players).include(playerTeam)}, by hand. */
    static final String SQL = "SELECT p.id, p.name, p.number, p.team_id, t.id, t.name, t.city FROM players p "
            + "LEFT JOIN teams t ON t.id = p.team_id";

    @Benchmark
    public long relata(Peers.Relata r) {
        return r.db.findAll(Query.from(r.m.players).include(r.m.playerTeam))
                .reduce(0L, (s, p) -> s + Sums.playerWithTeam(p)).block();
    }

    @Benchmark
    public long L(Peers.Raw raw) {
        return Peers.query(raw.pool, SQL, (row, meta) -> {
            Long teamId = row.get(4, Long.class);
            Team team = teamId == null ? null : new Team(teamId, row.get(5, String.class), row.get(6, String.class), null);
            return new Player(row.get(0, Long.class), row.get(1, String.class), row.get(2, Integer.class),
                    row.get(3, Long.class), team);
        }).reduce(0L, (s, p) -> s + Sums.playerWithTeam(p)).block();
    }

    @Benchmark
    public long H(Peers.Hibernate h) {
        return h.sf.withSession(s -> s.createSelectionQuery("from HPlayer p left join fetch p.team", HPlayer.class)
                        .getResultList())
                .thenApply(list -> {
                    long sum = 0;
                    for (HPlayer p : list) {
                        sum += Sums.playerWithTeam(p);
                    }
                    return sum;
                }).toCompletableFuture().join();
    }

    @Benchmark
    public long J(Peers.Jdbc j) throws SQLException {
        long sum = 0;
        try (PreparedStatement ps = j.connection.prepareStatement(SQL); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long teamId = rs.getLong(5);
                Team team = rs.wasNull() ? null : new Team(teamId, rs.getString(6), rs.getString(7), null);
                sum += Sums.playerWithTeam(new Player(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getLong(4), team));
            }
        }
        return sum;
    }
}
