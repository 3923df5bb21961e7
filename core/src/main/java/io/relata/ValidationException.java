package io.relata;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Values that fail their model's validators ({@link AttributeSpec#validate}, {@link Model#validate}, Jakarta
 * Bean Validation annotations). Raised before any SQL of the operation runs, so nothing was written; lists
 * every violation of every entity of the operation, not only the first.
 */
public class ValidationException extends RelataException {
    private static final long serialVersionUID = 1L;

    private final transient List<Violation> violations;

    /** @param violations what failed (at least one) */
    public ValidationException(List<Violation> violations) {
        super(describe(violations));
        this.violations = List.copyOf(violations);
    }

    private static String describe(List<Violation> violations) {
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("a ValidationException needs at least one violation");
        }
        return "validation failed: " + violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
    }

    /** @return every violation, in model, entity and attribute order */
    public List<Violation> violations() {
        return violations;
    }

    /**
     * One failed check.
     *
     * @param model the model's name
     * @param attribute the attribute, or null for a model-level validator
     * @param value the rejected value (null for a model-level validator)
     * @param validator the validator's name ({@code isEmail}, {@code len}, a custom name, a constraint annotation)
     * @param message what is wrong
     */
    public record Violation(String model, @Nullable String attribute, @Nullable Object value, String validator,
            String message) {
        public Violation {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(validator, "validator");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String toString() {
            return attribute == null ? model + ": " + message + " (" + validator + ")"
                    : model + "." + attribute + " = " + value + ": " + message + " (" + validator + ")";
        }
    }
}
