package io.relata;

import io.relata.Drafts.Draft;
import io.relata.Drafts.DraftAttr;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Turns definitions into frozen models, in passes (each a class of its own): attributes from entity
 * properties ({@link AttributeInference}), association names and keys ({@link AssociationResolver}, per
 * kind), junction models ({@link Junctions}), keys, types and referential actions
 * ({@link ReferentialDefaults}), slots and freezing ({@link SlotBinding}). Rejects what cannot be valid with
 * messages that name the models and the option.
 */
final class SchemaCompiler {
    private final SchemaBuilder b;

    SchemaCompiler(SchemaBuilder b) {
        this.b = b;
    }

    Schema compile() {
        Compilation c = new Compilation(b);
        AttributeInference attributes = new AttributeInference(c);
        AssociationResolver associations = new AssociationResolver(c, new Junctions(c, attributes));
        ReferentialDefaults keys = new ReferentialDefaults(c);
        SlotBinding slots = new SlotBinding(c);
        for (Model<?> m : b.models) {
            c.entityModels.put(m.type, m);
        }
        for (AssociationBase<?, ?> a : b.associations) {
            if (a.options.throughModel != null) {
                c.throughModels.add(a.options.throughModel);
            }
        }
        for (Model<?> m : b.models) {
            c.drafts.put(m, attributes.draft(m));
        }
        for (AssociationBase<?, ?> a : b.associations) {
            associations.associate(a);
        }
        List<Model<?>> all = new ArrayList<>(c.drafts.keySet());
        for (Draft d : c.drafts.values()) {
            keys.finishKeys(d);
        }
        for (Draft d : c.drafts.values()) {
            for (DraftAttr a : d.attrs.values()) {
                keys.attribute(d, a, new HashSet<>());
            }
        }
        for (Draft d : c.drafts.values()) {
            for (Map.Entry<String, Association<?, ?>> e : d.associations.entrySet()) {
                if (d.attrs.containsKey(e.getKey())) {
                    throw AssociationResolver.aliasClash(d, e.getKey(), e.getValue().target());
                }
            }
        }
        c.resolutions.forEach(Runnable::run);
        for (Draft d : c.drafts.values()) {
            slots.freeze(d);
        }
        return new Schema(all, b.naming, b.dialect);
    }
}
