package io.relata.examples;

import io.relata.BelongsToMany;
import io.relata.HasMany;
import io.relata.Model;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.query.Order;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.reactor.Database;
import java.time.Instant;
import java.util.List;

/**
 * Soft delete (Sequelize's paranoid models): a destroyed post stays in its table with a {@code deletedAt}
 * and disappears from every read (queries, includes, lazy loads, counts) until it is restored; a forced
 * destroy deletes it. Tags are linked through a paranoid junction, so removing a tag keeps the link row
 * (soft-deleted) and adding it again revives it.
 */
public final class SoftDelete {

    record Blog(Long id, String name, List<Post> posts) {
    }

    record Post(Long id, String title, Long blogId, Instant deletedAt, List<Tag> tags) {
    }

    record Tag(Long id, String name) {
    }

    record PostTags(Long PostId, Long TagId, Instant deletedAt) {
    }

    private SoftDelete() {
    }

    /**
     * @param url an R2DBC URL, e.g. {@code r2dbc:postgresql://postgres@localhost:5432/test}
     */
    public static void run(String url) {
        SchemaBuilder s = Schema.builder();
        Model<Blog> blogs = s.define(Blog.class);
        Model<Post> posts = s.define(Post.class, m -> m.paranoid(true));           // adds nothing: deletedAt is a component
        Model<Tag> tags = s.define(Tag.class);
        Model<PostTags> postTags = s.define(PostTags.class, m -> m.paranoid(true)); // a paranoid junction
        HasMany<Blog, Post> blogPosts = blogs.hasMany(posts, o -> o.foreignKey("blogId"));
        BelongsToMany<Post, Tag> tagsOfPost = posts.belongsToMany(tags, o -> o.through(postTags));
        Database db = Database.connect(url, s.build());
        try {
            db.sync(true).block();    // "Posts" and "PostTags" get a nullable "deletedAt"
            Blog blog = db.create(blogs, new Blog(null, "travel", null)).block();
            List<Post> written = db.bulkCreate(posts, List.of(new Post(null, "Lisbon", blog.id(), null, null),
                    new Post(null, "Porto", blog.id(), null, null))).collectList().block();
            Tag food = db.create(tags, new Tag(null, "food")).block();
            db.association(tagsOfPost).add(written.get(0), food).block();

            // destroy: UPDATE "Posts" AS "t0" SET "deletedAt" = now() WHERE "t0"."deletedAt" IS NULL AND ...
            Query<Post> lisbon = Query.from(posts).where(Where.eq("title", "Lisbon"));
            Long destroyed = db.destroy(lisbon).block();
            System.out.println("  destroy(Lisbon): " + destroyed + " row soft-deleted");
            Blog read = db.findOne(Query.from(blogs).include(blogPosts)).block();
            System.out.println("  the blog's posts now: " + read.posts().stream().map(Post::title).toList());
            Check.expect("a destroyed post is left out of an include", read.posts().size(), 1);
            Check.expect("and out of counts", db.count(Query.from(posts)).block(), 1L);
            Check.expect("and out of lazy loads", db.association(blogPosts).count(blog).block(), 1L);
            Post ghost = db.findOne(lisbon.paranoid(false)).block();
            System.out.println("  paranoid(false) still finds it, deleted at " + ghost.deletedAt());
            Check.expect("paranoid(false) sees it", ghost.title(), "Lisbon");

            Long restored = db.restore(lisbon).block();
            System.out.println("  restore(Lisbon): " + restored + " row back");
            Check.expect("restored", db.findAll(Query.from(posts).orderBy(Order.asc("title"))).map(Post::title)
                    .collectList().block(), List.of("Lisbon", "Porto"));

            // a paranoid junction: remove soft-deletes the link, add revives it
            db.association(tagsOfPost).remove(written.get(0), food).block();
            Check.expect("the link is gone for reads", db.association(tagsOfPost).count(written.get(0)).block(), 0L);
            Check.expect("but its row is kept", db.count(Query.from(postTags).paranoid(false)).block(), 1L);
            db.association(tagsOfPost).add(written.get(0), food).block();
            Check.expect("add revives it", db.association(tagsOfPost).get(written.get(0)).map(Tag::name)
                    .collectList().block(), List.of("food"));
            Check.expect("without a second row", db.count(Query.from(postTags).paranoid(false)).block(), 1L);
            System.out.println("  tag link removed (soft) and added again (revived): 1 junction row");

            // force: DELETE FROM "Posts" AS "t0" WHERE ...
            Long deleted = db.destroy(Query.from(posts).where(Where.eq("title", "Porto")), true).block();
            System.out.println("  destroy(Porto, force): " + deleted + " row deleted for real");
            Check.expect("a forced destroy is not restorable", db.count(Query.from(posts).paranoid(false)).block(), 1L);
        } finally {
            db.close().block();
        }
    }
}
