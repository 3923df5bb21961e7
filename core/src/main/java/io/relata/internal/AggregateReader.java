package io.relata.internal;

import io.relata.Association;
import io.relata.Attribute;
import io.relata.DataType;
import io.relata.Model;
import io.relata.QueryDefinitionException;
import io.relata.RelataException;
import io.relata.sql.RowSource;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Reads the children of an AGGREGATE include out of their parent's JSON array ({@code json_agg} of one
 * {@code json_build_array} per child: its attributes, its junction's, then one nested array per aggregate
 * child of its own) into entities, by position. Built once per plan, immutable and shared; each value's
 * decoder is chosen at plan time from the attribute's type, and a type that cannot come back from JSON
 * exactly is refused then, before any SQL.
 */
final class AggregateReader {
    /**
     * The most values of one {@code json_build_array} (PostgreSQL's {@code FUNC_MAX_ARGS}): an element with more is
     * written as an array of arrays of this many values each.
     */
    static final int CHUNK = 100;

    /** How a value is written into an element so that JSON carries it exactly ({@link #form}). */
    enum Form {
        /** as itself: JSON's own rendering of the type */
        PLAIN,
        /** as its text ({@code ::text}), a JSON string: JSON and JSONB, so that a JSON null is not SQL NULL */
        TEXT,
        /** {@code encode(float8send/float4send(...), 'hex')}: a double's or real's IEEE 754 bits */
        BITS,
        /** {@code encode(..., 'hex')}: bytea, whatever {@code bytea_output} says */
        HEX
    }

    /**
     * @param attribute an attribute of an aggregate node
     * @return how its value is written into the element
     * @throws QueryDefinitionException for a type Relata does not read from JSON (arrays), naming the attribute
     */
    static Form form(Association<?, ?> association, Attribute attribute) {
        DataType type = attribute.type();
        Class<?> wire = Values.box(Values.wireType(attribute));
        String sql = type.sql().trim().toUpperCase(java.util.Locale.ROOT);
        if (sql.endsWith("]") || (wire.isArray() && wire != byte[].class)) {
            throw new QueryDefinitionException("include '" + association.as() + "' of " + association.source().name()
                    + " uses the AGGREGATE strategy, but attribute '" + attribute.name() + "' of "
                    + association.target().name() + " is an array (" + type.sql() + "), which Relata does not read"
                    + " from JSON; leave it out with attributes(...) or use the JOIN strategy");
        }
        return switch (type.kind()) {
            case JSONB -> Form.TEXT;
            case BYTEA -> Form.HEX;
            case DOUBLE, REAL -> wire == Double.class || wire == Float.class ? Form.BITS : Form.PLAIN;
            case OTHER -> wire == String.class && (sql.equals("JSON") || sql.equals("JSONB")) ? Form.TEXT : Form.PLAIN;
            default -> Form.PLAIN;
        };
    }

    /** Turns the next JSON value (not null) into the value the entity (or the driver) would hold. */
    @FunctionalInterface
    private interface Decoder {
        Object read(JsonCursor json);
    }

    private final Model<?> model;
    private final String include;
    private final Attribute[] attributes;
    private final int[] slots;
    private final Decoder[] decoders;
    private final int valueCount;
    private final int propertyCount;
    private final @Nullable Model<?> junction;
    private final Attribute[] throughAttributes;
    private final int[] throughSlots;
    private final Decoder[] throughDecoders;
    private final int throughSlot;
    private final AggregateReader[] children;
    /** the JSON column in the parent's row (for a child of a row-read node); unused below another aggregate */
    final int column;
    /** the parent entity's property it fills, -1 when the parent has no slot for it */
    final int parentSlot;
    private final boolean toMany;
    /** the element's values (attributes, junction attributes, nested arrays) come in chunks of {@link #CHUNK} */
    private final boolean chunked;
    /** the indexes in {@link #attributes} of the key a belongsToMany's targets are told apart by, or null */
    private final int @Nullable [] distinctBy;

    /**
     * @param association the include's association
     * @param selected its target's attributes, in array order
     * @param junction the junction whose attributes follow them, or null
     * @param throughSelected those attributes, in array order
     * @param throughSlot the target's property holding the junction entity, or -1
     * @param children the readers of its nested aggregate children, in array order after the attributes
     * @param column its JSON column in the parent's row (-1 below another aggregate)
     * @param parentSlot the parent's property it fills, or -1
     * @throws UnsupportedOperationException for an attribute type that JSON does not carry exactly
     */
    AggregateReader(Association<?, ?> association, List<Attribute> selected, @Nullable Model<?> junction,
            List<Attribute> throughSelected, int throughSlot, List<AggregateReader> children, int column, int parentSlot) {
        this.model = association.target();
        this.include = association.as();
        this.attributes = selected.toArray(Attribute[]::new);
        this.propertyCount = model.propertyCount();
        this.slots = new int[attributes.length];
        this.decoders = new Decoder[attributes.length];
        int hidden = propertyCount;
        for (int i = 0; i < attributes.length; i++) {
            slots[i] = attributes[i].mapped() ? attributes[i].property() : hidden++;
            decoders[i] = decoder(association, attributes[i]);
        }
        this.valueCount = hidden;
        this.junction = junction;
        this.throughAttributes = throughSelected.toArray(Attribute[]::new);
        this.throughSlots = new int[throughAttributes.length];
        this.throughDecoders = new Decoder[throughAttributes.length];
        for (int i = 0; i < throughAttributes.length; i++) {
            throughSlots[i] = throughAttributes[i].property();
            throughDecoders[i] = decoder(association, throughAttributes[i]);
        }
        this.throughSlot = throughSlot;
        this.children = children.toArray(AggregateReader[]::new);
        this.column = column;
        this.parentSlot = parentSlot;
        this.toMany = association.toMany();
        this.chunked = attributes.length + throughAttributes.length + this.children.length > CHUNK;
        // a target linked twice (a junction without a unique pair) is one target, as JOIN and SEPARATE read it
        List<Attribute> keys = model.primaryKeys();
        int[] by = new int[keys.size()];
        boolean all = association.kind() == Association.Kind.BELONGS_TO_MANY;
        for (int k = 0; k < by.length && all; k++) {
            by[k] = selected.indexOf(keys.get(k));
            all = by[k] >= 0;
        }
        this.distinctBy = all ? by : null;
    }

    /**
     * @param row the parent's row
     * @return what the parent's property gets: the list of children (empty when the array is null), or for a
     *     to-one include the child or null
     */
    @Nullable Object read(RowSource row) {
        String text = row.get(column, String.class);
        if (text == null) {
            return toMany ? List.of() : null;
        }
        JsonCursor json = new JsonCursor(text);
        try {
            Object value = value(json);
            json.end();
            return value;
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new RelataException("include '" + include + "' (" + model.name() + ", AGGREGATE strategy): its JSON"
                    + " array could not be read: " + e.getMessage(), e);
        }
    }

    /** @return the children of the array at the cursor: a list, or the first child (to-one) */
    private @Nullable Object value(JsonCursor json) {
        json.open();
        if (!toMany) {
            Object one = json.next(true) ? entity(json) : null;
            while (json.next(false)) {
                // more than one match (no unique key on the link): the first is kept, the others only skipped
                json.raw();
            }
            return one;
        }
        Object[] items = new Object[8];
        int n = 0;
        int[] by = distinctBy;
        Set<Object> seen = by == null ? null : new HashSet<>();
        Object[] values = new Object[valueCount];
        for (boolean first = true; json.next(first); first = false) {
            if (n == items.length) {
                items = Arrays.copyOf(items, n * 2);
            }
            Arrays.fill(values, null);
            Object item = entity(json, values);
            if (seen == null || seen.add(key(values, Objects.requireNonNull(by)))) {
                items[n++] = item;
            }
        }
        return Collections.unmodifiableList(Arrays.asList(n == items.length ? items : Arrays.copyOf(items, n)));
    }

    private Object entity(JsonCursor json) {
        return entity(json, new Object[valueCount]);
    }

    private @Nullable Object key(Object[] values, int[] by) {
        if (by.length == 1) {
            return Keys.canonical(values[slots[by[0]]]);
        }
        List<@Nullable Object> parts = new ArrayList<>(by.length);
        for (int k : by) {
            parts.add(Keys.canonical(values[slots[k]]));
        }
        return parts;
    }

    /** @param values cleared, its length {@link #valueCount}; not kept by the entity */
    private Object entity(JsonCursor json, Object[] values) {
        json.open();
        Position at = new Position(json, chunked);
        for (int i = 0; i < attributes.length; i++) {
            values[slots[i]] = read(json, at, attributes[i], decoders[i]);
        }
        if (junction != null && throughAttributes.length > 0) {
            Object[] through = new Object[junction.propertyCount()];
            for (int i = 0; i < throughAttributes.length; i++) {
                through[throughSlots[i]] = read(json, at, throughAttributes[i], throughDecoders[i]);
            }
            if (throughSlot >= 0) {
                values[throughSlot] = junction.instantiate(through);
            }
        }
        for (AggregateReader c : children) {
            at.next();
            Object nested = json.nullValue() ? (c.toMany ? List.of() : null) : c.value(json);
            if (c.parentSlot >= 0) {
                values[c.parentSlot] = nested;
            }
        }
        at.close();
        json.close();
        return model.instantiate(valueCount == propertyCount ? values : Arrays.copyOf(values, propertyCount));
    }

    /** Where the next value of an element is: its index, across the chunks of a wide element. */
    private static final class Position {
        private final JsonCursor json;
        private final boolean chunked;
        private int index;

        Position(JsonCursor json, boolean chunked) {
            this.json = json;
            this.chunked = chunked;
        }

        /** Moves to the next value (into the next chunk of a chunked element). */
        void next() {
            if (chunked && index % CHUNK == 0) {
                if (index > 0) {
                    json.close();
                }
                element(json, index == 0);
                json.open();
            }
            element(json, !chunked ? index == 0 : index % CHUNK == 0);
            index++;
        }

        /** Closes the last chunk of a chunked element. */
        void close() {
            if (chunked && index > 0) {
                json.close();
            }
        }
    }

    private static @Nullable Object read(JsonCursor json, Position at, Attribute attribute, Decoder decoder) {
        at.next();
        if (json.nullValue()) {
            return null;
        }
        try {
            return Values.fromWire(attribute, decoder.read(json));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("attribute '" + attribute.name() + "' (" + attribute.type().sql()
                    + "): " + e.getMessage(), e);
        }
    }

    private static void element(JsonCursor json, boolean first) {
        if (!json.next(first)) {
            throw new IllegalArgumentException("an array ended before the values the plan laid out");
        }
    }

    /** @return how a value of the attribute comes back from PostgreSQL's JSON, as the driver would decode it */
    private static Decoder decoder(Association<?, ?> association, Attribute attribute) {
        DataType.Kind kind = attribute.type().kind();
        Class<?> type = Values.box(Values.wireType(attribute));
        Form form = form(association, attribute);
        if (form == Form.TEXT) {
            // written as its text (a JSON string), what a JSON or JSONB column reads as
            return JsonCursor::string;
        }
        if (form == Form.BITS) {
            // written as the hex of its IEEE 754 bits (float8send / float4send), exact whatever extra_float_digits says
            boolean wide = kind == DataType.Kind.DOUBLE;
            if (type == Double.class) {
                return json -> wide ? Double.longBitsToDouble(Long.parseUnsignedLong(json.string(), 16))
                        : (double) Float.intBitsToFloat(Integer.parseUnsignedInt(json.string(), 16));
            }
            if (type == Float.class) {
                return json -> wide ? (float) Double.longBitsToDouble(Long.parseUnsignedLong(json.string(), 16))
                        : Float.intBitsToFloat(Integer.parseUnsignedInt(json.string(), 16));
            }
        }
        if (type == String.class) {
            // a string as its content; another JSON value (a number, a literal) as its text
            return json -> json.atString() ? json.string() : json.raw();
        }
        if (type == Long.class) {
            return JsonCursor::longValue;
        }
        if (type == Integer.class) {
            return json -> (int) inRange(json.longValue(), Integer.MIN_VALUE, Integer.MAX_VALUE);
        }
        if (type == Short.class) {
            return json -> (short) inRange(json.longValue(), Short.MIN_VALUE, Short.MAX_VALUE);
        }
        if (type == BigDecimal.class) {
            return json -> new BigDecimal(json.scalar());
        }
        if (type == Double.class) {
            // NaN and infinities come as strings
            return json -> Double.parseDouble(json.scalar());
        }
        if (type == Float.class) {
            return json -> Float.parseFloat(json.scalar());
        }
        if (type == Boolean.class) {
            return JsonCursor::booleanValue;
        }
        if (type == UUID.class) {
            return json -> UUID.fromString(json.string());
        }
        if (type == LocalDate.class) {
            return json -> {
                String text = json.string();
                return infinite(text, LocalDate.MAX, LocalDate.MIN, () -> LocalDate.parse(iso(text)));
            };
        }
        if (type == LocalTime.class) {
            return json -> LocalTime.parse(json.string());
        }
        if (type == LocalDateTime.class) {
            return json -> {
                String text = json.string();
                return infinite(text, LocalDateTime.MAX, LocalDateTime.MIN, () -> LocalDateTime.parse(iso(text)));
            };
        }
        if (type == OffsetDateTime.class) {
            // JSON has the session time zone's offset; r2dbc-postgresql's binary decoding (how Relata reads rows)
            // gives the instant at the JVM's current offset, and so does this
            return json -> {
                String text = json.string();
                return infinite(text, OffsetDateTime.MAX, OffsetDateTime.MIN, () -> OffsetDateTime.parse(iso(text))
                        .toInstant().atOffset(OffsetDateTime.now(ZoneId.systemDefault()).getOffset()));
            };
        }
        if (type == Instant.class) {
            return json -> {
                String text = json.string();
                return infinite(text, Instant.MAX, Instant.MIN, () -> OffsetDateTime.parse(iso(text)).toInstant());
            };
        }
        if (type == byte[].class) {
            return json -> hex(json.string());
        }
        throw new QueryDefinitionException("include '" + association.as() + "' of " + association.source().name()
                + " uses the AGGREGATE strategy, but attribute '" + attribute.name() + "' of "
                + association.target().name() + " is read as " + type.getName() + ", which Relata does not read from"
                + " JSON; leave it out with attributes(...) or use the JOIN strategy");
    }

    /** @return the value for PostgreSQL's {@code infinity} / {@code -infinity}, else the parsed one */
    private static Object infinite(String text, Object max, Object min, java.util.function.Supplier<Object> parsed) {
        if (text.equals("infinity")) {
            return max;
        }
        if (text.equals("-infinity")) {
            return min;
        }
        return parsed.get();
    }

    /**
     * @param text a date or timestamp as PostgreSQL's JSON writes it: ISO 8601, but a year past 9999 without its
     *     {@code +} and a year before 1 as {@code 0044-03-15 BC}
     * @return it as java.time parses it ({@code +10000-01-01}, {@code -0043-03-15}: proleptic years)
     */
    static String iso(String text) {
        boolean bc = text.endsWith(" BC");
        String t = bc ? text.substring(0, text.length() - 3) : text;
        int dash = t.indexOf('-');
        if (!bc && dash <= 4) {
            return t;
        }
        long year = Long.parseLong(t.substring(0, dash));
        long proleptic = bc ? 1 - year : year;
        String y = String.format(java.util.Locale.ROOT, "%04d", Math.abs(proleptic));
        return (proleptic < 0 ? "-" : proleptic > 9999 ? "+" : "") + y + t.substring(dash);
    }

    private static long inRange(long value, long min, long max) {
        if (value < min || value > max) {
            throw new NumberFormatException("value " + value + " is out of range");
        }
        return value;
    }

    /** @param text {@code encode(bytea, 'hex')}: two hex digits a byte @return the bytes */
    private static byte[] hex(String text) {
        if (text.length() % 2 != 0) {
            throw new IllegalArgumentException("'" + text + "' is not bytea in hex form");
        }
        byte[] out = new byte[text.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(text.charAt(2 * i), 16);
            int lo = Character.digit(text.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("'" + text + "' is not bytea in hex form");
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }
}
