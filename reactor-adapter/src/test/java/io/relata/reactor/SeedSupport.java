package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.ConnectionFactory;
import io.relata.Association;
import io.relata.Model;
import io.relata.reactor.testing.Sql;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * Shared helpers of the seed ITs ({@link Seed000SchoolManagementIT}, {@link Seed001UsersSchoolsIT},
 * {@link Seed002DigitalLibraryIT}, {@link Seed003UserProfileIT}): every model of the tutorials in
 * {@code shared/seeds/000..003}, written as the tutorials write them, must define, sync (twice) and work
 * from both sides. The catalog is read from {@code pg_catalog}, so what is compared is what PostgreSQL
 * holds, not what Relata meant to create.
 */
final class SeedSupport {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private SeedSupport() {
    }

    // ---- StepVerifier shorthands ----

    /** @return everything the publisher emits, after it completed within the timeout */
    static <T> List<T> list(Publisher<T> publisher) {
        List<T> items = new ArrayList<>();
        Flux.from(publisher).collectList().as(StepVerifier::create)
                .consumeNextWith(items::addAll)
                .expectComplete()
                .verify(TIMEOUT);
        return items;
    }

    /** @return the single value the publisher emits */
    static <T> T one(Publisher<T> publisher) {
        AtomicReference<T> value = new AtomicReference<>();
        Flux.from(publisher).single().as(StepVerifier::create)
                .consumeNextWith(value::set)
                .expectComplete()
                .verify(TIMEOUT);
        return value.get();
    }

    /** The publisher completes (after any values) within the timeout. */
    static void run(Publisher<?> publisher) {
        Flux.from(publisher).then().as(StepVerifier::create).expectComplete().verify(TIMEOUT);
    }

    /** The publisher completes empty. */
    static void expectEmpty(Publisher<?> publisher) {
        Flux.from(publisher).as(StepVerifier::create).expectComplete().verify(TIMEOUT);
    }

    static <T> void expectValue(Publisher<T> publisher, T expected) {
        Flux.from(publisher).as(StepVerifier::create).expectNext(expected).expectComplete().verify(TIMEOUT);
    }

    // ---- links, compared as key sets ----

    /** @return the keys of the items, as a set (a duplicate would be a lost de-duplication: it fails) */
    static <T, K> Set<K> keys(Collection<T> items, Function<T, K> key) {
        Set<K> set = new LinkedHashSet<>();
        for (T item : items) {
            assertThat(set.add(key.apply(item))).as("duplicate %s in %s", key.apply(item), items).isTrue();
        }
        return set;
    }

    /** @return root key to the keys of what {@code children} holds (an unloaded slot fails) */
    static <S, T, K, C> Map<K, Set<C>> links(List<S> roots, Function<S, K> key, Function<S, Collection<T>> children,
            Function<T, C> childKey) {
        Map<K, Set<C>> map = new TreeMap<>();
        for (S root : roots) {
            Collection<T> c = children.apply(root);
            assertThat(c).as("included slot of %s", root).isNotNull();
            map.put(key.apply(root), keys(c, childKey));
        }
        return map;
    }

    /** A to-one slot as a collection of zero or one. */
    static <T> List<T> opt(T value) {
        return value == null ? List.of() : List.of(value);
    }

    /**
     * Lazy loads of every root, issued together (one {@code flatMap}: the loader may batch them).
     *
     * @return root key to the keys of its targets
     */
    static <S, T, K, C> Map<K, Set<C>> lazyLinks(List<S> roots, Function<S, K> key,
            Function<S, Publisher<T>> get, Function<T, C> childKey) {
        Map<K, Set<C>> map = new TreeMap<>();
        List<Map.Entry<K, Set<C>>> loaded = list(Flux.fromIterable(roots)
                .flatMap(r -> Flux.from(get.apply(r)).collectList().map(l -> Map.entry(key.apply(r), keys(l, childKey)))));
        for (Map.Entry<K, Set<C>> e : loaded) {
            map.put(e.getKey(), e.getValue());
        }
        assertThat(map).hasSize(roots.size());
        return map;
    }

    /** @return the same links seen from the other side: target key to the roots linked to it (no empty sets) */
    static <A extends Comparable<A>, B extends Comparable<B>> Map<B, Set<A>> invert(Map<A, Set<B>> links) {
        Map<B, Set<A>> inverted = new TreeMap<>();
        links.forEach((a, bs) -> bs.forEach(b -> inverted.computeIfAbsent(b, x -> new java.util.TreeSet<>()).add(a)));
        return inverted;
    }

    /** @return the entries that have at least one link */
    static <A extends Comparable<A>, B> Map<A, Set<B>> nonEmpty(Map<A, Set<B>> links) {
        Map<A, Set<B>> map = new TreeMap<>();
        links.forEach((a, bs) -> {
            if (!bs.isEmpty()) {
                map.put(a, new java.util.TreeSet<>(bs));
            }
        });
        return map;
    }

    /** @return the aliases a model knows, in definition order */
    static List<String> aliases(Model<?> model) {
        return List.copyOf(model.associations().keySet());
    }

    /** @return "foreignKey/otherKey" attribute names of an association (otherKey only for belongsToMany) */
    static String keyNames(Association<?, ?> association) {
        return association.foreignKey().name()
                + (association.otherKey() == null ? "" : "/" + association.otherKey().name());
    }

    // ---- PostgreSQL's catalog ----

    /** A single-column foreign key as PostgreSQL holds it. */
    record Fk(String column, String refTable, String refColumn, String onDelete, String onUpdate) {
    }

    static List<String> tables(ConnectionFactory cf) {
        return Sql.rows(cf, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
                .stream().map(r -> (String) r.get("tablename")).toList();
    }

    /** @return column name to "format_type NULL|NOT NULL", in column order */
    static Map<String, String> columns(ConnectionFactory cf, String table) {
        Map<String, String> result = new LinkedHashMap<>();
        for (Map<String, Object> r : Sql.rows(cf, "SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS type,"
                + " a.attnotnull FROM pg_attribute a JOIN pg_class t ON t.oid = a.attrelid"
                + " JOIN pg_namespace n ON n.oid = t.relnamespace"
                + " WHERE n.nspname = 'public' AND t.relname = $1 AND a.attnum > 0 AND NOT a.attisdropped"
                + " ORDER BY a.attnum", table)) {
            result.put((String) r.get("attname"), r.get("type") + (Boolean.TRUE.equals(r.get("attnotnull"))
                    ? " NOT NULL" : " NULL"));
        }
        return result;
    }

    private static String action(Object code) {
        return switch (String.valueOf(code)) {
            case "a" -> "NO ACTION";
            case "r" -> "RESTRICT";
            case "c" -> "CASCADE";
            case "n" -> "SET NULL";
            case "d" -> "SET DEFAULT";
            default -> throw new IllegalStateException("referential action " + code);
        };
    }

    /** @return every foreign key of a table (all must be single-column), in column order */
    static List<Fk> foreignKeys(ConnectionFactory cf, String table) {
        List<Fk> fks = new ArrayList<>();
        for (Map<String, Object> r : Sql.rows(cf, "SELECT a.attname AS col, ref.relname AS ref_table,"
                + " ra.attname AS ref_col, c.confdeltype::text AS del, c.confupdtype::text AS upd,"
                + " cardinality(c.conkey) AS width"
                + " FROM pg_constraint c JOIN pg_class src ON src.oid = c.conrelid"
                + " JOIN pg_namespace n ON n.oid = src.relnamespace"
                + " JOIN pg_class ref ON ref.oid = c.confrelid"
                + " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
                + " JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[1]"
                + " WHERE c.contype = 'f' AND n.nspname = 'public' AND src.relname = $1 ORDER BY a.attnum", table)) {
            assertThat(((Number) r.get("width")).intValue()).as("foreign key width on %s", table).isEqualTo(1);
            fks.add(new Fk((String) r.get("col"), (String) r.get("ref_table"), (String) r.get("ref_col"),
                    action(r.get("del")), action(r.get("upd"))));
        }
        return fks;
    }

    /** @return the primary key's columns, in key order */
    static List<String> primaryKey(ConnectionFactory cf, String table) {
        return Sql.rows(cf, "SELECT a.attname FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid"
                        + " JOIN pg_namespace n ON n.oid = t.relnamespace"
                        + " JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord) ON true"
                        + " JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum"
                        + " WHERE c.contype = 'p' AND n.nspname = 'public' AND t.relname = $1 ORDER BY k.ord", table)
                .stream().map(r -> (String) r.get("attname")).toList();
    }

    /** @return the column sets of every unique index that is not the primary key (constraints and indexes alike) */
    static Set<Set<String>> uniqueKeys(ConnectionFactory cf, String table) {
        Set<Set<String>> result = new LinkedHashSet<>();
        for (Map<String, Object> r : Sql.rows(cf, "SELECT string_agg(a.attname, ',' ORDER BY k.ord) AS cols"
                + " FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid"
                + " JOIN pg_namespace n ON n.oid = t.relnamespace"
                + " JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) ON true"
                + " JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum"
                + " WHERE n.nspname = 'public' AND t.relname = $1 AND i.indisunique AND NOT i.indisprimary"
                + " GROUP BY i.indexrelid ORDER BY 1", table)) {
            result.add(new LinkedHashSet<>(List.of(((String) r.get("cols")).split(","))));
        }
        return result;
    }

    /** @return every table, column (type, nullability, default) and constraint of the public schema, as text */
    static List<String> catalogSnapshot(ConnectionFactory cf) {
        List<String> lines = new ArrayList<>();
        for (Map<String, Object> r : Sql.rows(cf, "SELECT t.relname || '.' || a.attname || ' '"
                + " || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END"
                + " || coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '') AS line"
                + " FROM pg_attribute a JOIN pg_class t ON t.oid = a.attrelid"
                + " JOIN pg_namespace n ON n.oid = t.relnamespace"
                + " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                + " WHERE n.nspname = 'public' AND t.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped"
                + " UNION ALL SELECT t.relname || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid)"
                + " FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid"
                + " JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = 'public'"
                + " UNION ALL SELECT t.relname || ' index ' || pg_get_indexdef(i.indexrelid)"
                + " FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid"
                + " JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = 'public'"
                + " ORDER BY 1")) {
            lines.add((String) r.get("line"));
        }
        return lines;
    }

    /** @return {@link #catalogSnapshot(ConnectionFactory)} restricted to the given tables */
    static List<String> catalogSnapshot(ConnectionFactory cf, Set<String> tables) {
        return catalogSnapshot(cf).stream().filter(line -> {
            int dot = line.indexOf('.');
            int space = line.indexOf(' ');
            int end = dot < 0 ? space : space < 0 ? dot : Math.min(dot, space);
            return tables.contains(line.substring(0, end));
        }).toList();
    }

    /** @return table name to its row count, for every table of the public schema */
    static Map<String, Long> rowCounts(ConnectionFactory cf) {
        Map<String, Long> counts = new TreeMap<>();
        for (String t : tables(cf)) {
            counts.put(t, Sql.single(cf, "SELECT count(*) FROM \"" + t + "\"", Long.class));
        }
        return counts;
    }

    /**
     * Runs {@code sync()} again on a synced database: the catalog and the rows stay exactly as they were
     * (Sequelize's {@code sync()} is {@code CREATE TABLE IF NOT EXISTS}).
     */
    static void assertSyncAgainChangesNothing(Database db, ConnectionFactory plain) {
        List<String> before = catalogSnapshot(plain);
        Map<String, Long> rows = rowCounts(plain);
        assertThat(before).isNotEmpty();
        run(db.sync());
        assertThat(catalogSnapshot(plain)).isEqualTo(before);
        assertThat(rowCounts(plain)).isEqualTo(rows);
    }
}
