package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.ConnectionFactory;
import io.relata.DataType;
import io.relata.Model;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.query.Query;
import io.relata.reactor.testing.CountingConnectionFactory;
import io.relata.reactor.testing.Sql;
import io.relata.reactor.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.test.StepVerifier;

/**
 * {@code db.sync()} creates what the Sequelize association guide (seed 004) describes, checked in
 * PostgreSQL's catalog: foreign-key columns and names, referenced tables and columns, ON DELETE /
 * ON UPDATE defaults, junction keys, unique keys, self-associations, non-primary-key references and
 * reference cycles.
 */
@ExtendWith(TestDatabase.class)
class SyncCatalogIT {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    // 1:1 (the guide's ship and captain, with the guide's lower-case model names)
    record Captain(Long id, String name, Integer skillLevel) {
    }

    record Ship(Long id, String name, Long captainId) {
    }

    // 1:1 with a NOT NULL foreign key
    record Foo(Long id, String name) {
    }

    record Bar(Long id, String title) {
    }

    // 1:N
    record Team(Long id, String name) {
    }

    record Player(Long id, String name) {
    }

    // M:N, generated junction
    record Movie(Long id, String name) {
    }

    record Actor(Long id, String name) {
    }

    // M:N, explicit junction model with its own key, and a self-association
    record Project(Long id, String name) {
    }

    record User(Long id, String username) {
    }

    record UserProject(Long id, String role) {
    }

    // a cycle: each references the other
    record Person(Long id, String name) {
    }

    record Address(Long id, String street) {
    }

    /** A foreign key as the catalog reports it. */
    record Fk(String column, String refTable, String refColumn, String onDelete, String onUpdate) {
    }

    static Schema schema;
    static CountingConnectionFactory counting;
    static Model<Captain> captains;
    static Model<Ship> ships;
    static Model<Foo> foos;
    static Model<Bar> bars;
    static Model<Person> people;
    static Model<Address> addresses;

    static Schema guideSchema() {
        SchemaBuilder s = Schema.builder();
        captains = s.define(Captain.class, m -> m.name("captain").timestamps(false)
                .attribute("name", DataType.text()).unique());
        ships = s.define(Ship.class, m -> m.name("ship").timestamps(false));
        captains.hasOne(ships);
        ships.belongsTo(captains, o -> o.as("leader"));
        ships.belongsTo(captains, o -> o.as("namedCaptain").targetKey("name").foreignKey("captainName"));

        foos = s.define(Foo.class, m -> m.name("foo"));
        bars = s.define(Bar.class, m -> m.name("bar"));
        foos.hasOne(bars, o -> o.foreignKey(fk -> fk.allowNull(false)));

        Model<Team> teams = s.define(Team.class);
        Model<Player> players = s.define(Player.class);
        teams.hasMany(players);
        players.belongsTo(teams, o -> o.foreignKey("TeamId"));

        Model<Movie> movies = s.define(Movie.class);
        Model<Actor> actors = s.define(Actor.class);
        movies.belongsToMany(actors, o -> o.through("ActorMovies"));
        actors.belongsToMany(movies, o -> o.through("ActorMovies"));

        Model<Project> projects = s.define(Project.class);
        Model<User> users = s.define(User.class);
        Model<UserProject> userProjects = s.define(UserProject.class, m -> m.name("UserProjects").table("UserProjects"));
        projects.belongsToMany(users, o -> o.through(userProjects).uniqueKey("my_custom_unique"));
        users.belongsToMany(users, o -> o.through("Followers").as("followers"));
        users.belongsToMany(users, o -> o.through("Followers").as("following").foreignKey("followerId")
                .otherKey("UserId"));

        people = s.define(Person.class);
        addresses = s.define(Address.class);
        people.belongsTo(addresses, o -> o.as("home"));
        addresses.belongsTo(people, o -> o.as("owner"));
        return s.build();
    }

    @BeforeAll
    static void sync(TestDatabase.Handle h) {
        schema = guideSchema();
        counting = new CountingConnectionFactory(h.connectionFactory());
        Database.create(counting, schema).sync().as(StepVerifier::create).expectComplete().verify(TIMEOUT);
    }

    // ---- catalog queries ----

    static List<Fk> foreignKeys(ConnectionFactory cf, String table) {
        return Sql.rows(cf, "SELECT a.attname AS col, ref.relname AS ref_table, ra.attname AS ref_col,"
                        + " rc.delete_rule, rc.update_rule"
                        + " FROM pg_constraint c"
                        + " JOIN pg_class src ON src.oid = c.conrelid"
                        + " JOIN pg_class ref ON ref.oid = c.confrelid"
                        + " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
                        + " JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[1]"
                        + " JOIN information_schema.referential_constraints rc ON rc.constraint_name = c.conname"
                        + "   AND rc.constraint_schema = 'public'"
                        + " WHERE c.contype = 'f' AND src.relname = $1 AND cardinality(c.conkey) = 1"
                        + " ORDER BY a.attnum", table)
                .stream()
                .map(r -> new Fk((String) r.get("col"), (String) r.get("ref_table"), (String) r.get("ref_col"),
                        (String) r.get("delete_rule"), (String) r.get("update_rule")))
                .toList();
    }

    static List<String> keyColumns(ConnectionFactory cf, String table, String type) {
        return Sql.rows(cf, "SELECT kcu.column_name FROM information_schema.table_constraints tc"
                        + " JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name"
                        + "   AND kcu.table_schema = tc.table_schema AND kcu.table_name = tc.table_name"
                        + " WHERE tc.table_name = $1 AND tc.constraint_type = $2 ORDER BY kcu.ordinal_position",
                        table, type)
                .stream().map(r -> (String) r.get("column_name")).toList();
    }

    /** @return constraint name to its columns, for UNIQUE constraints of a table */
    static Map<String, List<String>> uniqueConstraints(ConnectionFactory cf, String table) {
        Map<String, List<String>> result = new java.util.TreeMap<>();
        for (Map<String, Object> r : Sql.rows(cf, "SELECT tc.constraint_name, kcu.column_name"
                + " FROM information_schema.table_constraints tc"
                + " JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name"
                + "   AND kcu.table_schema = tc.table_schema AND kcu.table_name = tc.table_name"
                + " WHERE tc.table_name = $1 AND tc.constraint_type = 'UNIQUE'"
                + " ORDER BY tc.constraint_name, kcu.ordinal_position", table)) {
            result.computeIfAbsent((String) r.get("constraint_name"), k -> new java.util.ArrayList<>())
                    .add((String) r.get("column_name"));
        }
        return result;
    }

    /** @return column name to "data_type NULL|NOT NULL" */
    static Map<String, String> columns(ConnectionFactory cf, String table) {
        Map<String, String> result = new java.util.LinkedHashMap<>();
        for (Map<String, Object> r : Sql.rows(cf, "SELECT column_name, data_type, is_nullable"
                + " FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position", table)) {
            result.put((String) r.get("column_name"), r.get("data_type") + ("YES".equals(r.get("is_nullable"))
                    ? " NULL" : " NOT NULL"));
        }
        return result;
    }

    static List<String> tables(ConnectionFactory cf) {
        return Sql.rows(cf, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                + " ORDER BY table_name").stream().map(r -> (String) r.get("table_name")).toList();
    }

    @Test
    void syncCreatesOneTablePerModelAndJunction(TestDatabase.Handle h) {
        assertThat(tables(h.connectionFactory())).containsExactlyInAnyOrder("captains", "ships", "foos", bars.tableName(),
                "Teams", "Players", "Movies", "Actors", "ActorMovies", "Projects", "Users", "UserProjects",
                "Followers", "People", "Addresses");
        assertThat(bars.tableName()).isEqualTo("bars");
        assertThat(counting.statements()).filteredOn(sql -> sql.startsWith("CREATE TABLE IF NOT EXISTS"))
                .hasSize(15);
    }

    @Nested
    class OneToOne {

        @Test
        void hasOneAndBelongsToPutInferredForeignKeysOnTheShipWithSetNullCascade(TestDatabase.Handle h) {
            assertThat(foreignKeys(h.connectionFactory(), "ships")).containsExactlyInAnyOrder(
                    new Fk("captainId", "captains", "id", "SET NULL", "CASCADE"),
                    new Fk("leaderId", "captains", "id", "SET NULL", "CASCADE"),
                    new Fk("captainName", "captains", "name", "SET NULL", "CASCADE"));
            assertThat(columns(h.connectionFactory(), "ships")).containsEntry("captainId", "bigint NULL")
                    .containsEntry("leaderId", "bigint NULL");
        }

        @Test
        void aNonPrimaryKeyReferenceTargetsTheUniqueColumnWithItsType(TestDatabase.Handle h) {
            assertThat(uniqueConstraints(h.connectionFactory(), "captains")).containsValue(List.of("name"));
            assertThat(columns(h.connectionFactory(), "ships")).containsEntry("captainName", "text NULL");
        }

        @Test
        void aNotNullForeignKeyDefaultsToRestrictRestrict(TestDatabase.Handle h) {
            assertThat(foreignKeys(h.connectionFactory(), bars.tableName()))
                    .containsExactly(new Fk("fooId", "foos", "id", "RESTRICT", "RESTRICT"));
            assertThat(columns(h.connectionFactory(), bars.tableName())).containsEntry("fooId", "bigint NOT NULL");
        }

        @Test
        void timestampsAreNotNullTimestampWithTimeZoneUnlessTurnedOff(TestDatabase.Handle h) {
            assertThat(columns(h.connectionFactory(), "foos")).containsEntry("createdAt",
                    "timestamp with time zone NOT NULL").containsEntry("updatedAt", "timestamp with time zone NOT NULL");
            assertThat(columns(h.connectionFactory(), "captains")).containsOnlyKeys("id", "name", "skillLevel");
            assertThat(keyColumns(h.connectionFactory(), "captains", "PRIMARY KEY")).containsExactly("id");
        }
    }

    @Nested
    class OneToMany {

        @Test
        void hasManyPutsTeamIdOnPlayersWithSetNullCascade(TestDatabase.Handle h) {
            assertThat(foreignKeys(h.connectionFactory(), "Players"))
                    .containsExactly(new Fk("TeamId", "Teams", "id", "SET NULL", "CASCADE"));
            assertThat(columns(h.connectionFactory(), "Players")).containsEntry("TeamId", "bigint NULL");
        }
    }

    @Nested
    class ManyToMany {

        @Test
        void aGeneratedJunctionHasBothForeignKeysCascadeCascadeAndACompositePrimaryKey(TestDatabase.Handle h) {
            assertThat(foreignKeys(h.connectionFactory(), "ActorMovies")).containsExactlyInAnyOrder(
                    new Fk("MovieId", "Movies", "id", "CASCADE", "CASCADE"),
                    new Fk("ActorId", "Actors", "id", "CASCADE", "CASCADE"));
            assertThat(keyColumns(h.connectionFactory(), "ActorMovies", "PRIMARY KEY"))
                    .containsExactly("MovieId", "ActorId");
            assertThat(columns(h.connectionFactory(), "ActorMovies")).containsOnlyKeys("createdAt", "updatedAt",
                    "MovieId", "ActorId");
            assertThat(columns(h.connectionFactory(), "ActorMovies"))
                    .containsEntry("createdAt", "timestamp with time zone NOT NULL")
                    .containsEntry("MovieId", "bigint NOT NULL");
        }

        @Test
        void anExplicitJunctionWithItsOwnKeyGetsCascadingForeignKeysAndTheNamedUniqueKey(TestDatabase.Handle h) {
            assertThat(foreignKeys(h.connectionFactory(), "UserProjects")).containsExactlyInAnyOrder(
                    new Fk("ProjectId", "Projects", "id", "CASCADE", "CASCADE"),
                    new Fk("UserId", "Users", "id", "CASCADE", "CASCADE"));
            assertThat(keyColumns(h.connectionFactory(), "UserProjects", "PRIMARY KEY")).containsExactly("id");
            assertThat(uniqueConstraints(h.connectionFactory(), "UserProjects"))
                    .containsExactly(Map.entry("my_custom_unique", List.of("ProjectId", "UserId")));
            assertThat(columns(h.connectionFactory(), "UserProjects"))
                    .containsEntry("ProjectId", "bigint NULL")
                    .containsEntry("UserId", "bigint NULL")
                    .containsKey("role");
        }

        @Test
        void aSelfAssociationJunctionReferencesTheSameTableTwice(TestDatabase.Handle h) {
            assertThat(foreignKeys(h.connectionFactory(), "Followers")).containsExactlyInAnyOrder(
                    new Fk("UserId", "Users", "id", "CASCADE", "CASCADE"),
                    new Fk("followerId", "Users", "id", "CASCADE", "CASCADE"));
            assertThat(keyColumns(h.connectionFactory(), "Followers", "PRIMARY KEY"))
                    .containsExactly("UserId", "followerId");
        }
    }

    @Nested
    class Cycles {

        @Test
        void personIsPluralizedToPeople() {
            assertThat(people.tableName()).isEqualTo("People");
        }

        @Test
        void twoModelsThatReferenceEachOtherGetBothForeignKeysOneOfThemByAlterTable(TestDatabase.Handle h) {
            String peopleTable = people.tableName();
            assertThat(foreignKeys(h.connectionFactory(), peopleTable))
                    .containsExactly(new Fk("homeId", "Addresses", "id", "SET NULL", "CASCADE"));
            assertThat(foreignKeys(h.connectionFactory(), "Addresses"))
                    .containsExactly(new Fk("ownerId", peopleTable, "id", "SET NULL", "CASCADE"));
            assertThat(counting.statements()).filteredOn(sql -> sql.contains("ALTER TABLE")).hasSize(1)
                    .allSatisfy(sql -> assertThat(sql).contains("FOREIGN KEY").containsAnyOf("\"" + peopleTable + "\"",
                            "\"Addresses\""));
        }

        @Test
        void theCycleWorksForData(TestDatabase.Handle h) {
            String peopleTable = "\"" + people.tableName() + "\"";
            Sql.execute(h.connectionFactory(),
                    "INSERT INTO " + peopleTable + " (id, name, \"createdAt\", \"updatedAt\") VALUES (1, 'p', now(), now())",
                    "INSERT INTO \"Addresses\" (id, street, \"ownerId\", \"createdAt\", \"updatedAt\")"
                            + " VALUES (1, 's', 1, now(), now())",
                    "UPDATE " + peopleTable + " SET \"homeId\" = 1 WHERE id = 1",
                    "DELETE FROM \"Addresses\" WHERE id = 1");
            assertThat(Sql.rows(h.connectionFactory(), "SELECT \"homeId\" FROM " + peopleTable + " WHERE id = 1"))
                    .singleElement().satisfies(r -> assertThat(r.get("homeId")).as("ON DELETE SET NULL").isNull());
            Sql.execute(h.connectionFactory(), "DELETE FROM " + peopleTable);
        }
    }

    /** sync(true) and repeated sync() on a database of their own. */
    @Nested
    @ExtendWith(TestDatabase.class)
    class Lifecycle {

        @Test
        void syncTwiceIsIdempotentAndKeepsData(TestDatabase.Handle h) {
            Database db = Database.create(h.connectionFactory(), guideSchema());
            db.sync().as(StepVerifier::create).expectComplete().verify(TIMEOUT);
            Sql.execute(h.connectionFactory(), "INSERT INTO captains (name) VALUES ('Jack')");
            List<Fk> before = foreignKeys(h.connectionFactory(), people.tableName());

            db.sync().as(StepVerifier::create).expectComplete().verify(TIMEOUT);

            assertThat(Sql.single(h.connectionFactory(), "SELECT count(*) FROM captains", Long.class)).isEqualTo(1L);
            assertThat(foreignKeys(h.connectionFactory(), people.tableName())).isEqualTo(before).hasSize(1);
            assertThat(tables(h.connectionFactory())).hasSize(15);
        }

        @Test
        void syncForceDropsAndRecreates(TestDatabase.Handle h) {
            Database db = Database.create(h.connectionFactory(), guideSchema());
            db.sync(true).as(StepVerifier::create).expectComplete().verify(TIMEOUT);
            Sql.execute(h.connectionFactory(), "INSERT INTO captains (name) VALUES ('Jack')",
                    "ALTER TABLE captains ADD COLUMN stray INTEGER");

            db.sync(true).as(StepVerifier::create).expectComplete().verify(TIMEOUT);

            assertThat(Sql.single(h.connectionFactory(), "SELECT count(*) FROM captains", Long.class)).isZero();
            assertThat(columns(h.connectionFactory(), "captains")).containsOnlyKeys("id", "name", "skillLevel");
            assertThat(foreignKeys(h.connectionFactory(), "ships")).hasSize(3);
            assertThat(foreignKeys(h.connectionFactory(), people.tableName())).hasSize(1);
            assertThat(foreignKeys(h.connectionFactory(), "Addresses")).hasSize(1);
            assertThat(tables(h.connectionFactory())).hasSize(15);
            db.count(Query.from(captains)).as(StepVerifier::create).expectNext(0L).expectComplete().verify(TIMEOUT);
        }

        @Test
        void syncForceOnAnEmptyDatabaseCreatesEverything(TestDatabase.Handle h) {
            List<String> existing = tables(h.connectionFactory());
            if (!existing.isEmpty()) {
                Sql.execute(h.connectionFactory(), "DROP TABLE " + String.join(", ",
                        existing.stream().map(t -> "\"" + t + "\"").toList()) + " CASCADE");
            }
            Database db = Database.create(h.connectionFactory(), guideSchema());
            db.sync(true).as(StepVerifier::create).expectComplete().verify(TIMEOUT);
            assertThat(tables(h.connectionFactory())).hasSize(15);
        }
    }
}
