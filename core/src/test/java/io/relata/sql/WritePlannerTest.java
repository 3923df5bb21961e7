package io.relata.sql;

import io.relata.plan.Statements;
import static io.relata.sql.SelectPlannerTest.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.DataType;
import io.relata.HasMany;
import io.relata.Model;
import io.relata.QueryDefinitionException;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.internal.WritePlanner;
import io.relata.query.Order;
import io.relata.query.Query;
import io.relata.query.Where;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Exact INSERT ... RETURNING, UPDATE and DELETE text and binds. */
class WritePlannerTest {

    enum Position { GOALKEEPER, STRIKER }

    record Team(Long id, String name, List<Player> players) {}
    record Player(Long id, String name, Integer number, Position position, Long TeamId) {}
    record Note(Long id, String text) {}
    record Doc(UUID id, String body, String meta) {}

    static final Model<Team> teams;
    static final Model<Player> players;
    static final HasMany<Team, Player> teamPlayers;
    static final Model<Note> notes;
    static final Model<Doc> docs;

    static {
        SchemaBuilder s = Schema.builder();
        teams = s.define(Team.class);
        players = s.define(Player.class);
        teamPlayers = teams.hasMany(players, o -> o.as("players"));
        notes = s.define(Note.class, m -> m.timestamps(false));
        docs = s.define(Doc.class, m -> m.attribute("meta", DataType.jsonb()));
        s.build();
    }

    private static SqlStatement single(List<? extends SelectPlan<?>> plans) {
        assertThat(plans).hasSize(1);
        return plans.get(0).statement();
    }

    @Nested
    class Insert {

        @Test
        void oneRowLeavesTheGeneratedKeyOutAndStampsTimestamps() {
            SqlStatement st = single(Statements.insert(teams, List.of(new Team(null, "Red", null))));

            assertThat(st.sql()).isEqualTo(q("INSERT INTO `Teams` (`name`, `createdAt`, `updatedAt`) "
                    + "VALUES ($1, now(), now()) RETURNING `id`, `name`"));
            assertThat(st.values()).containsExactly("Red");
        }

        @Test
        void multiRowUsesDefaultForAMissingGeneratedKeyAndNullForAMissingValue() {
            SqlStatement st = single(Statements.insert(players, List.of(
                    new Player(null, "Ann", 9, Position.STRIKER, 5L),
                    new Player(7L, "Bob", null, null, null))));

            assertThat(st.sql()).isEqualTo(q("INSERT INTO `Players` (`id`, `name`, `number`, `position`, `TeamId`, "
                    + "`createdAt`, `updatedAt`) VALUES (DEFAULT, $1, $2, $3, $4, now(), now()), "
                    + "($5, $6, $7, $8, $9, now(), now()) "
                    + "RETURNING `id`, `name`, `number`, `position`, `TeamId`"));
            assertThat(st.values()).containsExactly("Ann", 9, "STRIKER", 5L, 7L, "Bob", null, null, null);
            assertThat(st.binds().get(6).type()).isEqualTo(Integer.class);
            assertThat(st.binds().get(7).type()).isEqualTo(String.class);
        }

        @Test
        void columnsAllRowsLeaveNullAreLeftOut() {
            SqlStatement st = single(Statements.insert(players, List.of(new Player(null, "Ann", null, null, null))));

            assertThat(st.sql()).isEqualTo(q("INSERT INTO `Players` (`name`, `createdAt`, `updatedAt`) "
                    + "VALUES ($1, now(), now()) RETURNING `id`, `name`, `number`, `position`, `TeamId`"));
        }

        @Test
        void rowsWithNothingToWriteUseDefaultValues() {
            SqlStatement st = single(Statements.insert(notes, List.of(new Note(null, null), new Note(null, null))));

            assertThat(st.sql()).isEqualTo(q("INSERT INTO `Notes` (`id`) VALUES (DEFAULT), (DEFAULT) RETURNING `id`, `text`"));
            assertThat(st.binds()).isEmpty();
        }

        @Test
        void fixedValuesOverrideEveryRow() {
            SqlStatement st = single(Statements.insert(players,
                    List.of(new Player(null, "Ann", null, null, 99L)), Map.of("TeamId", 3L)));

            assertThat(st.sql()).isEqualTo(q("INSERT INTO `Players` (`name`, `TeamId`, `createdAt`, `updatedAt`) "
                    + "VALUES ($1, $2, now(), now()) RETURNING `id`, `name`, `number`, `position`, `TeamId`"));
            assertThat(st.values()).containsExactly("Ann", 3L);
        }

        @Test
        void uuidKeyIsGeneratedByTheDatabaseAndJsonbIsWrittenAndReadAsText() {
            SqlStatement st = single(Statements.insert(docs, List.of(new Doc(null, "x", "{\"a\":1}"))));

            assertThat(st.sql()).isEqualTo(q("INSERT INTO `Docs` (`body`, `meta`, `createdAt`, `updatedAt`) "
                    + "VALUES ($1, $2::jsonb, now(), now()) RETURNING `id`, `body`, `meta`::text"));
            assertThat(st.values()).containsExactly("x", "{\"a\":1}");
            assertThat(Statements.select(Query.from(docs)).statement().sql()).isEqualTo(q(
                    "SELECT `t0`.`id` AS `c0`, `t0`.`body` AS `c1`, `t0`.`meta`::text AS `c2` FROM `Docs` AS `t0`"));
        }

        @Test
        void manyRowsAreSplitIntoChunksWithinTheBindLimit() {
            List<Player> many = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                many.add(new Player(null, "p" + i, i, null, null));
            }

            List<SelectPlan<Player>> plans = Statements.insert(players, many);

            assertThat(plans).hasSizeGreaterThan(1);
            assertThat(plans).allSatisfy(p -> assertThat(p.statement().binds()).hasSizeLessThanOrEqualTo(WritePlanner.MAX_BINDS));
            assertThat(plans.stream().mapToInt(p -> p.statement().binds().size()).sum()).isEqualTo(40_000);
            assertThat(plans.get(0).statement().binds().get(0).value()).isEqualTo("p0");
            SqlStatement last = plans.get(plans.size() - 1).statement();
            assertThat(last.binds().get(last.binds().size() - 1).value()).isEqualTo(19_999);
        }

        @Test
        void anEntityOfAnotherModelIsRejected() {
            @SuppressWarnings({"unchecked", "rawtypes"})
            List<Team> wrong = (List) List.of(new Note(null, "x"));

            assertThatThrownBy(() -> Statements.insert(teams, wrong)).isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContainingAll("Note", "Team");
        }

        @Test
        void aFixedValueForAnUnknownAttributeIsRejected() {
            assertThatThrownBy(() -> Statements.insert(players, List.of(new Player(null, "a", null, null, null)),
                    Map.of("clubId", 1L))).isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContainingAll("'clubId'", "Player");
        }
    }

    @Nested
    class Update {

        @Test
        void updateSetsUpdatedAtToNow() {
            SqlStatement st = Statements.update(Query.from(players).where(Where.eq("id", 3)), Map.of("name", "Zed"));

            assertThat(st.sql()).isEqualTo(q("UPDATE `Players` AS `t0` SET `name` = $1, `updatedAt` = now() "
                    + "WHERE `t0`.`id` = $2"));
            assertThat(st.values()).containsExactly("Zed", 3L);
        }

        @Test
        void nullAndEnumValues() {
            Map<String, Object> changes = new LinkedHashMap<>();
            changes.put("number", null);
            changes.put("position", Position.GOALKEEPER);

            SqlStatement st = Statements.update(Query.from(players).where(Where.in("id", 1L, 2L)), changes);

            assertThat(st.sql()).isEqualTo(q("UPDATE `Players` AS `t0` SET `number` = $1, `position` = $2, "
                    + "`updatedAt` = now() WHERE `t0`.`id` = ANY($3)"));
            assertThat(st.values()).containsExactly(null, "GOALKEEPER", new Long[] {1L, 2L});
            assertThat(st.binds().get(0).type()).isEqualTo(Integer.class);
        }

        @Test
        void withoutTimestampsAndWithoutWhere() {
            SqlStatement st = Statements.update(Query.from(notes), Map.of("text", "t"));

            assertThat(st.sql()).isEqualTo(q("UPDATE `Notes` AS `t0` SET `text` = $1"));
            assertThat(st.values()).containsExactly("t");
        }

        @Test
        void anExplicitUpdatedAtIsNotSetTwice() {
            java.time.OffsetDateTime at = java.time.OffsetDateTime.parse("2024-01-01T00:00:00Z");
            Map<String, Object> changes = new LinkedHashMap<>();
            changes.put("name", "x");
            changes.put("updatedAt", at);

            SqlStatement st = Statements.update(Query.from(teams), changes);

            assertThat(st.sql()).isEqualTo(q("UPDATE `Teams` AS `t0` SET `name` = $1, `updatedAt` = $2"));
            assertThat(st.values()).containsExactly("x", at);
        }

        @Test
        void rejectsNoChangesUnknownAttributesNullForNotNullAndIncludes() {
            assertThatThrownBy(() -> Statements.update(Query.from(players), Map.of()))
                    .isInstanceOf(QueryDefinitionException.class).hasMessageContaining("Player");
            assertThatThrownBy(() -> Statements.update(Query.from(players), Map.of("shirt", 1)))
                    .isInstanceOf(QueryDefinitionException.class).hasMessageContainingAll("'shirt'", "Player");
            Map<String, Object> nullCreatedAt = new LinkedHashMap<>();
            nullCreatedAt.put("createdAt", null);
            assertThatThrownBy(() -> Statements.update(Query.from(players), nullCreatedAt))
                    .isInstanceOf(QueryDefinitionException.class).hasMessageContainingAll("'createdAt'", "NOT NULL");
            assertThatThrownBy(() -> Statements.update(Query.from(teams).include(teamPlayers), Map.of("name", "x")))
                    .isInstanceOf(QueryDefinitionException.class).hasMessageContaining("Team");
            assertThatThrownBy(() -> Statements.update(Query.from(teams).orderBy(Order.asc("name")).limit(1),
                    Map.of("name", "x"))).isInstanceOf(QueryDefinitionException.class);
        }

        @Test
        void aPathOutsideTheRootIsRejected() {
            Query<Team> query = Query.from(teams).where(Where.eq("players.number", 1));

            assertThatThrownBy(() -> Statements.update(query, Map.of("name", "x")))
                    .isInstanceOf(QueryDefinitionException.class).hasMessageContainingAll("players.number", "Team");
        }

        @Test
        void aValueOfTheWrongTypeIsRejected() {
            assertThatThrownBy(() -> Statements.update(Query.from(players), Map.of("number", "nine")))
                    .isInstanceOf(QueryDefinitionException.class).hasMessageContainingAll("nine", "'number'");
        }
    }

    @Nested
    class Delete {

        @Test
        void deleteWithWhere() {
            SqlStatement st = Statements.delete(Query.from(players).where(Where.eq("TeamId", 4L)));

            assertThat(st.sql()).isEqualTo(q("DELETE FROM `Players` AS `t0` WHERE `t0`.`TeamId` = $1"));
            assertThat(st.values()).containsExactly(4L);
        }

        @Test
        void deleteAll() {
            SqlStatement st = Statements.delete(Query.from(players));

            assertThat(st.sql()).isEqualTo(q("DELETE FROM `Players` AS `t0`"));
            assertThat(st.binds()).isEmpty();
        }

        @Test
        void deleteRejectsAWindow() {
            assertThatThrownBy(() -> Statements.delete(Query.from(players).limit(1)))
                    .isInstanceOf(QueryDefinitionException.class).hasMessageContainingAll("destroy", "Player");
        }
    }
}
