package io.relata.reactor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.AnnotatedArrayType;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Calls every public method and constructor of the public types of some packages with {@code null} for
 * each reference parameter that is not {@code @Nullable} (one parameter at a time, the others given
 * sample values), and for varargs and collection parameters also with one {@code null} element, and
 * checks that the call throws, at once, a {@link NullPointerException} whose message starts with the
 * parameter's name ({@code Objects.requireNonNull(x, "x")}; elements as {@code values[1]}). A JDK
 * "helpful" message ({@code Cannot invoke ... because "x" is null}) does not count: it is an accident
 * of a dereference, not a check. New public methods are covered without listing them.
 */
public final class NullProbe {
    private final Map<Class<?>, Supplier<?>> samples = new HashMap<>();
    private final Map<Class<?>, Supplier<?>> receivers = new HashMap<>();
    private final Map<String, String> exclusions = new HashMap<>();
    private final List<String> failures = new ArrayList<>();
    private final Set<String> excluded = new TreeSet<>();
    private int probes;

    /** @param type a parameter type @param value makes a non-null value of it (fresh each call) */
    public <T> NullProbe sample(Class<T> type, Supplier<? extends T> value) {
        samples.put(type, value);
        return this;
    }

    /** @param type a type whose instance methods are probed @param value makes an instance to call them on */
    public <T> NullProbe receiver(Class<T> type, Supplier<? extends T> value) {
        receivers.put(type, value);
        return this;
    }

    /**
     * @param signature what {@link #signature} says for a method or constructor (a parameter is
     *     {@code signature + "#" + name})
     * @param why why a null there is not rejected (or cannot be probed)
     */
    public NullProbe exclude(String signature, String why) {
        exclusions.put(signature, why);
        return this;
    }

    /** @return the number of null probes run */
    public int probes() {
        return probes;
    }

    /** @return the probes whose call did not throw an NPE naming the parameter */
    public List<String> failures() {
        return List.copyOf(failures);
    }

    /** @return the excluded methods and parameters that matched something, with the reason */
    public Set<String> excluded() {
        return excluded;
    }

    /** @param packages packages (not their sub-packages) @return their public top-level and nested types */
    public static List<Class<?>> publicTypes(String... packages) {
        List<Class<?>> out = new ArrayList<>();
        for (String p : packages) {
            for (String name : classNames(p)) {
                try {
                    Class<?> c = Class.forName(name, false, NullProbe.class.getClassLoader());
                    if (isPublic(c) && !c.isSynthetic() && !c.isAnonymousClass()) {
                        out.add(c);
                    }
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        out.sort(Comparator.comparing(Class::getName));
        return out;
    }

    private static boolean isPublic(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static List<String> classNames(String pkg) {
        String dir = pkg.replace('.', '/');
        List<String> names = new ArrayList<>();
        try {
            Enumeration<URL> urls = NullProbe.class.getClassLoader().getResources(dir);
            while (urls.hasMoreElements()) {
                URL url = urls.nextElement();
                if (url.getPath().contains("/test-classes/") || url.getPath().contains("-tests.jar")) {
                    continue; // main code only
                }
                if (url.getProtocol().equals("file")) {
                    try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
                        files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".class"))
                                .forEach(f -> names.add(pkg + "." + f.substring(0, f.length() - 6)));
                    }
                } else if (url.getProtocol().equals("jar")) {
                    JarURLConnection connection = (JarURLConnection) url.openConnection();
                    connection.setUseCaches(false);
                    try (JarFile jar = connection.getJarFile()) {
                        for (JarEntry e : jar.stream().toList()) {
                            String n = e.getName();
                            if (n.startsWith(dir + "/") && n.endsWith(".class") && n.indexOf('/', dir.length() + 1) < 0) {
                                names.add(n.substring(0, n.length() - 6).replace('/', '.'));
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (names.isEmpty()) {
            throw new IllegalStateException("no classes found in package " + pkg);
        }
        return names;
    }

    /** @param e a method or constructor @return e.g. {@code Query.where(Where)} */
    public static String signature(Executable e) {
        String owner = e.getDeclaringClass().getName();
        owner = owner.substring(owner.lastIndexOf('.') + 1).replace('$', '.');
        String name = e instanceof Constructor<?> ? "<init>" : e.getName();
        return owner + "." + name + "(" + String.join(", ", Arrays.stream(e.getParameterTypes())
                .map(t -> t.getSimpleName()).toList()) + ")";
    }

    /** Probes every public method and constructor of {@code types}. */
    public NullProbe probeAll(Collection<Class<?>> types) {
        for (Class<?> type : types) {
            List<Executable> members = new ArrayList<>();
            if (!type.isInterface() && !Modifier.isAbstract(type.getModifiers()) && !type.isEnum()) {
                members.addAll(Arrays.asList(type.getConstructors()));
            }
            for (Method m : type.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
                    members.add(m);
                }
            }
            members.sort(Comparator.comparing(NullProbe::signature));
            for (Executable e : members) {
                probe(e);
            }
        }
        return this;
    }

    private void probe(Executable e) {
        String signature = signature(e);
        String why = exclusions.get(signature);
        if (e instanceof Method m && m.getName().equals("equals") && m.getParameterCount() == 1) {
            why = "Object.equals: null is a valid argument (false)";
        } else if (e instanceof Constructor<?> c && Throwable.class.isAssignableFrom(c.getDeclaringClass())) {
            why = "exception constructor: runs on error paths with driver-supplied text and causes that may be"
                    + " null; an NPE there would hide the real error";
        } else if (e instanceof Method m && m.getDeclaringClass().isEnum() && m.getName().equals("valueOf")
                && m.getParameterCount() == 1) {
            why = "enum valueOf generated by the compiler: the JDK's own NPE (\"Name is null\")";
        }
        if (why != null) {
            excluded.add(signature + ": " + why);
            return;
        }
        if (e instanceof Method m && !Modifier.isStatic(m.getModifiers()) && e.getParameterCount() > 0
                && receiverOf(m.getDeclaringClass()) == null) {
            failures.add(signature + ": no receiver sample for " + m.getDeclaringClass().getName());
            return;
        }
        Parameter[] params = e.getParameters();
        for (int i = 0; i < params.length; i++) {
            Parameter p = params[i];
            if (p.getType().isPrimitive() || nullable(p.getAnnotatedType())) {
                continue;
            }
            String paramWhy = exclusions.get(signature + "#" + p.getName());
            if (paramWhy != null) {
                excluded.add(signature + "#" + p.getName() + ": " + paramWhy);
                continue;
            }
            call(e, i, null, p.getName(), signature + " with " + p.getName() + " = null");
            if (p.getType().isArray() && !p.getType().getComponentType().isPrimitive()
                    && !nullable(elementAnnotated(p.getAnnotatedType()))) {
                Object array = Array.newInstance(p.getType().getComponentType(), 2);
                Array.set(array, 0, sampleOrNull(p.getType().getComponentType(), signature));
                call(e, i, array, p.getName(), signature + " with " + p.getName() + "[1] = null");
            } else if ((p.getType() == List.class || p.getType() == Collection.class)
                    && !nullable(elementAnnotated(p.getAnnotatedType()))) {
                List<@Nullable Object> list = new ArrayList<>();
                list.add(sampleOrNull(elementClass(p.getParameterizedType()), signature));
                list.add(null);
                call(e, i, list, p.getName(), signature + " with " + p.getName() + " = [x, null]");
            }
        }
    }

    private void call(Executable e, int index, @Nullable Object value, String name, String what) {
        probes++;
        Object[] args = new Object[e.getParameterCount()];
        Parameter[] params = e.getParameters();
        try {
            for (int i = 0; i < args.length; i++) {
                args[i] = i == index ? value : sample(params[i].getType(), params[i].getParameterizedType(), what);
            }
        } catch (IllegalStateException missing) {
            failures.add(what + ": " + missing.getMessage());
            return;
        }
        try {
            if (e instanceof Constructor<?> c) {
                c.newInstance(args);
            } else {
                Method m = (Method) e;
                m.invoke(Modifier.isStatic(m.getModifiers()) ? null : receiverOf(m.getDeclaringClass()), args);
            }
            failures.add(what + ": returned normally");
        } catch (InvocationTargetException ex) {
            Throwable cause = ex.getCause();
            String message = cause.getMessage();
            if (!(cause instanceof NullPointerException)) {
                failures.add(what + ": threw " + cause);
            } else if (message == null || !Pattern.compile("^" + Pattern.quote(name) + "\\b").matcher(message).find()
                    || message.startsWith("Cannot ")) {
                failures.add(what + ": NPE without the parameter's name: " + message);
            }
        } catch (ReflectiveOperationException ex) {
            failures.add(what + ": cannot be called: " + ex);
        }
    }

    private static boolean nullable(@Nullable AnnotatedType type) {
        if (type == null) {
            return false;
        }
        return Arrays.stream(type.getAnnotations()).anyMatch(a -> a.annotationType().getSimpleName().equals("Nullable"));
    }

    private static @Nullable AnnotatedType elementAnnotated(AnnotatedType type) {
        if (type instanceof AnnotatedArrayType a) {
            return a.getAnnotatedGenericComponentType();
        }
        if (type instanceof AnnotatedParameterizedType p && p.getAnnotatedActualTypeArguments().length == 1) {
            return p.getAnnotatedActualTypeArguments()[0];
        }
        return null;
    }

    private static Class<?> elementClass(Type type) {
        if (type instanceof ParameterizedType p && p.getActualTypeArguments().length == 1) {
            Type arg = p.getActualTypeArguments()[0];
            if (arg instanceof WildcardType w) {
                arg = w.getUpperBounds()[0];
            }
            if (arg instanceof Class<?> c) {
                return c;
            }
            if (arg instanceof ParameterizedType pa) {
                return (Class<?>) pa.getRawType();
            }
        }
        return Object.class;
    }

    private @Nullable Object sampleOrNull(Class<?> type, String what) {
        try {
            return sample(type, null, what);
        } catch (IllegalStateException missing) {
            failures.add(what + ": " + missing.getMessage());
            return null;
        }
    }

    private @Nullable Object receiverOf(Class<?> type) {
        if (type.isEnum()) {
            return type.getEnumConstants()[0];
        }
        Supplier<?> s = receivers.get(type);
        if (s == null) {
            s = samples.get(type);
        }
        return s == null ? null : s.get();
    }

    private Object sample(Class<?> type, @Nullable Type generic, String what) {
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class) {
            return 1;
        }
        if (type == long.class) {
            return 1L;
        }
        if (type.isArray()) {
            Object array = Array.newInstance(type.getComponentType(), type.getComponentType().isPrimitive() ? 0 : 1);
            if (!type.getComponentType().isPrimitive()) {
                Array.set(array, 0, sample(type.getComponentType(), null, what));
            }
            return array;
        }
        if ((type == List.class || type == Collection.class) && generic != null) {
            return List.of(sample(elementClass(generic), null, what));
        }
        if (type.isEnum()) {
            return type.getEnumConstants()[0];
        }
        Supplier<?> s = samples.get(type);
        if (s == null) {
            throw new IllegalStateException("no sample for " + type.getName() + " (needed by " + what + ")");
        }
        return s.get();
    }
}
