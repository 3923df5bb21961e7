package io.relata.internal;

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
import io.relata.query.Where;
import io.relata.sql.SqlStatement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Statements of the association mixins: every one is a set operation whose text does not depend on
 * how many targets, and keys are extracted and checked before any SQL.
 */
class AssociationPlannerTest {

    record Team(Long id, String name) {}
    record Player(Long id, String name, Integer number, Long TeamId) {}
    record Captain(Long id, String name) {}
    record Ship(Long id, String name, Long captainId) {}
    record Movie(Long id, String title) {}
    record Actor(Long id, String name, Casting casting) {}
    record Casting(Long MovieId, Long ActorId, String role) {}
    record Post(Long id, String title) {}
    record Comment(Long id, String body, String commentableType, Long commentableId) {}
    record Tag(Long id, String label) {}
    record Tagging(Long PostId, Long TagId, String kind, String note) {}

    static final HasMany<Team, Player> teamPlayers;
    static final HasOne<Captain, Ship> captainShip;
    static final BelongsTo<Ship, Captain> shipCaptain;
    static final BelongsToMany<Movie, Actor> movieActors;
    static final HasMany<Post, Comment> postComments;
    static final BelongsToMany<Post, Tag> pinnedTags;
    static final Model<Tagging> taggings;

    static {
        SchemaBuilder s = Schema.builder();
        Model<Team> teams = s.define(Team.class);
        Model<Player> players = s.define(Player.class);
        teamPlayers = teams.hasMany(players, o -> o.as("players"));
        Model<Captain> captains = s.define(Captain.class, m -> m.name("captain").timestamps(false));
        Model<Ship> ships = s.define(Ship.class, m -> m.name("ship").timestamps(false));
        captainShip = captains.hasOne(ships);
        shipCaptain = ships.belongsTo(captains);
        Model<Movie> movies = s.define(Movie.class);
        Model<Actor> actors = s.define(Actor.class);
        Model<Casting> castings = s.define(Casting.class);
        movieActors = movies.belongsToMany(actors, o -> o.through(castings).as("actors"));
        Model<Post> posts = s.define(Post.class, m -> m.timestamps(false));
        Model<Comment> comments = s.define(Comment.class, m -> m.timestamps(false));
        postComments = posts.hasMany(comments, o -> o.as("comments").foreignKey("commentableId").constraints(false)
                .scope("commentableType", "post"));
        Model<Tag> tags = s.define(Tag.class, m -> m.timestamps(false));
        taggings = s.define(Tagging.class, m -> m.timestamps(false));
        pinnedTags = posts.belongsToMany(tags, o -> o.through(taggings).as("pinnedTags").throughScope("kind", "pinned"));
        s.build();
    }

    static String q(String sql) {
        return sql.replace('`', '"');
    }

    @Nested
    class HasManyLinks {

        @Test
        void linkSetsTheForeignKeyOfTheTargetsAndTouchesThem() {
            SqlStatement st = AssociationPlanner.link(teamPlayers, 5L, new Long[] {1L, 2L});

            assertThat(st.sql()).isEqualTo(q("UPDATE `Players` SET `TeamId` = $1, `updatedAt` = now() WHERE `id` = ANY($2)"));
            assertThat(st.values()).containsExactly(5L, new Long[] {1L, 2L});
            assertThat(st.binds().get(1).type()).isEqualTo(Long[].class);
        }

        @Test
        void linkTextDoesNotDependOnTheNumberOfTargets() {
            assertThat(AssociationPlanner.link(teamPlayers, 5L, new Long[] {1L}).sql())
                    .isEqualTo(AssociationPlanner.link(teamPlayers, 5L, new Long[] {1L, 2L, 3L}).sql());
        }

        @Test
        void unlinkEveryTarget() {
            SqlStatement st = AssociationPlanner.unlink(teamPlayers, 5L, null, false);

            assertThat(st.sql()).isEqualTo(q("UPDATE `Players` SET `TeamId` = NULL, `updatedAt` = now() WHERE `TeamId` = $1"));
            assertThat(st.values()).containsExactly(5L);
        }

        @Test
        void unlinkTheGivenTargets() {
            SqlStatement st = AssociationPlanner.unlink(teamPlayers, 5L, new Long[] {1L}, false);

            assertThat(st.sql()).isEqualTo(q("UPDATE `Players` SET `TeamId` = NULL, `updatedAt` = now() "
                    + "WHERE `TeamId` = $1 AND `id` = ANY($2)"));
            assertThat(st.values()).containsExactly(5L, new Long[] {1L});
        }

        @Test
        void unlinkAllButTheGivenTargets() {
            SqlStatement st = AssociationPlanner.unlink(teamPlayers, 5L, new Long[] {1L}, true);

            assertThat(st.sql()).isEqualTo(q("UPDATE `Players` SET `TeamId` = NULL, `updatedAt` = now() "
                    + "WHERE `TeamId` = $1 AND `id` <> ALL($2)"));
        }

        @Test
        void hasOneLinkIsTheSameStatementShape() {
            SqlStatement st = AssociationPlanner.link(captainShip, 1L, new Long[] {7L});

            assertThat(st.sql()).isEqualTo(q("UPDATE `ships` SET `captainId` = $1 WHERE `id` = ANY($2)"));
        }

        @Test
        void scopeIsWrittenOnLinkAndFiltersUnlink() {
            SqlStatement link = AssociationPlanner.link(postComments, 5L, new Long[] {1L});
            SqlStatement unlink = AssociationPlanner.unlink(postComments, 5L, null, false);

            assertThat(link.sql()).isEqualTo(q("UPDATE `Comments` SET `commentableId` = $1, `commentableType` = $2 "
                    + "WHERE `id` = ANY($3)"));
            assertThat(link.values()).containsExactly(5L, "post", new Long[] {1L});
            assertThat(unlink.sql()).isEqualTo(q("UPDATE `Comments` SET `commentableId` = NULL "
                    + "WHERE `commentableId` = $1 AND `commentableType` = $2"));
            assertThat(unlink.values()).containsExactly(5L, "post");
        }

        @Test
        void linkIsOnlyForForeignKeysOnTheTarget() {
            assertThatThrownBy(() -> AssociationPlanner.link(movieActors, 1L, new Long[] {1L}))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> AssociationPlanner.unlink(shipCaptain, 1L, null, false))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class BelongsToForeignKey {

        @Test
        void setForeignKeyUpdatesTheSourceRow() {
            SqlStatement st = AssociationPlanner.setForeignKey(shipCaptain, new Ship(3L, "Black Pearl", null), 9L);

            assertThat(st.sql()).isEqualTo(q("UPDATE `ships` SET `captainId` = $1 WHERE `id` = $2"));
            assertThat(st.values()).containsExactly(9L, 3L);
        }

        @Test
        void setForeignKeyToNullUnlinks() {
            SqlStatement st = AssociationPlanner.setForeignKey(shipCaptain, new Ship(3L, "Black Pearl", 9L), null);

            assertThat(st.sql()).isEqualTo(q("UPDATE `ships` SET `captainId` = $1 WHERE `id` = $2"));
            assertThat(st.values()).containsExactly(null, 3L);
            assertThat(st.binds().get(0).type()).isEqualTo(Long.class);
        }

        @Test
        void anUnsavedSourceIsRejected() {
            assertThatThrownBy(() -> AssociationPlanner.setForeignKey(shipCaptain, new Ship(null, "x", null), 1L))
                    .isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContainingAll("ship.captain", "no id", "saved");
        }

        @Test
        void aSourceOfAnotherModelIsRejected() {
            assertThatThrownBy(() -> AssociationPlanner.setForeignKey(shipCaptain, new Captain(1L, "Jack"), 1L))
                    .isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContainingAll("ship", "Captain");
        }
    }

    @Nested
    class Junctions {

        @Test
        void addInsertsOneRowPerKeyFromUnnestAndIgnoresExistingLinks() {
            SqlStatement st = AssociationPlanner.addJunction(movieActors, 1L, new Long[] {2L, 3L}, Map.of());

            assertThat(st.sql()).isEqualTo(q("INSERT INTO `Castings` (`MovieId`, `ActorId`, `createdAt`, `updatedAt`) "
                    + "SELECT $1, `u`.`k`, now(), now() FROM unnest($2) AS `u`(`k`) ON CONFLICT DO NOTHING"));
            assertThat(st.values()).containsExactly(1L, new Long[] {2L, 3L});
            assertThat(st.binds().get(1).type()).isEqualTo(Long[].class);
        }

        @Test
        void addWithThroughValuesUpdatesThemOnConflict() {
            SqlStatement st = AssociationPlanner.addJunction(movieActors, 1L, new Long[] {2L}, Map.of("role", "hero"));

            assertThat(st.sql()).isEqualTo(q("INSERT INTO `Castings` (`MovieId`, `ActorId`, `createdAt`, `updatedAt`, "
                    + "`role`) SELECT $1, `u`.`k`, now(), now(), $2 FROM unnest($3) AS `u`(`k`) "
                    + "ON CONFLICT (`MovieId`, `ActorId`) DO UPDATE SET `role` = EXCLUDED.`role`, `updatedAt` = now()"));
            assertThat(st.values()).containsExactly(1L, "hero", new Long[] {2L});
        }

        @Test
        void addWritesTheThroughScope() {
            SqlStatement st = AssociationPlanner.addJunction(pinnedTags, 1L, new Long[] {2L}, Map.of());

            assertThat(st.sql()).isEqualTo(q("INSERT INTO `Taggings` (`PostId`, `TagId`, `kind`) "
                    + "SELECT $1, `u`.`k`, $2 FROM unnest($3) AS `u`(`k`) ON CONFLICT DO NOTHING"));
            assertThat(st.values()).containsExactly(1L, "pinned", new Long[] {2L});
        }

        @Test
        void addWithThroughValuesAndThroughScope() {
            SqlStatement st = AssociationPlanner.addJunction(pinnedTags, 1L, new Long[] {2L}, Map.of("note", "n"));

            assertThat(st.sql()).isEqualTo(q("INSERT INTO `Taggings` (`PostId`, `TagId`, `kind`, `note`) "
                    + "SELECT $1, `u`.`k`, $2, $3 FROM unnest($4) AS `u`(`k`) "
                    + "ON CONFLICT (`PostId`, `TagId`) DO UPDATE SET `note` = EXCLUDED.`note`"));
            assertThat(st.values()).containsExactly(1L, "pinned", "n", new Long[] {2L});
        }

        @Test
        void throughValuesMayNotBeTheKeys() {
            assertThatThrownBy(() -> AssociationPlanner.addJunction(movieActors, 1L, new Long[] {2L},
                    Map.of("MovieId", 5L))).isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContainingAll("'MovieId'", "Casting");
            assertThatThrownBy(() -> AssociationPlanner.addJunction(movieActors, 1L, new Long[] {2L},
                    Map.of("billing", 1))).isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContainingAll("'billing'", "Casting");
        }

        @Test
        void removeEveryLink() {
            SqlStatement st = AssociationPlanner.removeJunction(movieActors, 1L, null, false);

            assertThat(st.sql()).isEqualTo(q("DELETE FROM `Castings` WHERE `MovieId` = $1"));
            assertThat(st.values()).containsExactly(1L);
        }

        @Test
        void removeTheGivenLinks() {
            SqlStatement st = AssociationPlanner.removeJunction(movieActors, 1L, new Long[] {2L, 3L}, false);

            assertThat(st.sql()).isEqualTo(q("DELETE FROM `Castings` WHERE `MovieId` = $1 AND `ActorId` = ANY($2)"));
            assertThat(st.values()).containsExactly(1L, new Long[] {2L, 3L});
        }

        @Test
        void removeAllButTheGivenLinks() {
            SqlStatement st = AssociationPlanner.removeJunction(movieActors, 1L, new Long[] {2L}, true);

            assertThat(st.sql()).isEqualTo(q("DELETE FROM `Castings` WHERE `MovieId` = $1 AND `ActorId` <> ALL($2)"));
        }

        @Test
        void removeOnlyTouchesRowsOfTheThroughScope() {
            SqlStatement st = AssociationPlanner.removeJunction(pinnedTags, 1L, new Long[] {2L}, false);

            assertThat(st.sql()).isEqualTo(q("DELETE FROM `Taggings` WHERE `PostId` = $1 AND `TagId` = ANY($2) "
                    + "AND `kind` = $3"));
            assertThat(st.values()).containsExactly(1L, new Long[] {2L}, "pinned");
        }
    }

    @Nested
    class Counts {

        @Test
        void countOfAHasMany() {
            SqlStatement st = AssociationPlanner.count(teamPlayers, 1L, null);

            assertThat(st.sql()).isEqualTo(q("SELECT count(*) FROM `Players` AS `t0` WHERE `t0`.`TeamId` = $1"));
            assertThat(st.values()).containsExactly(1L);
        }

        @Test
        void countWithAWhere() {
            SqlStatement st = AssociationPlanner.count(teamPlayers, 1L, Where.gt("number", 3));

            assertThat(st.sql()).isEqualTo(q("SELECT count(*) FROM `Players` AS `t0` WHERE `t0`.`TeamId` = $1 "
                    + "AND `t0`.`number` > $2"));
            assertThat(st.values()).containsExactly(1L, 3);
        }

        @Test
        void countAppliesTheScope() {
            SqlStatement st = AssociationPlanner.count(postComments, 1L, null);

            assertThat(st.sql()).isEqualTo(q("SELECT count(*) FROM `Comments` AS `t0` WHERE `t0`.`commentableId` = $1 "
                    + "AND `t0`.`commentableType` = $2"));
            assertThat(st.values()).containsExactly(1L, "post");
        }

        @Test
        void countOfABelongsToManyJoinsTheJunction() {
            SqlStatement st = AssociationPlanner.count(movieActors, 1L, Where.like("name", "A%"));

            assertThat(st.sql()).isEqualTo(q("SELECT count(*) FROM `Actors` AS `t0` INNER JOIN `Castings` AS `j0` "
                    + "ON `t0`.`id` = `j0`.`ActorId` WHERE `j0`.`MovieId` = $1 AND `t0`.`name` LIKE $2"));
            assertThat(st.values()).containsExactly(1L, "A%");
        }

        @Test
        void countAppliesTheThroughScope() {
            SqlStatement st = AssociationPlanner.count(pinnedTags, 1L, null);

            assertThat(st.sql()).isEqualTo(q("SELECT count(*) FROM `Tags` AS `t0` INNER JOIN `Taggings` AS `j0` "
                    + "ON `t0`.`id` = `j0`.`TagId` WHERE `j0`.`PostId` = $1 AND `j0`.`kind` = $2"));
            assertThat(st.values()).containsExactly(1L, "pinned");
        }

        @Test
        void countLinkedOfAHasMany() {
            SqlStatement st = AssociationPlanner.countLinked(teamPlayers, 1L, new Long[] {2L, 3L});

            assertThat(st.sql()).isEqualTo(q("SELECT count(DISTINCT `t0`.`id`) FROM `Players` AS `t0` "
                    + "WHERE `t0`.`TeamId` = $1 AND `t0`.`id` = ANY($2)"));
            assertThat(st.values()).containsExactly(1L, new Long[] {2L, 3L});
        }

        @Test
        void countLinkedOfABelongsToManyWithThroughScope() {
            SqlStatement st = AssociationPlanner.countLinked(pinnedTags, 1L, new Long[] {2L});

            assertThat(st.sql()).isEqualTo(q("SELECT count(DISTINCT `t0`.`id`) FROM `Tags` AS `t0` "
                    + "INNER JOIN `Taggings` AS `j0` ON `t0`.`id` = `j0`.`TagId` WHERE `j0`.`PostId` = $1 "
                    + "AND `j0`.`kind` = $2 AND `t0`.`id` = ANY($3)"));
            assertThat(st.values()).containsExactly(1L, "pinned", new Long[] {2L});
        }

        @Test
        void countLinkedAppliesTheScope() {
            SqlStatement st = AssociationPlanner.countLinked(postComments, 1L, new Long[] {4L});

            assertThat(st.sql()).isEqualTo(q("SELECT count(DISTINCT `t0`.`id`) FROM `Comments` AS `t0` "
                    + "WHERE `t0`.`commentableId` = $1 AND `t0`.`id` = ANY($2) AND `t0`.`commentableType` = $3"));
        }
    }

    @Nested
    class KeyExtraction {

        @Test
        void sourceValueIsTheSourceKey() {
            assertThat(AssociationPlanner.sourceValue(teamPlayers, new Team(4L, "x"))).isEqualTo(4L);
        }

        @Test
        void sourceValueOfABelongsToIsItsForeignKeyAndMayBeNull() {
            assertThat(AssociationPlanner.sourceValue(shipCaptain, new Ship(1L, "x", 9L))).isEqualTo(9L);
            assertThat(AssociationPlanner.sourceValue(shipCaptain, new Ship(1L, "x", null))).isNull();
        }

        @Test
        void anUnsavedSourceIsRejected() {
            assertThatThrownBy(() -> AssociationPlanner.sourceValue(teamPlayers, new Team(null, "x")))
                    .isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContainingAll("Team.players", "no id", "saved");
        }

        @Test
        void aSourceOfAnotherModelIsRejected() {
            assertThatThrownBy(() -> AssociationPlanner.sourceValue(teamPlayers, new Movie(1L, "x")))
                    .isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContainingAll("Team.players", "Team", "Movie");
        }

        @Test
        void targetValueOfAnEntityIsItsKey() {
            assertThat(AssociationPlanner.targetValue(teamPlayers, new Player(8L, "x", null, null))).isEqualTo(8L);
            assertThat(AssociationPlanner.targetValue(movieActors, new Actor(2L, "x", null))).isEqualTo(2L);
        }

        @Test
        void targetValueOfAKeyIsWidenedToTheKeyType() {
            assertThat(AssociationPlanner.targetValue(teamPlayers, 8)).isEqualTo(8L);
            assertThat(AssociationPlanner.targetValue(teamPlayers, 8L)).isEqualTo(8L);
        }

        @Test
        void anUnsavedTargetIsRejected() {
            assertThatThrownBy(() -> AssociationPlanner.targetValue(teamPlayers, new Player(null, "x", null, null)))
                    .isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContainingAll("Team.players", "Player", "no id", "saved");
        }

        @Test
        void aTargetOfAnotherModelIsRejected() {
            assertThatThrownBy(() -> AssociationPlanner.targetValue(teamPlayers, new Movie(1L, "x")))
                    .isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContainingAll("Team.players", "Player", "Long", "Movie");
        }

        @Test
        void aKeyOfTheWrongTypeIsRejected() {
            assertThatThrownBy(() -> AssociationPlanner.targetValue(teamPlayers, "8"))
                    .isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContainingAll("Team.players", "Player", "Long", "String");
        }

        @Test
        void aFractionalKeyForAnIntegerKeyIsRejected() {
            assertThatThrownBy(() -> AssociationPlanner.targetValue(movieActors, 3.5))
                    .isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContainingAll("Movie.actors", "Actor", "Double");
        }

        @Test
        void targetValuesAreDistinctInATypedArray() {
            Object[] keys = AssociationPlanner.targetValues(movieActors,
                    List.of(new Actor(2L, "a", null), 3L, 2, new Actor(3L, "b", null)));

            assertThat(keys).isInstanceOf(Long[].class).containsExactly(2L, 3L);
        }

        @Test
        void targetValuesFailOnTheFirstBadTarget() {
            assertThatThrownBy(() -> AssociationPlanner.targetValues(movieActors,
                    List.of(new Actor(2L, "a", null), new Actor(null, "new", null))))
                    .isInstanceOf(QueryDefinitionException.class).hasMessageContaining("saved");
        }

        @Test
        void belongsToIdentifiesTargetsByTheTargetKey() {
            assertThat(AssociationPlanner.targetIdentity(shipCaptain).name()).isEqualTo("id");
            assertThat(AssociationPlanner.targetValue(shipCaptain, new Captain(5L, "Jack"))).isEqualTo(5L);
        }
    }
}
