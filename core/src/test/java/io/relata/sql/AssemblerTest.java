package io.relata.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.BelongsTo;
import io.relata.BelongsToMany;
import io.relata.HasMany;
import io.relata.HasOne;
import io.relata.Model;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.plan.Statements;
import io.relata.query.Include;
import io.relata.query.Query;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Row-to-graph assembly with in-memory rows laid out like the planned statements (column index =
 * the {@code cN} alias of {@link SelectPlannerTest}'s expected SQL): grouping, de-duplication,
 * streaming emission and LEFT JOIN nulls.
 */
class AssemblerTest {

    enum Rank { CAPTAIN, ADMIRAL }

    record Captain(Long id, String name, Rank rank, Ship ship) {}
    record Ship(Long id, String name, Long captainId, Captain captain, Captain leader) {}
    record Team(Long id, String name, List<Player> players, List<Coach> coaches) {}
    record Player(Long id, String name, Long TeamId, List<Goal> goals) {}
    record Coach(Long id, String name, Long TeamId) {
        Coach {
            if ("broken".equals(name)) {
                throw new IllegalArgumentException("broken coach");
            }
        }
    }
    record Goal(Long id, Integer minute, Long PlayerId) {}
    record Movie(Long id, String title, List<Actor> actors) {}
    record Actor(Long id, String name, Casting casting) {}
    record Casting(Long MovieId, Long ActorId, String role) {}
    record User(Long id, String username, List<User> followers) {}

    static final Model<Captain> captains;
    static final Model<Ship> ships;
    static final HasOne<Captain, Ship> captainShip;
    static final BelongsTo<Ship, Captain> shipCaptain;
    static final BelongsTo<Ship, Captain> shipLeader;
    static final Model<Team> teams;
    static final HasMany<Team, Player> teamPlayers;
    static final HasMany<Team, Coach> teamCoaches;
    static final HasMany<Player, Goal> playerGoals;
    static final Model<Movie> movies;
    static final BelongsToMany<Movie, Actor> movieActors;
    static final Model<User> users;
    static final BelongsToMany<User, User> followers;

    static {
        SchemaBuilder s = Schema.builder().timestamps(false);
        captains = s.define(Captain.class, m -> m.name("captain"));
        ships = s.define(Ship.class, m -> m.name("ship"));
        captainShip = captains.hasOne(ships);
        shipCaptain = ships.belongsTo(captains);
        shipLeader = ships.belongsTo(captains, o -> o.as("leader"));
        teams = s.define(Team.class);
        Model<Player> players = s.define(Player.class);
        Model<Coach> coaches = s.define(Coach.class);
        Model<Goal> goals = s.define(Goal.class);
        teamPlayers = teams.hasMany(players, o -> o.as("players"));
        teamCoaches = teams.hasMany(coaches, o -> o.as("coaches"));
        playerGoals = players.hasMany(goals, o -> o.as("goals"));
        movies = s.define(Movie.class);
        Model<Actor> actors = s.define(Actor.class);
        Model<Casting> castings = s.define(Casting.class);
        movieActors = movies.belongsToMany(actors, o -> o.through(castings).as("actors"));
        users = s.define(User.class);
        followers = users.belongsToMany(users,
                o -> o.as("followers").through("Followers").foreignKey("followingId").otherKey("followerId"));
        s.build();
    }

    /** A row as an adapter would expose it; asking for the wrong Java type fails like a driver would. */
    record ArrayRow(Object[] values) implements RowSource {
        @Override
        public <V> @Nullable V get(int index, Class<V> type) {
            return type.cast(values[index]);
        }
    }

    static RowSource row(Object... values) {
        return new ArrayRow(values);
    }

    /** Pushes every row and collects the roots in the order they are emitted (finish() last). */
    static <T> List<T> assemble(SelectPlan<T> plan, List<RowSource> rows) {
        RowAssembler<T> assembler = plan.assembler();
        List<T> out = new ArrayList<>();
        for (RowSource r : rows) {
            T done = assembler.push(r);
            if (done != null) {
                out.add(done);
            }
        }
        T last = assembler.finish();
        if (last != null) {
            out.add(last);
        }
        return out;
    }

    @Nested
    class HasManyRoots {

        // c0 t0.id, c1 t0.name, c2 t1.id, c3 t1.name, c4 t1.TeamId
        final SelectPlan<Team> plan = Statements.select(Query.from(teams).include(teamPlayers));

        @Test
        void consecutiveRowsOfOneRootMakeOneEntity() {
            List<Team> result = assemble(plan, List.of(
                    row(1L, "Red", 10L, "Ann", 1L),
                    row(1L, "Red", 11L, "Bob", 1L),
                    row(2L, "Blue", 12L, "Cid", 2L)));

            assertThat(result).containsExactly(
                    new Team(1L, "Red", List.of(new Player(10L, "Ann", 1L, null), new Player(11L, "Bob", 1L, null)), null),
                    new Team(2L, "Blue", List.of(new Player(12L, "Cid", 2L, null)), null));
        }

        @Test
        void aRootIsEmittedWhenTheNextRootsFirstRowArrivesAndTheLastAtFinish() {
            RowAssembler<Team> assembler = plan.assembler();

            assertThat(assembler.push(row(1L, "Red", 10L, "Ann", 1L))).isNull();
            assertThat(assembler.push(row(1L, "Red", 11L, "Bob", 1L))).isNull();
            Team red = assembler.push(row(2L, "Blue", 12L, "Cid", 2L));
            assertThat(red).isNotNull();
            assertThat(red.id()).isEqualTo(1L);
            assertThat(red.players()).extracting(Player::id).containsExactly(10L, 11L);
            Team blue = assembler.finish();
            assertThat(blue).isNotNull();
            assertThat(blue.players()).extracting(Player::id).containsExactly(12L);
            assertThat(assembler.finish()).isNull();
        }

        @Test
        void leftJoinNullsGiveAnEmptyList() {
            List<Team> result = assemble(plan, List.of(row(1L, "Red", null, null, null)));

            assertThat(result).containsExactly(new Team(1L, "Red", List.of(), null));
        }

        @Test
        void theChildListIsUnmodifiable() {
            Team team = assemble(plan, List.of(row(1L, "Red", 10L, "Ann", 1L))).get(0);

            assertThat(team.players()).isUnmodifiable();
        }

        @Test
        void noRowsNoRoots() {
            assertThat(assemble(plan, List.of())).isEmpty();
        }
    }

    @Nested
    class DeDuplication {

        @Test
        void siblingToManyCartesianProductGivesNoDuplicates() {
            // c0 t0.id, c1 t0.name, c2 t1.id, c3 t1.name, c4 t1.TeamId, c5 t2.id, c6 t2.name, c7 t2.TeamId
            SelectPlan<Team> plan = Statements.select(Query.from(teams).include(teamPlayers).include(teamCoaches));

            List<Team> result = assemble(plan, List.of(
                    row(1L, "Red", 10L, "Ann", 1L, 20L, "Coach A", 1L),
                    row(1L, "Red", 10L, "Ann", 1L, 21L, "Coach B", 1L),
                    row(1L, "Red", 11L, "Bob", 1L, 20L, "Coach A", 1L),
                    row(1L, "Red", 11L, "Bob", 1L, 21L, "Coach B", 1L)));

            assertThat(result).hasSize(1);
            assertThat(result.get(0).players()).extracting(Player::id).containsExactly(10L, 11L);
            assertThat(result.get(0).coaches()).containsExactly(new Coach(20L, "Coach A", 1L),
                    new Coach(21L, "Coach B", 1L));
        }

        @Test
        void aChildKeyRecurringAfterARunOfIncreasingKeysIsStillOneChild() {
            SelectPlan<Team> plan = Statements.select(Query.from(teams).include(teamPlayers).include(teamCoaches));

            // players 10, 11, 12 first in order, then 10 and 12 again (the coaches' product, as the join gives it)
            List<Team> result = assemble(plan, List.of(
                    row(1L, "Red", 10L, "Ann", 1L, 20L, "Coach A", 1L),
                    row(1L, "Red", 11L, "Bob", 1L, 20L, "Coach A", 1L),
                    row(1L, "Red", 12L, "Cid", 1L, 20L, "Coach A", 1L),
                    row(1L, "Red", 10L, "Ann", 1L, 21L, "Coach B", 1L),
                    row(1L, "Red", 12L, "Cid", 1L, 21L, "Coach B", 1L),
                    row(1L, "Red", 13L, "Dan", 1L, 21L, "Coach B", 1L)));

            assertThat(result).hasSize(1);
            assertThat(result.get(0).players()).extracting(Player::id).containsExactly(10L, 11L, 12L, 13L);
            assertThat(result.get(0).coaches()).extracting(Coach::id).containsExactly(20L, 21L);
        }

        @Test
        void childrenArrivingInDescendingKeyOrderKeepThatOrderWithoutDuplicates() {
            SelectPlan<Team> plan = Statements.select(Query.from(teams).include(teamPlayers).include(teamCoaches));

            List<Team> result = assemble(plan, List.of(
                    row(1L, "Red", 12L, "Cid", 1L, 21L, "Coach B", 1L),
                    row(1L, "Red", 12L, "Cid", 1L, 20L, "Coach A", 1L),
                    row(1L, "Red", 11L, "Bob", 1L, 21L, "Coach B", 1L),
                    row(1L, "Red", 11L, "Bob", 1L, 20L, "Coach A", 1L),
                    row(1L, "Red", 10L, "Ann", 1L, 21L, "Coach B", 1L)));

            assertThat(result.get(0).players()).extracting(Player::id).containsExactly(12L, 11L, 10L);
            assertThat(result.get(0).coaches()).extracting(Coach::id).containsExactly(21L, 20L);
        }

        @Test
        void manyChildrenOfOneRootAreAllKeptInOrder() {
            SelectPlan<Team> plan = Statements.select(Query.from(teams).include(teamPlayers));
            List<RowSource> rows = new ArrayList<>();
            for (long p = 1; p <= 100; p++) {
                rows.add(row(1L, "Red", p, "p" + p, 1L));
                rows.add(row(1L, "Red", p, "p" + p, 1L));
            }

            List<Team> result = assemble(plan, rows);

            assertThat(result.get(0).players()).hasSize(100).extracting(Player::id).isSorted().doesNotHaveDuplicates();
        }

        @Test
        void aChildThatCannotBeBuiltFailsAtItsRootsTurnAfterTheRootsBeforeIt() {
            SelectPlan<Team> plan = Statements.select(Query.from(teams).include(teamCoaches));
            RowAssembler<Team> assembler = plan.assembler();

            assertThat(assembler.push(row(1L, "Red", 20L, "Coach A", 1L))).isNull();
            // the broken coach arrives with the row that completes team 1: team 1 still comes out whole
            Team red = assembler.push(row(2L, "Blue", 21L, "broken", 2L));
            assertThat(red).isNotNull();
            assertThat(red.coaches()).extracting(Coach::name).containsExactly("Coach A");
            assertThatThrownBy(assembler::finish).hasStackTraceContaining("broken coach");
        }

        @Test
        void childrenAreDeDuplicatedAtEveryLevel() {
            // c0 t0.id, c1 t0.name, c2 t1.id, c3 t1.name, c4 t1.TeamId, c5 t2.id, c6 t2.minute, c7 t2.PlayerId,
            // c8 t3.id, c9 t3.name, c10 t3.TeamId
            SelectPlan<Team> plan = Statements.select(Query.from(teams)
                    .include(teamPlayers, i -> i.include(playerGoals)).include(teamCoaches));

            List<Team> result = assemble(plan, List.of(
                    row(1L, "Red", 10L, "Ann", 1L, 100L, 5, 10L, 20L, "Coach A", 1L),
                    row(1L, "Red", 10L, "Ann", 1L, 100L, 5, 10L, 21L, "Coach B", 1L),
                    row(1L, "Red", 10L, "Ann", 1L, 101L, 77, 10L, 20L, "Coach A", 1L),
                    row(1L, "Red", 10L, "Ann", 1L, 101L, 77, 10L, 21L, "Coach B", 1L),
                    row(1L, "Red", 11L, "Bob", 1L, null, null, null, 20L, "Coach A", 1L),
                    row(1L, "Red", 11L, "Bob", 1L, null, null, null, 21L, "Coach B", 1L),
                    row(2L, "Blue", null, null, null, null, null, null, null, null, null)));

            assertThat(result).containsExactly(
                    new Team(1L, "Red", List.of(
                            new Player(10L, "Ann", 1L, List.of(new Goal(100L, 5, 10L), new Goal(101L, 77, 10L))),
                            new Player(11L, "Bob", 1L, List.of())),
                            List.of(new Coach(20L, "Coach A", 1L), new Coach(21L, "Coach B", 1L))),
                    new Team(2L, "Blue", List.of(), List.of()));
        }
    }

    @Nested
    class ToOne {

        @Test
        void hasOneWithALeftJoinNullIsNull() {
            // c0 t0.id, c1 t0.name, c2 t0.rank, c3 t1.id, c4 t1.name, c5 t1.captainId
            SelectPlan<Captain> plan = Statements.select(Query.from(captains).include(captainShip));

            List<Captain> result = assemble(plan, List.of(
                    row(1L, "Jack", "CAPTAIN", 7L, "Black Pearl", 1L),
                    row(2L, "Davy", "ADMIRAL", null, null, null)));

            assertThat(result).containsExactly(
                    new Captain(1L, "Jack", Rank.CAPTAIN, new Ship(7L, "Black Pearl", 1L, null, null)),
                    new Captain(2L, "Davy", Rank.ADMIRAL, null));
        }

        @Test
        void withoutToManyIncludesEveryRowIsARootAtOnce() {
            // c0 t0.id, c1 t0.name, c2 t0.captainId, c3..c5 captain, c6..c8 leader
            SelectPlan<Ship> plan = Statements.select(Query.from(ships).include(shipCaptain).include(shipLeader));
            RowAssembler<Ship> assembler = plan.assembler();

            Ship pearl = assembler.push(row(7L, "Black Pearl", 1L, 1L, "Jack", "CAPTAIN", null, null, null));
            Ship dutchman = assembler.push(row(8L, "Flying Dutchman", null, null, null, null, 2L, "Davy", "ADMIRAL"));

            assertThat(pearl).isEqualTo(new Ship(7L, "Black Pearl", 1L, new Captain(1L, "Jack", Rank.CAPTAIN, null), null));
            assertThat(dutchman).isEqualTo(new Ship(8L, "Flying Dutchman", null, null,
                    new Captain(2L, "Davy", Rank.ADMIRAL, null)));
            assertThat(assembler.finish()).isNull();
        }

        @Test
        void unselectedAttributesAndSlotsOfNotIncludedAssociationsStayNull() {
            // c0 t0.id, c1 t0.name
            SelectPlan<Captain> plan = Statements.select(Query.from(captains).attributes("name"));

            assertThat(assemble(plan, List.of(row(1L, "Jack")))).containsExactly(new Captain(1L, "Jack", null, null));
        }
    }

    @Nested
    class JunctionAttributes {

        @Test
        void junctionAttributesArePlacedInTheTargetsThroughSlot() {
            // c0 t0.id, c1 t0.title, c2 t1.id, c3 t1.name, c4 j1.MovieId, c5 j1.ActorId, c6 j1.role
            SelectPlan<Movie> plan = Statements.select(Query.from(movies).include(movieActors));

            List<Movie> result = assemble(plan, List.of(
                    row(1L, "Pirates", 2L, "Johnny", 1L, 2L, "Jack Sparrow"),
                    row(1L, "Pirates", 3L, "Keira", 1L, 3L, "Elizabeth"),
                    row(4L, "Ghost Ship", null, null, null, null, null)));

            assertThat(result).containsExactly(
                    new Movie(1L, "Pirates", List.of(
                            new Actor(2L, "Johnny", new Casting(1L, 2L, "Jack Sparrow")),
                            new Actor(3L, "Keira", new Casting(1L, 3L, "Elizabeth")))),
                    new Movie(4L, "Ghost Ship", List.of()));
        }

        @Test
        void onlyTheAskedJunctionAttributesAreFilled() {
            // c0 t0.id, c1 t0.title, c2 t1.id, c3 t1.name, c4 j1.role
            SelectPlan<Movie> plan = Statements.select(Query.from(movies)
                    .include(movieActors, i -> i.throughAttributes("role")));

            List<Movie> result = assemble(plan, List.of(row(1L, "Pirates", 2L, "Johnny", "Jack Sparrow")));

            assertThat(result.get(0).actors()).containsExactly(
                    new Actor(2L, "Johnny", new Casting(null, null, "Jack Sparrow")));
        }

        @Test
        void selfAssociationFollowers() {
            // c0 t0.id, c1 t0.username, c2 t1.id, c3 t1.username
            SelectPlan<User> plan = Statements.select(Query.from(users).include(followers));

            List<User> result = assemble(plan, List.of(
                    row(1L, "ann", 2L, "bob"),
                    row(1L, "ann", 3L, "cid"),
                    row(2L, "bob", 1L, "ann")));

            assertThat(result).containsExactly(
                    new User(1L, "ann", List.of(new User(2L, "bob", null), new User(3L, "cid", null))),
                    new User(2L, "bob", List.of(new User(1L, "ann", null))));
        }
    }

    @Nested
    class Streaming {

        @Test
        void assemblingManyRowsEmitsEachRootAsSoonAsItIsComplete() {
            // 100k rows of 10k roots: every root must come out of push() when the next one starts, so the
            // assembler never holds more than the root being assembled
            SelectPlan<Team> plan = Statements.select(Query.from(teams).include(teamPlayers));
            RowAssembler<Team> assembler = plan.assembler();
            int roots = 10_000;
            int perRoot = 10;
            long emitted = 0;
            long child = 0;
            for (long r = 1; r <= roots; r++) {
                for (int i = 0; i < perRoot; i++) {
                    Team done = assembler.push(row(r, "team " + r, ++child, "p" + child, r));
                    if (i == 0 && r > 1) {
                        assertThat(done).as("root %s is emitted by the first row of root %s", r - 1, r).isNotNull();
                        assertThat(done.id()).isEqualTo(r - 1);
                        assertThat(done.players()).hasSize(perRoot);
                        assertThat(done.players().get(0).id()).isEqualTo((r - 2) * perRoot + 1);
                        emitted++;
                    } else {
                        assertThat(done).isNull();
                    }
                }
            }
            Team last = assembler.finish();

            assertThat(emitted).isEqualTo(roots - 1);
            assertThat(last).isNotNull();
            assertThat(last.id()).isEqualTo((long) roots);
            assertThat(last.players()).hasSize(perRoot);
        }
    }

    @Nested
    class SeparateLoads {

        @Test
        void followUpRowsAreAttachedToTheirParents() {
            // root: c0 t0.id, c1 t0.name; follow-up: c0 link (TeamId), c1 t1.id, c2 t1.name, c3 t1.TeamId
            SelectPlan<Team> plan = Statements.select(Query.from(teams)
                    .include(teamPlayers, i -> i.strategy(Include.Strategy.SEPARATE)));
            Assembly<Team> assembly = plan.assembly();
            for (RowSource r : List.of(row(1L, "Red"), row(2L, "Blue"), row(3L, "Green"))) {
                assembly.push(r);
            }
            assembly.endWindow(true);
            FollowUp followUp = assembly.nextFollowUp();
            assertThat(followUp).isNotNull();
            SqlStatement st = followUp.statement();
            assertThat(st.binds().get(0).value()).isEqualTo(new Long[] {1L, 2L, 3L});
            followUp.accept(row(1L, 10L, "Ann", 1L));
            followUp.accept(row(1L, 11L, "Bob", 1L));
            followUp.accept(row(1L, 11L, "Bob", 1L));
            followUp.accept(row(3L, 12L, "Cid", 3L));
            followUp.complete();
            assertThat(assembly.nextFollowUp()).isNull();

            List<Team> result = new ArrayList<>();
            assembly.take().forEach(result::add);

            assertThat(result).containsExactly(
                    new Team(1L, "Red", List.of(new Player(10L, "Ann", 1L, null), new Player(11L, "Bob", 1L, null)), null),
                    new Team(2L, "Blue", List.of(), null),
                    new Team(3L, "Green", List.of(new Player(12L, "Cid", 3L, null)), null));
        }
    }

    @Nested
    class Returning {

        @Test
        void anInsertPlanReadsTheReturnedRow() {
            SelectPlan<Captain> plan = Statements.insert(captains, List.of(new Captain(null, "Jack", Rank.CAPTAIN, null)))
                    .get(0);

            assertThat(assemble(plan, List.of(row(1L, "Jack", "CAPTAIN"))))
                    .containsExactly(new Captain(1L, "Jack", Rank.CAPTAIN, null));
        }
    }
}
