package io.relata.reactor.testing;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Plain SQL on a fresh connection of a factory (typically {@code TestDatabase.Handle#connectionFactory()},
 * i.e. outside Relata), for setting up data and checking what Relata wrote. Blocking helpers, for tests only.
 */
public final class Sql {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Sql() {
    }

    /** Runs statements in order on one connection (auto-commit) and returns the rows updated of each. */
    public static List<Long> execute(ConnectionFactory factory, String... statements) {
        return Flux.usingWhen(factory.create(),
                c -> Flux.fromArray(statements).concatMap(sql -> Flux.from(c.createStatement(sql).execute())
                        .concatMap(Result::getRowsUpdated).reduce(0L, Long::sum)),
                Connection::close)
                .collectList()
                .block(TIMEOUT);
    }

    /**
     * @param sql a query with {@code $1..$n} placeholders
     * @param binds the bind values, in order
     * @return every row as column label to value, in order
     */
    public static List<Map<String, Object>> rows(ConnectionFactory factory, String sql, Object... binds) {
        return Flux.usingWhen(factory.create(), c -> {
            Statement st = c.createStatement(sql);
            for (int i = 0; i < binds.length; i++) {
                st.bind(i, binds[i]);
            }
            return Flux.from(st.execute()).concatMap(r -> r.map((row, meta) -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < meta.getColumnMetadatas().size(); i++) {
                    map.put(meta.getColumnMetadata(i).getName(), row.get(i));
                }
                return map;
            }));
        }, Connection::close).collectList().block(TIMEOUT);
    }

    /** @return the first column of the single row a query returns, as {@code type} */
    public static <T> T single(ConnectionFactory factory, String sql, Class<T> type, Object... binds) {
        return Mono.usingWhen(factory.create(), c -> {
            Statement st = c.createStatement(sql);
            for (int i = 0; i < binds.length; i++) {
                st.bind(i, binds[i]);
            }
            return Flux.from(st.execute()).concatMap(r -> r.map((row, meta) -> row.get(0, type))).single();
        }, Connection::close).block(TIMEOUT);
    }
}
