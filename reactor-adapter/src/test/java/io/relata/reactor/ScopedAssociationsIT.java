package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.BelongsTo;
import io.relata.BelongsToMany;
import io.relata.HasMany;
import io.relata.HasOne;
import io.relata.Model;
import io.relata.QueryDefinitionException;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.query.Order;
import io.relata.query.Query;
import io.relata.reactor.testing.Pools;
import io.relata.reactor.testing.Sql;
import io.relata.reactor.testing.TestDatabase;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * Sequelize's association scope scenarios (its {@code test/integration/associations/scope.test.js}),
 * replayed step by step with its expected results: several associations through one junction told apart
 * by a target scope, a polymorphic junction told apart by a through scope, polymorphic comments sharing
 * one foreign key, list-valued scopes; plus the rule that every write is confined to the rows its
 * association sees, and Sequelize's NOT NULL unlink rule ({@code destroyPrevious}, {@code destroy}).
 */
@ExtendWith(TestDatabase.class)
class ScopedAssociationsIT {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    static <T> List<T> list(Publisher<T> publisher) {
        List<T> items = Flux.from(publisher).collectList().block(TIMEOUT);
        assertThat(items).isNotNull();
        return items;
    }

    static void run(Publisher<?> publisher) {
        Flux.from(publisher).then().as(StepVerifier::create).expectComplete().verify(TIMEOUT);
    }

    static <T> T one(Publisher<T> publisher) {
        T value = Flux.from(publisher).single().block(TIMEOUT);
        assertThat(value).isNotNull();
        return value;
    }

    /** N:M "on the target": categories and tags of a post, told apart by the tag's type, share post_tags. */
    @Nested
    @ExtendWith(TestDatabase.class)
    class TargetScopeOnOneJunction {
        record Post(Long id, List<Tag> tags, List<Tag> categories) {
        }

        record Tag(Long id, String type) {
        }

        static Database owner;
        static Database db;
        static TestDatabase.Handle handle;
        static Model<Post> posts;
        static Model<Tag> tags;
        static BelongsToMany<Post, Tag> categories;
        static BelongsToMany<Post, Tag> postTags;

        @BeforeAll
        static void schema(TestDatabase.Handle h) {
            handle = h;
            SchemaBuilder s = Schema.builder();
            posts = s.define(Post.class, m -> m.name("post"));
            tags = s.define(Tag.class, m -> m.name("tag"));
            categories = posts.belongsToMany(tags, o -> o.through("post_tag").as("categories").scope("type", "category"));
            postTags = posts.belongsToMany(tags, o -> o.through("post_tag").as("tags").scope("type", "tag"));
            owner = Database.connect(h.url(), s.build());
            db = owner;
            run(db.sync(true));
        }

        @AfterAll
        static void close() {
            owner.close().block(TIMEOUT);
        }

        @AfterEach
        void noLeak() {
            Pools.awaitNoAcquired(owner.connectionFactory());
        }

        @Test
        void setCategoriesDoesNotOverwriteTagsAndViceVersa() {
            Post postA = one(db.create(posts, new Post(null, null, null)));
            Post postB = one(db.create(posts, new Post(null, null, null)));
            Post postC = one(db.create(posts, new Post(null, null, null)));
            Tag categoryA = one(db.create(tags, new Tag(null, "category")));
            Tag categoryB = one(db.create(tags, new Tag(null, "category")));
            Tag tagA = one(db.create(tags, new Tag(null, "tag")));
            Tag tagB = one(db.create(tags, new Tag(null, "tag")));

            run(db.association(categories).add(postA, categoryA));
            Tag created = one(db.association(postTags).create(postA, new Tag(null, null)));
            assertThat(created.type()).as("createTag writes the scope").isEqualTo("tag");
            run(db.association(postTags).add(postB, tagA));
            Tag createdCategory = one(db.association(categories).create(postC, new Tag(null, null)));
            assertThat(createdCategory.type()).isEqualTo("category");

            // 'setX' after the 'addX': setCategories must not overwrite tags and vice versa
            run(db.association(categories).set(postB, List.of(categoryB)));
            run(db.association(postTags).set(postC, List.of(tagB)));

            for (Post p : List.of(postA, postB, postC)) {
                assertThat(list(db.association(categories).get(p))).extracting(Tag::type).containsExactly("category");
                assertThat(list(db.association(postTags).get(p))).extracting(Tag::type).containsExactly("tag");
            }
            List<Post> included = list(db.findAll(Query.from(posts).include(postTags).include(categories)
                    .where(io.relata.query.Where.in("id", postA.id(), postB.id(), postC.id()))
                    .orderBy(Order.asc("id"))));
            assertThat(included).hasSize(3).allSatisfy(p -> {
                assertThat(p.tags()).extracting(Tag::type).containsExactly("tag");
                assertThat(p.categories()).extracting(Tag::type).containsExactly("category");
            });
            assertThat(included.get(1).categories()).containsExactly(categoryB);
            assertThat(included.get(1).tags()).containsExactly(tagA);
        }

        @Test
        void removeAndEmptySetLeaveTheSiblingAssociationsLinks() {
            Post post = one(db.create(posts, new Post(null, null, null)));
            Tag category = one(db.create(tags, new Tag(null, "category")));
            Tag tag = one(db.create(tags, new Tag(null, "tag")));
            run(db.association(categories).add(post, category));
            run(db.association(postTags).add(post, tag));

            run(db.association(categories).set(post, List.of()));
            assertThat(list(db.association(postTags).get(post))).containsExactly(tag);
            run(db.association(categories).add(post, category));
            run(db.association(postTags).remove(post, List.of(tag, category)));
            assertThat(list(db.association(categories).get(post))).containsExactly(category);
            assertThat(list(db.association(postTags).get(post))).isEmpty();
        }

        @Test
        void destroyDoesNotApplyToJunctionWrites() {
            Post post = one(db.create(posts, new Post(null, null, null)));
            StepVerifier.create(Flux.defer(() -> db.association(categories).remove(post, List.of(1L), Unlink.DESTROY)))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(QueryDefinitionException.class)
                            .hasMessageContainingAll("post.categories", "belongsToMany", "Unlink.DESTROY"))
                    .verify(TIMEOUT);
        }

        @Test
        void addingATargetOutsideTheScopeLinksNothing() {
            Post post = one(db.create(posts, new Post(null, null, null)));
            Tag tag = one(db.create(tags, new Tag(null, "tag")));

            run(db.association(categories).add(post, tag));

            assertThat(list(db.association(categories).get(post))).isEmpty();
            assertThat(list(db.association(postTags).get(post))).as("the sibling association sees no new link").isEmpty();
            assertThat(Sql.single(handle.connectionFactory(),
                    "SELECT count(*) FROM \"post_tag\" WHERE \"postId\" = $1", Long.class, post.id())).isZero();
        }
    }

    /** N:M "on the through model": posts, images and questions share item_tags, told apart by taggable. */
    @Nested
    @ExtendWith(TestDatabase.class)
    class ThroughScopeOnAPolymorphicJunction {
        record Post(Long id, List<Tag> tags) {
        }

        record Image(Long id, List<Tag> tags) {
        }

        record Question(Long id, List<Tag> tags) {
        }

        record ItemTag(Long id, Long tag_id, String taggable, Long taggable_id) {
        }

        record Tag(Long id, String name) {
        }

        static Database db;
        static Model<Post> posts;
        static Model<Image> images;
        static Model<Question> questions;
        static Model<Tag> tags;
        static BelongsToMany<Post, Tag> postTags;
        static BelongsToMany<Image, Tag> imageTags;
        static BelongsToMany<Question, Tag> questionTags;

        @BeforeAll
        static void schema(TestDatabase.Handle h) {
            SchemaBuilder s = Schema.builder();
            posts = s.define(Post.class, m -> m.name("post"));
            images = s.define(Image.class, m -> m.name("image"));
            questions = s.define(Question.class, m -> m.name("question"));
            Model<ItemTag> itemTags = s.define(ItemTag.class, m -> m.name("item_tag")
                    .unique("item_tag_taggable", "tag_id", "taggable", "taggable_id"));
            tags = s.define(Tag.class, m -> m.name("tag"));
            postTags = posts.belongsToMany(tags, o -> o.through(itemTags).unique(false).throughScope("taggable", "post")
                    .foreignKey("taggable_id").otherKey("tag_id").constraints(false));
            imageTags = images.belongsToMany(tags, o -> o.through(itemTags).unique(false).throughScope("taggable", "image")
                    .foreignKey("taggable_id").otherKey("tag_id").constraints(false));
            questionTags = questions.belongsToMany(tags, o -> o.through(itemTags).unique(false)
                    .throughScope("taggable", "question").foreignKey("taggable_id").otherKey("tag_id").constraints(false));
            db = Database.connect(h.url(), s.build());
            run(db.sync(true));
        }

        @AfterAll
        static void close() {
            db.close().block(TIMEOUT);
        }

        @AfterEach
        void noLeak() {
            Pools.awaitNoAcquired(db.connectionFactory());
        }

        static List<String> names(List<Tag> tags) {
            return tags.stream().map(Tag::name).sorted().toList();
        }

        @Test
        void createFindAndIncludeWithScopeValues() {
            // ids collide on purpose: post 1, image 1 and question 1 all link through taggable_id = 1
            Post post = one(db.create(posts, new Post(null, null)));
            Image image = one(db.create(images, new Image(null, null)));
            Question question = one(db.create(questions, new Question(null, null)));
            assertThat(List.of(post.id(), image.id(), question.id())).containsOnly(1L);
            Tag tagA = one(db.create(tags, new Tag(null, "tagA")));
            Tag tagB = one(db.create(tags, new Tag(null, "tagB")));
            Tag tagC = one(db.create(tags, new Tag(null, "tagC")));

            run(db.association(postTags).set(post, List.of(tagA)));
            run(db.association(postTags).create(post, new Tag(null, "postTag")));
            run(db.association(postTags).add(post, tagB));
            run(db.association(imageTags).set(image, List.of(tagB)));
            run(db.association(imageTags).create(image, new Tag(null, "imageTag")));
            run(db.association(imageTags).add(image, tagC));
            run(db.association(questionTags).set(question, List.of(tagC)));
            run(db.association(questionTags).create(question, new Tag(null, "questionTag")));
            run(db.association(questionTags).add(question, tagA));

            assertThat(names(list(db.association(postTags).get(post)))).containsExactly("postTag", "tagA", "tagB");
            assertThat(names(list(db.association(imageTags).get(image)))).containsExactly("imageTag", "tagB", "tagC");
            assertThat(names(list(db.association(questionTags).get(question))))
                    .containsExactly("questionTag", "tagA", "tagC");
            assertThat(names(one(db.findOne(Query.from(posts).include(postTags))).tags()))
                    .containsExactly("postTag", "tagA", "tagB");
            assertThat(names(one(db.findOne(Query.from(images).include(imageTags))).tags()))
                    .containsExactly("imageTag", "tagB", "tagC");
            assertThat(names(one(db.findOne(Query.from(questions).include(questionTags))).tags()))
                    .containsExactly("questionTag", "tagA", "tagC");
            assertThat(one(db.association(postTags).count(post))).isEqualTo(3L);
            assertThat(one(db.association(imageTags).has(image, List.of(tagB, tagC)))).isTrue();
            assertThat(one(db.association(imageTags).has(image, tagA))).isFalse();

            // set, remove and add again are confined to the through scope: the other owners keep their links
            run(db.association(postTags).set(post, List.of()));
            run(db.association(imageTags).remove(image, List.of(tagB)));
            run(db.association(questionTags).add(question, List.of(tagA, tagC)));
            assertThat(list(db.association(postTags).get(post))).isEmpty();
            assertThat(names(list(db.association(imageTags).get(image)))).containsExactly("imageTag", "tagC");
            assertThat(names(list(db.association(questionTags).get(question))))
                    .containsExactly("questionTag", "tagA", "tagC");
        }
    }

    /** 1:1 and 1:M: posts, images and questions share comments.commentable_id, told apart by commentable. */
    @Nested
    @ExtendWith(TestDatabase.class)
    class PolymorphicComments {
        record Post(Long id, List<Comment> comments, List<Comment> coloredComments, Comment mainComment) {
        }

        record Image(Long id, List<Comment> comments) {
        }

        record Question(Long id, List<Comment> comments) {
        }

        record Comment(Long id, String title, String type, String commentable, Long commentable_id, Boolean isMain) {
            static Comment titled(String title) {
                return new Comment(null, title, null, null, null, null);
            }
        }

        static Database db;
        static TestDatabase.Handle handle;
        static Model<Post> posts;
        static Model<Image> images;
        static Model<Question> questions;
        static Model<Comment> comments;
        static HasMany<Post, Comment> postComments;
        static HasMany<Post, Comment> coloredComments;
        static HasOne<Post, Comment> mainComment;
        static BelongsTo<Comment, Post> commentPost;
        static HasMany<Image, Comment> imageComments;
        static BelongsTo<Comment, Image> commentImage;
        static HasMany<Question, Comment> questionComments;

        @BeforeAll
        static void schema(TestDatabase.Handle h) {
            handle = h;
            SchemaBuilder s = Schema.builder();
            posts = s.define(Post.class, m -> m.name("post"));
            images = s.define(Image.class, m -> m.name("image"));
            questions = s.define(Question.class, m -> m.name("question"));
            comments = s.define(Comment.class, m -> m.name("comment")
                    .attribute("isMain").field("is_main").defaultValue(false));
            postComments = posts.hasMany(comments, o -> o.foreignKey("commentable_id").scope("commentable", "post")
                    .constraints(false));
            coloredComments = posts.hasMany(comments, o -> o.foreignKey("commentable_id").as("coloredComments")
                    .scope("commentable", "post").scope("type", List.of("blue", "green")).constraints(false));
            mainComment = posts.hasOne(comments, o -> o.foreignKey("commentable_id").as("mainComment")
                    .scope("commentable", "post").scope("isMain", true).constraints(false));
            commentPost = comments.belongsTo(posts, o -> o.foreignKey("commentable_id").as("post").constraints(false));
            imageComments = images.hasMany(comments, o -> o.foreignKey("commentable_id").scope("commentable", "image")
                    .constraints(false));
            commentImage = comments.belongsTo(images, o -> o.foreignKey("commentable_id").as("image").constraints(false));
            questionComments = questions.hasMany(comments, o -> o.foreignKey("commentable_id")
                    .scope("commentable", "question").constraints(false));
            db = Database.connect(h.url(), s.build());
            run(db.sync(true));
        }

        @AfterAll
        static void close() {
            db.close().block(TIMEOUT);
        }

        @BeforeEach
        void empty() {
            Sql.execute(handle.connectionFactory(), "DELETE FROM \"comments\"", "DELETE FROM \"posts\"",
                    "DELETE FROM \"images\"", "DELETE FROM \"questions\"",
                    "ALTER SEQUENCE \"posts_id_seq\" RESTART", "ALTER SEQUENCE \"images_id_seq\" RESTART",
                    "ALTER SEQUENCE \"questions_id_seq\" RESTART");
        }

        @AfterEach
        void noLeak() {
            Pools.awaitNoAcquired(db.connectionFactory());
        }

        @Test
        void oneToManyCreateFindAndIncludeWithScopeValues() {
            Post post = one(db.create(posts, new Post(null, null, null, null)));
            Image image = one(db.create(images, new Image(null, null)));
            Question question = one(db.create(questions, new Question(null, null)));
            Comment commentA = one(db.create(comments, Comment.titled("I am a image comment")));
            Comment commentB = one(db.create(comments, Comment.titled("I am a question comment")));

            run(db.association(postComments).create(post, Comment.titled("I am a post comment")));
            run(db.association(imageComments).add(image, commentA));
            run(db.association(questionComments).set(question, List.of(commentB)));

            assertThat(list(db.findAll(Query.from(comments))).stream().map(Comment::commentable).sorted())
                    .containsExactly("image", "post", "question");
            assertThat(list(db.association(postComments).get(post))).extracting(Comment::title)
                    .containsExactly("I am a post comment");
            assertThat(list(db.association(imageComments).get(image))).extracting(Comment::title)
                    .containsExactly("I am a image comment");
            assertThat(list(db.association(questionComments).get(question))).extracting(Comment::title)
                    .containsExactly("I am a question comment");
            Comment postComment = list(db.association(postComments).get(post)).get(0);
            assertThat(one(db.association(commentPost).get(postComment)).id()).isEqualTo(post.id());

            assertThat(one(db.findOne(Query.from(posts).include(postComments))).comments()).extracting(Comment::title)
                    .containsExactly("I am a post comment");
            assertThat(one(db.findOne(Query.from(images).include(imageComments))).comments()).extracting(Comment::title)
                    .containsExactly("I am a image comment");
            assertThat(one(db.findOne(Query.from(questions).include(questionComments))).comments())
                    .extracting(Comment::title).containsExactly("I am a question comment");
        }

        @Test
        void oneToOneCreateFindAndSetWithScopeValues() {
            Post post = one(db.create(posts, new Post(null, null, null, null)));
            run(db.create(comments, Comment.titled("I am a comment")));
            run(db.create(comments, new Comment(null, "I am a main comment", null, null, null, true)));

            Comment comment = one(db.association(postComments).create(post, Comment.titled("I am a post comment")));
            assertThat(comment.commentable()).isEqualTo("post");
            assertThat(comment.isMain()).isFalse();
            assertThat(one(db.findByPk(Query.from(posts).include(mainComment), post.id())).mainComment()).isNull();

            Comment main = one(db.association(mainComment).create(post, Comment.titled("I am a main post comment")));
            assertThat(main.commentable()).isEqualTo("post");
            assertThat(main.isMain()).isTrue();
            assertThat(one(db.findByPk(Query.from(posts).include(mainComment), post.id())).mainComment().id())
                    .isEqualTo(main.id());
            assertThat(one(db.association(mainComment).get(post)).isMain()).isTrue();

            Comment future = one(db.create(comments, Comment.titled("I am a future main comment")));
            run(db.association(mainComment).set(post, future));
            Comment now = one(db.association(mainComment).get(post));
            assertThat(now.commentable()).isEqualTo("post");
            assertThat(now.isMain()).isTrue();
            assertThat(now.title()).isEqualTo("I am a future main comment");
            assertThat(list(db.association(postComments).get(post))).extracting(Comment::title)
                    .as("the previous main comment is unlinked, the plain post comment stays")
                    .containsExactlyInAnyOrder("I am a post comment", "I am a future main comment");
        }

        @Test
        void listValuedScopeFiltersIncludes() {
            Post post = one(db.create(posts, new Post(null, null, null, null)));
            Comment blue = one(db.create(comments, new Comment(null, "I am a blue comment", "blue", null, null, null)));
            Comment red = one(db.create(comments, new Comment(null, "I am a red comment", "red", null, null, null)));
            Comment green = one(db.create(comments, new Comment(null, "I am a green comment", "green", null, null, null)));
            run(db.association(postComments).add(post, List.of(blue, red, green)));

            Post found = one(db.findByPk(Query.from(posts).include(coloredComments), post.id()));
            assertThat(found.coloredComments()).hasSize(2).allSatisfy(c -> assertThat(c.type()).matches("blue|green"));
            assertThat(one(db.association(coloredComments).count(post))).isEqualTo(2L);
            // a create must carry one of the listed values itself: it is a filter, not a value to write
            assertThat(one(db.association(coloredComments).create(post,
                    new Comment(null, "another blue", "blue", null, null, null))).commentable()).isEqualTo("post");
            StepVerifier.create(Flux.defer(() -> db.association(coloredComments).create(post,
                            new Comment(null, "a red one", "red", null, null, null))))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(QueryDefinitionException.class)
                            .hasMessageContaining("[blue, green]"))
                    .verify(TIMEOUT);
        }

        @Test
        void writesOfOneOwnerNeverTouchAnotherOwnersCommentsWithTheSameId() {
            Post post = one(db.create(posts, new Post(null, null, null, null)));
            Image image = one(db.create(images, new Image(null, null)));
            assertThat(post.id()).isEqualTo(image.id());
            Comment imageComment = one(db.association(imageComments).create(image, Comment.titled("image's")));
            Comment postComment = one(db.association(postComments).create(post, Comment.titled("post's")));

            run(db.association(postComments).set(post, List.of()));
            assertThat(list(db.association(imageComments).get(image))).containsExactly(imageComment);
            run(db.association(postComments).add(post, postComment));
            run(db.association(postComments).remove(post, List.of(postComment, imageComment)));
            assertThat(list(db.association(imageComments).get(image))).containsExactly(imageComment);
            run(db.association(mainComment).set(post, null, Unlink.DESTROY));
            assertThat(list(db.association(imageComments).get(image))).containsExactly(imageComment);
            run(db.association(postComments).set(post, List.of(postComment), Unlink.DESTROY));
            run(db.association(postComments).set(post, List.of(), Unlink.DESTROY));
            assertThat(list(db.findAll(Query.from(comments))).stream().map(Comment::title).toList())
                    .containsExactly("image's");
        }
    }

    /** Unlinking a NOT NULL foreign key deletes the unlinked rows (Sequelize), confined to the owner. */
    @Nested
    @ExtendWith(TestDatabase.class)
    class NotNullForeignKeys {
        record User(Long id, String name) {
        }

        record Profile(Long id, String bio, Long UserId) {
        }

        record Task(Long id, String title, Long UserId) {
        }

        record Note(Long id, String text, Long UserId) {
        }

        static Database db;
        static Model<User> users;
        static Model<Profile> profiles;
        static Model<Task> tasks;
        static Model<Note> notes;
        static HasOne<User, Profile> userProfile;
        static HasMany<User, Task> userTasks;
        static HasMany<User, Note> userNotes;

        @BeforeAll
        static void schema(TestDatabase.Handle h) {
            SchemaBuilder s = Schema.builder();
            users = s.define(User.class);
            profiles = s.define(Profile.class);
            tasks = s.define(Task.class);
            notes = s.define(Note.class);
            userProfile = users.hasOne(profiles, o -> o.foreignKey(fk -> fk.notNull()));
            userTasks = users.hasMany(tasks, o -> o.foreignKey(fk -> fk.allowNull(false)));
            userNotes = users.hasMany(notes);
            db = Database.connect(h.url(), s.build());
            run(db.sync(true));
        }

        @AfterAll
        static void close() {
            db.close().block(TIMEOUT);
        }

        @AfterEach
        void noLeak() {
            Pools.awaitNoAcquired(db.connectionFactory());
        }

        User user(String name) {
            return one(db.create(users, new User(null, name)));
        }

        List<String> all(Model<?> model, java.util.function.Function<Object, String> name) {
            return list(db.findAll(Query.from(model))).stream().map(name).sorted(Comparator.naturalOrder()).toList();
        }

        @Test
        void hasOneSetDeletesThePreviousTargetAndKeepsOtherUsersProfiles() {
            User ann = user("ann");
            User bob = user("bob");
            Profile first = one(db.association(userProfile).create(ann, new Profile(null, "first", null)));
            Profile bobs = one(db.association(userProfile).create(bob, new Profile(null, "bob's", null)));
            Profile second = one(db.create(profiles, new Profile(null, "second", bob.id())));

            run(db.association(userProfile).set(ann, second));
            assertThat(one(db.association(userProfile).get(ann))).isEqualTo(new Profile(second.id(), "second", ann.id()));
            run(db.association(userProfile).set(ann, second));
            assertThat(one(db.association(userProfile).get(ann)).id()).as("setting it again keeps it").isEqualTo(second.id());
            run(db.association(userProfile).set(ann, null));
            assertThat(list(db.association(userProfile).get(ann))).isEmpty();

            assertThat(list(db.findAll(Query.from(profiles)))).extracting(Profile::bio)
                    .as("the unlinked profiles are deleted; bob's stays").containsExactly(bobs.bio())
                    .doesNotContain(first.bio());
        }

        @Test
        void hasManyRemoveAndSetDeleteTheUnlinkedTasksOfThatUserOnly() {
            User ann = user("ann");
            User bob = user("bob");
            Task a1 = one(db.association(userTasks).create(ann, new Task(null, "a1", null)));
            Task a2 = one(db.association(userTasks).create(ann, new Task(null, "a2", null)));
            Task a3 = one(db.association(userTasks).create(ann, new Task(null, "a3", null)));
            Task b1 = one(db.association(userTasks).create(bob, new Task(null, "b1", null)));

            run(db.association(userTasks).remove(ann, List.of(a1, b1)));
            run(db.association(userTasks).set(ann, List.of(a3)));

            assertThat(list(db.association(userTasks).get(ann))).containsExactly(a3);
            assertThat(list(db.association(userTasks).get(bob))).containsExactly(b1);
            assertThat(list(db.findAll(Query.from(tasks).orderBy(Order.asc("id"))))).extracting(Task::title)
                    .containsExactly("a3", "b1").doesNotContain(a2.title());
        }

        @Test
        void destroyAndDestroyPreviousDeleteEvenANullableForeignKeysTargets() {
            User ann = user("ann");
            Note n1 = one(db.association(userNotes).create(ann, new Note(null, "n1", null)));
            Note n2 = one(db.association(userNotes).create(ann, new Note(null, "n2", null)));
            Note n3 = one(db.association(userNotes).create(ann, new Note(null, "n3", null)));

            run(db.association(userNotes).remove(ann, List.of(n1)));
            assertThat(one(db.findByPk(notes, n1.id())).UserId()).as("default: the nullable key is cleared").isNull();
            run(db.association(userNotes).remove(ann, List.of(n2), Unlink.DESTROY));
            assertThat(list(db.findByPk(notes, n2.id()))).as("destroy: true deletes it").isEmpty();
            run(db.association(userNotes).set(ann, List.of(), Unlink.DESTROY));
            assertThat(list(db.findByPk(notes, n3.id()))).as("destroyPrevious deletes it").isEmpty();
        }
    }
}
