package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import io.relata.BelongsTo;
import io.relata.BelongsToMany;
import io.relata.HasMany;
import io.relata.HasOne;
import io.relata.Model;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.query.Include;
import io.relata.query.Order;
import io.relata.query.Query;
import io.relata.reactor.testing.Pools;
import io.relata.reactor.testing.RecordingConnectionFactory;
import io.relata.reactor.testing.RecordingConnectionFactory.Executed;
import io.relata.reactor.testing.Sql;
import io.relata.reactor.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.util.context.Context;

/**
 * Batching of lazy loads, proved structurally (statements counted and their key arrays read, never a
 * wall-clock window): the loads of one synchronous burst are one statement for every association kind,
 * window, thread and in or outside a transaction; a single load is one statement for its one key; the
 * window is honoured in virtual time; the requester's Reactor Context reaches the statement; a
 * requester that cancels leaves the others their results. And no silent hang: a failure anywhere while
 * serving a load (the statement, an entity constructor, a value that cannot be decoded) reaches every
 * subscriber as {@code onError}, for lazy loads and for JOIN and SEPARATE includes alike.
 */
@ExtendWith(TestDatabase.class)
class LazyBatchingIT {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final int OWNERS = 60;
    static final String TRACE = "relata.test.trace";

    record Owner(Long id, String name, List<Toy> toys, Pet pet, List<Club> clubs, List<Fragile> fragiles,
            List<Mood> moods) {
    }

    record Toy(Long id, String name, Long ownerId, Owner owner) {
    }

    record Pet(Long id, String name, Long ownerId) {
    }

    record Club(Long id, String name) {
    }

    /** An entity whose constructor fails for one value, as a validating record does. */
    record Fragile(Long id, String name, Long ownerId) {
        Fragile {
            if ("boom".equals(name)) {
                throw new IllegalStateException("constructor failed for " + name);
            }
        }
    }

    enum Feeling { HAPPY, SAD }

    record Mood(Long id, Feeling feeling, Long ownerId) {
    }

    static Model<Owner> owners;
    static HasOne<Owner, Pet> ownerPet;
    static BelongsTo<Toy, Owner> toyOwner;
    static HasMany<Owner, Toy> ownerToys;
    static BelongsToMany<Owner, Club> ownerClubs;
    static HasMany<Owner, Fragile> ownerFragiles;
    static HasMany<Owner, Mood> ownerMoods;
    static Model<Mood> moods;

    static TestDatabase.Handle handle;
    static Database pool;
    static RecordingConnectionFactory recording;
    static Database db;

    @BeforeAll
    static void schema(TestDatabase.Handle h) {
        handle = h;
        SchemaBuilder s = Schema.builder().timestamps(false);
        owners = s.define(Owner.class);
        Model<Toy> toys = s.define(Toy.class);
        Model<Pet> pets = s.define(Pet.class);
        Model<Club> clubs = s.define(Club.class);
        Model<Fragile> fragiles = s.define(Fragile.class);
        moods = s.define(Mood.class);
        ownerPet = owners.hasOne(pets);
        ownerToys = owners.hasMany(toys);
        toyOwner = toys.belongsTo(owners);
        ownerClubs = owners.belongsToMany(clubs, o -> o.through("OwnerClubs"));
        ownerFragiles = owners.hasMany(fragiles);
        ownerMoods = owners.hasMany(moods);
        Schema schema = s.build();
        pool = Database.connect(h.url(), schema);
        recording = new RecordingConnectionFactory(pool.connectionFactory());
        db = Database.create(recording, schema);
        db.sync().as(StepVerifier::create).expectComplete().verify(TIMEOUT);
        Sql.execute(h.connectionFactory(),
                "INSERT INTO \"Owners\" (\"id\", \"name\") SELECT g, 'owner-' || g FROM generate_series(1, " + OWNERS + ") g",
                "INSERT INTO \"Toys\" (\"id\", \"name\", \"ownerId\") SELECT 2 * g - 1, 'toy-' || g || '-a', g"
                        + " FROM generate_series(1, " + OWNERS + ") g",
                "INSERT INTO \"Toys\" (\"id\", \"name\", \"ownerId\") SELECT 2 * g, 'toy-' || g || '-b', g"
                        + " FROM generate_series(1, " + OWNERS + ") g",
                "INSERT INTO \"Pets\" (\"id\", \"name\", \"ownerId\") SELECT g, 'pet-' || g, g FROM generate_series(1, "
                        + OWNERS + ") g",
                "INSERT INTO \"Clubs\" (\"id\", \"name\") VALUES (1, 'club-1'), (2, 'club-2'), (3, 'club-3')",
                "INSERT INTO \"OwnerClubs\" (\"OwnerId\", \"ClubId\") SELECT g, g % 3 + 1 FROM generate_series(1, "
                        + OWNERS + ") g",
                "INSERT INTO \"Fragiles\" (\"id\", \"name\", \"ownerId\") SELECT g, 'fine-' || g, g FROM generate_series(1, "
                        + OWNERS + ") g",
                "INSERT INTO \"Fragiles\" (\"id\", \"name\", \"ownerId\") VALUES (1000, 'boom', 7)",
                "INSERT INTO \"Moods\" (\"id\", \"feeling\", \"ownerId\") VALUES (1, 'HAPPY', 1), (2, 'ANGRY', 2)");
    }

    @AfterAll
    static void close() {
        pool.close().block(TIMEOUT);
    }

    @BeforeEach
    void reset() {
        recording.reset();
    }

    @AfterEach
    void noConnectionLeaked() {
        Pools.awaitNoAcquired(pool.connectionFactory());
    }

    static Owner owner(long id) {
        return new Owner(id, "owner-" + id, null, null, null, null, null);
    }

    /** A lazy load of each kind, for the i-th source, as the names of what it loads. */
    enum Kind {
        HAS_ONE(i -> List.of("pet-" + i)),
        BELONGS_TO(i -> List.of("owner-" + i)),
        HAS_MANY(i -> List.of("toy-" + i + "-a", "toy-" + i + "-b")),
        BELONGS_TO_MANY(i -> List.of("club-" + (i % 3 + 1)));

        final Function<Integer, List<String>> expected;

        Kind(Function<Integer, List<String>> expected) {
            this.expected = expected;
        }

        /** @return the key the load of the i-th source binds: the source key, for belongsTo its primary key */
        long key(int i) {
            return this == BELONGS_TO ? 2L * i - 1 : i;
        }

        Flux<String> load(Database db, int i) {
            return switch (this) {
                case HAS_ONE -> db.association(ownerPet).get(owner(i)).map(Pet::name).flux();
                case BELONGS_TO -> db.association(toyOwner).get(new Toy(2L * i - 1, "toy-" + i + "-a", (long) i, null))
                        .map(Owner::name).flux();
                case HAS_MANY -> db.association(ownerToys).get(owner(i)).map(Toy::name);
                case BELONGS_TO_MANY -> db.association(ownerClubs).get(owner(i)).map(Club::name);
            };
        }
    }

    /** One flatMap over every source: the burst; emits source index to the names loaded for it. */
    static Mono<Map<Integer, List<String>>> burst(Database db, Kind kind) {
        return Flux.range(1, OWNERS)
                .flatMap(i -> kind.load(db, i).collectList().map(names -> Map.entry(i, names)))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue, TreeMap::new);
    }

    static Map<Integer, List<String>> expected(Kind kind) {
        Map<Integer, List<String>> out = new TreeMap<>();
        IntStream.rangeClosed(1, OWNERS).forEach(i -> out.put(i, kind.expected.apply(i)));
        return out;
    }

    static void expectOneStatementForAllSources() {
        List<Executed> executed = recording.executed();
        assertThat(executed).as("statements: %s", executed).hasSize(1);
        assertThat(executed.get(0).array(0)).hasSize(OWNERS);
    }

    static Stream<Arguments> kindsWindowsAndTransactions() {
        List<Arguments> out = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            for (Duration window : List.of(Duration.ZERO, Loader.DEFAULT_WINDOW)) {
                for (boolean transaction : List.of(false, true)) {
                    out.add(Arguments.of(kind, window, transaction));
                }
            }
        }
        return out.stream();
    }

    // ---- defect 9: a synchronous burst is one statement ----

    @ParameterizedTest(name = "{0}, window {1}, in a transaction: {2}")
    @MethodSource("kindsWindowsAndTransactions")
    void loadsIssuedInOneSynchronousBurstAreOneStatement(Kind kind, Duration window, boolean transaction) {
        Database batching = db.withBatchWindow(window);
        Mono<Map<Integer, List<String>>> run = transaction
                ? batching.transaction(tx -> burst(batching, kind)).single()
                : burst(batching, kind);

        run.as(StepVerifier::create).expectNext(expected(kind)).expectComplete().verify(TIMEOUT);

        expectOneStatementForAllSources();
    }

    /** The threads a burst may run on: the caller's, Reactor's schedulers, and a Netty event loop. */
    enum On { CALLER, PARALLEL, BOUNDED_ELASTIC, SINGLE, NETTY_EVENT_LOOP }

    @Test
    void onAnEventLoopABatchRunsAtTheEndOfItsTickWithoutWaitingForTheWindow() throws Exception {
        // a window far longer than the test may take: only the tick's end can have flushed the batch
        Database patient = db.withBatchWindow(Duration.ofHours(1));
        DefaultEventLoop loop = new DefaultEventLoop();
        try {
            for (Kind kind : Kind.values()) {
                recording.reset();
                burst(patient, kind).subscribeOn(Schedulers.fromExecutor(loop))
                        .as(StepVerifier::create).expectNext(expected(kind)).expectComplete().verify(TIMEOUT);
                expectOneStatementForAllSources();
            }
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void loadsIssuedForTheRowsOfAResultRunWithoutWaitingForTheWindow() {
        Database patient = db.withBatchWindow(Duration.ofHours(1));
        // the roots arrive on the driver's event loop, and so are their loads issued
        patient.findAll(Query.from(owners).orderBy(Order.asc("id")))
                .flatMap(o -> patient.association(ownerToys).get(o).map(Toy::name).collectList()
                        .map(names -> Map.entry(o.id().intValue(), names)))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue, TreeMap::new)
                .as(StepVerifier::create).expectNext(expected(Kind.HAS_MANY)).expectComplete().verify(TIMEOUT);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(On.class)
    void aBurstIsOneStatementOnEveryKindOfThread(On on) throws Exception {
        DefaultEventLoop loop = new DefaultEventLoop();
        try {
            Scheduler scheduler = switch (on) {
                case CALLER -> Schedulers.immediate();
                case PARALLEL -> Schedulers.parallel();
                case BOUNDED_ELASTIC -> Schedulers.boundedElastic();
                case SINGLE -> Schedulers.single();
                case NETTY_EVENT_LOOP -> Schedulers.fromExecutor(loop);
            };
            for (Kind kind : Kind.values()) {
                recording.reset();
                burst(db, kind).subscribeOn(scheduler)
                        .as(StepVerifier::create).expectNext(expected(kind)).expectComplete().verify(TIMEOUT);
                expectOneStatementForAllSources();
            }
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void aSingleLoadIsOneStatementForItsOneKey(Kind kind) {
        for (int i = 1; i <= 30; i++) {
            recording.reset();
            kind.load(db, i).collectList().as(StepVerifier::create).expectNext(kind.expected.apply(i)).expectComplete()
                    .verify(TIMEOUT);
            List<Executed> executed = recording.executed();
            assertThat(executed).as("statements of load %s: %s", i, executed).hasSize(1);
            assertThat(executed.get(0).array(0)).as("keys of load %s", i).containsExactly(kind.key(i));
        }
    }

    @Test
    void loadsIssuedWithinTheWindowJoinOneBatchInVirtualTime() {
        Database slow = db.withBatchWindow(Duration.ofMinutes(5));
        StepVerifier.withVirtualTime(() -> Flux.merge(
                        slow.association(ownerToys).get(owner(1)).map(Toy::name),
                        Mono.delay(Duration.ofMinutes(1)).thenMany(slow.association(ownerToys).get(owner(2)).map(Toy::name)))
                        .sort())
                .expectSubscription()
                .expectNoEvent(Duration.ofMinutes(4))
                .then(() -> assertThat(recording.executed()).as("nothing runs before the window has passed").isEmpty())
                .thenAwait(Duration.ofMinutes(1))
                .expectNext("toy-1-a", "toy-1-b", "toy-2-a", "toy-2-b")
                .expectComplete()
                .verify(TIMEOUT);

        assertThat(recording.executed()).hasSize(1);
        assertThat(recording.executed().get(0).array(0)).containsExactly(1L, 2L);
    }

    @Test
    void theRequestersReactorContextReachesTheBatchedStatement() {
        burst(db, Kind.HAS_MANY).contextWrite(Context.of(TRACE, "trace-42"))
                .as(StepVerifier::create).expectNext(expected(Kind.HAS_MANY)).expectComplete().verify(TIMEOUT);

        expectOneStatementForAllSources();
        assertThat(recording.contexts()).hasSize(1)
                .allSatisfy(ctx -> assertThat(ctx.getOrDefault(TRACE, "none")).isEqualTo("trace-42"));
    }

    @Test
    void aRequesterThatCancelsLeavesTheOthersOfItsBatchTheirResults() {
        Flux.merge(db.association(ownerToys).get(owner(1)).take(0),
                        db.association(ownerToys).get(owner(2)).map(Toy::name),
                        db.association(ownerToys).get(owner(3)).map(Toy::name).take(1))
                .sort()
                .as(StepVerifier::create)
                .expectNext("toy-2-a", "toy-2-b", "toy-3-a")
                .expectComplete()
                .verify(TIMEOUT);

        assertThat(recording.executed()).hasSize(1);
        assertThat(recording.executed().get(0).array(0)).as("the key of the requester that left").containsExactly(2L, 3L);
    }

    @Test
    void loadsWhoseRequestersAllCancelRunNoStatement() {
        db.association(ownerToys).get(owner(1)).take(0).as(StepVerifier::create).expectComplete().verify(TIMEOUT);
        db.association(ownerToys).get(owner(2)).map(Toy::name)
                .as(StepVerifier::create).expectNext("toy-2-a", "toy-2-b").expectComplete().verify(TIMEOUT);

        assertThat(recording.executed()).hasSize(1);
        assertThat(recording.executed().get(0).array(0)).containsExactly(2L);
    }

    // ---- no silent hang ----

    /** Runs a burst of loads; each requester's outcome as its error message, or "ok". */
    static Mono<List<String>> outcomes(Function<Integer, Publisher<?>> load, int requesters) {
        return Flux.range(1, requesters)
                .flatMap(i -> Flux.from(load.apply(i)).then(Mono.just("ok"))
                        .onErrorResume(e -> Mono.just(String.valueOf(rootCause(e).getMessage()))))
                .collectList();
    }

    static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    @Test
    void aStatementThatFailsReachesEveryRequesterOfItsBatch() {
        recording.failNext(sql -> sql.contains("\"Toys\""), new IllegalStateException("injected statement failure"));

        outcomes(i -> db.association(ownerToys).get(owner(i)), 20).as(StepVerifier::create)
                .expectNext(java.util.Collections.nCopies(20, "injected statement failure"))
                .expectComplete()
                .verify(TIMEOUT);

        assertThat(recording.executed()).isEmpty();
        burst(db, Kind.HAS_MANY).as(StepVerifier::create).expectNext(expected(Kind.HAS_MANY)).expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void anEntityConstructorThatFailsReachesEveryRequesterOfItsBatch() {
        // owner 7 has the fragile child "boom": the batch of owners 1..10 fails as a whole, for each of them
        outcomes(i -> db.association(ownerFragiles).get(owner(i)), 10).as(StepVerifier::create)
                .expectNext(java.util.Collections.nCopies(10, "constructor failed for boom"))
                .expectComplete()
                .verify(TIMEOUT);
        outcomes(i -> db.association(ownerFragiles).get(owner(i + 10)), 10).as(StepVerifier::create)
                .expectNext(java.util.Collections.nCopies(10, "ok"))
                .expectComplete()
                .verify(TIMEOUT);
        db.association(ownerFragiles).get(List.of(owner(6), owner(7)))
                .as(StepVerifier::create)
                .expectErrorSatisfies(e -> assertThat(rootCause(e)).hasMessage("constructor failed for boom"))
                .verify(TIMEOUT);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Include.Strategy.class)
    void anEntityConstructorThatFailsInAnIncludeReachesTheSubscriber(Include.Strategy strategy) {
        db.findAll(Query.from(owners).orderBy(Order.asc("id")).include(ownerFragiles, i -> i.strategy(strategy)))
                .map(Owner::name)
                .as(StepVerifier::create)
                .expectNext("owner-1", "owner-2", "owner-3", "owner-4", "owner-5", "owner-6")
                .expectErrorSatisfies(e -> assertThat(rootCause(e)).hasMessage("constructor failed for boom"))
                .verify(TIMEOUT);
    }

    @Test
    void aValueThatCannotBeDecodedReachesTheSubscriber() {
        db.findAll(Query.from(moods).orderBy(Order.asc("id"))).map(Mood::feeling)
                .as(StepVerifier::create)
                .expectNext(Feeling.HAPPY)
                .expectErrorSatisfies(e -> assertThat(rootCause(e)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("ANGRY"))
                .verify(TIMEOUT);
        outcomes(i -> db.association(ownerMoods).get(owner(i)), 3).as(StepVerifier::create)
                .assertNext(messages -> assertThat(messages).hasSize(3).allSatisfy(m -> assertThat(m).contains("ANGRY")))
                .expectComplete()
                .verify(TIMEOUT);
    }
}
