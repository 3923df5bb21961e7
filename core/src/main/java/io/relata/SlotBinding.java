package io.relata;

import io.relata.Drafts.Draft;
import io.relata.Drafts.DraftAttr;
import io.relata.EntityMapper.Property;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Binds association slots (entity components typed as a model or a list of one) to their associations,
 * checks their cardinality and types, and freezes each model.
 */
final class SlotBinding {
    private final Compilation c;

    SlotBinding(Compilation c) {
        this.c = c;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    void freeze(Draft d) {
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
            if (list != assoc.toMany() || c.slotTarget(p) != assoc.target().type
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
            Model<?> m = c.entityModels.get(t);
            if (m != null && c.throughModels.contains(m)) {
                throughSlots.put(m, e.getValue());
            }
        }
        List<CompositeReference> composites = new ArrayList<>();
        for (List<String> group : d.compositeFks) {
            Attribute.Reference first = Objects.requireNonNull(d.partReferences.get(group.get(0)));
            composites.add(new CompositeReference(
                    group.stream().map(n -> Compilation.done(d, n).column()).toList(), first.table(),
                    group.stream().map(n -> Objects.requireNonNull(d.partReferences.get(n)).column()).toList(),
                    first.onDelete(), first.onUpdate()));
        }
        model.compositeReferences(composites);
        EntityMapper mapper = EntityMapper.of(model.type, names);
        model.freeze(c.tableName(d), d.timestamps, attributes, pks, (Map) d.associations, mapper, (Map) slots,
                throughSlots, d.uniqueKeys);
    }
}
