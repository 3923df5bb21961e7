package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.R2dbcException;
import io.relata.DataType;
import io.relata.Model;
import io.relata.Naming;
import io.relata.QueryDefinitionException;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.StatementException;
import io.relata.query.Order;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.reactor.testing.CountingConnectionFactory;
import io.relata.reactor.testing.Pools;
import io.relata.reactor.testing.Sql;
import io.relata.reactor.testing.TestDatabase;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** Create, read, update and delete of single models (no associations) against a real PostgreSQL. */
@ExtendWith(TestDatabase.class)
class CrudIT {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    enum Status { ACTIVE, RETIRED }

    record Gadget(Long id, String name, Integer quantity, Status status, Instant createdAt, Instant updatedAt) {
        static Gadget of(String name, Integer quantity, Status status) {
            return new Gadget(null, name, quantity, status, null, null);
        }
    }

    record Token(UUID id, String label) {
    }

    record Sample(Long id, Instant at, OffsetDateTime odt, LocalDate day, BigDecimal amount, byte[] payload,
            Boolean flag, String doc) {
    }

    /** A class-based entity: no-arg constructor and fields. */
    static final class Note {
        Long id;
        String text;
        Integer rank;

        Note() {
        }

        static Note of(String text, Integer rank) {
            Note n = new Note();
            n.text = text;
            n.rank = rank;
            return n;
        }
    }

    record BlogPost(Long id, String postTitle, Integer viewCount, Instant createdAt, Instant updatedAt) {
    }

    static Model<Gadget> gadgets;
    static Model<Token> tokens;
    static Model<Sample> samples;
    static Model<Note> notes;
    static Model<BlogPost> posts;
    static Schema schema;
    static Schema snakeSchema;
    static Database db;
    static Database snakeDb;
    static CountingConnectionFactory counting;
    static Database countedDb;

    @BeforeAll
    static void schema(TestDatabase.Handle h) {
        SchemaBuilder s = Schema.builder();
        gadgets = s.define(Gadget.class, m -> {
            m.attribute("name").unique().notNull();
            m.attribute("quantity").defaultValue(7);
        });
        tokens = s.define(Token.class, m -> m.timestamps(false));
        samples = s.define(Sample.class, m -> {
            m.timestamps(false);
            m.attribute("doc", DataType.jsonb());
        });
        notes = s.define(Note.class, m -> m.timestamps(false));
        schema = s.build();

        SchemaBuilder snake = Schema.builder().naming(Naming.snakeCase());
        posts = snake.define(BlogPost.class);
        snakeSchema = snake.build();

        db = Database.connect(h.url(), schema);
        snakeDb = Database.create(db.connectionFactory(), snakeSchema);
        counting = new CountingConnectionFactory(db.connectionFactory());
        countedDb = Database.create(counting, schema);
        db.sync().then(snakeDb.sync()).as(StepVerifier::create).expectComplete().verify(TIMEOUT);
    }

    @AfterAll
    static void close() {
        if (db != null) {
            db.close().block(TIMEOUT);
        }
    }

    @BeforeEach
    void empty() {
        Flux.concat(db.destroy(Query.from(gadgets)), db.destroy(Query.from(tokens)), db.destroy(Query.from(samples)),
                db.destroy(Query.from(notes)), snakeDb.destroy(Query.from(posts)))
                .then().as(StepVerifier::create).expectComplete().verify(TIMEOUT);
        counting.reset();
    }

    @AfterEach
    void noConnectionLeaks() {
        Pools.awaitNoAcquired(db.connectionFactory());
    }

    static List<Gadget> insert(Gadget... rows) {
        List<Gadget> stored = db.bulkCreate(gadgets, List.of(rows)).collectList().block(TIMEOUT);
        assertThat(stored).hasSize(rows.length);
        return stored;
    }

    static List<String> names(Query<Gadget> q) {
        return db.findAll(q).map(Gadget::name).collectList().block(TIMEOUT);
    }

    // ---- create ----

    @Test
    void createReturnsTheGeneratedBigserialIdTheLiteralDefaultAndFilledTimestamps() {
        Instant before = Instant.now().minusSeconds(60);
        Gadget stored = db.create(gadgets, Gadget.of("drill", null, Status.ACTIVE)).block(TIMEOUT);

        assertThat(stored).isNotNull();
        assertThat(stored.id()).isNotNull().isPositive();
        assertThat(stored.name()).isEqualTo("drill");
        assertThat(stored.quantity()).as("literal column default").isEqualTo(7);
        assertThat(stored.status()).isEqualTo(Status.ACTIVE);
        assertThat(stored.createdAt()).isNotNull().isAfter(before);
        assertThat(stored.updatedAt()).isEqualTo(stored.createdAt());

        Gadget second = db.create(gadgets, Gadget.of("saw", 3, null)).block(TIMEOUT);
        assertThat(second.id()).isGreaterThan(stored.id());
        assertThat(second.quantity()).as("a given value wins over the default").isEqualTo(3);
        assertThat(second.status()).isNull();

        db.findByPk(gadgets, stored.id()).as(StepVerifier::create)
                .expectNext(stored)
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void createFillsAUuidPrimaryKeyWithGenRandomUuid(TestDatabase.Handle h) {
        Token a = db.create(tokens, new Token(null, "a")).block(TIMEOUT);
        Token b = db.create(tokens, new Token(null, "b")).block(TIMEOUT);

        assertThat(a.id()).isNotNull();
        assertThat(a.id().version()).as("gen_random_uuid() is a v4 UUID").isEqualTo(4);
        assertThat(b.id()).isNotNull().isNotEqualTo(a.id());
        assertThat(Sql.single(h.connectionFactory(),
                "SELECT column_default FROM information_schema.columns WHERE table_name = 'Tokens' AND column_name = 'id'",
                String.class)).isEqualTo("gen_random_uuid()");

        db.findByPk(tokens, a.id()).as(StepVerifier::create)
                .expectNext(a)
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void createKeepsAGivenUuidPrimaryKey() {
        UUID id = UUID.randomUUID();
        db.create(tokens, new Token(id, "given")).as(StepVerifier::create)
                .expectNext(new Token(id, "given"))
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void bulkCreateRunsOneMultiRowInsertAndReturnsAllRowsInOrder() {
        List<Gadget> input = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            // descending names: the returned order must follow the input, not the name
            input.add(Gadget.of(String.format("g%02d", 50 - i), i, i % 2 == 0 ? Status.ACTIVE : null));
        }

        List<Gadget> stored = countedDb.bulkCreate(gadgets, input).collectList().block(TIMEOUT);

        assertThat(counting.statements()).hasSize(1);
        String sql = counting.statements().get(0);
        assertThat(sql).startsWith("INSERT INTO \"Gadgets\"").contains("RETURNING");
        assertThat(sql.split("\\), \\(", -1)).as("one VALUES tuple per row").hasSize(50);
        assertThat(stored).extracting(Gadget::name).containsExactlyElementsOf(input.stream().map(Gadget::name).toList());
        assertThat(stored).extracting(Gadget::quantity)
                .containsExactlyElementsOf(input.stream().map(Gadget::quantity).toList());
        assertThat(stored).extracting(Gadget::status)
                .containsExactlyElementsOf(input.stream().map(Gadget::status).toList());
        assertThat(stored).extracting(Gadget::id).doesNotContainNull().isSorted().doesNotHaveDuplicates();
        assertThat(stored).allSatisfy(g -> assertThat(g.createdAt()).isNotNull());
        db.count(Query.from(gadgets)).as(StepVerifier::create).expectNext(50L).expectComplete().verify(TIMEOUT);
    }

    @Test
    void bulkCreateOfNothingRunsNoStatement() {
        countedDb.bulkCreate(gadgets, List.of()).as(StepVerifier::create).expectComplete().verify(TIMEOUT);
        assertThat(counting.count()).isZero();
    }

    // ---- reads ----

    @Test
    void findAllFindOneFindByPkAndCountReadWhatWasWritten() {
        List<Gadget> stored = insert(Gadget.of("a", 1, Status.ACTIVE), Gadget.of("b", 2, Status.RETIRED),
                Gadget.of("c", 3, Status.ACTIVE));

        db.findAll(Query.from(gadgets).orderBy(Order.asc("id"))).as(StepVerifier::create)
                .expectNextSequence(stored)
                .expectComplete()
                .verify(TIMEOUT);
        db.findOne(Query.from(gadgets).where(Where.eq("name", "b"))).as(StepVerifier::create)
                .expectNext(stored.get(1))
                .expectComplete()
                .verify(TIMEOUT);
        db.findOne(Query.from(gadgets).where(Where.eq("name", "nobody"))).as(StepVerifier::create)
                .expectComplete()
                .verify(TIMEOUT);
        db.findByPk(gadgets, stored.get(2).id()).as(StepVerifier::create)
                .expectNext(stored.get(2))
                .expectComplete()
                .verify(TIMEOUT);
        db.findByPk(gadgets, -1L).as(StepVerifier::create).expectComplete().verify(TIMEOUT);
        db.count(Query.from(gadgets)).as(StepVerifier::create).expectNext(3L).expectComplete().verify(TIMEOUT);
        db.count(Query.from(gadgets).where(Where.eq("status", Status.ACTIVE))).as(StepVerifier::create)
                .expectNext(2L)
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void findByPkAcceptsAnIntegerForABigintKey() {
        Gadget g = insert(Gadget.of("a", 1, null)).get(0);
        db.findByPk(gadgets, g.id().intValue()).as(StepVerifier::create)
                .expectNext(g)
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Nested
    class WhereOperators {

        @BeforeEach
        void data() {
            insert(Gadget.of("alpha", 1, Status.ACTIVE), Gadget.of("Beta", 2, Status.RETIRED),
                    Gadget.of("gamma", 3, null), Gadget.of("delta", 4, Status.ACTIVE), Gadget.of("ALPINE", 5, null));
        }

        Query<Gadget> q(Where w) {
            return Query.from(gadgets).where(w).orderBy(Order.asc("quantity"));
        }

        @Test
        void inAndNotInWithStrings() {
            assertThat(names(q(Where.in("name", List.of("alpha", "gamma", "nobody"))))).containsExactly("alpha", "gamma");
            assertThat(names(q(Where.in("name", "Beta", "delta")))).containsExactly("Beta", "delta");
            assertThat(names(q(Where.notIn("name", List.of("alpha", "gamma")))))
                    .containsExactly("Beta", "delta", "ALPINE");
        }

        @Test
        void inAndNotInWithEmptyLists() {
            assertThat(names(q(Where.in("name", List.of())))).isEmpty();
            assertThat(names(q(Where.notIn("name", List.of())))).hasSize(5);
        }

        @Test
        void inAndNotInWithNumbersAndEnums() {
            assertThat(names(q(Where.in("quantity", List.of(2, 4))))).containsExactly("Beta", "delta");
            assertThat(names(q(Where.in("status", List.of(Status.RETIRED))))).containsExactly("Beta");
            assertThat(names(q(Where.notIn("quantity", List.of(1L, 2L, 3L))))).containsExactly("delta", "ALPINE");
        }

        @Test
        void inAndNotInWithUuids() {
            Token a = db.create(tokens, new Token(null, "a")).block(TIMEOUT);
            Token b = db.create(tokens, new Token(null, "b")).block(TIMEOUT);
            Token c = db.create(tokens, new Token(null, "c")).block(TIMEOUT);

            db.findAll(Query.from(tokens).where(Where.in("id", List.of(a.id(), c.id(), UUID.randomUUID())))
                            .orderBy(Order.asc("label")))
                    .as(StepVerifier::create)
                    .expectNext(a, c)
                    .expectComplete()
                    .verify(TIMEOUT);
            db.findAll(Query.from(tokens).where(Where.notIn("id", List.of(a.id(), c.id()))))
                    .as(StepVerifier::create)
                    .expectNext(b)
                    .expectComplete()
                    .verify(TIMEOUT);
        }

        @Test
        void likeIsCaseSensitiveAndILikeIsNot() {
            assertThat(names(q(Where.like("name", "al%")))).containsExactly("alpha");
            assertThat(names(q(Where.iLike("name", "al%")))).containsExactly("alpha", "ALPINE");
            assertThat(names(q(Where.like("name", "_eta")))).containsExactly("Beta");
        }

        @Test
        void betweenIsInclusive() {
            assertThat(names(q(Where.between("quantity", 2, 4)))).containsExactly("Beta", "gamma", "delta");
        }

        @Test
        void isNullAndNotNullAndEqNullMeansIsNull() {
            assertThat(names(q(Where.isNull("status")))).containsExactly("gamma", "ALPINE");
            assertThat(names(q(Where.eq("status", null)))).containsExactly("gamma", "ALPINE");
            assertThat(names(q(Where.notNull("status")))).containsExactly("alpha", "Beta", "delta");
            assertThat(names(q(Where.ne("status", null)))).containsExactly("alpha", "Beta", "delta");
        }

        @Test
        void comparisonsAndBooleanCombinations() {
            assertThat(names(q(Where.gt("quantity", 3)))).containsExactly("delta", "ALPINE");
            assertThat(names(q(Where.gte("quantity", 3)))).containsExactly("gamma", "delta", "ALPINE");
            assertThat(names(q(Where.lt("quantity", 2)))).containsExactly("alpha");
            assertThat(names(q(Where.lte("quantity", 2)))).containsExactly("alpha", "Beta");
            assertThat(names(q(Where.ne("name", "alpha")))).containsExactly("Beta", "gamma", "delta", "ALPINE");
            assertThat(names(q(Where.or(Where.eq("name", "alpha"), Where.eq("quantity", 4)))))
                    .containsExactly("alpha", "delta");
            assertThat(names(q(Where.and(Where.eq("status", Status.ACTIVE), Where.gt("quantity", 1)))))
                    .containsExactly("delta");
            assertThat(names(q(Where.not(Where.eq("status", Status.ACTIVE))))).as("NOT (NULL) is not true")
                    .containsExactly("Beta");
            assertThat(names(Query.from(gadgets).where(Where.gt("quantity", 1)).where(Where.lt("quantity", 5))
                    .orderBy(Order.asc("quantity")))).as("where() twice ANDs").containsExactly("Beta", "gamma", "delta");
        }

        @Test
        void orderByLimitAndOffset() {
            assertThat(names(Query.from(gadgets).orderBy(Order.desc("quantity")).limit(2)))
                    .containsExactly("ALPINE", "delta");
            assertThat(names(Query.from(gadgets).orderBy(Order.desc("quantity")).limit(2).offset(2)))
                    .containsExactly("gamma", "Beta");
            assertThat(names(Query.from(gadgets).orderBy(Order.asc("quantity")).offset(4))).containsExactly("ALPINE");
            assertThat(names(Query.from(gadgets).orderBy(Order.asc("status"), Order.desc("name"))))
                    .containsExactly("delta", "alpha", "Beta", "gamma", "ALPINE");
            assertThat(names(Query.from(gadgets).orderBy(Order.asc("quantity")).limit(0))).isEmpty();
        }

        @Test
        void attributesSubsetLoadsOnlyThoseAndThePrimaryKey() {
            List<Gadget> rows = db.findAll(Query.from(gadgets).attributes("name").where(Where.eq("name", "alpha")))
                    .collectList().block(TIMEOUT);

            assertThat(rows).hasSize(1);
            Gadget g = rows.get(0);
            assertThat(g.name()).isEqualTo("alpha");
            assertThat(g.id()).as("the primary key is always loaded").isNotNull();
            assertThat(g.quantity()).isNull();
            assertThat(g.status()).isNull();
            assertThat(g.createdAt()).isNull();
        }
    }

    // ---- update / destroy ----

    @Test
    void updateReturnsRowsAffectedAndMaintainsUpdatedAt(TestDatabase.Handle h) {
        List<Gadget> stored = insert(Gadget.of("a", 1, Status.ACTIVE), Gadget.of("b", 2, Status.ACTIVE),
                Gadget.of("c", 3, Status.RETIRED));
        // push the timestamps into the past so that "maintained" cannot be confused with "left as inserted"
        Sql.execute(h.connectionFactory(), "UPDATE \"Gadgets\" SET \"createdAt\" = '2001-01-01T00:00:00Z', "
                + "\"updatedAt\" = '2001-01-01T00:00:00Z'");
        Instant old = Instant.parse("2001-01-01T00:00:00Z");

        db.update(Query.from(gadgets).where(Where.eq("status", Status.ACTIVE)), Map.of("quantity", 10, "status",
                Status.RETIRED)).as(StepVerifier::create)
                .expectNext(2L)
                .expectComplete()
                .verify(TIMEOUT);

        List<Gadget> after = db.findAll(Query.from(gadgets).orderBy(Order.asc("id"))).collectList().block(TIMEOUT);
        assertThat(after).extracting(Gadget::quantity).containsExactly(10, 10, 3);
        assertThat(after).extracting(Gadget::status).containsOnly(Status.RETIRED);
        assertThat(after.get(0).updatedAt()).isAfter(old);
        assertThat(after.get(1).updatedAt()).isAfter(old);
        assertThat(after.get(2).updatedAt()).as("rows not matched keep updatedAt").isEqualTo(old);
        assertThat(after).extracting(Gadget::createdAt).containsOnly(old);
        assertThat(after).extracting(Gadget::id).containsExactlyElementsOf(stored.stream().map(Gadget::id).toList());

        db.update(Query.from(gadgets).where(Where.eq("name", "nobody")), Map.of("quantity", 1))
                .as(StepVerifier::create).expectNext(0L).expectComplete().verify(TIMEOUT);
    }

    @Test
    void updateSetsNullAndAnExplicitUpdatedAtWins() {
        Gadget g = insert(Gadget.of("a", 1, Status.ACTIVE)).get(0);
        Instant explicit = Instant.parse("2020-02-02T02:02:02Z");
        Map<String, Object> changes = new java.util.HashMap<>();
        changes.put("status", null);
        changes.put("updatedAt", explicit);

        db.update(Query.from(gadgets).where(Where.eq("id", g.id())), changes).as(StepVerifier::create)
                .expectNext(1L).expectComplete().verify(TIMEOUT);

        Gadget after = db.findByPk(gadgets, g.id()).block(TIMEOUT);
        assertThat(after.status()).isNull();
        assertThat(after.updatedAt()).isEqualTo(explicit);
    }

    @Test
    void destroyReturnsRowsDeleted() {
        insert(Gadget.of("a", 1, Status.ACTIVE), Gadget.of("b", 2, Status.ACTIVE), Gadget.of("c", 3, null));

        db.destroy(Query.from(gadgets).where(Where.eq("status", Status.ACTIVE))).as(StepVerifier::create)
                .expectNext(2L).expectComplete().verify(TIMEOUT);
        db.destroy(Query.from(gadgets).where(Where.eq("status", Status.ACTIVE))).as(StepVerifier::create)
                .expectNext(0L).expectComplete().verify(TIMEOUT);
        assertThat(names(Query.from(gadgets))).containsExactly("c");
        db.destroy(Query.from(gadgets)).as(StepVerifier::create).expectNext(1L).expectComplete().verify(TIMEOUT);
        db.count(Query.from(gadgets)).as(StepVerifier::create).expectNext(0L).expectComplete().verify(TIMEOUT);
    }

    // ---- types ----

    @Test
    void enumsAreStoredAsVarcharNamesAndReadBack(TestDatabase.Handle h) {
        Gadget g = insert(Gadget.of("a", 1, Status.RETIRED)).get(0);

        assertThat(Sql.single(h.connectionFactory(), "SELECT data_type FROM information_schema.columns"
                + " WHERE table_name = 'Gadgets' AND column_name = 'status'", String.class))
                .isEqualTo("character varying");
        assertThat(Sql.single(h.connectionFactory(), "SELECT status FROM \"Gadgets\" WHERE id = $1", String.class,
                g.id())).isEqualTo("RETIRED");
        db.findOne(Query.from(gadgets).where(Where.eq("status", Status.RETIRED))).map(Gadget::status)
                .as(StepVerifier::create)
                .expectNext(Status.RETIRED)
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void scalarTypesRoundTrip(TestDatabase.Handle h) {
        Instant at = Instant.parse("2024-05-06T07:08:09.123456Z");
        OffsetDateTime odt = OffsetDateTime.of(2023, 1, 2, 3, 4, 5, 678_901_000, ZoneOffset.ofHours(5));
        LocalDate day = LocalDate.of(1999, 12, 31);
        BigDecimal amount = new BigDecimal("12345678901234567890.0123456789");
        byte[] payload = {0, 1, 2, (byte) 0xFF, 127, -128};
        String doc = "{\"a\": [1, 2], \"b\": \"x\"}";
        Sample in = new Sample(null, at, odt, day, amount, payload, true, doc);

        Sample created = db.create(samples, in).block(TIMEOUT);
        Sample read = db.findByPk(samples, created.id()).block(TIMEOUT);

        for (Sample s : List.of(created, read)) {
            assertThat(s.at()).isEqualTo(at);
            assertThat(s.odt().toInstant()).isEqualTo(odt.toInstant());
            assertThat(s.day()).isEqualTo(day);
            assertThat(s.amount()).isEqualByComparingTo(amount);
            assertThat(s.payload()).containsExactly(payload);
            assertThat(s.flag()).isTrue();
            assertThat(s.doc()).isEqualTo(doc);
        }
        assertThat(Sql.single(h.connectionFactory(), "SELECT doc->'a'->>1 FROM \"Samples\" WHERE id = $1", String.class,
                created.id())).as("stored as real jsonb").isEqualTo("2");
        assertThat(Sql.single(h.connectionFactory(), "SELECT data_type FROM information_schema.columns"
                + " WHERE table_name = 'Samples' AND column_name = 'at'", String.class))
                .isEqualTo("timestamp with time zone");
    }

    @Test
    void nullScalarsRoundTripAsNull() {
        Sample created = db.create(samples, new Sample(null, null, null, null, null, null, null, null)).block(TIMEOUT);
        Sample read = db.findByPk(samples, created.id()).block(TIMEOUT);
        assertThat(read).isNotNull();
        assertThat(List.of(read.at() == null, read.odt() == null, read.day() == null, read.amount() == null,
                read.payload() == null, read.flag() == null, read.doc() == null)).containsOnly(true);
    }

    @Test
    void whereComparesTemporalBinaryAndBooleanValues() {
        Instant at = Instant.parse("2024-01-01T00:00:00Z");
        db.bulkCreate(samples, List.of(
                new Sample(null, at, null, LocalDate.of(2024, 1, 1), BigDecimal.ONE, "x".getBytes(StandardCharsets.UTF_8),
                        true, null),
                new Sample(null, at.plusSeconds(3600), null, LocalDate.of(2024, 2, 1), BigDecimal.TEN, null, false, null)))
                .then().block(TIMEOUT);

        db.count(Query.from(samples).where(Where.gt("at", at))).as(StepVerifier::create)
                .expectNext(1L).expectComplete().verify(TIMEOUT);
        db.count(Query.from(samples).where(Where.between("day", LocalDate.of(2023, 12, 31), LocalDate.of(2024, 1, 31))))
                .as(StepVerifier::create).expectNext(1L).expectComplete().verify(TIMEOUT);
        db.count(Query.from(samples).where(Where.eq("flag", false))).as(StepVerifier::create)
                .expectNext(1L).expectComplete().verify(TIMEOUT);
        db.count(Query.from(samples).where(Where.gte("amount", new BigDecimal("5.5")))).as(StepVerifier::create)
                .expectNext(1L).expectComplete().verify(TIMEOUT);
        db.count(Query.from(samples).where(Where.eq("payload", "x".getBytes(StandardCharsets.UTF_8))))
                .as(StepVerifier::create).expectNext(1L).expectComplete().verify(TIMEOUT);
    }

    // ---- entity styles and naming ----

    @Test
    void classBasedEntityWorksLikeARecord() {
        Note created = db.create(notes, Note.of("hello", 2)).block(TIMEOUT);
        assertThat(created).isNotNull();
        assertThat(created.id).isNotNull();
        assertThat(created.text).isEqualTo("hello");
        assertThat(created.rank).isEqualTo(2);

        List<Note> all = db.bulkCreate(notes, List.of(Note.of("b", 1), Note.of("c", null)))
                .thenMany(db.findAll(Query.from(notes).orderBy(Order.asc("text")))).collectList().block(TIMEOUT);
        assertThat(all).extracting(n -> n.text).containsExactly("b", "c", "hello");
        assertThat(all).extracting(n -> n.rank).containsExactly(1, null, 2);

        db.update(Query.from(notes).where(Where.eq("text", "c")), Map.of("rank", 9)).as(StepVerifier::create)
                .expectNext(1L).expectComplete().verify(TIMEOUT);
        db.findOne(Query.from(notes).where(Where.eq("rank", 9))).map(n -> n.text).as(StepVerifier::create)
                .expectNext("c").expectComplete().verify(TIMEOUT);
    }

    @Test
    void snakeCaseNamingEndToEnd(TestDatabase.Handle h) {
        assertThat(posts.tableName()).isEqualTo("blog_posts");
        assertThat(Sql.rows(h.connectionFactory(), "SELECT column_name FROM information_schema.columns"
                + " WHERE table_name = 'blog_posts' ORDER BY ordinal_position"))
                .extracting(r -> r.get("column_name"))
                .containsExactly("id", "post_title", "view_count", "created_at", "updated_at");

        BlogPost p = snakeDb.create(posts, new BlogPost(null, "Hello", 1, null, null)).block(TIMEOUT);
        assertThat(p.id()).isNotNull();
        assertThat(p.createdAt()).isNotNull();
        snakeDb.update(Query.from(posts).where(Where.eq("postTitle", "Hello")), Map.of("viewCount", 5))
                .as(StepVerifier::create).expectNext(1L).expectComplete().verify(TIMEOUT);
        snakeDb.findAll(Query.from(posts).where(Where.iLike("postTitle", "hel%")).orderBy(Order.desc("viewCount"))
                        .attributes("postTitle", "viewCount"))
                .as(StepVerifier::create)
                .assertNext(r -> {
                    assertThat(r.id()).isEqualTo(p.id());
                    assertThat(r.postTitle()).isEqualTo("Hello");
                    assertThat(r.viewCount()).isEqualTo(5);
                })
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(Sql.single(h.connectionFactory(), "SELECT view_count FROM blog_posts WHERE post_title = 'Hello'",
                Integer.class)).isEqualTo(5);
        snakeDb.destroy(Query.from(posts).where(Where.eq("viewCount", 5))).as(StepVerifier::create)
                .expectNext(1L).expectComplete().verify(TIMEOUT);
    }

    // ---- errors ----

    static void failsBeforeAnySql(Supplier<Publisher<?>> operation, String... messageParts) {
        counting.reset();
        Flux.defer(() -> Flux.from(operation.get()).cast(Object.class)).as(StepVerifier::create)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(QueryDefinitionException.class)
                        .hasMessageContainingAll(messageParts))
                .verify(TIMEOUT);
        assertThat(counting.statements()).as("statements run").isEmpty();
        assertThat(counting.connections()).as("connections taken").isZero();
    }

    @Test
    void unknownAttributesFailWithQueryDefinitionExceptionBeforeAnySqlRuns() {
        failsBeforeAnySql(() -> countedDb.findAll(Query.from(gadgets).where(Where.eq("colour", "red"))),
                "colour", "Gadget", "quantity");
        failsBeforeAnySql(() -> countedDb.findAll(Query.from(gadgets).orderBy(Order.asc("colour"))), "colour");
        failsBeforeAnySql(() -> countedDb.findAll(Query.from(gadgets).attributes("colour")), "colour");
        failsBeforeAnySql(() -> countedDb.findOne(Query.from(gadgets).where(Where.in("colour", List.of("a")))),
                "colour");
        failsBeforeAnySql(() -> countedDb.count(Query.from(gadgets).where(Where.isNull("colour"))), "colour");
        failsBeforeAnySql(() -> countedDb.update(Query.from(gadgets), Map.of("colour", "red")), "colour");
        failsBeforeAnySql(() -> countedDb.update(Query.from(gadgets).where(Where.eq("colour", "x")),
                Map.of("name", "y")), "colour");
        failsBeforeAnySql(() -> countedDb.destroy(Query.from(gadgets).where(Where.eq("colour", "red"))), "colour");
    }

    @Test
    void aValueOfTheWrongTypeFailsBeforeAnySqlRuns() {
        failsBeforeAnySql(() -> countedDb.findAll(Query.from(gadgets).where(Where.eq("quantity", "seven"))),
                "quantity");
    }

    @Test
    void aUniqueViolationIsAStatementExceptionWithSqlAndSqlState() {
        insert(Gadget.of("unique", 1, null));

        db.create(gadgets, Gadget.of("unique", 2, null)).as(StepVerifier::create)
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(StatementException.class);
                    StatementException se = (StatementException) e;
                    assertThat(se.sqlState()).isEqualTo("23505");
                    assertThat(se.sql()).startsWith("INSERT INTO \"Gadgets\"");
                    assertThat(se.getCause()).isInstanceOf(R2dbcException.class);
                    assertThat(((R2dbcException) se.getCause()).getSqlState()).isEqualTo("23505");
                    assertThat(se.getMessage()).contains("23505").contains(se.sql());
                })
                .verify(TIMEOUT);

        db.count(Query.from(gadgets)).as(StepVerifier::create).expectNext(1L).expectComplete().verify(TIMEOUT);
    }

    @Test
    void aViolationInABulkCreateWritesNothing() {
        insert(Gadget.of("taken", 1, null));
        db.bulkCreate(gadgets, List.of(Gadget.of("free", 1, null), Gadget.of("taken", 2, null)))
                .as(StepVerifier::create)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(StatementException.class)
                        .extracting(x -> ((StatementException) x).sqlState()).isEqualTo("23505"))
                .verify(TIMEOUT);
        assertThat(names(Query.from(gadgets))).containsExactly("taken");
    }

    @Test
    void aNotNullViolationCarriesSqlState23502() {
        db.create(gadgets, Gadget.of(null, 1, null)).as(StepVerifier::create)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(StatementException.class)
                        .extracting(x -> ((StatementException) x).sqlState()).isEqualTo("23502"))
                .verify(TIMEOUT);
    }

    @Test
    void createdAtIsTheInsertTimeWithinTheServerClock() {
        Instant serverBefore = Sql.single(db.connectionFactory(), "SELECT now()", Instant.class);
        Gadget g = db.create(gadgets, Gadget.of("t", 1, null)).block(TIMEOUT);
        Instant serverAfter = Sql.single(db.connectionFactory(), "SELECT now()", Instant.class);
        assertThat(g.createdAt()).isBetween(serverBefore.truncatedTo(ChronoUnit.MICROS), serverAfter);
    }
}
