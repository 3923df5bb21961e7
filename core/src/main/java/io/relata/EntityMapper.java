package io.relata;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads and builds entities by property index. Constructors and accessors are resolved once into
 * {@link MethodHandle}s; no reflection lookup happens per row. Records are built through their
 * canonical constructor; classes through their no-arg constructor and field writes.
 *
 * @param <T> the entity type
 */
abstract class EntityMapper<T> {

    /**
     * A property of an entity.
     *
     * @param name        the property name
     * @param type        its raw type
     * @param genericType its generic type (to see {@code List<Book>})
     */
    public record Property(String name, Class<?> type, Type genericType) {
    }

    private final List<Property> properties;
    private final Object @Nullable [] primitiveDefaults;

    EntityMapper(List<Property> properties) {
        this.properties = List.copyOf(properties);
        Object[] defaults = new Object[properties.size()];
        boolean any = false;
        for (int i = 0; i < properties.size(); i++) {
            defaults[i] = primitiveDefault(properties.get(i).type());
            any |= defaults[i] != null;
        }
        this.primitiveDefaults = any ? defaults : null;
    }

    /** @return the entity's properties, in constructor order for records */
    public final List<Property> properties() {
        return properties;
    }

    /**
     * @param entity an entity
     * @param property a property index
     * @return the property's value
     */
    public abstract @Nullable Object get(T entity, int property);

    /**
     * @param values one value per property (null for properties not loaded); the mapper does not keep the array
     *     (its constructor arguments, setter calls or map entries are taken from it), so it may be reused; null
     *     values of primitive properties are replaced in it by the primitive's default
     * @return a new entity
     */
    public final T create(@Nullable Object[] values) {
        Object[] defaults = primitiveDefaults;
        if (defaults != null) {
            for (int i = 0; i < values.length; i++) {
                if (values[i] == null && defaults[i] != null) {
                    values[i] = defaults[i];
                }
            }
        }
        return construct(values);
    }

    abstract T construct(@Nullable Object[] values);

    /**
     * @param type an entity class: a record, a class with a no-arg constructor, or {@code Map} for generated models
     * @param attributeNames the attribute names, used as properties of map-typed models
     * @param <T> the entity type
     * @return a mapper for it
     */
    @SuppressWarnings("unchecked")
    public static <T> EntityMapper<T> of(Class<T> type, List<String> attributeNames) {
        if (Map.class.isAssignableFrom(type)) {
            return (EntityMapper<T>) new MapMapper(attributeNames);
        }
        if (type.isRecord()) {
            return new RecordMapper<>(type);
        }
        return new BeanMapper<>(type);
    }

    /**
     * Lists an entity's properties without building a mapper.
     *
     * @param type the entity class
     * @return record components, or the non-static non-transient fields (superclass first); empty for {@code Map}
     */
    public static List<Property> propertiesOf(Class<?> type) {
        List<Property> props = new ArrayList<>();
        if (Map.class.isAssignableFrom(type)) {
            return props;
        }
        if (type.isRecord()) {
            for (RecordComponent c : type.getRecordComponents()) {
                props.add(new Property(c.getName(), c.getType(), c.getGenericType()));
            }
            return props;
        }
        for (Field f : fields(type)) {
            props.add(new Property(f.getName(), f.getType(), f.getGenericType()));
        }
        return props;
    }

    private static List<Field> fields(Class<?> type) {
        List<Field> result = new ArrayList<>();
        if (type.getSuperclass() != null && type.getSuperclass() != Object.class) {
            result.addAll(fields(type.getSuperclass()));
        }
        for (Field f : type.getDeclaredFields()) {
            int mod = f.getModifiers();
            if (!Modifier.isStatic(mod) && !Modifier.isTransient(mod) && !f.isSynthetic()) {
                result.add(f);
            }
        }
        return result;
    }

    private static MethodHandles.Lookup lookup(Class<?> type) {
        try {
            return MethodHandles.privateLookupIn(type, MethodHandles.lookup());
        } catch (IllegalAccessException e) {
            throw new ModelDefinitionException("cannot access entity " + type.getName()
                    + ": open its package to Relata (" + e.getMessage() + ")");
        }
    }

    /** Invokes a {@code (Object)Object} getter handle. */
    static @Nullable Object read(MethodHandle getter, Object entity) {
        try {
            return getter.invokeExact(entity);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new RelataException("reading a property of a " + entity.getClass().getName() + " failed: " + t, t);
        }
    }

    private static @Nullable Object primitiveDefault(Class<?> type) {
        if (!type.isPrimitive()) {
            return null;
        }
        if (type == boolean.class) {
            return false;
        }
        if (type == char.class) {
            return '\0';
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == double.class) {
            return 0d;
        }
        if (type == float.class) {
            return 0f;
        }
        if (type == short.class) {
            return (short) 0;
        }
        if (type == byte.class) {
            return (byte) 0;
        }
        return 0;
    }

    private static final class RecordMapper<T> extends EntityMapper<T> {
        private final MethodHandle constructor;
        private final MethodHandle[] accessors;

        RecordMapper(Class<T> type) {
            super(propertiesOf(type));
            MethodHandles.Lookup lookup = lookup(type);
            RecordComponent[] components = type.getRecordComponents();
            Class<?>[] types = new Class<?>[components.length];
            accessors = new MethodHandle[components.length];
            try {
                for (int i = 0; i < components.length; i++) {
                    types[i] = components[i].getType();
                    accessors[i] = lookup.unreflect(components[i].getAccessor())
                            .asType(MethodType.methodType(Object.class, Object.class));
                }
                Constructor<T> canonical = type.getDeclaredConstructor(types);
                constructor = lookup.unreflectConstructor(canonical)
                        .asSpreader(Object[].class, components.length)
                        .asType(MethodType.methodType(Object.class, Object[].class));
            } catch (ReflectiveOperationException e) {
                throw new ModelDefinitionException("cannot map record " + type.getName() + ": " + e);
            }
        }

        @Override
        public @Nullable Object get(T entity, int property) {
            return read(accessors[property], entity);
        }

        @Override
        @SuppressWarnings("unchecked")
        T construct(@Nullable Object[] values) {
            try {
                return (T) constructor.invokeExact(values);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new RelataException("building a " + constructor.type().returnType().getName() + " failed: " + t, t);
            }
        }
    }

    private static final class BeanMapper<T> extends EntityMapper<T> {
        private final MethodHandle constructor;
        private final MethodHandle[] getters;
        private final MethodHandle[] setters;

        BeanMapper(Class<T> type) {
            super(propertiesOf(type));
            MethodHandles.Lookup lookup = lookup(type);
            List<Field> fields = fields(type);
            getters = new MethodHandle[fields.size()];
            setters = new MethodHandle[fields.size()];
            try {
                constructor = lookup.findConstructor(type, MethodType.methodType(void.class))
                        .asType(MethodType.methodType(Object.class));
                for (int i = 0; i < fields.size(); i++) {
                    MethodHandles.Lookup fieldLookup = lookup(fields.get(i).getDeclaringClass());
                    getters[i] = fieldLookup.unreflectGetter(fields.get(i))
                            .asType(MethodType.methodType(Object.class, Object.class));
                    setters[i] = fieldLookup.unreflectSetter(fields.get(i))
                            .asType(MethodType.methodType(void.class, Object.class, Object.class));
                }
            } catch (NoSuchMethodException e) {
                throw new ModelDefinitionException("entity " + type.getName()
                        + " must be a record or have a no-arg constructor");
            } catch (ReflectiveOperationException e) {
                throw new ModelDefinitionException("cannot map class " + type.getName() + ": " + e);
            }
        }

        @Override
        public @Nullable Object get(T entity, int property) {
            return read(getters[property], entity);
        }

        @Override
        @SuppressWarnings("unchecked")
        T construct(@Nullable Object[] values) {
            try {
                Object entity = constructor.invokeExact();
                for (int i = 0; i < setters.length; i++) {
                    if (values[i] != null) {
                        setters[i].invokeExact(entity, values[i]);
                    }
                }
                return (T) entity;
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new RelataException("building a " + constructor.type().returnType().getName() + " failed (its"
                        + " constructor or a setter threw): " + t, t);
            }
        }
    }

    private static final class MapMapper extends EntityMapper<Map<String, Object>> {
        private final String[] names;

        MapMapper(List<String> names) {
            super(names.stream().map(n -> new Property(n, Object.class, Object.class)).toList());
            this.names = names.toArray(String[]::new);
        }

        @Override
        public @Nullable Object get(Map<String, Object> entity, int property) {
            return entity.get(names[property]);
        }

        @Override
        Map<String, Object> construct(@Nullable Object[] values) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (int i = 0; i < names.length; i++) {
                if (values[i] != null) {
                    map.put(names[i], values[i]);
                }
            }
            return map;
        }
    }
}
