package io.relata.reactor.testing;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.Statement;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * A {@link ConnectionFactory} that records every statement executed on its connections with its bind
 * values, and the Reactor Context each connection was requested in; and that can make the next matching
 * statement fail by throwing from {@link Connection#createStatement(String)}, as a broken driver would.
 * Thread-safe.
 */
public final class RecordingConnectionFactory implements ConnectionFactory {

    /**
     * One executed statement.
     *
     * @param sql   its text
     * @param binds its bind values by index ({@code null} for a bound NULL); arrays as they were bound
     */
    public record Executed(String sql, List<@Nullable Object> binds) {

        /** @return the bind at {@code index} as an array (for {@code = ANY($n)} binds) */
        public Object[] array(int index) {
            return (Object[]) Objects.requireNonNull(binds.get(index));
        }
    }

    private final ConnectionFactory delegate;
    private final List<Executed> executed = new CopyOnWriteArrayList<>();
    private final List<ContextView> contexts = new CopyOnWriteArrayList<>();
    private final List<String> controls = new CopyOnWriteArrayList<>();
    private final AtomicReference<@Nullable Failure> failure = new AtomicReference<>();

    private record Failure(Predicate<String> sql, RuntimeException error) {
    }

    /** Wraps {@code delegate}. */
    public RecordingConnectionFactory(ConnectionFactory delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public Publisher<? extends Connection> create() {
        return Mono.deferContextual(ctx -> {
            contexts.add(ctx);
            return Mono.from(delegate.create()).map(this::wrap);
        });
    }

    @Override
    public ConnectionFactoryMetadata getMetadata() {
        return delegate.getMetadata();
    }

    /** @return the statements executed since construction or the last {@link #reset()}, in order */
    public List<Executed> executed() {
        return List.copyOf(executed);
    }

    /** @return the Reactor Contexts connections were requested in since the last {@link #reset()} */
    public List<ContextView> contexts() {
        return List.copyOf(contexts);
    }

    /**
     * @return the transaction-control calls made on its connections since the last {@link #reset()}, by
     *     method name ({@code beginTransaction}, {@code commitTransaction}, {@code rollbackTransaction})
     */
    public List<String> controls() {
        return List.copyOf(controls);
    }

    /** Forgets what was recorded and any pending failure. */
    public void reset() {
        controls.clear();
        executed.clear();
        contexts.clear();
        failure.set(null);
    }

    /**
     * The next {@code createStatement} whose SQL matches throws {@code error} (once).
     *
     * @param sql which statement
     * @param error what it throws
     */
    public void failNext(Predicate<String> sql, RuntimeException error) {
        failure.set(new Failure(sql, error));
    }

    private Connection wrap(Connection connection) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("createStatement") && args != null && args.length == 1) {
                        String sql = (String) args[0];
                        Failure f = failure.get();
                        if (f != null && f.sql().test(sql) && failure.compareAndSet(f, null)) {
                            throw f.error();
                        }
                        return statement((Statement) invoke(connection, method, args), sql);
                    }
                    if (method.getName().endsWith("Transaction")) {
                        controls.add(method.getName());
                    }
                    return invoke(connection, method, args);
                });
    }

    private Statement statement(Statement statement, String sql) {
        List<@Nullable Object> binds = new ArrayList<>();
        return (Statement) Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[] {Statement.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "bind" -> set(binds, args[0], args[1]);
                        case "bindNull" -> set(binds, args[0], null);
                        case "execute" -> executed.add(new Executed(sql, Arrays.asList(binds.toArray())));
                        default -> {
                        }
                    }
                    Object result = invoke(statement, method, args);
                    return result == statement ? proxy : result;
                });
    }

    private static void set(List<@Nullable Object> binds, Object position, @Nullable Object value) {
        if (!(position instanceof Integer index)) {
            throw new UnsupportedOperationException("named binds are not recorded: " + position);
        }
        while (binds.size() <= index) {
            binds.add(null);
        }
        binds.set(index, value);
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
