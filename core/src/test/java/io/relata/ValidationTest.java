package io.relata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.relata.ValidationException.Violation;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The validators, model-level checks and Bean Validation annotations, without a database. */
class ValidationTest {

    enum Role { ADMIN, USER }

    record User(Long id, String email, String homepage, String name, Integer age, String code, Role role,
            BigDecimal score, Double lat, Double lng) {}

    record Annotated(Long id, @NotBlank String title, @Size(max = 3) String tag) {}

    static final Model<User> users;
    static final Model<Annotated> annotated;

    static {
        SchemaBuilder s = Schema.builder();
        users = s.define(User.class, m -> {
            m.attribute("email").validate(Validator.isEmail());
            m.attribute("homepage").validate(Validator.isUrl());
            m.attribute("name").validate(Validator.notEmpty(), Validator.len(2, 5));
            m.attribute("age").validate(Validator.min(0), Validator.max(150).withMessage("too old"));
            m.attribute("code").validate(Validator.pattern("[A-Z]{3}"));
            m.attribute("role").validate(Validator.isIn("ADMIN"));
            m.attribute("score").validate(Validator.of("positive", "must be positive",
                    v -> ((BigDecimal) v).signum() > 0));
        });
        users.validate("bothCoordsOrNone", "either both latitude and longitude, or neither",
                u -> (u.lat() == null) == (u.lng() == null));
        annotated = s.define(Annotated.class);
        s.build();
    }

    static User valid() {
        return new User(null, "ann@example.com", "https://example.com/a", "Ann", 30, "ABC", Role.ADMIN,
                BigDecimal.ONE, 1.0, 2.0);
    }

    @Test
    void aValidEntityHasNoViolations() {
        assertThat(Validation.violations(users, valid())).isEmpty();
        Validation.check(users, List.of(valid(), valid()));
    }

    @Test
    void nullValuesAreNotChecked() {
        assertThat(Validation.violations(users, new User(null, null, null, null, null, null, null, null, null, null)))
                .isEmpty();
    }

    @Test
    void everyViolationIsListedWithModelAttributeValueAndMessage() {
        User bad = new User(null, "not-an-email", "ftp:/nohost", " ", 200, "abc", Role.USER, BigDecimal.ZERO, 1.0,
                null);

        assertThatThrownBy(() -> Validation.check(users, List.of(valid(), bad)))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("User.email = not-an-email: must be an e-mail address (isEmail)")
                .satisfies(e -> assertThat(((ValidationException) e).violations()).containsExactly(
                        new Violation("User", "email", "not-an-email", "isEmail", "must be an e-mail address"),
                        new Violation("User", "homepage", "ftp:/nohost", "isUrl", "must be a URL"),
                        new Violation("User", "name", " ", "notEmpty", "must not be empty"),
                        new Violation("User", "name", " ", "len", "length must be between 2 and 5"),
                        new Violation("User", "age", 200, "max", "too old"),
                        new Violation("User", "code", "abc", "pattern", "must match [A-Z]{3}"),
                        new Violation("User", "role", Role.USER, "isIn", "must be one of [ADMIN]"),
                        new Violation("User", "score", BigDecimal.ZERO, "positive", "must be positive"),
                        new Violation("User", null, null, "bothCoordsOrNone",
                                "either both latitude and longitude, or neither")));
    }

    @Test
    void valuesOfSomeAttributesAreCheckedAlone() {
        Validation.checkValues(users, Map.of("age", 3));
        assertThatThrownBy(() -> Validation.checkValues(users, Map.of("age", -1)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("User.age = -1: must be at least 0 (min)");
        assertThatThrownBy(() -> Validation.checkValues(users, Map.of("nope", 1)))
                .isInstanceOf(QueryDefinitionException.class);
    }

    @Test
    void beanValidationAnnotationsAreCheckedWhenAProviderIsPresent() {
        assertThat(BeanValidation.available()).isTrue();
        assertThat(Validation.violations(annotated, new Annotated(null, "  ", "long")))
                .extracting(Violation::attribute, Violation::validator)
                .containsExactly(tuple("tag", "Size"),
                        tuple("title", "NotBlank"));
        assertThatThrownBy(() -> Validation.checkValues(annotated, Map.of("tag", "toolong")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("Annotated.tag = toolong");
        assertThat(Validation.violations(annotated, new Annotated(null, "ok", "abc"))).isEmpty();
    }

    @Test
    void badValidatorArgumentsAreDefinitionErrors() {
        assertThatThrownBy(() -> Validator.len(3, 2)).isInstanceOf(ModelDefinitionException.class);
    }
}
