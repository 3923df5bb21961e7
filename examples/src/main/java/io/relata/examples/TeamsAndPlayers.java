package io.relata.examples;

import io.relata.BelongsTo;
import io.relata.HasMany;
import io.relata.Model;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.query.Order;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.reactor.Database;
import io.relata.plan.Ddl;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One-to-many (seed 004, "One-To-Many relationships"): a Team has many Players, a Player belongs to
 * a Team. Bulk inserts, eager loading with ordered children, counting, and a limit that counts
 * teams (roots), not joined rows.
 */
public final class TeamsAndPlayers {

    record Team(Long id, String name, List<Player> players) {
    }

    // Sequelize infers the foreign key "TeamId"; a property spelled teamId is used as that key.
    record Player(Long id, String name, Integer number, Long teamId, Team team) {
    }

    private TeamsAndPlayers() {
    }

    /**
     * @param url an R2DBC URL
     */
    public static void run(String url) {
        SchemaBuilder s = Schema.builder();                  // timestamps on, like Sequelize
        Model<Team> teams = s.define(Team.class);
        Model<Player> players = s.define(Player.class);
        HasMany<Team, Player> teamPlayers = teams.hasMany(players);
        BelongsTo<Player, Team> playerTeam = players.belongsTo(teams);
        Schema schema = s.build();

        System.out.println("  sync() runs:");
        Ddl.createTables(schema).forEach(ddl -> System.out.println("    " + ddl.sql()));

        Database db = Database.connect(url, schema);
        try {
            db.sync(true).block();

            // bulkCreate: one multi-row INSERT ... RETURNING; rows come back with their generated ids.
            List<Team> created = db.bulkCreate(teams, List.of(
                    new Team(null, "Lions", null),
                    new Team(null, "Bears", null),
                    new Team(null, "Eagles", null))).collectList().block();
            Long lions = created.get(0).id();
            Long bears = created.get(1).id();
            Long eagles = created.get(2).id();
            List<Player> roster = db.bulkCreate(players, List.of(
                    new Player(null, "Ann", 9, lions, null),
                    new Player(null, "Bob", 4, lions, null),
                    new Player(null, "Cid", 11, lions, null),
                    new Player(null, "Dee", 7, bears, null),
                    new Player(null, "Eve", 1, bears, null),
                    new Player(null, "Fay", 3, eagles, null),
                    new Player(null, "Gus", 5, null, null))).collectList().block();   // a free agent
            System.out.println("  bulkCreate: " + created.size() + " teams, " + roster.size() + " players");

            // Eager: every team with its players ordered by shirt number (one joined, streamed query).
            System.out.println("  findAll(Team, include: players order by number):");
            List<Team> all = db.findAll(Query.from(teams)
                    .orderBy(Order.asc("name"))
                    .include(teamPlayers, i -> i.orderBy(Order.asc("number")))).collectList().block();
            all.forEach(t -> System.out.println("    " + t.name() + ": " + roster(t)));
            Check.expect("teams with players", all.stream().map(TeamsAndPlayers::roster).toList(),
                    List.of("Eve #1, Dee #7", "Fay #3", "Bob #4, Ann #9, Cid #11"));

            // The belongsTo side, filtered on the included team's name ("Team" is the alias).
            List<Player> lionsPlayers = db.findAll(Query.from(players)
                    .include(playerTeam)
                    .where(Where.eq("Team.name", "Lions"))
                    .orderBy(Order.asc("name"))).collectList().block();
            System.out.println("  findAll(Player, include: Team, where Team.name = 'Lions'): "
                    + lionsPlayers.stream().map(p -> p.name() + " of the " + p.team().name())
                            .collect(Collectors.joining(", ")));
            Check.expect("Lions players", lionsPlayers.size(), 3);

            // Counting: all players, one team's players (lazy count), teams with a double-digit shirt.
            long allPlayers = db.count(Query.from(players)).block();
            long lionCount = db.association(teamPlayers).count(created.get(0)).block();
            long withDoubleDigits = db.count(Query.from(teams)
                    .include(teamPlayers, i -> i.where(Where.gte("number", 10)))).block();   // where => INNER JOIN
            System.out.println("  count: " + allPlayers + " players, " + lionCount + " on the "
                    + created.get(0).name() + ", " + withDoubleDigits + " team(s) with a number >= 10");
            Check.expect("player count", allPlayers, 7L);
            Check.expect("Lions count", lionCount, 3L);
            Check.expect("teams with a number >= 10", withDoubleDigits, 1L);

            // limit(2) with a to-many include limits TEAMS: both teams come with all their players.
            List<Team> firstTwo = db.findAll(Query.from(teams)
                    .orderBy(Order.desc("name"))
                    .include(teamPlayers, i -> i.orderBy(Order.asc("number")))
                    .limit(2)).collectList().block();
            System.out.println("  limit(2) with include: "
                    + firstTwo.stream().map(t -> t.name() + " with " + roster(t))
                            .collect(Collectors.joining(", ")));
            Check.expect("limit 2 roots", firstTwo.stream().map(t -> t.name() + ":" + t.players().size()).toList(),
                    List.of("Lions:3", "Eagles:1"));
        } finally {
            db.close().block();
        }
    }

    private static String roster(Team team) {
        return team.players().stream().map(p -> p.name() + " #" + p.number()).collect(Collectors.joining(", "));
    }
}
