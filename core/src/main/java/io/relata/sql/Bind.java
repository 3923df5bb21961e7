package io.relata.sql;

import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A bind value of a statement. The type is what the driver binds a null as, and the element type
 * for arrays.
 *
 * @param value the value (arrays for {@code = ANY($n)} and {@code unnest}), or null
 * @param type  the Java type of the value (an array class for arrays)
 */
public record Bind(@Nullable Object value, Class<?> type) {
    public Bind {
        Objects.requireNonNull(type, "type");
    }

    @Override
    public String toString() {
        if (value instanceof Object[] array) {
            return Arrays.toString(array);
        }
        return String.valueOf(value);
    }
}
