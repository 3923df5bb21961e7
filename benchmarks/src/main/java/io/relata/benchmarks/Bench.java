package io.relata.benchmarks;

import io.r2dbc.spi.ConnectionFactoryOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Where the benchmarks' PostgreSQL is, as seen by every peer. The host process resolves it once (see
 * {@link BenchMain}) and hands it to the JMH forks as the system property {@value #URL_PROPERTY}.
 *
 * @param r2dbcUrl the R2DBC URL (Relata, L, N)
 * @param host     host
 * @param port     port
 * @param database database
 * @param user     user
 * @param password password, or empty
 */
public record Bench(String r2dbcUrl, String host, int port, String database, String user, String password) {
    /** The system property carrying the R2DBC URL into forked JVMs. */
    public static final String URL_PROPERTY = "relata.bench.url";
    /** The environment variable naming an existing server. */
    public static final String URL_VARIABLE = "RELATA_BENCH_URL";
    /** The server tried when no URL is given. */
    public static final String DEFAULT_URL = "r2dbc:postgresql://postgres@127.0.0.1:5432/test";

    /** @return the configuration of this JVM (from {@value #URL_PROPERTY}, else the default URL) */
    public static Bench current() {
        return of(System.getProperty(URL_PROPERTY, DEFAULT_URL));
    }

    /** @param url an R2DBC URL @return its parts */
    public static Bench of(String url) {
        ConnectionFactoryOptions o = ConnectionFactoryOptions.parse(url);
        Object port = o.getValue(ConnectionFactoryOptions.PORT);
        Object password = o.getValue(ConnectionFactoryOptions.PASSWORD);
        Object user = o.getValue(ConnectionFactoryOptions.USER);
        return new Bench(url, String.valueOf(o.getRequiredValue(ConnectionFactoryOptions.HOST)),
                port == null ? 5432 : Integer.parseInt(port.toString()),
                String.valueOf(o.getRequiredValue(ConnectionFactoryOptions.DATABASE)),
                user == null ? "postgres" : user.toString(),
                password == null ? "" : password.toString());
    }

    /** @return the pgjdbc URL of the same database */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** @return a new JDBC connection (auto-commit) */
    public Connection jdbc() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (!password.isEmpty()) {
            p.setProperty("password", password);
        }
        p.setProperty("connectTimeout", "3");
        return DriverManager.getConnection(jdbcUrl(), p);
    }
}
