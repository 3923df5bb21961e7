package io.relata;

import io.relata.internal.EntityMapper;
import io.relata.internal.EntityMapper.Property;
import io.relata.internal.Inflector;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Turns definitions into frozen models: infers attributes from entity properties, primary keys,
 * timestamps, association aliases and foreign keys (Sequelize's rules), generates junction models,
 * and rejects what cannot be valid with messages that name the models and the option.
 */
final class SchemaCompiler {
    private final SchemaBuilder b;
    private final Map<Model<?>, Draft> drafts = new LinkedHashMap<>();
    private final Map<String, Model<?>> generatedJunctions = new LinkedHashMap<>();
    private final Set<Model<?>> throughModels = new HashSet<>();
    private final Map<Class<?>, Model<?>> entityModels = new HashMap<>();
    private final List<Runnable> resolutions = new ArrayList<>();

    SchemaCompiler(SchemaBuilder b) {
        this.b = b;
    }

    private static final class DraftAttr {
        final String name;
        @Nullable String field;
        @Nullable DataType type;
        boolean typeDeclared;
        Class<?> javaType = Object.class;
        boolean pk;
        @Nullable Boolean autoIncrement;
        boolean notNull;
        boolean unique;
        @Nullable DefaultValue defaultValue;
        int property = -1;
        Attribute.Role role = Attribute.Role.PLAIN;
        @Nullable FkDraft fk;
        @Nullable Attribute done;

        DraftAttr(String name) {
            this.name = name;
        }
    }

    private static final class FkDraft {
        final Model<?> refModel;
        final String refAttr;
        @Nullable ReferentialAction onDelete;
        @Nullable ReferentialAction onUpdate;
        boolean constraints;
        final boolean manyToMany;
        final String definedBy;
        /** further models the column refers to (a polymorphic key: every definition has constraints(false)) */
        final List<FkDraft> others = new ArrayList<>();

        FkDraft(Model<?> refModel, String refAttr, @Nullable ReferentialAction onDelete,
                @Nullable ReferentialAction onUpdate, boolean constraints, boolean manyToMany, String definedBy) {
            this.refModel = refModel;
            this.refAttr = refAttr;
            this.onDelete = onDelete;
            this.onUpdate = onUpdate;
            this.constraints = constraints;
            this.manyToMany = manyToMany;
            this.definedBy = definedBy;
        }
    }

    private static final class Draft {
        final Model<?> model;
        final LinkedHashMap<String, DraftAttr> attrs = new LinkedHashMap<>();
        final List<Property> properties;
        final Map<String, Integer> slotProperties = new LinkedHashMap<>();
        final LinkedHashMap<String, Association<?, ?>> associations = new LinkedHashMap<>();
        final List<UniqueKey> uniqueKeys = new ArrayList<>();
        final List<String> compositeKey = new ArrayList<>();
        boolean timestamps;

        Draft(Model<?> model, List<Property> properties) {
            this.model = model;
            this.properties = properties;
        }
    }

    Schema compile() {
        for (Model<?> m : b.models) {
            entityModels.put(m.type, m);
        }
        for (AssociationBase<?, ?> a : b.associations) {
            if (a.options.throughModel != null) {
                throughModels.add(a.options.throughModel);
            }
        }
        for (Model<?> m : b.models) {
            drafts.put(m, draft(m));
        }
        for (AssociationBase<?, ?> a : b.associations) {
            associate(a);
        }
        List<Model<?>> all = new ArrayList<>(drafts.keySet());
        for (Draft d : drafts.values()) {
            finishKeys(d);
        }
        for (Draft d : drafts.values()) {
            for (DraftAttr a : d.attrs.values()) {
                attribute(d, a, new HashSet<>());
            }
        }
        for (Draft d : drafts.values()) {
            for (Map.Entry<String, Association<?, ?>> e : d.associations.entrySet()) {
                if (d.attrs.containsKey(e.getKey())) {
                    throw aliasClash(d, e.getKey(), e.getValue().target());
                }
            }
        }
        resolutions.forEach(Runnable::run);
        for (Draft d : drafts.values()) {
            freeze(d);
        }
        return new Schema(all, b.naming);
    }

    // ---- models ----

    private Draft draft(Model<?> m) {
        List<Property> props = EntityMapper.propertiesOf(m.type);
        Draft d = new Draft(m, props);
        for (int i = 0; i < props.size(); i++) {
            Property p = props.get(i);
            if (slotTarget(p) != null) {
                d.slotProperties.put(p.name(), i);
                continue;
            }
            AttributeSpec spec = m.config.attributes.get(p.name());
            DraftAttr a = new DraftAttr(p.name());
            a.property = i;
            a.javaType = box(p.type());
            a.notNull = p.type().isPrimitive();
            if (spec != null) {
                apply(m, a, spec);
            }
            if (a.type == null) {
                a.type = DataType.infer(p.type());
                if (a.type == null) {
                    throw new ModelDefinitionException("model " + m.name + ": property '" + p.name() + "' of type "
                            + p.type().getName() + " has no column type; declare it with m.attribute(\"" + p.name()
                            + "\", DataType....), or make it a model type (or List of one) for an association slot");
                }
            }
            d.attrs.put(a.name, a);
        }
        for (Map.Entry<String, AttributeSpec> e : m.config.attributes.entrySet()) {
            if (d.attrs.containsKey(e.getKey())) {
                continue;
            }
            if (d.slotProperties.containsKey(e.getKey())) {
                throw new ModelDefinitionException("model " + m.name + ": '" + e.getKey()
                        + "' is an association slot (its type is a model), it cannot be declared as an attribute");
            }
            DraftAttr a = new DraftAttr(e.getKey());
            apply(m, a, e.getValue());
            if (a.type == null) {
                throw new ModelDefinitionException("model " + m.name + ": attribute '" + e.getKey()
                        + "' is not a property of " + m.type.getSimpleName()
                        + " and has no type; declare it with m.attribute(\"" + e.getKey() + "\", DataType....)");
            }
            a.javaType = a.type.javaType();
            d.attrs.put(a.name, a);
        }
        boolean hasPk = d.attrs.values().stream().anyMatch(a -> a.pk);
        if (!hasPk) {
            DraftAttr id = d.attrs.get("id");
            if (id != null) {
                id.pk = true;
            } else if (!throughModels.contains(m)) {
                id = new DraftAttr("id");
                id.type = DataType.bigint();
                id.javaType = Long.class;
                id.pk = true;
                LinkedHashMap<String, DraftAttr> rest = new LinkedHashMap<>(d.attrs);
                d.attrs.clear();
                d.attrs.put("id", id);
                d.attrs.putAll(rest);
            }
        }
        d.uniqueKeys.addAll(m.config.uniqueKeys);
        d.timestamps = m.config.timestamps != null ? m.config.timestamps : b.timestamps;
        if (d.timestamps) {
            timestamp(d, "createdAt", Attribute.Role.CREATED_AT);
            timestamp(d, "updatedAt", Attribute.Role.UPDATED_AT);
        }
        return d;
    }

    private void timestamp(Draft d, String name, Attribute.Role role) {
        DraftAttr a = d.attrs.get(name);
        if (a == null) {
            a = new DraftAttr(name);
            a.type = DataType.timestamptz();
            a.javaType = a.type.javaType();
            d.attrs.put(name, a);
        } else if (!a.typeDeclared && a.javaType == java.time.LocalDateTime.class) {
            a.type = DataType.timestamp();
        }
        a.notNull = true;
        a.role = role;
    }

    private void apply(Model<?> m, DraftAttr a, AttributeSpec spec) {
        if (spec.type != null) {
            a.type = spec.type;
            a.typeDeclared = true;
        }
        if (spec.notNull != null) {
            a.notNull = spec.notNull;
        }
        a.unique |= spec.unique;
        if (spec.defaultValue != null) {
            a.defaultValue = spec.defaultValue;
        }
        if (spec.field != null) {
            a.field = spec.field;
        }
        a.pk |= spec.primaryKey;
        if (spec.autoIncrement != null) {
            a.autoIncrement = spec.autoIncrement;
        }
    }

    private @Nullable Class<?> slotTarget(Property p) {
        if (entityModels.containsKey(p.type())) {
            return p.type();
        }
        if (Collection.class.isAssignableFrom(p.type()) && p.genericType() instanceof ParameterizedType pt) {
            Type arg = pt.getActualTypeArguments()[0];
            if (arg instanceof Class<?> c && entityModels.containsKey(c)) {
                return c;
            }
        }
        return null;
    }

    private Draft draftOf(Model<?> m) {
        Draft d = drafts.get(m);
        if (d == null) {
            throw new ModelDefinitionException("model " + m.name + " is not part of this schema");
        }
        return d;
    }

    // ---- associations ----

    private void associate(AssociationBase<?, ?> a) {
        Association.Kind kind = ((Association<?, ?>) a).kind();
        AssociationOptions o = a.options;
        Model<?> source = a.source;
        Model<?> target = a.target;
        String what = source.name + "." + method(kind) + "(" + target.name + ")";
        rejectInapplicable(kind, o, what);
        boolean toMany = kind == Association.Kind.HAS_MANY || kind == Association.Kind.BELONGS_TO_MANY;
        String singular;
        String plural;
        if (toMany) {
            plural = o.plural != null ? o.plural : o.as != null ? o.as : Inflector.pluralize(target.name);
            singular = o.singular != null ? o.singular : Inflector.singularize(o.as != null ? o.as : target.name);
        } else {
            singular = o.singular != null ? o.singular : o.as != null ? o.as : Inflector.singularize(target.name);
            plural = o.plural != null ? o.plural : Inflector.pluralize(singular);
        }
        String as = toMany ? plural : singular;
        Draft sd = draftOf(source);
        Draft td = draftOf(target);
        Association<?, ?> existing = sd.associations.get(as);
        if (existing != null) {
            throw new ModelDefinitionException("model " + source.name + " has two associations aliased '" + as
                    + "' (" + existing + " and " + what + "); tell them apart with different as(...) aliases");
        }
        if (sd.attrs.containsKey(as)) {
            throw aliasClash(sd, as, target);
        }
        sd.associations.put(as, (Association<?, ?>) a);
        a.names(as, singular, plural);
        switch (kind) {
            case HAS_ONE, HAS_MANY -> {
                String sk = o.sourceKey != null ? o.sourceKey : pkName(sd);
                requireKey(sd, sk, "sourceKey", what);
                String prefix = Inflector.singularize(kind == Association.Kind.HAS_ONE && o.as != null ? o.as : source.name);
                String fk = foreignKeyName(td, o.foreignKey != null ? o.foreignKey : inverseForeignKey(a), prefix, pkName(sd));
                addForeignKey(td, fk, o.foreignKey, source, sk, o, false, what);
                resolutions.add(() -> a.resolve(done(td, fk), done(sd, sk), done(td, fk), null, null));
            }
            case BELONGS_TO -> {
                String tk = o.targetKey != null ? o.targetKey : pkName(td);
                requireKey(td, tk, "targetKey", what);
                String fk = foreignKeyName(sd, o.foreignKey != null ? o.foreignKey : inverseForeignKey(a), singular, pkName(td));
                addForeignKey(sd, fk, o.foreignKey, target, tk, o, false, what);
                resolutions.add(() -> a.resolve(done(sd, fk), done(sd, fk), done(td, tk), null, null));
            }
            case BELONGS_TO_MANY -> {
                String sk = o.sourceKey != null ? o.sourceKey : pkName(sd);
                String tk = o.targetKey != null ? o.targetKey : pkName(td);
                requireKey(sd, sk, "sourceKey", what);
                requireKey(td, tk, "targetKey", what);
                Model<?> junction = junction(o, what);
                Draft jd = draftOf(junction);
                boolean self = source == target;
                AssociationBase<?, ?> pair = pairOf(a);
                // Sequelize pairs the two halves through one junction: a key left to inference is the
                // key the other half names for that side
                AttributeSpec fkSpec = o.foreignKey != null ? o.foreignKey : pair == null ? null : named(pair.options.otherKey);
                AttributeSpec otherSpec = o.otherKey != null ? o.otherKey : pair == null ? null : named(pair.options.foreignKey);
                String fk = foreignKeyName(jd, fkSpec, Inflector.singularize(source.name), sk);
                String other = foreignKeyName(jd, otherSpec, self ? singular : Inflector.singularize(target.name), tk);
                if (fk.equals(other)) {
                    throw new ModelDefinitionException(what + ": the junction " + junction.name
                            + " would get the same column '" + fk + "' for both sides; give foreignKey(...) and otherKey(...)");
                }
                boolean explicit = !junction.generated;
                addForeignKey(jd, fk, o.foreignKey, source, sk, o, explicit, what);
                addForeignKey(jd, other, o.otherKey, target, tk, o, explicit, what + " (otherKey)");
                junctionKey(jd, fk, other, o);
                for (String s : o.throughScope.keySet()) {
                    if (!jd.attrs.containsKey(s)) {
                        throw new ModelDefinitionException(what + ": throughScope attribute '" + s
                                + "' is not an attribute of the junction " + junction.name + "; its attributes: "
                                + String.join(", ", jd.attrs.keySet()));
                    }
                }
                resolutions.add(() -> a.resolve(done(jd, fk), done(sd, sk), done(td, tk), junction, done(jd, other)));
            }
            default -> throw new IllegalStateException(kind.toString());
        }
        for (String s : o.scope.keySet()) {
            if (!td.attrs.containsKey(s)) {
                throw new ModelDefinitionException(what + ": scope attribute '" + s + "' is not an attribute of "
                        + target.name + "; its attributes: " + String.join(", ", td.attrs.keySet()));
            }
        }
    }

    /**
     * The foreign key named on the other half of a pair ({@code Foo.hasOne(Bar, {foreignKey: 'myFooId'})}
     * with {@code Bar.belongsTo(Foo)}): both halves then share the column, as the guide's four options
     * show. Only when the pairing is unambiguous: one association each way between the two models.
     */
    private @Nullable AttributeSpec inverseForeignKey(AssociationBase<?, ?> a) {
        boolean belongsTo = ((Association<?, ?>) a).kind() == Association.Kind.BELONGS_TO;
        List<AssociationBase<?, ?>> sameWay = new ArrayList<>();
        List<AssociationBase<?, ?>> inverse = new ArrayList<>();
        for (AssociationBase<?, ?> b : this.b.associations) {
            Association.Kind k = ((Association<?, ?>) b).kind();
            if (k == Association.Kind.BELONGS_TO_MANY) {
                continue;
            }
            boolean bBelongsTo = k == Association.Kind.BELONGS_TO;
            if (b.source == a.source && b.target == a.target && bBelongsTo == belongsTo) {
                sameWay.add(b);
            } else if (b.source == a.target && b.target == a.source && bBelongsTo != belongsTo && b != a) {
                inverse.add(b);
            }
        }
        if (sameWay.size() != 1 || inverse.size() != 1) {
            return null;
        }
        AttributeSpec spec = inverse.get(0).options.foreignKey;
        return spec != null && spec.name != null ? spec : null;
    }

    /**
     * The other half of a belongsToMany pair: the one belongsToMany from the target back to the source
     * through the same junction (Sequelize's {@code paired}); null when there is none or several that
     * disagree on their keys.
     */
    private @Nullable AssociationBase<?, ?> pairOf(AssociationBase<?, ?> a) {
        List<AssociationBase<?, ?>> candidates = new ArrayList<>();
        for (AssociationBase<?, ?> b : this.b.associations) {
            if (b != a && ((Association<?, ?>) b).kind() == Association.Kind.BELONGS_TO_MANY
                    && b.source == a.target && b.target == a.source && sameJunction(a.options, b.options)) {
                candidates.add(b);
            }
        }
        if (candidates.isEmpty()) {
            return null;
        }
        AssociationBase<?, ?> first = candidates.get(0);
        for (AssociationBase<?, ?> c : candidates) {
            if (!Objects.equals(nameOf(c.options.foreignKey), nameOf(first.options.foreignKey))
                    || !Objects.equals(nameOf(c.options.otherKey), nameOf(first.options.otherKey))) {
                return null;
            }
        }
        return first;
    }

    private static boolean sameJunction(AssociationOptions x, AssociationOptions y) {
        if (x.throughModel != null || y.throughModel != null) {
            return x.throughModel == y.throughModel;
        }
        return Objects.equals(x.throughName, y.throughName);
    }

    private static @Nullable String nameOf(@Nullable AttributeSpec spec) {
        return spec == null ? null : spec.name;
    }

    /** A spec carrying only the name of another association's key (its other options stay with it). */
    private static @Nullable AttributeSpec named(@Nullable AttributeSpec spec) {
        return spec == null || spec.name == null ? null : new AttributeSpec(spec.name);
    }

    private static ModelDefinitionException aliasClash(Draft d, String alias, Model<?> target) {
        return new ModelDefinitionException("model " + d.model.name + ": association alias '" + alias
                + "' (to " + target.name + ") clashes with an attribute of the same name; choose another alias with as(...)");
    }

    private static String method(Association.Kind kind) {
        return switch (kind) {
            case HAS_ONE -> "hasOne";
            case HAS_MANY -> "hasMany";
            case BELONGS_TO -> "belongsTo";
            case BELONGS_TO_MANY -> "belongsToMany";
        };
    }

    private static void rejectInapplicable(Association.Kind kind, AssociationOptions o, String what) {
        List<String> bad = new ArrayList<>();
        if (kind != Association.Kind.BELONGS_TO_MANY) {
            if (o.throughName != null || o.throughModel != null) {
                bad.add("through");
            }
            if (o.otherKey != null) {
                bad.add("otherKey");
            }
            if (o.uniqueKey != null) {
                bad.add("uniqueKey");
            }
            if (!o.throughScope.isEmpty()) {
                bad.add("throughScope");
            }
        } else if (o.throughName == null && o.throughModel == null) {
            throw new ModelDefinitionException(what + ": belongsToMany needs a junction; give through(\"TableName\") or through(junctionModel)");
        }
        if (kind == Association.Kind.BELONGS_TO && o.sourceKey != null) {
            bad.add("sourceKey (belongsTo references the target: use targetKey)");
        }
        if ((kind == Association.Kind.HAS_ONE || kind == Association.Kind.HAS_MANY) && o.targetKey != null) {
            bad.add("targetKey (" + method(kind) + " keeps the foreign key on the target: use sourceKey)");
        }
        if (kind == Association.Kind.BELONGS_TO && !o.scope.isEmpty()) {
            bad.add("scope");
        }
        if (!bad.isEmpty()) {
            throw new ModelDefinitionException(what + ": option(s) " + String.join(", ", bad)
                    + " do not apply to " + method(kind));
        }
    }

    private Model<?> junction(AssociationOptions o, String what) {
        if (o.throughModel != null) {
            draftOf(o.throughModel);
            return o.throughModel;
        }
        String name = Objects.requireNonNull(o.throughName);
        Model<?> existing = generatedJunctions.get(name);
        if (existing != null) {
            return existing;
        }
        for (Model<?> m : drafts.keySet()) {
            if (!m.generated && (m.name.equals(name))) {
                return m;
            }
        }
        ModelBuilder config = new ModelBuilder();
        config.name(name).table(name);
        @SuppressWarnings({"unchecked", "rawtypes"})
        Model<?> model = new Model(b, Map.class, config, true);
        Draft d = new Draft(model, List.of());
        d.timestamps = b.timestamps;
        if (d.timestamps) {
            timestamp(d, "createdAt", Attribute.Role.CREATED_AT);
            timestamp(d, "updatedAt", Attribute.Role.UPDATED_AT);
        }
        drafts.put(model, d);
        generatedJunctions.put(name, model);
        return model;
    }

    private void junctionKey(Draft jd, String fk, String other, AssociationOptions o) {
        Set<String> pair = Set.of(fk, other);
        boolean ownPk = jd.attrs.values().stream().anyMatch(a -> a.pk);
        if (!ownPk) {
            if (jd.compositeKey.isEmpty()) {
                jd.compositeKey.add(fk);
                jd.compositeKey.add(other);
            } else if (!Set.copyOf(jd.compositeKey).equals(pair)) {
                throw new ModelDefinitionException("junction " + jd.model.name + " is used with keys " + jd.compositeKey
                        + " and " + List.of(fk, other) + "; one junction joins one pair of keys");
            }
            if (o.uniqueKey != null) {
                addUnique(jd, o.uniqueKey, fk, other);
            }
            return;
        }
        if (o.unique) {
            String name = o.uniqueKey != null ? o.uniqueKey : tableName(jd) + "_" + fk + "_" + other + "_unique";
            addUnique(jd, name, fk, other);
        }
    }

    private static void addUnique(Draft jd, String name, String fk, String other) {
        Set<String> pair = Set.of(fk, other);
        if (jd.uniqueKeys.stream().noneMatch(u -> Set.copyOf(u.attributes()).equals(pair))) {
            jd.uniqueKeys.add(new UniqueKey(name, List.of(fk, other)));
        }
    }

    private static String pkName(Draft d) {
        return d.attrs.values().stream().filter(a -> a.pk).map(a -> a.name).findFirst()
                .orElseThrow(() -> new ModelDefinitionException("model " + d.model.name + " has no primary key"));
    }

    private static void requireKey(Draft d, String key, String option, String what) {
        DraftAttr a = d.attrs.get(key);
        if (a == null) {
            throw new ModelDefinitionException(what + ": " + option + " '" + key + "' is not an attribute of "
                    + d.model.name + "; its attributes: " + String.join(", ", d.attrs.keySet()));
        }
        if (!a.pk && !a.unique) {
            throw new ModelDefinitionException(what + ": " + option + " '" + key + "' of " + d.model.name
                    + " is neither the primary key nor unique; a referenced column needs a unique constraint"
                    + " (declare m.attribute(\"" + key + "\").unique())");
        }
    }

    /** Sequelize's inferred name, spelled like an existing entity property when one differs only in case. */
    private static String foreignKeyName(Draft holder, @Nullable AttributeSpec spec, String prefix, String key) {
        if (spec != null && spec.name != null) {
            return spec.name;
        }
        String inferred = Inflector.camelize(prefix, key);
        if (!holder.attrs.containsKey(inferred)) {
            for (DraftAttr a : holder.attrs.values()) {
                if (a.property >= 0 && a.name.equalsIgnoreCase(inferred)
                        && Inflector.decapitalize(a.name).equals(Inflector.decapitalize(inferred))) {
                    return a.name;
                }
            }
        }
        return inferred;
    }

    private void addForeignKey(Draft holder, String name, @Nullable AttributeSpec spec, Model<?> refModel,
            String refAttr, AssociationOptions o, boolean explicitJunction, String what) {
        if (holder.slotProperties.containsKey(name)) {
            throw new ModelDefinitionException(what + ": foreign key '" + name + "' clashes with the association slot '"
                    + name + "' of " + holder.model.name);
        }
        DraftAttr a = holder.attrs.get(name);
        if (a == null) {
            a = new DraftAttr(name);
            holder.attrs.put(name, a);
        }
        boolean m2n = explicitJunction || holder.model.generated;
        // a column's own onDelete/onUpdate (e.g. one side of a junction) wins over the association's
        ReferentialAction onDelete = spec != null && spec.onDelete != null ? spec.onDelete : o.onDelete;
        ReferentialAction onUpdate = spec != null && spec.onUpdate != null ? spec.onUpdate : o.onUpdate;
        FkDraft fk = new FkDraft(refModel, refAttr, onDelete, onUpdate, o.constraints, m2n, what);
        if (a.fk == null) {
            a.fk = fk;
        } else {
            FkDraft prev = a.fk;
            boolean sameTarget = prev.refModel == refModel && prev.refAttr.equals(refAttr)
                    && prev.others.stream().allMatch(x -> x.refModel == refModel && x.refAttr.equals(refAttr));
            if (!sameTarget) {
                if (prev.constraints || o.constraints) {
                    throw new ModelDefinitionException("conflicting foreign key definitions for " + holder.model.name
                            + "." + name + ": " + prev.definedBy + " makes it reference " + prev.refModel.name + "."
                            + prev.refAttr + " but " + what + " makes it reference " + refModel.name + "." + refAttr
                            + "; give one of them another foreignKey(...), or, for a polymorphic key shared by"
                            + " several models (told apart by a scope), constraints(false) on every one of them");
                }
                prev.others.add(fk);
            } else {
                prev.onDelete = mergeAction(prev.onDelete, onDelete, "onDelete", holder, name, prev.definedBy, what);
                prev.onUpdate = mergeAction(prev.onUpdate, onUpdate, "onUpdate", holder, name, prev.definedBy, what);
                prev.constraints &= o.constraints;
            }
        }
        if (spec != null) {
            if (spec.type != null && a.typeDeclared && !spec.type.equals(a.type)) {
                throw new ModelDefinitionException("conflicting foreign key definitions for " + holder.model.name + "."
                        + name + ": type " + a.type.sql() + " and " + spec.type.sql() + " (" + what + ")");
            }
            if (spec.type != null) {
                a.type = spec.type;
                a.typeDeclared = true;
            }
            if (spec.notNull != null) {
                a.notNull |= spec.notNull;
            }
            a.unique |= spec.unique;
            if (spec.defaultValue != null) {
                a.defaultValue = spec.defaultValue;
            }
            if (spec.field != null) {
                a.field = spec.field;
            }
        }
        if (explicitJunction && holder.attrs.values().stream().noneMatch(x -> x.pk)) {
            a.notNull = true; // the two keys form the junction's primary key
        }
    }

    private static @Nullable ReferentialAction mergeAction(@Nullable ReferentialAction prev,
            @Nullable ReferentialAction next, String option, Draft holder, String name, String prevBy, String nextBy) {
        if (prev != null && next != null && prev != next) {
            throw new ModelDefinitionException("conflicting foreign key definitions for " + holder.model.name + "."
                    + name + ": " + prevBy + " sets " + option + " " + prev.sql() + " but " + nextBy + " sets "
                    + next.sql());
        }
        return prev != null ? prev : next;
    }

    // ---- freezing ----

    private void finishKeys(Draft d) {
        for (DraftAttr a : d.attrs.values()) {
            if (!a.pk) {
                continue;
            }
            if (a.autoIncrement == null) {
                a.autoIncrement = a.fk == null && a.defaultValue == null && a.type != null
                        && (a.type.javaType() == Long.class || a.type.javaType() == Integer.class
                        || a.type.javaType() == Short.class);
            }
            if (a.type != null && a.type.javaType() == java.util.UUID.class && a.defaultValue == null && a.fk == null) {
                a.defaultValue = DefaultValue.uuidV4();
            }
        }
    }

    private Attribute attribute(Draft d, DraftAttr a, Set<DraftAttr> visiting) {
        if (a.done != null) {
            return a.done;
        }
        if (!visiting.add(a)) {
            throw new ModelDefinitionException("model " + d.model.name + ": foreign key '" + a.name
                    + "' references itself through a cycle of foreign keys");
        }
        Attribute.Reference reference = null;
        DataType type = a.type;
        Class<?> javaType = a.javaType;
        if (a.fk != null) {
            Draft rd = draftOf(a.fk.refModel);
            Attribute ref = attribute(rd, Objects.requireNonNull(rd.attrs.get(a.fk.refAttr)), visiting);
            if (!a.typeDeclared) {
                type = ref.type();
            } else if (a.fk.constraints && !compatible(Objects.requireNonNull(type), ref.type())) {
                throw new ModelDefinitionException("model " + d.model.name + ": foreign key '" + a.name + "' is declared "
                        + type.sql() + " but references " + a.fk.refModel.name + "." + ref.name() + " of type "
                        + ref.type().sql() + " (" + a.fk.definedBy + "); declare the same type on both sides, or"
                        + " constraints(false) for a key without a REFERENCES constraint");
            }
            for (FkDraft other : a.fk.others) {
                Draft od = draftOf(other.refModel);
                Attribute oref = attribute(od, Objects.requireNonNull(od.attrs.get(other.refAttr)), visiting);
                if (!a.typeDeclared && !compatible(ref.type(), oref.type())) {
                    throw new ModelDefinitionException("model " + d.model.name + ": polymorphic foreign key '" + a.name
                            + "' references " + a.fk.refModel.name + "." + ref.name() + " (" + ref.type().sql() + ") and "
                            + other.refModel.name + "." + oref.name() + " (" + oref.type().sql()
                            + "), whose types differ; declare the column's type with foreignKey(fk -> fk.type(...))");
                }
            }
            if (a.property < 0) {
                javaType = ref.javaType();
            }
            boolean m2n = a.fk.manyToMany;
            ReferentialAction onDelete = a.fk.onDelete != null ? a.fk.onDelete
                    : a.notNull ? ReferentialAction.RESTRICT : m2n ? ReferentialAction.CASCADE : ReferentialAction.SET_NULL;
            ReferentialAction onUpdate = a.fk.onUpdate != null ? a.fk.onUpdate
                    : a.notNull && !m2n ? ReferentialAction.RESTRICT : ReferentialAction.CASCADE;
            reference = new Attribute.Reference(tableName(rd), column(ref.name(), rd.attrs.get(ref.name())),
                    onDelete, onUpdate, a.fk.constraints);
        }
        Objects.requireNonNull(type, "type of " + a.name);
        boolean composite = d.compositeKey.contains(a.name);
        Attribute done = new Attribute(a.name, column(a.name, a), type, javaType, a.pk || composite,
                Boolean.TRUE.equals(a.autoIncrement), a.notNull, a.unique, a.defaultValue, reference, a.role,
                d.model.generated ? new ArrayList<>(d.attrs.keySet()).indexOf(a.name) : a.property);
        a.done = done;
        return done;
    }

    private static boolean compatible(DataType a, DataType b) {
        Set<Class<?>> integral = Set.of(Short.class, Integer.class, Long.class);
        return a.javaType() == b.javaType() || (integral.contains(a.javaType()) && integral.contains(b.javaType()));
    }

    private String column(String name, @Nullable DraftAttr a) {
        return a != null && a.field != null ? a.field : b.naming.columnName(name);
    }

    private String tableName(Draft d) {
        return d.model.config.table != null ? d.model.config.table : b.naming.tableName(d.model.name);
    }

    private static Attribute done(Draft d, String name) {
        return Objects.requireNonNull(Objects.requireNonNull(d.attrs.get(name), name).done, name);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void freeze(Draft d) {
        Model model = d.model;
        List<Attribute> attributes = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Attribute> pks = new ArrayList<>();
        for (DraftAttr a : d.attrs.values()) {
            Attribute attr = Objects.requireNonNull(a.done);
            attributes.add(attr);
            names.add(attr.name());
            if (attr.primaryKey()) {
                pks.add(attr);
            }
        }
        if (pks.isEmpty()) {
            throw new ModelDefinitionException("model " + model.name + " has no primary key; declare one with m.primaryKey(...)");
        }
        for (UniqueKey u : d.uniqueKeys) {
            for (String attr : u.attributes()) {
                if (!d.attrs.containsKey(attr)) {
                    throw new ModelDefinitionException("model " + model.name + ": unique key '" + u.name()
                            + "' names '" + attr + "', which is not an attribute; its attributes: "
                            + String.join(", ", d.attrs.keySet()));
                }
            }
        }
        Map<Association, Integer> slots = new LinkedHashMap<>();
        Map<Model<?>, Integer> throughSlots = new LinkedHashMap<>();
        for (Association<?, ?> assoc : d.associations.values()) {
            Integer slot = d.slotProperties.get(assoc.as());
            if (slot == null) {
                slot = d.slotProperties.get(Inflector.decapitalize(assoc.as()));
            }
            if (slot == null) {
                continue;
            }
            Property p = d.properties.get(slot);
            boolean list = Collection.class.isAssignableFrom(p.type());
            if (list != assoc.toMany() || slotTarget(p) != assoc.target().type
                    || (list && !p.type().isAssignableFrom(List.class))) {
                throw new ModelDefinitionException("model " + model.name + ": property '" + p.name() + "' of type "
                        + p.genericType().getTypeName() + " cannot hold association '" + assoc.as() + "'; it must be "
                        + (assoc.toMany() ? "a List<" + assoc.target().type.getSimpleName() + ">"
                                : assoc.target().type.getSimpleName()));
            }
            slots.put(assoc, slot);
        }
        for (Map.Entry<String, Integer> e : d.slotProperties.entrySet()) {
            Class<?> t = d.properties.get(e.getValue()).type();
            Model<?> m = entityModels.get(t);
            if (m != null && throughModels.contains(m)) {
                throughSlots.put(m, e.getValue());
            }
        }
        EntityMapper mapper = EntityMapper.of(model.type, names);
        model.freeze(tableName(d), d.timestamps, attributes, pks, (Map) d.associations, mapper, (Map) slots,
                throughSlots, d.uniqueKeys);
    }

    private static Class<?> box(Class<?> c) {
        if (!c.isPrimitive()) {
            return c;
        }
        if (c == int.class) {
            return Integer.class;
        }
        if (c == long.class) {
            return Long.class;
        }
        if (c == boolean.class) {
            return Boolean.class;
        }
        if (c == double.class) {
            return Double.class;
        }
        if (c == float.class) {
            return Float.class;
        }
        if (c == short.class) {
            return Short.class;
        }
        if (c == byte.class) {
            return Byte.class;
        }
        return Character.class;
    }
}
