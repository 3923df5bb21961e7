package io.relata;

import io.relata.Drafts.Draft;
import io.relata.Drafts.DraftAttr;
import io.relata.EntityMapper.Property;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Infers a model's attributes from its entity's properties and its definition: column types, the primary
 * key ({@code id} unless declared), timestamps, association slots.
 */
final class AttributeInference {
    private final Compilation c;

    AttributeInference(Compilation c) {
        this.c = c;
    }

    Draft draft(Model<?> m) {
        List<Property> props = EntityMapper.propertiesOf(m.type);
        Draft d = new Draft(m, props);
        for (int i = 0; i < props.size(); i++) {
            Property p = props.get(i);
            if (c.slotTarget(p) != null) {
                d.slotProperties.put(p.name(), i);
                continue;
            }
            AttributeSpec spec = m.config.attributes.get(p.name());
            DraftAttr a = new DraftAttr(p.name());
            a.property = i;
            a.javaType = Compilation.box(p.type());
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
            } else if (!c.throughModels.contains(m)) {
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
        d.timestamps = m.config.timestamps != null ? m.config.timestamps : c.b.timestamps;
        if (d.timestamps) {
            timestamp(d, "createdAt", Attribute.Role.CREATED_AT);
            timestamp(d, "updatedAt", Attribute.Role.UPDATED_AT);
        }
        if (m.config.version != null) {
            version(m, d, m.config.version);
        }
        paranoid(m, d);
        return d;
    }

    /** A paranoid model's {@code deletedAt}: a nullable timestamp (Sequelize's rule: needs timestamps or its own). */
    private static void paranoid(Model<?> m, Draft d) {
        String name = m.config.deletedAt;
        if (!m.config.paranoid) {
            if (name != null) {
                throw new ModelDefinitionException("model " + m.name + ": deletedAt(\"" + name + "\") applies to a"
                        + " paranoid model; add m.paranoid(true) or drop deletedAt(...)");
            }
            return;
        }
        if (!d.timestamps && name == null) {
            throw new ModelDefinitionException("model " + m.name + " is paranoid but keeps no timestamps: soft delete"
                    + " needs timestamps(true) or a deletedAt attribute of its own (m.deletedAt(\"deletedAt\"))");
        }
        String attr = name != null ? name : "deletedAt";
        DraftAttr a = d.attrs.get(attr);
        if (a == null) {
            a = new DraftAttr(attr);
            a.type = DataType.timestamptz();
            a.javaType = a.type.javaType();
            d.attrs.put(attr, a);
        } else {
            if (a.role != Attribute.Role.PLAIN || a.pk) {
                throw new ModelDefinitionException("model " + m.name + ": '" + attr + "' cannot record soft deletes, it is"
                        + (a.pk ? " the primary key" : " already the " + a.role + " timestamp")
                        + "; give deletedAt(...) another attribute");
            }
            if (!a.typeDeclared && a.javaType == LocalDateTime.class) {
                a.type = DataType.timestamp();
            }
            DataType.Kind kind = Objects.requireNonNull(a.type).kind();
            if (kind != DataType.Kind.TIMESTAMP && kind != DataType.Kind.TIMESTAMPTZ) {
                throw new ModelDefinitionException("model " + m.name + ": deletedAt attribute '" + attr + "' is "
                        + a.type.sql() + "; it must be a timestamp (Instant, OffsetDateTime, LocalDateTime)");
            }
        }
        a.notNull = false;
        a.role = Attribute.Role.DELETED_AT;
    }

    private static void version(Model<?> m, Draft d, String name) {
        DraftAttr a = d.attrs.get(name);
        if (a == null) {
            a = new DraftAttr(name);
            a.type = DataType.integer();
            a.javaType = Integer.class;
            d.attrs.put(name, a);
        } else if (a.javaType != Integer.class && a.javaType != Long.class && a.javaType != int.class
                && a.javaType != long.class) {
            throw new ModelDefinitionException("model " + m.name + ": version attribute '" + name + "' must be an"
                    + " Integer or Long property, is " + a.javaType.getSimpleName());
        }
        a.notNull = true;
        if (a.defaultValue == null) {
            a.defaultValue = DefaultValue.of(0);
        }
        a.role = Attribute.Role.VERSION;
    }

    void timestamp(Draft d, String name, Attribute.Role role) {
        DraftAttr a = d.attrs.get(name);
        if (a == null) {
            a = new DraftAttr(name);
            a.type = DataType.timestamptz();
            a.javaType = a.type.javaType();
            d.attrs.put(name, a);
        } else if (!a.typeDeclared && a.javaType == LocalDateTime.class) {
            a.type = DataType.timestamp();
        }
        a.notNull = true;
        a.role = role;
    }

    void apply(Model<?> m, DraftAttr a, AttributeSpec spec) {
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
}
