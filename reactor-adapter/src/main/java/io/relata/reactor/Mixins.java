package io.relata.reactor;

import io.relata.Association;
import io.relata.BelongsTo;
import io.relata.BelongsToMany;
import io.relata.HasMany;
import io.relata.HasOne;
import io.relata.Model;
import io.relata.QueryDefinitionException;
import io.relata.query.Where;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Implements a user interface of Sequelize-named association methods ({@code getBars(Foo)},
 * {@code addBar(Foo, Bar)}, {@code countBars(Foo)}, ...) with a dynamic proxy. Every method is
 * resolved to an association operation once, when the proxy is created.
 */
final class Mixins {
    private static final Pattern NAME = Pattern.compile("^(get|set|create|count|has|add|remove)([A-Z].*)$");

    private Mixins() {
    }

    /** One resolved method. */
    @FunctionalInterface
    private interface Call {
        Object invoke(Object[] args);
    }

    static <S, M> M create(Database db, Model<S> model, Class<M> type) {
        if (!type.isInterface()) {
            throw new QueryDefinitionException("mixins must be an interface, " + type.getName() + " is not");
        }
        Map<Method, Call> calls = new HashMap<>();
        for (Method m : type.getMethods()) {
            if (m.isDefault() || Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            calls.put(m, resolve(db, model, type, m));
        }
        InvocationHandler handler = (proxy, method, args) -> {
            Call call = calls.get(method);
            if (call != null) {
                return call.invoke(args == null ? new Object[0] : args);
            }
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            return switch (method.getName()) {
                case "toString" -> type.getSimpleName() + " mixins of " + model.name();
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> throw new QueryDefinitionException(method + " is not a mixin of " + model.name()
                        + "; its aliases: " + model.describeAliases());
            };
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Call resolve(Database db, Model<?> model, Class<?> type, Method m) {
        Matcher matcher = NAME.matcher(m.getName());
        if (!matcher.matches()) {
            throw fail(model, type, m, "its name does not start with get/set/create/count/has/add/remove + an alias");
        }
        String verb = matcher.group(1);
        String name = matcher.group(2);
        Class<?>[] p = m.getParameterTypes();
        boolean lastIsMap = p.length > 0 && Map.class.isAssignableFrom(p[p.length - 1]);
        List<Association<?, ?>> singular = new ArrayList<>();
        List<Association<?, ?>> plural = new ArrayList<>();
        
        for (Association<?, ?> a : model.associations().values()) {
            if (capitalize(a.singular()).equals(name)) {
                singular.add(a);
            }
            if (capitalize(a.plural()).equals(name)) {
                plural.add(a);
            }
        }
        boolean collectionArg = p.length >= 2 && Collection.class.isAssignableFrom(p[1]);
        Association<?, ?> a = null;
        boolean pluralForm = false;
        if (!plural.isEmpty() && (singular.isEmpty() || collectionArg || verb.equals("count")
                || (verb.equals("get") && plural.get(0).toMany()))) {
            a = plural.get(0);
            pluralForm = true;
        } else if (!singular.isEmpty()) {
            a = singular.get(0);
        }
        if (a == null) {
            throw fail(model, type, m, "'" + name + "' is not the singular or plural alias of an association");
        }
        if (p.length == 0 || !p[0].isAssignableFrom(model.entityType())) {
            throw fail(model, type, m, "its first parameter must be the source " + model.entityType().getSimpleName());
        }
        Class<?> ret = m.getReturnType();
        final boolean many = pluralForm;
        if (a.toMany()) {
            ToManyOperations ops = a.kind() == Association.Kind.HAS_MANY
                    ? db.association((HasMany) a) : db.association((BelongsToMany) a);
            switch (verb) {
                case "get":
                    if (!many) {
                        break;
                    }
                    expect(model, type, m, ret, Flux.class);
                    if (p.length == 1) {
                        return args -> ops.get(args[0]);
                    }
                    if (p.length == 2 && UnaryOperator.class.isAssignableFrom(p[1])) {
                        return args -> ops.get(args[0], (UnaryOperator) args[1]);
                    }
                    break;
                case "count":
                    if (!many) {
                        break;
                    }
                    expect(model, type, m, ret, Mono.class);
                    if (p.length == 1) {
                        return args -> ops.count(args[0]);
                    }
                    if (p.length == 2 && Where.class.isAssignableFrom(p[1])) {
                        return args -> ops.count(args[0], (Where) args[1]);
                    }
                    break;
                case "has":
                    expect(model, type, m, ret, Mono.class);
                    if (p.length == 2) {
                        return many ? args -> ops.has(args[0], (Collection<?>) args[1]) : args -> ops.has(args[0], args[1]);
                    }
                    break;
                case "add":
                case "set":
                case "remove":
                    expect(model, type, m, ret, Mono.class);
                    if (verb.equals("set") && !many) {
                        break;
                    }
                    if (p.length == 2 || (p.length == 3 && lastIsMap && !verb.equals("remove"))) {
                        boolean withThrough = p.length == 3;
                        return args -> {
                            Collection<?> targets = many ? (Collection<?>) args[1] : List.of(args[1]);
                            Map<String, ?> through = withThrough ? (Map<String, ?>) args[2] : Map.of();
                            return switch (verb) {
                                case "add" -> ops.add(args[0], targets, through);
                                case "set" -> ops.set(args[0], targets, through);
                                default -> ops.remove(args[0], targets);
                            };
                        };
                    }
                    break;
                case "create":
                    expect(model, type, m, ret, Mono.class);
                    if (many) {
                        break;
                    }
                    if (p.length == 2) {
                        return args -> ops.create(args[0], args[1]);
                    }
                    if (p.length == 3 && lastIsMap) {
                        return args -> ops.create(args[0], args[1], (Map<String, ?>) args[2]);
                    }
                    break;
                default:
                    break;
            }
        } else {
            ToOneOperations ops = a.kind() == Association.Kind.HAS_ONE
                    ? db.association((HasOne) a) : db.association((BelongsTo) a);
            if (!many) {
                switch (verb) {
                    case "get":
                        expect(model, type, m, ret, Mono.class);
                        if (p.length == 1) {
                            return args -> ops.get(args[0]);
                        }
                        break;
                    case "set":
                        expect(model, type, m, ret, Mono.class);
                        if (p.length == 2) {
                            return args -> ops.set(args[0], args[1]);
                        }
                        break;
                    case "create":
                        expect(model, type, m, ret, Mono.class);
                        if (p.length == 2) {
                            return args -> ops.create(args[0], args[1]);
                        }
                        break;
                    default:
                        break;
                }
            }
        }
        throw fail(model, type, m, "it does not fit '" + verb + "' of " + a.kind() + " '" + a.as()
                + "' (check the parameters: source first, then a target, key or collection; Mono/Flux return)");
    }

    private static void expect(Model<?> model, Class<?> type, Method m, Class<?> actual, Class<?> expected) {
        if (!actual.isAssignableFrom(expected)) {
            throw fail(model, type, m, "it must return " + expected.getSimpleName() + ", not " + actual.getSimpleName());
        }
    }

    private static QueryDefinitionException fail(Model<?> model, Class<?> type, Method m, String why) {
        String aliases = model.associations().values().stream()
                .map(a -> a.singular() + "/" + a.plural() + " (" + a.kind() + ")")
                .collect(Collectors.joining(", "));
        return new QueryDefinitionException("mixin method " + type.getSimpleName() + "." + m.getName()
                + " cannot be implemented: " + why + "; " + model.name() + "'s associations: "
                + (aliases.isEmpty() ? "(none)" : aliases));
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
