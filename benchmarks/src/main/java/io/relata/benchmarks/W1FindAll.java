package io.relata.benchmarks;

import io.relata.benchmarks.Model.Item;
import io.relata.benchmarks.hibernate.HItem;
import io.relata.query.Query;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.openjdk.jmh.annotations.Benchmark;

/** W1: {@code findAll} of 200,000 flat rows, no includes. One op = all rows; unit rows/s. */
public class W1FindAll {
    /** Relata's SQL for {@code Query.from(items)}, written by hand for L and J. */
    static final String SQL = "SELECT id, name, quantity, price, sku FROM items";

    static Item map(io.r2dbc.spi.Row row) {
        return new Item(row.get(0, Long.class), row.get(1, String.class), row.get(2, Integer.class),
                row.get(3, Double.class), row.get(4, String.class));
    }

    @Benchmark
    public long relata(Peers.Relata r) {
        return r.db.findAll(Query.from(r.m.items)).reduce(0L, (s, i) -> s + Sums.item(i)).block();
    }

    @Benchmark
    public long L(Peers.Raw raw) {
        return Peers.query(raw.pool, SQL, (row, meta) -> map(row)).reduce(0L, (s, i) -> s + Sums.item(i)).block();
    }

    /** A stateless session: no persistence context for 200k entities (Hibernate's own advice for bulk reads). */
    @Benchmark
    public long H(Peers.Hibernate h) {
        return h.sf.withStatelessSession(s -> s.createSelectionQuery("from HItem", HItem.class).getResultList())
                .thenApply(list -> {
                    long sum = 0;
                    for (HItem i : list) {
                        sum += Sums.item(i);
                    }
                    return sum;
                }).toCompletableFuture().join();
    }

    @Benchmark
    public long J(Peers.Jdbc j) throws SQLException {
        long sum = 0;
        try (PreparedStatement ps = j.connection.prepareStatement(SQL); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                sum += Sums.item(new Item(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getDouble(4), rs.getString(5)));
            }
        }
        return sum;
    }
}
