package io.relata.sql;

import io.relata.plan.Statements;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.Association;
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
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Exact SQL text and bind values of planned SELECTs: filters, windows, every include kind, errors
 * before SQL, SEPARATE follow-ups, counts and lazy loads. Expected SQL is written with backticks for
 * double quotes ({@link #q(String)}).
 */
class SelectPlannerTest {

    // seed 004: define('captain'), define('ship'), timestamps: false
    record Captain(Long id, String name, Integer skillLevel, Ship ship) {}
    record Ship(Long id, String name, Integer crewCapacity, Long captainId, Captain captain, Captain leader) {}

    record Team(Long id, String name, List<Player> players, List<Coach> coaches) {}
    record Player(Long id, String name, Integer number, Long TeamId, Team team, List<Goal> goals) {}
    record Coach(Long id, String name, Long TeamId) {}
    record Goal(Long id, Integer minute, Long PlayerId) {}

    record Movie(Long id, String title, List<Actor> actors) {}
    record Actor(Long id, String name, Casting casting, List<Movie> movies) {}
    record Casting(Long MovieId, Long ActorId, String role) {}

    record User(Long id, String username, List<User> followers, List<User> following) {}

    static final Model<Captain> captains;
    static final Model<Ship> ships;
    static final HasOne<Captain, Ship> captainShip;
    static final BelongsTo<Ship, Captain> shipCaptain;
    static final BelongsTo<Ship, Captain> shipLeader;
    static final Model<Team> teams;
    static final Model<Player> players;
    static final Model<Coach> coaches;
    static final Model<Goal> goals;
    static final HasMany<Team, Player> teamPlayers;
    static final HasMany<Team, Coach> teamCoaches;
    static final BelongsTo<Player, Team> playerTeam;
    static final HasMany<Player, Goal> playerGoals;
    static final Model<Movie> movies;
    static final Model<Actor> actors;
    static final BelongsToMany<Movie, Actor> movieActors;
    static final BelongsToMany<Actor, Movie> actorMovies;
    static final Model<User> users;
    static final BelongsToMany<User, User> followers;
    static final BelongsToMany<User, User> following;

    static {
        SchemaBuilder s = Schema.builder();
        captains = s.define(Captain.class, m -> m.name("captain").timestamps(false));
        ships = s.define(Ship.class, m -> m.name("ship").timestamps(false));
        captainShip = captains.hasOne(ships);
        shipCaptain = ships.belongsTo(captains);
        shipLeader = ships.belongsTo(captains, o -> o.as("leader"));
        teams = s.define(Team.class);
        players = s.define(Player.class);
        coaches = s.define(Coach.class);
        goals = s.define(Goal.class);
        teamPlayers = teams.hasMany(players, o -> o.as("players"));
        teamCoaches = teams.hasMany(coaches, o -> o.as("coaches"));
        playerTeam = players.belongsTo(teams, o -> o.as("team"));
        playerGoals = players.hasMany(goals, o -> o.as("goals"));
        movies = s.define(Movie.class);
        actors = s.define(Actor.class);
        Model<Casting> castings = s.define(Casting.class);
        movieActors = movies.belongsToMany(actors, o -> o.through(castings).as("actors"));
        actorMovies = actors.belongsToMany(movies, o -> o.through(castings).as("movies"));
        users = s.define(User.class);
        followers = users.belongsToMany(users,
                o -> o.as("followers").through("Followers").foreignKey("followingId").otherKey("followerId"));
        following = users.belongsToMany(users,
                o -> o.as("following").through("Followers").foreignKey("followerId").otherKey("followingId"));
        s.build();
    }

    /** @return the text with backticks turned into double quotes */
    static String q(String sql) {
        return sql.replace('`', '"');
    }

    static SqlStatement select(Query<?> query) {
        return Statements.select(query).statement();
    }

    static final String CAPTAIN = "`t0`.`id` AS `c0`, `t0`.`name` AS `c1`, `t0`.`skillLevel` AS `c2`";
    static final String TEAM = "`t0`.`id` AS `c0`, `t0`.`name` AS `c1`";
    static final String SHIP = "`t0`.`id` AS `c0`, `t0`.`name` AS `c1`, `t0`.`crewCapacity` AS `c2`, "
            + "`t0`.`captainId` AS `c3`";
    static final String PLAYERS_T1 = "`t1`.`id` AS `c2`, `t1`.`name` AS `c3`, `t1`.`number` AS `c4`, "
            + "`t1`.`TeamId` AS `c5`";

    @Nested
    class Filters {

        @Test
        void findAllSelectsEveryMappedColumnWithPositionalAliases() {
            SqlStatement st = select(Query.from(captains));

            assertThat(st.sql()).isEqualTo(q("SELECT " + CAPTAIN + " FROM `captains` AS `t0`"));
            assertThat(st.binds()).isEmpty();
        }

        @Test
        void eqBindsTheValue() {
            SqlStatement st = select(Query.from(captains).where(Where.eq("name", "Jack Sparrow")));

            assertThat(st.sql()).isEqualTo(q("SELECT " + CAPTAIN + " FROM `captains` AS `t0` WHERE `t0`.`name` = $1"));
            assertThat(st.values()).containsExactly("Jack Sparrow");
            assertThat(st.binds().get(0).type()).isEqualTo(String.class);
        }

        @Test
        void comparisonOperatorsInAnAnd() {
            SqlStatement st = select(Query.from(captains).where(Where.and(Where.ne("name", "Davy Jones"),
                    Where.gt("skillLevel", 1), Where.gte("skillLevel", 2), Where.lt("skillLevel", 9),
                    Where.lte("skillLevel", 10))));

            assertThat(st.sql()).isEqualTo(q("SELECT " + CAPTAIN + " FROM `captains` AS `t0` WHERE "
                    + "(`t0`.`name` <> $1 AND `t0`.`skillLevel` > $2 AND `t0`.`skillLevel` >= $3"
                    + " AND `t0`.`skillLevel` < $4 AND `t0`.`skillLevel` <= $5)"));
            assertThat(st.values()).containsExactly("Davy Jones", 1, 2, 9, 10);
        }

        @Test
        void inIsEqualsAnyOfOneTypedArray() {
            SqlStatement st = select(Query.from(captains).where(Where.in("id", 1, 2, 3)));

            assertThat(st.sql()).isEqualTo(q("SELECT " + CAPTAIN + " FROM `captains` AS `t0` WHERE `t0`.`id` = ANY($1)"));
            assertThat(st.binds()).hasSize(1);
            assertThat(st.binds().get(0).type()).isEqualTo(Long[].class);
            assertThat(st.binds().get(0).value()).isEqualTo(new Long[] {1L, 2L, 3L});
        }

        @Test
        void inTextDoesNotDependOnTheNumberOfValues() {
            SqlStatement one = select(Query.from(captains).where(Where.in("skillLevel", List.of(1L))));
            SqlStatement three = select(Query.from(captains).where(Where.in("skillLevel", List.of(1, 2, 3))));

            assertThat(one.sql()).isEqualTo(three.sql());
            assertThat(one.binds().get(0).value()).isEqualTo(new Integer[] {1});
            assertThat(three.binds().get(0).type()).isEqualTo(Integer[].class);
        }

        @Test
        void notInIsNotEqualsAll() {
            SqlStatement st = select(Query.from(captains).where(Where.notIn("name", List.of("a", "b"))));

            assertThat(st.sql()).isEqualTo(q("SELECT " + CAPTAIN + " FROM `captains` AS `t0` WHERE `t0`.`name` <> ALL($1)"));
            assertThat(st.binds().get(0).value()).isEqualTo(new String[] {"a", "b"});
            assertThat(st.binds().get(0).type()).isEqualTo(String[].class);
        }

        @Test
        void likeAndILikeInAnOr() {
            SqlStatement st = select(Query.from(captains).where(Where.or(Where.like("name", "J%"),
                    Where.iLike("name", "%sparrow"))));

            assertThat(st.sql()).isEqualTo(q("SELECT " + CAPTAIN + " FROM `captains` AS `t0` WHERE "
                    + "(`t0`.`name` LIKE $1 OR `t0`.`name` ILIKE $2)"));
            assertThat(st.values()).containsExactly("J%", "%sparrow");
        }

        @Test
        void nullChecksBindNothingAndEqNullIsIsNull() {
            SqlStatement st = select(Query.from(captains).where(Where.and(Where.isNull("name"),
                    Where.notNull("skillLevel"), Where.eq("name", null), Where.ne("skillLevel", null))));

            assertThat(st.sql()).isEqualTo(q("SELECT " + CAPTAIN + " FROM `captains` AS `t0` WHERE "
                    + "(`t0`.`name` IS NULL AND `t0`.`skillLevel` IS NOT NULL AND `t0`.`name` IS NULL"
                    + " AND `t0`.`skillLevel` IS NOT NULL)"));
            assertThat(st.binds()).isEmpty();
        }

        @Test
        void betweenUnderNot() {
            SqlStatement st = select(Query.from(captains).where(Where.not(Where.between("skillLevel", 1, 5))));

            assertThat(st.sql()).isEqualTo(q("SELECT " + CAPTAIN + " FROM `captains` AS `t0` WHERE "
                    + "NOT (`t0`.`skillLevel` BETWEEN $1 AND $2)"));
            assertThat(st.values()).containsExactly(1, 5);
        }

        @Test
        void nestedAndOrKeepTheirParentheses() {
            SqlStatement st = select(Query.from(captains).where(Where.or(
                    Where.and(Where.eq("name", "a"), Where.gt("skillLevel", 3)),
                    Where.and(Where.eq("name", "b"), Where.not(Where.isNull("skillLevel"))))));

            assertThat(st.sql()).isEqualTo(q("SELECT " + CAPTAIN + " FROM `captains` AS `t0` WHERE "
                    + "((`t0`.`name` = $1 AND `t0`.`skillLevel` > $2) OR "
                    + "(`t0`.`name` = $3 AND NOT (`t0`.`skillLevel` IS NULL)))"));
            assertThat(st.values()).containsExactly("a", 3, "b");
        }

        @Test
        void twoWheresAreAnded() {
            SqlStatement st = select(Query.from(captains).where(Where.eq("name", "a")).where(Where.gt("skillLevel", 3)));

            assertThat(st.sql()).isEqualTo(q("SELECT " + CAPTAIN + " FROM `captains` AS `t0` WHERE "
                    + "(`t0`.`name` = $1 AND `t0`.`skillLevel` > $2)"));
        }

        @Test
        void numbersAreBoundAsTheColumnsType() {
            SqlStatement st = select(Query.from(captains).where(Where.eq("id", 7)));

            assertThat(st.binds().get(0).value()).isEqualTo(7L);
            assertThat(st.binds().get(0).type()).isEqualTo(Long.class);
        }

        @Test
        void aValueThatDoesNotFitTheColumnIsRejectedBeforeSql() {
            Query<Captain> text = Query.from(captains).where(Where.eq("skillLevel", "high"));
            Query<Captain> fraction = Query.from(captains).where(Where.eq("skillLevel", 2.5));

            assertThatThrownBy(() -> Statements.select(text)).isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContainingAll("high", "'skillLevel'");
            // binding 2 for 2.5 would silently change the result
            assertThatThrownBy(() -> Statements.select(fraction)).isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContainingAll("2.5", "'skillLevel'");
        }

        @Test
        void orderLimitAndOffset() {
            SqlStatement st = select(Query.from(captains).orderBy(Order.asc("name"), Order.desc("skillLevel"))
                    .limit(10).offset(20));

            assertThat(st.sql()).isEqualTo(q("SELECT " + CAPTAIN + " FROM `captains` AS `t0` "
                    + "ORDER BY `t0`.`name`, `t0`.`skillLevel` DESC LIMIT $1 OFFSET $2"));
            assertThat(st.values()).containsExactly(10L, 20L);
        }

        @Test
        void attributesAlwaysKeepThePrimaryKey() {
            SqlStatement st = select(Query.from(captains).attributes("name"));

            assertThat(st.sql()).isEqualTo(q("SELECT `t0`.`id` AS `c0`, `t0`.`name` AS `c1` FROM `captains` AS `t0`"));
        }

        @Test
        void theTextIsTheSameEveryTime() {
            Query<Captain> query = Query.from(captains).where(Where.eq("name", "x")).include(captainShip);

            assertThat(select(query)).isEqualTo(select(query));
        }
    }

    @Nested
    class HasOneIncludes {

        @Test
        void optionalHasOneIsALeftJoinOnTheTargetsForeignKey() {
            SqlStatement st = select(Query.from(captains).where(Where.eq("name", "Jack Sparrow")).include(captainShip));

            assertThat(st.sql()).isEqualTo(q("SELECT " + CAPTAIN + ", `t1`.`id` AS `c3`, `t1`.`name` AS `c4`, "
                    + "`t1`.`crewCapacity` AS `c5`, `t1`.`captainId` AS `c6` FROM `captains` AS `t0` "
                    + "LEFT OUTER JOIN `ships` AS `t1` ON `t1`.`captainId` = `t0`.`id` WHERE `t0`.`name` = $1"));
            assertThat(st.values()).containsExactly("Jack Sparrow");
        }

        @Test
        void requiredHasOneIsAnInnerJoin() {
            SqlStatement st = select(Query.from(captains).include(captainShip, i -> i.required(true)));

            assertThat(st.sql()).contains(q("INNER JOIN `ships` AS `t1` ON `t1`.`captainId` = `t0`.`id`"))
                    .doesNotContain("ORDER BY");
        }

        @Test
        void includeByModelWhenTheAssociationHasNoAlias() {
            assertThat(select(Query.from(captains).include(ships)))
                    .isEqualTo(select(Query.from(captains).include(captainShip)));
        }
    }

    @Nested
    class BelongsToIncludes {

        static final String CAPTAIN_T1 = "`t1`.`id` AS `c4`, `t1`.`name` AS `c5`, `t1`.`skillLevel` AS `c6`";

        @Test
        void belongsToJoinsTheTargetKeyOnTheSourcesForeignKey() {
            SqlStatement st = select(Query.from(ships).include(shipCaptain));

            assertThat(st.sql()).isEqualTo(q("SELECT " + SHIP + ", " + CAPTAIN_T1 + " FROM `ships` AS `t0` "
                    + "LEFT OUTER JOIN `captains` AS `t1` ON `t1`.`id` = `t0`.`captainId`"));
        }

        @Test
        void aliasedBelongsToIncludedByItsAlias() {
            SqlStatement st = select(Query.from(ships).include("leader"));

            assertThat(st.sql()).isEqualTo(q("SELECT " + SHIP + ", " + CAPTAIN_T1 + " FROM `ships` AS `t0` "
                    + "LEFT OUTER JOIN `captains` AS `t1` ON `t1`.`id` = `t0`.`leaderId`"));
            assertThat(select(Query.from(ships).include(shipLeader))).isEqualTo(st);
        }

        @Test
        void includeByModelPicksTheUnaliasedAssociationBesideAnAliasedOne() {
            // Sequelize: getAssociationForAlias(target, undefined) finds the association that is not aliased
            assertThat(select(Query.from(ships).include(captains)))
                    .isEqualTo(select(Query.from(ships).include(shipCaptain)));
        }

        @Test
        void twoAssociationsToTheSameModelGetTheirOwnTableAliases() {
            SqlStatement st = select(Query.from(ships).include(shipCaptain).include(shipLeader));

            assertThat(st.sql()).isEqualTo(q("SELECT " + SHIP + ", " + CAPTAIN_T1 + ", `t2`.`id` AS `c7`, "
                    + "`t2`.`name` AS `c8`, `t2`.`skillLevel` AS `c9` FROM `ships` AS `t0` "
                    + "LEFT OUTER JOIN `captains` AS `t1` ON `t1`.`id` = `t0`.`captainId` "
                    + "LEFT OUTER JOIN `captains` AS `t2` ON `t2`.`id` = `t0`.`leaderId`"));
            assertThat(select(Query.from(ships).includeAll())).isEqualTo(st);
        }

        @Test
        void whereOnAnIncludedToOnePathFiltersRoots() {
            SqlStatement st = select(Query.from(ships).include(shipCaptain).where(Where.eq("captain.name", "Jack")));

            assertThat(st.sql()).isEqualTo(q("SELECT " + SHIP + ", " + CAPTAIN_T1 + " FROM `ships` AS `t0` "
                    + "LEFT OUTER JOIN `captains` AS `t1` ON `t1`.`id` = `t0`.`captainId` WHERE `t1`.`name` = $1"));
            assertThat(st.values()).containsExactly("Jack");
        }

        @Test
        void orderByAnIncludedToOneColumnOrdersRoots() {
            SqlStatement st = select(Query.from(ships).include(shipCaptain).orderBy(Order.asc("captain.name")));

            assertThat(st.sql()).endsWith(q(" ORDER BY `t1`.`name`"));
        }

        @Test
        void limitWithOnlyToOneIncludesStaysOnTheJoinedQuery() {
            SqlStatement st = select(Query.from(ships).include(shipCaptain).limit(5));

            assertThat(st.sql()).isEqualTo(q("SELECT " + SHIP + ", " + CAPTAIN_T1 + " FROM `ships` AS `t0` "
                    + "LEFT OUTER JOIN `captains` AS `t1` ON `t1`.`id` = `t0`.`captainId` LIMIT $1"));
            assertThat(st.values()).containsExactly(5L);
        }
    }

    @Nested
    class HasManyIncludes {

        @Test
        void hasManyIsOrderedByRootKeyThenChildKey() {
            SqlStatement st = select(Query.from(teams).include(teamPlayers));

            assertThat(st.sql()).isEqualTo(q("SELECT " + TEAM + ", " + PLAYERS_T1 + " FROM `Teams` AS `t0` "
                    + "LEFT OUTER JOIN `Players` AS `t1` ON `t1`.`TeamId` = `t0`.`id` ORDER BY `t0`.`id`, `t1`.`id`"));
        }

        @Test
        void includeByAliasIsTheSameAsByAssociation() {
            assertThat(select(Query.from(teams).include("players"))).isEqualTo(select(Query.from(teams).include(teamPlayers)));
        }

        @Test
        void requiredHasManyIsAnInnerJoin() {
            SqlStatement st = select(Query.from(teams).include(teamPlayers, i -> i.required(true)));

            assertThat(st.sql()).isEqualTo(q("SELECT " + TEAM + ", " + PLAYERS_T1 + " FROM `Teams` AS `t0` "
                    + "INNER JOIN `Players` AS `t1` ON `t1`.`TeamId` = `t0`.`id` ORDER BY `t0`.`id`, `t1`.`id`"));
        }

        @Test
        void whereOnAnIncludeGoesInTheOnClauseAndMakesItRequired() {
            SqlStatement st = select(Query.from(teams).include(teamPlayers, i -> i.where(Where.gt("number", 9))));

            assertThat(st.sql()).isEqualTo(q("SELECT " + TEAM + ", " + PLAYERS_T1 + " FROM `Teams` AS `t0` "
                    + "INNER JOIN `Players` AS `t1` ON `t1`.`TeamId` = `t0`.`id` AND `t1`.`number` > $1 "
                    + "ORDER BY `t0`.`id`, `t1`.`id`"));
            assertThat(st.values()).containsExactly(9);
        }

        @Test
        void requiredFalseWithAWhereKeepsTheLeftJoin() {
            SqlStatement st = select(Query.from(teams)
                    .include(teamPlayers, i -> i.where(Where.gt("number", 9)).required(false)));

            assertThat(st.sql()).isEqualTo(q("SELECT " + TEAM + ", " + PLAYERS_T1 + " FROM `Teams` AS `t0` "
                    + "LEFT OUTER JOIN `Players` AS `t1` ON `t1`.`TeamId` = `t0`.`id` AND `t1`.`number` > $1 "
                    + "ORDER BY `t0`.`id`, `t1`.`id`"));
        }

        @Test
        void includeAttributesKeepTheChildKey() {
            SqlStatement st = select(Query.from(teams).include(teamPlayers, i -> i.attributes("name")));

            assertThat(st.sql()).isEqualTo(q("SELECT " + TEAM + ", `t1`.`id` AS `c2`, `t1`.`name` AS `c3` "
                    + "FROM `Teams` AS `t0` LEFT OUTER JOIN `Players` AS `t1` ON `t1`.`TeamId` = `t0`.`id` "
                    + "ORDER BY `t0`.`id`, `t1`.`id`"));
        }

        @Test
        void nestedThreeLevels() {
            SqlStatement st = select(Query.from(teams).include(teamPlayers, i -> i.include(playerGoals)));

            assertThat(st.sql()).isEqualTo(q("SELECT " + TEAM + ", " + PLAYERS_T1 + ", `t2`.`id` AS `c6`, "
                    + "`t2`.`minute` AS `c7`, `t2`.`PlayerId` AS `c8` FROM `Teams` AS `t0` "
                    + "LEFT OUTER JOIN `Players` AS `t1` ON `t1`.`TeamId` = `t0`.`id` "
                    + "LEFT OUTER JOIN `Goals` AS `t2` ON `t2`.`PlayerId` = `t1`.`id` "
                    + "ORDER BY `t0`.`id`, `t1`.`id`, `t2`.`id`"));
            assertThat(select(Query.from(teams).include(teamPlayers, i -> i.include("goals")))).isEqualTo(st);
        }

        @Test
        void aRequiredNestedIncludeLeavesItsParentOptional() {
            SqlStatement st = select(Query.from(teams)
                    .include(teamPlayers, i -> i.include(playerGoals, g -> g.where(Where.lt("minute", 10)))));

            assertThat(st.sql()).contains(q("FROM `Teams` AS `t0` LEFT OUTER JOIN (`Players` AS `t1` "
                    + "INNER JOIN `Goals` AS `t2` ON `t2`.`PlayerId` = `t1`.`id` AND `t2`.`minute` < $1) "
                    + "ON `t1`.`TeamId` = `t0`.`id` ORDER BY"));
        }

        @Test
        void anExplicitlyRequiredParentOfARequiredNestedIncludeIsAnInnerJoin() {
            SqlStatement st = select(Query.from(teams).include(teamPlayers,
                    i -> i.required(true).include(playerGoals, g -> g.where(Where.lt("minute", 10)))));

            assertThat(st.sql()).contains(q("FROM `Teams` AS `t0` INNER JOIN `Players` AS `t1` ON "
                    + "`t1`.`TeamId` = `t0`.`id` INNER JOIN `Goals` AS `t2` ON `t2`.`PlayerId` = `t1`.`id` "
                    + "AND `t2`.`minute` < $1 ORDER BY"));
        }

        @Test
        void aRequiredNestedIncludeUnderAnOptionalParentIsJoinedInsideParentheses() {
            SqlStatement st = select(Query.from(teams).include(teamPlayers,
                    i -> i.required(false).include(playerGoals, g -> g.where(Where.lt("minute", 10)))));

            assertThat(st.sql()).contains(q("FROM `Teams` AS `t0` LEFT OUTER JOIN (`Players` AS `t1` "
                    + "INNER JOIN `Goals` AS `t2` ON `t2`.`PlayerId` = `t1`.`id` AND `t2`.`minute` < $1) "
                    + "ON `t1`.`TeamId` = `t0`.`id` ORDER BY"));
        }

        @Test
        void twoSiblingHasManyIncludes() {
            SqlStatement st = select(Query.from(teams).include(teamPlayers).include(teamCoaches));

            assertThat(st.sql()).isEqualTo(q("SELECT " + TEAM + ", " + PLAYERS_T1 + ", `t2`.`id` AS `c6`, "
                    + "`t2`.`name` AS `c7`, `t2`.`TeamId` AS `c8` FROM `Teams` AS `t0` "
                    + "LEFT OUTER JOIN `Players` AS `t1` ON `t1`.`TeamId` = `t0`.`id` "
                    + "LEFT OUTER JOIN `Coaches` AS `t2` ON `t2`.`TeamId` = `t0`.`id` "
                    + "ORDER BY `t0`.`id`, `t1`.`id`, `t2`.`id`"));
        }

        @Test
        void orderByAnIncludedToManyColumnOrdersWithinEachRoot() {
            SqlStatement st = select(Query.from(teams).include(teamPlayers).orderBy(Order.desc("players.number")));

            assertThat(st.sql()).endsWith(q(" ORDER BY `t0`.`id`, `t1`.`number` DESC, `t1`.`id`"));
            assertThat(select(Query.from(teams).include(teamPlayers, i -> i.orderBy(Order.desc("number")))).sql())
                    .isEqualTo(st.sql());
        }

        @Test
        void rootOrderComesBeforeTheRootKey() {
            SqlStatement st = select(Query.from(teams).include(teamPlayers).orderBy(Order.asc("name")));

            assertThat(st.sql()).endsWith(q(" ORDER BY `t0`.`name`, `t0`.`id`, `t1`.`id`"));
        }

        @Test
        void whereOnAnIncludedToManyPathWithoutWindow() {
            SqlStatement st = select(Query.from(teams).include(teamPlayers).where(Where.eq("players.number", 3)));

            assertThat(st.sql()).isEqualTo(q("SELECT " + TEAM + ", " + PLAYERS_T1 + " FROM `Teams` AS `t0` "
                    + "LEFT OUTER JOIN `Players` AS `t1` ON `t1`.`TeamId` = `t0`.`id` WHERE `t1`.`number` = $1 "
                    + "ORDER BY `t0`.`id`, `t1`.`id`"));
        }

        @Test
        void belongsToBackFromTheChild() {
            SqlStatement st = select(Query.from(players).include(playerTeam));

            assertThat(st.sql()).isEqualTo(q("SELECT `t0`.`id` AS `c0`, `t0`.`name` AS `c1`, `t0`.`number` AS `c2`, "
                    + "`t0`.`TeamId` AS `c3`, `t1`.`id` AS `c4`, `t1`.`name` AS `c5` FROM `Players` AS `t0` "
                    + "LEFT OUTER JOIN `Teams` AS `t1` ON `t1`.`id` = `t0`.`TeamId`"));
        }
    }

    @Nested
    class RootWindowsWithToManyIncludes {

        @Test
        void limitAndOffsetApplyToRootKeysInASubquery() {
            SqlStatement st = select(Query.from(teams).where(Where.like("name", "A%")).orderBy(Order.asc("name"))
                    .include(teamPlayers).limit(5).offset(10));

            assertThat(st.sql()).isEqualTo(q("SELECT " + TEAM + ", " + PLAYERS_T1 + " FROM (SELECT * FROM `Teams` AS `t0` "
                    + "WHERE `t0`.`name` LIKE $1 ORDER BY `t0`.`name`, `t0`.`id` LIMIT $2 OFFSET $3) AS `t0` "
                    + "LEFT OUTER JOIN `Players` AS `t1` ON `t1`.`TeamId` = `t0`.`id` "
                    + "ORDER BY `t0`.`name`, `t0`.`id`, `t1`.`id`"));
            assertThat(st.values()).containsExactly("A%", 5L, 10L);
        }

        @Test
        void aRequiredToManyFiltersRootsWithExistsBeforeTheWindow() {
            SqlStatement st = select(Query.from(teams).include(teamPlayers, i -> i.where(Where.gt("number", 9))).limit(5));

            assertThat(st.sql()).isEqualTo(q("SELECT " + TEAM + ", " + PLAYERS_T1 + " FROM (SELECT * FROM `Teams` AS `t0` "
                    + "WHERE EXISTS (SELECT 1 FROM `Players` AS `t1` WHERE `t1`.`TeamId` = `t0`.`id` AND `t1`.`number` > $1) "
                    + "ORDER BY `t0`.`id` LIMIT $2) AS `t0` "
                    + "INNER JOIN `Players` AS `t1` ON `t1`.`TeamId` = `t0`.`id` AND `t1`.`number` > $3 "
                    + "ORDER BY `t0`.`id`, `t1`.`id`"));
            assertThat(st.values()).containsExactly(9, 5L, 9);
        }

        @Test
        void aWhereOnAToManyPathCannotBeCombinedWithAWindow() {
            Query<Team> query = Query.from(teams).include(teamPlayers).where(Where.eq("players.number", 3)).limit(2);

            assertThatThrownBy(() -> Statements.select(query)).hasMessageContainingAll("players.number", "limit");
        }
    }

    @Nested
    class BelongsToManyIncludes {

        static final String MOVIE = "`t0`.`id` AS `c0`, `t0`.`title` AS `c1`";

        @Test
        void junctionAndTargetAreInnerJoinedInsideTheOuterJoinWithJunctionAttributes() {
            SqlStatement st = select(Query.from(movies).include(movieActors));

            assertThat(st.sql()).isEqualTo(q("SELECT " + MOVIE + ", `t1`.`id` AS `c2`, `t1`.`name` AS `c3`, "
                    + "`j1`.`MovieId` AS `c4`, `j1`.`ActorId` AS `c5`, `j1`.`role` AS `c6` FROM `Movies` AS `t0` "
                    + "LEFT OUTER JOIN (`Castings` AS `j1` INNER JOIN `Actors` AS `t1` ON `t1`.`id` = `j1`.`ActorId`) "
                    + "ON `j1`.`MovieId` = `t0`.`id` ORDER BY `t0`.`id`, `t1`.`id`"));
        }

        @Test
        void throughAttributesSelectsOnlyTheAskedJunctionColumns() {
            SqlStatement st = select(Query.from(movies).include(movieActors, i -> i.throughAttributes("role")));

            assertThat(st.sql()).startsWith(q("SELECT " + MOVIE + ", `t1`.`id` AS `c2`, `t1`.`name` AS `c3`, "
                    + "`j1`.`role` AS `c4` FROM"));
        }

        @Test
        void noThroughAttributesSelectsNoJunctionColumn() {
            SqlStatement st = select(Query.from(movies).include(movieActors, i -> i.throughAttributes(new String[0])));

            assertThat(st.sql()).isEqualTo(q("SELECT " + MOVIE + ", `t1`.`id` AS `c2`, `t1`.`name` AS `c3` "
                    + "FROM `Movies` AS `t0` "
                    + "LEFT OUTER JOIN (`Castings` AS `j1` INNER JOIN `Actors` AS `t1` ON `t1`.`id` = `j1`.`ActorId`) "
                    + "ON `j1`.`MovieId` = `t0`.`id` ORDER BY `t0`.`id`, `t1`.`id`"));
        }

        @Test
        void aTargetWithoutJunctionSlotGetsNoJunctionColumns() {
            SqlStatement st = select(Query.from(actors).include(actorMovies));

            assertThat(st.sql()).isEqualTo(q("SELECT `t0`.`id` AS `c0`, `t0`.`name` AS `c1`, `t1`.`id` AS `c2`, "
                    + "`t1`.`title` AS `c3` FROM `Actors` AS `t0` "
                    + "LEFT OUTER JOIN (`Castings` AS `j1` INNER JOIN `Movies` AS `t1` ON `t1`.`id` = `j1`.`MovieId`) "
                    + "ON `j1`.`ActorId` = `t0`.`id` ORDER BY `t0`.`id`, `t1`.`id`"));
        }

        @Test
        void throughWhereFiltersJunctionRowsAndMakesTheIncludeRequired() {
            SqlStatement st = select(Query.from(movies)
                    .include(movieActors, i -> i.throughAttributes("role").throughWhere(Where.eq("role", "hero"))));

            assertThat(st.sql()).isEqualTo(q("SELECT " + MOVIE + ", `t1`.`id` AS `c2`, `t1`.`name` AS `c3`, "
                    + "`j1`.`role` AS `c4` FROM `Movies` AS `t0` "
                    + "INNER JOIN (`Castings` AS `j1` INNER JOIN `Actors` AS `t1` ON `t1`.`id` = `j1`.`ActorId`) "
                    + "ON `j1`.`MovieId` = `t0`.`id` AND `j1`.`role` = $1 ORDER BY `t0`.`id`, `t1`.`id`"));
            assertThat(st.values()).containsExactly("hero");
        }

        @Test
        void whereOnTheTargetGoesInsideTheParentheses() {
            SqlStatement st = select(Query.from(movies)
                    .include(movieActors, i -> i.throughAttributes(new String[0]).where(Where.like("name", "A%"))));

            assertThat(st.sql()).contains(q("FROM `Movies` AS `t0` INNER JOIN (`Castings` AS `j1` INNER JOIN "
                    + "`Actors` AS `t1` ON `t1`.`id` = `j1`.`ActorId` AND `t1`.`name` LIKE $1) "
                    + "ON `j1`.`MovieId` = `t0`.`id` ORDER BY"));
        }

        @Test
        void throughOptionsOnAnotherKindAreRejected() {
            assertThatThrownBy(() -> Query.from(teams).include(teamPlayers, i -> i.throughAttributes("role")))
                    .isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContainingAll("belongsToMany", "Team.players");
        }
    }

    @Nested
    class SelfAssociation {

        static final String USER = "`t0`.`id` AS `c0`, `t0`.`username` AS `c1`";

        @Test
        void followersJoinTheJunctionOnFollowingIdAndTheTargetOnFollowerId() {
            SqlStatement st = select(Query.from(users).include(followers));

            assertThat(st.sql()).isEqualTo(q("SELECT " + USER + ", `t1`.`id` AS `c2`, `t1`.`username` AS `c3` "
                    + "FROM `Users` AS `t0` "
                    + "LEFT OUTER JOIN (`Followers` AS `j1` INNER JOIN `Users` AS `t1` ON `t1`.`id` = `j1`.`followerId`) "
                    + "ON `j1`.`followingId` = `t0`.`id` ORDER BY `t0`.`id`, `t1`.`id`"));
        }

        @Test
        void followersAndFollowingTogether() {
            SqlStatement st = select(Query.from(users).include("followers").include("following"));

            assertThat(st.sql()).isEqualTo(q("SELECT " + USER + ", `t1`.`id` AS `c2`, `t1`.`username` AS `c3`, "
                    + "`t2`.`id` AS `c4`, `t2`.`username` AS `c5` FROM `Users` AS `t0` "
                    + "LEFT OUTER JOIN (`Followers` AS `j1` INNER JOIN `Users` AS `t1` ON `t1`.`id` = `j1`.`followerId`) "
                    + "ON `j1`.`followingId` = `t0`.`id` "
                    + "LEFT OUTER JOIN (`Followers` AS `j2` INNER JOIN `Users` AS `t2` ON `t2`.`id` = `j2`.`followingId`) "
                    + "ON `j2`.`followerId` = `t0`.`id` ORDER BY `t0`.`id`, `t1`.`id`, `t2`.`id`"));
        }
    }

    @Nested
    class IncludeErrors {

        @Test
        void includingAnAssociationOfAnotherModel() {
            assertThatThrownBy(() -> Query.from(teams).include(erase(playerGoals)))
                    .isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContainingAll("Goal is not associated to Team", "players (Player)", "coaches (Coach)");
        }

        @Test
        void includingAModelThatIsNotAssociated() {
            assertThatThrownBy(() -> Query.from(captains).include(teams))
                    .isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContainingAll("Team is not associated to captain", "ship (ship)");
        }

        @Test
        void includingAnAliasedAssociationByModel() {
            assertThatThrownBy(() -> Query.from(teams).include(players))
                    .isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContainingAll("Player is associated to Team using an alias", "You must use the 'as' keyword", "include(\"players\")");
        }

        @Test
        void includingAnUnknownAlias() {
            assertThatThrownBy(() -> Query.from(teams).include("player"))
                    .isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContainingAll("\"player\"", "Team", "players (Player), coaches (Coach)");
        }

        @Test
        void includingTheSameAssociationTwice() {
            assertThatThrownBy(() -> Query.from(teams).include(teamPlayers).include("players"))
                    .isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContainingAll("Team", "'players' twice");
        }

        @Test
        void nestingAnAssociationOfAnotherModel() {
            assertThatThrownBy(() -> Query.from(teams).include(teamPlayers, i -> i.include(erase(teamCoaches))))
                    .isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContainingAll("Coach is not associated to Player", "team (Team)", "goals (Goal)");
        }

        @Test
        void unknownAttributeInWhere() {
            Query<Team> query = Query.from(teams).where(Where.eq("nam", "x"));

            assertThatThrownBy(() -> Statements.select(query)).isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContainingAll("'nam'", "Team", "id, name, createdAt, updatedAt");
        }

        @Test
        void unknownAttributeInAttributes() {
            assertThatThrownBy(() -> Query.from(teams).attributes("nam"))
                    .isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContainingAll("'nam'", "Team", "id, name");
        }

        @Test
        void unknownAttributeOfAnInclude() {
            assertThatThrownBy(() -> Query.from(teams).include(teamPlayers, i -> i.attributes("shirt")))
                    .isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContainingAll("'shirt'", "Player", "id, name, number, TeamId");
        }

        @Test
        void unknownOrderPath() {
            Query<Team> query = Query.from(teams).orderBy(Order.asc("rank"));

            assertThatThrownBy(() -> Statements.select(query)).isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContainingAll("'rank'", "Team");
        }

        @Test
        void pathThroughAnAssociationThatIsNotIncluded() {
            Query<Team> query = Query.from(teams).where(Where.eq("players.number", 3));

            assertThatThrownBy(() -> Statements.select(query)).isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContainingAll("players.number", "Team", "'players'");
        }

        @Test
        void requiredSeparateIncludeIsRejected() {
            Query<Team> query = Query.from(teams).include(teamPlayers,
                    i -> i.strategy(Include.Strategy.SEPARATE).where(Where.eq("number", 1)));

            assertThatThrownBy(() -> Statements.select(query)).isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContainingAll("'players'", "Team", "SEPARATE");
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private <S> Association<S, ?> erase(Association<?, ?> a) {
            return (Association) a;
        }
    }

    @Nested
    class SeparateStrategy {

        @Test
        void aSeparateIncludeLeavesTheJoinAndRunsOneFollowUpOverTheParentKeys() {
            SelectPlan<Team> plan = Statements.select(Query.from(teams)
                    .include(teamPlayers, i -> i.strategy(Include.Strategy.SEPARATE).include(playerGoals))
                    .include(teamCoaches));

            assertThat(plan.statement().sql()).isEqualTo(q("SELECT " + TEAM + ", `t3`.`id` AS `c2`, `t3`.`name` AS `c3`, "
                    + "`t3`.`TeamId` AS `c4` FROM `Teams` AS `t0` "
                    + "LEFT OUTER JOIN `Coaches` AS `t3` ON `t3`.`TeamId` = `t0`.`id` ORDER BY `t0`.`id`, `t3`.`id`"));
            assertThat(plan.followUpTemplates()).hasSize(1);
            SqlStatement followUp = plan.followUpTemplates().get(0);
            assertThat(followUp.sql()).isEqualTo(q("SELECT `t1`.`TeamId` AS `c0`, `t1`.`id` AS `c1`, `t1`.`name` AS `c2`, "
                    + "`t1`.`number` AS `c3`, `t1`.`TeamId` AS `c4`, `t2`.`id` AS `c5`, `t2`.`minute` AS `c6`, "
                    + "`t2`.`PlayerId` AS `c7` FROM `Players` AS `t1` "
                    + "LEFT OUTER JOIN `Goals` AS `t2` ON `t2`.`PlayerId` = `t1`.`id` "
                    + "WHERE `t1`.`TeamId` = ANY($1) ORDER BY `t1`.`TeamId`, `t1`.`id`, `t2`.`id`"));
            assertThat(followUp.binds()).hasSize(1);
            assertThat(followUp.binds().get(0).type()).isEqualTo(Long[].class);
        }

        @Test
        void aNestedSeparateInclude() {
            SelectPlan<Team> plan = Statements.select(Query.from(teams)
                    .include(teamPlayers, i -> i.include(playerGoals, g -> g.strategy(Include.Strategy.SEPARATE))));

            assertThat(plan.statement().sql()).isEqualTo(q("SELECT " + TEAM + ", " + PLAYERS_T1 + " FROM `Teams` AS `t0` "
                    + "LEFT OUTER JOIN `Players` AS `t1` ON `t1`.`TeamId` = `t0`.`id` ORDER BY `t0`.`id`, `t1`.`id`"));
            assertThat(plan.followUpTemplates()).extracting(SqlStatement::sql).containsExactly(q(
                    "SELECT `t2`.`PlayerId` AS `c0`, `t2`.`id` AS `c1`, `t2`.`minute` AS `c2`, `t2`.`PlayerId` AS `c3` "
                            + "FROM `Goals` AS `t2` WHERE `t2`.`PlayerId` = ANY($1) ORDER BY `t2`.`PlayerId`, `t2`.`id`"));
        }

        @Test
        void aSeparateBelongsToManyCarriesTheJunctionColumns() {
            SelectPlan<Movie> plan = Statements.select(Query.from(movies)
                    .include(movieActors, i -> i.strategy(Include.Strategy.SEPARATE)));

            assertThat(plan.statement().sql()).isEqualTo(q("SELECT `t0`.`id` AS `c0`, `t0`.`title` AS `c1` FROM `Movies` AS `t0`"));
            assertThat(plan.followUpTemplates()).extracting(SqlStatement::sql).containsExactly(q(
                    "SELECT `j1`.`MovieId` AS `c0`, `t1`.`id` AS `c1`, `t1`.`name` AS `c2`, `j1`.`MovieId` AS `c3`, "
                            + "`j1`.`ActorId` AS `c4`, `j1`.`role` AS `c5` FROM `Castings` AS `j1` "
                            + "INNER JOIN `Actors` AS `t1` ON `t1`.`id` = `j1`.`ActorId` "
                            + "WHERE `j1`.`MovieId` = ANY($1) ORDER BY `j1`.`MovieId`, `t1`.`id`"));
        }

        @Test
        void withASeparateToManyTheRootWindowStaysOnTheRootQuery() {
            SelectPlan<Team> plan = Statements.select(Query.from(teams)
                    .include(teamPlayers, i -> i.strategy(Include.Strategy.SEPARATE)).limit(3));

            assertThat(plan.statement().sql()).isEqualTo(q("SELECT " + TEAM + " FROM `Teams` AS `t0` LIMIT $1"));
            assertThat(plan.statement().values()).containsExactly(3L);
        }

        @Test
        void theFirstRowsOfARootStatementWithoutALimitAreItsTextWithALimitBoundLast() {
            SelectPlan<Team> plan = Statements.select(Query.from(teams).where(Where.eq("name", "x"))
                    .include(teamPlayers, i -> i.strategy(Include.Strategy.SEPARATE)).include(teamCoaches));

            SqlStatement first = plan.firstRows(257);

            assertThat(first.sql()).isEqualTo(plan.statement().sql() + " LIMIT $2");
            assertThat(first.sql()).isEqualTo(q("SELECT " + TEAM + ", `t2`.`id` AS `c2`, `t2`.`name` AS `c3`, "
                    + "`t2`.`TeamId` AS `c4` FROM `Teams` AS `t0` "
                    + "LEFT OUTER JOIN `Coaches` AS `t2` ON `t2`.`TeamId` = `t0`.`id` WHERE `t0`.`name` = $1 "
                    + "ORDER BY `t0`.`id`, `t2`.`id` LIMIT $2"));
            assertThat(first.values()).containsExactly("x", 257L);
            assertThat(first.binds().get(1).type()).isEqualTo(Long.class);
            assertThat(first.operation()).isEqualTo("select");
        }

        @Test
        void theFirstRowsKeepASmallerOwnLimitAndTheOffset() {
            SelectPlan<Team> plan = Statements.select(Query.from(teams)
                    .include(teamPlayers, i -> i.strategy(Include.Strategy.SEPARATE)).limit(3).offset(5));

            SqlStatement first = plan.firstRows(257);

            assertThat(first.sql()).isEqualTo(q("SELECT " + TEAM + " FROM `Teams` AS `t0` LIMIT $1 OFFSET $2"));
            assertThat(first.values()).containsExactly(3L, 5L);
        }

        @Test
        void theFirstRowsLowerALargerOwnLimit() {
            SelectPlan<Team> plan = Statements.select(Query.from(teams).where(Where.eq("name", "x"))
                    .include(teamPlayers, i -> i.strategy(Include.Strategy.SEPARATE)).limit(1000));

            SqlStatement first = plan.firstRows(257);

            assertThat(first.sql()).isEqualTo(plan.statement().sql());
            assertThat(first.values()).containsExactly("x", 257L);
            assertThat(plan.withBind(0, "y").firstRows(10).values()).containsExactly("y", 10L);
        }
    }

    @Nested
    class Counts {

        @Test
        void countWithoutIncludes() {
            SqlStatement st = Statements.count(Query.from(teams).where(Where.eq("name", "x")));

            assertThat(st.sql()).isEqualTo(q("SELECT count(*) FROM `Teams` AS `t0` WHERE `t0`.`name` = $1"));
            assertThat(st.values()).containsExactly("x");
        }

        @Test
        void countWithARequiredToManyIncludeCountsDistinctRoots() {
            SqlStatement st = Statements.count(Query.from(teams).include(teamPlayers, i -> i.where(Where.gt("number", 9))));

            assertThat(st.sql()).isEqualTo(q("SELECT count(DISTINCT `t0`.`id`) FROM `Teams` AS `t0` "
                    + "INNER JOIN `Players` AS `t1` ON `t1`.`TeamId` = `t0`.`id` AND `t1`.`number` > $1"));
            assertThat(st.values()).containsExactly(9);
        }

        @Test
        void countIgnoresOrderAndWindow() {
            SqlStatement st = Statements.count(Query.from(teams).orderBy(Order.asc("name")).limit(3).offset(1));

            assertThat(st.sql()).isEqualTo(q("SELECT count(*) FROM `Teams` AS `t0`"));
            assertThat(st.binds()).isEmpty();
        }
    }

    @Nested
    class LazyLoads {

        @Test
        void hasManyLoadLinksByTheForeignKey() {
            LoadPlan<Player> plan = Statements.load(teamPlayers, Query.from(players));

            assertThat(plan.statement().sql()).isEqualTo(q("SELECT `t0`.`TeamId` AS `c0`, `t0`.`id` AS `c1`, "
                    + "`t0`.`name` AS `c2`, `t0`.`number` AS `c3`, `t0`.`TeamId` AS `c4` FROM `Players` AS `t0` "
                    + "WHERE `t0`.`TeamId` = ANY($1) ORDER BY `t0`.`TeamId`, `t0`.`id`"));
            assertThat(plan.statement().binds().get(0).type()).isEqualTo(Long[].class);
        }

        @Test
        void aPlanWithAnotherBindKeepsItsTextAndReplacesOnlyThatValue() {
            SelectPlan<Ship> plan = Statements.select(Query.from(ships).where(Where.eq("id", 1L)).limit(1));
            SelectPlan<Ship> other = plan.withBind(0, 42L);

            assertThat(other.statement().sql()).isEqualTo(plan.statement().sql());
            assertThat(other.statement().values()).containsExactly(42L, 1L);
            assertThat(plan.statement().values()).containsExactly(1L, 1L);
        }

        @Test
        void hasOneLoad() {
            LoadPlan<Ship> plan = Statements.load(captainShip, Query.from(ships));

            assertThat(plan.statement().sql()).isEqualTo(q("SELECT `t0`.`captainId` AS `c0`, `t0`.`id` AS `c1`, "
                    + "`t0`.`name` AS `c2`, `t0`.`crewCapacity` AS `c3`, `t0`.`captainId` AS `c4` FROM `ships` AS `t0` "
                    + "WHERE `t0`.`captainId` = ANY($1) ORDER BY `t0`.`captainId`, `t0`.`id`"));
        }

        @Test
        void belongsToLoadJoinsTheSourceRowAndLinksByItsPrimaryKey() {
            // the stored foreign key is read, so a source entity read before set() still finds the target
            LoadPlan<Captain> plan = Statements.load(shipCaptain, Query.from(captains));

            assertThat(plan.statement().sql()).isEqualTo(q("SELECT `s0`.`id` AS `c0`, `t0`.`id` AS `c1`, "
                    + "`t0`.`name` AS `c2`, `t0`.`skillLevel` AS `c3` FROM `captains` AS `t0` "
                    + "INNER JOIN `ships` AS `s0` ON `s0`.`captainId` = `t0`.`id` "
                    + "WHERE `s0`.`id` = ANY($1) ORDER BY `s0`.`id`, `t0`.`id`"));
        }

        @Test
        void belongsToManyLoadJoinsTheJunctionCarriesItsAttributesAndAppliesTheQuery() {
            LoadPlan<Actor> plan = Statements.load(movieActors,
                    Query.from(actors).where(Where.like("name", "A%")).orderBy(Order.asc("name")));

            assertThat(plan.statement().sql()).isEqualTo(q("SELECT `j0`.`MovieId` AS `c0`, `t0`.`id` AS `c1`, "
                    + "`t0`.`name` AS `c2`, `j0`.`MovieId` AS `c3`, `j0`.`ActorId` AS `c4`, `j0`.`role` AS `c5` "
                    + "FROM `Actors` AS `t0` INNER JOIN `Castings` AS `j0` "
                    + "ON `t0`.`id` = `j0`.`ActorId` WHERE `j0`.`MovieId` = ANY($1) AND `t0`.`name` LIKE $2 "
                    + "ORDER BY `j0`.`MovieId`, `t0`.`name`, `t0`.`id`"));
            assertThat(plan.statement().binds()).hasSize(2);
            assertThat(plan.statement().values().get(1)).isEqualTo("A%");
        }

        @Test
        void followersLoad() {
            LoadPlan<User> plan = Statements.load(followers, Query.from(users));

            assertThat(plan.statement().sql()).isEqualTo(q("SELECT `j0`.`followingId` AS `c0`, `t0`.`id` AS `c1`, "
                    + "`t0`.`username` AS `c2` FROM `Users` AS `t0` INNER JOIN `Followers` AS `j0` "
                    + "ON `t0`.`id` = `j0`.`followerId` WHERE `j0`.`followingId` = ANY($1) "
                    + "ORDER BY `j0`.`followingId`, `t0`.`id`"));
        }

        @Test
        void aLoadQueryOverAnotherModelIsRejected() {
            @SuppressWarnings({"unchecked", "rawtypes"})
            Association<Team, Coach> wrong = (Association) teamPlayers;

            assertThatThrownBy(() -> Statements.load(wrong, Query.from(coaches)))
                    .isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContainingAll("Team.players", "Player", "Coach");
        }
    }
}
