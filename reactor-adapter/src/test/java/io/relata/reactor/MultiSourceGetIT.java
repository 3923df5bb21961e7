package io.relata.reactor;

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
import io.relata.query.Order;
import io.relata.query.Where;
import io.relata.reactor.testing.Pools;
import io.relata.reactor.testing.RecordingConnectionFactory;
import io.relata.reactor.testing.Sql;
import io.relata.reactor.testing.TestDatabase;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Explicit multi-source loads (Sequelize's {@code association.get([instances])}, issue 9 defect 10): one
 * statement for any number of sources, a query's {@code limit}/{@code order} applied per source, to-one
 * results as a map without the sources that have none; and junction options ({@code throughWhere},
 * {@code throughAttributes}) on lazy loads and counts of a belongsToMany.
 */
@ExtendWith(TestDatabase.class)
class MultiSourceGetIT {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    record Post(Long id, String title, List<Comment> comments, Cover cover, List<Tag> tags) {
    }

    record Comment(Long id, String body, Integer stars, Long postId, Post post, List<Reply> replies) {
    }

    record Reply(Long id, String text, Long commentId) {
    }

    record Cover(Long id, String url, Long postId) {
    }

    /** {@code tagging} receives the junction's attributes. */
    record Tag(Long id, String label, Tagging tagging) {
    }

    record Tagging(Long postId, Long tagId, String kind, Integer weight) {
    }

    static Model<Post> posts;
    static HasMany<Post, Comment> postComments;
    static HasMany<Comment, Reply> commentReplies;
    static BelongsTo<Comment, Post> commentPost;
    static HasOne<Post, Cover> postCover;
    static BelongsToMany<Post, Tag> postTags;

    static Database pool;
    static RecordingConnectionFactory recording;
    static Database db;

    @BeforeAll
    static void schema(TestDatabase.Handle h) {
        SchemaBuilder s = Schema.builder().timestamps(false);
        posts = s.define(Post.class);
        Model<Comment> comments = s.define(Comment.class);
        Model<Reply> replies = s.define(Reply.class);
        Model<Cover> covers = s.define(Cover.class);
        Model<Tag> tags = s.define(Tag.class);
        Model<Tagging> taggings = s.define(Tagging.class);
        postComments = posts.hasMany(comments);
        commentReplies = comments.hasMany(replies);
        commentPost = comments.belongsTo(posts);
        postCover = posts.hasOne(covers);
        postTags = posts.belongsToMany(tags, o -> o.through(taggings));
        Schema schema = s.build();
        pool = Database.connect(h.url(), schema);
        recording = new RecordingConnectionFactory(pool.connectionFactory());
        db = Database.create(recording, schema);
        db.sync().as(StepVerifier::create).expectComplete().verify(TIMEOUT);
        Sql.execute(h.connectionFactory(),
                "INSERT INTO \"Posts\" (\"id\", \"title\") VALUES (1, 'one'), (2, 'two'), (3, 'three'), (4, 'four')",
                "INSERT INTO \"Comments\" (\"id\", \"body\", \"stars\", \"postId\") VALUES"
                        + " (1, '1a', 3, 1), (2, '1b', 5, 1), (3, '1c', 4, 1), (4, '1d', 1, 1),"
                        + " (5, '2a', 2, 2), (6, '2b', 5, 2), (7, '3a', 4, 3)",
                "INSERT INTO \"Replies\" (\"id\", \"text\", \"commentId\") VALUES (1, 'r1', 2), (2, 'r2', 2), (3, 'r3', 3),"
                        + " (4, 'r4', 6)",
                "INSERT INTO \"Covers\" (\"id\", \"url\", \"postId\") VALUES (1, 'c1', 1), (2, 'c3', 3)",
                "INSERT INTO \"Tags\" (\"id\", \"label\") VALUES (1, 'java'), (2, 'sql'), (3, 'orm'), (4, 'misc')",
                "INSERT INTO \"Taggings\" (\"postId\", \"tagId\", \"kind\", \"weight\") VALUES"
                        + " (1, 1, 'topic', 9), (1, 2, 'topic', 5), (1, 3, 'aside', 7), (1, 4, 'aside', 1),"
                        + " (2, 2, 'topic', 3), (2, 3, 'aside', 8), (3, 4, 'topic', 2)");
    }

    @AfterAll
    static void close() {
        pool.close().block(TIMEOUT);
    }

    @BeforeEach
    void reset() {
        recording.reset();
    }

    @AfterEach
    void noConnectionLeaked() {
        Pools.awaitNoAcquired(pool.connectionFactory());
    }

    static Post post(long id) {
        return new Post(id, null, null, null, null);
    }

    static final List<Post> POSTS = List.of(post(1), post(2), post(3), post(4));

    /** The result by source id, each target described by {@code describe}; asserted after exactly one statement. */
    static <S, T> Map<Long, List<String>> names(Mono<Map<S, List<T>>> result, Function<S, Long> id, Function<T, String> describe) {
        Map<S, List<T>> map = result.block(TIMEOUT);
        assertThat(map).isNotNull();
        Map<Long, List<String>> out = new LinkedHashMap<>();
        map.forEach((s, targets) -> out.put(id.apply(s), targets.stream().map(describe).toList()));
        assertThat(recording.executed()).as("statements").hasSize(1);
        return out;
    }

    @Test
    void hasManyGetOfSeveralSourcesIsOneStatementWithEverySourceInOrder() {
        Map<Long, List<String>> result = names(db.association(postComments).get(List.of(post(3), post(1), post(4), post(2))),
                Post::id, Comment::body);

        assertThat(result).containsExactly(Map.entry(3L, List.of("3a")), Map.entry(1L, List.of("1a", "1b", "1c", "1d")),
                Map.entry(4L, List.of()), Map.entry(2L, List.of("2a", "2b")));
        assertThat(recording.executed().get(0).array(0)).containsExactly(3L, 1L, 4L, 2L);
    }

    @Test
    void limitAndOrderApplyPerSource() {
        Map<Long, List<String>> result = names(db.association(postComments)
                        .get(POSTS, q -> q.orderBy(Order.desc("stars"), Order.asc("id")).limit(2)),
                Post::id, c -> c.body() + ":" + c.stars());

        assertThat(result).containsExactly(Map.entry(1L, List.of("1b:5", "1c:4")), Map.entry(2L, List.of("2b:5", "2a:2")),
                Map.entry(3L, List.of("3a:4")), Map.entry(4L, List.of()));
    }

    @Test
    void offsetAndWhereApplyPerSource() {
        Map<Long, List<String>> result = names(db.association(postComments)
                        .get(POSTS, q -> q.where(Where.gte("stars", 2)).orderBy(Order.asc("body")).offset(1).limit(1)),
                Post::id, Comment::body);

        assertThat(result).containsExactly(Map.entry(1L, List.of("1b")), Map.entry(2L, List.of("2b")),
                Map.entry(3L, List.of()), Map.entry(4L, List.of()));
    }

    @Test
    void aPerSourceLimitCountsTargetsNotTheRowsOfTheirToManyIncludes() {
        Map<Long, List<String>> result = names(db.association(postComments).get(POSTS, q -> q.orderBy(Order.desc("stars"))
                        .limit(2).include(commentReplies, i -> i.orderBy(Order.desc("text")))),
                Post::id, c -> c.body() + c.replies().stream().map(Reply::text).toList());

        assertThat(result).containsExactly(Map.entry(1L, List.of("1b[r2, r1]", "1c[r3]")),
                Map.entry(2L, List.of("2b[r4]", "2a[]")), Map.entry(3L, List.of("3a[]")), Map.entry(4L, List.of()));
    }

    @Test
    void aSingleSourceGetWithALimitIsTheSameWindow() {
        db.association(postComments).get(post(1), q -> q.orderBy(Order.desc("stars")).limit(2)).map(Comment::body)
                .as(StepVerifier::create).expectNext("1b", "1c").expectComplete().verify(TIMEOUT);
    }

    @Test
    void belongsToManyGetOfSeveralSourcesWithAPerSourceLimitCarriesTheJunctionValues() {
        Map<Long, List<String>> result = names(db.association(postTags)
                        .get(POSTS, q -> q.orderBy(Order.asc("label")).limit(2)),
                Post::id, t -> t.label() + "/" + t.tagging().kind() + "/" + t.tagging().weight());

        assertThat(result).containsExactly(Map.entry(1L, List.of("java/topic/9", "misc/aside/1")),
                Map.entry(2L, List.of("orm/aside/8", "sql/topic/3")), Map.entry(3L, List.of("misc/topic/2")),
                Map.entry(4L, List.of()));
    }

    @Test
    void throughWhereAndThroughAttributesShapeALazyBelongsToManyLoad() {
        Map<Long, List<String>> result = names(db.association(postTags)
                        .get(POSTS, q -> q.throughWhere(Where.eq("kind", "topic")).throughAttributes("weight")),
                Post::id, t -> t.label() + "/" + t.tagging().kind() + "/" + t.tagging().weight());

        assertThat(result).containsExactly(Map.entry(1L, List.of("java/null/9", "sql/null/5")),
                Map.entry(2L, List.of("sql/null/3")), Map.entry(3L, List.of("misc/null/2")), Map.entry(4L, List.of()));

        db.association(postTags).get(post(1), q -> q.throughWhere(Where.gt("weight", 6)).throughAttributes())
                .map(t -> t.label() + "/" + t.tagging())
                .as(StepVerifier::create).expectNext("java/null", "orm/null").expectComplete().verify(TIMEOUT);
    }

    @Test
    void throughWhereFiltersACount() {
        db.association(postTags).count(post(1), q -> q.throughWhere(Where.eq("kind", "aside")))
                .as(StepVerifier::create).expectNext(2L).expectComplete().verify(TIMEOUT);
        db.association(postTags).count(post(1), q -> q.where(Where.ne("label", "orm")).throughWhere(Where.eq("kind", "aside")))
                .as(StepVerifier::create).expectNext(1L).expectComplete().verify(TIMEOUT);
        db.association(postComments).count(post(1), q -> q.where(Where.gte("stars", 4)))
                .as(StepVerifier::create).expectNext(2L).expectComplete().verify(TIMEOUT);
    }

    @Test
    void toOneGetsOfSeveralSourcesAreOneStatementWithoutTheSourcesThatHaveNone() {
        Map<Post, Cover> covers = db.association(postCover).get(POSTS).block(TIMEOUT);
        assertThat(covers).isNotNull();
        assertThat(covers.entrySet()).extracting(e -> e.getKey().id() + "=" + e.getValue().url())
                .containsExactly("1=c1", "3=c3");
        assertThat(recording.executed()).hasSize(1);

        recording.reset();
        List<Comment> comments = List.of(new Comment(7L, "3a", 4, 3L, null, null), new Comment(1L, "1a", 3, 1L, null, null),
                new Comment(2L, "1b", 5, 1L, null, null));
        Map<Comment, Post> byComment = db.association(commentPost).get(comments, q -> q.attributes("title")).block(TIMEOUT);
        assertThat(byComment).isNotNull();
        assertThat(byComment.entrySet()).extracting(e -> e.getKey().body() + "=" + e.getValue().title())
                .containsExactly("3a=three", "1a=one", "1b=one");
        assertThat(recording.executed()).hasSize(1);
    }

    @Test
    void noSourcesIsAnEmptyMapWithoutAStatement() {
        db.association(postComments).get(List.of()).as(StepVerifier::create).expectNext(Map.of()).expectComplete()
                .verify(TIMEOUT);
        db.association(postCover).get(List.of()).as(StepVerifier::create).expectNext(Map.of()).expectComplete()
                .verify(TIMEOUT);
        assertThat(recording.executed()).isEmpty();
    }

    @Test
    void aBadSourceOrQueryIsRejectedBeforeAnySql() {
        assertThatThrownBy(() -> db.association(postComments).get(List.of(post(1), new Post(null, "unsaved", null, null, null))))
                .isInstanceOf(QueryDefinitionException.class).hasMessageContaining("saved");
        assertThatThrownBy(() -> db.association(postComments).get(POSTS, q -> q.throughWhere(Where.eq("kind", "x"))))
                .isInstanceOf(QueryDefinitionException.class).hasMessageContaining("belongsToMany");
        assertThatThrownBy(() -> db.association(postTags).count(post(1), q -> q.limit(1)))
                .isInstanceOf(QueryDefinitionException.class).hasMessageContaining("where and throughWhere only");
        assertThatThrownBy(() -> db.association(postTags).get(POSTS, q -> q.throughWhere(Where.eq("nope", 1))))
                .isInstanceOf(QueryDefinitionException.class).hasMessageContainingAll("nope", "kind", "weight");
        assertThat(recording.executed()).isEmpty();
    }

    @Test
    void aMultiSourceGetInsideATransactionSeesItsWrites() {
        // the transaction is rolled back by the error, so the other tests' data stays as seeded
        db.transaction(tx -> db.association(postComments).add(post(4), 7L)
                        .then(db.association(postComments).get(List.of(post(3), post(4))))
                        .flatMap(m -> Mono.error(new IllegalStateException(m.entrySet().stream()
                                .map(e -> e.getKey().id() + "=" + e.getValue().stream().map(Comment::body).toList())
                                .toList().toString()))))
                .as(StepVerifier::create)
                .expectErrorMessage("[3=[], 4=[3a]]")
                .verify(TIMEOUT);
        db.association(postComments).count(post(3)).as(StepVerifier::create).expectNext(1L).expectComplete().verify(TIMEOUT);
    }
}
