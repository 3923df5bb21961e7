package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.BelongsTo;
import io.relata.BelongsToMany;
import io.relata.HasMany;
import io.relata.HasOne;
import io.relata.Model;
import io.relata.QueryDefinitionException;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.query.Include;
import io.relata.query.Order;
import io.relata.query.Query;
import io.relata.query.Where;
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
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Keys of every shape (issue 14 item 6): models keyed by a composite primary key of mixed types
 * ({@code Integer + String}, {@code Long + UUID}, {@code Short + BigDecimal}, {@code String + byte[]} of 255
 * bytes) referenced by hasOne, belongsTo,
 * hasMany and belongsToMany (a generated junction with four key columns), read with JOIN and SEPARATE
 * includes and lazy loads, written through every mixin in and out of transactions, found by
 * {@code findByPk(model, a, b)}; and a model whose single primary key is not {@code id}. The owners' keys
 * share their first part on purpose ({@code (1, a)}, {@code (1, b)}, {@code (2, a)}): a join or load on one
 * part alone would mix their rows up.
 */
@ExtendWith(TestDatabase.class)
@SuppressWarnings({"unchecked", "rawtypes"})
class CompositeKeysIT {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    record IsOwner(Integer code, String region, String name, IsPet pet, List<IsToy> toys, List<IsClub> clubs) {}
    record IsPet(Long id, String name, Integer ownerCode, String ownerRegion, IsOwner owner) {}
    record IsToy(Long id, String name, Integer ownerCode, String ownerRegion) {}
    record IsClub(Integer code, String region, String name, List<IsOwner> owners) {}

    record LuOwner(Long code, UUID region, String name, LuPet pet, List<LuToy> toys, List<LuClub> clubs) {}
    record LuPet(Long id, String name, Long ownerCode, UUID ownerRegion, LuOwner owner) {}
    record LuToy(Long id, String name, Long ownerCode, UUID ownerRegion) {}
    record LuClub(Long code, UUID region, String name, List<LuOwner> owners) {}

    record SbOwner(Short code, BigDecimal region, String name, SbPet pet, List<SbToy> toys, List<SbClub> clubs) {}
    record SbPet(Long id, String name, Short ownerCode, BigDecimal ownerRegion, SbOwner owner) {}
    record SbToy(Long id, String name, Short ownerCode, BigDecimal ownerRegion) {}
    record SbClub(Short code, BigDecimal region, String name, List<SbOwner> owners) {}

    record SyOwner(String code, byte[] region, String name, SyPet pet, List<SyToy> toys, List<SyClub> clubs) {}
    record SyPet(Long id, String name, String ownerCode, byte[] ownerRegion, SyOwner owner) {}
    record SyToy(Long id, String name, String ownerCode, byte[] ownerRegion) {}
    record SyClub(String code, byte[] region, String name, List<SyOwner> owners) {}

    /** 255 bytes: all zeros for 1, else ending in n. */
    static byte[] bytes(int n) {
        byte[] b = new byte[255];
        if (n != 1) {
            b[254] = (byte) n;
        }
        return b;
    }

    /** One key shape: its entity classes, schema, database and the keys it uses. */
    static final class Variant {
        final String label;
        final String prefix;
        final Class<?>[] types;
        final IntFunction<Object> first;
        final IntFunction<Object> second;
        Model<Object> owners;
        Model<Object> pets;
        Model<Object> toys;
        Model<Object> clubs;
        HasOne<Object, Object> ownerPet;
        BelongsTo<Object, Object> petOwner;
        HasMany<Object, Object> ownerToys;
        BelongsToMany<Object, Object> ownerClubs;
        BelongsToMany<Object, Object> clubOwners;
        Database db;

        Variant(String label, String prefix, Class<?>[] types, IntFunction<Object> first, IntFunction<Object> second) {
            this.label = label;
            this.prefix = prefix;
            this.types = types;
            this.first = first;
            this.second = second;
        }

        void define() {
            SchemaBuilder s = Schema.builder().timestamps(false);
            owners = s.define((Class<Object>) types[0], m -> m.name("Owner").table(prefix + "_owners").primaryKey("code", "region"));
            pets = s.define((Class<Object>) types[1], m -> m.name("Pet").table(prefix + "_pets"));
            toys = s.define((Class<Object>) types[2], m -> m.name("Toy").table(prefix + "_toys"));
            clubs = s.define((Class<Object>) types[3], m -> m.name("Club").table(prefix + "_clubs").primaryKey("code", "region"));
            ownerPet = owners.hasOne(pets);
            petOwner = pets.belongsTo(owners);
            ownerToys = owners.hasMany(toys);
            ownerClubs = owners.belongsToMany(clubs, o -> o.through(prefix + "_owner_clubs"));
            clubOwners = clubs.belongsToMany(owners, o -> o.through(prefix + "_owner_clubs"));
            db = Database.create(recording, s.build());
            db.sync().as(StepVerifier::create).expectComplete().verify(TIMEOUT);
        }

        /** Owner keys (1, a), (1, b), (2, a): the first part repeats. */
        List<Object> key(int n) {
            return List.of(first.apply(n == 3 ? 2 : 1), second.apply(n == 2 ? 2 : 1));
        }

        /** The same key as fresh values of other Java types where the column allows (Long for Short, 1.5 for 1.50). */
        List<Object> looseKey(int n) {
            List<Object> k = key(n);
            Object a = k.get(0) instanceof Short sh ? (Object) sh.intValue() : k.get(0);
            Object b = k.get(1) instanceof BigDecimal d ? d.stripTrailingZeros()
                    : k.get(1) instanceof byte[] bytes ? bytes.clone() : k.get(1);
            return List.of(a, b);
        }

        Object owner(int n) {
            List<Object> k = key(n);
            return record(types[0], k.get(0), k.get(1), "o" + n, null, null, null);
        }

        Object pet(int n, int owner) {
            List<Object> k = owner == 0 ? Arrays.asList(null, null) : key(owner);
            return record(types[1], (long) n, "p" + n, k.get(0), k.get(1), null);
        }

        Object toy(int n, int owner) {
            List<Object> k = owner == 0 ? Arrays.asList(null, null) : key(owner);
            return record(types[2], (long) n, "t" + n, k.get(0), k.get(1));
        }

        Object club(int n) {
            List<Object> k = key(n);
            return record(types[3], k.get(0), k.get(1), "c" + n, null);
        }

        @Override
        public String toString() {
            return label;
        }
    }

    static final List<Variant> VARIANTS = List.of(
            new Variant("Integer+String", "cis", new Class<?>[] {IsOwner.class, IsPet.class, IsToy.class, IsClub.class},
                    n -> n, n -> n == 1 ? "a" : "b"),
            new Variant("Long+UUID", "clu", new Class<?>[] {LuOwner.class, LuPet.class, LuToy.class, LuClub.class},
                    n -> (long) n, n -> new UUID(7, n)),
            new Variant("Short+BigDecimal", "csb", new Class<?>[] {SbOwner.class, SbPet.class, SbToy.class, SbClub.class},
                    n -> (short) n, n -> new BigDecimal(n + ".50")),
            new Variant("String+byte[]", "csy", new Class<?>[] {SyOwner.class, SyPet.class, SyToy.class, SyClub.class},
                    n -> "k" + n, CompositeKeysIT::bytes));

    static Database pool;
    static RecordingConnectionFactory recording;

    @BeforeAll
    static void schema(TestDatabase.Handle h) {
        pool = Database.connect(h.url(), Schema.builder().build());
        recording = new RecordingConnectionFactory(pool.connectionFactory());
        VARIANTS.forEach(Variant::define);
        countries = defineCountries();
    }

    @AfterAll
    static void close() {
        pool.close().block(TIMEOUT);
    }

    @AfterEach
    void noConnectionLeaked() {
        Pools.awaitNoAcquired(pool.connectionFactory());
    }

    static Stream<Variant> variants() {
        return VARIANTS.stream();
    }

    static Stream<Arguments> variantsAndStrategies() {
        return VARIANTS.stream().flatMap(v -> Stream.of(Include.Strategy.JOIN, Include.Strategy.SEPARATE)
                .map(s -> Arguments.of(v, s)));
    }

    static Stream<Arguments> variantsInAndOutOfTransactions() {
        return VARIANTS.stream().flatMap(v -> Stream.of(false, true).map(tx -> Arguments.of(v, tx)));
    }

    /**
     * o1 (1, a) has p1, t1 and t2, clubs c1 and c2; o2 (1, b) has p2, t3 and club c2; o3 (2, a) has nothing;
     * t4 belongs to no owner; c3 has no owner.
     */
    static void seed(Variant v) {
        Sql.execute(pool.connectionFactory(), "DELETE FROM \"" + v.prefix + "_owner_clubs\"",
                "DELETE FROM \"" + v.prefix + "_pets\"", "DELETE FROM \"" + v.prefix + "_toys\"",
                "DELETE FROM \"" + v.prefix + "_clubs\"", "DELETE FROM \"" + v.prefix + "_owners\"");
        Database db = v.db;
        created(db.bulkCreate(v.owners, List.of(v.owner(1), v.owner(2), v.owner(3))), 3);
        created(db.bulkCreate(v.pets, List.of(v.pet(1, 1), v.pet(2, 2))), 2);
        created(db.bulkCreate(v.toys, List.of(v.toy(1, 1), v.toy(2, 1), v.toy(3, 2), v.toy(4, 0))), 4);
        created(db.bulkCreate(v.clubs, List.of(v.club(1), v.club(2), v.club(3))), 3);
        done(many(v, v.ownerClubs).add(v.owner(1), List.of(v.club(1), v.club(2))));
        done(many(v, v.ownerClubs).add(v.owner(2), v.club(2)));
        recording.reset();
    }

    // ---- reads ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void findByPkTakesTheKeyPartsOrAListOfThemAndTellsTheOwnersApart(Variant v) {
        seed(v);
        List<Object> k2 = v.key(2);
        expectNames(v.db.findByPk(v.owners, k2.get(0), k2.get(1)), "o2");
        expectNames(v.db.findByPk(v.owners, v.looseKey(1)), "o1");
        expectNames(v.db.findByPk(v.owners, v.key(3).get(0), v.key(2).get(1)), "");
        expectNames(v.db.findByPk(Query.from(v.owners).include(v.ownerToys), v.key(1)), "o1");
        assertThat(recording.executed()).extracting(RecordingConnectionFactory.Executed::sql).first().asString()
                .contains("WHERE (\"t0\".\"code\" = $1 AND \"t0\".\"region\" = $2) LIMIT $3");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void findByPkRejectsAKeyOfTheWrongShapeBeforeAnySql(Variant v) {
        recording.reset();
        assertThatThrownBy(() -> v.db.findByPk(v.owners, v.key(1).get(0)))
                .isInstanceOf(QueryDefinitionException.class).hasMessageContaining("composite primary key [code, region]");
        assertThatThrownBy(() -> v.db.findByPk(v.owners, v.key(1).get(0), v.key(1).get(1), 3))
                .isInstanceOf(QueryDefinitionException.class).hasMessageContaining("its 2 parts");
        assertThatThrownBy(() -> v.db.findByPk(v.owners, Boolean.FALSE, v.key(1).get(1)))
                .isInstanceOf(QueryDefinitionException.class).hasMessageContaining("(code)");
        assertThatThrownBy(() -> v.db.findByPk(v.owners, v.key(1).get(0), Boolean.TRUE))
                .isInstanceOf(QueryDefinitionException.class).hasMessageContaining("(region)");
        assertThat(recording.executed()).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("variantsAndStrategies")
    void includesOfEveryKindJoinOnEveryKeyPart(Variant v, Include.Strategy strategy) {
        seed(v);
        Query<Object> q = Query.from(v.owners).include(v.ownerPet, i -> i.strategy(strategy))
                .include(v.ownerToys, i -> i.strategy(strategy).orderBy(Order.asc("name")))
                .include(v.ownerClubs, i -> i.strategy(strategy).orderBy(Order.asc("name")))
                .orderBy(Order.asc("name"));
        Flux.from(v.db.findAll(q)).map(CompositeKeysIT::owner).collectList().as(StepVerifier::create)
                .expectNext(List.of("o1[p1|t1,t2|c1,c2]", "o2[p2|t3|c2]", "o3[-||]")).expectComplete().verify(TIMEOUT);
        // JOIN: one statement; SEPARATE: the owners (a cursor, as a query with follow-ups is read) and one
        // follow-up per include, each keyed by both parts of the owners' keys
        List<String> sql = recording.executed().stream().map(RecordingConnectionFactory.Executed::sql)
                .filter(t -> !t.startsWith("FETCH") && !t.startsWith("CLOSE")).toList();
        assertThat(sql).hasSize(strategy == Include.Strategy.JOIN ? 1 : 4);
        assertThat(sql.stream().filter(t -> t.contains("IN (SELECT * FROM unnest($1, $2")))
                .hasSize(strategy == Include.Strategy.JOIN ? 0 : 3);
        recording.reset();
        expectNames(Flux.from(v.db.findAll(Query.from(v.pets).include(v.petOwner, i -> i.strategy(strategy))
                .orderBy(Order.asc("name")))).map(p -> name(p) + ":" + name(prop(p, "owner"))), "p1:o1,p2:o2");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("variantsAndStrategies")
    void nestedIncludesThroughTheJunctionAtDepthTwo(Variant v, Include.Strategy strategy) {
        seed(v);
        Query<Object> q = Query.from(v.clubs).include(v.clubOwners, i -> i.strategy(strategy).orderBy(Order.asc("name"))
                .include(v.ownerToys, j -> j.strategy(strategy).orderBy(Order.asc("name")))).orderBy(Order.asc("name"));
        expectNames(Flux.from(v.db.findAll(q)).map(c -> name(c) + "[" + ((List<?>) prop(c, "owners")).stream()
                .map(o -> name(o) + "(" + names(prop(o, "toys")) + ")").collect(Collectors.joining(",")) + "]"),
                "c1[o1(t1,t2)],c2[o1(t1,t2),o2(t3)],c3[]");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void lazyLoadsOfSeveralSourcesAreOneStatementKeyedByEveryPart(Variant v) {
        seed(v);
        expectNames(many(v, v.ownerToys).get(v.owner(1)), "t1,t2");
        recording.reset();
        Mono<Map<Object, List<Object>>> toys = many(v, v.ownerToys).get(List.of(v.owner(1), v.owner(2), v.owner(3)));
        toys.map(m -> m.values().stream().map(CompositeKeysIT::names).toList()).as(StepVerifier::create)
                .expectNext(List.of("t1,t2", "t3", "")).expectComplete().verify(TIMEOUT);
        assertThat(recording.executed()).hasSize(1);
        RecordingConnectionFactory.Executed load = recording.executed().get(0);
        // one array per key part, three keys each (a BYTEA part is bound as the text of a bytea[] and cast)
        assertThat(load.sql()).contains("IN (SELECT * FROM unnest($1, $2");
        assertThat(load.array(0)).hasSize(3);
        assertThat(load.binds()).hasSize(2);
        recording.reset();
        Mono<Map<Object, List<Object>>> clubs = many(v, v.ownerClubs).get(List.of(v.owner(1), v.owner(2), v.owner(3)),
                q -> q.orderBy(Order.asc("name")));
        clubs.map(m -> m.values().stream().map(CompositeKeysIT::names).toList()).as(StepVerifier::create)
                .expectNext(List.of("c1,c2", "c2", "")).expectComplete().verify(TIMEOUT);
        expectStatements(1);
        expectNames(one(v, v.ownerPet).get(v.owner(2)), "p2");
        expectNames(one(v, v.petOwner).get(v.pet(1, 1)), "o1");
        expectNames(many(v, v.clubOwners).get(v.club(2), q -> q.orderBy(Order.asc("name"))), "o1,o2");
        expect(many(v, v.ownerClubs).count(v.owner(1)), 2L);
        expect(many(v, v.ownerClubs).has(v.owner(2), v.club(2)), true);
        expect(many(v, v.ownerClubs).has(v.owner(2), List.of(v.club(1), v.club(2))), false);
        expect(many(v, v.ownerClubs).has(v.owner(1), List.of(v.looseKey(1), v.club(2))), true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void aLazyLoadWindowAppliesPerCompositeSource(Variant v) {
        seed(v);
        Mono<Map<Object, List<Object>>> toys = many(v, v.ownerToys).get(List.of(v.owner(1), v.owner(2)),
                q -> q.orderBy(Order.desc("name")).limit(1));
        toys.map(m -> m.values().stream().map(CompositeKeysIT::names).toList()).as(StepVerifier::create)
                .expectNext(List.of("t2", "t3")).expectComplete().verify(TIMEOUT);
    }

    // ---- writes ----

    @ParameterizedTest(name = "{0} in transaction: {1}")
    @MethodSource("variantsInAndOutOfTransactions")
    void junctionWritesAddRemoveSetAndCreateByCompositeKeys(Variant v, boolean inTransaction) {
        seed(v);
        ToManyOperations<Object, Object> clubs = many(v, v.ownerClubs);
        Object o3 = v.owner(3);
        Mono<Void> writes = clubs.add(o3, List.of(v.club(1), v.key(3)))
                .then(clubs.add(o3, List.of(v.looseKey(3))))
                .then(clubs.remove(o3, v.club(1)))
                .then(clubs.set(o3, List.of(v.club(2), v.club(3))))
                .then(clubs.remove(o3, List.of(v.club(3))))
                .then(clubs.create(o3, record(v.types[3], v.first.apply(9), v.second.apply(9), "c9", null)).then());
        done(inTransaction ? v.db.transaction(tx -> writes) : writes);
        expectNames(clubs.get(o3, q -> q.orderBy(Order.asc("name"))), "c2,c9");
        expect(clubs.count(o3), 2L);
        expectNames(clubs.get(v.owner(1), q -> q.orderBy(Order.asc("name"))), "c1,c2");
        done(clubs.set(o3, List.of()));
        expect(clubs.count(o3), 0L);
        expect(clubs.count(v.owner(2)), 1L);
    }

    @ParameterizedTest(name = "{0} in transaction: {1}")
    @MethodSource("variantsInAndOutOfTransactions")
    void foreignKeyWritesSetEveryPart(Variant v, boolean inTransaction) {
        seed(v);
        ToManyOperations<Object, Object> toys = many(v, v.ownerToys);
        ToOneOperations<Object, Object> pet = one(v, v.ownerPet);
        ToOneOperations<Object, Object> owner = one(v, v.petOwner);
        Object o3 = v.owner(3);
        Mono<Void> writes = toys.add(o3, List.of(v.toy(4, 0), 3L))
                .then(toys.remove(o3, 3L))
                .then(toys.create(o3, v.toy(5, 0)).then())
                .then(pet.set(o3, v.pet(1, 1)))
                .then(owner.set(v.pet(2, 2), v.owner(1)))
                .then(pet.create(v.owner(2), v.pet(6, 0)).then());
        done(inTransaction ? v.db.transaction(tx -> writes) : writes);
        expectNames(toys.get(o3, q -> q.orderBy(Order.asc("name"))), "t4,t5");
        expectNames(toys.get(v.owner(2)), "");
        expectNames(pet.get(o3), "p1");
        expectNames(pet.get(v.owner(1)), "p2");
        expectNames(pet.get(v.owner(2)), "p6");
        done(toys.set(o3, List.of()));
        expectNames(toys.get(o3), "");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void updateAndDestroyByTheKeyParts(Variant v) {
        seed(v);
        List<Object> k1 = v.key(1);
        Where byKey = Where.and(Where.eq("code", k1.get(0)), Where.eq("region", k1.get(1)));
        expect(v.db.update(Query.from(v.owners).where(byKey), Map.of("name", "o1b")), 1L);
        expectNames(v.db.findByPk(v.owners, k1), "o1b");
        expect(v.db.destroy(Query.from(v.owners).where(byKey)), 1L);
        expectNames(v.db.findByPk(v.owners, k1), "");
        // ON DELETE SET NULL of the composite foreign key cleared both parts of o1's toys, CASCADE its links
        expect(Flux.from(v.db.findAll(Query.from(v.toys).where(Where.isNull("ownerCode")))).count(), 3L);
        expect(Flux.from(v.db.findAll(Query.from(v.toys).where(Where.isNull("ownerRegion")))).count(), 3L);
        expect(many(v, v.clubOwners).count(v.club(2)), 1L);
    }

    // ---- a single primary key that is not id ----

    record Country(String iso, String name, List<City> cities) {}
    record City(Long id, String name, String countryIso, Country country) {}

    static Model<Country> countriesModel;
    static HasMany<Country, City> countryCities;
    static BelongsTo<City, Country> cityCountry;
    static Database countries;

    static Database defineCountries() {
        SchemaBuilder s = Schema.builder().timestamps(false);
        countriesModel = s.define(Country.class, m -> m.primaryKey("iso").table("key_countries"));
        Model<City> cities = s.define(City.class, m -> m.table("key_cities"));
        countryCities = countriesModel.hasMany(cities);
        cityCountry = cities.belongsTo(countriesModel);
        Database d = Database.create(recording, s.build());
        d.sync().as(StepVerifier::create).expectComplete().verify(TIMEOUT);
        created(d.bulkCreate(countriesModel, List.of(new Country("fr", "France", null), new Country("jp", "Japan", null))), 2);
        created(d.bulkCreate(cities, List.of(new City(null, "Paris", "fr", null), new City(null, "Lyon", "fr", null),
                new City(null, "Kyoto", "jp", null))), 3);
        return d;
    }

    @Nested
    class ASinglePrimaryKeyThatIsNotId {
        @Test
        void foreignKeysAreNamedAfterItAndEveryReadFollowsIt() {
            assertThat(countryCities.foreignKey().name()).isEqualTo("countryIso");
            expectNames(countries.findByPk(countriesModel, "jp"), "Japan");
            for (Include.Strategy strategy : Include.Strategy.values()) {
                expectNames(Flux.from(countries.findAll(Query.from(countriesModel)
                        .include(countryCities, i -> i.strategy(strategy).orderBy(Order.asc("name")))
                        .orderBy(Order.asc("name")))).map(c -> name(c) + "(" + names(prop(c, "cities")) + ")"),
                        "France(Lyon,Paris),Japan(Kyoto)");
            }
            expectNames(countries.association(countryCities).get(new Country("fr", "France", null),
                    q -> q.orderBy(Order.asc("name"))), "Lyon,Paris");
            expectNames(countries.association(cityCountry).get(new City(3L, "Kyoto", "jp", null)), "Japan");
        }
    }

    // ---- an explicit junction model between a composite key and a single one ----

    record Team(Integer season, String league, String name, List<Player> players) {}
    record Player(Long id, String name, Contract contract, List<Team> teams) {}
    record Contract(Integer teamSeason, String teamLeague, Long playerId, String role) {}

    @Nested
    class AnExplicitJunctionModel {
        @Test
        void itsCompositeConflictTargetKeepsOneLinkPerPairAndUpdatesItsValues() {
            SchemaBuilder s = Schema.builder().timestamps(false);
            Model<Team> teams = s.define(Team.class, m -> m.primaryKey("season", "league").table("key_teams"));
            Model<Player> players = s.define(Player.class, m -> m.table("key_players"));
            Model<Contract> contracts = s.define(Contract.class, m -> m.table("key_contracts"));
            BelongsToMany<Team, Player> roster = teams.belongsToMany(players, o -> o.through(contracts));
            BelongsToMany<Player, Team> career = players.belongsToMany(teams, o -> o.through(contracts));
            Database d = Database.create(recording, s.build());
            done(d.sync());
            assertThat(roster.foreignKeys()).extracting(a -> a.name()).containsExactly("teamSeason", "teamLeague");
            assertThat(contracts.primaryKeys()).extracting(a -> a.name())
                    .containsExactly("teamSeason", "teamLeague", "playerId");
            Team t1 = new Team(2024, "east", "t1", null);
            Team t2 = new Team(2024, "west", "t2", null);
            created(d.bulkCreate(teams, List.of(t1, t2)), 2);
            created(d.bulkCreate(players, List.of(new Player(1L, "ann", null, null), new Player(2L, "bob", null, null))), 2);
            ToManyOperations<Team, Player> ops = d.association(roster);
            done(ops.add(t1, List.of(1L, 2L), Map.of("role", "forward")));
            done(ops.add(t1, List.of(1L), Map.of("role", "captain")));
            done(ops.add(t2, List.of(2L), Map.of("role", "keeper")));
            expectNames(Flux.from(ops.get(t1, q -> q.orderBy(Order.asc("name"))))
                    .map(p -> p.name() + ":" + p.contract().role()), "ann:captain,bob:forward");
            assertThat(Sql.single(pool.connectionFactory(), "SELECT count(*) FROM key_contracts", Long.class)).isEqualTo(3L);
            for (Include.Strategy strategy : Include.Strategy.values()) {
                expectNames(Flux.from(d.findAll(Query.from(players).include(career, i -> i.strategy(strategy)
                        .orderBy(Order.asc("name"))).orderBy(Order.asc("name"))))
                        .map(p -> p.name() + "(" + names(p.teams()) + ")"), "ann(t1),bob(t1,t2)");
            }
            expect(ops.has(t2, List.of(2L)), true);
            done(d.association(career).set(new Player(2L, "bob", null, null), List.of(List.of(2024, "west"))));
            expectNames(d.association(career).get(new Player(2L, "bob", null, null)), "t2");
        }
    }

    // ---- helpers ----

    static ToManyOperations<Object, Object> many(Variant v, HasMany<Object, Object> a) {
        return v.db.association(a);
    }

    static ToManyOperations<Object, Object> many(Variant v, BelongsToMany<Object, Object> a) {
        return v.db.association(a);
    }

    static ToOneOperations<Object, Object> one(Variant v, HasOne<Object, Object> a) {
        return v.db.association(a);
    }

    static ToOneOperations<Object, Object> one(Variant v, BelongsTo<Object, Object> a) {
        return v.db.association(a);
    }

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
        return entity == null ? "-" : entity instanceof String str ? str : (String) prop(entity, "name");
    }

    static String names(Object list) {
        return list == null ? "-" : ((List<?>) list).stream().map(CompositeKeysIT::name).collect(Collectors.joining(","));
    }

    static String owner(Object o) {
        return name(o) + "[" + name(prop(o, "pet")) + "|" + names(prop(o, "toys")) + "|" + names(prop(o, "clubs")) + "]";
    }

    static void created(Publisher<?> p, int n) {
        Flux.from(p).as(StepVerifier::create).expectNextCount(n).expectComplete().verify(TIMEOUT);
    }

    static void done(Publisher<?> p) {
        Flux.from(p).then().as(StepVerifier::create).expectComplete().verify(TIMEOUT);
    }

    static void expectNames(Publisher<?> p, String expected) {
        Flux.from(p).map(CompositeKeysIT::name).collect(Collectors.joining(","))
                .as(StepVerifier::create).expectNext(expected).expectComplete().verify(TIMEOUT);
    }

    static <T> void expect(Publisher<T> p, T expected) {
        Flux.from(p).as(StepVerifier::create).expectNext(expected).expectComplete().verify(TIMEOUT);
    }

    static void expectStatements(int n) {
        assertThat(recording.executed()).as("statements: %s", recording.executed()).hasSize(n);
        recording.reset();
    }
}
