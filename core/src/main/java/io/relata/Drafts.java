package io.relata;

import io.relata.EntityMapper.Property;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The mutable drafts a schema is compiled from: a model, its attributes, their foreign keys. */
final class Drafts {
    private Drafts() {
    }

    static final class DraftAttr {
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

    static final class FkDraft {
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

    static final class Draft {
        final Model<?> model;
        final LinkedHashMap<String, DraftAttr> attrs = new LinkedHashMap<>();
        final List<Property> properties;
        final Map<String, Integer> slotProperties = new LinkedHashMap<>();
        final LinkedHashMap<String, Association<?, ?>> associations = new LinkedHashMap<>();
        final List<UniqueKey> uniqueKeys = new ArrayList<>();
        final List<String> compositeKey = new ArrayList<>();
        /** composite foreign keys with a constraint: the part attributes of each, in the referenced key's order */
        final List<List<String>> compositeFks = new ArrayList<>();
        /** the references of the parts of composite foreign keys (kept off their attributes) */
        final Map<String, Attribute.Reference> partReferences = new LinkedHashMap<>();
        boolean timestamps;

        Draft(Model<?> model, List<Property> properties) {
            this.model = model;
            this.properties = properties;
        }
    }
}
