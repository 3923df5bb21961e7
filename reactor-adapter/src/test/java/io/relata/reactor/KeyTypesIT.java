package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.AssociationOptions;
import io.relata.BelongsTo;
import io.relata.BelongsToMany;
import io.relata.HasMany;
import io.relata.HasOne;
import io.relata.Model;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.internal.Keys;
import io.relata.query.Include;
import io.relata.query.Order;
import io.relata.query.Query;
import io.relata.reactor.testing.Pools;
import io.relata.reactor.testing.RecordingConnectionFactory;
import io.relata.reactor.testing.Sql;
import io.relata.reactor.testing.TestDatabase;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The key-type guarantee of issue 9 as a matrix: every operation (findByPk, JOIN and SEPARATE includes at
 * depth 1 and 2, lazy get single, batched and for several sources, has/count/add/remove/set/create,
 * bulkCreate) for all four association kinds, with primary, source and target keys of type
 * {@code Short}, {@code Integer}, {@code Long}, {@code String}, {@code UUID}, {@code BigDecimal} and
 * {@code byte[]}, and with foreign keys whose Java type differs from the key's in integral width
 * ({@code Integer} key with {@code Long} foreign keys, and the reverse). Keys collide across tables on
 * purpose (every table has keys 1, 2, 3, ...); BYTEA keys are 255 bytes (the first one all zeros);
 * decimal keys are stored as {@code 1.50} and referenced as {@code 1.5}; keys are passed back as fresh
 * values (copied arrays, other widths and scales), so only comparison by value can find them.
 */
@ExtendWith(TestDatabase.class)
@SuppressWarnings({"unchecked", "rawtypes"})
class KeyTypesIT {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    record ShParent(Short id, String name, ShOne one, List<ShMany> manys, List<ShTag> tags) {
    }

    record ShOne(Short id, String name, Short parentId) {
    }

    record ShMany(Short id, String name, Short parentId, ShParent parent, List<ShLeaf> leaves) {
    }

    record ShLeaf(Short id, String name, Short manyId) {
    }

    record ShTag(Short id, String name, List<ShParent> parents) {
    }

    record ShLink(Short parentId, Short tagId) {
    }

    record InParent(Integer id, String name, InOne one, List<InMany> manys, List<InTag> tags) {
    }

    record InOne(Integer id, String name, Integer parentId) {
    }

    record InMany(Integer id, String name, Integer parentId, InParent parent, List<InLeaf> leaves) {
    }

    record InLeaf(Integer id, String name, Integer manyId) {
    }

    record InTag(Integer id, String name, List<InParent> parents) {
    }

    record InLink(Integer parentId, Integer tagId) {
    }

    record LoParent(Long id, String name, LoOne one, List<LoMany> manys, List<LoTag> tags) {
    }

    record LoOne(Long id, String name, Long parentId) {
    }

    record LoMany(Long id, String name, Long parentId, LoParent parent, List<LoLeaf> leaves) {
    }

    record LoLeaf(Long id, String name, Long manyId) {
    }

    record LoTag(Long id, String name, List<LoParent> parents) {
    }

    record LoLink(Long parentId, Long tagId) {
    }

    record StParent(String id, String name, StOne one, List<StMany> manys, List<StTag> tags) {
    }

    record StOne(String id, String name, String parentId) {
    }

    record StMany(String id, String name, String parentId, StParent parent, List<StLeaf> leaves) {
    }

    record StLeaf(String id, String name, String manyId) {
    }

    record StTag(String id, String name, List<StParent> parents) {
    }

    record StLink(String parentId, String tagId) {
    }

    record UuParent(UUID id, String name, UuOne one, List<UuMany> manys, List<UuTag> tags) {
    }

    record UuOne(UUID id, String name, UUID parentId) {
    }

    record UuMany(UUID id, String name, UUID parentId, UuParent parent, List<UuLeaf> leaves) {
    }

    record UuLeaf(UUID id, String name, UUID manyId) {
    }

    record UuTag(UUID id, String name, List<UuParent> parents) {
    }

    record UuLink(UUID parentId, UUID tagId) {
    }

    record DeParent(BigDecimal id, String name, DeOne one, List<DeMany> manys, List<DeTag> tags) {
    }

    record DeOne(BigDecimal id, String name, BigDecimal parentId) {
    }

    record DeMany(BigDecimal id, String name, BigDecimal parentId, DeParent parent, List<DeLeaf> leaves) {
    }

    record DeLeaf(BigDecimal id, String name, BigDecimal manyId) {
    }

    record DeTag(BigDecimal id, String name, List<DeParent> parents) {
    }

    record DeLink(BigDecimal parentId, BigDecimal tagId) {
    }

    record ByParent(byte[] id, String name, ByOne one, List<ByMany> manys, List<ByTag> tags) {
    }

    record ByOne(byte[] id, String name, byte[] parentId) {
    }

    record ByMany(byte[] id, String name, byte[] parentId, ByParent parent, List<ByLeaf> leaves) {
    }

    record ByLeaf(byte[] id, String name, byte[] manyId) {
    }

    record ByTag(byte[] id, String name, List<ByParent> parents) {
    }

    record ByLink(byte[] parentId, byte[] tagId) {
    }

    record IwParent(Integer id, String name, IwOne one, List<IwMany> manys, List<IwTag> tags) {
    }

    record IwOne(Integer id, String name, Long parentId) {
    }

    record IwMany(Integer id, String name, Long parentId, IwParent parent, List<IwLeaf> leaves) {
    }

    record IwLeaf(Integer id, String name, Long manyId) {
    }

    record IwTag(Integer id, String name, List<IwParent> parents) {
    }

    record IwLink(Long parentId, Long tagId) {
    }

    record LnParent(Long id, String name, LnOne one, List<LnMany> manys, List<LnTag> tags) {
    }

    record LnOne(Long id, String name, Integer parentId) {
    }

    record LnMany(Long id, String name, Integer parentId, LnParent parent, List<LnLeaf> leaves) {
    }

    record LnLeaf(Long id, String name, Integer manyId) {
    }

    record LnTag(Long id, String name, List<LnParent> parents) {
    }

    record LnLink(Integer parentId, Integer tagId) {
    }

    static byte[] bytes(int i) {
        byte[] b = new byte[255];
        if (i > 1) {
            b[254] = (byte) i;
        }
        return b;
    }

    /** One key type: the entity classes, the key of the i-th row of any table, and a foreign key to it. */
    static final class Variant {
        final String label;
        final Class<?> parent;
        final Class<?> one;
        final Class<?> many;
        final Class<?> leaf;
        final Class<?> tag;
        final Class<?> link;
        final IntFunction<Object> key;
        final IntFunction<Object> fk;
        Model parents;
        Model ones;
        Model manys;
        Model leaves;
        Model tags;
        Model links;
        HasOne parentOne;
        HasMany parentManys;
        BelongsTo manyParent;
        HasMany manyLeaves;
        BelongsToMany parentTags;
        BelongsToMany tagParents;

        Variant(String label, Class<?> parent, Class<?> one, Class<?> many, Class<?> leaf, Class<?> tag, Class<?> link,
                IntFunction<Object> key, IntFunction<Object> fk) {
            this.label = label;
            this.parent = parent;
            this.one = one;
            this.many = many;
            this.leaf = leaf;
            this.tag = tag;
            this.link = link;
            this.key = key;
            this.fk = fk;
        }

        void define(SchemaBuilder s) {
            parents = s.define(parent);
            ones = s.define(one);
            manys = s.define(many);
            leaves = s.define(leaf);
            tags = s.define(tag);
            links = s.define(link);
            parentOne = parents.hasOne(ones, options(o -> o.as("one").foreignKey("parentId")));
            parentManys = parents.hasMany(manys, options(o -> o.as("manys").foreignKey("parentId")));
            manyParent = manys.belongsTo(parents, options(o -> o.as("parent").foreignKey("parentId")));
            manyLeaves = manys.hasMany(leaves, options(o -> o.as("leaves").foreignKey("manyId")));
            parentTags = parents.belongsToMany(tags,
                    options(o -> o.as("tags").through(links).foreignKey("parentId").otherKey("tagId")));
            tagParents = tags.belongsToMany(parents,
                    options(o -> o.as("parents").through(links).foreignKey("tagId").otherKey("parentId")));
        }

        Object parent(int i) {
            return record(parent, key.apply(i), "p" + i, null, null, null);
        }

        Object one(int i, int parentIndex) {
            return record(one, key.apply(i), "o" + i, parentIndex == 0 ? null : fk.apply(parentIndex));
        }

        Object many(int i, int parentIndex) {
            return record(many, key.apply(i), "m" + i, parentIndex == 0 ? null : fk.apply(parentIndex), null, null);
        }

        Object leaf(int i, int manyIndex) {
            return record(leaf, key.apply(i), "l" + i, fk.apply(manyIndex));
        }

        Object tag(int i) {
            return record(tag, key.apply(i), "t" + i, null);
        }

        /** @return DELETE of every table, children first (cheaper than TRUNCATE for a few rows) */
        String[] deletes() {
            return List.of(links, leaves, manys, ones, tags, parents).stream()
                    .map(m -> "DELETE FROM \"" + m.tableName() + "\"").toArray(String[]::new);
        }

        @Override
        public String toString() {
            return label;
        }
    }

    static final List<Variant> VARIANTS = List.of(
            new Variant("Short", ShParent.class, ShOne.class, ShMany.class, ShLeaf.class, ShTag.class, ShLink.class,
                    i -> (short) i, i -> (short) i),
            new Variant("Integer", InParent.class, InOne.class, InMany.class, InLeaf.class, InTag.class, InLink.class,
                    i -> i, i -> i),
            new Variant("Long", LoParent.class, LoOne.class, LoMany.class, LoLeaf.class, LoTag.class, LoLink.class,
                    i -> 5_000_000_000L + i, i -> 5_000_000_000L + i),
            new Variant("String", StParent.class, StOne.class, StMany.class, StLeaf.class, StTag.class, StLink.class,
                    i -> "key-" + i, i -> new String("key-" + i)),
            new Variant("UUID", UuParent.class, UuOne.class, UuMany.class, UuLeaf.class, UuTag.class, UuLink.class,
                    i -> new UUID(0x1234, i), i -> new UUID(0x1234, i)),
            new Variant("BigDecimal", DeParent.class, DeOne.class, DeMany.class, DeLeaf.class, DeTag.class, DeLink.class,
                    i -> new BigDecimal(i + ".50"), i -> new BigDecimal(i + ".5")),
            new Variant("byte[]", ByParent.class, ByOne.class, ByMany.class, ByLeaf.class, ByTag.class, ByLink.class,
                    KeyTypesIT::bytes, KeyTypesIT::bytes),
            new Variant("Integer key, Long foreign keys", IwParent.class, IwOne.class, IwMany.class, IwLeaf.class,
                    IwTag.class, IwLink.class, i -> i, i -> (long) i),
            new Variant("Long key, Integer foreign keys", LnParent.class, LnOne.class, LnMany.class, LnLeaf.class,
                    LnTag.class, LnLink.class, i -> (long) i, i -> i));

    static Consumer<AssociationOptions> options(Consumer<AssociationOptions> options) {
        return options;
    }

    /** The entity types vary by key type, so the tests hold them as Object. */
    static Flux<Object> flux(Publisher publisher) {
        return Flux.from((Publisher<Object>) publisher);
    }

    static List<Variant> variants() {
        return VARIANTS;
    }

    static TestDatabase.Handle handle;
    static Database pool;
    static RecordingConnectionFactory recording;
    static Database db;

    @BeforeAll
    static void schema(TestDatabase.Handle h) {
        handle = h;
        SchemaBuilder s = Schema.builder().timestamps(false);
        VARIANTS.forEach(v -> v.define(s));
        Schema schema = s.build();
        pool = Database.connect(h.url(), schema);
        recording = new RecordingConnectionFactory(pool.connectionFactory());
        db = Database.create(recording, schema);
        db.sync().as(StepVerifier::create).expectComplete().verify(TIMEOUT);
    }

    @AfterAll
    static void close() {
        pool.close().block(TIMEOUT);
    }

    @AfterEach
    void noConnectionLeaked() {
        Pools.awaitNoAcquired(pool.connectionFactory());
    }

    /**
     * p1 has o1, m1 and m2 (m1 has l1 and l2), t1 and t2; p2 has m3 (which has l3) and t2; p3 has nothing;
     * o2 and m4 belong to no parent; t3 to none. Created with bulkCreate and add, then counting restarts.
     */
    static void seed(Variant v) {
        Sql.execute(pool.connectionFactory(), v.deletes());
        created(db.bulkCreate(v.parents, List.of(v.parent(1), v.parent(2), v.parent(3))), 3);
        created(db.bulkCreate(v.ones, List.of(v.one(1, 1), v.one(2, 0))), 2);
        created(db.bulkCreate(v.manys, List.of(v.many(1, 1), v.many(2, 1), v.many(3, 2), v.many(4, 0))), 4);
        created(db.bulkCreate(v.leaves, List.of(v.leaf(1, 1), v.leaf(2, 1), v.leaf(3, 3))), 3);
        created(db.bulkCreate(v.tags, List.of(v.tag(1), v.tag(2), v.tag(3))), 3);
        done(ops(v.parentTags).add(v.parent(1), List.of(v.tag(1), v.tag(2))));
        done(ops(v.parentTags).add(v.parent(2), v.tag(2)));
        recording.reset();
    }

    // ---- reflection over the record classes, so that one test body serves every key type ----

    static Object record(Class<?> type, Object... values) {
        Class<?>[] types = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getType).toArray(Class<?>[]::new);
        try {
            return type.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    static Object prop(Object record, String name) {
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            if (c.getName().equals(name)) {
                try {
                    return c.getAccessor().invoke(record);
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
        }
        throw new AssertionError(record.getClass().getSimpleName() + " has no " + name);
    }

    static String name(Object entity) {
        return entity == null ? "-" : (String) prop(entity, "name");
    }

    static String names(Object list) {
        return list == null ? "-" : ((List<?>) list).stream().map(KeyTypesIT::name).collect(Collectors.joining(","));
    }

    /** @return a parent with its loaded slots: {@code p1[o1|m1,m2|t1,t2]} ({@code -} = not loaded) */
    static String parent(Object p) {
        return name(p) + "[" + name(prop(p, "one")) + "|" + names(prop(p, "manys")) + "|" + names(prop(p, "tags")) + "]";
    }

    static boolean sameKey(Object a, Object b) {
        return Keys.canonical(a).equals(Keys.canonical(b));
    }

    static ToOneOperations ops(HasOne a) {
        return db.association(a);
    }

    static ToOneOperations ops(BelongsTo a) {
        return db.association(a);
    }

    static ToManyOperations ops(HasMany a) {
        return db.association(a);
    }

    static ToManyOperations ops(BelongsToMany a) {
        return db.association(a);
    }

    static void created(Publisher<?> p, int n) {
        Flux.from(p).as(StepVerifier::create).expectNextCount(n).expectComplete().verify(TIMEOUT);
    }

    static void done(Publisher<?> p) {
        Flux.from(p).then().as(StepVerifier::create).expectComplete().verify(TIMEOUT);
    }

    /** The names of what the publisher emits, in order, e.g. {@code "m1,m2"}. */
    static void expectNames(Publisher<?> p, String expected) {
        Flux.from(p).map(KeyTypesIT::name).collect(Collectors.joining(","))
                .as(StepVerifier::create).expectNext(expected).expectComplete().verify(TIMEOUT);
    }

    static <T> void expect(Publisher<T> p, T expected) {
        Flux.from(p).as(StepVerifier::create).expectNext(expected).expectComplete().verify(TIMEOUT);
    }

    static void expectStatements(int n) {
        assertThat(recording.executed()).as("statements: %s", recording.executed()).hasSize(n);
        recording.reset();
    }

    // ---- the matrix ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void findByPkFindsTheRowByValue(Variant v) {
        seed(v);
        expectNames(db.findByPk(v.parents, v.key.apply(2)), "p2");
        // the same key as another Java type (width, scale) or another array with the same bytes
        expectNames(db.findByPk(v.parents, v.fk.apply(2)), "p2");
        expectNames(db.findByPk(v.tags, v.key.apply(3)), "t3");
        expectNames(db.findByPk(v.parents, v.key.apply(9)), "");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void findByPkLookupsIssuedTogetherAreOneStatementMatchedByValue(Variant v) {
        seed(v);
        // p1, p2 as another Java type (width, scale, a copied array), p2 again, a key that is not there, p3
        List<Object> keys = List.of(v.key.apply(1), v.fk.apply(2), v.key.apply(2), v.key.apply(9), v.key.apply(3));
        expectBatched(keys, k -> db.findByPk(v.parents, k), "p1;p2;p2;-;p3");
        // the two lookups of p2 get an entity each, equal in every field
        List<Object> both = Flux.range(0, 2).flatMap(i -> (Publisher<Object>) db.findByPk(v.parents, v.key.apply(2)))
                .collectList().block(TIMEOUT);
        assertThat(both).hasSize(2);
        assertThat(both.get(0)).isNotSameAs(both.get(1)).isEqualTo(both.get(1));
        expectStatements(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void includesAtDepthOneJoinedAndSeparate(Variant v) {
        seed(v);
        for (Include.Strategy s : Include.Strategy.values()) {
            flux(db.findAll(Query.from(v.parents).orderBy(Order.asc("name"))
                            .include(v.parentOne, i -> ((Include) i).strategy(s))
                            .include(v.parentManys, i -> ((Include) i).strategy(s))
                            .include(v.parentTags, i -> ((Include) i).strategy(s))))
                    .map(KeyTypesIT::parent)
                    .as(StepVerifier::create)
                    .as(s.name())
                    .expectNext("p1[o1|m1,m2|t1,t2]", "p2[-|m3|t2]", "p3[-||]")
                    .expectComplete()
                    .verify(TIMEOUT);
            flux(db.findAll(Query.from(v.manys).orderBy(Order.asc("name"))
                            .include(v.manyParent, i -> ((Include) i).strategy(s))))
                    .map(m -> name(m) + ":" + name(prop(m, "parent")))
                    .as(StepVerifier::create)
                    .as(s.name())
                    .expectNext("m1:p1", "m2:p1", "m3:p2", "m4:-")
                    .expectComplete()
                    .verify(TIMEOUT);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void includesAtDepthTwoJoinedAndSeparate(Variant v) {
        seed(v);
        for (Include.Strategy s : Include.Strategy.values()) {
            flux(db.findAll(Query.from(v.parents).orderBy(Order.asc("name"))
                            .include(v.parentManys, i -> ((Include) i).strategy(s)
                                    .include(v.manyLeaves, l -> ((Include) l).strategy(s)))))
                    .map(p -> name(p) + ((List<?>) prop(p, "manys")).stream()
                            .map(m -> name(m) + "(" + names(prop(m, "leaves")) + ")").toList())
                    .as(StepVerifier::create)
                    .as(s.name())
                    .expectNext("p1[m1(l1,l2), m2()]", "p2[m3(l3)]", "p3[]")
                    .expectComplete()
                    .verify(TIMEOUT);
            flux(db.findAll(Query.from(v.manys).orderBy(Order.asc("name"))
                            .include(v.manyParent, i -> ((Include) i).strategy(s)
                                    .include(v.parentOne, o -> ((Include) o).strategy(s)))))
                    .map(m -> name(m) + ":" + (prop(m, "parent") == null ? "-" : parent(prop(m, "parent"))))
                    .as(StepVerifier::create)
                    .as(s.name())
                    .expectNext("m1:p1[o1|-|-]", "m2:p1[o1|-|-]", "m3:p2[-|-|-]", "m4:-")
                    .expectComplete()
                    .verify(TIMEOUT);
            flux(db.findAll(Query.from(v.parents).orderBy(Order.asc("name"))
                            .include(v.parentTags, i -> ((Include) i).strategy(s)
                                    .include(v.tagParents, t -> ((Include) t).strategy(s)))))
                    .map(p -> name(p) + ((List<?>) prop(p, "tags")).stream()
                            .map(t -> name(t) + "(" + names(prop(t, "parents")) + ")").toList())
                    .as(StepVerifier::create)
                    .as(s.name())
                    .expectNext("p1[t1(p1), t2(p1,p2)]", "p2[t2(p1,p2)]", "p3[]")
                    .expectComplete()
                    .verify(TIMEOUT);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void topNChildrenPerParentJoinedAndSeparate(Variant v) {
        seed(v);
        for (Include.Strategy s : Include.Strategy.values()) {
            flux(db.findAll(Query.from(v.parents).orderBy(Order.asc("name"))
                            .include(v.parentManys, i -> ((Include) i).strategy(s).orderBy(Order.desc("name")).limit(1)
                                    .include(v.manyLeaves, l -> ((Include) l).strategy(s).orderBy(Order.desc("name"))
                                            .limit(1)))
                            .include(v.parentTags, i -> ((Include) i).strategy(s).orderBy(Order.desc("name")).limit(1))))
                    .map(p -> name(p) + ((List<?>) prop(p, "manys")).stream()
                            .map(m -> name(m) + "(" + names(prop(m, "leaves")) + ")").toList() + names(prop(p, "tags")))
                    .as(StepVerifier::create)
                    .as(s.name())
                    .expectNext("p1[m2()]t2", "p2[m3(l3)]t2", "p3[]")
                    .expectComplete()
                    .verify(TIMEOUT);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void lazyGetOfEveryKind(Variant v) {
        seed(v);
        expectNames(ops(v.parentOne).get(v.parent(1)), "o1");
        expectNames(ops(v.parentOne).get(v.parent(2)), "");
        expectNames(ops(v.manyParent).get(v.many(3, 2)), "p2");
        expectNames(ops(v.manyParent).get(v.many(4, 0)), "");
        expectNames(ops(v.parentManys).get(v.parent(1)), "m1,m2");
        expectNames(ops(v.manyLeaves).get(v.many(1, 1)), "l1,l2");
        expectNames(ops(v.parentTags).get(v.parent(1)), "t1,t2");
        expectNames(ops(v.tagParents).get(v.tag(2)), "p1,p2");
        expectNames(ops(v.parentManys).get(v.parent(3)), "");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void lazyGetsIssuedTogetherAreOneStatementPerAssociation(Variant v) {
        seed(v);
        List<Object> parents = List.of(v.parent(1), v.parent(2), v.parent(3));
        List<Object> manys = List.of(v.many(1, 1), v.many(2, 1), v.many(3, 2), v.many(4, 0));
        List<Object> tags = List.of(v.tag(1), v.tag(2), v.tag(3));
        expectBatched(parents, p -> ops(v.parentOne).get(p), "o1;-;-");
        expectBatched(manys, m -> ops(v.manyParent).get(m), "p1;p1;p2;-");
        expectBatched(parents, p -> ops(v.parentManys).get(p), "m1,m2;m3;-");
        expectBatched(manys, m -> ops(v.manyLeaves).get(m), "l1,l2;-;l3;-");
        expectBatched(parents, p -> ops(v.parentTags).get(p), "t1,t2;t2;-");
        expectBatched(tags, t -> ops(v.tagParents).get(t), "p1;p1,p2;-");
    }

    /** Loads for every source inside one flatMap: one statement, and each source gets its own targets. */
    static void expectBatched(List<Object> sources, Function<Object, Publisher<?>> load, String expected) {
        recording.reset();
        Flux.range(0, sources.size())
                .flatMap(i -> Flux.from(load.apply(sources.get(i))).map(KeyTypesIT::name).collect(Collectors.joining(","))
                        .map(n -> Map.entry(i, n.isEmpty() ? "-" : n)))
                .collectSortedList(Map.Entry.comparingByKey())
                .map(l -> l.stream().map(Map.Entry::getValue).collect(Collectors.joining(";")))
                .as(StepVerifier::create)
                .expectNext(expected)
                .expectComplete()
                .verify(TIMEOUT);
        expectStatements(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void getOfSeveralSourcesIsOneStatement(Variant v) {
        seed(v);
        Mono<Map<Object, List<Object>>> bySource = ops(v.parentManys).get(List.of(v.parent(1), v.parent(2), v.parent(3)));
        bySource.map(m -> m.entrySet().stream().map(e -> name(e.getKey()) + "=" + names(e.getValue())).toList())
                .as(StepVerifier::create).expectNext(List.of("p1=m1,m2", "p2=m3", "p3=")).expectComplete().verify(TIMEOUT);
        expectStatements(1);
        Mono<Map<Object, Object>> parentOf = ops(v.manyParent).get(List.of(v.many(1, 1), v.many(3, 2), v.many(4, 0)));
        parentOf.map(m -> m.entrySet().stream().map(e -> name(e.getKey()) + "=" + name(e.getValue())).toList())
                .as(StepVerifier::create).expectNext(List.of("m1=p1", "m3=p2")).expectComplete().verify(TIMEOUT);
        expectStatements(1);
        Mono<Map<Object, List<Object>>> tagsOf = ops(v.parentTags).get(List.of(v.parent(2), v.parent(1)), q -> ((Query) q).limit(1));
        tagsOf.map(m -> m.entrySet().stream().map(e -> name(e.getKey()) + "=" + names(e.getValue())).toList())
                .as(StepVerifier::create).expectNext(List.of("p2=t2", "p1=t1")).expectComplete().verify(TIMEOUT);
        expectStatements(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void hasAndCountTakeEntitiesAndKeysOfAnyWidth(Variant v) {
        seed(v);
        ToManyOperations manys = ops(v.parentManys);
        expect(manys.has(v.parent(1), v.many(1, 1)), true);
        expect(manys.has(v.parent(1), v.key.apply(2)), true);
        expect(manys.has(v.parent(1), v.fk.apply(2)), true);
        expect(manys.has(v.parent(1), List.of(v.many(1, 1), v.many(3, 2))), false);
        expect(manys.count(v.parent(1)), 2L);
        expect(manys.count(v.parent(3)), 0L);
        ToManyOperations tags = ops(v.parentTags);
        expect(tags.has(v.parent(1), List.of(v.tag(1), v.fk.apply(2))), true);
        expect(tags.has(v.parent(2), v.tag(1)), false);
        expect(tags.count(v.parent(2)), 1L);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void addRemoveAndSetOfToManyAssociations(Variant v) {
        seed(v);
        ToManyOperations manys = ops(v.parentManys);
        recording.reset();
        done(manys.add(v.parent(3), v.many(4, 0)));
        expectStatements(1);
        done(manys.add(v.parent(3), List.of(v.many(4, 0), v.fk.apply(3))));
        expectNames(manys.get(v.parent(3)), "m3,m4");
        done(manys.remove(v.parent(3), v.key.apply(3)));
        expectNames(manys.get(v.parent(3)), "m4");
        done(manys.set(v.parent(3), List.of(v.many(1, 1))));
        expectNames(manys.get(v.parent(3)), "m1");
        expectNames(manys.get(v.parent(1)), "m2");
        done(manys.set(v.parent(3), List.of()));
        expectNames(manys.get(v.parent(3)), "");

        ToManyOperations tags = ops(v.parentTags);
        recording.reset();
        done(tags.add(v.parent(3), List.of(v.tag(1), v.fk.apply(3))));
        expectStatements(1);
        done(tags.add(v.parent(3), v.tag(1)));
        expectNames(tags.get(v.parent(3)), "t1,t3");
        done(tags.remove(v.parent(3), v.fk.apply(1)));
        expectNames(tags.get(v.parent(3)), "t3");
        done(tags.set(v.parent(2), List.of(v.tag(1), v.tag(3))));
        expectNames(tags.get(v.parent(2)), "t1,t3");
        expectNames(tags.get(v.parent(1)), "t1,t2");
        done(tags.set(v.parent(2), List.of()));
        expectNames(tags.get(v.parent(2)), "");
        expectNames(ops(v.tagParents).get(v.tag(3)), "p3");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void createAndSetOfEveryKind(Variant v) {
        seed(v);
        Object m9 = ops(v.parentManys).create(v.parent(3), v.many(9, 0)).block(TIMEOUT);
        assertThat(m9).isNotNull();
        assertThat(sameKey(prop(m9, "parentId"), v.key.apply(3))).as("the created target's foreign key").isTrue();
        expectNames(ops(v.parentManys).get(v.parent(3)), "m9");
        expectNames(ops(v.parentTags).create(v.parent(3), v.tag(9)), "t9");
        expectNames(ops(v.parentTags).get(v.parent(3)), "t9");
        expectNames(ops(v.tagParents).get(v.tag(9)), "p3");

        ToOneOperations one = ops(v.parentOne);
        done(one.set(v.parent(3), v.one(2, 0)));
        expectNames(one.get(v.parent(3)), "o2");
        done(one.set(v.parent(3), v.fk.apply(1)));
        expectNames(one.get(v.parent(3)), "o1");
        expectNames(one.get(v.parent(1)), "");
        done(one.set(v.parent(3), null));
        expectNames(one.get(v.parent(3)), "");
        expectNames(one.create(v.parent(2), v.one(9, 0)), "o9");
        expectNames(one.get(v.parent(2)), "o9");

        ToOneOperations parent = ops(v.manyParent);
        done(parent.set(v.many(4, 0), v.parent(3)));
        expectNames(parent.get(v.many(4, 0)), "p3");
        done(parent.set(v.many(4, 0), v.fk.apply(1)));
        expectNames(parent.get(v.many(4, 0)), "p1");
        done(parent.set(v.many(4, 0), null));
        expectNames(parent.get(v.many(4, 0)), "");
        expectNames(parent.create(v.many(4, 0), v.parent(8)), "p8");
        expectNames(parent.get(v.many(4, 0)), "p8");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void bulkCreateReturnsTheKeysAsStored(Variant v) {
        seed(v);
        List<Object> stored = new ArrayList<>();
        flux(db.bulkCreate(v.tags, List.of(v.tag(7), v.tag(8)))).doOnNext(stored::add)
                .as(StepVerifier::create).expectNextCount(2).expectComplete().verify(TIMEOUT);
        expectStatements(1);
        assertThat(stored).extracting(KeyTypesIT::name).containsExactly("t7", "t8");
        assertThat(sameKey(prop(stored.get(0), "id"), v.key.apply(7))).isTrue();
        assertThat(sameKey(prop(stored.get(1), "id"), v.key.apply(8))).isTrue();
        expectNames(db.findByPk(v.tags, prop(stored.get(1), "id")), "t8");
    }
}
