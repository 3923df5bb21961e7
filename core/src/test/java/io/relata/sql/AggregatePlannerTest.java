package io.relata.sql;

import static io.relata.sql.AssemblerTest.assemble;
import static io.relata.sql.AssemblerTest.row;
import static io.relata.sql.SelectPlannerTest.movieActors;
import static io.relata.sql.SelectPlannerTest.movies;
import static io.relata.sql.SelectPlannerTest.playerGoals;
import static io.relata.sql.SelectPlannerTest.playerTeam;
import static io.relata.sql.SelectPlannerTest.players;
import static io.relata.sql.SelectPlannerTest.q;
import static io.relata.sql.SelectPlannerTest.teamCoaches;
import static io.relata.sql.SelectPlannerTest.teamPlayers;
import static io.relata.sql.SelectPlannerTest.teams;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.DataType;
import io.relata.HasMany;
import io.relata.Model;
import io.relata.QueryDefinitionException;
import io.relata.RelataException;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.plan.Statements;
import io.relata.query.Include;
import io.relata.query.Order;
import io.relata.query.Projection;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.sql.SelectPlannerTest.Actor;
import io.relata.sql.SelectPlannerTest.Casting;
import io.relata.sql.SelectPlannerTest.Goal;
import io.relata.sql.SelectPlannerTest.Movie;
import io.relata.sql.SelectPlannerTest.Player;
import io.relata.sql.SelectPlannerTest.Team;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The AGGREGATE include strategy (issue 15): the exact SQL of its {@code json_agg} laterals for every kind, nested,
 * required, windowed, next to joined includes and in counts; the rejections before SQL; and how its JSON arrays
 * are read back into entities.
 */
class AggregatePlannerTest {
    static final Include.Strategy AGGREGATE = Include.Strategy.AGGREGATE;
    static final String PLAYERS = "SELECT json_agg(json_build_array(`t1`.`id`, `t1`.`name`, `t1`.`number`, "
            + "`t1`.`TeamId`%s) ORDER BY %s`t1`.`id`) AS `v` FROM `Players` AS `t1`";

    @Test
    void aHasManyIsOneJsonArrayColumnPerParentFromALeftJoinLateral() {
        SqlStatement st = Statements.select(Query.from(teams).include(teamPlayers, i -> i.strategy(AGGREGATE)))
                .statement();

        assertThat(st.sql()).isEqualTo(q("SELECT `t0`.`id` AS `c0`, `t0`.`name` AS `c1`, `a1`.`v`::text AS `c2` "
                + "FROM `Teams` AS `t0` LEFT OUTER JOIN LATERAL (" + PLAYERS.formatted("", "")
                + " WHERE `t1`.`TeamId` = `t0`.`id`) AS `a1` ON TRUE"));
        assertThat(st.values()).isEmpty();
    }

    @Test
    void aBelongsToManyAggregatesTheJunctionJoinedToTheTargetWithTheJunctionAttributes() {
        SqlStatement st = Statements.select(Query.from(movies).include(movieActors, i -> i.strategy(AGGREGATE)))
                .statement();

        assertThat(st.sql()).isEqualTo(q("SELECT `t0`.`id` AS `c0`, `t0`.`title` AS `c1`, `a1`.`v`::text AS `c2` "
                + "FROM `Movies` AS `t0` LEFT OUTER JOIN LATERAL (SELECT json_agg(json_build_array(`t1`.`id`, "
                + "`t1`.`name`, `j1`.`MovieId`, `j1`.`ActorId`, `j1`.`role`) ORDER BY `t1`.`id`) AS `v` "
                + "FROM `Castings` AS `j1` INNER JOIN `Actors` AS `t1` ON `t1`.`id` = `j1`.`ActorId` "
                + "WHERE `j1`.`MovieId` = `t0`.`id`) AS `a1` ON TRUE"));
    }

    @Test
    void aRequiredIncludeIsAnInnerJoinLateralOnANonNullArrayAndNestedIncludesAreNestedArrays() {
        SqlStatement st = Statements.select(Query.from(teams).limit(5)
                .include(teamPlayers, i -> i.strategy(AGGREGATE).where(Where.gt("number", 3))
                        .orderBy(Order.desc("name")).include(playerGoals, g -> g.required(true)))).statement();

        assertThat(st.sql()).isEqualTo(q("SELECT `t0`.`id` AS `c0`, `t0`.`name` AS `c1`, `a1`.`v`::text AS `c2` "
                + "FROM `Teams` AS `t0` INNER JOIN LATERAL (" + PLAYERS.formatted(", `a2`.`v`", "`t1`.`name` DESC, ")
                + " INNER JOIN LATERAL (SELECT json_agg(json_build_array(`t2`.`id`, `t2`.`minute`, `t2`.`PlayerId`) "
                + "ORDER BY `t2`.`id`) AS `v` FROM `Goals` AS `t2` WHERE `t2`.`PlayerId` = `t1`.`id`) AS `a2` "
                + "ON `a2`.`v` IS NOT NULL WHERE `t1`.`TeamId` = `t0`.`id` AND `t1`.`number` > $1) AS `a1` "
                + "ON `a1`.`v` IS NOT NULL LIMIT $2"));
        // one row per root: the window applies to the roots directly, no subquery
        assertThat(st.values()).containsExactly(3, 5L);
    }

    @Test
    void aPerParentWindowIsAggregatedFromItsLateral() {
        SqlStatement st = Statements.select(Query.from(teams)
                .include(teamPlayers, i -> i.strategy(AGGREGATE).orderBy(Order.asc("name")).limit(2))).statement();

        assertThat(st.sql()).isEqualTo(q("SELECT `t0`.`id` AS `c0`, `t0`.`name` AS `c1`, `a1`.`v`::text AS `c2` "
                + "FROM `Teams` AS `t0` LEFT OUTER JOIN LATERAL (SELECT json_agg(json_build_array(`t1`.`id`, "
                + "`t1`.`name`, `t1`.`number`, `t1`.`TeamId`) ORDER BY `t1`.`name`, `t1`.`id`) AS `v` FROM LATERAL "
                + "(SELECT `t1`.* FROM `Players` AS `t1` WHERE `t1`.`TeamId` = `t0`.`id` ORDER BY `t1`.`name`, "
                + "`t1`.`id` LIMIT $1) AS `t1`) AS `a1` ON TRUE"));
        assertThat(st.values()).containsExactly(2L);
    }

    @Test
    void aToOneAggregateNextToAJoinedCollectionIsJoinedFirstAndReadAfterTheJoinedColumns() {
        SqlStatement st = Statements.select(Query.from(players).include(playerTeam, i -> i.strategy(AGGREGATE))
                .include(playerGoals)).statement();

        assertThat(st.sql()).isEqualTo(q("SELECT `t0`.`id` AS `c0`, `t0`.`name` AS `c1`, `t0`.`number` AS `c2`, "
                + "`t0`.`TeamId` AS `c3`, `t2`.`id` AS `c4`, `t2`.`minute` AS `c5`, `t2`.`PlayerId` AS `c6`, "
                + "`a1`.`v`::text AS `c7` FROM `Players` AS `t0` LEFT OUTER JOIN LATERAL (SELECT json_agg("
                + "json_build_array(`t1`.`id`, `t1`.`name`) ORDER BY `t1`.`id`) AS `v` FROM `Teams` AS `t1` "
                + "WHERE `t1`.`id` = `t0`.`TeamId`) AS `a1` ON TRUE LEFT OUTER JOIN `Goals` AS `t2` "
                + "ON `t2`.`PlayerId` = `t0`.`id` ORDER BY `t0`.`id`, `t2`.`id`"));
    }

    @Test
    void aRootWindowOverAJoinedCollectionChoosesRootsThatHaveTheRequiredAggregate() {
        SqlStatement st = Statements.select(Query.from(teams).limit(3)
                .include(teamPlayers, i -> i.strategy(AGGREGATE).required(true)).include(teamCoaches)).statement();

        assertThat(st.sql()).isEqualTo(q("SELECT `t0`.`id` AS `c0`, `t0`.`name` AS `c1`, `t2`.`id` AS `c2`, "
                + "`t2`.`name` AS `c3`, `t2`.`TeamId` AS `c4`, `a1`.`v`::text AS `c5` FROM (SELECT * FROM `Teams` "
                + "AS `t0` WHERE EXISTS (SELECT 1 FROM `Players` AS `t1` WHERE `t1`.`TeamId` = `t0`.`id`) "
                + "ORDER BY `t0`.`id` LIMIT $1) AS `t0` INNER JOIN LATERAL (" + PLAYERS.formatted("", "")
                + " WHERE `t1`.`TeamId` = `t0`.`id`) AS `a1` ON `a1`.`v` IS NOT NULL "
                + "LEFT OUTER JOIN `Coaches` AS `t2` ON `t2`.`TeamId` = `t0`.`id` ORDER BY `t0`.`id`, `t2`.`id`"));
    }

    @Test
    void aCountBuildsNoJsonARequiredAggregateFiltersAndAnOptionalOneIsLeftOut() {
        SqlStatement st = Statements.count(Query.from(teams).include(teamPlayers, i -> i.strategy(AGGREGATE).required(true)
                .include(playerGoals, g -> g.required(true))).include(teamCoaches, i -> i.strategy(AGGREGATE)));

        assertThat(st.sql()).isEqualTo(q("SELECT count(*) FROM `Teams` AS `t0` INNER JOIN LATERAL (SELECT 1 AS `v` "
                + "FROM `Players` AS `t1` INNER JOIN LATERAL (SELECT 1 AS `v` FROM `Goals` AS `t2` "
                + "WHERE `t2`.`PlayerId` = `t1`.`id` LIMIT 1) AS `a2` ON TRUE WHERE `t1`.`TeamId` = `t0`.`id` LIMIT 1) "
                + "AS `a1` ON TRUE"));
    }

    record Probe(Long id, List<Sample> samples) {}

    record Sample(Long id, Long probeId, Double reading, Float ratio, byte[] raw, String doc) {}

    @Test
    void valuesWhoseJsonDependsOnSessionSettingsAreWrittenExactly() {
        SchemaBuilder s = Schema.builder().timestamps(false);
        Model<Probe> probes = s.define(Probe.class);
        Model<Sample> samples = s.define(Sample.class, m -> m.attribute("doc", DataType.jsonb()));
        HasMany<Probe, Sample> probeSamples = probes.hasMany(samples, o -> o.as("samples"));
        s.build();

        SelectPlan<Probe> plan = Statements.select(Query.from(probes).include(probeSamples, i -> i.strategy(AGGREGATE)));

        // jsonb as its text (a JSON null stays apart from SQL NULL); bytea, float8 and float4 as hex whatever
        // bytea_output and extra_float_digits say
        assertThat(plan.statement().sql()).contains(q("json_build_array(`t1`.`id`, `t1`.`probeId`, "
                + "encode(float8send(`t1`.`reading`), 'hex'), encode(float4send(`t1`.`ratio`), 'hex'), "
                + "encode(`t1`.`raw`, 'hex'), `t1`.`doc`::text)"));
        Probe probe = assemble(plan, List.of(row(1L, "[[5, 1, \"3fb999999999999a\", \"3dcccccd\", \"00ff\", \"null\"], "
                + "[6, 1, null, null, null, null]]"))).get(0);
        Sample first = probe.samples().get(0);
        assertThat(first.reading()).isEqualTo(0.1);
        assertThat(first.ratio()).isEqualTo(0.1f);
        assertThat(first.raw()).containsExactly(0x00, 0xff);
        assertThat(first.doc()).isEqualTo("null");
        assertThat(probe.samples().get(1)).isEqualTo(new Sample(6L, 1L, null, null, null, null));
    }

    record Dial(Long id, List<Gauge> gauges) {}

    record Gauge(Long id, Long dialId, BigDecimal level, String meta, String[] tags) {}

    @Test
    void aDoubleReadAsBigDecimalIsAJsonNumberAJsonColumnItsTextAndAnArrayIsRejected() {
        SchemaBuilder s = Schema.builder().timestamps(false);
        Model<Dial> dials = s.define(Dial.class);
        Model<Gauge> gauges = s.define(Gauge.class, m -> {
            m.attribute("level", DataType.doublePrecision());
            m.attribute("meta", new DataType("JSON", String.class));
            m.attribute("tags", new DataType("TEXT[]", String[].class));
        });
        HasMany<Dial, Gauge> dialGauges = dials.hasMany(gauges, o -> o.as("gauges"));
        s.build();

        SelectPlan<Dial> plan = Statements.select(Query.from(dials)
                .include(dialGauges, i -> i.strategy(AGGREGATE).attributes("id", "dialId", "level", "meta")));
        assertThat(plan.statement().sql()).contains(q("json_build_array(`t1`.`id`, `t1`.`dialId`, `t1`.`level`, "
                + "`t1`.`meta`::text)"));
        Gauge g = assemble(plan, List.of(row(1L, "[[5, 1, 2.5, \"[1, \\\"x\\\"]\"]]"))).get(0).gauges().get(0);
        assertThat(g.level()).isEqualTo(new BigDecimal("2.5"));
        assertThat(g.meta()).isEqualTo("[1, \"x\"]");

        assertThatThrownBy(() -> Statements.select(Query.from(dials).include(dialGauges, i -> i.strategy(AGGREGATE))))
                .isInstanceOf(QueryDefinitionException.class)
                .hasMessageContaining("attribute 'tags' of Gauge is an array (TEXT[])");
    }

    @Test
    void aSeparateIncludeBelowAnAggregateIsRejectedBeforeSql() {
        assertThatThrownBy(() -> Statements.select(Query.from(teams).include(teamPlayers, i -> i.strategy(AGGREGATE)
                .include(playerGoals, g -> g.strategy(Include.Strategy.SEPARATE)))))
                .isInstanceOf(QueryDefinitionException.class)
                .hasMessageContaining("include 'goals' of Player uses the SEPARATE strategy below the AGGREGATE include"
                        + " 'players'");
    }

    @Test
    void aRootPathIntoAnAggregateIncludeIsRejectedNamingIt() {
        assertThatThrownBy(() -> Statements.select(Query.from(teams).orderBy(Order.asc("players.name"))
                .include(teamPlayers, i -> i.strategy(AGGREGATE))))
                .isInstanceOf(QueryDefinitionException.class)
                .hasMessageContaining("'players.name' refers to include 'players' of Team, read from a JSON array");
        assertThatThrownBy(() -> Statements.select(Query.from(teams).where(Where.eq("players.name", "x"))
                .include(teamPlayers, i -> i.strategy(AGGREGATE))))
                .isInstanceOf(QueryDefinitionException.class)
                .hasMessageContaining("include 'players' of Team, read from a JSON array (the AGGREGATE strategy)");
    }

    @Test
    void anAggregateIncludeOrderMustBeOnItsOwnAttributes() {
        assertThatThrownBy(() -> Statements.select(Query.from(teams).include(teamPlayers, i -> i.strategy(AGGREGATE)
                .orderBy(Order.asc("goals.minute")).include(playerGoals))))
                .isInstanceOf(QueryDefinitionException.class)
                .hasMessageContaining("include 'players' of Team uses the AGGREGATE strategy, so its order must be on"
                        + " attributes of Player itself, not 'goals.minute'");
    }

    @Test
    void aProjectionRejectsAnAggregateInclude() {
        assertThatThrownBy(() -> Statements.project(Query.from(teams).include(teamPlayers, i -> i.strategy(AGGREGATE)),
                Projection.of(Projection.attribute("name")), Map.class))
                .isInstanceOf(QueryDefinitionException.class)
                .hasMessageContaining("include 'players' of Team uses the AGGREGATE strategy; a projection");
    }

    @Test
    void theJsonArraysAreReadIntoEntitiesByPositionWithEscapesNestedArraysAndNulls() {
        SelectPlan<Team> plan = Statements.select(Query.from(teams)
                .include(teamPlayers, i -> i.strategy(AGGREGATE).include(playerGoals)));

        List<Team> roots = assemble(plan, List.of(
                row(1L, "Lions", "[[10, \"Ann \\\"A\\\" \\\\ \\u00e9\\n\", 7, 1, [[100, 12, 10], [101, null, 10]]], "
                        + "\n [11, \"Bo\", null, 1, null]]"),
                row(2L, "Tigers", null)));

        assertThat(roots).containsExactly(
                new Team(1L, "Lions", List.of(
                        new Player(10L, "Ann \"A\" \\ \u00e9\n", 7, 1L, null,
                                List.of(new Goal(100L, 12, 10L), new Goal(101L, null, 10L))),
                        new Player(11L, "Bo", null, 1L, null, List.of())), null),
                new Team(2L, "Tigers", List.of(), null));
    }

    @Test
    void junctionAttributesAndAToOneComeBackFromTheArray() {
        SelectPlan<Movie> movie = Statements.select(Query.from(movies).include(movieActors, i -> i.strategy(AGGREGATE)));
        assertThat(assemble(movie, List.of(row(1L, "Heat", "[[5, \"Al\", 1, 5, \"Vincent\"]]"))))
                .containsExactly(new Movie(1L, "Heat", List.of(new Actor(5L, "Al", new Casting(1L, 5L, "Vincent"), null))));

        SelectPlan<Player> player = Statements.select(Query.from(players).include(playerTeam, i -> i.strategy(AGGREGATE)));
        assertThat(assemble(player, List.of(row(10L, "Ann", 7, 1L, "[[1, \"Lions\"]]"), row(11L, "Bo", 8, null, null))))
                .containsExactly(new Player(10L, "Ann", 7, 1L, new Team(1L, "Lions", null, null), null),
                        new Player(11L, "Bo", 8, null, null, null));
    }

    @Test
    void aMalformedArrayFailsNamingTheIncludeAndTheOffset() {
        SelectPlan<Team> plan = Statements.select(Query.from(teams).include(teamPlayers, i -> i.strategy(AGGREGATE)));

        assertThatThrownBy(() -> assemble(plan, List.of(row(1L, "Lions", "[[10, \"Ann\", 7]]"))))
                .isInstanceOf(RelataException.class)
                .hasMessageContaining("include 'players' (Player, AGGREGATE strategy): its JSON array could not be read")
                .hasMessageContaining("an array ended before the values the plan laid out");
        assertThatThrownBy(() -> assemble(plan, List.of(row(1L, "Lions", "[[\"ten\", \"Ann\", 7, 1]]"))))
                .isInstanceOf(RelataException.class)
                .hasMessageContaining("attribute 'id' (BIGINT)");
    }
}
