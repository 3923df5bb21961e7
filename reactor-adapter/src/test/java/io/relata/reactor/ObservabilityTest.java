package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.sql.Bind;
import io.relata.sql.SqlStatement;
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
        void theTagsAreWhatThePlannerSaysTheStatementIs() {
            assertThat(Observability.shape(new SqlStatement("UPDATE \"Ships\" SET \"captainId\" = $1", List.of(),
                    "update", "Ships"))).isEqualTo(new Observability.Shape("update", "Ships"));
            assertThat(Observability.shape(new SqlStatement("FETCH FORWARD 256 FROM \"c\"", List.of(), "cursor", null)))
                    .isEqualTo(new Observability.Shape("cursor", "none"));
        }
    }
}
