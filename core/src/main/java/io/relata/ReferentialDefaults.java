package io.relata;

import io.relata.Drafts.Draft;
import io.relata.Drafts.DraftAttr;
import io.relata.Drafts.FkDraft;
import java.util.ArrayList;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Finishes keys and resolves every attribute: generated keys ({@code SERIAL}, UUID v4), a foreign key's
 * type from the key it references, and Sequelize's referential-action defaults (SET NULL/CASCADE for 1:1
 * and 1:N, CASCADE/CASCADE for M:N, RESTRICT when the key is NOT NULL).
 */
final class ReferentialDefaults {
    private final Compilation c;

    ReferentialDefaults(Compilation c) {
        this.c = c;
    }

    void finishKeys(Draft d) {
        // the parts of a composite key are the application's values: none is generated unless declared
        boolean composite = d.attrs.values().stream().filter(x -> x.pk).count() > 1;
        for (DraftAttr a : d.attrs.values()) {
            if (!a.pk) {
                continue;
            }
            if (composite) {
                if (a.autoIncrement == null) {
                    a.autoIncrement = false;
                }
                continue;
            }
            if (a.autoIncrement == null) {
                a.autoIncrement = a.fk == null && a.defaultValue == null && a.type != null
                        && (a.type.javaType() == Long.class || a.type.javaType() == Integer.class
                        || a.type.javaType() == Short.class);
            }
            if (a.type != null && a.type.javaType() == UUID.class && a.defaultValue == null && a.fk == null) {
                a.defaultValue = DefaultValue.uuidV4();
            }
        }
    }

    Attribute attribute(Draft d, DraftAttr a, Set<DraftAttr> visiting) {
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
            Draft rd = c.draftOf(a.fk.refModel);
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
                Draft od = c.draftOf(other.refModel);
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
            reference = new Attribute.Reference(c.tableName(rd), c.column(rd, ref.name(), rd.attrs.get(ref.name())),
                    onDelete, onUpdate, a.fk.constraints);
        }
        Objects.requireNonNull(type, "type of " + a.name);
        if (reference != null && d.compositeFks.stream().anyMatch(g -> g.contains(a.name))) {
            // a part of a composite foreign key: the table constraint over all parts references, not the part
            d.partReferences.put(a.name, reference);
            reference = null;
        }
        boolean composite = d.compositeKey.contains(a.name);
        Attribute done = new Attribute(a.name, c.column(d, a.name, a), type, javaType, a.pk || composite,
                Boolean.TRUE.equals(a.autoIncrement), a.notNull, a.unique, a.defaultValue, reference, a.role,
                d.model.generated ? new ArrayList<>(d.attrs.keySet()).indexOf(a.name) : a.property);
        a.done = done;
        return done;
    }

    static boolean compatible(DataType a, DataType b) {
        Set<Class<?>> integral = Set.of(Short.class, Integer.class, Long.class);
        return a.javaType() == b.javaType() || (integral.contains(a.javaType()) && integral.contains(b.javaType()));
    }
}
