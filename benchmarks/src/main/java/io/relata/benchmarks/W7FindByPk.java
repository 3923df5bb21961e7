package io.relata.benchmarks;

import io.relata.benchmarks.Model.Player;
import io.relata.benchmarks.hibernate.HPlayer;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.openjdk.jmh.annotations.Benchmark;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** W7: 256 primary-key lookups at concurrency 4 through the pool. One op = 256 lookups; unit lookups/s. */
public class W7FindByPk {
    static final int LOOKUPS = 256;
    static final int CONCURRENCY = 4;
    static final String SQL = "SELECT id, name, number, team_id FROM players WHERE id = $1";

    static long key(int i) {
        return (i * 37L) % (Seed.TEAMS * Seed.PLAYERS_PER_TEAM) + 1;
    }

    @Benchmark
    public long relata(Peers.Relata r) {
        return Flux.range(0, LOOKUPS).flatMap(i -> r.db.findByPk(r.m.players, key(i)), CONCURRENCY)
                .reduce(0L, (s, p) -> s + Sums.player(p)).block();
    }

    @Benchmark
    public long L(Peers.Raw raw) {
        return Flux.range(0, LOOKUPS).flatMap(i -> Peers.query(raw.pool, SQL, (row, meta) -> W2HasMany.player(row, 0), key(i))
                        .singleOrEmpty(), CONCURRENCY)
                .reduce(0L, (s, p) -> s + Sums.player(p)).block();
    }

    /** Context: L on a pool that validates every acquired connection with {@code SELECT 1} (the old default). */
    @Benchmark
    public long L_remoteValidation(Peers.RawRemoteValidation raw) {
        return Flux.range(0, LOOKUPS).flatMap(i -> Peers.query(raw.pool, SQL, (row, meta) -> W2HasMany.player(row, 0), key(i))
                        .singleOrEmpty(), CONCURRENCY)
                .reduce(0L, (s, p) -> s + Sums.player(p)).block();
    }

    /** One session per lookup ({@code Session.find}), 4 at a time. */
    @Benchmark
    public long H(Peers.Hibernate h) {
        return Flux.range(0, LOOKUPS).flatMap(i -> Mono.fromCompletionStage(
                                () -> h.sf.withSession(s -> s.find(HPlayer.class, key(i)))), CONCURRENCY)
                .reduce(0L, (s, p) -> s + Sums.player(p)).block();
    }

    /** Context only: the same lookups one after another on one JDBC connection. */
    @Benchmark
    public long J(Peers.Jdbc j) throws SQLException {
        long sum = 0;
        try (PreparedStatement ps = j.connection.prepareStatement("SELECT id, name, number, team_id FROM players WHERE id = ?")) {
            for (int i = 0; i < LOOKUPS; i++) {
                ps.setLong(1, key(i));
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        sum += Sums.player(new Player(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getLong(4), null));
                    }
                }
            }
        }
        return sum;
    }
}
