package io.relata.sql;

import io.relata.plan.Ddl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.DataType;
import io.relata.Model;
import io.relata.ReferentialAction;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The DDL of every setup in the Sequelize association guide (seed 004). Ids are {@code Integer} so
 * the columns read like the guide's ({@code SERIAL} keys, {@code INTEGER} foreign keys).
 */
class DdlTest {

    static List<String> texts(List<SqlStatement> statements) {
        return statements.stream().map(SqlStatement::sql).toList();
    }

    static String text(SqlStatement statement) {
        return statement.sql();
    }

    static final String TIMESTAMPS = "\"createdAt\" TIMESTAMP WITH TIME ZONE NOT NULL, "
            + "\"updatedAt\" TIMESTAMP WITH TIME ZONE NOT NULL";

    record Foo(Integer id, String name) {}
    record Bar(Integer id, String title) {}
    record Baz(Integer id, String summary) {}

    /** Seed: sequelize.define('foo'), define('bar'); the guide elides other columns, we keep timestamps off. */
    private static SchemaBuilder fooBar() {
        return Schema.builder().timestamps(false);
    }

    private static Model<Foo> foos(SchemaBuilder s) {
        return s.define(Foo.class, m -> m.name("foo"));
    }

    private static Model<Bar> bars(SchemaBuilder s) {
        return s.define(Bar.class, m -> m.name("bar"));
    }

    static final String FOOS = "CREATE TABLE IF NOT EXISTS \"foos\" (\"id\" SERIAL, \"name\" VARCHAR(255), PRIMARY KEY (\"id\"))";

    @Nested
    class OneToOne {

        @Test
        void fooHasOneBarAndBarBelongsToFooPutFooIdOnBars() {
            SchemaBuilder s = fooBar();
            Model<Foo> foo = foos(s);
            Model<Bar> bar = bars(s);
            foo.hasOne(bar);
            bar.belongsTo(foo);

            assertThat(texts(Ddl.createTables(s.build()))).containsExactly(FOOS,
                    "CREATE TABLE IF NOT EXISTS \"bars\" (\"id\" SERIAL, \"title\" VARCHAR(255), "
                            + "\"fooId\" INTEGER REFERENCES \"foos\" (\"id\") ON DELETE SET NULL ON UPDATE CASCADE, "
                            + "PRIMARY KEY (\"id\"))");
        }

        @Test
        void onDeleteAndOnUpdateRestrict() {
            SchemaBuilder s = fooBar();
            Model<Foo> foo = foos(s);
            Model<Bar> bar = bars(s);
            foo.hasOne(bar, o -> o.onDelete(ReferentialAction.RESTRICT).onUpdate(ReferentialAction.RESTRICT));
            bar.belongsTo(foo);

            assertThat(texts(Ddl.createTables(s.build()))).containsExactly(FOOS,
                    "CREATE TABLE IF NOT EXISTS \"bars\" (\"id\" SERIAL, \"title\" VARCHAR(255), "
                            + "\"fooId\" INTEGER REFERENCES \"foos\" (\"id\") ON DELETE RESTRICT ON UPDATE RESTRICT, "
                            + "PRIMARY KEY (\"id\"))");
        }

        @Test
        void foreignKeyNameOnBothSidesOfThePair() {
            SchemaBuilder s = fooBar();
            Model<Foo> foo = foos(s);
            Model<Bar> bar = bars(s);
            foo.hasOne(bar, o -> o.foreignKey(fk -> fk.name("myFooId")));
            bar.belongsTo(foo, o -> o.foreignKey("myFooId"));

            assertThat(texts(Ddl.createTables(s.build()))).containsExactly(FOOS,
                    "CREATE TABLE IF NOT EXISTS \"bars\" (\"id\" SERIAL, \"title\" VARCHAR(255), "
                            + "\"myFooId\" INTEGER REFERENCES \"foos\" (\"id\") ON DELETE SET NULL ON UPDATE CASCADE, "
                            + "PRIMARY KEY (\"id\"))");
        }

        @Test
        void foreignKeyTypeThatCannotReferenceTheKeyIsRejectedAtBuild() {
            // the seed's UUID foreign key only works when the referenced key is a UUID too; PostgreSQL
            // would refuse the constraint at sync(), so build() says so first
            SchemaBuilder s = fooBar();
            Model<Foo> foo = foos(s);
            Model<Bar> bar = bars(s);
            foo.hasOne(bar, o -> o.foreignKey(fk -> fk.type(DataType.uuid())));
            bar.belongsTo(foo);

            assertThatThrownBy(s::build).isInstanceOf(io.relata.ModelDefinitionException.class)
                    .hasMessageContainingAll("fooId", "UUID", "foo.id", "INTEGER");
        }

        @Test
        void foreignKeyNamedOnTheHasOneSideIsSharedByTheBelongsToPair() {
            // seed 004, option 1: Foo.hasOne(Bar, { foreignKey: 'myFooId' }); Bar.belongsTo(Foo)
            SchemaBuilder s = fooBar();
            Model<Foo> foo = foos(s);
            Model<Bar> bar = bars(s);
            foo.hasOne(bar, o -> o.foreignKey("myFooId"));
            bar.belongsTo(foo);

            assertThat(texts(Ddl.createTables(s.build()))).containsExactly(FOOS,
                    "CREATE TABLE IF NOT EXISTS \"bars\" (\"id\" SERIAL, \"title\" VARCHAR(255), "
                            + "\"myFooId\" INTEGER REFERENCES \"foos\" (\"id\") ON DELETE SET NULL ON UPDATE CASCADE, "
                            + "PRIMARY KEY (\"id\"))");
        }

        @Test
        void foreignKeyNamedOnTheBelongsToSideIsSharedByTheHasOnePair() {
            // seed 004, option 3: Foo.hasOne(Bar); Bar.belongsTo(Foo, { foreignKey: 'myFooId' })
            SchemaBuilder s = fooBar();
            Model<Foo> foo = foos(s);
            Model<Bar> bar = bars(s);
            foo.hasOne(bar);
            bar.belongsTo(foo, o -> o.foreignKey("myFooId"));

            assertThat(texts(Ddl.createTables(s.build()))).containsExactly(FOOS,
                    "CREATE TABLE IF NOT EXISTS \"bars\" (\"id\" SERIAL, \"title\" VARCHAR(255), "
                            + "\"myFooId\" INTEGER REFERENCES \"foos\" (\"id\") ON DELETE SET NULL ON UPDATE CASCADE, "
                            + "PRIMARY KEY (\"id\"))");
        }

        @Test
        void mandatoryAssociationIsNotNullWithRestrict() {
            SchemaBuilder s = fooBar();
            Model<Foo> foo = foos(s);
            Model<Bar> bar = bars(s);
            foo.hasOne(bar, o -> o.foreignKey(fk -> fk.allowNull(false)));

            assertThat(texts(Ddl.createTables(s.build()))).containsExactly(FOOS,
                    "CREATE TABLE IF NOT EXISTS \"bars\" (\"id\" SERIAL, \"title\" VARCHAR(255), "
                            + "\"fooId\" INTEGER NOT NULL REFERENCES \"foos\" (\"id\") ON DELETE RESTRICT ON UPDATE RESTRICT, "
                            + "PRIMARY KEY (\"id\"))");
        }

        @Test
        void uuidPrimaryKeyIsReferencedByAUuidForeignKey() {
            record Account(UUID id, String name) {}
            record Profile(Integer id, String bio) {}
            SchemaBuilder s = Schema.builder().timestamps(false);
            Model<Account> accounts = s.define(Account.class, m -> m.name("account"));
            Model<Profile> profiles = s.define(Profile.class, m -> m.name("profile"));
            accounts.hasOne(profiles);

            assertThat(texts(Ddl.createTables(s.build()))).containsExactly(
                    "CREATE TABLE IF NOT EXISTS \"accounts\" (\"id\" UUID DEFAULT gen_random_uuid(), "
                            + "\"name\" VARCHAR(255), PRIMARY KEY (\"id\"))",
                    "CREATE TABLE IF NOT EXISTS \"profiles\" (\"id\" SERIAL, \"bio\" VARCHAR(255), "
                            + "\"accountId\" UUID REFERENCES \"accounts\" (\"id\") ON DELETE SET NULL ON UPDATE CASCADE, "
                            + "PRIMARY KEY (\"id\"))");
        }
    }

    @Nested
    class OneToMany {

        record Team(Integer id, String name) {}
        record Player(Integer id, String name) {}

        static final String TEAMS = "CREATE TABLE IF NOT EXISTS \"Teams\" (\"id\" SERIAL, \"name\" VARCHAR(255), "
                + TIMESTAMPS + ", PRIMARY KEY (\"id\"))";

        @Test
        void teamHasManyPlayersPutsTeamIdOnPlayers() {
            SchemaBuilder s = Schema.builder();
            Model<Team> teams = s.define(Team.class);
            Model<Player> players = s.define(Player.class);
            teams.hasMany(players);
            players.belongsTo(teams);

            assertThat(texts(Ddl.createTables(s.build()))).containsExactly(TEAMS,
                    "CREATE TABLE IF NOT EXISTS \"Players\" (\"id\" SERIAL, \"name\" VARCHAR(255), " + TIMESTAMPS
                            + ", \"TeamId\" INTEGER REFERENCES \"Teams\" (\"id\") ON DELETE SET NULL ON UPDATE CASCADE, "
                            + "PRIMARY KEY (\"id\"))");
        }

        @Test
        void customForeignKeyOnBothSides() {
            SchemaBuilder s = Schema.builder();
            Model<Team> teams = s.define(Team.class);
            Model<Player> players = s.define(Player.class);
            teams.hasMany(players, o -> o.foreignKey("clubId"));
            players.belongsTo(teams, o -> o.foreignKey("clubId"));

            assertThat(texts(Ddl.createTables(s.build()))).containsExactly(TEAMS,
                    "CREATE TABLE IF NOT EXISTS \"Players\" (\"id\" SERIAL, \"name\" VARCHAR(255), " + TIMESTAMPS
                            + ", \"clubId\" INTEGER REFERENCES \"Teams\" (\"id\") ON DELETE SET NULL ON UPDATE CASCADE, "
                            + "PRIMARY KEY (\"id\"))");
        }
    }

    @Nested
    class ManyToMany {

        record Movie(Integer id, String name) {}
        record Actor(Integer id, String name) {}
        record ActorMovies(Integer MovieId, Integer ActorId) {}

        static final String MOVIES = "CREATE TABLE IF NOT EXISTS \"Movies\" (\"id\" SERIAL, \"name\" VARCHAR(255), "
                + TIMESTAMPS + ", PRIMARY KEY (\"id\"))";
        static final String ACTORS = "CREATE TABLE IF NOT EXISTS \"Actors\" (\"id\" SERIAL, \"name\" VARCHAR(255), "
                + TIMESTAMPS + ", PRIMARY KEY (\"id\"))";

        @Test
        void throughANameGeneratesTheJunctionTable() {
            SchemaBuilder s = Schema.builder();
            Model<Movie> movies = s.define(Movie.class);
            Model<Actor> actors = s.define(Actor.class);
            movies.belongsToMany(actors, o -> o.through("ActorMovies"));
            actors.belongsToMany(movies, o -> o.through("ActorMovies"));

            assertThat(texts(Ddl.createTables(s.build()))).containsExactly(MOVIES, ACTORS,
                    "CREATE TABLE IF NOT EXISTS \"ActorMovies\" (" + TIMESTAMPS + ", "
                            + "\"MovieId\" INTEGER REFERENCES \"Movies\" (\"id\") ON DELETE CASCADE ON UPDATE CASCADE, "
                            + "\"ActorId\" INTEGER REFERENCES \"Actors\" (\"id\") ON DELETE CASCADE ON UPDATE CASCADE, "
                            + "PRIMARY KEY (\"MovieId\", \"ActorId\"))");
        }

        @Test
        void throughAModelKeepsItsColumnsWithNotNullKeysAndACompositePrimaryKey() {
            SchemaBuilder s = Schema.builder();
            Model<Movie> movies = s.define(Movie.class);
            Model<Actor> actors = s.define(Actor.class);
            Model<ActorMovies> actorMovies = s.define(ActorMovies.class);
            movies.belongsToMany(actors, o -> o.through(actorMovies));
            actors.belongsToMany(movies, o -> o.through(actorMovies));

            assertThat(texts(Ddl.createTables(s.build()))).containsExactly(MOVIES, ACTORS,
                    "CREATE TABLE IF NOT EXISTS \"ActorMovies\" ("
                            + "\"MovieId\" INTEGER NOT NULL REFERENCES \"Movies\" (\"id\") ON DELETE RESTRICT ON UPDATE CASCADE, "
                            + "\"ActorId\" INTEGER NOT NULL REFERENCES \"Actors\" (\"id\") ON DELETE RESTRICT ON UPDATE CASCADE, "
                            + TIMESTAMPS + ", PRIMARY KEY (\"MovieId\", \"ActorId\"))");
        }

        record Project(Integer id, String name) {}
        record User(Integer id, String username) {}
        record Membership(Integer id, Integer ProjectId, Integer UserId, String role) {}

        static final String PROJECTS = "CREATE TABLE IF NOT EXISTS \"Projects\" (\"id\" SERIAL, \"name\" VARCHAR(255), "
                + "PRIMARY KEY (\"id\"))";
        static final String USERS = "CREATE TABLE IF NOT EXISTS \"Users\" (\"id\" SERIAL, \"username\" VARCHAR(255), "
                + "PRIMARY KEY (\"id\"))";
        static final String MEMBERSHIP_COLUMNS = "CREATE TABLE IF NOT EXISTS \"Memberships\" (\"id\" SERIAL, "
                + "\"ProjectId\" INTEGER REFERENCES \"Projects\" (\"id\") ON DELETE CASCADE ON UPDATE CASCADE, "
                + "\"UserId\" INTEGER REFERENCES \"Users\" (\"id\") ON DELETE CASCADE ON UPDATE CASCADE, "
                + "\"role\" VARCHAR(255), PRIMARY KEY (\"id\")";

        private SchemaBuilder projects(java.util.function.Consumer<io.relata.AssociationOptions> options) {
            SchemaBuilder s = Schema.builder().timestamps(false);
            Model<Project> projects = s.define(Project.class);
            Model<User> users = s.define(User.class);
            Model<Membership> memberships = s.define(Membership.class);
            projects.belongsToMany(users, o -> options.accept(o.through(memberships)));
            users.belongsToMany(projects, o -> o.through(memberships));
            return s;
        }

        @Test
        void throughModelWithItsOwnIdGetsAUniqueKeyNamedAfterTableAndKeys() {
            // Sequelize: [through.tableName, foreignKey, otherKey, 'unique'].join('_')
            assertThat(texts(Ddl.createTables(projects(o -> { }).build()))).containsExactly(PROJECTS, USERS,
                    MEMBERSHIP_COLUMNS + ", CONSTRAINT \"Memberships_ProjectId_UserId_unique\" "
                            + "UNIQUE (\"ProjectId\", \"UserId\"))");
        }

        @Test
        void uniqueKeyNamesTheJunctionConstraint() {
            assertThat(texts(Ddl.createTables(projects(o -> o.uniqueKey("my_custom_unique")).build())))
                    .containsExactly(PROJECTS, USERS,
                            MEMBERSHIP_COLUMNS + ", CONSTRAINT \"my_custom_unique\" UNIQUE (\"ProjectId\", \"UserId\"))");
        }

        @Test
        void uniqueFalseCreatesNoUniqueKey() {
            SchemaBuilder s = Schema.builder().timestamps(false);
            Model<Project> projects = s.define(Project.class);
            Model<User> users = s.define(User.class);
            Model<Membership> memberships = s.define(Membership.class);
            projects.belongsToMany(users, o -> o.through(memberships).unique(false));

            assertThat(texts(Ddl.createTables(s.build()))).containsExactly(PROJECTS, USERS, MEMBERSHIP_COLUMNS + ")");
        }

        @Test
        void uniqueFalseOnAGeneratedJunctionKeepsTheCompositePrimaryKey() {
            SchemaBuilder s = Schema.builder().timestamps(false);
            Model<Project> projects = s.define(Project.class);
            Model<User> users = s.define(User.class);
            projects.belongsToMany(users, o -> o.through("ProjectUsers").unique(false));

            assertThat(texts(Ddl.createTables(s.build()))).containsExactly(PROJECTS, USERS,
                    "CREATE TABLE IF NOT EXISTS \"ProjectUsers\" ("
                            + "\"ProjectId\" INTEGER REFERENCES \"Projects\" (\"id\") ON DELETE CASCADE ON UPDATE CASCADE, "
                            + "\"UserId\" INTEGER REFERENCES \"Users\" (\"id\") ON DELETE CASCADE ON UPDATE CASCADE, "
                            + "PRIMARY KEY (\"ProjectId\", \"UserId\"))");
        }

        @Test
        void uniqueKeyOnAGeneratedJunctionIsAddedBesideTheCompositePrimaryKey() {
            SchemaBuilder s = Schema.builder().timestamps(false);
            Model<Project> projects = s.define(Project.class);
            Model<User> users = s.define(User.class);
            projects.belongsToMany(users, o -> o.through("ProjectUsers").uniqueKey("my_custom_unique"));

            assertThat(texts(Ddl.createTables(s.build()))).containsExactly(PROJECTS, USERS,
                    "CREATE TABLE IF NOT EXISTS \"ProjectUsers\" ("
                            + "\"ProjectId\" INTEGER REFERENCES \"Projects\" (\"id\") ON DELETE CASCADE ON UPDATE CASCADE, "
                            + "\"UserId\" INTEGER REFERENCES \"Users\" (\"id\") ON DELETE CASCADE ON UPDATE CASCADE, "
                            + "PRIMARY KEY (\"ProjectId\", \"UserId\"), "
                            + "CONSTRAINT \"my_custom_unique\" UNIQUE (\"ProjectId\", \"UserId\"))");
        }

        @Test
        void followersSelfAssociation() {
            SchemaBuilder s = Schema.builder();
            Model<User> users = s.define(User.class);
            users.belongsToMany(users,
                    o -> o.as("followers").through("Followers").foreignKey("followingId").otherKey("followerId"));
            users.belongsToMany(users,
                    o -> o.as("following").through("Followers").foreignKey("followerId").otherKey("followingId"));

            assertThat(texts(Ddl.createTables(s.build()))).containsExactly(
                    "CREATE TABLE IF NOT EXISTS \"Users\" (\"id\" SERIAL, \"username\" VARCHAR(255), " + TIMESTAMPS
                            + ", PRIMARY KEY (\"id\"))",
                    "CREATE TABLE IF NOT EXISTS \"Followers\" (" + TIMESTAMPS + ", "
                            + "\"followingId\" INTEGER REFERENCES \"Users\" (\"id\") ON DELETE CASCADE ON UPDATE CASCADE, "
                            + "\"followerId\" INTEGER REFERENCES \"Users\" (\"id\") ON DELETE CASCADE ON UPDATE CASCADE, "
                            + "PRIMARY KEY (\"followingId\", \"followerId\"))");
        }
    }

    @Nested
    class AliasesAndKeys {

        record Ship(Integer id, String name) {}
        record Captain(Integer id, String name) {}

        private SchemaBuilder ships() {
            return Schema.builder().timestamps(false);
        }

        static final String CAPTAINS = "CREATE TABLE IF NOT EXISTS \"captains\" (\"id\" SERIAL, \"name\" TEXT, "
                + "PRIMARY KEY (\"id\"))";

        private String ships(String foreignKey) {
            return "CREATE TABLE IF NOT EXISTS \"ships\" (\"id\" SERIAL, \"name\" TEXT, " + foreignKey
                    + ", PRIMARY KEY (\"id\"))";
        }

        @Test
        void shipBelongsToCaptainAsLeader() {
            SchemaBuilder s = ships();
            Model<Ship> ships = s.define(Ship.class, m -> m.name("ship").attribute("name", DataType.text()));
            Model<Captain> captains = s.define(Captain.class, m -> m.name("captain").attribute("name", DataType.text()));
            ships.belongsTo(captains, o -> o.as("leader"));

            assertThat(texts(Ddl.createTables(s.build()))).containsExactly(CAPTAINS, ships(
                    "\"leaderId\" INTEGER REFERENCES \"captains\" (\"id\") ON DELETE SET NULL ON UPDATE CASCADE"));
        }

        @Test
        void shipBelongsToCaptainAsLeaderWithBossId() {
            SchemaBuilder s = ships();
            Model<Ship> ships = s.define(Ship.class, m -> m.name("ship").attribute("name", DataType.text()));
            Model<Captain> captains = s.define(Captain.class, m -> m.name("captain").attribute("name", DataType.text()));
            ships.belongsTo(captains, o -> o.as("leader").foreignKey("bossId"));

            assertThat(texts(Ddl.createTables(s.build()))).containsExactly(CAPTAINS, ships(
                    "\"bossId\" INTEGER REFERENCES \"captains\" (\"id\") ON DELETE SET NULL ON UPDATE CASCADE"));
        }

        @Test
        void belongsToTargetKeyReferencesTheUniqueName() {
            SchemaBuilder s = ships();
            Model<Ship> ships = s.define(Ship.class, m -> m.name("ship").attribute("name", DataType.text()));
            Model<Captain> captains = s.define(Captain.class,
                    m -> m.name("captain").attribute("name", DataType.text()).unique());
            ships.belongsTo(captains, o -> o.targetKey("name").foreignKey("captainName"));

            assertThat(texts(Ddl.createTables(s.build()))).containsExactly(
                    "CREATE TABLE IF NOT EXISTS \"captains\" (\"id\" SERIAL, \"name\" TEXT UNIQUE, PRIMARY KEY (\"id\"))",
                    ships("\"captainName\" TEXT REFERENCES \"captains\" (\"name\") ON DELETE SET NULL ON UPDATE CASCADE"));
        }

        @Test
        void hasOneAndHasManySourceKeys() {
            SchemaBuilder s = Schema.builder().timestamps(false);
            Model<Foo> foo = s.define(Foo.class, m -> m.name("foo").attribute("name", DataType.text()).unique());
            Model<Bar> bar = s.define(Bar.class, m -> m.name("bar").attribute("title", DataType.text()).unique());
            // the table name of 'baz' is beside the point here
            Model<Baz> baz = s.define(Baz.class,
                    m -> m.name("baz").table("bazs").attribute("summary", DataType.text()));
            foo.hasOne(bar, o -> o.sourceKey("name").foreignKey("fooName"));
            bar.hasMany(baz, o -> o.sourceKey("title").foreignKey("barTitle"));

            assertThat(texts(Ddl.createTables(s.build()))).containsExactly(
                    "CREATE TABLE IF NOT EXISTS \"foos\" (\"id\" SERIAL, \"name\" TEXT UNIQUE, PRIMARY KEY (\"id\"))",
                    "CREATE TABLE IF NOT EXISTS \"bars\" (\"id\" SERIAL, \"title\" TEXT UNIQUE, "
                            + "\"fooName\" TEXT REFERENCES \"foos\" (\"name\") ON DELETE SET NULL ON UPDATE CASCADE, "
                            + "PRIMARY KEY (\"id\"))",
                    "CREATE TABLE IF NOT EXISTS \"bazs\" (\"id\" SERIAL, \"summary\" TEXT, "
                            + "\"barTitle\" TEXT REFERENCES \"bars\" (\"title\") ON DELETE SET NULL ON UPDATE CASCADE, "
                            + "PRIMARY KEY (\"id\"))");
        }
    }

    @Nested
    class FooBarJunctionKeys {

        static final String FOOS_UNIQUE = "CREATE TABLE IF NOT EXISTS \"foos\" (\"id\" SERIAL, \"name\" TEXT UNIQUE, "
                + "PRIMARY KEY (\"id\"))";
        static final String BARS_UNIQUE = "CREATE TABLE IF NOT EXISTS \"bars\" (\"id\" SERIAL, \"title\" TEXT UNIQUE, "
                + "PRIMARY KEY (\"id\"))";
        static final String FOO_ID = "\"fooId\" INTEGER REFERENCES \"foos\" (\"id\") ON DELETE CASCADE ON UPDATE CASCADE";
        static final String FOO_NAME = "\"fooName\" TEXT REFERENCES \"foos\" (\"name\") ON DELETE CASCADE ON UPDATE CASCADE";
        static final String BAR_ID = "\"barId\" INTEGER REFERENCES \"bars\" (\"id\") ON DELETE CASCADE ON UPDATE CASCADE";
        static final String BAR_TITLE = "\"barTitle\" TEXT REFERENCES \"bars\" (\"title\") ON DELETE CASCADE ON UPDATE CASCADE";

        private java.util.List<String> ddl(java.util.function.Consumer<io.relata.AssociationOptions> keys) {
            SchemaBuilder s = Schema.builder().timestamps(false);
            Model<Foo> foo = s.define(Foo.class, m -> m.name("foo").attribute("name", DataType.text()).unique());
            Model<Bar> bar = s.define(Bar.class, m -> m.name("bar").attribute("title", DataType.text()).unique());
            foo.belongsToMany(bar, o -> keys.accept(o.through("foo_bar")));
            return texts(Ddl.createTables(s.build()));
        }

        private String junction(String first, String second, String pk) {
            return "CREATE TABLE IF NOT EXISTS \"foo_bar\" (" + first + ", " + second + ", PRIMARY KEY (" + pk + "))";
        }

        @Test
        void primaryKeysOnBothSides() {
            assertThat(ddl(o -> { })).containsExactly(FOOS_UNIQUE, BARS_UNIQUE,
                    junction(FOO_ID, BAR_ID, "\"fooId\", \"barId\""));
        }

        @Test
        void targetKeyTitle() {
            assertThat(ddl(o -> o.targetKey("title"))).containsExactly(FOOS_UNIQUE, BARS_UNIQUE,
                    junction(FOO_ID, BAR_TITLE, "\"fooId\", \"barTitle\""));
        }

        @Test
        void sourceKeyName() {
            assertThat(ddl(o -> o.sourceKey("name"))).containsExactly(FOOS_UNIQUE, BARS_UNIQUE,
                    junction(FOO_NAME, BAR_ID, "\"fooName\", \"barId\""));
        }

        @Test
        void sourceKeyNameAndTargetKeyTitle() {
            assertThat(ddl(o -> o.sourceKey("name").targetKey("title"))).containsExactly(FOOS_UNIQUE, BARS_UNIQUE,
                    junction(FOO_NAME, BAR_TITLE, "\"fooName\", \"barTitle\""));
        }
    }

    @Nested
    class Ordering {

        record Ship(Integer id, String name) {}
        record Captain(Integer id, String name) {}
        record A(Integer id) {}
        record B(Integer id) {}

        @Test
        void constraintsFalseCreatesTheColumnWithoutReferences() {
            SchemaBuilder s = Schema.builder().timestamps(false);
            Model<Ship> ships = s.define(Ship.class, m -> m.name("ship"));
            Model<Captain> captains = s.define(Captain.class, m -> m.name("captain"));
            ships.belongsTo(captains, o -> o.constraints(false));

            assertThat(texts(Ddl.createTables(s.build()))).containsExactly(
                    "CREATE TABLE IF NOT EXISTS \"ships\" (\"id\" SERIAL, \"name\" VARCHAR(255), \"captainId\" INTEGER, "
                            + "PRIMARY KEY (\"id\"))",
                    "CREATE TABLE IF NOT EXISTS \"captains\" (\"id\" SERIAL, \"name\" VARCHAR(255), PRIMARY KEY (\"id\"))");
        }

        @Test
        void aTableIsCreatedAfterTheTablesItReferences() {
            SchemaBuilder s = Schema.builder().timestamps(false);
            Model<Foo> foo = s.define(Foo.class, m -> m.name("foo"));
            Model<Bar> bar = s.define(Bar.class, m -> m.name("bar"));
            Model<Baz> baz = s.define(Baz.class, m -> m.name("baz").table("bazs"));
            foo.belongsTo(bar);
            bar.belongsTo(baz);
            Schema schema = s.build();

            assertThat(texts(Ddl.createTables(schema))).containsExactly(
                    "CREATE TABLE IF NOT EXISTS \"bazs\" (\"id\" SERIAL, \"summary\" VARCHAR(255), PRIMARY KEY (\"id\"))",
                    "CREATE TABLE IF NOT EXISTS \"bars\" (\"id\" SERIAL, \"title\" VARCHAR(255), "
                            + "\"bazId\" INTEGER REFERENCES \"bazs\" (\"id\") ON DELETE SET NULL ON UPDATE CASCADE, "
                            + "PRIMARY KEY (\"id\"))",
                    "CREATE TABLE IF NOT EXISTS \"foos\" (\"id\" SERIAL, \"name\" VARCHAR(255), "
                            + "\"barId\" INTEGER REFERENCES \"bars\" (\"id\") ON DELETE SET NULL ON UPDATE CASCADE, "
                            + "PRIMARY KEY (\"id\"))");
            assertThat(texts(Ddl.dropTables(schema))).containsExactly(
                    "DROP TABLE IF EXISTS \"foos\" CASCADE",
                    "DROP TABLE IF EXISTS \"bars\" CASCADE",
                    "DROP TABLE IF EXISTS \"bazs\" CASCADE");
        }

        @Test
        void aCycleOfForeignKeysIsClosedWithAnIdempotentAlterTable() {
            SchemaBuilder s = Schema.builder().timestamps(false);
            Model<A> as = s.define(A.class, m -> m.name("a").table("as"));
            Model<B> bs = s.define(B.class, m -> m.name("b").table("bs"));
            as.belongsTo(bs);
            bs.belongsTo(as);

            assertThat(texts(Ddl.createTables(s.build()))).containsExactly(
                    "CREATE TABLE IF NOT EXISTS \"as\" (\"id\" SERIAL, \"bId\" INTEGER, PRIMARY KEY (\"id\"))",
                    "CREATE TABLE IF NOT EXISTS \"bs\" (\"id\" SERIAL, "
                            + "\"aId\" INTEGER REFERENCES \"as\" (\"id\") ON DELETE SET NULL ON UPDATE CASCADE, "
                            + "PRIMARY KEY (\"id\"))",
                    "DO $relata$ BEGIN ALTER TABLE \"as\" ADD CONSTRAINT \"as_bId_fkey\" FOREIGN KEY (\"bId\") "
                            + "REFERENCES \"bs\" (\"id\") ON DELETE SET NULL ON UPDATE CASCADE; "
                            + "EXCEPTION WHEN duplicate_object THEN NULL; END $relata$");
        }

        @Test
        void aSelfReferenceNeedsNoAlterTable() {
            record Employee(Integer id, String name) {}
            SchemaBuilder s = Schema.builder().timestamps(false);
            Model<Employee> employees = s.define(Employee.class, m -> m.name("employee"));
            employees.belongsTo(employees, o -> o.as("manager"));

            assertThat(texts(Ddl.createTables(s.build()))).containsExactly(
                    "CREATE TABLE IF NOT EXISTS \"employees\" (\"id\" SERIAL, \"name\" VARCHAR(255), "
                            + "\"managerId\" INTEGER REFERENCES \"employees\" (\"id\") ON DELETE SET NULL ON UPDATE CASCADE, "
                            + "PRIMARY KEY (\"id\"))");
        }

        @Test
        void snakeCaseNaming() {
            record BlogPost(Integer id, String title) {}
            SchemaBuilder s = Schema.builder().naming(io.relata.Naming.snakeCase());
            Model<Foo> foo = s.define(Foo.class, m -> m.name("foo"));
            Model<BlogPost> posts = s.define(BlogPost.class);
            foo.hasMany(posts);

            assertThat(texts(Ddl.createTables(s.build()))).containsExactly(
                    "CREATE TABLE IF NOT EXISTS \"foos\" (\"id\" SERIAL, \"name\" VARCHAR(255), "
                            + "\"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL, "
                            + "PRIMARY KEY (\"id\"))",
                    "CREATE TABLE IF NOT EXISTS \"blog_posts\" (\"id\" SERIAL, \"title\" VARCHAR(255), "
                            + "\"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL, "
                            + "\"foo_id\" INTEGER REFERENCES \"foos\" (\"id\") ON DELETE SET NULL ON UPDATE CASCADE, "
                            + "PRIMARY KEY (\"id\"))");
        }

        @Test
        void defaultsAndQuotedIdentifiers() {
            record Setting(Integer id, String key, Boolean enabled, Integer level) {}
            SchemaBuilder s = Schema.builder().timestamps(false);
            Model<Setting> settings = s.define(Setting.class, m -> {
                m.name("setting");
                m.attribute("key").defaultValue("it's").notNull();
                m.attribute("enabled").defaultValue(true);
                m.attribute("level").defaultValue(3).field("le\"vel");
            });

            assertThat(texts(Ddl.createTables(s.build()))).containsExactly(
                    "CREATE TABLE IF NOT EXISTS \"settings\" (\"id\" SERIAL, "
                            + "\"key\" VARCHAR(255) NOT NULL DEFAULT 'it''s', \"enabled\" BOOLEAN DEFAULT TRUE, "
                            + "\"le\"\"vel\" INTEGER DEFAULT 3, PRIMARY KEY (\"id\"))");
        }
    }
}
