package io.relata;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A column definition being written (mutable, not thread-safe; used inside a definition lambda).
 * Unset options keep what Relata infers: the type from the Java property, nullable, not unique,
 * column named by the schema's {@link Naming}.
 */
public final class AttributeSpec {
    @Nullable String name;
    @Nullable DataType type;
    @Nullable Boolean notNull;
    boolean unique;
    @Nullable DefaultValue defaultValue;
    @Nullable String field;
    boolean primaryKey;
    @Nullable Boolean autoIncrement;
    @Nullable ReferentialAction onDelete;
    @Nullable ReferentialAction onUpdate;
    final List<Validator> validators = new ArrayList<>();

    AttributeSpec(@Nullable String name) {
        this.name = name;
    }

    /** @param name the attribute name (for a foreign-key definition) @return this */
    public AttributeSpec name(String name) {
        this.name = Objects.requireNonNull(name, "name");
        return this;
    }

    /** @param type the column type, overriding the inferred one @return this */
    public AttributeSpec type(DataType type) {
        this.type = Objects.requireNonNull(type, "type");
        return this;
    }

    /** Makes the column {@code NOT NULL} (Sequelize's {@code allowNull: false}). @return this */
    public AttributeSpec notNull() {
        this.notNull = true;
        return this;
    }

    /** @param allowNull false for {@code NOT NULL} @return this */
    public AttributeSpec allowNull(boolean allowNull) {
        this.notNull = !allowNull;
        return this;
    }

    /** Adds a {@code UNIQUE} constraint on the column. @return this */
    public AttributeSpec unique() {
        this.unique = true;
        return this;
    }

    /** @param value the column default (a literal, {@link DefaultValue#uuidV4()}, {@link DefaultValue#now()}) @return this */
    public AttributeSpec defaultValue(DefaultValue value) {
        this.defaultValue = Objects.requireNonNull(value, "value");
        return this;
    }

    /** @param value a literal column default @return this */
    public AttributeSpec defaultValue(Object value) {
        Objects.requireNonNull(value, "value");
        this.defaultValue = value instanceof DefaultValue d ? d : DefaultValue.of(value);
        return this;
    }

    /** @param column the explicit column name, bypassing the naming strategy @return this */
    public AttributeSpec field(String column) {
        this.field = Objects.requireNonNull(column, "column");
        return this;
    }

    /** Makes this attribute the primary key (instead of {@code id}). @return this */
    public AttributeSpec primaryKey() {
        this.primaryKey = true;
        return this;
    }

    /**
     * For a foreign-key definition: the {@code ON DELETE} action of this column only (e.g. one side of a
     * junction), overriding the association's {@code onDelete}.
     *
     * @param action the action
     * @return this
     */
    public AttributeSpec onDelete(ReferentialAction action) {
        this.onDelete = Objects.requireNonNull(action, "action");
        return this;
    }

    /**
     * For a foreign-key definition: the {@code ON UPDATE} action of this column only, overriding the
     * association's {@code onUpdate}.
     *
     * @param action the action
     * @return this
     */
    public AttributeSpec onUpdate(ReferentialAction action) {
        this.onUpdate = Objects.requireNonNull(action, "action");
        return this;
    }

    /** @param autoIncrement whether an integer primary key is generated ({@code SERIAL}/{@code BIGSERIAL}) @return this */
    public AttributeSpec autoIncrement(boolean autoIncrement) {
        this.autoIncrement = autoIncrement;
        return this;
    }

    /**
     * Checks of this attribute's values (Sequelize's {@code validate}), run before any SQL of create,
     * bulkCreate, update, save, upsert and junction writes; a failure is a {@link ValidationException}.
     *
     * @param checks e.g. {@code Validator.isEmail()}, {@code Validator.len(2, 40)}, {@code Validator.of(...)}
     * @return this
     */
    public AttributeSpec validate(Validator... checks) {
        for (Validator v : Objects.requireNonNull(checks, "checks")) {
            validators.add(Objects.requireNonNull(v, "checks contains null"));
        }
        return this;
    }
}
