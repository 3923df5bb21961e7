package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.sql.Bind;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** How the {@code io.relata.sql} log renders binds, and the low-cardinality shape observations are tagged with. */
class ObservabilityTest {

    static String render(Object... values) {
        return Observability.binds(java.util.Arrays.stream(values)
                .map(v -> v == null ? new Bind(null, String.class) : new Bind(v, v.getClass())).toList());
    }

    @Nested
    class Binds {
        @Test
        void scalarsStringsAndNulls() {
            assertThat(render(1L, "Ann", null, true)).isEqualTo("[1, 'Ann', NULL, true]");
        }

        @Test
        void arraysAreListsNotJavaIdentities() {
            assertThat(render((Object) new Long[] {1L, 2L, 3L}, (Object) new int[] {4, 5})).isEqualTo("[[1, 2, 3], [4, 5]]");
            assertThat(render(List.of("a", "b"))).isEqualTo("[['a', 'b']]");
        }

        @Test
        void longStringsAreCutAfterEightyCharacters() {
            assertThat(render("x".repeat(81))).isEqualTo("['" + "x".repeat(80) + "…(81 chars)']");
            assertThat(render("x".repeat(80))).isEqualTo("['" + "x".repeat(80) + "']");
        }

        @Test
        void longArraysShowTheirFirstTwentyElementsAndTheirLength() {
            Long[] keys = new Long[25];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = (long) i;
            }
            assertThat(render((Object) keys)).isEqualTo(
                    "[[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, …(25 elements)]]");
        }

        @Test
        void bytesShowTheirLengthOnly() {
            assertThat(render((Object) new byte[] {1, 2, 3})).isEqualTo("[bytes[3]]");
        }

        @Test
        void otherValuesUseToString() {
            UUID id = UUID.fromString("00000000-0000-0000-0000-000000000001");
            assertThat(render(id)).isEqualTo("[00000000-0000-0000-0000-000000000001]");
        }
    }

    @Nested
    class Shapes {
        @Test
        void operationAndMainTable() {
            assertThat(Observability.shape("SELECT \"t0\".\"id\" AS \"c0\" FROM \"Users\" AS \"t0\" WHERE 1 = 1"))
                    .isEqualTo(new Observability.Shape("select", "Users"));
            assertThat(Observability.shape("INSERT INTO \"Movie\"\"s\" (\"a\") VALUES ($1) RETURNING \"id\""))
                    .isEqualTo(new Observability.Shape("insert", "Movie\"s"));
            assertThat(Observability.shape("UPDATE \"Ships\" SET \"captainId\" = $1"))
                    .isEqualTo(new Observability.Shape("update", "Ships"));
            assertThat(Observability.shape("DELETE FROM \"ActorMovies\" WHERE \"MovieId\" = $1"))
                    .isEqualTo(new Observability.Shape("delete", "ActorMovies"));
            assertThat(Observability.shape("CREATE TABLE IF NOT EXISTS \"Teams\" (\"id\" BIGSERIAL)"))
                    .isEqualTo(new Observability.Shape("ddl", "Teams"));
        }

        @Test
        void cursorStatementsCarryNoCursorName() {
            assertThat(Observability.shape("DECLARE \"relata_cursor_7\" NO SCROLL CURSOR FOR SELECT \"t0\".\"id\" FROM \"Authors\" AS \"t0\""))
                    .isEqualTo(new Observability.Shape("cursor", "Authors"));
            assertThat(Observability.shape("FETCH FORWARD 256 FROM \"relata_cursor_7\""))
                    .isEqualTo(new Observability.Shape("cursor", "none"));
            assertThat(Observability.shape("CLOSE \"relata_cursor_7\"")).isEqualTo(new Observability.Shape("cursor", "none"));
        }

        @Test
        void subqueriesTagTheOuterSelectsFirstTable() {
            assertThat(Observability.shape("SELECT \"t0\".\"id\" FROM (SELECT \"id\" FROM \"Teams\" LIMIT $1) AS \"t0\""))
                    .isEqualTo(new Observability.Shape("select", "Teams"));
        }
    }
}
