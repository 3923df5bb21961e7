package io.relata.internal;

import io.relata.Association;
import io.relata.Attribute;
import io.relata.DataType;
import io.relata.Model;
import io.relata.RelataException;
import io.relata.sql.RowSource;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
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
                entity(json);
            }
            return one;
        }
        Object[] items = new Object[8];
        int n = 0;
        for (boolean first = true; json.next(first); first = false) {
            if (n == items.length) {
                items = Arrays.copyOf(items, n * 2);
            }
            items[n++] = entity(json);
        }
        return Collections.unmodifiableList(Arrays.asList(n == items.length ? items : Arrays.copyOf(items, n)));
    }

    private Object entity(JsonCursor json) {
        json.open();
        Object[] values = new Object[valueCount];
        boolean first = true;
        for (int i = 0; i < attributes.length; i++) {
            values[slots[i]] = read(json, first, attributes[i], decoders[i]);
            first = false;
        }
        if (junction != null && throughAttributes.length > 0) {
            Object[] through = new Object[junction.propertyCount()];
            for (int i = 0; i < throughAttributes.length; i++) {
                through[throughSlots[i]] = read(json, first, throughAttributes[i], throughDecoders[i]);
                first = false;
            }
            if (throughSlot >= 0) {
                values[throughSlot] = junction.instantiate(through);
            }
        }
        for (AggregateReader c : children) {
            element(json, first);
            first = false;
            Object nested = json.nullValue() ? (c.toMany ? List.of() : null) : c.value(json);
            if (c.parentSlot >= 0) {
                values[c.parentSlot] = nested;
            }
        }
        json.close();
        return model.instantiate(valueCount == propertyCount ? values : Arrays.copyOf(values, propertyCount));
    }

    private static @Nullable Object read(JsonCursor json, boolean first, Attribute attribute, Decoder decoder) {
        element(json, first);
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
        if (attribute.type().kind() == DataType.Kind.JSONB) {
            // embedded as JSON: its text as written is the jsonb's text form, what a JSONB column reads as
            return JsonCursor::raw;
        }
        Class<?> type = Values.box(Values.wireType(attribute));
        if (type == String.class) {
            return JsonCursor::scalar;
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
            return json -> LocalDate.parse(json.string());
        }
        if (type == LocalTime.class) {
            return json -> LocalTime.parse(json.string());
        }
        if (type == LocalDateTime.class) {
            return json -> LocalDateTime.parse(json.string());
        }
        if (type == OffsetDateTime.class) {
            return json -> OffsetDateTime.parse(json.string());
        }
        if (type == Instant.class) {
            return json -> OffsetDateTime.parse(json.string()).toInstant();
        }
        if (type == byte[].class) {
            return json -> hex(json.string());
        }
        throw new UnsupportedOperationException("include '" + association.as() + "' of " + association.source().name()
                + " uses the AGGREGATE strategy, but attribute '" + attribute.name() + "' of "
                + association.target().name() + " is read as " + type.getName() + ", which Relata does not read from"
                + " JSON; leave it out with attributes(...) or use the JOIN strategy");
    }

    private static long inRange(long value, long min, long max) {
        if (value < min || value > max) {
            throw new NumberFormatException("value " + value + " is out of range");
        }
        return value;
    }

    /** @param text bytea's JSON text, {@code \x} and hex digits @return the bytes */
    private static byte[] hex(String text) {
        if (!text.startsWith("\\x") || text.length() % 2 != 0) {
            throw new IllegalArgumentException("'" + text + "' is not bytea in hex form");
        }
        byte[] out = new byte[(text.length() - 2) / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(text.charAt(2 + 2 * i), 16);
            int lo = Character.digit(text.charAt(3 + 2 * i), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("'" + text + "' is not bytea in hex form");
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }
}
