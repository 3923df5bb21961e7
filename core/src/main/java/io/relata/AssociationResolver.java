package io.relata;

import io.relata.Drafts.Draft;
import io.relata.Drafts.DraftAttr;
import io.relata.Drafts.FkDraft;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Names associations and infers their keys, Sequelize's way: the alias and its singular and plural, the
 * foreign key's name (from the alias or model name and the referenced key), the pairing of both halves
 * of a 1:1, 1:N or M:N relation on one column, polymorphic keys. What differs by kind is in its
 * {@link KindInference}; everything shared is here.
 */
final class AssociationResolver {
    private final Compilation c;
    private final Junctions junctions;

    AssociationResolver(Compilation c, Junctions junctions) {
        this.c = c;
        this.junctions = junctions;
    }

    /** The inference rules of one association kind. */
    sealed interface KindInference {

        /** @param kind a kind @return its rules (a new kind does not compile until it is listed here) */
        static KindInference of(Association.Kind kind) {
            return switch (kind) {
                case HAS_ONE -> new ForeignKeyOnTarget("hasOne", true);
                case HAS_MANY -> new ForeignKeyOnTarget("hasMany", false);
                case BELONGS_TO -> new ForeignKeyOnSource();
                case BELONGS_TO_MANY -> new ThroughJunction();
            };
        }

        /** @return Sequelize's method name, for messages */
        String method();

        /** @param o the options @param bad receives the options that do not apply to this kind */
        void inapplicable(AssociationOptions o, List<String> bad);

        /**
         * Resolves the association's keys: checks the referenced key, adds the foreign key (or the junction's
         * keys) and schedules the association's resolution once every attribute is final.
         *
         * @param a the association
         * @param r the resolver (drafts, naming, foreign keys)
         * @param what the definition, for messages ({@code Ship.belongsTo(Captain)})
         * @param singular the association's singular name
         */
        void resolve(AssociationBase<?, ?> a, AssociationResolver r, String what, String singular);
    }

    /** hasOne and hasMany: the foreign key is on the target and references a unique source key. */
    record ForeignKeyOnTarget(String method, boolean one) implements KindInference {
        @Override
        public void inapplicable(AssociationOptions o, List<String> bad) {
            junctionOptions(o, bad);
            if (o.targetKey != null) {
                bad.add("targetKey (" + method + " keeps the foreign key on the target: use sourceKey)");
            }
        }

        @Override
        public void resolve(AssociationBase<?, ?> a, AssociationResolver r, String what, String singular) {
            AssociationOptions o = a.options;
            Draft sd = r.c.draftOf(a.source);
            Draft td = r.c.draftOf(a.target);
            List<String> sk = Compilation.keyNames(o.sourceKey, o.sourceKeys, sd);
            Compilation.requireKeys(sd, sk, "sourceKey", what);
            // Sequelize v6: the singular alias (hasOne) or source model name, and the source's primary key
            String prefix = one && o.as != null ? Inflector.singularize(o.as) : a.source.singularName();
            AssociationBase<?, ?> inverse = r.inverse(a);
            AttributeSpec spec = o.foreignKey != null || o.foreignKeys != null ? o.foreignKey : inverseSpec(inverse);
            List<String> many = o.foreignKeys != null || o.foreignKey != null ? o.foreignKeys : inverseParts(inverse);
            List<String> fk = foreignKeyNames(td, spec, many, prefix, sk, Compilation.pkName(sd), what);
            r.addForeignKeys(td, fk, o.foreignKey, a.source, sk, o, false, what);
            r.c.resolutions.add(() -> a.resolve(Compilation.done(td, fk), Compilation.done(sd, sk),
                    Compilation.done(td, fk), null, List.of()));
        }
    }

    /** belongsTo: the foreign key is on the source and references a unique target key. */
    record ForeignKeyOnSource() implements KindInference {
        @Override
        public String method() {
            return "belongsTo";
        }

        @Override
        public void inapplicable(AssociationOptions o, List<String> bad) {
            junctionOptions(o, bad);
            if (o.sourceKey != null) {
                bad.add("sourceKey (belongsTo references the target: use targetKey)");
            }
            if (!o.scope.isEmpty()) {
                bad.add("scope");
            }
        }

        @Override
        public void resolve(AssociationBase<?, ?> a, AssociationResolver r, String what, String singular) {
            AssociationOptions o = a.options;
            Draft sd = r.c.draftOf(a.source);
            Draft td = r.c.draftOf(a.target);
            List<String> tk = Compilation.keyNames(o.targetKey, o.targetKeys, td);
            Compilation.requireKeys(td, tk, "targetKey", what);
            AssociationBase<?, ?> inverse = r.inverse(a);
            AttributeSpec spec = o.foreignKey != null || o.foreignKeys != null ? o.foreignKey : inverseSpec(inverse);
            List<String> many = o.foreignKeys != null || o.foreignKey != null ? o.foreignKeys : inverseParts(inverse);
            List<String> fk = foreignKeyNames(sd, spec, many, singular, tk, Compilation.pkName(td), what);
            r.addForeignKeys(sd, fk, o.foreignKey, a.target, tk, o, false, what);
            r.c.resolutions.add(() -> a.resolve(Compilation.done(sd, fk), Compilation.done(sd, fk),
                    Compilation.done(td, tk), null, List.of()));
        }
    }

    /** belongsToMany: two foreign keys in a junction, generated for a name or given as a model. */
    record ThroughJunction() implements KindInference {
        @Override
        public String method() {
            return "belongsToMany";
        }

        @Override
        public void inapplicable(AssociationOptions o, List<String> bad) {
            if (o.throughName == null && o.throughModel == null) {
                throw new ModelDefinitionException("belongsToMany needs a junction; give through(\"TableName\") or"
                        + " through(junctionModel)");
            }
        }

        @Override
        public void resolve(AssociationBase<?, ?> a, AssociationResolver r, String what, String singular) {
            AssociationOptions o = a.options;
            Model<?> source = a.source;
            Model<?> target = a.target;
            Draft sd = r.c.draftOf(source);
            Draft td = r.c.draftOf(target);
            List<String> sk = Compilation.keyNames(o.sourceKey, o.sourceKeys, sd);
            List<String> tk = Compilation.keyNames(o.targetKey, o.targetKeys, td);
            Compilation.requireKeys(sd, sk, "sourceKey", what);
            Compilation.requireKeys(td, tk, "targetKey", what);
            Model<?> junction = r.junctions.junction(o, what);
            Draft jd = r.c.draftOf(junction);
            boolean self = source == target;
            AssociationBase<?, ?> pair = r.pairOf(a);
            // Sequelize pairs the two halves through one junction: a key left to inference is the
            // key the other half names for that side
            boolean fkGiven = o.foreignKey != null || o.foreignKeys != null;
            boolean otherGiven = o.otherKey != null || o.otherKeys != null;
            AttributeSpec fkSpec = fkGiven ? o.foreignKey : pair == null ? null : named(pair.options.otherKey);
            AttributeSpec otherSpec = otherGiven ? o.otherKey : pair == null ? null : named(pair.options.foreignKey);
            List<String> fkMany = fkGiven ? o.foreignKeys : pair == null ? null : pair.options.otherKeys;
            List<String> otherMany = otherGiven ? o.otherKeys : pair == null ? null : pair.options.foreignKeys;
            List<String> fk = foreignKeyNames(jd, fkSpec, fkMany, source.singularName(), sk,
                    sk.get(0), what);
            List<String> other = foreignKeyNames(jd, otherSpec, otherMany,
                    self ? singular : target.singularName(), tk, tk.get(0), what + " (otherKey)");
            for (String f : fk) {
                if (other.contains(f)) {
                    throw new ModelDefinitionException(what + ": the junction " + junction.name
                            + " would get the same column '" + f + "' for both sides; give foreignKey(...) and otherKey(...)");
                }
            }
            boolean explicit = !junction.generated;
            r.addForeignKeys(jd, fk, o.foreignKey, source, sk, o, explicit, what);
            r.addForeignKeys(jd, other, o.otherKey, target, tk, o, explicit, what + " (otherKey)");
            r.junctions.junctionKey(jd, fk, other, o);
            for (String s : o.throughScope.keySet()) {
                if (!jd.attrs.containsKey(s)) {
                    throw new ModelDefinitionException(what + ": throughScope attribute '" + s
                            + "' is not an attribute of the junction " + junction.name + "; its attributes: "
                            + String.join(", ", jd.attrs.keySet()));
                }
            }
            r.c.resolutions.add(() -> a.resolve(Compilation.done(jd, fk), Compilation.done(sd, sk),
                    Compilation.done(td, tk), junction, Compilation.done(jd, other)));
        }
    }

    /** The options only belongsToMany takes. */
    private static void junctionOptions(AssociationOptions o, List<String> bad) {
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
    }

    /** Names an association, registers it on its source and resolves its keys. */
    void associate(AssociationBase<?, ?> a) {
        Association.Kind kind = ((Association<?, ?>) a).kind();
        KindInference rules = KindInference.of(kind);
        AssociationOptions o = a.options;
        Model<?> source = a.source;
        Model<?> target = a.target;
        String what = source.name + "." + rules.method() + "(" + target.name + ")";
        List<String> bad = new ArrayList<>();
        try {
            rules.inapplicable(o, bad);
        } catch (ModelDefinitionException e) {
            throw new ModelDefinitionException(what + ": " + e.getMessage());
        }
        if (!bad.isEmpty()) {
            throw new ModelDefinitionException(what + ": option(s) " + String.join(", ", bad)
                    + " do not apply to " + rules.method());
        }
        boolean toMany = ((Association<?, ?>) a).toMany();
        String singular;
        String plural;
        // without an alias, the target's own names (m.name(singular, plural), Sequelize's options.name)
        if (toMany) {
            plural = o.plural != null ? o.plural : o.as != null ? o.as : target.pluralName();
            singular = o.singular != null ? o.singular : o.as != null ? Inflector.singularize(o.as) : target.singularName();
        } else {
            singular = o.singular != null ? o.singular : o.as != null ? o.as : target.singularName();
            plural = o.plural != null ? o.plural : o.as != null ? Inflector.pluralize(singular) : target.pluralName();
        }
        String as = toMany ? plural : singular;
        Draft sd = c.draftOf(source);
        Draft td = c.draftOf(target);
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
        rules.resolve(a, this, what, singular);
        for (String s : o.scope.keySet()) {
            if (!td.attrs.containsKey(s)) {
                throw new ModelDefinitionException(what + ": scope attribute '" + s + "' is not an attribute of "
                        + target.name + "; its attributes: " + String.join(", ", td.attrs.keySet()));
            }
        }
    }

    /**
     * The other half of a pair ({@code Foo.hasOne(Bar, {foreignKey: 'myFooId'})} with {@code Bar.belongsTo(Foo)}):
     * both halves then share the foreign key column(s) it names, as the guide's four options show. Only when the
     * pairing is unambiguous: one association each way between the two models.
     */
    @Nullable AssociationBase<?, ?> inverse(AssociationBase<?, ?> a) {
        boolean belongsTo = ((Association<?, ?>) a).kind() == Association.Kind.BELONGS_TO;
        List<AssociationBase<?, ?>> sameWay = new ArrayList<>();
        List<AssociationBase<?, ?>> inverse = new ArrayList<>();
        for (AssociationBase<?, ?> b : c.b.associations) {
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
        return sameWay.size() != 1 || inverse.size() != 1 ? null : inverse.get(0);
    }

    /** @return the single foreign key the other half of a pair names, or null */
    static @Nullable AttributeSpec inverseSpec(@Nullable AssociationBase<?, ?> inverse) {
        AttributeSpec spec = inverse == null ? null : inverse.options.foreignKey;
        return spec != null && spec.name != null ? spec : null;
    }

    /** @return the composite foreign key the other half of a pair names, or null */
    static @Nullable List<String> inverseParts(@Nullable AssociationBase<?, ?> inverse) {
        return inverse == null ? null : inverse.options.foreignKeys;
    }

    /**
     * The other half of a belongsToMany pair: the one belongsToMany from the target back to the source
     * through the same junction (Sequelize's {@code paired}); null when there is none or several that
     * disagree on their keys.
     */
    @Nullable AssociationBase<?, ?> pairOf(AssociationBase<?, ?> a) {
        List<AssociationBase<?, ?>> candidates = new ArrayList<>();
        for (AssociationBase<?, ?> b : c.b.associations) {
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

    static boolean sameJunction(AssociationOptions x, AssociationOptions y) {
        if (x.throughModel != null || y.throughModel != null) {
            return x.throughModel == y.throughModel;
        }
        return Objects.equals(x.throughName, y.throughName);
    }

    static @Nullable String nameOf(@Nullable AttributeSpec spec) {
        return spec == null ? null : spec.name;
    }

    /** A spec carrying only the name of another association's key (its other options stay with it). */
    static @Nullable AttributeSpec named(@Nullable AttributeSpec spec) {
        return spec == null || spec.name == null ? null : new AttributeSpec(spec.name);
    }

    static ModelDefinitionException aliasClash(Draft d, String alias, Model<?> target) {
        return new ModelDefinitionException("model " + d.model.name + ": association alias '" + alias
                + "' (to " + target.name + ") clashes with an attribute of the same name; choose another alias with as(...)");
    }

    /**
     * The foreign key columns for a referenced key: the composite ones given, or one per part inferred from
     * the prefix and the part's name ({@code ownerAge}, {@code ownerWeight}); for a single-column key the
     * one given or Sequelize's inferred name.
     *
     * @param namingKey the key name a single foreign key's inferred name ends with (Sequelize: the primary key)
     */
    static List<String> foreignKeyNames(Draft holder, @Nullable AttributeSpec spec, @Nullable List<String> many,
            String prefix, List<String> refKeys, String namingKey, String what) {
        if (many != null) {
            if (many.size() != refKeys.size()) {
                throw new ModelDefinitionException(what + ": foreignKey " + many + " has " + many.size()
                        + " columns but the referenced key " + refKeys + " has " + refKeys.size());
            }
            return many;
        }
        if (refKeys.size() == 1) {
            return List.of(foreignKeyName(holder, spec, prefix, namingKey));
        }
        if (spec != null && (spec.name != null || spec.field != null)) {
            throw new ModelDefinitionException(what + ": the referenced key " + refKeys + " is composite, so one"
                    + " foreign key column '" + (spec.name != null ? spec.name : spec.field) + "' cannot reference it;"
                    + " name one column per part with foreignKey(\"" + String.join("\", \"", refKeys.stream()
                    .map(k -> foreignKeyName(holder, null, prefix, k)).toList()) + "\")");
        }
        List<String> names = new ArrayList<>();
        for (String k : refKeys) {
            names.add(foreignKeyName(holder, null, prefix, k));
        }
        return names;
    }

    /** Adds the foreign key columns of one reference, and for a composite one its table constraint. */
    void addForeignKeys(Draft holder, List<String> names, @Nullable AttributeSpec spec, Model<?> refModel,
            List<String> refAttrs, AssociationOptions o, boolean explicitJunction, String what) {
        for (int i = 0; i < names.size(); i++) {
            addForeignKey(holder, names.get(i), spec, refModel, refAttrs.get(i), o, explicitJunction, what);
        }
        if (names.size() > 1 && o.constraints && !holder.compositeFks.contains(names)) {
            holder.compositeFks.add(List.copyOf(names));
        }
    }

    /** Sequelize's inferred name, spelled like an existing entity property when one differs only in case. */
    static String foreignKeyName(Draft holder, @Nullable AttributeSpec spec, String prefix, String key) {
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

    void addForeignKey(Draft holder, String name, @Nullable AttributeSpec spec, Model<?> refModel,
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
                        + name + ": type " + Objects.requireNonNull(a.type).sql() + " and " + spec.type.sql() + " ("
                        + what + ")");
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

    static @Nullable ReferentialAction mergeAction(@Nullable ReferentialAction prev,
            @Nullable ReferentialAction next, String option, Draft holder, String name, String prevBy, String nextBy) {
        if (prev != null && next != null && prev != next) {
            throw new ModelDefinitionException("conflicting foreign key definitions for " + holder.model.name + "."
                    + name + ": " + prevBy + " sets " + option + " " + prev.sql() + " but " + nextBy + " sets "
                    + next.sql());
        }
        return prev != null ? prev : next;
    }
}
