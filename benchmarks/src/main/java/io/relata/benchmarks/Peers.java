package io.relata.benchmarks;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.ValidationDepth;
import io.relata.benchmarks.hibernate.HAuthor;
import io.relata.benchmarks.hibernate.HBook;
import io.relata.benchmarks.hibernate.HItem;
import io.relata.benchmarks.hibernate.HPlayer;
import io.relata.benchmarks.hibernate.HTag;
import io.relata.benchmarks.hibernate.HTeam;
import io.relata.query.Query;
import io.relata.reactor.Database;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.function.BiFunction;
import org.hibernate.cfg.Configuration;
import org.hibernate.reactive.provider.ReactiveServiceRegistryBuilder;
import org.hibernate.reactive.stage.Stage;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The peers' connections, as JMH states: each fork sets up only the peers its benchmark uses. */
public final class Peers {
    private Peers() {
    }

    /** Relata: {@code Database.connect} with its defaults (pool of 4, forceBinary, local validation, no validation query). */
    @State(Scope.Benchmark)
    public static class Relata {
        public Model.Relata m;
        public Database db;

        @Setup(Level.Trial)
        public void setup() {
            m = new Model.Relata();
            db = Database.connect(Bench.current().r2dbcUrl(), m.schema);
            db.findAll(Query.from(m.tags)).blockLast(Duration.ofSeconds(30));
        }

        @TearDown(Level.Trial)
        public void close() {
            db.close().block(Duration.ofSeconds(30));
        }
    }

    /**
     * L and N: raw r2dbc-postgresql behind an r2dbc-pool configured exactly like {@code Database.connect}
     * (reactor-adapter/src/main/java/io/relata/reactor/Database.java).
     */
    @State(Scope.Benchmark)
    public static class Raw {
        public ConnectionPool pool;

        @Setup(Level.Trial)
        public void setup() {
            ConnectionFactoryOptions options = ConnectionFactoryOptions.parse(Bench.current().r2dbcUrl()).mutate()
                    .option(PostgresqlConnectionFactoryProvider.FORCE_BINARY, true).build();
            pool = new ConnectionPool(ConnectionPoolConfiguration.builder(ConnectionFactories.get(options))
                    .initialSize(1)
                    .maxSize(4)
                    .validationDepth(ValidationDepth.LOCAL)
                    .maxValidationTime(Duration.ofSeconds(10))
                    .maxIdleTime(Duration.ofMinutes(10))
                    .maxAcquireTime(Duration.ofSeconds(30))
                    .name("raw")
                    .build());
            query(pool, "SELECT id FROM tags", (row, meta) -> row.get(0, Long.class)).blockLast(Duration.ofSeconds(30));
        }

        @TearDown(Level.Trial)
        public void close() {
            pool.disposeLater().block(Duration.ofSeconds(30));
        }
    }

    /**
     * For context only (W7): the pool as {@code Database.connect} configured it before the faults work, with the
     * validation query {@code SELECT 1} on every acquire ({@code ValidationDepth.REMOTE}), to show what it costs
     * short statements.
     */
    @State(Scope.Benchmark)
    public static class RawRemoteValidation {
        public ConnectionPool pool;

        @Setup(Level.Trial)
        public void setup() {
            ConnectionFactoryOptions options = ConnectionFactoryOptions.parse(Bench.current().r2dbcUrl()).mutate()
                    .option(PostgresqlConnectionFactoryProvider.FORCE_BINARY, true).build();
            pool = new ConnectionPool(ConnectionPoolConfiguration.builder(ConnectionFactories.get(options))
                    .initialSize(1)
                    .maxSize(4)
                    .validationQuery("SELECT 1")
                    .validationDepth(ValidationDepth.REMOTE)
                    .maxValidationTime(Duration.ofSeconds(10))
                    .maxIdleTime(Duration.ofMinutes(10))
                    .maxAcquireTime(Duration.ofSeconds(30))
                    .name("raw-remote")
                    .build());
            query(pool, "SELECT id FROM tags", (row, meta) -> row.get(0, Long.class)).blockLast(Duration.ofSeconds(30));
        }

        @TearDown(Level.Trial)
        public void close() {
            pool.disposeLater().block(Duration.ofSeconds(30));
        }
    }

    /** Hibernate Reactive 3.1 (Vert.x PostgreSQL client, pool of 4, its default prepared statement cache). */
    @State(Scope.Benchmark)
    public static class Hibernate {
        public Stage.SessionFactory sf;

        @Setup(Level.Trial)
        public void setup() {
            sf = sessionFactory(Bench.current());
            sf.withSession(s -> s.find(HTag.class, 1L)).toCompletableFuture().join();
        }

        @TearDown(Level.Trial)
        public void close() {
            sf.close();
        }
    }

    /** J: one pgjdbc connection (no pool), for context. */
    @State(Scope.Benchmark)
    public static class Jdbc {
        public java.sql.Connection connection;

        @Setup(Level.Trial)
        public void setup() throws SQLException {
            connection = Bench.current().jdbc();
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            connection.close();
        }
    }

    static Stage.SessionFactory sessionFactory(Bench bench) {
        Properties p = new Properties();
        p.setProperty("hibernate.connection.url", bench.jdbcUrl());
        p.setProperty("hibernate.connection.username", bench.user());
        if (!bench.password().isEmpty()) {
            p.setProperty("hibernate.connection.password", bench.password());
        }
        p.setProperty("hibernate.connection.pool_size", "4");
        p.setProperty("hibernate.hbm2ddl.auto", "none");
        p.setProperty("hibernate.show_sql", "false");
        Configuration cfg = new Configuration();
        cfg.setProperties(p);
        for (Class<?> c : new Class<?>[] {HItem.class, HTeam.class, HPlayer.class, HAuthor.class, HBook.class, HTag.class}) {
            cfg.addAnnotatedClass(c);
        }
        var registry = new ReactiveServiceRegistryBuilder().applySettings(cfg.getProperties()).build();
        return cfg.buildSessionFactory(registry).unwrap(Stage.SessionFactory.class);
    }

    /** Hand-written R2DBC: one statement on a pooled connection, released on complete, error and cancel. */
    public static <T> Flux<T> query(ConnectionPool pool, String sql, BiFunction<Row, RowMetadata, T> mapper,
            Object... binds) {
        return Flux.usingWhen(pool.create(), c -> query(c, sql, mapper, binds), Connection::close,
                (c, e) -> c.close(), Connection::close);
    }

    /** Hand-written R2DBC on a given connection. */
    public static <T> Flux<T> query(Connection c, String sql, BiFunction<Row, RowMetadata, T> mapper, Object... binds) {
        return Flux.defer(() -> Flux.from(statement(c, sql, binds).execute())).concatMap(r -> r.map(mapper));
    }

    /** @return the rows updated by one statement on the connection */
    public static Mono<Long> update(Connection c, String sql, Object... binds) {
        return Flux.defer(() -> Flux.from(statement(c, sql, binds).execute()))
                .concatMap(r -> r.getRowsUpdated()).reduce(0L, Long::sum);
    }

    static Statement statement(Connection c, String sql, Object... binds) {
        Statement st = c.createStatement(sql);
        for (int i = 0; i < binds.length; i++) {
            st.bind(i, binds[i]);
        }
        return st;
    }
}
