package io.relata;

import io.relata.ValidationException.Violation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Runs a model's validators: attribute validators ({@link AttributeSpec#validate}), model-level validators
 * ({@link Model#validate}) and, when a Jakarta Bean Validation provider (e.g. Hibernate Validator) is on the
 * class path, the constraint annotations of the entity class. Adapters call it before planning a write, so
 * a failure means no SQL ran. Thread-safe.
 */
public final class Validation {
    private Validation() {
    }

    /**
     * @param model the model
     * @param entities the entities about to be written
     * @param <T> the entity
     * @throws ValidationException listing every violation of every entity
     */
    public static <T> void check(Model<T> model, Collection<? extends T> entities) {
        Objects.requireNonNull(model, "model");
        Args.elements(entities, "entities");
        List<Violation> violations = new ArrayList<>();
        for (T entity : entities) {
            violations.addAll(violations(model, entity));
        }
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
    }

    /**
     * @param model the model
     * @param entity an entity about to be written
     * @param <T> the entity
     * @return its violations, attribute validators first (in attribute order), then model validators, then
     *     Bean Validation's (by property)
     */
    public static <T> List<Violation> violations(Model<T> model, T entity) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(entity, "entity");
        List<Violation> out = new ArrayList<>();
        for (Attribute a : model.attributes()) {
            if (a.mapped()) {
                attribute(model, a, model.valueOf(entity, a.property()), out);
            }
        }
        for (Model.ModelCheck<T> c : model.checks) {
            boolean ok;
            try {
                ok = c.test().test(entity);
            } catch (RuntimeException e) {
                out.add(new Violation(model.name(), null, null, c.name(), c.message() + " (" + e.getMessage() + ")"));
                continue;
            }
            if (!ok) {
                out.add(new Violation(model.name(), null, null, c.name(), c.message()));
            }
        }
        if (!(entity instanceof Map<?, ?>)) {
            BeanValidation.entity(model, entity, out);
        }
        return out;
    }

    /**
     * Checks the values of some attributes only ({@code update(query, changes)}, junction through values):
     * attribute validators and Bean Validation's constraints of the mapped properties.
     *
     * @param model the model
     * @param values attribute name to value
     * @throws ValidationException listing every violation
     * @throws QueryDefinitionException for an attribute the model does not have
     */
    public static void checkValues(Model<?> model, Map<String, ?> values) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(values, "values");
        List<Violation> out = new ArrayList<>();
        for (Map.Entry<String, ?> e : values.entrySet()) {
            Attribute a = model.requireAttribute(e.getKey());
            attribute(model, a, e.getValue(), out);
            if (a.mapped() && e.getValue() != null && !model.isGeneratedJunction()) {
                BeanValidation.value(model, a, e.getValue(), out);
            }
        }
        if (!out.isEmpty()) {
            throw new ValidationException(out);
        }
    }

    /** @return whether the model has any validator of its own (Bean Validation aside) */
    static boolean hasValidators(Model<?> model) {
        return !model.checks.isEmpty()
                || model.config.attributes.values().stream().anyMatch(s -> !s.validators.isEmpty());
    }

    private static void attribute(Model<?> model, Attribute a, @Nullable Object value, List<Violation> out) {
        if (value == null) {
            return;
        }
        AttributeSpec spec = model.config.attributes.get(a.name());
        if (spec == null) {
            return;
        }
        for (Validator v : spec.validators) {
            boolean ok;
            try {
                ok = v.test(value);
            } catch (RuntimeException e) {
                ok = false;
            }
            if (!ok) {
                out.add(new Violation(model.name(), a.name(), value, v.name(), v.message()));
            }
        }
    }
}
