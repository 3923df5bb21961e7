package io.relata;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Options of one model being defined (mutable; only used inside {@link SchemaBuilder#define(Class,
 * java.util.function.Consumer)}).
 */
public final class ModelBuilder {
    @Nullable String name;
    @Nullable String table;
    @Nullable Boolean timestamps;
    boolean paranoid;
    @Nullable String deletedAt;
    @Nullable String singular;
    @Nullable String plural;
    @Nullable Naming naming;
    @Nullable String version;
    final Map<String, AttributeSpec> attributes = new LinkedHashMap<>();
    final List<UniqueKey> uniqueKeys = new ArrayList<>();

    ModelBuilder() {
    }

    /** @param name the model name (default: the entity's simple class name); FK inference uses it @return this */
    public ModelBuilder name(String name) {
        this.name = Objects.requireNonNull(name, "name");
        return this;
    }

    /**
     * The names the model goes by when it is associated (Sequelize's {@code options.name: {singular,
     * plural}}): the default alias of an association to it ({@code User.hasMany(Task)} with Task named
     * {@code assignment}/{@code assignments} is {@code assignments}), hence its mixin names
     * ({@code getAssignments}, {@code addAssignment}), and the foreign keys inferred from it
     * ({@code assignmentId} on a belongsTo, {@code assignmentId} in a junction). The model name and the
     * table name stay as they are (Sequelize v6's documented behaviour).
     *
     * @param singular e.g. {@code "assignment"}
     * @param plural   e.g. {@code "assignments"}
     * @return this
     */
    public ModelBuilder name(String singular, String plural) {
        this.singular = Objects.requireNonNull(singular, "singular");
        this.plural = Objects.requireNonNull(plural, "plural");
        if (singular.isBlank() || plural.isBlank()) {
            throw new ModelDefinitionException("name(singular, plural): both names must be non-blank, were '" + singular
                    + "' and '" + plural + "'");
        }
        return this;
    }

    /**
     * This model's own naming (Sequelize's per-model {@code underscored}): its table name, its columns, the
     * columns of foreign keys it holds and of its timestamps, instead of the schema's
     * {@link SchemaBuilder#naming(Naming)}. A junction generated for a {@code through} name keeps the
     * schema's naming.
     *
     * @param naming e.g. {@link Naming#snakeCase()}
     * @return this
     */
    public ModelBuilder naming(Naming naming) {
        this.naming = Objects.requireNonNull(naming, "naming");
        return this;
    }

    /**
     * Soft delete (Sequelize's {@code paranoid: true}): {@code destroy} sets the {@code deletedAt} timestamp
     * instead of deleting the row, and every read (queries, includes at any depth, lazy loads, counts) leaves
     * rows that have one out unless asked with {@code paranoid(false)}. Needs timestamps, or a
     * {@link #deletedAt(String) deletedAt} attribute of its own; {@link SchemaBuilder#build()} throws a
     * {@link ModelDefinitionException} otherwise. The column is a nullable timestamp created by {@code sync()}.
     *
     * @param enabled whether rows are soft-deleted
     * @return this
     */
    public ModelBuilder paranoid(boolean enabled) {
        this.paranoid = enabled;
        return this;
    }

    /**
     * The attribute that records a soft delete (Sequelize's {@code deletedAt: 'destroyTime'}; default
     * {@code deletedAt}). Giving it lets a model without timestamps be paranoid.
     *
     * @param attribute the attribute name (an entity property of a date-time type, or a new column)
     * @return this
     */
    public ModelBuilder deletedAt(String attribute) {
        this.deletedAt = Objects.requireNonNull(attribute, "attribute");
        return this;
    }

    /** @param table the explicit table name (default: the naming strategy's plural of the model name) @return this */
    public ModelBuilder table(String table) {
        this.table = Objects.requireNonNull(table, "table");
        return this;
    }

    /** @param enabled whether {@code createdAt}/{@code updatedAt} are kept (default: the schema's, true) @return this */
    public ModelBuilder timestamps(boolean enabled) {
        this.timestamps = enabled;
        return this;
    }

    /**
     * Optimistic locking (Sequelize's {@code version: true}): an {@code INTEGER NOT NULL DEFAULT 0} attribute
     * {@code version} that {@code save} checks (a stale entity fails with {@link OptimisticLockException}) and
     * that every save, update and upsert increments. The entity may map it as a property to carry it.
     *
     * @param enabled whether the model keeps a version
     * @return this
     */
    public ModelBuilder version(boolean enabled) {
        this.version = enabled ? "version" : null;
        return this;
    }

    /**
     * {@link #version(boolean)} under another attribute name.
     *
     * @param attribute the version attribute's name
     * @return this
     */
    public ModelBuilder version(String attribute) {
        this.version = Objects.requireNonNull(attribute, "attribute");
        return this;
    }

    /**
     * Declares or refines an attribute with an explicit type.
     *
     * @param name the attribute (property) name
     * @param type the column type
     * @return the spec, to chain {@code notNull()}, {@code unique()}, ...
     */
    public AttributeSpec attribute(String name, DataType type) {
        return attribute(name).type(type);
    }

    /**
     * Declares or refines an attribute, keeping the inferred type unless set.
     *
     * @param name the attribute (property) name
     * @return the spec
     */
    public AttributeSpec attribute(String name) {
        Objects.requireNonNull(name, "name");
        return attributes.computeIfAbsent(name, AttributeSpec::new);
    }

    /**
     * A {@code UNIQUE} constraint over several attributes (Sequelize's {@code unique: 'name'} on each of
     * them), e.g. a polymorphic junction's {@code (tag_id, taggable, taggable_id)}. A belongsToMany through
     * this model uses it as the conflict target of {@code add} when it covers the association's keys.
     *
     * @param name the constraint name
     * @param attributes the attribute names, in order (at least one)
     * @return this
     */
    public ModelBuilder unique(String name, String... attributes) {
        Objects.requireNonNull(name, "name");
        Args.elements(attributes, "attributes");
        if (attributes.length == 0) {
            throw new ModelDefinitionException("unique key '" + name + "' needs at least one attribute");
        }
        uniqueKeys.add(new UniqueKey(name, List.of(attributes)));
        return this;
    }

    /** @param attribute the attribute that is the primary key (default {@code id}) @return this */
    public ModelBuilder primaryKey(String attribute) {
        Objects.requireNonNull(attribute, "attribute");
        attribute(attribute).primaryKey();
        return this;
    }

    /**
     * A composite primary key: {@code m.primaryKey("age", "weight")}. Its parts are never generated by a
     * sequence (declare {@code autoIncrement(true)} on one to have it), a composite key value is a
     * {@code List} of the parts in this order ({@code List.of(30, "kg")}), and associations that reference
     * the model get one foreign key column per part ({@code ownerAge}, {@code ownerWeight}).
     *
     * @param first the first part
     * @param second the second part
     * @param more further parts
     * @return this
     */
    public ModelBuilder primaryKey(String first, String second, String... more) {
        List<String> parts = new ArrayList<>(List.of(Objects.requireNonNull(first, "first"),
                Objects.requireNonNull(second, "second")));
        parts.addAll(List.of(Args.elements(more, "more")));
        if (Set.copyOf(parts).size() != parts.size()) {
            throw new ModelDefinitionException("primary key " + parts + " names an attribute twice");
        }
        for (String part : parts) {
            attribute(part).primaryKey();
        }
        return this;
    }
}
