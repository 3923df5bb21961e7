package io.relata;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What {@link SchemaBuilder#build()} infers, following Sequelize's association guide (seed 004):
 * foreign key names, aliases, junction models, referential actions, table names and column types.
 */
class SchemaInferenceTest {

    // Seed 004: sequelize.define('ship', ...) / define('captain', ...), timestamps: false
    record Ship(Long id, String name) {}
    record Captain(Long id, String name) {}

    record Team(Long id, String name) {}
    record Player(Long id, String name) {}
    record Movie(Long id, String name) {}
    record Actor(Long id, String name) {}
    record User(Long id, String username) {}
    record Person(Long id, String name) {}
    record Mail(Long id, String subject, Person sender, Person receiver) {}
    record Game(Long id, String name) {}
    record BlogPost(Long id, String title) {}

    private static SchemaBuilder shipsAndCaptains() {
        return Schema.builder().timestamps(false);
    }

    private static Model<Ship> ships(SchemaBuilder s) {
        return s.define(Ship.class, m -> m.name("ship"));
    }

    private static Model<Captain> captains(SchemaBuilder s) {
        return s.define(Captain.class, m -> m.name("captain"));
    }

    private static Attribute attr(Model<?> model, String name) {
        Attribute a = model.attribute(name);
        assertThat(a).as("attribute %s of %s", name, model.name()).isNotNull();
        return a;
    }

    @Nested
    class BelongsToForeignKeys {

        @Test
        void shipBelongsToCaptainInfersCaptainIdOnShips() {
            SchemaBuilder s = shipsAndCaptains();
            Model<Ship> ships = ships(s);
            Model<Captain> captains = captains(s);
            BelongsTo<Ship, Captain> captain = ships.belongsTo(captains);
            s.build();

            assertThat(captain.as()).isEqualTo("captain");
            assertThat(captain.aliased()).isFalse();
            assertThat(captain.foreignKey().name()).isEqualTo("captainId");
            assertThat(captain.foreignKey().column()).isEqualTo("captainId");
            assertThat(captain.foreignKey()).isSameAs(ships.attribute("captainId"));
            assertThat(captain.targetKey()).isSameAs(captains.primaryKey());
            assertThat(ships.tableName()).isEqualTo("ships");
            assertThat(captains.tableName()).isEqualTo("captains");
            assertThat(captains.attribute("shipId")).isNull();
        }

        @Test
        void anAliasNamesTheForeignKey() {
            SchemaBuilder s = shipsAndCaptains();
            Model<Ship> ships = ships(s);
            BelongsTo<Ship, Captain> leader = ships.belongsTo(captains(s), o -> o.as("leader"));
            s.build();

            assertThat(leader.as()).isEqualTo("leader");
            assertThat(leader.aliased()).isTrue();
            assertThat(leader.foreignKey().name()).isEqualTo("leaderId");
            assertThat(ships.attribute("captainId")).isNull();
        }

        @Test
        void anExplicitForeignKeyWinsOverTheAlias() {
            SchemaBuilder s = shipsAndCaptains();
            Model<Ship> ships = ships(s);
            BelongsTo<Ship, Captain> leader = ships.belongsTo(captains(s), o -> o.as("leader").foreignKey("bossId"));
            s.build();

            assertThat(leader.as()).isEqualTo("leader");
            assertThat(leader.foreignKey().name()).isEqualTo("bossId");
            assertThat(ships.attribute("leaderId")).isNull();
            assertThat(ships.attribute("captainId")).isNull();
        }

        @Test
        void anExplicitForeignKeyWithoutAliasKeepsTheModelNameAsAlias() {
            SchemaBuilder s = shipsAndCaptains();
            Model<Ship> ships = ships(s);
            BelongsTo<Ship, Captain> captain = ships.belongsTo(captains(s), o -> o.foreignKey("bossId"));
            s.build();

            assertThat(captain.as()).isEqualTo("captain");
            assertThat(captain.aliased()).isFalse();
            assertThat(captain.foreignKey().name()).isEqualTo("bossId");
        }

        @Test
        void targetKeyReferencesAUniqueNonPrimaryColumnWithItsType() {
            SchemaBuilder s = shipsAndCaptains();
            Model<Ship> ships = ships(s);
            Model<Captain> captains = s.define(Captain.class,
                    m -> m.name("captain").attribute("name", DataType.text()).unique());
            BelongsTo<Ship, Captain> captain = ships.belongsTo(captains,
                    o -> o.targetKey("name").foreignKey("captainName"));
            s.build();

            Attribute fk = attr(ships, "captainName");
            assertThat(captain.foreignKey()).isSameAs(fk);
            assertThat(captain.targetKey()).isSameAs(captains.attribute("name"));
            assertThat(fk.type()).isEqualTo(DataType.text());
            assertThat(fk.javaType()).isEqualTo(String.class);
            assertThat(fk.reference()).isEqualTo(new Attribute.Reference("captains", "name",
                    ReferentialAction.SET_NULL, ReferentialAction.CASCADE, true));
        }

        @Test
        void aModelWithoutExplicitNameUsesTheClassNameSoTheKeyIsCapitalised() {
            SchemaBuilder s = Schema.builder();
            Model<Player> players = s.define(Player.class);
            Model<Team> teams = s.define(Team.class);
            BelongsTo<Player, Team> team = players.belongsTo(teams);
            s.build();

            assertThat(team.as()).isEqualTo("Team");
            assertThat(team.foreignKey().name()).isEqualTo("TeamId");
            assertThat(players.tableName()).isEqualTo("Players");
        }
    }

    @Nested
    class HasOneAndHasManyForeignKeys {

        @Test
        void captainHasOneShipPutsCaptainIdOnShips() {
            SchemaBuilder s = shipsAndCaptains();
            Model<Ship> ships = ships(s);
            Model<Captain> captains = captains(s);
            HasOne<Captain, Ship> ship = captains.hasOne(ships);
            s.build();

            assertThat(ship.as()).isEqualTo("ship");
            assertThat(ship.foreignKey()).isSameAs(ships.attribute("captainId"));
            assertThat(ship.sourceKey()).isSameAs(captains.primaryKey());
            assertThat(ship.targetKey()).isSameAs(ship.foreignKey());
        }

        @Test
        void hasOneAndBelongsToPairShareOneForeignKeyColumn() {
            SchemaBuilder s = shipsAndCaptains();
            Model<Ship> ships = ships(s);
            Model<Captain> captains = captains(s);
            HasOne<Captain, Ship> ship = captains.hasOne(ships);
            BelongsTo<Ship, Captain> captain = ships.belongsTo(captains);
            s.build();

            assertThat(ship.foreignKey()).isSameAs(captain.foreignKey());
            assertThat(ships.attributes()).extracting(Attribute::name).containsExactly("id", "name", "captainId");
        }

        @Test
        void teamHasManyPlayersInfersTeamId() {
            SchemaBuilder s = Schema.builder();
            Model<Team> teams = s.define(Team.class);
            Model<Player> players = s.define(Player.class);
            HasMany<Team, Player> teamPlayers = teams.hasMany(players);
            BelongsTo<Player, Team> playerTeam = players.belongsTo(teams);
            s.build();

            assertThat(teamPlayers.as()).isEqualTo("Players");
            assertThat(teamPlayers.singular()).isEqualTo("Player");
            assertThat(teamPlayers.plural()).isEqualTo("Players");
            assertThat(teamPlayers.foreignKey().name()).isEqualTo("TeamId");
            assertThat(teamPlayers.foreignKey()).isSameAs(playerTeam.foreignKey());
            assertThat(teams.tableName()).isEqualTo("Teams");
            assertThat(players.tableName()).isEqualTo("Players");
        }

        @Test
        void hasManyForeignKeyOption() {
            SchemaBuilder s = Schema.builder();
            Model<Team> teams = s.define(Team.class);
            Model<Player> players = s.define(Player.class);
            HasMany<Team, Player> teamPlayers = teams.hasMany(players, o -> o.foreignKey("clubId"));
            s.build();

            assertThat(teamPlayers.foreignKey().name()).isEqualTo("clubId");
            assertThat(players.attribute("TeamId")).isNull();
        }

        @Test
        void hasOneAliasNamesTheForeignKeyAfterTheSingularAlias() {
            // Sequelize's HasOne: camelize(singularize(as || source.name) + '_' + source pk)
            SchemaBuilder s = Schema.builder();
            Model<Team> teams = s.define(Team.class);
            Model<Person> people = s.define(Person.class);
            HasOne<Team, Person> leader = teams.hasOne(people, o -> o.as("leader"));
            s.build();

            assertThat(leader.as()).isEqualTo("leader");
            assertThat(leader.foreignKey().name()).isEqualTo("leaderId");
        }

        @Test
        void hasOneAliasThatIsAlreadySingularIsKeptForTheForeignKey() {
            SchemaBuilder s = Schema.builder();
            Model<Team> teams = s.define(Team.class);
            Model<Game> games = s.define(Game.class);
            HasOne<Team, Game> status = teams.hasOne(games, o -> o.as("status"));
            s.build();

            assertThat(status.foreignKey().name()).isEqualTo("statusId");
        }

        @Test
        void sourceKeyReferencesAUniqueColumnOfTheSource() {
            SchemaBuilder s = Schema.builder().timestamps(false);
            Model<Team> teams = s.define(Team.class, m -> m.name("team").attribute("name").unique());
            Model<Player> players = s.define(Player.class, m -> m.name("player"));
            HasMany<Team, Player> teamPlayers = teams.hasMany(players,
                    o -> o.sourceKey("name").foreignKey("teamName"));
            s.build();

            assertThat(teamPlayers.sourceKey()).isSameAs(teams.attribute("name"));
            assertThat(teamPlayers.foreignKey()).isSameAs(players.attribute("teamName"));
            assertThat(players.attribute("teamName").type()).isEqualTo(DataType.string());
            assertThat(players.attribute("teamName").reference().column()).isEqualTo("name");
        }
    }

    @Nested
    class BelongsToManyJunctions {

        @Test
        void throughANameGeneratesTheJunctionModelWithBothKeys() {
            SchemaBuilder s = Schema.builder();
            Model<Movie> movies = s.define(Movie.class);
            Model<Actor> actors = s.define(Actor.class);
            BelongsToMany<Movie, Actor> movieActors = movies.belongsToMany(actors, o -> o.through("ActorMovies"));
            BelongsToMany<Actor, Movie> actorMovies = actors.belongsToMany(movies, o -> o.through("ActorMovies"));
            Schema schema = s.build();

            Model<?> junction = movieActors.through();
            assertThat(junction).isNotNull().isSameAs(actorMovies.through()).isSameAs(schema.model("ActorMovies"));
            assertThat(junction.isGeneratedJunction()).isTrue();
            assertThat(junction.entityType()).isEqualTo(java.util.Map.class);
            assertThat(junction.tableName()).isEqualTo("ActorMovies");
            assertThat(junction.attributes()).extracting(Attribute::name)
                    .containsExactly("createdAt", "updatedAt", "MovieId", "ActorId");
            assertThat(junction.primaryKeys()).extracting(Attribute::name).containsExactly("MovieId", "ActorId");
            assertThat(movieActors.as()).isEqualTo("Actors");
            assertThat(movieActors.foreignKey().name()).isEqualTo("MovieId");
            assertThat(movieActors.otherKey().name()).isEqualTo("ActorId");
            assertThat(actorMovies.as()).isEqualTo("Movies");
            assertThat(actorMovies.foreignKey().name()).isEqualTo("ActorId");
            assertThat(actorMovies.otherKey().name()).isEqualTo("MovieId");
            assertThat(schema.models()).extracting(Model::name).containsExactly("Movie", "Actor", "ActorMovies");
        }

        @Test
        void selfAssociationFollowersAndFollowingShareOneJunction() {
            SchemaBuilder s = Schema.builder();
            Model<User> users = s.define(User.class);
            BelongsToMany<User, User> followers = users.belongsToMany(users,
                    o -> o.as("followers").through("Followers").foreignKey("followingId").otherKey("followerId"));
            BelongsToMany<User, User> following = users.belongsToMany(users,
                    o -> o.as("following").through("Followers").foreignKey("followerId").otherKey("followingId"));
            s.build();

            assertThat(followers.through()).isSameAs(following.through());
            assertThat(followers.foreignKey().name()).isEqualTo("followingId");
            assertThat(followers.otherKey().name()).isEqualTo("followerId");
            assertThat(following.foreignKey()).isSameAs(followers.otherKey());
            assertThat(following.otherKey()).isSameAs(followers.foreignKey());
            assertThat(followers.through().attributes()).extracting(Attribute::name)
                    .containsExactly("createdAt", "updatedAt", "followingId", "followerId");
            assertThat(users.associations()).containsOnlyKeys("followers", "following");
        }

        @Test
        void selfAssociationWithoutKeysNamesTheOtherKeyAfterTheSingularAlias() {
            // Sequelize: otherKey = camelize((self ? singularize(as) : target name) + '_' + target key)
            SchemaBuilder s = Schema.builder();
            Model<User> users = s.define(User.class);
            BelongsToMany<User, User> followers = users.belongsToMany(users,
                    o -> o.as("followers").through("Followers"));
            s.build();

            assertThat(followers.foreignKey().name()).isEqualTo("UserId");
            assertThat(followers.otherKey().name()).isEqualTo("followerId");
            assertThat(followers.singular()).isEqualTo("follower");
            assertThat(followers.plural()).isEqualTo("followers");
        }

        @Test
        void sourceKeyAndTargetKeyNameTheJunctionColumns() {
            record Foo(Long id, String name) {}
            record Bar(Long id, String title) {}
            SchemaBuilder s = Schema.builder().timestamps(false);
            Model<Foo> foos = s.define(Foo.class, m -> m.name("foo").attribute("name").unique());
            Model<Bar> bars = s.define(Bar.class, m -> m.name("bar").attribute("title").unique());
            BelongsToMany<Foo, Bar> fb = foos.belongsToMany(bars,
                    o -> o.through("foo_bar").sourceKey("name").targetKey("title"));
            s.build();

            assertThat(fb.foreignKey().name()).isEqualTo("fooName");
            assertThat(fb.otherKey().name()).isEqualTo("barTitle");
            assertThat(fb.sourceKey()).isSameAs(foos.attribute("name"));
            assertThat(fb.targetKey()).isSameAs(bars.attribute("title"));
            assertThat(fb.through().tableName()).isEqualTo("foo_bar");
        }
    }

    @Nested
    class SeveralAssociationsBetweenTheSameModels {

        @Test
        void mailSenderAndReceiverAreToldApartByAlias() {
            SchemaBuilder s = Schema.builder().timestamps(false);
            Model<Person> people = s.define(Person.class);
            Model<Mail> mails = s.define(Mail.class);
            BelongsTo<Mail, Person> sender = mails.belongsTo(people, o -> o.as("sender"));
            BelongsTo<Mail, Person> receiver = mails.belongsTo(people, o -> o.as("receiver"));
            s.build();

            assertThat(sender.foreignKey().name()).isEqualTo("senderId");
            assertThat(receiver.foreignKey().name()).isEqualTo("receiverId");
            assertThat(mails.associations()).containsOnlyKeys("sender", "receiver");
            assertThat(mails.slot(sender)).isEqualTo(2);
            assertThat(mails.slot(receiver)).isEqualTo(3);
            assertThat(mails.attributes()).extracting(Attribute::name)
                    .containsExactly("id", "subject", "senderId", "receiverId");
        }

        @Test
        void homeTeamAndAwayTeamWithExplicitForeignKeysBesideAnUnaliasedBelongsTo() {
            SchemaBuilder s = Schema.builder().timestamps(false);
            Model<Team> teams = s.define(Team.class);
            Model<Game> games = s.define(Game.class);
            HasOne<Team, Game> home = teams.hasOne(games, o -> o.as("HomeTeam").foreignKey("homeTeamId"));
            HasOne<Team, Game> away = teams.hasOne(games, o -> o.as("AwayTeam").foreignKey("awayTeamId"));
            BelongsTo<Game, Team> team = games.belongsTo(teams);
            s.build();

            assertThat(home.foreignKey().name()).isEqualTo("homeTeamId");
            assertThat(away.foreignKey().name()).isEqualTo("awayTeamId");
            assertThat(team.foreignKey().name()).isEqualTo("TeamId");
            assertThat(games.attributes()).extracting(Attribute::name)
                    .containsExactly("id", "name", "homeTeamId", "awayTeamId", "TeamId");
            assertThat(teams.associations()).containsOnlyKeys("HomeTeam", "AwayTeam");
        }
    }

    @Nested
    class NamesAndAliases {

        @Test
        void personBecomesThePeopleTable() {
            SchemaBuilder s = Schema.builder();
            Model<Person> people = s.define(Person.class);
            s.build();

            assertThat(people.tableName()).isEqualTo("People");
        }

        @Test
        void toManyAliasIsThePluralOfTheModelAndMixinsUseBothForms() {
            SchemaBuilder s = Schema.builder();
            Model<Team> teams = s.define(Team.class);
            Model<Person> people = s.define(Person.class);
            HasMany<Team, Person> members = teams.hasMany(people);
            s.build();

            assertThat(members.as()).isEqualTo("People");
            assertThat(members.singular()).isEqualTo("Person");
            assertThat(members.plural()).isEqualTo("People");
        }

        @Test
        void toOneAliasIsSingularAndItsPluralIsInferred() {
            SchemaBuilder s = shipsAndCaptains();
            Model<Ship> ships = ships(s);
            BelongsTo<Ship, Captain> leader = ships.belongsTo(captains(s), o -> o.as("leader"));
            s.build();

            assertThat(leader.singular()).isEqualTo("leader");
            assertThat(leader.plural()).isEqualTo("leaders");
        }

        @Test
        void toManyAliasIsPluralAndItsSingularIsInferred() {
            SchemaBuilder s = Schema.builder();
            Model<Movie> movies = s.define(Movie.class);
            Model<Actor> actors = s.define(Actor.class);
            BelongsToMany<Actor, Movie> filmography = actors.belongsToMany(movies,
                    o -> o.through("ActorMovies").as("movies"));
            s.build();

            assertThat(filmography.as()).isEqualTo("movies");
            assertThat(filmography.plural()).isEqualTo("movies");
            assertThat(filmography.singular()).isEqualTo("movie");
        }

        @Test
        void explicitSingularAndPluralFormsAreKept() {
            SchemaBuilder s = Schema.builder();
            Model<Team> teams = s.define(Team.class);
            Model<Person> people = s.define(Person.class);
            HasMany<Team, Person> staff = teams.hasMany(people, o -> o.as("staffMember", "staff"));
            s.build();

            assertThat(staff.as()).isEqualTo("staff");
            assertThat(staff.singular()).isEqualTo("staffMember");
            assertThat(staff.plural()).isEqualTo("staff");
            assertThat(staff.aliased()).isTrue();
            assertThat(staff.foreignKey().name()).isEqualTo("TeamId");
        }

        @Test
        void explicitTableNameIsKept() {
            SchemaBuilder s = Schema.builder();
            Model<Person> people = s.define(Person.class, m -> m.table("persons_tbl"));
            s.build();

            assertThat(people.tableName()).isEqualTo("persons_tbl");
        }

        @Test
        void snakeCaseNamingUnderscoresTablesColumnsAndForeignKeys() {
            SchemaBuilder s = Schema.builder().naming(Naming.snakeCase());
            Model<Team> teams = s.define(Team.class);
            Model<BlogPost> posts = s.define(BlogPost.class);
            HasMany<Team, BlogPost> teamPosts = teams.hasMany(posts);
            s.build();

            assertThat(teams.tableName()).isEqualTo("teams");
            assertThat(posts.tableName()).isEqualTo("blog_posts");
            assertThat(teamPosts.foreignKey().name()).isEqualTo("TeamId");
            assertThat(teamPosts.foreignKey().column()).isEqualTo("team_id");
            assertThat(teamPosts.foreignKey().reference().table()).isEqualTo("teams");
            assertThat(attr(posts, "createdAt").column()).isEqualTo("created_at");
            assertThat(attr(posts, "updatedAt").column()).isEqualTo("updated_at");
        }

        @Test
        void snakeCaseNamingKeepsAnExplicitFieldName() {
            SchemaBuilder s = Schema.builder().naming(Naming.snakeCase());
            Model<BlogPost> posts = s.define(BlogPost.class, m -> m.attribute("title").field("headLine"));
            s.build();

            assertThat(attr(posts, "title").column()).isEqualTo("headLine");
        }
    }

    @Nested
    class ForeignKeyComponentSpelling {

        record Vessel(Long id, String name, Long captainId) {}

        @Test
        void inferredCapitalisedKeyUsesTheLowerCamelRecordComponent() {
            // model "Captain" infers CaptainId; the record spells it captainId: one column, mapped to the component
            SchemaBuilder s = Schema.builder();
            Model<Captain> captains = s.define(Captain.class);
            Model<Vessel> vessels = s.define(Vessel.class);
            HasMany<Captain, Vessel> fleet = captains.hasMany(vessels);
            BelongsTo<Vessel, Captain> captain = vessels.belongsTo(captains);
            s.build();

            Attribute fk = attr(vessels, "captainId");
            assertThat(fleet.foreignKey()).isSameAs(fk);
            assertThat(captain.foreignKey()).isSameAs(fk);
            assertThat(fk.column()).isEqualTo("captainId");
            assertThat(fk.mapped()).isTrue();
            assertThat(fk.property()).isEqualTo(2);
            assertThat(vessels.attribute("CaptainId")).isNull();
            assertThat(fk.reference().table()).isEqualTo("Captains");
        }

        @Test
        void anInferredKeyWithoutComponentIsAnUnmappedColumn() {
            SchemaBuilder s = Schema.builder();
            Model<Team> teams = s.define(Team.class);
            Model<Player> players = s.define(Player.class);
            teams.hasMany(players);
            s.build();

            Attribute fk = attr(players, "TeamId");
            assertThat(fk.mapped()).isFalse();
            assertThat(fk.property()).isEqualTo(-1);
            assertThat(fk.javaType()).isEqualTo(Long.class);
        }
    }

    @Nested
    class ReferentialActionDefaults {

        @Test
        void oneToOneDefaultsToSetNullAndCascade() {
            SchemaBuilder s = shipsAndCaptains();
            Model<Ship> ships = ships(s);
            captains(s).hasOne(ships);
            s.build();

            assertThat(attr(ships, "captainId").reference()).isEqualTo(new Attribute.Reference("captains", "id",
                    ReferentialAction.SET_NULL, ReferentialAction.CASCADE, true));
        }

        @Test
        void oneToManyDefaultsToSetNullAndCascade() {
            SchemaBuilder s = Schema.builder();
            Model<Team> teams = s.define(Team.class);
            Model<Player> players = s.define(Player.class);
            teams.hasMany(players);
            s.build();

            Attribute.Reference r = attr(players, "TeamId").reference();
            assertThat(r.onDelete()).isEqualTo(ReferentialAction.SET_NULL);
            assertThat(r.onUpdate()).isEqualTo(ReferentialAction.CASCADE);
        }

        @Test
        void generatedJunctionDefaultsToCascadeAndCascade() {
            SchemaBuilder s = Schema.builder();
            Model<Movie> movies = s.define(Movie.class);
            Model<Actor> actors = s.define(Actor.class);
            BelongsToMany<Movie, Actor> ma = movies.belongsToMany(actors, o -> o.through("ActorMovies"));
            s.build();

            assertThat(ma.foreignKey().reference()).isEqualTo(new Attribute.Reference("Movies", "id",
                    ReferentialAction.CASCADE, ReferentialAction.CASCADE, true));
            assertThat(ma.otherKey().reference()).isEqualTo(new Attribute.Reference("Actors", "id",
                    ReferentialAction.CASCADE, ReferentialAction.CASCADE, true));
        }

        @Test
        void notNullForeignKeyDefaultsToRestrict() {
            SchemaBuilder s = shipsAndCaptains();
            Model<Ship> ships = ships(s);
            captains(s).hasOne(ships, o -> o.foreignKey(fk -> fk.allowNull(false)));
            s.build();

            Attribute fk = attr(ships, "captainId");
            assertThat(fk.notNull()).isTrue();
            assertThat(fk.reference().onDelete()).isEqualTo(ReferentialAction.RESTRICT);
            assertThat(fk.reference().onUpdate()).isEqualTo(ReferentialAction.RESTRICT);
        }

        @Test
        void explicitActionsWin() {
            SchemaBuilder s = shipsAndCaptains();
            Model<Ship> ships = ships(s);
            captains(s).hasOne(ships, o -> o.onDelete(ReferentialAction.CASCADE).onUpdate(ReferentialAction.NO_ACTION));
            s.build();

            Attribute.Reference r = attr(ships, "captainId").reference();
            assertThat(r.onDelete()).isEqualTo(ReferentialAction.CASCADE);
            assertThat(r.onUpdate()).isEqualTo(ReferentialAction.NO_ACTION);
        }

        @Test
        void theActionOfOneSideOfAPairAppliesToTheSharedColumn() {
            SchemaBuilder s = shipsAndCaptains();
            Model<Ship> ships = ships(s);
            Model<Captain> captains = captains(s);
            captains.hasOne(ships, o -> o.onDelete(ReferentialAction.RESTRICT));
            ships.belongsTo(captains);
            s.build();

            assertThat(attr(ships, "captainId").reference().onDelete()).isEqualTo(ReferentialAction.RESTRICT);
        }

        @Test
        void constraintsFalseKeepsTheColumnWithoutConstraint() {
            SchemaBuilder s = shipsAndCaptains();
            Model<Ship> ships = ships(s);
            ships.belongsTo(captains(s), o -> o.constraints(false));
            s.build();

            assertThat(attr(ships, "captainId").reference().constraint()).isFalse();
        }
    }

    @Nested
    class AttributeTypes {

        enum Color { RED, GREEN }

        record Everything(Long id, String s, Integer i, int pi, long pl, Short sh, Double d, Float f, Boolean b,
                boolean pb, BigDecimal bd, LocalDate date, LocalDateTime local, Instant instant, OffsetDateTime offset,
                byte[] bytes, Color color, UUID uuid) {}

        record Keyed(UUID id, String name) {}
        record IntKeyed(Integer id, String name) {}
        record Child(Long id, UUID KeyedId) {}

        private Model<Everything> everything() {
            SchemaBuilder s = Schema.builder();
            Model<Everything> m = s.define(Everything.class);
            s.build();
            return m;
        }

        private String sql(Model<?> m, String attribute) {
            return attr(m, attribute).type().sql();
        }

        @Test
        void scalarJavaTypesMapToPostgresTypes() {
            Model<Everything> m = everything();

            assertThat(sql(m, "id")).isEqualTo("BIGINT");
            assertThat(sql(m, "s")).isEqualTo("VARCHAR(255)");
            assertThat(sql(m, "i")).isEqualTo("INTEGER");
            assertThat(sql(m, "pi")).isEqualTo("INTEGER");
            assertThat(sql(m, "pl")).isEqualTo("BIGINT");
            assertThat(sql(m, "sh")).isEqualTo("SMALLINT");
            assertThat(sql(m, "d")).isEqualTo("DOUBLE PRECISION");
            assertThat(sql(m, "f")).isEqualTo("REAL");
            assertThat(sql(m, "b")).isEqualTo("BOOLEAN");
            assertThat(sql(m, "bd")).isEqualTo("NUMERIC");
            assertThat(sql(m, "date")).isEqualTo("DATE");
            assertThat(sql(m, "local")).isEqualTo("TIMESTAMP");
            assertThat(sql(m, "instant")).isEqualTo("TIMESTAMP WITH TIME ZONE");
            assertThat(sql(m, "offset")).isEqualTo("TIMESTAMP WITH TIME ZONE");
            assertThat(sql(m, "bytes")).isEqualTo("BYTEA");
            assertThat(sql(m, "uuid")).isEqualTo("UUID");
        }

        @Test
        void enumsAreStoredAsTheirNameInAVarchar() {
            Attribute color = attr(everything(), "color");

            assertThat(color.type()).isEqualTo(DataType.string());
            assertThat(color.javaType()).isEqualTo(Color.class);
        }

        @Test
        void primitivesAreNotNullAndBoxedTypesNullable() {
            Model<Everything> m = everything();

            assertThat(attr(m, "pi").notNull()).isTrue();
            assertThat(attr(m, "pl").notNull()).isTrue();
            assertThat(attr(m, "pb").notNull()).isTrue();
            assertThat(attr(m, "pi").javaType()).isEqualTo(Integer.class);
            assertThat(attr(m, "i").notNull()).isFalse();
            assertThat(attr(m, "s").notNull()).isFalse();
        }

        @Test
        void integerIdIsAnAutoIncrementedPrimaryKey() {
            Model<Everything> m = everything();

            Attribute id = m.primaryKey();
            assertThat(id.name()).isEqualTo("id");
            assertThat(id.primaryKey()).isTrue();
            assertThat(id.autoIncrement()).isTrue();
            assertThat(id.generated()).isTrue();
        }

        @Test
        void uuidPrimaryKeyDefaultsToARandomUuid() {
            SchemaBuilder s = Schema.builder();
            Model<Keyed> m = s.define(Keyed.class);
            s.build();

            Attribute id = m.primaryKey();
            assertThat(id.type()).isEqualTo(DataType.uuid());
            assertThat(id.autoIncrement()).isFalse();
            assertThat(id.defaultValue()).isEqualTo(DefaultValue.uuidV4());
        }

        @Test
        void aForeignKeyTakesTheTypeOfTheReferencedKeyWithoutItsDefault() {
            SchemaBuilder s = Schema.builder();
            Model<Keyed> parents = s.define(Keyed.class);
            Model<IntKeyed> others = s.define(IntKeyed.class);
            Model<Player> players = s.define(Player.class);
            parents.hasMany(players);
            others.hasMany(players);
            s.build();

            assertThat(attr(players, "KeyedId").type()).isEqualTo(DataType.uuid());
            assertThat(attr(players, "KeyedId").defaultValue()).isNull();
            assertThat(attr(players, "KeyedId").autoIncrement()).isFalse();
            assertThat(attr(players, "IntKeyedId").type()).isEqualTo(DataType.integer());
            assertThat(attr(players, "IntKeyedId").javaType()).isEqualTo(Integer.class);
        }

        @Test
        void aDeclaredTypeOverridesTheInferredOne() {
            SchemaBuilder s = Schema.builder();
            Model<Person> people = s.define(Person.class, m -> m.attribute("name", DataType.text()).notNull());
            s.build();

            assertThat(attr(people, "name").type()).isEqualTo(DataType.text());
            assertThat(attr(people, "name").notNull()).isTrue();
        }

        @Test
        void timestampsAreKeptAsColumnsEvenWithoutComponents() {
            Model<Everything> m = everything();

            Attribute created = attr(m, "createdAt");
            Attribute updated = attr(m, "updatedAt");
            assertThat(created.role()).isEqualTo(Attribute.Role.CREATED_AT);
            assertThat(updated.role()).isEqualTo(Attribute.Role.UPDATED_AT);
            assertThat(created.type().sql()).isEqualTo("TIMESTAMP WITH TIME ZONE");
            assertThat(created.notNull()).isTrue();
            assertThat(created.mapped()).isFalse();
            assertThat(m.timestamps()).isTrue();
        }

        @Test
        void timestampsCanBeTurnedOffPerModelOrSchema() {
            SchemaBuilder s = Schema.builder().timestamps(false);
            Model<Person> people = s.define(Person.class);
            Model<Team> teams = s.define(Team.class, m -> m.timestamps(true));
            s.build();

            assertThat(people.attributes()).extracting(Attribute::name).containsExactly("id", "name");
            assertThat(people.timestamps()).isFalse();
            assertThat(teams.attributes()).extracting(Attribute::name)
                    .containsExactly("id", "name", "createdAt", "updatedAt");
        }

        @Test
        void aCustomPrimaryKeyReplacesTheId() {
            record Country(String code, String name) {}
            SchemaBuilder s = Schema.builder().timestamps(false);
            Model<Country> countries = s.define(Country.class, m -> m.primaryKey("code"));
            s.build();

            assertThat(countries.primaryKey().name()).isEqualTo("code");
            assertThat(countries.primaryKey().autoIncrement()).isFalse();
            assertThat(countries.attributes()).extracting(Attribute::name).containsExactly("code", "name");
        }
    }

    @Nested
    class AssociationSlots {

        record Pilot(Long id, String name, Plane plane) {}
        record Plane(Long id, String name, Pilot pilot, Pilot copilot) {}
        record Hangar(Long id, List<Plane> planes) {}

        @Test
        void componentsTypedAsModelsHoldAssociationsByAlias() {
            SchemaBuilder s = Schema.builder().timestamps(false);
            Model<Pilot> pilots = s.define(Pilot.class);
            Model<Plane> planes = s.define(Plane.class);
            Model<Hangar> hangars = s.define(Hangar.class);
            HasOne<Pilot, Plane> plane = pilots.hasOne(planes, o -> o.as("plane"));
            BelongsTo<Plane, Pilot> pilot = planes.belongsTo(pilots, o -> o.as("pilot"));
            BelongsTo<Plane, Pilot> copilot = planes.belongsTo(pilots, o -> o.as("copilot"));
            HasMany<Hangar, Plane> hangarPlanes = hangars.hasMany(planes, o -> o.as("planes"));
            s.build();

            assertThat(pilots.slot(plane)).isEqualTo(2);
            assertThat(planes.slot(pilot)).isEqualTo(2);
            assertThat(planes.slot(copilot)).isEqualTo(3);
            assertThat(hangars.slot(hangarPlanes)).isEqualTo(1);
            assertThat(pilots.attributes()).extracting(Attribute::name).containsExactly("id", "name");
            assertThat(hangars.attributes()).extracting(Attribute::name).containsExactly("id");
        }

        @Test
        void anUnaliasedAssociationFillsTheComponentNamedAfterTheDecapitalisedModelName() {
            SchemaBuilder s = Schema.builder().timestamps(false);
            Model<Pilot> pilots = s.define(Pilot.class);
            Model<Plane> planes = s.define(Plane.class);
            HasOne<Pilot, Plane> plane = pilots.hasOne(planes);
            s.build();

            assertThat(plane.as()).isEqualTo("Plane");
            assertThat(pilots.slot(plane)).isEqualTo(2);
        }
    }
    /** Definitions Sequelize accepts, written as its tutorials (seeds 000-003) and its tests write them. */
    @Nested
    class SequelizeDefinitions {

        record Student(Long id, String name) {}
        record Course(Long id, String title) {}
        record UserRow(java.util.UUID userId, String firstName) {}
        record School(java.util.UUID schoolId, String name) {}
        record UserSchool(java.util.UUID userSchoolId) {}
        record Order(Long id, String item) {}
        record InternetOrder(Long id, String url) {}
        record Post(Long id) {}
        record Image(Long id) {}
        record Comment(Long id, String title, String commentable, Long commentable_id) {}
        record Place(Long id, String name) {}

        @Test
        void pairedBelongsToManyWithOnlyForeignKeysInfersEachOtherKeyFromThePair() {
            // seed 002: Student.belongsToMany(Course, {through: 'StudentCourses', as: 'courses', foreignKey: 'studentId'})
            SchemaBuilder s = Schema.builder().timestamps(false);
            Model<Student> students = s.define(Student.class);
            Model<Course> courses = s.define(Course.class);
            BelongsToMany<Student, Course> studentCourses = students.belongsToMany(courses,
                    o -> o.through("StudentCourses").as("courses").foreignKey("studentId"));
            BelongsToMany<Course, Student> courseStudents = courses.belongsToMany(students,
                    o -> o.through("StudentCourses").as("students").foreignKey("courseId"));
            s.build();

            assertThat(studentCourses.foreignKey().name()).isEqualTo("studentId");
            assertThat(studentCourses.otherKey().name()).isEqualTo("courseId");
            assertThat(courseStudents.foreignKey().name()).isEqualTo("courseId");
            assertThat(courseStudents.otherKey().name()).isEqualTo("studentId");
            assertThat(studentCourses.through()).isSameAs(courseStudents.through());
            assertThat(studentCourses.through().attributes()).extracting(Attribute::name)
                    .containsExactly("studentId", "courseId");
        }

        @Test
        void seedUsersAndSchoolsThroughTheirOwnJunctionModelShareOnePairOfColumns() {
            // seeds 000/001: models named 'users'/'schools', junction 'user_schools' with its own UUID key
            SchemaBuilder s = Schema.builder().timestamps(false);
            Model<UserRow> users = s.define(UserRow.class, m -> m.name("users").table("users").primaryKey("userId"));
            Model<School> schools = s.define(School.class, m -> m.name("schools").primaryKey("schoolId"));
            Model<UserSchool> userSchools = s.define(UserSchool.class,
                    m -> m.name("user_schools").table("user_schools").primaryKey("userSchoolId"));
            BelongsToMany<UserRow, School> userToSchools = users.belongsToMany(schools,
                    o -> o.through(userSchools).foreignKey("userUserId").as("userSchools"));
            BelongsToMany<School, UserRow> schoolToUsers = schools.belongsToMany(users,
                    o -> o.through(userSchools).foreignKey("schoolSchoolId").as("schoolUsers"));
            s.build();

            assertThat(userToSchools.otherKey().name()).isEqualTo("schoolSchoolId");
            assertThat(schoolToUsers.otherKey().name()).isEqualTo("userUserId");
            assertThat(userSchools.attributes()).extracting(Attribute::name)
                    .containsExactly("userSchoolId", "userUserId", "schoolSchoolId");
        }

        @Test
        void inferredKeysUseTheSingularOfAPluralModelName() {
            // Sequelize: define('users') -> userId; define('Orders') -> OrderId on both halves of a pair
            SchemaBuilder s = Schema.builder().timestamps(false);
            Model<Order> orders = s.define(Order.class, m -> m.name("Orders"));
            Model<InternetOrder> internetOrders = s.define(InternetOrder.class, m -> m.name("InternetOrders"));
            BelongsTo<InternetOrder, Order> order = internetOrders.belongsTo(orders);
            HasOne<Order, InternetOrder> internet = orders.hasOne(internetOrders);
            HasMany<Order, InternetOrder> all = orders.hasMany(internetOrders, o -> o.as("allInternetOrders"));
            s.build();

            assertThat(order.as()).isEqualTo("Order");
            assertThat(order.foreignKey().name()).isEqualTo("OrderId");
            assertThat(internet.as()).isEqualTo("InternetOrder");
            assertThat(internet.foreignKey()).isSameAs(order.foreignKey());
            assertThat(all.foreignKey()).isSameAs(order.foreignKey());
            assertThat(internetOrders.attributes()).extracting(Attribute::name).containsExactly("id", "url", "OrderId");
        }

        @Test
        void aTargetKeyOrSourceKeyWithoutForeignKeyStillNamesTheKeyAfterThePrimaryKey() {
            // Sequelize v6: camelize(as + '_' + target.primaryKeyAttribute), whatever the targetKey
            SchemaBuilder s = Schema.builder().timestamps(false);
            Model<Place> places = s.define(Place.class, m -> m.attribute("name").unique());
            Model<Post> posts = s.define(Post.class);
            BelongsTo<Post, Place> place = posts.belongsTo(places, o -> o.targetKey("name"));
            HasMany<Place, Student> pupils = places.hasMany(s.define(Student.class), o -> o.sourceKey("name"));
            s.build();

            assertThat(place.foreignKey().name()).isEqualTo("PlaceId");
            assertThat(place.foreignKey().type()).isEqualTo(DataType.string());
            assertThat(place.foreignKey().reference().column()).isEqualTo("name");
            assertThat(pupils.foreignKey().name()).isEqualTo("PlaceId");
            assertThat(pupils.foreignKey().reference().column()).isEqualTo("name");
        }

        @Test
        void eachJunctionSideKeepsItsOwnReferentialActions() {
            SchemaBuilder s = Schema.builder().timestamps(false);
            Model<Student> students = s.define(Student.class);
            Model<Course> courses = s.define(Course.class);
            BelongsToMany<Student, Course> enrolled = students.belongsToMany(courses, o -> o.through("Enrollments")
                    .foreignKey(fk -> fk.onDelete(ReferentialAction.RESTRICT))
                    .otherKey(k -> k.onDelete(ReferentialAction.CASCADE).onUpdate(ReferentialAction.NO_ACTION)));
            s.build();

            assertThat(enrolled.foreignKey().name()).isEqualTo("StudentId");
            assertThat(enrolled.foreignKey().reference().onDelete()).isEqualTo(ReferentialAction.RESTRICT);
            assertThat(enrolled.foreignKey().reference().onUpdate()).isEqualTo(ReferentialAction.CASCADE);
            assertThat(enrolled.otherKey().reference().onDelete()).isEqualTo(ReferentialAction.CASCADE);
            assertThat(enrolled.otherKey().reference().onUpdate()).isEqualTo(ReferentialAction.NO_ACTION);
        }

        @Test
        void polymorphicForeignKeySharedBySeveralSourcesWithoutConstraints() {
            SchemaBuilder s = Schema.builder().timestamps(false);
            Model<Post> posts = s.define(Post.class);
            Model<Image> images = s.define(Image.class);
            Model<Comment> comments = s.define(Comment.class);
            HasMany<Post, Comment> postComments = posts.hasMany(comments, o -> o.foreignKey("commentable_id")
                    .scope("commentable", "post").constraints(false));
            HasMany<Image, Comment> imageComments = images.hasMany(comments, o -> o.foreignKey("commentable_id")
                    .scope("commentable", "image").constraints(false));
            BelongsTo<Comment, Post> post = comments.belongsTo(posts, o -> o.foreignKey("commentable_id").as("post")
                    .constraints(false));
            s.build();

            assertThat(postComments.foreignKey()).isSameAs(imageComments.foreignKey()).isSameAs(post.foreignKey());
            assertThat(postComments.foreignKey().reference().constraint()).isFalse();
            assertThat(postComments.scope()).containsEntry("commentable", "post");
            assertThat(imageComments.scope()).containsEntry("commentable", "image");
        }

        @Test
        void anExplicitForeignKeyTypeMayDifferFromTheKeyWithoutAConstraint() {
            SchemaBuilder s = Schema.builder().timestamps(false);
            Model<Place> places = s.define(Place.class);
            Model<Post> posts = s.define(Post.class);
            HasMany<Place, Post> placePosts = places.hasMany(posts, o -> o.constraints(false)
                    .foreignKey(fk -> fk.name("placeCode").type(DataType.string())));
            s.build();

            assertThat(placePosts.foreignKey().type()).isEqualTo(DataType.string());
            assertThat(placePosts.foreignKey().reference().constraint()).isFalse();
        }
        record Profile(UUID userProfileId, String address) {}
        record Account(UUID userId, String name) {}
        record Subject(UUID subjectId, String name) {}
        record Chapter(UUID chapterId, String title) {}

        @Test
        void inferredKeysCamelizeModelNamesWithUnderscoresAsSequelizeDoes() {
            // Sequelize: Utils.camelize([singular, key].join('_')) drops every '_' and upper-cases what follows:
            // seed 003's models without foreignKey: users.belongsTo(user_profiles) -> userProfileUserProfileId,
            // seed 000's master_subjects.hasMany(chapters) -> masterSubjectSubjectId
            SchemaBuilder s = Schema.builder().timestamps(false);
            Model<Account> users = s.define(Account.class, m -> m.name("users").primaryKey("userId"));
            Model<Profile> profiles = s.define(Profile.class, m -> m.name("user_profiles").primaryKey("userProfileId"));
            Model<Subject> subjects = s.define(Subject.class, m -> m.name("master_subjects").primaryKey("subjectId"));
            Model<Chapter> chapters = s.define(Chapter.class, m -> m.name("chapters").primaryKey("chapterId"));
            BelongsTo<Account, Profile> profile = users.belongsTo(profiles);
            HasOne<Profile, Account> user = profiles.hasOne(users);
            HasMany<Subject, Chapter> subjectChapters = subjects.hasMany(chapters);
            BelongsTo<Chapter, Subject> home = chapters.belongsTo(subjects, o -> o.as("home_subject"));
            BelongsToMany<Subject, Profile> readers = subjects.belongsToMany(profiles, o -> o.through("subject_readers"));
            s.build();

            assertThat(profile.as()).isEqualTo("user_profile");
            assertThat(profile.foreignKey().name()).isEqualTo("userProfileUserProfileId");
            assertThat(user.foreignKey()).as("the hasOne of the pair infers the same name").isSameAs(profile.foreignKey());
            assertThat(subjectChapters.foreignKey().name()).isEqualTo("masterSubjectSubjectId");
            assertThat(home.foreignKey().name()).isEqualTo("homeSubjectSubjectId");
            assertThat(readers.foreignKey().name()).isEqualTo("masterSubjectSubjectId");
            assertThat(readers.otherKey().name()).isEqualTo("userProfileUserProfileId");
            assertThat(users.attributes()).extracting(Attribute::name)
                    .containsExactly("userId", "name", "userProfileUserProfileId");
        }
    }
}
