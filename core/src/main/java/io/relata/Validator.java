package io.relata;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A check of one attribute's value (Sequelize's {@code validate: { isEmail: true, len: [2, 10] }}), declared
 * with {@link AttributeSpec#validate}. Validators run on create, bulkCreate, update, save, upsert and on
 * junction through values, before any SQL; a null value is not checked (that is {@code allowNull}'s job, and
 * the column's {@code NOT NULL}). Immutable and thread-safe.
 */
public final class Validator {
    private static final Pattern EMAIL = Pattern.compile(
            "^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                    + "@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");

    private final String name;
    private final String message;
    private final Predicate<Object> test;

    private Validator(String name, String message, Predicate<Object> test) {
        this.name = Objects.requireNonNull(name, "name");
        this.message = Objects.requireNonNull(message, "message");
        this.test = Objects.requireNonNull(test, "test");
    }

    /** @return the validator's name, as reported in a {@link ValidationException.Violation} */
    public String name() {
        return name;
    }

    /** @return the message reported when the check fails */
    public String message() {
        return message;
    }

    /**
     * @param value a non-null value
     * @return whether it passes
     * @throws NullPointerException when {@code value} is null (null is NOT NULL's business, not a validator's)
     */
    public boolean test(Object value) {
        return test.test(Objects.requireNonNull(value, "value"));
    }

    /**
     * @param message the message to report instead of the default one (Sequelize's {@code msg})
     * @return this check with that message
     */
    public Validator withMessage(String message) {
        return new Validator(name, message, test);
    }

    /**
     * A custom check.
     *
     * @param name its name in violations
     * @param message what is reported when it fails
     * @param test receives the non-null value; true when valid
     * @return the validator
     */
    public static Validator of(String name, String message, Predicate<Object> test) {
        return new Validator(name, message, test);
    }

    /** @return rejects empty (or only white-space) strings, and empty collections, maps and arrays */
    public static Validator notEmpty() {
        return new Validator("notEmpty", "must not be empty", v -> {
            if (v instanceof CharSequence s) {
                return !s.toString().isBlank();
            }
            if (v instanceof Collection<?> c) {
                return !c.isEmpty();
            }
            if (v instanceof Map<?, ?> m) {
                return !m.isEmpty();
            }
            if (v.getClass().isArray()) {
                return Array.getLength(v) > 0;
            }
            return true;
        });
    }

    /**
     * @param min the least length
     * @param max the greatest length
     * @return a string (or collection, array) length between {@code min} and {@code max}, inclusive
     */
    public static Validator len(int min, int max) {
        if (min < 0 || max < min) {
            throw new ModelDefinitionException("len(" + min + ", " + max + "): needs 0 <= min <= max");
        }
        return new Validator("len", "length must be between " + min + " and " + max, v -> {
            int n = v instanceof CharSequence s ? s.toString().codePointCount(0, s.length())
                    : v instanceof Collection<?> c ? c.size()
                    : v.getClass().isArray() ? Array.getLength(v) : v.toString().length();
            return n >= min && n <= max;
        });
    }

    /** @return a string that is an e-mail address ({@code local@domain.tld}) */
    public static Validator isEmail() {
        return new Validator("isEmail", "must be an e-mail address", v -> EMAIL.matcher(v.toString()).matches());
    }

    /** @return a string that is an absolute http, https or ftp URL with a host */
    public static Validator isUrl() {
        return new Validator("isUrl", "must be a URL", v -> {
            try {
                URI uri = new URI(v.toString());
                String scheme = uri.getScheme();
                return scheme != null && List.of("http", "https", "ftp").contains(scheme.toLowerCase(Locale.ROOT))
                        && uri.getHost() != null && !uri.getHost().isEmpty();
            } catch (URISyntaxException e) {
                return false;
            }
        });
    }

    /**
     * @param min the least value
     * @return a number not below {@code min}
     */
    public static Validator min(Number min) {
        BigDecimal bound = decimal(Objects.requireNonNull(min, "min"));
        return new Validator("min", "must be at least " + min, v -> v instanceof Number n && decimal(n).compareTo(bound) >= 0);
    }

    /**
     * @param max the greatest value
     * @return a number not above {@code max}
     */
    public static Validator max(Number max) {
        BigDecimal bound = decimal(Objects.requireNonNull(max, "max"));
        return new Validator("max", "must be at most " + max, v -> v instanceof Number n && decimal(n).compareTo(bound) <= 0);
    }

    private static BigDecimal decimal(Number n) {
        return n instanceof BigDecimal d ? d : new BigDecimal(n.toString());
    }

    /**
     * @param regex a regular expression ({@link Pattern})
     * @return a value whose text matches it entirely (Sequelize's {@code is})
     */
    public static Validator pattern(String regex) {
        Pattern p = Pattern.compile(Objects.requireNonNull(regex, "regex"));
        return new Validator("pattern", "must match " + regex, v -> p.matcher(v.toString()).matches());
    }

    /**
     * @param allowed the allowed values (compared with {@code equals}; enums also by name)
     * @return a value that is one of them
     */
    public static Validator isIn(Object... allowed) {
        List<Object> values = List.copyOf(Arrays.asList(Args.elements(allowed, "allowed")));
        return new Validator("isIn", "must be one of " + values, v -> values.contains(v)
                || (v instanceof Enum<?> e && values.contains(e.name())));
    }

    @Override
    public String toString() {
        return name;
    }
}
