package io.relata;

import java.util.List;

/**
 * A multi-column {@code UNIQUE} constraint (the junction's key over its two foreign keys).
 *
 * @param name       the constraint name
 * @param attributes the attribute names, in order
 */
public record UniqueKey(String name, List<String> attributes) {
    public UniqueKey {
        attributes = List.copyOf(attributes);
    }
}
