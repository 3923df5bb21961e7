package io.relata;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Options of one association (mutable, used inside the definition lambda). The option names are
 * Sequelize's; options that do not apply to an association kind are rejected at
 * {@link SchemaBuilder#build()}.
 */
public final class AssociationOptions {
    @Nullable String as;
    @Nullable String singular;
    @Nullable String plural;
    @Nullable AttributeSpec foreignKey;
    @Nullable AttributeSpec otherKey;
    @Nullable String sourceKey;
    @Nullable String targetKey;
    /** the parts of a composite foreign key, source key, target key or other key, when given (else null) */
    @Nullable List<String> foreignKeys;
    @Nullable List<String> otherKeys;
    @Nullable List<String> sourceKeys;
    @Nullable List<String> targetKeys;
    @Nullable String throughName;
    @Nullable Model<?> throughModel;
    @Nullable String uniqueKey;
    boolean unique = true;
    @Nullable ReferentialAction onDelete;
    @Nullable ReferentialAction onUpdate;
    boolean constraints = true;
    final Map<String, Object> scope = new LinkedHashMap<>();
    final Map<String, Object> throughScope = new LinkedHashMap<>();

    AssociationOptions() {
    }

    /**
     * @param alias the association's name: singular for hasOne/belongsTo, plural for hasMany/belongsToMany
     * @return this
     */
    public AssociationOptions as(String alias) {
        this.as = Objects.requireNonNull(alias, "alias");
        return this;
    }

    /**
     * An alias with explicit singular and plural forms (for to-many associations whose plural is irregular).
     *
     * @param singular e.g. {@code "follower"}
     * @param plural   e.g. {@code "followers"}
     * @return this
     */
    public AssociationOptions as(String singular, String plural) {
        this.singular = Objects.requireNonNull(singular, "singular");
        this.plural = Objects.requireNonNull(plural, "plural");
        return this;
    }

    /** @param name the foreign key attribute name @return this */
    public AssociationOptions foreignKey(String name) {
        foreignKeySpec().name(name);
        this.foreignKeys = null;
        return this;
    }

    /**
     * A composite foreign key: one column per part of the referenced key, in its order
     * ({@code foreignKey("ownerAge", "ownerWeight")} for a target keyed by {@code primaryKey("age", "weight")}).
     * The DDL is one table constraint {@code FOREIGN KEY ("owner_age", "owner_weight") REFERENCES ...}.
     *
     * @param first the column for the first part
     * @param second the column for the second part
     * @param more the columns for further parts
     * @return this
     */
    public AssociationOptions foreignKey(String first, String second, String... more) {
        this.foreignKeys = parts(first, second, more);
        return this;
    }

    /** @param definition the foreign key column definition (name, type, notNull, ...) @return this */
    public AssociationOptions foreignKey(Consumer<AttributeSpec> definition) {
        Objects.requireNonNull(definition, "definition").accept(foreignKeySpec());
        return this;
    }

    private AttributeSpec foreignKeySpec() {
        if (foreignKey == null) {
            foreignKey = new AttributeSpec(null);
        }
        return foreignKey;
    }

    /** @param name the junction column that references the target (belongsToMany) @return this */
    public AssociationOptions otherKey(String name) {
        otherKeySpec().name(name);
        this.otherKeys = null;
        return this;
    }

    /**
     * @param first the junction column for the first part of the target's composite key (belongsToMany)
     * @param second the one for the second part
     * @param more the ones for further parts
     * @return this
     */
    public AssociationOptions otherKey(String first, String second, String... more) {
        this.otherKeys = parts(first, second, more);
        return this;
    }

    /** @param definition the junction column definition that references the target (belongsToMany) @return this */
    public AssociationOptions otherKey(Consumer<AttributeSpec> definition) {
        Objects.requireNonNull(definition, "definition").accept(otherKeySpec());
        return this;
    }

    private AttributeSpec otherKeySpec() {
        if (otherKey == null) {
            otherKey = new AttributeSpec(null);
        }
        return otherKey;
    }

    /** @param attribute the unique source attribute the foreign key references (hasOne, hasMany, belongsToMany) @return this */
    public AssociationOptions sourceKey(String attribute) {
        this.sourceKey = Objects.requireNonNull(attribute, "attribute");
        this.sourceKeys = null;
        return this;
    }

    /**
     * @param first the first of the source attributes a composite foreign key references (their set is the
     *     primary key or a unique key of the source; hasOne, hasMany, belongsToMany)
     * @param second the second
     * @param more further ones
     * @return this
     */
    public AssociationOptions sourceKey(String first, String second, String... more) {
        this.sourceKeys = parts(first, second, more);
        return this;
    }

    /**
     * @param first the first of the target attributes a composite foreign key references (their set is the
     *     primary key or a unique key of the target; belongsTo, belongsToMany)
     * @param second the second
     * @param more further ones
     * @return this
     */
    public AssociationOptions targetKey(String first, String second, String... more) {
        this.targetKeys = parts(first, second, more);
        return this;
    }

    private static List<String> parts(String first, String second, String... more) {
        List<String> parts = new ArrayList<>();
        parts.add(Objects.requireNonNull(first, "first"));
        parts.add(Objects.requireNonNull(second, "second"));
        parts.addAll(List.of(Args.elements(more, "more")));
        return List.copyOf(parts);
    }

    /** @param attribute the unique target attribute referenced (belongsTo, belongsToMany) @return this */
    public AssociationOptions targetKey(String attribute) {
        this.targetKey = Objects.requireNonNull(attribute, "attribute");
        this.targetKeys = null;
        return this;
    }

    /** @param junctionTable the junction table name; its model is generated (belongsToMany) @return this */
    public AssociationOptions through(String junctionTable) {
        this.throughName = Objects.requireNonNull(junctionTable, "junctionTable");
        this.throughModel = null;
        return this;
    }

    /** @param junction a defined model used as the junction; its extra columns are kept @return this */
    public AssociationOptions through(Model<?> junction) {
        this.throughModel = Objects.requireNonNull(junction, "junction");
        this.throughName = null;
        return this;
    }

    /** @param name the name of the junction's unique constraint (belongsToMany) @return this */
    public AssociationOptions uniqueKey(String name) {
        this.uniqueKey = Objects.requireNonNull(name, "name");
        return this;
    }

    /** @param unique false to create no unique key over the junction's two foreign keys @return this */
    public AssociationOptions unique(boolean unique) {
        this.unique = unique;
        return this;
    }

    /** @param action {@code ON DELETE} of the foreign key @return this */
    public AssociationOptions onDelete(ReferentialAction action) {
        this.onDelete = Objects.requireNonNull(action, "action");
        return this;
    }

    /** @param action {@code ON UPDATE} of the foreign key @return this */
    public AssociationOptions onUpdate(ReferentialAction action) {
        this.onUpdate = Objects.requireNonNull(action, "action");
        return this;
    }

    /** @param enabled false to create the column without a {@code REFERENCES} constraint (e.g. polymorphic) @return this */
    public AssociationOptions constraints(boolean enabled) {
        this.constraints = enabled;
        return this;
    }

    /**
     * A fixed value of a target attribute (Sequelize's {@code scope}): every read of the association
     * filters on it, every write is confined to targets that have it, and creates and links write it
     * (so {@code post.addComment(c)} sets {@code commentable = 'post'}). A collection of values
     * ({@code type in ('blue', 'green')}) is a filter only: it is never written, and a create must carry
     * one of the values itself.
     *
     * @param attribute the target attribute
     * @param value     its value, or a non-empty collection of values
     * @return this
     */
    public AssociationOptions scope(String attribute, Object value) {
        scope.put(Objects.requireNonNull(attribute, "attribute"), scopeValue(attribute, value));
        return this;
    }

    /**
     * A fixed value of a junction attribute (belongsToMany, Sequelize's {@code through.scope}): every
     * read filters on it, every junction write is confined to rows that have it, and added links get it.
     * A collection of values is a filter only (links cannot be added through such an association).
     *
     * @param attribute the junction attribute
     * @param value     its value, or a non-empty collection of values
     * @return this
     */
    public AssociationOptions throughScope(String attribute, Object value) {
        throughScope.put(Objects.requireNonNull(attribute, "attribute"), scopeValue(attribute, value));
        return this;
    }

    private static Object scopeValue(String attribute, Object value) {
        Objects.requireNonNull(value, "value");
        if (value instanceof Collection<?> c) {
            if (c.isEmpty() || c.stream().anyMatch(Objects::isNull)) {
                throw new ModelDefinitionException("scope '" + attribute + "': a list of values must be non-empty and"
                        + " without null, was " + c);
            }
            return List.copyOf(c);
        }
        return value;
    }
}
