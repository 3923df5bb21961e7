package io.relata.reactor.testing;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * A {@link ConnectionFactory} that records the SQL of every {@link Connection#createStatement(String)}
 * issued on its connections, so a test can prove how many statements an operation ran (or that none
 * ran at all). Thread-safe.
 *
 * <pre>{@code
 * CountingConnectionFactory counting = new CountingConnectionFactory(h.connectionFactory());
 * Database db = Database.create(counting, schema);
 * counting.reset();
 * ... run something ...
 * assertThat(counting.count()).isEqualTo(1);
 * assertThat(counting.statements()).first().asString().startsWith("SELECT");
 * }</pre>
 *
 * <p>Only {@code createStatement} is counted; transaction control ({@code beginTransaction},
 * {@code commitTransaction}, ...), {@code validate} and batches are not statements in this sense.
 */
public final class CountingConnectionFactory implements ConnectionFactory {

    private final ConnectionFactory delegate;
    private final List<String> statements = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();

    /** Wraps {@code delegate}; connections it creates are wrapped as they are emitted. */
    public CountingConnectionFactory(ConnectionFactory delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public Publisher<? extends Connection> create() {
        return Mono.from(delegate.create()).doOnNext(c -> connections.incrementAndGet()).map(this::wrap);
    }

    @Override
    public ConnectionFactoryMetadata getMetadata() {
        return delegate.getMetadata();
    }

    /** The number of statements created since construction or the last {@link #reset()}. */
    public int count() {
        return statements.size();
    }

    /** The SQL of the statements created since construction or the last {@link #reset()}, in order. */
    public List<String> statements() {
        return List.copyOf(statements);
    }

    /** The number of connections handed out since construction or the last {@link #reset()}. */
    public int connections() {
        return connections.get();
    }

    /** Forgets the statements and connections recorded so far. */
    public void reset() {
        statements.clear();
        connections.set(0);
    }

    private Connection wrap(Connection connection) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> invoke(connection, method, args));
    }

    private Object invoke(Connection connection, Method method, Object[] args) throws Throwable {
        if (method.getName().equals("createStatement") && args != null && args.length == 1) {
            statements.add((String) args[0]);
        }
        try {
            return method.invoke(connection, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
