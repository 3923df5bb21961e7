package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.Model;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.reactor.testing.Pools;
import io.relata.reactor.testing.TestDatabase;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** save, reload, upsert, findOrCreate, increment and destroy for every key type, in and out of a transaction. */
@ExtendWith(TestDatabase.class)
@SuppressWarnings({"unchecked", "rawtypes"})
class KeyTypeWritesIT {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    record KShort(Short id, String name, Integer n) {}
    record KInteger(Integer id, String name, Integer n) {}
    record KLong(Long id, String name, Integer n) {}
    record KString(String id, String name, Integer n) {}
    record KUuid(UUID id, String name, Integer n) {}
    record KDecimal(BigDecimal id, String name, Integer n) {}
    record KBytes(byte[] id, String name, Integer n) {}

    record Variant(String label, Class<?> type, IntFunction<Object> key) {
        @Override
        public String toString() {
            return label;
        }
    }

    static final List<Variant> VARIANTS = List.of(
            new Variant("Short", KShort.class, i -> (short) i),
            new Variant("Integer", KInteger.class, i -> i),
            new Variant("Long", KLong.class, i -> (long) i),
            new Variant("String", KString.class, i -> "key-" + i),
            new Variant("UUID", KUuid.class, i -> new UUID(42, i)),
            new Variant("BigDecimal", KDecimal.class, i -> new BigDecimal(i + ".50")),
            new Variant("byte[]", KBytes.class, i -> ("k" + i).getBytes(StandardCharsets.UTF_8)));

    static final Map<Class<?>, Model> MODELS = new HashMap<>();
    static Database db;

    @BeforeAll
    static void schema(TestDatabase.Handle h) {
        SchemaBuilder s = Schema.builder().timestamps(false);
        for (Variant v : VARIANTS) {
            MODELS.put(v.type(), s.define(v.type()));
        }
        db = Database.connect(h.url(), s.build());
        db.sync(true).as(StepVerifier::create).expectComplete().verify(TIMEOUT);
    }

    @AfterAll
    static void close() {
        if (db != null) {
            db.close().block(TIMEOUT);
        }
    }

    @AfterEach
    void noLeaks() {
        Pools.awaitNoAcquired(db.connectionFactory());
        Flux.fromIterable(MODELS.values()).concatMap(m -> db.destroy(Query.from((Model<?>) m))).then().block(TIMEOUT);
    }

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (Variant v : VARIANTS) {
            all.add(Arguments.of(v, false));
            all.add(Arguments.of(v, true));
        }
        return all.stream();
    }

    static Object rec(Model m, Object key, String name, Integer n) {
        return m.instantiate(new Object[] {key, name, n});
    }

    static Object key(Model m, Object e) {
        return m.valueOf(e, 0);
    }

    static String name(Model m, Object e) {
        return (String) m.valueOf(e, 1);
    }

    static Integer n(Model m, Object e) {
        return (Integer) m.valueOf(e, 2);
    }

    @ParameterizedTest(name = "{0}, in a transaction: {1}")
    @MethodSource("cases")
    void everyEntityWriteRoundTripsTheKey(Variant v, boolean inTransaction) {
        Model m = MODELS.get(v.type());
        Object k1 = v.key().apply(1);
        Object k2 = v.key().apply(2);
        Object k3 = v.key().apply(3);
        List<String> seen = new ArrayList<>();
        Mono<Void> work = db.create(m, rec(m, k1, "a", 1))
                .flatMap(created -> {
                    assertThat(key(m, created)).isEqualTo(k1);
                    return db.save(m, rec(m, k1, "b", null));
                })
                .flatMap(saved -> {
                    assertThat(key(m, saved)).isEqualTo(k1);
                    assertThat(n(m, saved)).isEqualTo(1);
                    seen.add("save:" + name(m, saved));
                    return db.reload(m, rec(m, k1, null, null));
                })
                .flatMap(reloaded -> {
                    seen.add("reload:" + name(m, reloaded));
                    return db.upsert(m, rec(m, k1, "c", 5));
                })
                .flatMap(updated -> {
                    assertThat(key(m, updated)).isEqualTo(k1);
                    seen.add("upsert:" + name(m, updated) + n(m, updated));
                    return db.upsert(m, rec(m, k2, "d", 6));
                })
                .flatMap(inserted -> {
                    assertThat(key(m, inserted)).isEqualTo(k2);
                    return db.findOrCreate(Query.from(m).where(Where.eq("id", k3)), rec(m, null, "e", 7));
                })
                .flatMap(made -> {
                    FoundOrCreated r = (FoundOrCreated) made;
                    assertThat(key(m, r.entity())).isEqualTo(k3);
                    seen.add("findOrCreate:" + r.created());
                    return db.findOrCreate(Query.from(m).where(Where.eq("id", k3)), rec(m, null, "x", 0));
                })
                .flatMap(found -> {
                    seen.add("findOrCreate:" + ((FoundOrCreated) found).created());
                    return db.increment(m, rec(m, k1, null, null), Map.of("n", 2));
                })
                .flatMap(incremented -> {
                    seen.add("increment:" + n(m, incremented));
                    return db.destroy(m, rec(m, k2, null, null));
                })
                .flatMap(deleted -> {
                    seen.add("destroy:" + deleted);
                    return db.count(Query.from(m));
                })
                .doOnNext(count -> seen.add("count:" + count))
                .then();
        Mono<Void> run = inTransaction ? db.transaction(tx -> work).then() : work;
        run.as(StepVerifier::create).expectComplete().verify(TIMEOUT);

        assertThat(seen).containsExactly("save:b", "reload:b", "upsert:c5", "findOrCreate:true", "findOrCreate:false",
                "increment:7", "destroy:true", "count:2");
    }
}
