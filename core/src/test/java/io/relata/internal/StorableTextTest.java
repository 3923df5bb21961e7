package io.relata.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What PostgreSQL cannot store as text or jsonb, found by {@link Values#defect}. */
class StorableTextTest {

    @Test
    void textPostgreSqlCanStorePasses() {
        assertThat(Values.defect("", false)).isNull();
        assertThat(Values.defect("plain ? text", false)).isNull();
        assertThat(Values.defect("pair \uD83D\uDE00 at the end \uD83D\uDE00", false)).isNull();
        assertThat(Values.defect("a \\u0000 as six characters of text", false)).isNull();
    }

    @Test
    void nulAndLoneSurrogatesAreFoundWithTheirIndex() {
        assertThat(Values.defect("nul\u0000", false)).isEqualTo("a NUL character (U+0000) at index 3");
        assertThat(Values.defect("bad\uD83Dsurrogate", false)).isEqualTo("a lone UTF-16 surrogate (U+D83D) at index 3");
        assertThat(Values.defect("\uDE00", false)).isEqualTo("a lone UTF-16 surrogate (U+DE00) at index 0");
        assertThat(Values.defect("end\uD83D", false)).isEqualTo("a lone UTF-16 surrogate (U+D83D) at index 3");
        assertThat(Values.defect("\uD83D\uD83D\uDE00", false)).isEqualTo("a lone UTF-16 surrogate (U+D83D) at index 0");
    }

    @Test
    void jsonEscapesJsonbRejectsAreFound() {
        assertThat(Values.defect("{\"a\":\"\\u0000\"}", true)).isEqualTo("the JSON escape \\u0000 at index 6 (jsonb cannot hold U+0000)");
        assertThat(Values.defect("[\"\\uD83D\"]", true)).isEqualTo("a JSON escape of a lone UTF-16 surrogate (U+D83D) at index 2");
        assertThat(Values.defect("[\"\\uDE00\\uD83D\"]", true)).startsWith("a JSON escape of a lone UTF-16 surrogate (U+DE00)");
        assertThat(Values.defect("[\"\\uD83D\\u0041\"]", true)).startsWith("a JSON escape of a lone UTF-16 surrogate (U+D83D)");
    }

    @Test
    void jsonEscapesJsonbAcceptsPass() {
        assertThat(Values.defect("[\"\\uD83D\\uDE00\", \"\\u00e9\", \"\\\\u0000\", \"\\n\\\\\"]", true)).isNull();
        assertThat(Values.defect("{\"a\":\"\\u0000\"}", false)).as("only jsonb reads escapes").isNull();
        assertThat(Values.defect("[\"\\u00\"]", true)).as("not an escape PostgreSQL reads as U+0000").isNull();
    }
}
