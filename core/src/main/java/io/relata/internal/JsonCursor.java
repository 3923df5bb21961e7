package io.relata.internal;

import org.jspecify.annotations.Nullable;

/**
 * A forward-only reader of the JSON PostgreSQL writes for {@code json_agg(json_build_array(...))}: arrays of
 * scalars, nested arrays and embedded JSONB values. It reads values by position, as the plan laid them out,
 * without building a tree; strings without escapes are one {@code substring}. Single-use, not thread-safe.
 * Malformed input is an {@link IllegalArgumentException} naming the offset.
 */
final class JsonCursor {
    private final String text;
    private int at;

    JsonCursor(String text) {
        this.text = text;
    }

    /** Consumes the {@code [} that opens an array. */
    void open() {
        expect('[');
    }

    /**
     * Before each element of an array: consumes the {@code ,} between elements, or the closing {@code ]}.
     *
     * @param first whether no element of this array was read yet
     * @return whether an element follows (false: the array is closed)
     */
    boolean next(boolean first) {
        char c = peek();
        if (c == ']') {
            at++;
            return false;
        }
        if (!first) {
            expect(',');
        }
        return true;
    }

    /** Consumes the {@code ]} that closes an array whose elements were all read. */
    void close() {
        expect(']');
    }

    /** @return whether the next value is {@code null} (then consumed) */
    boolean nullValue() {
        if (peek() == 'n' && text.startsWith("null", at)) {
            at += 4;
            return true;
        }
        return false;
    }

    /** @return whether the next value is a string (not consumed) */
    boolean atString() {
        return peek() == '"';
    }

    /** @return the next value, a string, unescaped */
    String string() {
        expect('"');
        int start = at;
        int n = text.length();
        int end = start;
        char c0 = 0;
        // one pass to the closing quote or the first escape (never past this string)
        while (end < n && (c0 = text.charAt(end)) != '"' && c0 != '\\') {
            end++;
        }
        if (end >= n) {
            throw malformed("an unterminated string");
        }
        if (c0 == '"') {
            at = end + 1;
            return text.substring(start, end);
        }
        StringBuilder out = new StringBuilder(end - start + 16);
        int i = start;
        while (true) {
            if (i >= text.length()) {
                throw malformed("an unterminated string");
            }
            char c = text.charAt(i++);
            if (c == '"') {
                break;
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (i >= text.length()) {
                throw malformed("an unterminated escape");
            }
            char e = text.charAt(i++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (i + 4 > text.length()) {
                        throw malformed("a short \\u escape");
                    }
                    int v = 0;
                    for (int k = 0; k < 4; k++) {
                        int d = Character.digit(text.charAt(i + k), 16);
                        if (d < 0) {
                            throw malformed("a \\u escape with a non-hex digit");
                        }
                        v = v * 16 + d;
                    }
                    out.append((char) v);
                    i += 4;
                }
                default -> throw malformed("the unknown escape \\" + e);
            }
        }
        at = i;
        return out.toString();
    }

    /** @return the next value's text, a number or a literal ({@code true}, {@code false}) */
    String token() {
        peek();
        int start = at;
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == ',' || c == ']' || c == '}' || Character.isWhitespace(c)) {
                break;
            }
            at++;
        }
        if (at == start) {
            throw malformed("a missing value");
        }
        return text.substring(start, at);
    }

    /**
     * @return the next value, a whole number, read in place (no text is cut out of the JSON)
     * @throws NumberFormatException when it is not a whole number that fits a long
     */
    long longValue() {
        peek();
        int i = at;
        int n = text.length();
        boolean negative = i < n && text.charAt(i) == '-';
        if (negative) {
            i++;
        }
        int digits = i;
        long v = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            int d = c - '0';
            if (v > (Long.MAX_VALUE - d) / 10) {
                // beyond Long.MAX_VALUE (or exactly Long.MIN_VALUE): the JDK decides
                return Long.parseLong(token());
            }
            v = v * 10 + d;
            i++;
        }
        if (i == digits || (i < n && ".eE".indexOf(text.charAt(i)) >= 0)) {
            return Long.parseLong(token());
        }
        at = i;
        return negative ? -v : v;
    }

    /** @return the next value, {@code true} or {@code false} */
    boolean booleanValue() {
        char c = peek();
        if (c == 't' && text.startsWith("true", at)) {
            at += 4;
            return true;
        }
        if (c == 'f' && text.startsWith("false", at)) {
            at += 5;
            return false;
        }
        throw new IllegalArgumentException("'" + token() + "' is not a JSON boolean");
    }

    /** @return the next value, a string's content or a number's or literal's text */
    String scalar() {
        return atString() ? string() : token();
    }

    /** @return the next value's JSON text as written (an embedded JSONB value: object, array or scalar) */
    String raw() {
        char c = peek();
        int start = at;
        if (c == '"') {
            string();
        } else if (c == '[' || c == '{') {
            int depth = 0;
            while (at < text.length()) {
                char d = text.charAt(at);
                if (d == '"') {
                    string();
                    continue;
                }
                at++;
                if (d == '[' || d == '{') {
                    depth++;
                } else if (d == ']' || d == '}') {
                    depth--;
                    if (depth == 0) {
                        return text.substring(start, at);
                    }
                }
            }
            throw malformed("an unterminated " + (c == '[' ? "array" : "object"));
        } else {
            token();
        }
        return text.substring(start, at);
    }

    /** Fails unless everything was read (trailing whitespace aside). */
    void end() {
        if (at < text.length()) {
            skipWhitespace();
            if (at < text.length()) {
                throw malformed("text after the value");
            }
        }
    }

    private char peek() {
        skipWhitespace();
        if (at >= text.length()) {
            throw malformed("the end of the text where a value was expected");
        }
        return text.charAt(at);
    }

    private void skipWhitespace() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }

    private void expect(char c) {
        if (peek() != c) {
            throw malformed("'" + text.charAt(at) + "' where '" + c + "' was expected");
        }
        at++;
    }

    private IllegalArgumentException malformed(String what) {
        return new IllegalArgumentException("malformed JSON: " + what + " at offset " + at + " of "
                + excerpt(text));
    }

    private static String excerpt(@Nullable String s) {
        if (s == null) {
            return "null";
        }
        return s.length() <= 120 ? s : s.substring(0, 120) + "...";
    }
}
