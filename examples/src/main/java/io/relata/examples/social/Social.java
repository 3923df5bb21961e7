package io.relata.examples.social;

import io.relata.BelongsToMany;
import io.relata.DataType;
import io.relata.HasMany;
import io.relata.HasOne;
import io.relata.Model;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import java.util.List;

/**
 * The social platform of the seeds: User hasOne Profile, User hasMany Post, and users follow users
 * (followers / following, one junction "Follows"); Audit rows are written with Spring's DatabaseClient.
 * Unaliased associations get Sequelize's aliases ({@code Profile}, {@code Posts}); clients name them by the
 * JSON properties they see ({@code profile}, {@code posts}).
 */
public final class Social {
    /** A user; association slots are null unless included. */
    public record User(Long id, String username, Profile profile, List<Post> posts, List<User> followers,
            List<User> following) {
        static User named(String username) {
            return new User(null, username, null, null, null, null);
        }
    }

    /** A user's profile (hasOne: {@code Profiles.userId}). */
    public record Profile(Long id, String bio, Long userId) {
    }

    /** A post (hasMany: {@code Posts.userId}). */
    public record Post(Long id, String title, String body, Long userId) {
    }

    /** What the service did, written through DatabaseClient inside the same transaction as Relata's writes. */
    public record Audit(Long id, String action) {
    }

    final Model<User> users;
    final Model<Profile> profiles;
    final Model<Post> posts;
    final Model<Audit> audits;
    final HasOne<User, Profile> userProfile;
    final HasMany<User, Post> userPosts;
    final BelongsToMany<User, User> followers;
    final BelongsToMany<User, User> following;
    final Schema schema;

    Social() {
        SchemaBuilder s = Schema.builder().timestamps(false);
        users = s.define(User.class, m -> m.attribute("username").unique().notNull());
        profiles = s.define(Profile.class, m -> m.attribute("bio", DataType.text()));
        posts = s.define(Post.class, m -> m.attribute("body", DataType.text()));
        audits = s.define(Audit.class);
        userProfile = users.hasOne(profiles, o -> o.foreignKey("userId"));
        userPosts = users.hasMany(posts, o -> o.foreignKey("userId"));
        followers = users.belongsToMany(users, o -> o.as("followers").through("Follows")
                .foreignKey("followingId").otherKey("followerId"));
        following = users.belongsToMany(users, o -> o.as("following").through("Follows")
                .foreignKey("followerId").otherKey("followingId"));
        schema = s.build();
    }
}
