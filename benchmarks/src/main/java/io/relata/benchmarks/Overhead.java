package io.relata.benchmarks;

import io.relata.benchmarks.Model.Player;
import io.relata.benchmarks.Model.Team;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.sql.RowAssembler;
import io.relata.sql.RowSource;
import io.relata.sql.SelectPlan;
import io.relata.plan.Statements;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Not a workload (not in the default run): Relata's own CPU cost without a database, to explain the ratios. Rows
 * are pre-decoded values behind a {@link RowSource}; the hand-written counterparts read the same rows. Run with
 * {@code java -cp benchmarks/target/benchmarks.jar org.openjdk.jmh.Main Overhead -prof gc}.
 */
@State(Scope.Benchmark)
public class Overhead {
    Model.Relata m;
    SelectPlan<Team> w2;
    SelectPlan<Player> w3;
    ArrayRow[] w2Rows;
    ArrayRow[] w3Rows;

    /** One decoded row. */
    static final class ArrayRow implements RowSource {
        final Object[] values;

        ArrayRow(Object... values) {
            this.values = values;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <V> V get(int index, Class<V> type) {
            return (V) values[index];
        }
    }

    @Setup
    public void setup() {
        m = new Model.Relata();
        w2 = Statements.select(Query.from(m.teams).include(m.teamPlayers));
        w3 = Statements.select(Query.from(m.players).include(m.playerTeam));
        w2Rows = new ArrayRow[1000];
        w3Rows = new ArrayRow[1000];
        for (int i = 0; i < 1000; i++) {
            long team = i / 10 + 1;
            long player = i + 1;
            w2Rows[i] = new ArrayRow(team, "team-" + team, "city", player, "player-" + player, i % 10 + 1, team);
            w3Rows[i] = new ArrayRow(player, "player-" + player, i % 10 + 1, team, team, "team-" + team, "city");
        }
    }

    /** Planning a findByPk (Database.findByPk plans on every call). */
    @Benchmark
    public Object planFindByPk() {
        return Statements.select(Query.from(m.players).where(Where.eq("id", 5L)).limit(1));
    }

    /** W2's 1,000 rows assembled into 100 teams by Relata. */
    @Benchmark
    public long assembleW2Relata() {
        RowAssembler<Team> a = w2.assembler();
        long s = 0;
        for (ArrayRow r : w2Rows) {
            Team t = a.push(r);
            if (t != null) {
                s += Sums.team(t);
            }
        }
        Team last = a.finish();
        return last == null ? s : s + Sums.team(last);
    }

    /** The same rows grouped by hand (L's code). */
    @Benchmark
    public long assembleW2Hand() {
        long s = 0;
        Long id = null;
        String name = null;
        String city = null;
        List<Player> players = null;
        for (ArrayRow row : w2Rows) {
            Long teamId = row.get(0, Long.class);
            if (id != null && !id.equals(teamId)) {
                s += Sums.team(new Team(id, name, city, players));
                id = null;
            }
            if (id == null) {
                id = teamId;
                name = row.get(1, String.class);
                city = row.get(2, String.class);
                players = new ArrayList<>();
            }
            Long playerId = row.get(3, Long.class);
            if (playerId != null) {
                players.add(new Player(playerId, row.get(4, String.class), row.get(5, Integer.class), row.get(6, Long.class), null));
            }
        }
        return s + Sums.team(new Team(id, name, city, players));
    }

    /** W3's 1,000 rows (player + its team) by Relata. */
    @Benchmark
    public long assembleW3Relata() {
        RowAssembler<Player> a = w3.assembler();
        long s = 0;
        for (ArrayRow r : w3Rows) {
            Player p = a.push(r);
            if (p != null) {
                s += Sums.playerWithTeam(p);
            }
        }
        Player last = a.finish();
        return last == null ? s : s + Sums.playerWithTeam(last);
    }

    @Benchmark
    public long assembleW3Hand() {
        long s = 0;
        for (ArrayRow row : w3Rows) {
            Long teamId = row.get(4, Long.class);
            Team team = teamId == null ? null : new Team(teamId, row.get(5, String.class), row.get(6, String.class), null);
            s += Sums.playerWithTeam(new Player(row.get(0, Long.class), row.get(1, String.class), row.get(2, Integer.class),
                    row.get(3, Long.class), team));
        }
        return s;
    }
}
