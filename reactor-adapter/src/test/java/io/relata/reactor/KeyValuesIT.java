package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.relata.reactor.testing.Sql;
import io.relata.reactor.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * Keys are values, not Java types: the three key defects of issue 9, each replayed as a new user
 * writes it. INTEGER and SMALLINT keys (Sequelize's default is INTEGER) load lazily; a SEPARATE
 * include matches a Long foreign key property against an Integer key; BYTEA keys reach the junction
 * as their bytes. The full matrix over every key type and operation is {@link KeyTypesIT}.
 */
@ExtendWith(TestDatabase.class)
class KeyValuesIT {
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    // ---- defect 1: INTEGER / SMALLINT keys ----

    record Owner(Integer id, String name, Pet pet, List<Toy> toys, List<Club> clubs) {
    }

    record Pet(Integer id, String name, Integer ownerId, Owner owner) {
    }

    record Toy(Integer id, String name, Integer ownerId) {
    }

    record Club(Integer id, String name) {
    }

    record SmallOwner(Short id, String name, List<SmallToy> toys) {
    }

    record SmallToy(Short id, String name, Short smallOwnerId) {
    }

    // ---- defect 2: Integer key, Long foreign key property ----

    record Shelf(Integer id, String name, List<Jar> jars) {
    }

    record Jar(Integer id, String name, Long shelfId) {
    }

    // ---- defect 3: BYTEA keys ----

    record Member(byte[] id, String name, List<Guild> guilds) {
    }

    record Guild(byte[] id, String name) {
    }

    static Model<Owner> owners;
    static Model<Pet> pets;
    static Model<Toy> toys;
    static Model<Club> clubs;
    static HasOne<Owner, Pet> ownerPet;
    static BelongsTo<Pet, Owner> petOwner;
    static HasMany<Owner, Toy> ownerToys;
    static BelongsToMany<Owner, Club> ownerClubs;
    static Model<SmallOwner> smallOwners;
    static Model<SmallToy> smallToys;
    static HasMany<SmallOwner, SmallToy> smallOwnerToys;
    static Model<Shelf> shelves;
    static Model<Jar> jars;
    static HasMany<Shelf, Jar> shelfJars;
    static Model<Member> members;
    static Model<Guild> guilds;
    static BelongsToMany<Member, Guild> memberGuilds;

    static TestDatabase.Handle handle;
    static Database db;

    @BeforeAll
    static void schema(TestDatabase.Handle h) {
        handle = h;
        SchemaBuilder s = Schema.builder().timestamps(false);
        owners = s.define(Owner.class);
        pets = s.define(Pet.class);
        toys = s.define(Toy.class);
        clubs = s.define(Club.class);
        ownerPet = owners.hasOne(pets);
        petOwner = pets.belongsTo(owners);
        ownerToys = owners.hasMany(toys);
        ownerClubs = owners.belongsToMany(clubs, o -> o.through("OwnerClubs"));
        smallOwners = s.define(SmallOwner.class);
        smallToys = s.define(SmallToy.class);
        smallOwnerToys = smallOwners.hasMany(smallToys);
        shelves = s.define(Shelf.class);
        jars = s.define(Jar.class);
        shelfJars = shelves.hasMany(jars);
        members = s.define(Member.class);
        guilds = s.define(Guild.class);
        memberGuilds = members.belongsToMany(guilds, o -> o.through("Memberships"));
        db = Database.connect(h.url(), s.build());
        db.sync().as(StepVerifier::create).expectComplete().verify(TIMEOUT);
        Sql.execute(h.connectionFactory(),
                "INSERT INTO \"Owners\" (\"id\", \"name\") VALUES (1, 'ann'), (2, 'bob')",
                "INSERT INTO \"Pets\" (\"id\", \"name\", \"ownerId\") VALUES (1, 'rex', 1)",
                "INSERT INTO \"Toys\" (\"id\", \"name\", \"ownerId\") VALUES (1, 'ball', 1), (2, 'bone', 1), (3, 'rope', 2)",
                "INSERT INTO \"Clubs\" (\"id\", \"name\") VALUES (1, 'chess'), (2, 'go')",
                "INSERT INTO \"OwnerClubs\" (\"OwnerId\", \"ClubId\") VALUES (1, 1), (1, 2)",
                "INSERT INTO \"SmallOwners\" (\"id\", \"name\") VALUES (1, 'cid')",
                "INSERT INTO \"SmallToys\" (\"id\", \"name\", \"smallOwnerId\") VALUES (1, 'kite', 1)",
                "INSERT INTO \"Shelves\" (\"id\", \"name\") VALUES (1, 'top'), (2, 'bottom')",
                "INSERT INTO \"Jars\" (\"id\", \"name\", \"shelfId\") VALUES (1, 'jam', 1), (2, 'honey', 1), (3, 'salt', 1),"
                        + " (4, 'flour', 2)");
    }

    @AfterAll
    static void close() {
        db.close().block(TIMEOUT);
    }

    @AfterEach
    void noConnectionLeaked() {
        Pools.awaitNoAcquired(db.connectionFactory());
    }

    static Owner ann() {
        return new Owner(1, "ann", null, null, null);
    }

    // ---- defect 1 ----

    @Test
    void hasOneGetWithAnIntegerKeyEmitsTheTarget() {
        db.association(ownerPet).get(ann()).map(Pet::name)
                .as(StepVerifier::create).expectNext("rex").expectComplete().verify(TIMEOUT);
    }

    @Test
    void belongsToGetWithAnIntegerKeyEmitsTheTarget() {
        db.association(petOwner).get(new Pet(1, "rex", 1, null)).map(Owner::name)
                .as(StepVerifier::create).expectNext("ann").expectComplete().verify(TIMEOUT);
    }

    @Test
    void hasManyGetWithAnIntegerKeyEmitsTheTargets() {
        db.association(ownerToys).get(ann()).map(Toy::name)
                .as(StepVerifier::create).expectNext("ball", "bone").expectComplete().verify(TIMEOUT);
    }

    @Test
    void belongsToManyGetWithAnIntegerKeyEmitsTheTargets() {
        db.association(ownerClubs).get(ann()).map(Club::name)
                .as(StepVerifier::create).expectNext("chess", "go").expectComplete().verify(TIMEOUT);
    }

    @Test
    void hasManyGetWithASmallintKeyEmitsTheTargets() {
        db.association(smallOwnerToys).get(new SmallOwner((short) 1, "cid", null)).map(SmallToy::name)
                .as(StepVerifier::create).expectNext("kite").expectComplete().verify(TIMEOUT);
    }

    // ---- defect 2 ----

    @Test
    void separateIncludeMatchesALongForeignKeyToAnIntegerKeyLikeJoinDoes() {
        for (Include.Strategy strategy : Include.Strategy.values()) {
            Flux<Map.Entry<String, List<String>>> shelvesWithJars = db.findAll(Query.from(shelves).orderBy(Order.asc("id"))
                            .include(shelfJars, i -> i.strategy(strategy).orderBy(Order.asc("id"))))
                    .map(s -> Map.entry(s.name(), s.jars().stream().map(Jar::name).toList()));
            shelvesWithJars.as(StepVerifier::create)
                    .expectNext(Map.entry("top", List.of("jam", "honey", "salt")), Map.entry("bottom", List.of("flour")))
                    .as(strategy.name())
                    .expectComplete()
                    .verify(TIMEOUT);
        }
    }

    // ---- defect 3 ----

    @Test
    void byteaKeysReachTheJunctionAsTheirBytes() {
        byte[] zeros = new byte[255];
        byte[] ones = new byte[] {1, 1, 1};
        Member member = db.create(members, new Member(zeros, "zed", null)).block(TIMEOUT);
        Guild guild = db.create(guilds, new Guild(ones, "ones")).block(TIMEOUT);
        assertThat(member).isNotNull();
        assertThat(guild).isNotNull();

        db.association(memberGuilds).add(member, guild).as(StepVerifier::create).expectComplete().verify(TIMEOUT);

        List<Map<String, Object>> rows = Sql.rows(handle.connectionFactory(),
                "SELECT octet_length(\"MemberId\") AS m, octet_length(\"GuildId\") AS g FROM \"Memberships\"");
        assertThat(rows).containsExactly(Map.of("m", 255, "g", 3));
        db.association(memberGuilds).get(member).map(Guild::name)
                .as(StepVerifier::create).expectNext("ones").expectComplete().verify(TIMEOUT);
        db.association(memberGuilds).has(new Member(zeros.clone(), "zed", null), ones.clone())
                .as(StepVerifier::create).expectNext(true).expectComplete().verify(TIMEOUT);
    }
}
