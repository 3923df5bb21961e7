package io.relata.internal;

import io.relata.Attribute;
import io.relata.QueryDefinitionException;
import io.relata.sql.Bind;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Keys are values, not Java types. Every place that compares, collects or de-duplicates keys
 * (primary, source, target, foreign and junction keys) does it on their {@linkplain #canonical
 * canonical form}, so an {@code Integer} key equals a {@code Long} foreign key of the same number,
 * {@code 1.0} equals {@code 1.00}, and {@code byte[]} keys compare by content. Every key that is
 * bound is first converted to the wire type of the column it is compared with or written to
 * ({@link #array}), once, when the statement is planned.
 */
public final class Keys {
    private static final HexFormat HEX = HexFormat.of();

    private Keys() {
    }

    /**
     * The canonical form of a key value: integral numbers (and integral {@code BigDecimal}s and
     * {@code BigInteger}s in range) as {@code Long}, other {@code BigDecimal}s without trailing zeros,
     * {@code byte[]} as a {@link Bytes} compared by content, composite keys (lists) element by element;
     * everything else as it is. Two keys are the same key exactly when their canonical forms are equal.
     *
     * @param key a key value as an entity holds it or a row decodes it, or null
     * @return its canonical form, or null
     */
    public static @Nullable Object canonical(@Nullable Object key) {
        if (key == null || key instanceof Long || key instanceof String) {
            return key;
        }
        if (key instanceof Integer || key instanceof Short || key instanceof Byte) {
            return ((Number) key).longValue();
        }
        if (key instanceof byte[] bytes) {
            return new Bytes(bytes);
        }
        if (key instanceof BigInteger bi) {
            return bi.bitLength() < Long.SIZE ? (Object) bi.longValue() : bi;
        }
        if (key instanceof BigDecimal d) {
            BigDecimal stripped = d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
            if (stripped.scale() <= 0 && stripped.precision() - stripped.scale() <= 19) {
                try {
                    return stripped.longValueExact();
                } catch (ArithmeticException outOfRange) {
                    return stripped;
                }
            }
            return stripped;
        }
        if (key instanceof List<?> parts) {
            Object[] out = new Object[parts.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = canonical(parts.get(i));
            }
            return Arrays.asList(out);
        }
        return key;
    }

    /**
     * @param canonical a canonical key ({@link #canonical})
     * @return the value to bind for it ({@code byte[]} for a {@link Bytes})
     */
    static Object raw(Object canonical) {
        return canonical instanceof Bytes b ? b.bytes : canonical;
    }

    /**
     * The bind of an array of keys compared with a column ({@code = ANY($n)}) or written into it
     * ({@code unnest($n)}): the distinct keys, each converted to the column's wire type, as an array of
     * that type ({@code Short[]}, {@code Integer[]}, {@code Long[]}, {@code String[]}, {@code UUID[]},
     * {@code BigDecimal[]}, ...). BYTEA arrays are bound as the text of a {@code bytea[]} literal, which
     * the SQL casts ({@link #arrayCast}): r2dbc-postgresql 1.1.1 encodes a {@code byte[][]} parameter as
     * a text array whose elements keep the unescaped {@code \x} prefix, so PostgreSQL reads each key's
     * hex text as its bytes (255 zero bytes arrive as 511 bytes), with or without {@code forceBinary}.
     *
     * @param column the column the keys meet
     * @param keys key values (entity values, decoded values or canonical forms)
     * @param skipUnfit true: keys that cannot be a value of the column (out of its range) are left out,
     *     for reads, where such a key matches nothing; false: they are a {@link QueryDefinitionException}
     * @return the bind
     */
    public static Bind array(Attribute column, Collection<?> keys, boolean skipUnfit) {
        return bind(column, values(column, keys, skipUnfit));
    }

    /**
     * @param column the column the keys meet
     * @param keys key values (entity values, decoded values or canonical forms)
     * @param skipUnfit leave out keys that cannot be a value of the column instead of rejecting them
     * @return the distinct keys (by value) converted to the column's wire type, in order of first occurrence
     * @throws QueryDefinitionException for a null key, or one that does not fit when {@code skipUnfit} is false
     */
    public static List<Object> values(Attribute column, Collection<?> keys, boolean skipUnfit) {
        List<Object> values = new ArrayList<>(keys.size());
        Set<Object> seen = new HashSet<>();
        for (Object k : keys) {
            if (k == null) {
                throw new QueryDefinitionException("the values for '" + column.name() + "' contain null; use isNull()");
            }
            Values.requireStorable(column, k, () -> "the key for '" + column.name() + "'");
            Object wire;
            try {
                wire = Values.toWire(column, raw(k));
            } catch (QueryDefinitionException e) {
                if (skipUnfit) {
                    continue;
                }
                throw e;
            }
            if (wire != null && seen.add(canonical(wire))) {
                values.add(wire);
            }
        }
        return values;
    }

    /**
     * The parts of a key value: the value itself for a single-column key, the elements of the {@code List}
     * a composite key value is, in key order.
     *
     * @param key a key value
     * @param arity the number of columns of the key
     * @return its parts
     * @throws QueryDefinitionException when a composite key is not a list of {@code arity} parts
     */
    public static List<?> parts(Object key, int arity) {
        if (arity == 1) {
            return List.of(key);
        }
        if (!(key instanceof List<?> parts) || parts.size() != arity) {
            throw new QueryDefinitionException("a key of " + arity + " columns is a List of " + arity
                    + " parts in key order, got " + (key instanceof List<?> l ? "a List of " + l.size() : key.getClass()
                    .getSimpleName()) + ": " + key);
        }
        return parts;
    }

    /**
     * The distinct keys of a composite key (or of a single-column one), column by column: element {@code i}
     * of the result holds part {@code i} of every key, converted to column {@code i}'s wire type, so that the
     * lists are aligned ({@code unnest($1, $2)} pairs them back up).
     *
     * @param columns the key's columns
     * @param keys key values ({@link #parts}: the value for one column, a {@code List} of parts for several)
     * @param skipUnfit leave out keys with a part that cannot be a value of its column instead of rejecting them
     * @return one list per column, aligned, the keys de-duplicated by value in order of first occurrence
     * @throws QueryDefinitionException for a null part, a key of the wrong arity, or (unless skipped) an unfit part
     */
    public static List<List<Object>> tuples(List<Attribute> columns, Collection<?> keys, boolean skipUnfit) {
        if (columns.size() == 1) {
            return List.of(values(columns.get(0), keys, skipUnfit));
        }
        List<List<Object>> out = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            out.add(new ArrayList<>(keys.size()));
        }
        Set<Object> seen = new HashSet<>();
        keys:
        for (Object k : keys) {
            if (k == null) {
                throw new QueryDefinitionException("the keys for " + columns.stream().map(Attribute::name).toList()
                        + " contain null");
            }
            List<?> parts = parts(k, columns.size());
            Object[] wire = new Object[parts.size()];
            for (int i = 0; i < wire.length; i++) {
                Object part = parts.get(i);
                if (part == null) {
                    throw new QueryDefinitionException("the key " + k + " for " + columns.stream().map(Attribute::name)
                            .toList() + " has a null part (" + columns.get(i).name() + ")");
                }
                try {
                    wire[i] = Objects.requireNonNull(Values.toWire(columns.get(i), raw(part)));
                } catch (QueryDefinitionException e) {
                    if (skipUnfit) {
                        continue keys;
                    }
                    throw e;
                }
            }
            if (seen.add(canonical(Arrays.asList(wire)))) {
                for (int i = 0; i < wire.length; i++) {
                    out.get(i).add(wire[i]);
                }
            }
        }
        return out;
    }

    /**
     * @param columns the key's columns
     * @param tuples aligned values per column ({@link #tuples})
     * @return one array bind per column ({@link #bind})
     */
    public static List<Bind> binds(List<Attribute> columns, List<List<Object>> tuples) {
        List<Bind> binds = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            binds.add(bind(columns.get(i), tuples.get(i)));
        }
        return binds;
    }

    /**
     * @param column the column the values meet
     * @param values distinct values of the column's wire type ({@link #values})
     * @return the array bind of them ({@link #array})
     */
    public static Bind bind(Attribute column, List<Object> values) {
        if (isBytea(column)) {
            StringBuilder literal = new StringBuilder(2 + values.size() * 8).append('{');
            for (int i = 0; i < values.size(); i++) {
                literal.append(i == 0 ? "" : ",").append("\"\\\\x").append(HEX.formatHex((byte[]) values.get(i))).append('"');
            }
            return new Bind(literal.append('}').toString(), String.class);
        }
        Object[] array = (Object[]) Array.newInstance(Values.bindType(column), values.size());
        return new Bind(values.toArray(array), array.getClass());
    }

    /**
     * @param column a column
     * @return what follows an array bind of keys of that column in SQL: {@code ::bytea[]} for BYTEA
     *     (see {@link #array}), else nothing
     */
    public static String arrayCast(Attribute column) {
        return isBytea(column) ? "::bytea[]" : "";
    }

    /**
     * @param column a column
     * @return whether an array bind of keys of that column is cast ({@code ::bytea[]} for BYTEA, see {@link #array})
     */
    static boolean castsArray(Attribute column) {
        return isBytea(column);
    }

    private static boolean isBytea(Attribute column) {
        return column.type().javaType() == byte[].class;
    }

    /** A {@code byte[]} key: equal to another when the bytes are. */
    public static final class Bytes {
        final byte[] bytes;
        private final int hash;

        Bytes(byte[] bytes) {
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes b && hash == b.hash && Arrays.equals(bytes, b.bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public String toString() {
            return "\\x" + HEX.formatHex(bytes);
        }
    }
}
