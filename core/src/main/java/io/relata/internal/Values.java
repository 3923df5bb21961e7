package io.relata.internal;

import io.relata.Attribute;
import io.relata.QueryDefinitionException;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
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

    /** @param c a class @return its wrapper when primitive */
    public static Class<?> box(Class<?> c) {
        if (!c.isPrimitive()) {
            return c;
        }
        return Array.get(Array.newInstance(c, 1), 0).getClass();
    }
}
