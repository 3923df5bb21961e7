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
import io.relata.sql.SqlStatement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Every association write is confined to the rows the association can see: its target scope, its
 * through scope, its foreign key. Sequelize's scope scenarios (categories and tags through one junction,
 * polymorphic comments and item tags) and its NOT NULL unlink rule, pinned as exact SQL and binds.
 */
class ScopedWritesTest {

    record Post(Long id) {}
    record Tag(Long id, String type) {}
    record Image(Long id) {}
    record Label(Long id, String name) {}
    record ItemTag(Long id, Long tag_id, String taggable, Long taggable_id) {}
    record Comment(Long id, String title, String type, String commentable, Long commentable_id) {}
    record Captain(Long id, String name) {}
    record Ship(Long id, String name, Long captainId) {}
    record Team(Long id) {}
    record Member(Long id, Long TeamId) {}
    record Pinning(Long id, Long imageId, Long labelId, String note) {}

    static final BelongsToMany<Post, Tag> categories;
    static final BelongsToMany<Post, Tag> tags;
    static final BelongsToMany<Post, Label> postLabels;
    static final BelongsToMany<Image, Label> imageLabels;
    static final BelongsToMany<Image, Label> pins;
    static final HasMany<Post, Comment> postComments;
    static final HasMany<Post, Comment> coloredComments;
    static final HasOne<Captain, Ship> captainShip;
    static final BelongsTo<Ship, Captain> shipCaptain;
    static final HasMany<Team, Member> teamMembers;

    static {
        SchemaBuilder s = Schema.builder().timestamps(false);
        Model<Post> posts = s.define(Post.class, m -> m.name("post"));
        Model<Tag> tagModel = s.define(Tag.class, m -> m.name("tag"));
        categories = posts.belongsToMany(tagModel, o -> o.through("post_tag").as("categories").scope("type", "category"));
        tags = posts.belongsToMany(tagModel, o -> o.through("post_tag").as("tags").scope("type", "tag"));

        Model<Image> images = s.define(Image.class, m -> m.name("image"));
        Model<Label> labels = s.define(Label.class, m -> m.name("label"));
        Model<ItemTag> itemTags = s.define(ItemTag.class, m -> m.name("item_tag")
                .unique("item_tag_taggable", "tag_id", "taggable", "taggable_id"));
        postLabels = posts.belongsToMany(labels, o -> o.through(itemTags).as("labels").unique(false)
                .throughScope("taggable", "post").foreignKey("taggable_id").otherKey("tag_id").constraints(false));
        imageLabels = images.belongsToMany(labels, o -> o.through(itemTags).as("labels").unique(false)
                .throughScope("taggable", "image").foreignKey("taggable_id").otherKey("tag_id").constraints(false));

        Model<Pinning> pinnings = s.define(Pinning.class);
        pins = images.belongsToMany(labels, o -> o.through(pinnings).as("pins").unique(false));

        Model<Comment> comments = s.define(Comment.class, m -> m.name("comment"));
        postComments = posts.hasMany(comments, o -> o.foreignKey("commentable_id").constraints(false)
                .scope("commentable", "post"));
        coloredComments = posts.hasMany(comments, o -> o.foreignKey("commentable_id").constraints(false)
                .as("coloredComments").scope("commentable", "post").scope("type", List.of("blue", "green")));

        Model<Captain> captains = s.define(Captain.class, m -> m.name("captain"));
        Model<Ship> ships = s.define(Ship.class, m -> m.name("ship").attribute("captainId").notNull());
        captainShip = captains.hasOne(ships);
        shipCaptain = ships.belongsTo(captains);

        Model<Team> teams = s.define(Team.class);
        Model<Member> members = s.define(Member.class);
        teamMembers = teams.hasMany(members, o -> o.as("members"));
        s.build();
    }

    static String q(String sql) {
        return sql.replace('`', '"');
    }

    @Nested
    class TargetScopeThroughOneJunction {

        @Test
        void removeDeletesOnlyLinksToTargetsTheScopeSees() {
            SqlStatement st = AssociationPlanner.removeJunction(categories, 2L, new Long[] {5L}, true);

            assertThat(st.sql()).isEqualTo(q("DELETE FROM `post_tag` WHERE `postId` = $1 AND `tagId` <> ALL($2) "
                    + "AND EXISTS (SELECT 1 FROM `tags` AS `t` WHERE `t`.`id` = `post_tag`.`tagId` AND `t`.`type` = $3)"));
            assertThat(st.values()).containsExactly(2L, new Long[] {5L}, "category");
        }

        @Test
        void addLinksOnlyTargetsTheScopeSees() {
            SqlStatement st = AssociationPlanner.addJunction(tags, 2L, new Long[] {5L, 6L}, Map.of());

            assertThat(st.sql()).isEqualTo(q("INSERT INTO `post_tag` (`postId`, `tagId`) SELECT $1, `u`.`k` "
                    + "FROM unnest($2) AS `u`(`k`) WHERE EXISTS (SELECT 1 FROM `tags` AS `t` WHERE `t`.`id` = `u`.`k` "
                    + "AND `t`.`type` = $3) ON CONFLICT DO NOTHING"));
            assertThat(st.values()).containsExactly(2L, new Long[] {5L, 6L}, "tag");
        }
    }

    @Nested
    class PolymorphicJunction {

        @Test
        void addWritesTheThroughScopeAndConflictsOnTheUniqueKeyThatIncludesIt() {
            SqlStatement st = AssociationPlanner.addJunction(postLabels, 1L, new Long[] {7L}, Map.of());

            assertThat(st.sql()).isEqualTo(q("INSERT INTO `item_tags` (`taggable_id`, `tag_id`, `taggable`) "
                    + "SELECT $1, `u`.`k`, $2 FROM unnest($3) AS `u`(`k`) ON CONFLICT DO NOTHING"));
            assertThat(st.values()).containsExactly(1L, "post", new Long[] {7L});
        }

        @Test
        void throughValuesUpdateExistingLinksOnThatUniqueKey() {
            SqlStatement st = AssociationPlanner.addJunction(postLabels, 1L, new Long[] {7L}, Map.of("id", 9L));

            assertThat(st.sql()).endsWith(q(" ON CONFLICT (`tag_id`, `taggable`, `taggable_id`) DO UPDATE SET "
                    + "`id` = EXCLUDED.`id`"));
        }

        @Test
        void addWithoutAUniqueKeySkipsPairsAlreadyLinked() {
            SqlStatement st = AssociationPlanner.addJunction(pins, 1L, new Long[] {7L}, Map.of());

            assertThat(st.sql()).isEqualTo(q("INSERT INTO `Pinnings` (`imageId`, `labelId`) SELECT $1, `u`.`k` "
                    + "FROM unnest($2) AS `u`(`k`) WHERE NOT EXISTS (SELECT 1 FROM `Pinnings` AS `e` "
                    + "WHERE `e`.`imageId` = $3 AND `e`.`labelId` = `u`.`k`) ON CONFLICT DO NOTHING"));
            assertThat(st.values()).containsExactly(1L, new Long[] {7L}, 1L);
        }

        @Test
        void addWithThroughValuesWithoutAUniqueKeyUpdatesExistingLinksInTheSameStatement() {
            SqlStatement st = AssociationPlanner.addJunction(pins, 1L, new Long[] {7L}, Map.of("note", "top"));

            assertThat(st.sql()).isEqualTo(q("WITH `updated` AS (UPDATE `Pinnings` SET `note` = $1 "
                    + "WHERE `imageId` = $2 AND `labelId` = ANY($3) RETURNING 1) "
                    + "INSERT INTO `Pinnings` (`imageId`, `labelId`, `note`) SELECT $4, `u`.`k`, $5 "
                    + "FROM unnest($6) AS `u`(`k`) WHERE NOT EXISTS (SELECT 1 FROM `Pinnings` AS `e` "
                    + "WHERE `e`.`imageId` = $7 AND `e`.`labelId` = `u`.`k`) ON CONFLICT DO NOTHING"));
            assertThat(st.values()).containsExactly("top", 1L, new Long[] {7L}, 1L, "top", new Long[] {7L}, 1L);
        }

        @Test
        void removeIsConfinedToTheThroughScope() {
            SqlStatement st = AssociationPlanner.removeJunction(imageLabels, 1L, null, false);

            assertThat(st.sql()).isEqualTo(q("DELETE FROM `item_tags` WHERE `taggable_id` = $1 AND `taggable` = $2"));
            assertThat(st.values()).containsExactly(1L, "image");
        }
    }

    @Nested
    class PolymorphicForeignKey {

        @Test
        void linkWritesTheScopeAndUnlinkIsConfinedToIt() {
            assertThat(AssociationPlanner.link(postComments, 1L, new Long[] {3L}).sql()).isEqualTo(q(
                    "UPDATE `comments` SET `commentable_id` = $1, `commentable` = $2 WHERE `id` = ANY($3)"));
            SqlStatement unlink = AssociationPlanner.unlink(postComments, 1L, null, false);

            assertThat(unlink.sql()).isEqualTo(q(
                    "UPDATE `comments` SET `commentable_id` = NULL WHERE `commentable_id` = $1 AND `commentable` = $2"));
            assertThat(unlink.values()).containsExactly(1L, "post");
        }

        @Test
        void aListValuedScopeFiltersButIsNotWritten() {
            SqlStatement link = AssociationPlanner.link(coloredComments, 1L, new Long[] {3L});

            assertThat(link.sql()).isEqualTo(q("UPDATE `comments` SET `commentable_id` = $1, `commentable` = $2 "
                    + "WHERE `id` = ANY($3) AND `type` = ANY($4)"));
            assertThat(link.values()).containsExactly(1L, "post", new Long[] {3L}, new String[] {"blue", "green"});
        }

        @Test
        void aCreateOutsideAListValuedScopeIsRejected() {
            assertThatThrownBy(() -> AssociationPlanner.requireInScope(coloredComments,
                    new Comment(null, "x", "red", null, null)))
                    .isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContainingAll("post.coloredComments", "type", "[blue, green]", "red");
        }
    }

    @Nested
    class NotNullForeignKeys {

        @Test
        void unlinkingANotNullForeignKeyDeletesTheTargets() {
            SqlStatement st = AssociationPlanner.unlink(captainShip, 1L, new Long[] {4L}, true);

            assertThat(st.sql()).isEqualTo(q("DELETE FROM `ships` WHERE `captainId` = $1 AND `id` <> ALL($2)"));
            assertThat(st.values()).containsExactly(1L, new Long[] {4L});
        }

        @Test
        void destroyDeletesEvenWhenTheForeignKeyIsNullable() {
            SqlStatement st = AssociationPlanner.unlink(teamMembers, 1L, new Long[] {4L}, false, true);

            assertThat(st.sql()).isEqualTo(q("DELETE FROM `Members` WHERE `TeamId` = $1 AND `id` = ANY($2)"));
        }

        @Test
        void aBelongsToWithANotNullForeignKeyCannotBeUnlinked() {
            assertThatThrownBy(() -> AssociationPlanner.setForeignKey(shipCaptain, new Ship(3L, "Pearl", 1L), null))
                    .isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContainingAll("ship.captain", "captainId", "NOT NULL");
        }
    }
}
