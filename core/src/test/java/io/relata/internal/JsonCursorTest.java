package io.relata.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Reading PostgreSQL's {@code json_agg} text by position: numbers in place, escapes, embedded JSONB, errors. */
class JsonCursorTest {

    @Test
    void wholeNumbersAreReadInPlaceToTheEdgesOfLong() {
        JsonCursor json = new JsonCursor("[0, -7, 9223372036854775807, -9223372036854775808, 42]");
        json.open();
        assertThat(json.next(true)).isTrue();
        assertThat(json.longValue()).isZero();
        json.next(false);
        assertThat(json.longValue()).isEqualTo(-7L);
        json.next(false);
        assertThat(json.longValue()).isEqualTo(Long.MAX_VALUE);
        json.next(false);
        assertThat(json.longValue()).isEqualTo(Long.MIN_VALUE);
        json.next(false);
        assertThat(json.longValue()).isEqualTo(42L);
        assertThat(json.next(false)).isFalse();
        json.end();
    }

    @Test
    void aNumberThatIsNotAWholeLongIsANumberFormatError() {
        for (String text : new String[] {"[9223372036854775808]", "[1.5]", "[1e3]", "[\"7\"]", "[-]"}) {
            JsonCursor json = new JsonCursor(text);
            json.open();
            json.next(true);
            assertThatThrownBy(json::longValue).as(text).isInstanceOf(NumberFormatException.class);
        }
    }

    @Test
    void stringsAreUnescapedAndEmbeddedJsonIsKeptAsWritten() {
        JsonCursor json = new JsonCursor("[\"plain\", \"q\\\"b\\\\s\\/\\b\\f\\n\\r\\t\\u0001\\ud83d\\ude00\", "
                + "{\"a\": [1, \"]\"], \"b\": {\"c\": null}}, [1, [2]], \"s\", true, false, null]");
        json.open();
        json.next(true);
        assertThat(json.string()).isEqualTo("plain");
        json.next(false);
        assertThat(json.string()).isEqualTo("q\"b\\s/\b\f\n\r\t\u0001\ud83d\ude00");
        json.next(false);
        assertThat(json.raw()).isEqualTo("{\"a\": [1, \"]\"], \"b\": {\"c\": null}}");
        json.next(false);
        assertThat(json.raw()).isEqualTo("[1, [2]]");
        json.next(false);
        assertThat(json.raw()).isEqualTo("\"s\"");
        json.next(false);
        assertThat(json.booleanValue()).isTrue();
        json.next(false);
        assertThat(json.booleanValue()).isFalse();
        json.next(false);
        assertThat(json.nullValue()).isTrue();
        assertThat(json.next(false)).isFalse();
        json.end();
    }

    @Test
    void malformedTextFailsNamingTheOffset() {
        JsonCursor unterminated = new JsonCursor("[\"abc");
        unterminated.open();
        unterminated.next(true);
        assertThatThrownBy(unterminated::string).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("an unterminated string");
        JsonCursor separator = new JsonCursor("[1 2]");
        separator.open();
        separator.next(true);
        separator.longValue();
        assertThatThrownBy(() -> separator.next(false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'2' where ',' was expected at offset 3");
        JsonCursor trailing = new JsonCursor("[] x");
        trailing.open();
        trailing.next(true);
        assertThatThrownBy(trailing::end).hasMessageContaining("text after the value");
    }
}
