package io.relata;

import io.relata.ValidationException.Violation;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Jakarta Bean Validation of entities, when the API and a provider are on the class path (an optional
 * dependency): the constraint annotations of record components and fields ({@code @NotBlank}, {@code @Email},
 * {@code @Size}, ...). Without a provider, nothing is checked. The jakarta classes are only touched through
 * {@link Engine}, which is loaded once the API has been found.
 */
final class BeanValidation {
    private static final @Nullable Engine ENGINE = load();

    private BeanValidation() {
    }

    private static @Nullable Engine load() {
        try {
            Class.forName("jakarta.validation.Validation", false, BeanValidation.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
        try {
            return new Engine();
        } catch (RuntimeException | LinkageError e) {
            // the API without a provider (NoProviderFoundException), or a provider that cannot start
            return null;
        }
    }

    /** @return whether a Bean Validation provider is in use */
    static boolean available() {
        return ENGINE != null;
    }

    static void entity(Model<?> model, Object entity, List<Violation> out) {
        Engine e = ENGINE;
        if (e != null) {
            e.entity(model, entity, out);
        }
    }

    static void value(Model<?> model, Attribute attribute, Object value, List<Violation> out) {
        Engine e = ENGINE;
        if (e != null) {
            e.value(model, attribute, value, out);
        }
    }

    private static final class Engine {
        private final Validator validator;
        private final Map<Class<?>, Boolean> constrained = new ConcurrentHashMap<>();

        Engine() {
            ValidatorFactory factory = jakarta.validation.Validation.buildDefaultValidatorFactory();
            this.validator = factory.getValidator();
        }

        private boolean constrained(Class<?> type) {
            return constrained.computeIfAbsent(type, t -> validator.getConstraintsForClass(t).isBeanConstrained());
        }

        void entity(Model<?> model, Object entity, List<Violation> out) {
            if (!constrained(entity.getClass())) {
                return;
            }
            add(model, validator.validate(entity), out);
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        void value(Model<?> model, Attribute attribute, Object value, List<Violation> out) {
            Class<?> type = model.entityType();
            if (!constrained(type) || validator.getConstraintsForClass(type)
                    .getConstraintsForProperty(attribute.name()) == null) {
                return;
            }
            add(model, validator.validateValue((Class) type, attribute.name(), value), out);
        }

        private static void add(Model<?> model, Set<? extends ConstraintViolation<?>> found, List<Violation> out) {
            List<ConstraintViolation<?>> sorted = new ArrayList<>(found);
            sorted.sort(Comparator.comparing((ConstraintViolation<?> v) -> v.getPropertyPath().toString())
                    .thenComparing(v -> v.getConstraintDescriptor().getAnnotation().annotationType().getSimpleName()));
            for (ConstraintViolation<?> v : sorted) {
                String path = v.getPropertyPath().toString();
                out.add(new Violation(model.name(), path.isEmpty() ? null : path, v.getInvalidValue(),
                        v.getConstraintDescriptor().getAnnotation().annotationType().getSimpleName(), v.getMessage()));
            }
        }
    }
}
