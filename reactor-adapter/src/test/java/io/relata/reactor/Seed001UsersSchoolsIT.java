package io.relata.reactor;

import static io.relata.reactor.SeedSupport.aliases;
import static io.relata.reactor.SeedSupport.assertSyncAgainChangesNothing;
import static io.relata.reactor.SeedSupport.columns;
import static io.relata.reactor.SeedSupport.foreignKeys;
import static io.relata.reactor.SeedSupport.invert;
import static io.relata.reactor.SeedSupport.keyNames;
import static io.relata.reactor.SeedSupport.keys;
import static io.relata.reactor.SeedSupport.lazyLinks;
import static io.relata.reactor.SeedSupport.links;
import static io.relata.reactor.SeedSupport.list;
import static io.relata.reactor.SeedSupport.nonEmpty;
import static io.relata.reactor.SeedSupport.one;
import static io.relata.reactor.SeedSupport.primaryKey;
import static io.relata.reactor.SeedSupport.run;
import static io.relata.reactor.SeedSupport.tables;
import static io.relata.reactor.SeedSupport.uniqueKeys;
import static org.assertj.core.api.Assertions.assertThat;

import io.relata.BelongsToMany;
import io.relata.DataType;
import io.relata.DefaultValue;
import io.relata.Model;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.query.Include;
import io.relata.query.Order;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.reactor.SeedSupport.Fk;
import io.relata.reactor.testing.Pools;
import io.relata.reactor.testing.Sql;
import io.relata.reactor.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Seed 001 (and the same section of seed 000), "Many To Many Relation": {@code users} and {@code schools}
 * through the {@code user_schools} model, which has its own UUID key, with only {@code foreignKey} on each
 * side ({@code userUserId}, {@code schoolSchoolId}) and the aliases {@code userSchools}/{@code schoolUsers}.
 * Sequelize pairs the two belongsToMany through one junction: each side's otherKey is the other side's
 * foreignKey, so {@code user_schools} has exactly one pair of key columns and a unique key over it (the
 * junction has a primary key of its own, so the pair is not the primary key), both referencing with
 * {@code ON DELETE CASCADE ON UPDATE CASCADE}.
 */
@ExtendWith(TestDatabase.class)
class Seed001UsersSchoolsIT {

    /** {@code db.define('users', {...}, {tableName: 'users', timestamps: true, freezeTableName: true})}. */
    record User(UUID userId, String firstName, String lastName, String email, String userName,
            List<School> userSchools, UserSchool user_schools) {
    }

    /**
     * The tutorial requires {@code ./SchoolModel} but does not show it; {@code foreignKey: "schoolSchoolId"}
     * is what Sequelize would infer for a model {@code schools} keyed {@code schoolId}, so it is that, with a
     * name (the minimal model the association needs).
     */
    record School(UUID schoolId, String name, List<User> schoolUsers, UserSchool user_schools) {
    }

    /**
     * {@code db.define('user_schools', {userSchoolId: {UUID, primaryKey, defaultValue: UUIDV4}})}; the two
     * keys are the attributes belongsToMany adds (declared so a loaded junction row shows them).
     */
    record UserSchool(UUID userSchoolId, UUID userUserId, UUID schoolSchoolId) {
    }

    static Database owner;
    static Database db;
    static TestDatabase.Handle handle;
    static Model<User> users;
    static Model<School> schools;
    static Model<UserSchool> userSchoolModel;
    static BelongsToMany<User, School> userSchools;
    static BelongsToMany<School, User> schoolUsers;

    /** The tutorial's UserModel (many-to-many post: no phone/photo). */
    static Model<User> defineUsers(SchemaBuilder s) {
        return s.define(User.class, m -> {
            m.name("users").table("users").timestamps(true);
            m.attribute("userId", DataType.uuid()).field("userId").primaryKey().defaultValue(DefaultValue.uuidV4());
            // require: true is not a Sequelize option (ignored by define): the column stays nullable
            m.attribute("firstName", DataType.string(100)).field("firstName");
            m.attribute("lastName", DataType.string(100)).field("lastName");
            // defaultValue: null is a nullable column's default anyway; validate: {isEmail} is not DDL
            m.attribute("email", DataType.string(255)).field("email").allowNull(true);
            m.attribute("userName", DataType.string(255)).field("userName").allowNull(true);
        });
    }

    static Model<School> defineSchools(SchemaBuilder s) {
        return s.define(School.class, m -> {
            m.name("schools").table("schools").timestamps(true);
            m.attribute("schoolId", DataType.uuid()).field("schoolId").primaryKey().defaultValue(DefaultValue.uuidV4());
            m.attribute("name", DataType.string(100)).field("name");
        });
    }

    static Model<UserSchool> defineUserSchools(SchemaBuilder s) {
        return s.define(UserSchool.class, m -> {
            m.name("user_schools").table("user_schools").timestamps(true);
            m.attribute("userSchoolId", DataType.uuid()).field("userSchoolId").primaryKey()
                    .defaultValue(DefaultValue.uuidV4());
        });
    }

    @BeforeAll
    static void schema(TestDatabase.Handle h) {
        handle = h;
        SchemaBuilder s = Schema.builder();
        users = defineUsers(s);
        schools = defineSchools(s);
        userSchoolModel = defineUserSchools(s);
        // UserSchoolModel.associate
        userSchools = users.belongsToMany(schools, o -> o.through(userSchoolModel).foreignKey("userUserId")
                .as("userSchools"));
        schoolUsers = schools.belongsToMany(users, o -> o.through(userSchoolModel).foreignKey("schoolSchoolId")
                .as("schoolUsers"));
        owner = Database.connect(h.url(), s.build());
        db = owner;
        run(db.sync());
    }

    @AfterAll
    static void close() {
        owner.close().block(SeedSupport.TIMEOUT);
    }

    @AfterEach
    void noConnectionLeaked() {
        Pools.awaitNoAcquired(owner.connectionFactory());
    }

    // ---- definitions and DDL ----

    @Test
    void eachSidesOtherKeyIsTheOtherSidesForeignKey() {
        assertThat(aliases(users)).containsExactly("userSchools");
        assertThat(aliases(schools)).containsExactly("schoolUsers");
        assertThat(keyNames(userSchools)).isEqualTo("userUserId/schoolSchoolId");
        assertThat(keyNames(schoolUsers)).isEqualTo("schoolSchoolId/userUserId");
        assertThat(userSchools.singular()).isEqualTo("userSchool");
        assertThat(schoolUsers.singular()).isEqualTo("schoolUser");
    }

    @Test
    void syncCreatesTheTutorialsTablesWithOnePairOfJunctionKeys() {
        var cf = handle.connectionFactory();
        assertThat(tables(cf)).containsExactlyInAnyOrder("users", "schools", "user_schools");
        assertThat(columns(cf, "users")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "userId", "uuid NOT NULL",
                "firstName", "character varying(100) NULL",
                "lastName", "character varying(100) NULL",
                "email", "character varying(255) NULL",
                "userName", "character varying(255) NULL",
                "createdAt", "timestamp with time zone NOT NULL",
                "updatedAt", "timestamp with time zone NOT NULL"));
        assertThat(primaryKey(cf, "users")).containsExactly("userId");
        assertThat(foreignKeys(cf, "users")).isEmpty();
        assertThat(columns(cf, "schools")).containsOnlyKeys("schoolId", "name", "createdAt", "updatedAt");
        assertThat(foreignKeys(cf, "schools")).isEmpty();

        assertThat(columns(cf, "user_schools")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "userSchoolId", "uuid NOT NULL",
                "createdAt", "timestamp with time zone NOT NULL",
                "updatedAt", "timestamp with time zone NOT NULL",
                "userUserId", "uuid NULL",
                "schoolSchoolId", "uuid NULL"));
        assertThat(primaryKey(cf, "user_schools")).containsExactly("userSchoolId");
        assertThat(foreignKeys(cf, "user_schools")).containsExactlyInAnyOrder(
                new Fk("userUserId", "users", "userId", "CASCADE", "CASCADE"),
                new Fk("schoolSchoolId", "schools", "schoolId", "CASCADE", "CASCADE"));
        assertThat(uniqueKeys(cf, "user_schools")).containsExactly(Set.of("userUserId", "schoolSchoolId"));
    }

    @Test
    void syncAgainChangesNothing() {
        User u = one(db.create(users, user("Sync")));
        run(db.association(userSchools).create(u, school("Sync school")));
        assertSyncAgainChangesNothing(db, handle.connectionFactory());
    }

    // ---- working from both sides ----

    static User user(String firstName) {
        return new User(null, firstName, "Teacher", firstName.toLowerCase() + "@school.example", null, null, null);
    }

    static School school(String name) {
        return new School(null, name, null, null);
    }

    record Fixture(List<User> users, List<School> schools) {
    }

    static Fixture fixture(String tag, int userCount, int schoolCount) {
        List<User> us = new java.util.ArrayList<>();
        for (int i = 0; i < userCount; i++) {
            us.add(one(db.create(users, user(tag + "u" + i))));
        }
        List<School> ss = new java.util.ArrayList<>();
        for (int i = 0; i < schoolCount; i++) {
            ss.add(one(db.create(schools, school(tag + "s" + i))));
        }
        return new Fixture(us, ss);
    }

    static Set<UUID> schoolIds(School... ss) {
        return keys(List.of(ss), School::schoolId);
    }

    static Set<UUID> userIds(User... us) {
        return keys(List.of(us), User::userId);
    }

    static Set<UUID> lazySchools(User u) {
        return keys(list(db.association(userSchools).get(u)), School::schoolId);
    }

    static Set<UUID> lazyUsers(School s) {
        return keys(list(db.association(schoolUsers).get(s)), User::userId);
    }

    @Test
    void createRowsGetAUuidFromTheKeysDefault() {
        User u = one(db.create(users, user("Ada")));
        School s = one(db.create(schools, school("Gauss Gymnasium")));
        assertThat(u.userId()).isNotNull();
        assertThat(s.schoolId()).isNotNull();
        assertThat(one(db.findByPk(users, u.userId()))).isEqualTo(u);
    }

    @Test
    void linksAddedOnEitherSideAreSeenFromTheOther() {
        Fixture f = fixture("add", 2, 3);
        User u0 = f.users().get(0);
        User u1 = f.users().get(1);
        School s0 = f.schools().get(0);
        School s1 = f.schools().get(1);
        School s2 = f.schools().get(2);

        run(db.association(userSchools).add(u0, List.of(s0, s1)));   // u0.addUserSchools([s0, s1])
        run(db.association(schoolUsers).add(s2, List.of(u0, u1)));   // s2.addSchoolUsers([u0, u1])
        run(db.association(schoolUsers).add(s0, u0));                // already linked: no second row

        assertThat(lazySchools(u0)).isEqualTo(schoolIds(s0, s1, s2));
        assertThat(lazySchools(u1)).isEqualTo(schoolIds(s2));
        assertThat(lazyUsers(s0)).isEqualTo(userIds(u0));
        assertThat(lazyUsers(s1)).isEqualTo(userIds(u0));
        assertThat(lazyUsers(s2)).isEqualTo(userIds(u0, u1));
        SeedSupport.expectValue(db.association(userSchools).count(u0), 3L);
        SeedSupport.expectValue(db.association(schoolUsers).count(s2), 2L);
        SeedSupport.expectValue(db.association(userSchools).has(u1, s2), true);
        SeedSupport.expectValue(db.association(userSchools).has(u1, s0), false);
        SeedSupport.expectValue(db.association(schoolUsers).has(s2, List.of(u0, u1)), true);
        SeedSupport.expectValue(db.association(schoolUsers).has(s1, List.of(u0, u1)), false);

        // exactly one junction row per link, in the one pair of columns, each with its own generated key
        List<Map<String, Object>> rows = Sql.rows(handle.connectionFactory(),
                "SELECT * FROM user_schools WHERE \"userUserId\" = ANY($1) ORDER BY \"createdAt\"",
                (Object) new UUID[] {u0.userId(), u1.userId()});
        assertThat(rows).hasSize(4).allSatisfy(r -> assertThat(r).containsOnlyKeys("userSchoolId", "createdAt",
                "updatedAt", "userUserId", "schoolSchoolId"));
        assertThat(rows.stream().map(r -> r.get("userSchoolId")).distinct()).hasSize(4).doesNotContainNull();
        assertThat(rows.stream().map(r -> List.of(r.get("userUserId"), r.get("schoolSchoolId"))))
                .containsExactlyInAnyOrder(List.of(u0.userId(), s0.schoolId()), List.of(u0.userId(), s1.schoolId()),
                        List.of(u0.userId(), s2.schoolId()), List.of(u1.userId(), s2.schoolId()));
    }

    @Test
    void removeAndSetOnEitherSideChangeWhatTheOtherSees() {
        Fixture f = fixture("set", 3, 3);
        User u0 = f.users().get(0);
        User u1 = f.users().get(1);
        User u2 = f.users().get(2);
        School s0 = f.schools().get(0);
        School s1 = f.schools().get(1);
        School s2 = f.schools().get(2);
        run(db.association(userSchools).set(u0, List.of(s0, s1, s2)));
        run(db.association(userSchools).set(u1, List.of(s0, s2)));
        run(db.association(schoolUsers).set(s1, List.of(u0, u2)));

        run(db.association(schoolUsers).remove(s2, u0));               // s2.removeSchoolUser(u0)
        assertThat(lazySchools(u0)).isEqualTo(schoolIds(s0, s1));
        run(db.association(userSchools).remove(u1, List.of(s0)));      // u1.removeUserSchools([s0])
        assertThat(lazyUsers(s0)).isEqualTo(userIds(u0));
        run(db.association(userSchools).set(u2, List.of(s0)));          // u2.setUserSchools([s0])
        assertThat(lazyUsers(s1)).isEqualTo(userIds(u0));
        assertThat(lazyUsers(s0)).isEqualTo(userIds(u0, u2));
        run(db.association(schoolUsers).set(s2, List.of()));            // s2.setSchoolUsers([])
        assertThat(lazySchools(u1)).isEmpty();
        assertThat(lazySchools(u0)).isEqualTo(schoolIds(s0, s1));
        assertThat(lazySchools(u2)).isEqualTo(schoolIds(s0));
        assertThat(Sql.single(handle.connectionFactory(),
                "SELECT count(*) FROM user_schools WHERE \"schoolSchoolId\" = ANY($1)", Long.class,
                (Object) new UUID[] {s0.schoolId(), s1.schoolId(), s2.schoolId()})).isEqualTo(3L);
    }

    @Test
    void createOnEitherSideInsertsTheTargetAndOneJunctionRow() {
        Fixture f = fixture("create", 1, 1);
        User u = f.users().get(0);
        School s = f.schools().get(0);

        School created = one(db.association(userSchools).create(u, school("Created from the user")));
        User createdUser = one(db.association(schoolUsers).create(s, user("Createdfromschool")));

        assertThat(created.schoolId()).isNotNull();
        assertThat(createdUser.userId()).isNotNull();
        assertThat(lazyUsers(created)).isEqualTo(userIds(u));
        assertThat(lazySchools(createdUser)).isEqualTo(schoolIds(s));
        assertThat(Sql.rows(handle.connectionFactory(), "SELECT \"userSchoolId\" FROM user_schools"
                        + " WHERE \"userUserId\" = ANY($1)", (Object) new UUID[] {u.userId(), createdUser.userId()}))
                .hasSize(2).allSatisfy(r -> assertThat(r.get("userSchoolId")).isNotNull());
    }

    @ParameterizedTest
    @EnumSource(Include.Strategy.class)
    void includesFromBothSidesMatchTheLazyLoads(Include.Strategy strategy) {
        Fixture f = fixture("include" + strategy, 3, 3);
        List<User> us = f.users();
        List<School> ss = f.schools();
        run(db.association(userSchools).add(us.get(0), List.of(ss.get(0), ss.get(1))));
        run(db.association(schoolUsers).add(ss.get(1), List.of(us.get(1))));
        // us[2] and ss[2] have no link

        Where mine = Where.in("userId", us.stream().map(User::userId).toList());
        List<User> withSchools = list(db.findAll(Query.from(users).where(mine)
                .include(userSchools, i -> i.strategy(strategy)).orderBy(Order.asc("firstName"))));
        Where theirs = Where.in("schoolId", ss.stream().map(School::schoolId).toList());
        List<School> withUsers = list(db.findAll(Query.from(schools).where(theirs)
                .include(schoolUsers, i -> i.strategy(strategy))));
        Map<UUID, Set<UUID>> fromUsers = links(withSchools, User::userId, User::userSchools, School::schoolId);
        Map<UUID, Set<UUID>> fromSchools = links(withUsers, School::schoolId, School::schoolUsers, User::userId);

        assertThat(fromUsers).isEqualTo(Map.of(
                us.get(0).userId(), schoolIds(ss.get(0), ss.get(1)),
                us.get(1).userId(), schoolIds(ss.get(1)),
                us.get(2).userId(), Set.of()));
        assertThat(fromSchools).isEqualTo(Map.of(
                ss.get(0).schoolId(), userIds(us.get(0)),
                ss.get(1).schoolId(), userIds(us.get(0), us.get(1)),
                ss.get(2).schoolId(), Set.of()));
        assertThat(nonEmpty(fromSchools)).isEqualTo(invert(fromUsers));
        assertThat(lazyLinks(us, User::userId, db.association(userSchools)::get, School::schoolId)).isEqualTo(fromUsers);
        assertThat(lazyLinks(ss, School::schoolId, db.association(schoolUsers)::get, User::userId)).isEqualTo(fromSchools);
    }

    @Test
    void throughAttributesAreTheJunctionRowAndCanBeExcluded() {
        Fixture f = fixture("through", 1, 2);
        User u = f.users().get(0);
        run(db.association(userSchools).add(u, f.schools()));

        User loaded = one(db.findByPk(Query.from(users).include(userSchools), u.userId()));
        assertThat(loaded.userSchools()).hasSize(2).allSatisfy(s -> {
            assertThat(s.user_schools()).isNotNull();
            assertThat(s.user_schools().userSchoolId()).isNotNull();
            assertThat(s.user_schools().userUserId()).isEqualTo(u.userId());
            assertThat(s.user_schools().schoolSchoolId()).isEqualTo(s.schoolId());
        });
        // include: [{model: SchoolModel, as: 'userSchools', through: {attributes: []}}]
        User bare = one(db.findByPk(Query.from(users).include(userSchools, i -> i.throughAttributes()), u.userId()));
        assertThat(bare.userSchools()).hasSize(2).allSatisfy(s -> assertThat(s.user_schools()).isNull());
        assertThat(keys(bare.userSchools(), School::schoolId)).isEqualTo(keys(f.schools(), School::schoolId));
    }

    @ParameterizedTest
    @EnumSource(Include.Strategy.class)
    void nestedIncludeGoesToTheSchoolsAndBackToTheirUsers(Include.Strategy strategy) {
        Fixture f = fixture("nested" + strategy, 2, 2);
        User u0 = f.users().get(0);
        User u1 = f.users().get(1);
        School s0 = f.schools().get(0);
        School s1 = f.schools().get(1);
        run(db.association(userSchools).add(u0, List.of(s0, s1)));
        run(db.association(userSchools).add(u1, List.of(s1)));

        User loaded = one(db.findByPk(Query.from(users).include(userSchools, i -> i.strategy(strategy)
                .include(schoolUsers, j -> j.strategy(strategy))), u0.userId()));
        assertThat(links(loaded.userSchools(), School::schoolId, School::schoolUsers, User::userId)).isEqualTo(Map.of(
                s0.schoolId(), userIds(u0),
                s1.schoolId(), userIds(u0, u1)));
        // and from the schools' side, two levels down to the schools of their users
        School back = one(db.findByPk(Query.from(schools).include(schoolUsers, i -> i.strategy(strategy)
                .include(userSchools, j -> j.strategy(strategy))), s1.schoolId()));
        assertThat(links(back.schoolUsers(), User::userId, User::userSchools, School::schoolId)).isEqualTo(Map.of(
                u0.userId(), schoolIds(s0, s1),
                u1.userId(), schoolIds(s1)));
    }

    @Test
    void deletingAUserCascadesToItsJunctionRowsOnly() {
        Fixture f = fixture("cascade", 2, 1);
        User u0 = f.users().get(0);
        User u1 = f.users().get(1);
        School s = f.schools().get(0);
        run(db.association(schoolUsers).add(s, f.users()));

        SeedSupport.expectValue(db.destroy(Query.from(users).where(Where.eq("userId", u0.userId()))), 1L);

        assertThat(lazyUsers(s)).isEqualTo(userIds(u1));
        assertThat(Sql.single(handle.connectionFactory(), "SELECT count(*) FROM user_schools WHERE \"schoolSchoolId\" = $1",
                Long.class, s.schoolId())).isEqualTo(1L);
    }
}
