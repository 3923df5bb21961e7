package io.relata;

import java.util.List;
import java.util.Objects;

/**
 * A multi-column {@code UNIQUE} constraint (the junction's key over its two foreign keys).
 *
 * @param name       the constraint name
 * @param attributes the attribute names, in order
 */
public record UniqueKey(String name, List<String> attributes) {
    public UniqueKey {
        Objects.requireNonNull(name, "name");
        attributes = List.copyOf(Args.elements(attributes, "attributes"));
    }
}
