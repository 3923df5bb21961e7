package io.relata;

import io.relata.Drafts.Draft;
import io.relata.Drafts.DraftAttr;
import io.relata.EntityMapper.Property;
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

/** What the passes of one {@link SchemaCompiler} run share: the builder, the drafts, and name resolution. */
final class Compilation {
    final SchemaBuilder b;
    final Map<Model<?>, Draft> drafts = new LinkedHashMap<>();
    final Map<String, Model<?>> generatedJunctions = new LinkedHashMap<>();
    final Set<Model<?>> throughModels = new HashSet<>();
    final Map<Class<?>, Model<?>> entityModels = new HashMap<>();
    /** associations resolved once every attribute is final */
    final List<Runnable> resolutions = new ArrayList<>();

    Compilation(SchemaBuilder b) {
        this.b = b;
    }

    Draft draftOf(Model<?> m) {
        Draft d = drafts.get(m);
        if (d == null) {
            throw new ModelDefinitionException("model " + m.name + " is not part of this schema");
        }
        return d;
    }

    @Nullable Class<?> slotTarget(Property p) {
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

    /** @param d a draft @return its model's own naming ({@link ModelBuilder#naming}), else the schema's */
    Naming naming(Draft d) {
        Naming own = d.model.config.naming;
        return own != null ? own : b.naming;
    }

    String column(Draft d, String name, @Nullable DraftAttr a) {
        return a != null && a.field != null ? a.field : naming(d).columnName(name);
    }

    String tableName(Draft d) {
        return d.model.config.table != null ? d.model.config.table : naming(d).tableName(d.model.name);
    }

    static Attribute done(Draft d, String name) {
        return Objects.requireNonNull(Objects.requireNonNull(d.attrs.get(name), name).done, name);
    }

    static List<Attribute> done(Draft d, List<String> names) {
        return names.stream().map(n -> done(d, n)).toList();
    }

    /** @return the primary key's attribute names, in attribute order (several for a composite key) */
    static List<String> pkNames(Draft d) {
        List<String> names = d.attrs.values().stream().filter(a -> a.pk).map(a -> a.name).toList();
        if (names.isEmpty()) {
            throw new ModelDefinitionException("model " + d.model.name + " has no primary key");
        }
        return names;
    }

    /**
     * @param one the single key attribute given, or null
     * @param many the composite key attributes given, or null
     * @return the key an association references: the one given, else the primary key
     */
    static List<String> keyNames(@Nullable String one, @Nullable List<String> many, Draft d) {
        return many != null ? many : one != null ? List.of(one) : pkNames(d);
    }

    /** Checks that referenced key columns exist and are, together, the primary key or a unique key. */
    static void requireKeys(Draft d, List<String> keys, String option, String what) {
        if (keys.size() == 1) {
            requireKey(d, keys.get(0), option, what);
            return;
        }
        for (String k : keys) {
            if (!d.attrs.containsKey(k)) {
                throw new ModelDefinitionException(what + ": " + option + " '" + k + "' is not an attribute of "
                        + d.model.name + "; its attributes: " + String.join(", ", d.attrs.keySet()));
            }
        }
        Set<String> set = Set.copyOf(keys);
        boolean unique = set.equals(Set.copyOf(pkNames(d)))
                || d.uniqueKeys.stream().anyMatch(u -> Set.copyOf(u.attributes()).equals(set));
        if (!unique) {
            throw new ModelDefinitionException(what + ": " + option + " " + keys + " of " + d.model.name
                    + " is neither its primary key " + pkNames(d) + " nor a unique key; a referenced composite key"
                    + " needs one (declare m.unique(\"name\", " + String.join(", ", keys.stream()
                    .map(k -> "\"" + k + "\"").toList()) + "))");
        }
    }

    static String pkName(Draft d) {
        return d.attrs.values().stream().filter(a -> a.pk).map(a -> a.name).findFirst()
                .orElseThrow(() -> new ModelDefinitionException("model " + d.model.name + " has no primary key"));
    }

    static void requireKey(Draft d, String key, String option, String what) {
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

    static Class<?> box(Class<?> c) {
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
