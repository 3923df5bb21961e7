package io.relata.sql;

import static io.relata.sql.SelectPlannerTest.movieActors;
import static io.relata.sql.SelectPlannerTest.movies;
import static io.relata.sql.SelectPlannerTest.playerGoals;
import static io.relata.sql.SelectPlannerTest.playerTeam;
import static io.relata.sql.SelectPlannerTest.players;
import static io.relata.sql.SelectPlannerTest.teamPlayers;
import static io.relata.sql.SelectPlannerTest.teams;
import static io.relata.sql.SelectPlannerTest.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.QueryDefinitionException;
import io.relata.plan.Statements;
import io.relata.query.Include;
import io.relata.query.Order;
import io.relata.query.Query;
import io.relata.query.Where;
import org.junit.jupiter.api.Test;

/** Top-N children per parent: exact SQL and binds of the lateral shapes (JOIN, SEPARATE, lazy loads, counts). */
class TopNPlannerTest {

    @Test
    void print() {
        System.out.println(Statements.select(Query.from(teams)
                .include(teamPlayers, i -> i.orderBy(Order.asc("name")).limit(2)
                        .include(playerGoals, g -> g.orderBy(Order.desc("minute")).limit(1)))).statement());
        System.out.println(Statements.select(Query.from(movies)
                .include(movieActors, i -> i.orderBy(Order.asc("name")).limit(2).offset(1))).statement());
        System.out.println(Statements.select(Query.from(teams)
                .include(teamPlayers, i -> i.orderBy(Order.asc("name")).limit(2).strategy(Include.Strategy.SEPARATE)
                        .include(playerGoals, g -> g.orderBy(Order.desc("minute")).limit(1)))).followUpTemplates());
        System.out.println(Statements.select(Query.from(movies)
                .include(movieActors, i -> i.orderBy(Order.asc("name")).limit(2).strategy(Include.Strategy.SEPARATE))).followUpTemplates());
        System.out.println(Statements.select(Query.from(teams).limit(5)
                .include(teamPlayers, i -> i.orderBy(Order.asc("name")).limit(2).where(Where.gt("number", 3))
                        .include(playerGoals, g -> g.required(true)))).statement());
        System.out.println(Statements.count(Query.from(teams)
                .include(teamPlayers, i -> i.orderBy(Order.asc("name")).limit(2).required(true))));
        System.out.println(Statements.load(teamPlayers, Query.from(players).limit(2).orderBy(Order.asc("name"))
                .include(playerGoals, g -> g.orderBy(Order.desc("minute")).limit(1))).statement());
    }
}
