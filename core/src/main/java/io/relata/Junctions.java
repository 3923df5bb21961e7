package io.relata;

import io.relata.Drafts.Draft;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Junction models of belongsToMany: generated for a {@code through} name, and their keys. */
final class Junctions {
    private final Compilation c;
    private final AttributeInference attributes;

    Junctions(Compilation c, AttributeInference attributes) {
        this.c = c;
        this.attributes = attributes;
    }

    Model<?> junction(AssociationOptions o, String what) {
        if (o.throughModel != null) {
            c.draftOf(o.throughModel);
            return o.throughModel;
        }
        String name = Objects.requireNonNull(o.throughName);
        Model<?> existing = c.generatedJunctions.get(name);
        if (existing != null) {
            return existing;
        }
        for (Model<?> m : c.drafts.keySet()) {
            if (!m.generated && m.name.equals(name)) {
                return m;
            }
        }
        ModelBuilder config = new ModelBuilder();
        config.name(name).table(name);
        @SuppressWarnings({"unchecked", "rawtypes"})
        Model<?> model = new Model(c.b, Map.class, config, true);
        Draft d = new Draft(model, List.of());
        d.timestamps = c.b.timestamps;
        if (d.timestamps) {
            attributes.timestamp(d, "createdAt", Attribute.Role.CREATED_AT);
            attributes.timestamp(d, "updatedAt", Attribute.Role.UPDATED_AT);
        }
        c.drafts.put(model, d);
        c.generatedJunctions.put(name, model);
        return model;
    }

    void junctionKey(Draft jd, List<String> fk, List<String> other, AssociationOptions o) {
        List<String> all = new ArrayList<>(fk);
        all.addAll(other);
        Set<String> pair = Set.copyOf(all);
        boolean ownPk = jd.attrs.values().stream().anyMatch(a -> a.pk);
        if (!ownPk) {
            if (jd.compositeKey.isEmpty()) {
                jd.compositeKey.addAll(all);
            } else if (!Set.copyOf(jd.compositeKey).equals(pair)) {
                throw new ModelDefinitionException("junction " + jd.model.name + " is used with keys " + jd.compositeKey
                        + " and " + all + "; one junction joins one pair of keys");
            }
            if (o.uniqueKey != null) {
                addUnique(jd, o.uniqueKey, all);
            }
            return;
        }
        if (o.unique) {
            String name = o.uniqueKey != null ? o.uniqueKey : c.tableName(jd) + "_" + String.join("_", all) + "_unique";
            addUnique(jd, name, all);
        }
    }

    static void addUnique(Draft jd, String name, List<String> columns) {
        Set<String> pair = Set.copyOf(columns);
        if (jd.uniqueKeys.stream().noneMatch(u -> Set.copyOf(u.attributes()).equals(pair))) {
            jd.uniqueKeys.add(new UniqueKey(name, List.copyOf(columns)));
        }
    }
}
