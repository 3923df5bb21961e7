package io.relata.benchmarks;

import io.relata.benchmarks.Model.Player;
import io.relata.benchmarks.Model.Team;
import io.relata.query.Query;
import io.relata.reactor.Database;
import io.relata.reactor.ToManyOperations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * W5: lazy loading. 100 teams, then each team's players loaded by a deferred call inside {@code flatMap}.
 * Relata coalesces the 100 loads into one {@code = ANY($1)} statement (DataLoader style, default window 0.5 ms);
 * N issues one statement per team. One op = 100 graphs; unit graphs/s.
 */
public class W5Lazy {
    @Benchmark
    public long relata(Peers.Relata r) {
        ToManyOperations<Team, Player> players = r.db.association(r.m.teamPlayers);
        return r.db.findAll(Query.from(r.m.teams))
                .flatMap(t -> players.get(t).collectList().map(ps -> new Team(t.id(), t.name(), t.city(), ps)))
                .reduce(0L, (s, t) -> s + Sums.team(t)).block();
    }

    /** Context: the same with no batch window (a batch runs when the ticks that issued its loads have ended). */
    @Benchmark
    public long relata_window0(Peers.Relata r) {
        Database db = r.db.withBatchWindow(Duration.ZERO);
        ToManyOperations<Team, Player> players = db.association(r.m.teamPlayers);
        return db.findAll(Query.from(r.m.teams))
                .flatMap(t -> players.get(t).collectList().map(ps -> new Team(t.id(), t.name(), t.city(), ps)))
                .reduce(0L, (s, t) -> s + Sums.team(t)).block();
    }

    /** Naive N+1 (the same code as W2's N). */
    @Benchmark
    public long N(Peers.Raw raw) {
        return W2HasMany.naive(raw).reduce(0L, (s, t) -> s + Sums.team(t)).block();
    }

    /** Hand-batched: the teams, then one {@code = ANY($1)} statement for all their players. */
    @Benchmark
    public long L(Peers.Raw raw) {
        return Peers.query(raw.pool, "SELECT id, name, city FROM teams",
                        (row, meta) -> new Team(row.get(0, Long.class), row.get(1, String.class), row.get(2, String.class), null))
                .collectList()
                .flatMapMany(teams -> {
                    Long[] ids = new Long[teams.size()];
                    for (int i = 0; i < ids.length; i++) {
                        ids[i] = teams.get(i).id();
                    }
                    return Peers.query(raw.pool, "SELECT id, name, number, team_id FROM players WHERE team_id = ANY($1) "
                                    + "ORDER BY team_id, id", (row, meta) -> W2HasMany.player(row, 0), (Object) ids)
                            .collectList()
                            .flatMapIterable(players -> {
                                Map<Long, List<Player>> byTeam = new HashMap<>();
                                for (Player p : players) {
                                    byTeam.computeIfAbsent(p.teamId(), k -> new ArrayList<>()).add(p);
                                }
                                List<Team> out = new ArrayList<>(teams.size());
                                for (Team t : teams) {
                                    out.add(new Team(t.id(), t.name(), t.city(), byTeam.getOrDefault(t.id(), List.of())));
                                }
                                return out;
                            });
                })
                .reduce(0L, (s, t) -> s + Sums.team(t)).block();
    }
}
