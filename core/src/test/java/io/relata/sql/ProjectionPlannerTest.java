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
import io.relata.plan.Associations;
import io.relata.plan.Statements;
import io.relata.query.Include;
import io.relata.query.Order;
import io.relata.query.Projection;
import io.relata.query.Query;
import io.relata.query.Where;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Aggregates and projections over includes, and association counts with includes: exact SQL and binds. */
class ProjectionPlannerTest {

    record TeamStats(Long id, Long goals) {
    }

    static SqlStatement project(Query<?> query, Projection p) {
        return Statements.project(query, p, Map.class).statement();
    }

    @Test
    void anAggregateThroughToManyIncludesGroupsByTheRootKeyAndIncludesAddNoColumns() {
        SqlStatement st = project(Query.from(teams).include(teamPlayers, i -> i.attributes().include(playerGoals)),
                Projection.of(Projection.attribute("name"), Projection.count("players.goals.id").as("goals")));

        assertThat(st.sql()).isEqualTo(q("SELECT `t0`.`name` AS `name`, count(`t2`.`id`) AS `goals` FROM `Teams` AS `t0` "
                + "LEFT OUTER JOIN `Players` AS `t1` ON `t1`.`TeamId` = `t0`.`id` "
                + "LEFT OUTER JOIN `Goals` AS `t2` ON `t2`.`PlayerId` = `t1`.`id` GROUP BY `t0`.`id`"));
        assertThat(st.binds()).isEmpty();
    }

    @Test
    void everyAggregateHavingOnAliasesOrderOnAnAggregateAndTheWindow() {
        SqlStatement st = project(Query.from(teams).include(teamPlayers, i -> i.where(Where.gt("number", 0)))
                        .where(Where.like("name", "L%")).limit(10).offset(5),
                Projection.of(Projection.countAll(), Projection.countDistinct("players.number").as("numbers"),
                                Projection.sum("players.number").as("s"), Projection.avg("players.number").as("a"),
                                Projection.min("players.number").as("lo"), Projection.max("players.number").as("hi"))
                        .having(Where.and(Where.gt("count", 2), Where.between("hi", 5, 9)))
                        .orderBy(Order.desc("s"), Order.asc("name")));

        assertThat(st.sql()).isEqualTo(q("SELECT count(*) AS `count`, count(DISTINCT `t1`.`number`) AS `numbers`, "
                + "sum(`t1`.`number`) AS `s`, avg(`t1`.`number`) AS `a`, min(`t1`.`number`) AS `lo`, "
                + "max(`t1`.`number`) AS `hi` FROM `Teams` AS `t0` INNER JOIN `Players` AS `t1` "
                + "ON `t1`.`TeamId` = `t0`.`id` AND `t1`.`number` > $1 WHERE `t0`.`name` LIKE $2 "
                + "GROUP BY `t0`.`id` HAVING (count(*) > $3 AND max(`t1`.`number`) BETWEEN $4 AND $5) "
                + "ORDER BY `s` DESC, `t0`.`name` LIMIT $6 OFFSET $7"));
        assertThat(st.values()).containsExactly(0, "L%", 2, 5, 9, 10L, 5L);
    }

    @Test
    void withoutAToManyAggregateTheDefaultGroupIsThePlainItemsAndAnExplicitGroupReplacesIt() {
        assertThat(project(Query.from(players).include(playerTeam), Projection.of(Projection.attribute("team.name"),
                Projection.sum("number"))).sql()).isEqualTo(q("SELECT `t1`.`name` AS `team.name`, sum(`t0`.`number`) "
                + "AS `sum` FROM `Players` AS `t0` LEFT OUTER JOIN `Teams` AS `t1` ON `t1`.`id` = `t0`.`TeamId` "
                + "GROUP BY `t1`.`name`"));
        assertThat(project(Query.from(players), Projection.of(Projection.max("number"))).sql())
                .isEqualTo(q("SELECT max(`t0`.`number`) AS `max` FROM `Players` AS `t0`"));
        assertThat(project(Query.from(players), Projection.of(Projection.attribute("TeamId"), Projection.max("number")))
                .sql()).isEqualTo(q("SELECT `t0`.`TeamId` AS `TeamId`, max(`t0`.`number`) AS `max` FROM `Players` AS `t0` "
                + "GROUP BY `t0`.`TeamId`"));
        assertThat(project(Query.from(players), Projection.of(Projection.max("number")).groupBy("TeamId")).sql())
                .isEqualTo(q("SELECT max(`t0`.`number`) AS `max` FROM `Players` AS `t0` GROUP BY `t0`.`TeamId`"));
    }

    @Test
    void aBelongsToManyAggregateReadsTheTargetThroughItsJunction() {
        assertThat(project(Query.from(movies).include(movieActors), Projection.of(Projection.attribute("id"),
                Projection.countDistinct("actors.id").as("cast"))).sql()).isEqualTo(q("SELECT `t0`.`id` AS `id`, "
                + "count(DISTINCT `t1`.`id`) AS `cast` FROM `Movies` AS `t0` LEFT OUTER JOIN (`Castings` AS `j1` "
                + "INNER JOIN `Actors` AS `t1` ON `t1`.`id` = `j1`.`ActorId`) ON `j1`.`MovieId` = `t0`.`id` "
                + "GROUP BY `t0`.`id`"));
    }

    @Test
    void aRecordIsReadByComponentName() {
        ProjectionPlan<TeamStats> plan = Statements.project(Query.from(teams).include(teamPlayers,
                i -> i.attributes().include(playerGoals)), Projection.of(Projection.count("players.goals.id").as("goals"),
                Projection.attribute("id")), TeamStats.class);
        assertThat(plan.columns()).containsExactly("goals", "id");
        Object[] row = {4L, 7L};
        assertThat(plan.read(new RowSource() {
            @Override
            public <V> V get(int index, Class<V> type) {
                return type.cast(row[index]);
            }
        })).isEqualTo(new TeamStats(7L, 4L));
    }

    @Test
    void namesAreCheckedBeforeSql() {
        assertThatThrownBy(() -> project(Query.from(teams), Projection.of(Projection.count("players.id"))))
                .isInstanceOf(QueryDefinitionException.class).hasMessageContainingAll("'players.id'", "Team", "(none)");
        assertThatThrownBy(() -> project(Query.from(teams).include(teamPlayers, i -> i.strategy(Include.Strategy.SEPARATE)),
                Projection.of(Projection.count("id")))).isInstanceOf(QueryDefinitionException.class)
                .hasMessageContainingAll("players", "SEPARATE");
        assertThatThrownBy(() -> project(Query.from(teams), Projection.of(Projection.count("id")).orderBy(Order.asc("n"))))
                .isInstanceOf(QueryDefinitionException.class).hasMessageContainingAll("n", "Team");
        assertThatThrownBy(() -> Statements.project(Query.from(teams), Projection.of(Projection.count("id")), String.class))
                .isInstanceOf(QueryDefinitionException.class).hasMessageContainingAll("record", "Map", "String");
        assertThatThrownBy(() -> Projection.aggregate("avgg", "id")).isInstanceOf(QueryDefinitionException.class)
                .hasMessageContaining("valid: count, countDistinct, sum, avg, min, max");
        assertThat(Projection.aggregate("count distinct", "id").aggregate()).isEqualTo(Projection.Aggregate.COUNT_DISTINCT);
        assertThatThrownBy(() -> Projection.count("id").as("a\0b")).isInstanceOf(QueryDefinitionException.class)
                .hasMessageContaining("NUL");
        // any other alias is a quoted identifier, never text of the statement
        assertThat(project(Query.from(teams), Projection.of(Projection.count("id").as("x\" OR 1=1 --"))).sql())
                .isEqualTo(q("SELECT count(`t0`.`id`) AS `x`` OR 1=1 --` FROM `Teams` AS `t0`"));
    }

    @Test
    void anAssociationCountWithIncludesQualifiesEveryColumnAndCountsEachTargetOnce() {
        SqlStatement st = Associations.countWithIncludes(teamPlayers, 3L, Query.from(players).where(Where.gt("id", 1L))
                .include(playerGoals, i -> i.where(Where.gt("minute", 80))));

        assertThat(st.sql()).isEqualTo(q("SELECT count(DISTINCT `t0`.`id`) FROM `Players` AS `t0` "
                + "INNER JOIN `Goals` AS `t1` ON `t1`.`PlayerId` = `t0`.`id` AND `t1`.`minute` > $1 "
                + "WHERE `t0`.`TeamId` = $2 AND `t0`.`id` > $3"));
        assertThat(st.values()).containsExactly(80, 3L, 1L);
        assertThat(Associations.countWithIncludes(movieActors, 2L, Query.from(SelectPlannerTest.actors).include(
                SelectPlannerTest.actorMovies, i -> i.required(true))).sql()).isEqualTo(q("SELECT count(DISTINCT `t0`.`id`) "
                + "FROM `Actors` AS `t0` INNER JOIN `Castings` AS `j0` ON `t0`.`id` = `j0`.`ActorId` "
                + "INNER JOIN (`Castings` AS `j1` INNER JOIN `Movies` AS `t1` ON `t1`.`id` = `j1`.`MovieId`) "
                + "ON `j1`.`ActorId` = `t0`.`id` WHERE `j0`.`MovieId` = $1"));
    }
}
