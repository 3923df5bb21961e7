package io.relata.examples;

import io.relata.BelongsToMany;
import io.relata.Model;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.query.Include;
import io.relata.query.Order;
import io.relata.query.Query;
import io.relata.reactor.Database;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A self-association: users follow users through one junction table "Followers" with the columns
 * followerId and followingId. Two aliased belongsToMany associations read the same junction from
 * opposite sides, told apart by foreignKey (the column pointing at the source) and otherKey (the
 * column pointing at the target).
 */
public final class Followers {

    record User(Long id, String username, List<User> followers, List<User> following) {
    }

    private Followers() {
    }

    /**
     * @param url an R2DBC URL
     */
    public static void run(String url) {
        SchemaBuilder s = Schema.builder();
        Model<User> users = s.define(User.class, m -> m.timestamps(false));
        // bob.followers: junction rows whose followingId is bob; the users are their followerId.
        BelongsToMany<User, User> followers = users.belongsToMany(users, o -> o.as("followers")
                .through("Followers").foreignKey("followingId").otherKey("followerId"));
        // alice.following: junction rows whose followerId is alice; the users are their followingId.
        BelongsToMany<User, User> following = users.belongsToMany(users, o -> o.as("following")
                .through("Followers").foreignKey("followerId").otherKey("followingId"));
        Schema schema = s.build();

        Database db = Database.connect(url, schema);
        try {
            db.sync(true).block();
            List<User> u = db.bulkCreate(users, List.of(user("alice"), user("bob"), user("carol"), user("dave")))
                    .collectList().block();
            User alice = u.get(0);
            User bob = u.get(1);
            User carol = u.get(2);
            User dave = u.get(3);

            db.association(following).add(alice, List.of(bob, carol)).block();   // alice follows bob and carol
            db.association(followers).add(bob, dave).block();                    // dave follows bob
            db.association(following).add(carol, alice).block();                 // carol follows alice
            System.out.println("  alice follows bob and carol; dave follows bob; carol follows alice");

            List<String> bobsFollowers = db.association(followers).get(bob).map(User::username)
                    .collectList().block();
            System.out.println("  lazy: bob's followers: " + bobsFollowers);
            Check.expect("bob's followers", bobsFollowers, List.of("alice", "dave"));

            // Both directions eagerly. Two sibling to-many includes would multiply joined rows, so
            // "following" is fetched by a SEPARATE follow-up query (= ANY over the users' keys).
            System.out.println("  findAll(User, include: followers, following):");
            List<User> all = db.findAll(Query.from(users)
                    .orderBy(Order.asc("username"))
                    .include(followers, i -> i.orderBy(Order.asc("username")))
                    .include(following, i -> i.orderBy(Order.asc("username")).strategy(Include.Strategy.SEPARATE)))
                    .collectList().block();
            for (User x : all) {
                System.out.printf("    %-6s followers: %-14s following: %s%n",
                        x.username(), names(x.followers()), names(x.following()));
            }
            Check.expect("followers / following", all.stream()
                    .map(x -> x.username() + " " + names(x.followers()) + " " + names(x.following())).toList(),
                    List.of("alice [carol] [bob, carol]", "bob [alice, dave] []", "carol [alice] [alice]",
                            "dave [] [bob]"));
        } finally {
            db.close().block();
        }
    }

    private static User user(String username) {
        return new User(null, username, null, null);
    }

    private static String names(List<User> users) {
        return users.stream().map(User::username).collect(Collectors.joining(", ", "[", "]"));
    }
}
