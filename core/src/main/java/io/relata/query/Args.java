package io.relata.query;

import java.util.Collection;
import java.util.Objects;

/** Call-time argument checks: an NPE naming the parameter (and the element's index) for a null. */
final class Args {
    private Args() {
    }

    /** @return {@code array}, after checking it and each of its elements are not null */
    static <T> T[] elements(T[] array, String name) {
        Objects.requireNonNull(array, name);
        for (int i = 0; i < array.length; i++) {
            if (array[i] == null) {
                throw new NullPointerException(name + "[" + i + "]");
            }
        }
        return array;
    }

    /** @return {@code values}, after checking it and each of its elements are not null */
    static <C extends Collection<?>> C elements(C values, String name) {
        Objects.requireNonNull(values, name);
        int i = 0;
        for (Object v : values) {
            if (v == null) {
                throw new NullPointerException(name + "[" + i + "]");
            }
            i++;
        }
        return values;
    }
}
