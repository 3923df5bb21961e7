package io.relata.sql;

import static io.relata.sql.SelectPlannerTest.movieActors;
import static io.relata.sql.SelectPlannerTest.movies;
import static io.relata.sql.SelectPlannerTest.playerGoals;
import static io.relata.sql.SelectPlannerTest.playerTeam;
import static io.relata.sql.SelectPlannerTest.players;
import static io.relata.sql.SelectPlannerTest.q;
import static io.relata.sql.SelectPlannerTest.teamPlayers;
import static io.relata.sql.SelectPlannerTest.teams;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.QueryDefinitionException;
import io.relata.plan.Statements;
import io.relata.query.Include;
import io.relata.query.Order;
import io.relata.query.Query;
import io.relata.query.Where;
import org.junit.jupiter.api.Test;

/**
 * Top-N children per parent (issue 13): the exact SQL and binds of the lateral shapes of a windowed
 * to-many include, with JOIN, SEPARATE, required includes, counts and lazy loads.
 */
class TopNPlannerTest {
    static final String TEAM_PLAYERS_GOALS = "`t0`.`id` AS `c0`, `t0`.`name` AS `c1`, `t1`.`id` AS `c2`, "
            + "`t1`.`name` AS `c3`, `t1`.`number` AS `c4`, `t1`.`TeamId` AS `c5`, `t2`.`id` AS `c6`, "
            + "`t2`.`minute` AS `c7`, `t2`.`PlayerId` AS `c8`";

    @Test
    void aWindowedHasManyIsALeftJoinLateralPerParentAtAnyDepth() {
        SqlStatement st = Statements.select(Query.from(teams)
                .include(teamPlayers, i -> i.orderBy(Order.asc("name")).limit(2)
                        .include(playerGoals, g -> g.orderBy(Order.desc("minute")).limit(1)))).statement();

        assertThat(st.sql()).isEqualTo(q("SELECT " + TEAM_PLAYERS_GOALS + " FROM `Teams` AS `t0` "
                + "LEFT OUTER JOIN LATERAL (SELECT `t1`.* FROM `Players` AS `t1` WHERE `t1`.`TeamId` = `t0`.`id` "
                + "ORDER BY `t1`.`name`, `t1`.`id` LIMIT $1) AS `t1` ON TRUE "
                + "LEFT OUTER JOIN LATERAL (SELECT `t2`.* FROM `Goals` AS `t2` WHERE `t2`.`PlayerId` = `t1`.`id` "
                + "ORDER BY `t2`.`minute` DESC, `t2`.`id` LIMIT $2) AS `t2` ON TRUE "
                + "ORDER BY `t0`.`id`, `t1`.`name`, `t1`.`id`, `t2`.`minute` DESC, `t2`.`id`"));
        assertThat(st.values()).containsExactly(2L, 1L);
    }

    @Test
    void aWindowedBelongsToManyWindowsTheJunctionWithTheTargetJoinedInside() {
        SqlStatement st = Statements.select(Query.from(movies)
                .include(movieActors, i -> i.orderBy(Order.asc("name")).limit(2).offset(1))).statement();

        assertThat(st.sql()).isEqualTo(q("SELECT `t0`.`id` AS `c0`, `t0`.`title` AS `c1`, `t1`.`id` AS `c2`, "
                + "`t1`.`name` AS `c3`, `j1`.`MovieId` AS `c4`, `j1`.`ActorId` AS `c5`, `j1`.`role` AS `c6` "
                + "FROM `Movies` AS `t0` LEFT OUTER JOIN (LATERAL (SELECT `j1`.* FROM `Castings` AS `j1` "
                + "INNER JOIN `Actors` AS `t1` ON `t1`.`id` = `j1`.`ActorId` WHERE `j1`.`MovieId` = `t0`.`id` "
                + "ORDER BY `t1`.`name`, `t1`.`id` LIMIT $1 OFFSET $2) AS `j1` "
                + "INNER JOIN `Actors` AS `t1` ON `t1`.`id` = `j1`.`ActorId`) ON TRUE "
                + "ORDER BY `t0`.`id`, `t1`.`name`, `t1`.`id`"));
        assertThat(st.values()).containsExactly(2L, 1L);
    }

    @Test
    void aSeparateWindowIsALateralPerUnnestedParentKeyWhoseTextDoesNotDependOnTheKeys() {
        SelectPlan<?> plan = Statements.select(Query.from(teams)
                .include(teamPlayers, i -> i.orderBy(Order.asc("name")).limit(2).strategy(Include.Strategy.SEPARATE)
                        .include(playerGoals, g -> g.orderBy(Order.desc("minute")).limit(1))));

        assertThat(plan.statement().sql()).isEqualTo(q("SELECT `t0`.`id` AS `c0`, `t0`.`name` AS `c1` FROM `Teams` AS `t0`"));
        SqlStatement followUp = plan.followUpTemplates().get(0);
        assertThat(followUp.sql()).isEqualTo(q("SELECT `p`.`k` AS `c0`, `t1`.`id` AS `c1`, `t1`.`name` AS `c2`, "
                + "`t1`.`number` AS `c3`, `t1`.`TeamId` AS `c4`, `t2`.`id` AS `c5`, `t2`.`minute` AS `c6`, "
                + "`t2`.`PlayerId` AS `c7` FROM unnest($1) AS `p`(`k`) "
                + "INNER JOIN LATERAL (SELECT `t1`.* FROM `Players` AS `t1` WHERE `t1`.`TeamId` = `p`.`k` "
                + "ORDER BY `t1`.`name`, `t1`.`id` LIMIT $2) AS `t1` ON TRUE "
                + "LEFT OUTER JOIN LATERAL (SELECT `t2`.* FROM `Goals` AS `t2` WHERE `t2`.`PlayerId` = `t1`.`id` "
                + "ORDER BY `t2`.`minute` DESC, `t2`.`id` LIMIT $3) AS `t2` ON TRUE "
                + "ORDER BY `p`.`k`, `t1`.`name`, `t1`.`id`, `t2`.`minute` DESC, `t2`.`id`"));
        assertThat(followUp.binds()).hasSize(3);
        assertThat(followUp.binds().get(0).type()).isEqualTo(Long[].class);
        assertThat(followUp.values().subList(1, 3)).containsExactly(2L, 1L);
    }

    @Test
    void aSeparateBelongsToManyWindow() {
        SelectPlan<?> plan = Statements.select(Query.from(movies)
                .include(movieActors, i -> i.orderBy(Order.asc("name")).limit(2).strategy(Include.Strategy.SEPARATE)));

        assertThat(plan.followUpTemplates()).extracting(SqlStatement::sql).containsExactly(q("SELECT `p`.`k` AS `c0`, "
                + "`t1`.`id` AS `c1`, `t1`.`name` AS `c2`, `j1`.`MovieId` AS `c3`, `j1`.`ActorId` AS `c4`, "
                + "`j1`.`role` AS `c5` FROM unnest($1) AS `p`(`k`) INNER JOIN (LATERAL (SELECT `j1`.* "
                + "FROM `Castings` AS `j1` INNER JOIN `Actors` AS `t1` ON `t1`.`id` = `j1`.`ActorId` "
                + "WHERE `j1`.`MovieId` = `p`.`k` ORDER BY `t1`.`name`, `t1`.`id` LIMIT $2) AS `j1` "
                + "INNER JOIN `Actors` AS `t1` ON `t1`.`id` = `j1`.`ActorId`) ON TRUE "
                + "ORDER BY `p`.`k`, `t1`.`name`, `t1`.`id`"));
    }

    @Test
    void aRequiredWindowNeedsAChildInTheWindowAndItsRequiredChildrenCountInside() {
        SqlStatement st = Statements.select(Query.from(teams).limit(5)
                .include(teamPlayers, i -> i.orderBy(Order.asc("name")).limit(2).where(Where.gt("number", 3))
                        .include(playerGoals, g -> g.required(true)))).statement();

        String lateral = "LATERAL (SELECT `t1`.* FROM `Players` AS `t1` WHERE `t1`.`TeamId` = `t0`.`id` AND "
                + "`t1`.`number` > $%d AND EXISTS (SELECT 1 FROM `Goals` AS `t2` WHERE `t2`.`PlayerId` = `t1`.`id`) "
                + "ORDER BY `t1`.`name`, `t1`.`id` LIMIT $%d) AS `t1`";
        assertThat(st.sql()).isEqualTo(q("SELECT " + TEAM_PLAYERS_GOALS + " FROM (SELECT * FROM `Teams` AS `t0` "
                + "WHERE EXISTS (SELECT 1 FROM " + lateral.formatted(1, 2) + " INNER JOIN `Goals` AS `t2` "
                + "ON `t2`.`PlayerId` = `t1`.`id` WHERE TRUE) ORDER BY `t0`.`id` LIMIT $3) AS `t0` "
                + "INNER JOIN " + lateral.formatted(4, 5) + " ON TRUE "
                + "INNER JOIN `Goals` AS `t2` ON `t2`.`PlayerId` = `t1`.`id` "
                + "ORDER BY `t0`.`id`, `t1`.`name`, `t1`.`id`, `t2`.`id`"));
        assertThat(st.values()).containsExactly(3, 2L, 5L, 3, 2L);
    }

    @Test
    void aCountJoinsTheWindowSoThatARequiredOneFilters() {
        SqlStatement st = Statements.count(Query.from(teams)
                .include(teamPlayers, i -> i.orderBy(Order.asc("name")).limit(2).required(true)));

        assertThat(st.sql()).isEqualTo(q("SELECT count(DISTINCT `t0`.`id`) FROM `Teams` AS `t0` "
                + "INNER JOIN LATERAL (SELECT `t1`.* FROM `Players` AS `t1` WHERE `t1`.`TeamId` = `t0`.`id` "
                + "ORDER BY `t1`.`name`, `t1`.`id` LIMIT $1) AS `t1` ON TRUE"));
        assertThat(st.values()).containsExactly(2L);
    }

    @Test
    void aLazyLoadWindowsPerSourceAndItsIncludesPerTarget() {
        SqlStatement st = Statements.load(teamPlayers, Query.from(players).limit(2).orderBy(Order.asc("name"))
                .include(playerGoals, g -> g.orderBy(Order.desc("minute")).limit(1))).statement();

        assertThat(st.sql()).isEqualTo(q("SELECT `w`.`c0`, `w`.`c1`, `w`.`c2`, `w`.`c3`, `w`.`c4`, `w`.`c5`, "
                + "`w`.`c6`, `w`.`c7` FROM (SELECT `t0`.`TeamId` AS `c0`, `t0`.`id` AS `c1`, `t0`.`name` AS `c2`, "
                + "`t0`.`number` AS `c3`, `t0`.`TeamId` AS `c4`, `t1`.`id` AS `c5`, `t1`.`minute` AS `c6`, "
                + "`t1`.`PlayerId` AS `c7`, dense_rank() OVER (PARTITION BY `t0`.`TeamId` ORDER BY `t0`.`name`, "
                + "`t0`.`id`) AS `r`, `t1`.`minute` AS `o0`, `t1`.`id` AS `o1` FROM `Players` AS `t0` "
                + "LEFT OUTER JOIN LATERAL (SELECT `t1`.* FROM `Goals` AS `t1` WHERE `t1`.`PlayerId` = `t0`.`id` "
                + "ORDER BY `t1`.`minute` DESC, `t1`.`id` LIMIT $1) AS `t1` ON TRUE WHERE `t0`.`TeamId` = ANY($2)) "
                + "AS `w` WHERE `w`.`r` <= $3 ORDER BY `w`.`c0`, `w`.`r`, `w`.`o0` DESC, `w`.`o1`"));
    }

    @Test
    void aWindowOnAToOneIncludeOrAnOrderThroughANestedIncludeIsRejectedBeforeSql() {
        assertThatThrownBy(() -> Query.from(players).include(playerTeam, i -> i.limit(1)))
                .isInstanceOf(QueryDefinitionException.class)
                .hasMessageContainingAll("limit", "to-many", "Player.team", "BELONGS_TO");
        assertThatThrownBy(() -> Query.from(teams).include(teamPlayers, i -> i.offset(-1)))
                .isInstanceOf(QueryDefinitionException.class).hasMessageContaining("offset");
        assertThatThrownBy(() -> Statements.select(Query.from(teams).include(teamPlayers,
                i -> i.limit(1).orderBy(Order.asc("goals.minute")).include(playerGoals))))
                .isInstanceOf(QueryDefinitionException.class)
                .hasMessageContainingAll("players", "goals.minute", "Player", "number");
        assertThatThrownBy(() -> Statements.select(Query.from(teams).include(teamPlayers,
                i -> i.limit(1).where(Where.eq("goals.minute", 3)).include(playerGoals))))
                .isInstanceOf(QueryDefinitionException.class).hasMessageContainingAll("players", "goals.minute");
    }
}
