package io.relata.internal;

import io.relata.Attribute;
import io.relata.DataType;
import io.relata.QueryDefinitionException;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** Converts between entity values and what the driver binds and decodes. */
public final class Values {
    private Values() {
    }

    /** @param attribute an attribute @return the Java type the column is decoded as (enums as String) */
    public static Class<?> wireType(Attribute attribute) {
        Class<?> t = attribute.javaType();
        if (t.isEnum()) {
            return String.class;
        }
        if (t == Object.class) {
            return attribute.type().javaType();
        }
        return t;
    }

    /**
     * @param attribute the attribute a value is for
     * @param value a user or entity value
     * @return the value as it is bound: enums by name, numbers widened/narrowed to the column's type
     */
    public static @Nullable Object toWire(Attribute attribute, @Nullable Object value) {
        if (value == null) {
            return null;
        }
        requireStorable(attribute, value, () -> "the value for attribute '" + attribute.name() + "'");
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        Class<?> target = attribute.type().javaType();
        if (value instanceof Number n && Number.class.isAssignableFrom(target) && !target.isInstance(value)) {
            if (target == Long.class || target == Integer.class || target == Short.class) {
                long integral = integral(attribute, n);
                long min = target == Long.class ? Long.MIN_VALUE : target == Integer.class ? Integer.MIN_VALUE : Short.MIN_VALUE;
                long max = target == Long.class ? Long.MAX_VALUE : target == Integer.class ? Integer.MAX_VALUE : Short.MAX_VALUE;
                if (integral < min || integral > max) {
                    throw new QueryDefinitionException("value " + value + " is out of range for attribute '"
                            + attribute.name() + "' (" + attribute.type().sql() + ")");
                }
                return target == Long.class ? (Object) integral
                        : target == Integer.class ? (Object) (int) integral : (Object) (short) integral;
            }
            if (target == Double.class) {
                return n.doubleValue();
            }
            if (target == Float.class) {
                return n.floatValue();
            }
            if (target == BigDecimal.class) {
                return n instanceof BigInteger bi ? new BigDecimal(bi) : new BigDecimal(n.toString());
            }
        }
        if (attribute.javaType() != Object.class && !box(attribute.javaType()).isInstance(value)
                && !target.isInstance(value)) {
            throw new QueryDefinitionException("value " + value + " (" + value.getClass().getSimpleName()
                    + ") does not fit attribute '" + attribute.name() + "' of type " + attribute.javaType().getSimpleName());
        }
        return value;
    }

    private static long integral(Attribute attribute, Number n) {
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
            return n.longValue();
        }
        try {
            BigDecimal d = n instanceof BigDecimal b ? b : n instanceof BigInteger bi ? new BigDecimal(bi)
                    : new BigDecimal(n.toString());
            return d.longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new QueryDefinitionException("value " + n + " does not fit attribute '" + attribute.name()
                    + "' (" + attribute.type().sql() + "): it is not a whole number in range");
        }
    }

    /** @param attribute the attribute @return the class a value of it is bound as */
    public static Class<?> bindType(Attribute attribute) {
        Class<?> t = attribute.type().javaType();
        return t;
    }

    /**
     * @param attribute the attribute the value was read for
     * @param raw the decoded value
     * @return the value as the entity property wants it
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static @Nullable Object fromWire(Attribute attribute, @Nullable Object raw) {
        if (raw == null) {
            return null;
        }
        Class<?> t = attribute.javaType();
        if (t.isEnum() && raw instanceof String s) {
            return Enum.valueOf((Class) t, s);
        }
        return raw;
    }

    /**
     * Rejects a string PostgreSQL cannot store: a NUL character (text cannot hold U+0000), a lone UTF-16
     * surrogate (it has no UTF-8 form; the driver's encoder would silently write {@code ?} instead), and in
     * a JSONB value a <code>&#92;u0000</code> escape or an escape of a lone surrogate (jsonb rejects both).
     *
     * @param attribute the column the value is bound for
     * @param value a value (only strings are checked)
     * @param subject what the value is, for the message (e.g. {@code "User.name"}, {@code "where value for 'name'"})
     * @throws QueryDefinitionException naming the subject, the defect and its index
     */
    public static void requireStorable(Attribute attribute, @Nullable Object value, Supplier<String> subject) {
        if (value instanceof String s) {
            String defect = defect(s, attribute.type().kind() == DataType.Kind.JSONB);
            if (defect != null) {
                throw new QueryDefinitionException(subject.get() + " contains " + defect + ", which PostgreSQL"
                        + " cannot store; it is rejected before any SQL instead of being changed on the way");
            }
        }
    }

    /** @return what in {@code s} PostgreSQL cannot store, or null when it can store all of it */
    static @Nullable String defect(String s, boolean json) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                return "a NUL character (U+0000) at index " + i;
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "a lone UTF-16 surrogate (" + codePoint(c) + ") at index " + i;
            } else if (json && c == '\\' && i + 1 < s.length()) {
                int escaped = i + 5 < s.length() && s.charAt(i + 1) == 'u' ? hex(s, i + 2) : -1;
                if (escaped == 0) {
                    return "the JSON escape \\u0000 at index " + i + " (jsonb cannot hold U+0000)";
                }
                if (escaped >= 0 && Character.isSurrogate((char) escaped)) {
                    boolean paired = Character.isHighSurrogate((char) escaped) && i + 11 < s.length()
                            && s.charAt(i + 6) == '\\' && s.charAt(i + 7) == 'u'
                            && hex(s, i + 8) >= 0 && Character.isLowSurrogate((char) hex(s, i + 8));
                    if (!paired) {
                        return "a JSON escape of a lone UTF-16 surrogate (" + codePoint((char) escaped) + ") at index " + i;
                    }
                    i += 11;
                } else {
                    i += escaped >= 0 ? 5 : 1;
                }
            }
        }
        return null;
    }

    private static String codePoint(char c) {
        return String.format(Locale.ROOT, "U+%04X", (int) c);
    }

    /** @return the value of the four hex digits at {@code from}, or -1 */
    private static int hex(String s, int from) {
        if (from + 4 > s.length()) {
            return -1;
        }
        int v = 0;
        for (int k = from; k < from + 4; k++) {
            int d = Character.digit(s.charAt(k), 16);
            if (d < 0) {
                return -1;
            }
            v = v * 16 + d;
        }
        return v;
    }

    /** @param c a class @return its wrapper when primitive */
    public static Class<?> box(Class<?> c) {
        if (!c.isPrimitive()) {
            return c;
        }
        return Array.get(Array.newInstance(c, 1), 0).getClass();
    }
}
