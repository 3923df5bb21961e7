package io.relata;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A model: an entity type mapped to a table, with its attributes and the associations it knows.
 * Associations are defined on the model before {@link SchemaBuilder#build()}; everything else is
 * resolved and frozen by it. Thread-safe once built.
 *
 * @param <T> the entity type (a record, a class with a no-arg constructor, or {@code Map} for a
 *            generated junction model)
 */
public final class Model<T> {
    final SchemaBuilder owner;
    final Class<T> type;
    final ModelBuilder config;
    final String name;
    final boolean generated;
    final List<AssociationBase<T, ?>> defined = new ArrayList<>();
    final List<ModelCheck<T>> checks = new ArrayList<>();

    private volatile boolean frozen;
    private String table = "";
    private boolean timestamps;
    private List<Attribute> attributes = List.of();
    private Map<String, Attribute> byName = Map.of();
    private List<Attribute> primaryKeys = List.of();
    private Map<String, Association<T, ?>> associations = Map.of();
    private @Nullable EntityMapper<T> mapper;
    private Map<Association<T, ?>, Integer> slots = Map.of();
    private Map<Model<?>, Integer> throughSlots = Map.of();
    private List<UniqueKey> uniqueKeys = List.of();
    private @Nullable Attribute deletedAt;
    private List<CompositeReference> compositeReferences = List.of();

    Model(SchemaBuilder owner, Class<T> type, ModelBuilder config, boolean generated) {
        this.owner = owner;
        this.type = type;
        this.config = config;
        this.name = config.name != null ? config.name : type.getSimpleName();
        this.generated = generated;
    }

    /** @return the model name (the entity's simple class name unless set) */
    public String name() {
        return name;
    }

    /**
     * @return the singular name associations to this model default to ({@link ModelBuilder#name(String, String)};
     *     else the singular of the model name)
     */
    public String singularName() {
        return config.singular != null ? config.singular : Inflector.singularize(name);
    }

    /**
     * @return the plural name associations to this model default to ({@link ModelBuilder#name(String, String)};
     *     else the plural of the model name)
     */
    public String pluralName() {
        return config.plural != null ? config.plural : Inflector.pluralize(name);
    }

    /** @return whether rows are soft-deleted ({@link ModelBuilder#paranoid(boolean)}) */
    public boolean paranoid() {
        check();
        return deletedAt != null;
    }

    /** @return the attribute that records soft deletes, or null when the model is not paranoid */
    public @Nullable Attribute deletedAt() {
        check();
        return deletedAt;
    }

    /** @return the entity class */
    public Class<T> entityType() {
        return type;
    }

    /** @return the table name */
    public String tableName() {
        check();
        return table;
    }

    /** @return whether {@code createdAt}/{@code updatedAt} are maintained */
    public boolean timestamps() {
        check();
        return timestamps;
    }

    /** @return all attributes (columns) in DDL order */
    public List<Attribute> attributes() {
        check();
        return attributes;
    }

    /**
     * @param attributeName an attribute name
     * @return the attribute, or null when the model has none of that name
     */
    public @Nullable Attribute attribute(String attributeName) {
        Objects.requireNonNull(attributeName, "attributeName");
        check();
        return byName.get(attributeName);
    }

    /**
     * @param attributeName an attribute name
     * @return the attribute
     * @throws QueryDefinitionException naming the model and its valid attributes when it has none of that name
     */
    public Attribute requireAttribute(String attributeName) {
        Attribute a = attribute(attributeName);
        if (a == null) {
            throw new QueryDefinitionException("Unknown attribute '" + attributeName + "' on model " + name
                    + "; valid attributes: " + String.join(", ", byName.keySet()));
        }
        return a;
    }

    /**
     * @return the primary key attribute
     * @throws QueryDefinitionException when the key is composite (use {@link #primaryKeys()})
     */
    public Attribute primaryKey() {
        check();
        if (primaryKeys.size() != 1) {
            throw new QueryDefinitionException("model " + name + " has a composite primary key "
                    + primaryKeys.stream().map(Attribute::name).toList() + "; this operation needs a single-column key");
        }
        return primaryKeys.get(0);
    }

    /**
     * @return the primary key attributes, in attribute order: one, or several for a composite key
     *     ({@link ModelBuilder#primaryKey(String, String, String...)}, a junction without its own key); a
     *     composite key value is a {@code List} of the parts in this order
     */
    public List<Attribute> primaryKeys() {
        check();
        return primaryKeys;
    }

    /** @return the associations this model knows, by alias, in definition order */
    public Map<String, Association<T, ?>> associations() {
        check();
        return associations;
    }

    /**
     * @param alias an association alias
     * @return the association
     * @throws QueryDefinitionException when this model has no association of that alias
     */
    public Association<T, ?> association(String alias) {
        Objects.requireNonNull(alias, "alias");
        check();
        Association<T, ?> a = associations.get(alias);
        if (a == null) {
            throw new QueryDefinitionException("Model " + name + " has no association aliased '" + alias
                    + "'; its aliases: " + describeAliases());
        }
        return a;
    }

    /** @return the aliases of this model's associations, for error messages */
    public String describeAliases() {
        return associations.isEmpty() ? "(none)" : associations.values().stream()
                .map(a -> a.as() + " (" + a.target().name() + ")").collect(Collectors.joining(", "));
    }

    EntityMapper<T> mapper() {
        check();
        return Objects.requireNonNull(mapper);
    }

    /**
     * Builds an entity from property values: the low-level construction row readers use (values indexed
     * like {@link Attribute#property()}, one per property of the entity).
     *
     * @param values the property values, in property order; the entity does not keep the array, so a caller may
     *     fill it again for the next entity (null values of primitive properties are replaced in it by the
     *     primitive's default)
     * @return the entity
     * @throws ModelDefinitionException when the entity's constructor or a setter fails
     */
    public T instantiate(@Nullable Object[] values) {
        Objects.requireNonNull(values, "values");
        return mapper().create(values);
    }

    /** @return the number of the entity's properties (the length {@link #instantiate} expects) */
    public int propertyCount() {
        return mapper().properties().size();
    }

    /**
     * Reads one property of an entity of this model: the low-level access writes and key extraction use.
     *
     * @param entity an entity of this model
     * @param property a property index ({@link Attribute#property()})
     * @return the value, or null
     * @throws QueryDefinitionException when the entity is not of this model
     */
    public @Nullable Object valueOf(Object entity, int property) {
        Objects.requireNonNull(entity, "entity");
        if (!type.isInstance(entity)) {
            throw new QueryDefinitionException("a " + entity.getClass().getSimpleName() + " is not a " + name
                    + " (" + type.getName() + ")");
        }
        return mapper().get(type.cast(entity), property);
    }

    /**
     * @param association an association of this model
     * @return the entity property index filled by it, or -1 when the entity has no slot for it
     */
    public int slot(Association<T, ?> association) {
        Objects.requireNonNull(association, "association");
        check();
        return slots.getOrDefault(association, -1);
    }

    /**
     * @param junction a junction model
     * @return the entity property index that carries junction attributes, or -1
     */
    public int throughSlot(Model<?> junction) {
        Objects.requireNonNull(junction, "junction");
        check();
        return throughSlots.getOrDefault(junction, -1);
    }

    /** @return multi-column unique constraints (junction keys) */
    public List<UniqueKey> uniqueKeys() {
        check();
        return uniqueKeys;
    }

    /** @return the foreign keys over several columns (each one table constraint), in definition order */
    public List<CompositeReference> compositeReferences() {
        check();
        return compositeReferences;
    }

    /** @return whether the model was generated for a {@code through} table name */
    public boolean isGeneratedJunction() {
        return generated;
    }

    // ---- validation (before build) ----

    /**
     * A model-level validator (Sequelize's model {@code validate: { bothCoordsOrNone() {...} }}): checks a whole
     * entity on create, bulkCreate, save and upsert, before any SQL. {@code update(query, changes)} has no entity
     * and runs attribute validators only.
     *
     * @param name its name in violations
     * @param message what is reported when it fails
     * @param test true when the entity is valid
     * @return this model
     */
    public Model<T> validate(String name, String message, Predicate<? super T> test) {
        ModelCheck<T> check = new ModelCheck<>(Objects.requireNonNull(name, "name"),
                Objects.requireNonNull(message, "message"), Objects.requireNonNull(test, "test"));
        owner.checkOpen("add a validator to " + this.name);
        checks.add(check);
        return this;
    }

    /** A model-level validator. */
    record ModelCheck<T>(String name, String message, Predicate<? super T> test) {
    }

    // ---- association definitions (before build) ----

    /**
     * @param target the target model
     * @param <U> its entity
     * @return the association handle
     */
    public <U> HasOne<T, U> hasOne(Model<U> target) {
        return hasOne(target, o -> { });
    }

    /**
     * @param target the target model
     * @param options its options
     * @param <U> its entity
     * @return the handle
     */
    public <U> HasOne<T, U> hasOne(Model<U> target, Consumer<AssociationOptions> options) {
        return add(new HasOne<>(this, target, configure(target, options)));
    }

    /**
     * @param target the target model
     * @param <U> its entity
     * @return the association handle
     */
    public <U> BelongsTo<T, U> belongsTo(Model<U> target) {
        return belongsTo(target, o -> { });
    }

    /**
     * @param target the target model
     * @param options its options
     * @param <U> its entity
     * @return the handle
     */
    public <U> BelongsTo<T, U> belongsTo(Model<U> target, Consumer<AssociationOptions> options) {
        return add(new BelongsTo<>(this, target, configure(target, options)));
    }

    /**
     * @param target the target model
     * @param <U> its entity
     * @return the association handle
     */
    public <U> HasMany<T, U> hasMany(Model<U> target) {
        return hasMany(target, o -> { });
    }

    /**
     * @param target the target model
     * @param options its options
     * @param <U> its entity
     * @return the handle
     */
    public <U> HasMany<T, U> hasMany(Model<U> target, Consumer<AssociationOptions> options) {
        return add(new HasMany<>(this, target, configure(target, options)));
    }

    /**
     * @param target the target model
     * @param options its options; {@code through} is required
     * @param <U> its entity
     * @return the handle
     */
    public <U> BelongsToMany<T, U> belongsToMany(Model<U> target, Consumer<AssociationOptions> options) {
        return add(new BelongsToMany<>(this, target, configure(target, options)));
    }

    private AssociationOptions configure(Model<?> target, Consumer<AssociationOptions> options) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(options, "options");
        owner.checkOpen("define an association on " + name);
        if (target.owner != owner) {
            throw new ModelDefinitionException("model " + target.name + " belongs to another schema than " + name);
        }
        AssociationOptions o = new AssociationOptions();
        options.accept(o);
        return o;
    }

    private <A extends AssociationBase<T, ?>> A add(A association) {
        defined.add(association);
        owner.defined(association);
        return association;
    }

    // ---- freezing (called by the compiler) ----

    void compositeReferences(List<CompositeReference> references) {
        this.compositeReferences = List.copyOf(references);
    }

    void freeze(String table, boolean timestamps, List<Attribute> attributes, List<Attribute> primaryKeys,
            Map<String, Association<T, ?>> associations, EntityMapper<T> mapper,
            Map<Association<T, ?>, Integer> slots, Map<Model<?>, Integer> throughSlots, List<UniqueKey> uniqueKeys) {
        this.uniqueKeys = List.copyOf(uniqueKeys);
        this.table = table;
        this.timestamps = timestamps;
        this.attributes = List.copyOf(attributes);
        Map<String, Attribute> index = new LinkedHashMap<>();
        attributes.forEach(a -> index.put(a.name(), a));
        this.byName = Collections.unmodifiableMap(index);
        this.primaryKeys = List.copyOf(primaryKeys);
        this.associations = Collections.unmodifiableMap(new LinkedHashMap<>(associations));
        this.mapper = mapper;
        this.slots = Map.copyOf(slots);
        this.throughSlots = Map.copyOf(throughSlots);
        this.deletedAt = attributes.stream().filter(a -> a.role() == Attribute.Role.DELETED_AT).findFirst().orElse(null);
        this.frozen = true;
    }

    private void check() {
        if (!frozen) {
            throw new QueryDefinitionException("model " + name + " is resolved by SchemaBuilder.build(); build the schema first");
        }
    }

    @Override
    public String toString() {
        return "Model(" + name + ")";
    }
}
