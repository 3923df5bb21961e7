package io.relata;

import java.util.Objects;

/** A column default: a literal, a generated UUID v4, or the current time. */
public sealed interface DefaultValue {

    /** @param value a literal default, bound as a constant in the DDL */
    static DefaultValue of(Object value) {
        return new Literal(Objects.requireNonNull(value, "value"));
    }

    /** @return a random UUID v4 default ({@code gen_random_uuid()}) */
    static DefaultValue uuidV4() {
        return UuidV4.INSTANCE;
    }

    /** @return the transaction timestamp default ({@code now()}) */
    static DefaultValue now() {
        return Now.INSTANCE;
    }

    /** A literal value. @param value the value */
    record Literal(Object value) implements DefaultValue {
        public Literal {
            Objects.requireNonNull(value, "value");
        }
    }

    /** {@code gen_random_uuid()}. */
    enum UuidV4 implements DefaultValue { INSTANCE }

    /** {@code now()}. */
    enum Now implements DefaultValue { INSTANCE }
}
