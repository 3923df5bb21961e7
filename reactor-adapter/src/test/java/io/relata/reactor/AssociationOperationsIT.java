package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.BelongsTo;
import io.relata.BelongsToMany;
import io.relata.HasMany;
import io.relata.HasOne;
import io.relata.Model;
import io.relata.QueryDefinitionException;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.StatementException;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.reactor.testing.CountingConnectionFactory;
import io.relata.reactor.testing.Pools;
import io.relata.reactor.testing.Sql;
import io.relata.reactor.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The association operations of seed 004 ("Special methods/mixins added to instances"), replayed step by
 * step with exactly the results the guide prints, plus their contract: targets as entities or keys,
 * scopes, laziness, batching of lazy loads, one statement per junction write, atomic {@code set},
 * argument errors before SQL, and joining a surrounding transaction. Each association kind has its own
 * database.
 */
@ExtendWith(TestDatabase.class)
class AssociationOperationsIT {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** A database over a pool, with every statement counted. */
    static final class Env {
        final TestDatabase.Handle handle;
        final Database owner;
        final CountingConnectionFactory counting;
        final Database db;

        Env(TestDatabase.Handle handle, Schema schema) {
            this.handle = handle;
            this.owner = Database.connect(handle.url(), schema);
            this.counting = new CountingConnectionFactory(owner.connectionFactory());
            // a batch window wide enough that loads issued together share one even on a loaded machine
            // (the ITs run under Netty's paranoid leak detector, which slows every buffer access)
            this.db = Database.create(counting, schema).withBatchWindow(java.time.Duration.ofMillis(50));
            db.sync().as(StepVerifier::create).expectComplete().verify(TIMEOUT);
        }

        <T> T create(Model<T> model, T entity) {
            T created = db.create(model, entity).block(TIMEOUT);
            assertThat(created).isNotNull();
            return created;
        }

        long sqlCount(String sql, Object... binds) {
            return Sql.single(handle.connectionFactory(), sql, Long.class, binds);
        }

        void close() {
            owner.close().block(TIMEOUT);
        }
    }

    // ---- StepVerifier shorthands ----

    static <T> void expectValue(Publisher<T> publisher, T expected) {
        Flux.from(publisher).as(StepVerifier::create).expectNext(expected).expectComplete().verify(TIMEOUT);
    }

    static void expectEmpty(Publisher<?> publisher) {
        Flux.from(publisher).as(StepVerifier::create).expectComplete().verify(TIMEOUT);
    }

    static <T> void expectValues(Publisher<T> publisher, List<T> expected) {
        Flux.from(publisher).collectList().as(StepVerifier::create).expectNext(expected).expectComplete().verify(TIMEOUT);
    }

    /** The operation fails with a QueryDefinitionException (thrown or signalled) and runs no statement. */
    static void expectRejectedBeforeSql(Env env, Supplier<? extends Publisher<?>> operation, String message) {
        env.counting.reset();
        Flux.<Object>defer(() -> Flux.from(operation.get()).cast(Object.class))
                .as(StepVerifier::create)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(QueryDefinitionException.class)
                        .hasMessageContaining(message))
                .verify(TIMEOUT);
        assertThat(env.counting.count()).as("statements run: %s", env.counting.statements()).isZero();
    }

    /** Building the publisher runs nothing; each subscription runs it again. */
    static <T> void expectLazy(Env env, Supplier<? extends Publisher<T>> operation) {
        env.counting.reset();
        Publisher<T> built = operation.get();
        assertThat(env.counting.count()).as("statements when built").isZero();
        Flux.from(built).then().as(StepVerifier::create).expectComplete().verify(TIMEOUT);
        int once = env.counting.count();
        assertThat(once).as("statements when subscribed once").isPositive();
        Flux.from(built).then().as(StepVerifier::create).expectComplete().verify(TIMEOUT);
        assertThat(env.counting.count()).as("statements when subscribed twice").isEqualTo(2 * once);
    }

    // =====================================================================================================

    @Nested
    @ExtendWith(TestDatabase.class)
    class HasOneOperations {
        record Foo(Long id, String name, Bar bar) {
        }

        record Bar(Long id, String name, Long fooId) {
        }

        static Env env;
        static Model<Foo> foos;
        static Model<Bar> bars;
        static HasOne<Foo, Bar> fooBar;

        @BeforeAll
        static void schema(TestDatabase.Handle h) {
            SchemaBuilder s = Schema.builder();
            foos = s.define(Foo.class);
            bars = s.define(Bar.class);
            fooBar = foos.hasOne(bars);
            env = new Env(h, s.build());
        }

        @AfterAll
        static void close() {
            env.close();
        }

        @AfterEach
        void noLeak() {
            Pools.awaitNoAcquired(env.owner.connectionFactory());
        }

        ToOneOperations<Foo, Bar> ops() {
            return env.db.association(fooBar);
        }

        Foo foo() {
            return env.create(foos, new Foo(null, "the-foo", null));
        }

        Bar bar(String name) {
            return env.create(bars, new Bar(null, name, null));
        }

        Long fooIdOf(Bar bar) {
            List<Map<String, Object>> rows = Sql.rows(env.handle.connectionFactory(),
                    "SELECT \"fooId\" FROM \"Bars\" WHERE \"id\" = $1", bar.id());
            assertThat(rows).as("the bar row still exists").hasSize(1);
            Object v = rows.get(0).get("fooId");
            return v == null ? null : ((Number) v).longValue();
        }

        @Test
        void replaysTheSeedSequence() {
            Foo foo = foo();
            Bar bar1 = bar("some-bar");
            bar("another-bar");

            expectEmpty(ops().get(foo));                                           // null
            expectEmpty(ops().set(foo, bar1));
            expectValue(ops().get(foo).map(Bar::name), "some-bar");                // 'some-bar'
            Bar created = ops().create(foo, new Bar(null, "yet-another-bar", null)).block(TIMEOUT);
            assertThat(created).isNotNull();
            assertThat(created.id()).isNotNull();
            assertThat(created.fooId()).isEqualTo(foo.id());
            expectValue(ops().get(foo), created);                                  // 'yet-another-bar'
            expectEmpty(ops().set(foo, null));                                     // un-associate
            expectEmpty(ops().get(foo));                                           // null
        }

        @Test
        void setReplacesThePreviousTargetWhoseForeignKeyBecomesNull() {
            Foo foo = foo();
            Bar bar1 = bar("first");
            Bar bar2 = bar("second");
            expectEmpty(ops().set(foo, bar1));
            expectEmpty(ops().set(foo, bar2));
            assertThat(fooIdOf(bar1)).isNull();
            assertThat(fooIdOf(bar2)).isEqualTo(foo.id());
            expectValue(ops().get(foo).map(Bar::name), "second");
            expectEmpty(ops().set(foo, null));
            assertThat(fooIdOf(bar2)).as("un-associating keeps the row").isNull();
        }

        @Test
        void createUnlinksThePreviousTarget() {
            Foo foo = foo();
            Bar bar1 = bar("old");
            expectEmpty(ops().set(foo, bar1));
            ops().create(foo, new Bar(null, "new", null)).block(TIMEOUT);
            assertThat(fooIdOf(bar1)).isNull();
            expectValue(ops().get(foo).map(Bar::name), "new");
        }

        @Test
        void targetMayBeGivenAsItsKey() {
            Foo foo = foo();
            Bar bar1 = bar("by-key");
            expectEmpty(ops().set(foo, bar1.id()));
            expectValue(ops().get(foo).map(Bar::id), bar1.id());
        }

        @Test
        void operationsAreLazyAndRunOnEverySubscription() {
            Foo foo = foo();
            Bar bar1 = bar("lazy");
            expectLazy(env, () -> ops().set(foo, bar1));
            expectLazy(env, () -> ops().get(foo));
            expectLazy(env, () -> ops().create(foo, new Bar(null, "lazy-created", null)));
        }

        @Test
        void unsavedOrForeignTargetsAreRejectedBeforeSql() {
            Foo foo = foo();
            expectRejectedBeforeSql(env, () -> ops().set(foo, new Bar(null, "unsaved", null)), "saved");
            expectRejectedBeforeSql(env, () -> ops().set(foo, foo), "Bar");
            expectRejectedBeforeSql(env, () -> ops().get(new Foo(null, "unsaved", null)), "saved");
        }

        @Test
        void setJoinsASurroundingTransactionAndRollsBackWithIt() {
            Foo foo = foo();
            Bar bar1 = bar("rolled-back");
            env.db.transaction(tx -> ops().set(foo, bar1).then(Mono.error(new IllegalStateException("boom"))))
                    .as(StepVerifier::create)
                    .expectErrorMessage("boom")
                    .verify(TIMEOUT);
            assertThat(fooIdOf(bar1)).isNull();
            expectEmpty(ops().get(foo));
        }

        @Test
        void lazyLoadsIssuedTogetherAreBatched() {
            List<Foo> fooList = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                Foo f = env.create(foos, new Foo(null, "batch-" + i, null));
                env.create(bars, new Bar(null, "bar-of-" + i, f.id()));
                fooList.add(f);
            }
            env.counting.reset();
            Flux.fromIterable(fooList)
                    .flatMap(f -> ops().get(f).map(b -> b.fooId().equals(f.id()) && b.name().equals("bar-of-" + f.name().substring(6))))
                    .as(StepVerifier::create)
                    .recordWith(ArrayList::new)
                    .expectNextCount(100)
                    .consumeRecordedWith(matches -> assertThat(matches).containsOnly(true))
                    .expectComplete()
                    .verify(TIMEOUT);
            assertThat(env.counting.count()).as("statements: %s", env.counting.statements()).isEqualTo(1);
        }
    }

    // =====================================================================================================

    @Nested
    @ExtendWith(TestDatabase.class)
    class BelongsToOperations {
        record Foo(Long id, String name, Long barId, Bar bar) {
        }

        record Bar(Long id, String name) {
        }

        static Env env;
        static Model<Foo> foos;
        static Model<Bar> bars;
        static BelongsTo<Foo, Bar> fooBar;

        @BeforeAll
        static void schema(TestDatabase.Handle h) {
            SchemaBuilder s = Schema.builder();
            foos = s.define(Foo.class);
            bars = s.define(Bar.class);
            fooBar = foos.belongsTo(bars);
            env = new Env(h, s.build());
        }

        @AfterAll
        static void close() {
            env.close();
        }

        @AfterEach
        void noLeak() {
            Pools.awaitNoAcquired(env.owner.connectionFactory());
        }

        ToOneOperations<Foo, Bar> ops() {
            return env.db.association(fooBar);
        }

        Foo foo() {
            return env.create(foos, new Foo(null, "the-foo", null, null));
        }

        Bar bar(String name) {
            return env.create(bars, new Bar(null, name));
        }

        Foo reload(Foo foo) {
            return env.db.findByPk(foos, foo.id()).block(TIMEOUT);
        }

        @Test
        void replaysTheSeedSequenceOnTheSameSourceInstance() {
            // Sequelize: foo.setBar(bar1); foo.getBar() -> bar1, with the same foo object
            Foo foo = foo();
            Bar bar1 = bar("some-bar");
            bar("another-bar");

            expectEmpty(ops().get(foo));                                           // null
            expectEmpty(ops().set(foo, bar1));
            expectValue(ops().get(foo).map(Bar::name), "some-bar");                // 'some-bar'
            Bar created = ops().create(foo, new Bar(null, "yet-another-bar")).block(TIMEOUT);
            expectValue(ops().get(foo), created);                                  // 'yet-another-bar'
            expectEmpty(ops().set(foo, null));
            expectEmpty(ops().get(foo));                                           // null
        }

        @Test
        void replaysTheSeedSequenceReloadingTheSource() {
            Foo foo = foo();
            Bar bar1 = bar("some-bar");
            bar("another-bar");

            expectEmpty(ops().get(foo));
            expectEmpty(ops().set(foo, bar1));
            assertThat(reload(foo).barId()).isEqualTo(bar1.id());
            expectValue(ops().get(reload(foo)).map(Bar::name), "some-bar");
            Bar created = ops().create(reload(foo), new Bar(null, "yet-another-bar")).block(TIMEOUT);
            assertThat(created).isNotNull();
            assertThat(created.name()).isEqualTo("yet-another-bar");
            assertThat(reload(foo).barId()).isEqualTo(created.id());
            expectValue(ops().get(reload(foo)), created);
            expectEmpty(ops().set(reload(foo), null));
            assertThat(reload(foo).barId()).isNull();
            expectEmpty(ops().get(reload(foo)));
        }

        @Test
        void targetMayBeGivenAsItsKey() {
            Foo foo = foo();
            Bar bar1 = bar("by-key");
            expectEmpty(ops().set(foo, bar1.id()));
            assertThat(reload(foo).barId()).isEqualTo(bar1.id());
        }

        @Test
        void operationsAreLazyAndRunOnEverySubscription() {
            Foo foo = foo();
            Bar bar1 = bar("lazy");
            expectLazy(env, () -> ops().set(foo, bar1));
            Foo linked = reload(foo);
            expectLazy(env, () -> ops().get(linked));
            expectLazy(env, () -> ops().create(foo, new Bar(null, "lazy-created")));
        }

        @Test
        void unsavedOrForeignTargetsAreRejectedBeforeSql() {
            Foo foo = foo();
            Bar saved = bar("x");
            expectRejectedBeforeSql(env, () -> ops().set(foo, new Bar(null, "unsaved")), "saved");
            expectRejectedBeforeSql(env, () -> ops().set(foo, foo), "Bar");
            expectRejectedBeforeSql(env, () -> ops().set(new Foo(null, "unsaved", null, null), saved), "saved");
            assertThat(reload(foo).barId()).isNull();
        }

        @Test
        void lazyLoadsIssuedTogetherAreBatched() {
            Bar shared = bar("shared");
            Bar other = bar("other");
            List<Foo> fooList = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                fooList.add(env.create(foos, new Foo(null, "batch-" + i, i % 2 == 0 ? shared.id() : other.id(), null)));
            }
            env.counting.reset();
            Flux.fromIterable(fooList)
                    .flatMap(f -> ops().get(f).map(b -> b.id().equals(f.barId())))
                    .as(StepVerifier::create)
                    .recordWith(ArrayList::new)
                    .expectNextCount(100)
                    .consumeRecordedWith(matches -> assertThat(matches).containsOnly(true))
                    .expectComplete()
                    .verify(TIMEOUT);
            assertThat(env.counting.count()).as("statements: %s", env.counting.statements()).isEqualTo(1);
        }
    }

    // =====================================================================================================

    @Nested
    @ExtendWith(TestDatabase.class)
    class HasManyOperations {
        record Foo(Long id, String name, List<Bar> bars) {
        }

        record Bar(Long id, String name, Long fooId, String color) {
        }

        static Env env;
        static Model<Foo> foos;
        static Model<Bar> bars;
        static HasMany<Foo, Bar> fooBars;
        static HasMany<Foo, Bar> redBars;

        @BeforeAll
        static void schema(TestDatabase.Handle h) {
            SchemaBuilder s = Schema.builder();
            foos = s.define(Foo.class);
            bars = s.define(Bar.class);
            fooBars = foos.hasMany(bars);
            redBars = foos.hasMany(bars, o -> o.as("redBars").scope("color", "red"));
            env = new Env(h, s.build());
        }

        @AfterAll
        static void close() {
            env.close();
        }

        @AfterEach
        void noLeak() {
            Pools.awaitNoAcquired(env.owner.connectionFactory());
        }

        ToManyOperations<Foo, Bar> ops() {
            return env.db.association(fooBars);
        }

        Foo foo() {
            return env.create(foos, new Foo(null, "the-foo", null));
        }

        Bar bar(String name) {
            return env.create(bars, new Bar(null, name, null, null));
        }

        Map<String, Object> row(Bar bar) {
            List<Map<String, Object>> rows = Sql.rows(env.handle.connectionFactory(),
                    "SELECT \"fooId\", \"color\" FROM \"Bars\" WHERE \"id\" = $1", bar.id());
            assertThat(rows).as("the bar row exists").hasSize(1);
            return rows.get(0);
        }

        @Test
        void replaysTheSeedSequence() {
            Foo foo = foo();
            Bar bar1 = bar("some-bar");
            Bar bar2 = bar("another-bar");

            expectValues(ops().get(foo), List.of());                               // []
            expectValue(ops().count(foo), 0L);                                     // 0
            expectValue(ops().has(foo, bar1), false);                              // false
            expectEmpty(ops().add(foo, List.of(bar1, bar2)));
            expectValue(ops().count(foo), 2L);                                     // 2
            expectEmpty(ops().add(foo, bar1));
            expectValue(ops().count(foo), 2L);                                     // 2
            expectValue(ops().has(foo, bar1), true);                               // true
            expectEmpty(ops().remove(foo, bar2));
            expectValue(ops().count(foo), 1L);                                     // 1
            Bar created = ops().create(foo, new Bar(null, "yet-another-bar", null, null)).block(TIMEOUT);
            assertThat(created).isNotNull();
            assertThat(created.fooId()).isEqualTo(foo.id());
            expectValue(ops().count(foo), 2L);                                     // 2
            expectEmpty(ops().set(foo, List.of()));                                // un-associate all
            expectValue(ops().count(foo), 0L);                                     // 0
        }

        @Test
        void getReturnsTheLinkedTargetsByKeyAndAcceptsAQuery() {
            Foo foo = foo();
            Bar a = bar("a");
            Bar b = bar("b");
            bar("unlinked");
            expectEmpty(ops().add(foo, List.of(b, a)));
            expectValues(ops().get(foo), List.of(
                    new Bar(a.id(), "a", foo.id(), null), new Bar(b.id(), "b", foo.id(), null)));
            expectValues(ops().get(foo, q -> q.where(Where.eq("name", "b"))).map(Bar::name), List.of("b"));
            expectValue(ops().count(foo, Where.eq("name", "a")), 1L);
        }

        @Test
        void hasWithACollectionIsTrueOnlyWhenAllAreLinked() {
            Foo foo = foo();
            Bar a = bar("a");
            Bar b = bar("b");
            expectEmpty(ops().add(foo, a));
            expectValue(ops().has(foo, List.of(a, b)), false);
            expectEmpty(ops().add(foo, b));
            expectValue(ops().has(foo, List.of(a, b)), true);
        }

        @Test
        void removeSetsTheForeignKeyToNullAndKeepsTheRow() {
            Foo foo = foo();
            Bar a = bar("a");
            Bar b = bar("b");
            expectEmpty(ops().add(foo, List.of(a, b)));
            expectEmpty(ops().remove(foo, List.of(a, b)));
            assertThat(row(a).get("fooId")).isNull();
            assertThat(row(b).get("fooId")).isNull();
            expectValue(ops().count(foo), 0L);
        }

        @Test
        void removeOnlyUnlinksTargetsOfThisSource() {
            Foo foo = foo();
            Foo other = foo();
            Bar a = bar("a");
            expectEmpty(ops().add(other, a));
            expectEmpty(ops().remove(foo, a));
            assertThat(((Number) row(a).get("fooId")).longValue()).isEqualTo(other.id());
        }

        @Test
        void targetsMayBeGivenAsKeys() {
            Foo foo = foo();
            Bar a = bar("a");
            Bar b = bar("b");
            expectEmpty(ops().add(foo, List.of(a.id(), b.id())));
            expectValue(ops().has(foo, a.id()), true);
            expectValue(ops().has(foo, List.of(a.id(), b.id())), true);
            expectEmpty(ops().remove(foo, a.id()));
            expectValue(ops().count(foo), 1L);
            expectEmpty(ops().set(foo, List.of(a.id())));
            expectValues(ops().get(foo).map(Bar::id), List.of(a.id()));
        }

        @Test
        void scopeIsAppliedOnGetCountHasAddAndCreate() {
            Foo foo = foo();
            Bar plain = bar("plain");
            Bar red = bar("to-be-red");
            ToManyOperations<Foo, Bar> reds = env.db.association(redBars);
            expectEmpty(ops().add(foo, plain));                                    // linked without the scope
            expectValue(reds.count(foo), 0L);
            expectValue(reds.has(foo, plain), false);
            expectEmpty(reds.add(foo, red));                                       // writes color = 'red'
            assertThat(row(red).get("color")).isEqualTo("red");
            Bar created = reds.create(foo, new Bar(null, "born-red", null, null)).block(TIMEOUT);
            assertThat(created).isNotNull();
            assertThat(created.color()).isEqualTo("red");
            expectValues(reds.get(foo).map(Bar::name), List.of("to-be-red", "born-red"));
            expectValue(reds.count(foo), 2L);
            expectValue(reds.has(foo, red), true);
            expectValue(ops().count(foo), 3L);
            expectEmpty(reds.set(foo, List.of()));                                 // unlinks only the red ones
            expectValues(ops().get(foo).map(Bar::name), List.of("plain"));
        }

        @Test
        void everyWriteIsOneStatementWhateverTheNumberOfTargets() {
            Foo foo = foo();
            List<Bar> many = IntStream.range(0, 20).mapToObj(i -> bar("n" + i)).toList();
            env.counting.reset();
            expectEmpty(ops().add(foo, many));
            assertThat(env.counting.count()).isEqualTo(1);
            env.counting.reset();
            expectEmpty(ops().remove(foo, many.subList(0, 10)));
            assertThat(env.counting.count()).isEqualTo(1);
            env.counting.reset();
            expectValue(ops().has(foo, many.subList(10, 20)), true);
            assertThat(env.counting.count()).isEqualTo(1);
            env.counting.reset();
            expectEmpty(ops().set(foo, many.subList(0, 5)));
            assertThat(env.counting.count()).as("unlink + link: %s", env.counting.statements()).isEqualTo(2);
            expectValue(ops().count(foo), 5L);
        }

        @Test
        void operationsAreLazyAndRunOnEverySubscription() {
            Foo foo = foo();
            Bar a = bar("a");
            expectLazy(env, () -> ops().get(foo));
            expectLazy(env, () -> ops().count(foo));
            expectLazy(env, () -> ops().has(foo, a));
            expectLazy(env, () -> ops().add(foo, a));
            expectLazy(env, () -> ops().remove(foo, a));
            expectLazy(env, () -> ops().set(foo, List.of(a)));
            expectLazy(env, () -> ops().create(foo, new Bar(null, "lazy", null, null)));
        }

        @Test
        void unsavedOrForeignTargetsAreRejectedBeforeSqlAndNothingIsWritten() {
            Foo foo = foo();
            Bar saved = bar("saved");
            expectRejectedBeforeSql(env, () -> ops().add(foo, List.of(saved, new Bar(null, "unsaved", null, null))),
                    "saved");
            expectRejectedBeforeSql(env, () -> ops().add(foo, foo), "Bar");
            expectRejectedBeforeSql(env, () -> ops().add(foo, "not-a-key"), "Bar");
            expectRejectedBeforeSql(env, () -> ops().set(foo, List.of(saved, foo)), "Bar");
            expectRejectedBeforeSql(env, () -> ops().count(new Foo(null, "unsaved", null)), "saved");
            assertThat(row(saved).get("fooId")).isNull();
        }

        @Test
        void lazyLoadsIssuedTogetherAreBatched() {
            List<Foo> authors = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                Foo f = env.create(foos, new Foo(null, "author-" + i, null));
                env.db.bulkCreate(bars, List.of(new Bar(null, "book-" + i + "-1", f.id(), null),
                        new Bar(null, "book-" + i + "-2", f.id(), null))).blockLast(TIMEOUT);
                authors.add(f);
            }
            env.counting.reset();
            Flux.fromIterable(authors)
                    .flatMap(a -> ops().get(a).map(b -> b.fooId().equals(a.id())
                            && b.name().startsWith("book-" + a.name().substring(7) + "-")))
                    .as(StepVerifier::create)
                    .recordWith(ArrayList::new)
                    .expectNextCount(200)
                    .consumeRecordedWith(matches -> assertThat(matches).containsOnly(true))
                    .expectComplete()
                    .verify(TIMEOUT);
            assertThat(env.counting.count()).as("statements: %s", env.counting.statements()).isEqualTo(1);
        }

        @Test
        void lazyGetsInsideATransactionRunOnItsConnectionAndSeeItsWrites() {
            Foo foo = foo();
            Foo other = foo();
            Bar a = bar("a");
            Bar b = bar("b");
            env.db.transaction(tx -> ops().add(foo, a).then(ops().add(other, b))
                            .thenMany(Flux.just(foo, other).flatMap(f -> ops().get(f)).map(Bar::name).sort()))
                    .as(StepVerifier::create)
                    .expectNext("a", "b")
                    .expectComplete()
                    .verify(TIMEOUT);
            expectValues(ops().get(other).map(Bar::name), List.of("b"));
        }

        @Test
        void operationsJoinASurroundingTransactionAndRollBackTogether() {
            Foo foo = foo();
            Bar a = bar("a");
            Bar b = bar("b");
            env.db.transaction(tx -> ops().add(foo, a)
                            .then(ops().create(foo, new Bar(null, "created-in-tx", null, null)))
                            .then(ops().count(foo))
                            .flatMap(n -> n == 2 ? Mono.error(new IllegalStateException("boom after " + n)) : Mono.just(n)))
                    .as(StepVerifier::create)
                    .expectErrorMessage("boom after 2")
                    .verify(TIMEOUT);
            expectValue(ops().count(foo), 0L);
            assertThat(env.sqlCount("SELECT count(*) FROM \"Bars\" WHERE \"name\" = 'created-in-tx'")).isZero();

            env.db.transaction(tx -> ops().add(foo, List.of(a, b)).then(ops().count(foo)))
                    .as(StepVerifier::create)
                    .expectNext(2L)
                    .expectComplete()
                    .verify(TIMEOUT);
            expectValue(ops().count(foo), 2L);
        }
    }

    // =====================================================================================================

    @Nested
    @ExtendWith(TestDatabase.class)
    class BelongsToManyGeneratedJunction {
        record Foo(Long id, String name, List<Bar> bars) {
        }

        record Bar(Long id, String name, List<Foo> foos) {
        }

        static Env env;
        static Model<Foo> foos;
        static Model<Bar> bars;
        static BelongsToMany<Foo, Bar> fooBars;
        static BelongsToMany<Bar, Foo> barFoos;

        @BeforeAll
        static void schema(TestDatabase.Handle h) {
            SchemaBuilder s = Schema.builder();
            foos = s.define(Foo.class);
            bars = s.define(Bar.class);
            fooBars = foos.belongsToMany(bars, o -> o.through("FooBars"));
            barFoos = bars.belongsToMany(foos, o -> o.through("FooBars"));
            env = new Env(h, s.build());
        }

        @AfterAll
        static void close() {
            env.close();
        }

        @AfterEach
        void noLeak() {
            Pools.awaitNoAcquired(env.owner.connectionFactory());
        }

        ToManyOperations<Foo, Bar> ops() {
            return env.db.association(fooBars);
        }

        Foo foo() {
            return env.create(foos, new Foo(null, "the-foo", null));
        }

        Bar bar(String name) {
            return env.create(bars, new Bar(null, name, null));
        }

        long links(Foo foo) {
            return env.sqlCount("SELECT count(*) FROM \"FooBars\" WHERE \"FooId\" = $1", foo.id());
        }

        long links(Foo foo, Bar bar) {
            return env.sqlCount("SELECT count(*) FROM \"FooBars\" WHERE \"FooId\" = $1 AND \"BarId\" = $2",
                    foo.id(), bar.id());
        }

        @Test
        void replaysTheSeedSequence() {
            Foo foo = foo();
            Bar bar1 = bar("some-bar");
            Bar bar2 = bar("another-bar");

            expectValues(ops().get(foo), List.of());                               // []
            expectValue(ops().count(foo), 0L);                                     // 0
            expectValue(ops().has(foo, bar1), false);                              // false
            expectEmpty(ops().add(foo, List.of(bar1, bar2)));
            expectValue(ops().count(foo), 2L);                                     // 2
            expectEmpty(ops().add(foo, bar1));
            expectValue(ops().count(foo), 2L);                                     // 2
            expectValue(ops().has(foo, bar1), true);                               // true
            expectEmpty(ops().remove(foo, bar2));
            expectValue(ops().count(foo), 1L);                                     // 1
            Bar created = ops().create(foo, new Bar(null, "yet-another-bar", null)).block(TIMEOUT);
            assertThat(created).isNotNull();
            assertThat(created.id()).isNotNull();
            expectValue(ops().count(foo), 2L);                                     // 2
            expectEmpty(ops().set(foo, List.of()));                                // un-associate all
            expectValue(ops().count(foo), 0L);                                     // 0
            assertThat(env.sqlCount("SELECT count(*) FROM \"Bars\" WHERE \"id\" = ANY($1)",
                    (Object) new Long[] {bar1.id(), bar2.id(), created.id()})).as("targets are kept").isEqualTo(3);
        }

        @Test
        void theOtherSideSeesTheSameLinks() {
            Foo foo = foo();
            Bar bar1 = bar("shared");
            expectEmpty(ops().add(foo, bar1));
            expectValues(env.db.association(barFoos).get(bar1).map(Foo::id), List.of(foo.id()));
            expectEmpty(env.db.association(barFoos).remove(bar1, foo));
            expectValue(ops().count(foo), 0L);
        }

        @Test
        void addIsOneStatementAndIdempotent() {
            Foo foo = foo();
            List<Bar> many = IntStream.range(0, 20).mapToObj(i -> bar("n" + i)).toList();
            env.counting.reset();
            expectEmpty(ops().add(foo, many));
            assertThat(env.counting.count()).isEqualTo(1);
            env.counting.reset();
            expectEmpty(ops().add(foo, many));
            assertThat(env.counting.count()).isEqualTo(1);
            assertThat(links(foo)).isEqualTo(20);
            assertThat(links(foo, many.get(0))).isEqualTo(1);
            env.counting.reset();
            expectEmpty(ops().remove(foo, many.subList(0, 15)));
            assertThat(env.counting.count()).isEqualTo(1);
            assertThat(links(foo)).isEqualTo(5);
            env.counting.reset();
            expectValue(ops().has(foo, many.subList(15, 20)), true);
            expectValue(ops().count(foo), 5L);
            assertThat(env.counting.count()).isEqualTo(2);
        }

        @Test
        void setReplacesTheLinksAndIsAtomic() {
            Foo foo = foo();
            Bar a = bar("a");
            Bar b = bar("b");
            Bar c = bar("c");
            expectEmpty(ops().set(foo, List.of(a, b)));
            env.counting.reset();
            expectEmpty(ops().set(foo, List.of(b, c)));
            assertThat(env.counting.count()).as("delete + insert: %s", env.counting.statements()).isEqualTo(2);
            expectValues(ops().get(foo).map(Bar::name), List.of("b", "c"));

            // the link insert fails on the junction's foreign key: nothing of the set may remain
            ops().set(foo, List.of(a, Long.MAX_VALUE))
                    .as(StepVerifier::create)
                    .expectError(StatementException.class)
                    .verify(TIMEOUT);
            expectValues(ops().get(foo).map(Bar::name), List.of("b", "c"));
            assertThat(links(foo)).isEqualTo(2);
        }

        @Test
        void removeDeletesOnlyJunctionRows() {
            Foo foo = foo();
            Bar a = bar("a");
            expectEmpty(ops().add(foo, a));
            expectEmpty(ops().remove(foo, a.id()));
            assertThat(links(foo)).isZero();
            assertThat(env.sqlCount("SELECT count(*) FROM \"Bars\" WHERE \"id\" = $1", a.id())).isEqualTo(1);
        }

        @Test
        void targetsMayBeGivenAsKeys() {
            Foo foo = foo();
            Bar a = bar("a");
            Bar b = bar("b");
            expectEmpty(ops().add(foo, List.of(a.id(), b.id())));
            expectValue(ops().has(foo, a.id()), true);
            expectValue(ops().has(foo, List.of(a.id(), b)), true);
            expectEmpty(ops().set(foo, List.of(b.id())));
            expectValues(ops().get(foo).map(Bar::id), List.of(b.id()));
        }

        @Test
        void createInsertsTheTargetAndItsLinkTogether() {
            Foo foo = foo();
            env.counting.reset();
            Bar created = ops().create(foo, new Bar(null, "created", null)).block(TIMEOUT);
            assertThat(created).isNotNull();
            assertThat(env.counting.count()).isEqualTo(2);
            assertThat(links(foo, created)).isEqualTo(1);
        }

        @Test
        void operationsAreLazyAndRunOnEverySubscription() {
            Foo foo = foo();
            Bar a = bar("a");
            expectLazy(env, () -> ops().get(foo));
            expectLazy(env, () -> ops().count(foo));
            expectLazy(env, () -> ops().has(foo, a));
            expectLazy(env, () -> ops().add(foo, a));
            expectLazy(env, () -> ops().remove(foo, a));
            expectLazy(env, () -> ops().set(foo, List.of(a)));
            expectLazy(env, () -> ops().create(foo, new Bar(null, "lazy", null)));
        }

        @Test
        void unsavedOrForeignTargetsAreRejectedBeforeSqlAndNothingIsWritten() {
            Foo foo = foo();
            Bar saved = bar("saved");
            expectRejectedBeforeSql(env, () -> ops().add(foo, List.of(saved, new Bar(null, "unsaved", null))), "saved");
            expectRejectedBeforeSql(env, () -> ops().add(foo, foo), "Bar");
            expectRejectedBeforeSql(env, () -> ops().set(foo, List.of(saved, foo)), "Bar");
            expectRejectedBeforeSql(env, () -> ops().has(foo, "nope"), "Bar");
            expectRejectedBeforeSql(env, () -> ops().add(new Foo(null, "unsaved", null), saved), "saved");
            assertThat(links(foo)).isZero();
        }

        @Test
        void lazyLoadsIssuedTogetherAreBatched() {
            Bar a = bar("a");
            Bar b = bar("b");
            List<Foo> fooList = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                Foo f = env.create(foos, new Foo(null, "batch-" + i, null));
                expectEmpty(ops().add(f, i % 2 == 0 ? List.of(a, b) : List.of(b)));
                fooList.add(f);
            }
            env.counting.reset();
            Flux.fromIterable(fooList)
                    .flatMap(f -> ops().get(f).count().map(n -> n == (Long.parseLong(f.name().substring(6)) % 2 == 0 ? 2 : 1)))
                    .as(StepVerifier::create)
                    .recordWith(ArrayList::new)
                    .expectNextCount(100)
                    .consumeRecordedWith(matches -> assertThat(matches).containsOnly(true))
                    .expectComplete()
                    .verify(TIMEOUT);
            assertThat(env.counting.count()).as("statements: %s", env.counting.statements()).isEqualTo(1);
        }

        @Test
        void junctionWritesJoinASurroundingTransactionAndRollBackTogether() {
            Foo foo = foo();
            Bar a = bar("a");
            Bar b = bar("b");
            env.db.transaction(tx -> ops().add(foo, a).then(ops().add(foo, List.of(b, Long.MAX_VALUE))))
                    .as(StepVerifier::create)
                    .expectError(StatementException.class)
                    .verify(TIMEOUT);
            assertThat(links(foo)).isZero();
        }
    }

    // =====================================================================================================

    @Nested
    @ExtendWith(TestDatabase.class)
    class BelongsToManyThroughModel {
        record Student(Long id, String name, List<Course> courses) {
        }

        /** {@code enrollment} receives the junction's attributes. */
        record Course(Long id, String title, Enrollment enrollment) {
        }

        record Enrollment(Long studentId, Long courseId, String grade) {
        }

        static Env env;
        static Model<Student> students;
        static Model<Course> courses;
        static BelongsToMany<Student, Course> studentCourses;

        @BeforeAll
        static void schema(TestDatabase.Handle h) {
            SchemaBuilder s = Schema.builder().timestamps(false);
            students = s.define(Student.class);
            courses = s.define(Course.class);
            Model<Enrollment> enrollments = s.define(Enrollment.class);
            studentCourses = students.belongsToMany(courses, o -> o.through(enrollments));
            courses.belongsToMany(students, o -> o.through(enrollments));
            env = new Env(h, s.build());
        }

        @AfterAll
        static void close() {
            env.close();
        }

        @AfterEach
        void noLeak() {
            Pools.awaitNoAcquired(env.owner.connectionFactory());
        }

        ToManyOperations<Student, Course> ops() {
            return env.db.association(studentCourses);
        }

        Student student() {
            return env.create(students, new Student(null, "the-student", null));
        }

        Course course(String title) {
            return env.create(courses, new Course(null, title, null));
        }

        /** Title and grade of the student's courses, read back through an include. */
        List<String> grades(Student student) {
            return env.db.findByPk(Query.from(students).include(studentCourses, i -> i.throughAttributes("grade")),
                            student.id())
                    .map(s -> s.courses().stream()
                            .map(c -> c.title() + ":" + (c.enrollment() == null ? null : c.enrollment().grade()))
                            .toList())
                    .block(TIMEOUT);
        }

        @Test
        void replaysTheSeedSequenceWritingThroughValues() {
            Student student = student();
            Course c1 = course("c1");
            Course c2 = course("c2");

            expectValues(ops().get(student), List.of());
            expectValue(ops().count(student), 0L);
            expectValue(ops().has(student, c1), false);
            expectEmpty(ops().add(student, List.of(c1, c2), Map.of("grade", "A")));
            expectValue(ops().count(student), 2L);
            assertThat(grades(student)).containsExactly("c1:A", "c2:A");
            expectEmpty(ops().add(student, c1));                                   // idempotent, keeps the grade
            expectValue(ops().count(student), 2L);
            assertThat(grades(student)).containsExactly("c1:A", "c2:A");
            expectValue(ops().has(student, c1), true);
            expectEmpty(ops().remove(student, c2));
            expectValue(ops().count(student), 1L);
            Course created = ops().create(student, new Course(null, "c3", null), Map.of("grade", "C")).block(TIMEOUT);
            assertThat(created).isNotNull();
            expectValue(ops().count(student), 2L);
            assertThat(grades(student)).containsExactly("c1:A", "c3:C");
            expectEmpty(ops().set(student, List.of()));
            expectValue(ops().count(student), 0L);
        }

        @Test
        void addWithThroughValuesUpdatesExistingLinks() {
            Student student = student();
            Course c1 = course("c1");
            expectEmpty(ops().add(student, c1));
            assertThat(grades(student)).containsExactly("c1:null");
            expectEmpty(ops().add(student, List.of(c1), Map.of("grade", "B")));
            assertThat(grades(student)).containsExactly("c1:B");
        }

        @Test
        void setWritesThroughValuesOfNewAndKeptLinks() {
            Student student = student();
            Course c1 = course("c1");
            Course c2 = course("c2");
            Course c3 = course("c3");
            expectEmpty(ops().add(student, List.of(c1, c2), Map.of("grade", "A")));
            expectEmpty(ops().set(student, List.of(c2, c3), Map.of("grade", "B")));
            assertThat(grades(student)).containsExactly("c2:B", "c3:B");
        }

        @Test
        void lazyGetCarriesTheJunctionAttributes() {
            Student student = student();
            Course c1 = course("c1");
            expectEmpty(ops().add(student, List.of(c1), Map.of("grade", "A+")));
            expectValues(ops().get(student), List.of(new Course(c1.id(), "c1", new Enrollment(student.id(), c1.id(), "A+"))));
        }

        @Test
        void throughValuesOfKeysOrUnknownAttributesAreRejectedBeforeSql() {
            Student student = student();
            Course c1 = course("c1");
            expectRejectedBeforeSql(env, () -> ops().add(student, List.of(c1), Map.of("courseId", 1L)), "courseId");
            expectRejectedBeforeSql(env, () -> ops().add(student, List.of(c1), Map.of("mark", 1)), "mark");
            assertThat(ops().count(student).block(TIMEOUT)).isZero();
        }
    }

    // =====================================================================================================

    @Nested
    @ExtendWith(TestDatabase.class)
    class SelfAssociation {
        record User(Long id, String name, List<User> followers, List<User> following) {
        }

        static Env env;
        static Model<User> users;
        static BelongsToMany<User, User> followers;
        static BelongsToMany<User, User> following;

        @BeforeAll
        static void schema(TestDatabase.Handle h) {
            SchemaBuilder s = Schema.builder();
            users = s.define(User.class);
            followers = users.belongsToMany(users, o -> o.through("Followers").as("followers")
                    .foreignKey("followingId").otherKey("followerId"));
            following = users.belongsToMany(users, o -> o.through("Followers").as("following")
                    .foreignKey("followerId").otherKey("followingId"));
            env = new Env(h, s.build());
        }

        @AfterAll
        static void close() {
            env.close();
        }

        @AfterEach
        void noLeak() {
            Pools.awaitNoAcquired(env.owner.connectionFactory());
        }

        User user(String name) {
            return env.create(users, new User(null, name, null, null));
        }

        @Test
        void followersAndFollowingAreTwoViewsOfTheSameJunction() {
            User alice = user("alice");
            User bob = user("bob");
            User carol = user("carol");
            ToManyOperations<User, User> followersOf = env.db.association(followers);
            ToManyOperations<User, User> followingOf = env.db.association(following);

            expectValue(followersOf.count(alice), 0L);
            expectEmpty(followersOf.add(alice, List.of(bob, carol)));             // bob and carol follow alice
            expectValue(followersOf.count(alice), 2L);
            expectValue(followersOf.has(alice, bob), true);
            expectValues(followingOf.get(bob).map(User::name), List.of("alice"));
            expectValues(followingOf.get(carol).map(User::name), List.of("alice"));
            expectValue(followingOf.count(alice), 0L);
            expectEmpty(followingOf.add(alice, carol.id()));                       // alice follows carol (by key)
            expectValues(followersOf.get(carol).map(User::name), List.of("alice"));
            expectEmpty(followersOf.remove(alice, bob));
            expectValues(followersOf.get(alice).map(User::name), List.of("carol"));
            expectValue(followingOf.count(bob), 0L);
            expectEmpty(followingOf.set(alice, List.of()));
            expectValue(followersOf.count(carol), 0L);
            expectValue(followersOf.count(alice), 1L);
        }

        @Test
        void aUserMayFollowThemself() {
            User narcissus = user("narcissus");
            expectEmpty(env.db.association(following).add(narcissus, narcissus));
            expectValues(env.db.association(followers).get(narcissus).map(User::name), List.of("narcissus"));
        }
    }
}
