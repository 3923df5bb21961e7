package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.relata.BelongsToMany;
import io.relata.HasMany;
import io.relata.HasOne;
import io.relata.Model;
import io.relata.QueryDefinitionException;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.query.Order;
import io.relata.query.Projection;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.reactor.testing.Pools;
import io.relata.reactor.testing.Sql;
import io.relata.reactor.testing.TestDatabase;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.test.StepVerifier;

/**
 * Aggregates and projections over includes (issue 13): Sequelize's cases (a post's comment count, a
 * belongsToMany count, a hasOne → hasMany {@code SUM}), groupBy, having, order on an aggregate, records and
 * maps, an include used only for the aggregate, an association count with includes, and every name checked
 * before SQL.
 */
@ExtendWith(TestDatabase.class)
class ProjectionIT {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    record Post(Long id, String title, List<Comment> comments) {
    }

    record Comment(Long id, String body, Integer stars, Long postId) {
    }

    record Member(Long id, String name, List<Project> projects) {
    }

    record Project(Long id, String title) {
    }

    record MemberProject(Long memberId, Long projectId) {
    }

    record Table1(Long id, String name, Table2 table2) {
    }

    record Table2(Long id, Long table1Id, List<Table3> tables3) {
    }

    record Table3(Long id, Integer value, Long table2Id) {
    }

    record Task(Long id, String title, Long memberId, List<Subtask> subtasks) {
    }

    record Subtask(Long id, Boolean active, Long taskId) {
    }

    /** A result record: components named like the projection's aliases. */
    record PostStats(Long id, String title, long commentCount, Integer bestStars, BigDecimal averageStars) {
    }

    static Model<Post> posts;
    static HasMany<Post, Comment> postComments;
    static Model<Member> members;
    static BelongsToMany<Member, Project> memberProjects;
    static Model<Table1> tables1;
    static HasOne<Table1, Table2> table2;
    static HasMany<Table2, Table3> tables3;
    static HasMany<Member, Task> memberTasks;
    static HasMany<Task, Subtask> taskSubtasks;
    static Database db;

    @BeforeAll
    static void schema(TestDatabase.Handle h) {
        SchemaBuilder s = Schema.builder().timestamps(false);
        posts = s.define(Post.class);
        Model<Comment> comments = s.define(Comment.class);
        postComments = posts.hasMany(comments, o -> o.as("comments"));
        members = s.define(Member.class);
        Model<Project> projects = s.define(Project.class);
        memberProjects = members.belongsToMany(projects, o -> o.through(s.define(MemberProject.class)).as("projects"));
        tables1 = s.define(Table1.class);
        Model<Table2> t2 = s.define(Table2.class);
        Model<Table3> t3 = s.define(Table3.class);
        table2 = tables1.hasOne(t2, o -> o.as("table2").foreignKey("table1Id"));
        tables3 = t2.hasMany(t3, o -> o.as("tables3").foreignKey("table2Id"));
        Model<Task> tasks = s.define(Task.class);
        memberTasks = members.hasMany(tasks, o -> o.as("tasks"));
        taskSubtasks = tasks.hasMany(s.define(Subtask.class), o -> o.as("subtasks"));
        Schema schema = s.build();
        db = Database.connect(h.url(), schema);
        db.sync().as(StepVerifier::create).expectComplete().verify(TIMEOUT);
        Sql.execute(h.connectionFactory(),
                "INSERT INTO \"Posts\" (\"id\", \"title\") VALUES (1, 'first'), (2, 'second'), (3, 'quiet')",
                "INSERT INTO \"Comments\" (\"id\", \"body\", \"stars\", \"postId\") VALUES (1, 'a', 3, 1), (2, 'b', 5, 1),"
                        + " (3, 'c', 4, 1), (4, 'd', 2, 2)",
                "INSERT INTO \"Members\" (\"id\", \"name\") VALUES (1, 'ann'), (2, 'bob')",
                "INSERT INTO \"Projects\" (\"id\", \"title\") VALUES (1, 'p1'), (2, 'p2'), (3, 'p3')",
                "INSERT INTO \"MemberProjects\" (\"memberId\", \"projectId\") VALUES (1, 1), (1, 2), (1, 3), (2, 1)",
                "INSERT INTO \"Table1s\" (\"id\", \"name\") VALUES (1, 'one')",
                "INSERT INTO \"Table2s\" (\"id\", \"table1Id\") VALUES (1, 1)",
                "INSERT INTO \"Table3s\" (\"id\", \"value\", \"table2Id\") VALUES (1, 5, 1), (2, 7, 1)",
                "INSERT INTO \"Tasks\" (\"id\", \"title\", \"memberId\") VALUES (1, 'idle', 1), (2, 'busy', 1), (3, 'both', 1)",
                "INSERT INTO \"Subtasks\" (\"id\", \"active\", \"taskId\") VALUES (1, false, 1), (2, true, 2), (3, true, 3),"
                        + " (4, true, 3), (5, false, 3)");
    }

    @AfterAll
    static void close() {
        db.close().block(TIMEOUT);
    }

    @AfterEach
    void noConnectionLeaked() {
        Pools.awaitNoAcquired(db.connectionFactory());
    }

    @Test
    void aPostWithThreeCommentsHasACommentCountOfThree() {
        // Sequelize: attributes: ['id', [fn('COUNT', col('comments.id')), 'commentCount']],
        // include: [{ model: Comment, attributes: [] }], group: ['Post.id']
        List<Map<String, Object>> rows = db.project(Query.from(posts).where(Where.eq("id", 1L))
                        .include(postComments, i -> i.attributes()),
                Projection.of(Projection.attribute("id"), Projection.count("comments.id").as("commentCount")))
                .collectList().block(TIMEOUT);
        assertThat(rows).containsExactly(Map.of("id", 1L, "commentCount", 3L));
    }

    @Test
    void aBelongsToManyCountsItsLinkedTargets() {
        List<Map<String, Object>> rows = db.project(Query.from(members).orderBy(Order.asc("id"))
                        .include(memberProjects, i -> i.attributes()),
                Projection.of(Projection.attribute("name"), Projection.count("projects.id").as("projectCount")))
                .collectList().block(TIMEOUT);
        assertThat(rows).extracting(r -> r.get("name"), r -> r.get("projectCount"))
                .containsExactly(tuple("ann", 3L), tuple("bob", 1L));
    }

    @Test
    void aSumThroughAHasOneAndAHasMany() {
        List<Map<String, Object>> rows = db.project(Query.from(tables1)
                        .include(table2, i -> i.attributes().include(tables3, t -> t.attributes())),
                Projection.of(Projection.attribute("id"), Projection.sum("table2.tables3.value").as("total")))
                .collectList().block(TIMEOUT);
        assertThat(rows).containsExactly(Map.of("id", 1L, "total", 12L));
    }

    @Test
    void intoARecordWithHavingAndOrderOnAnAggregate() {
        Projection stats = Projection.of(Projection.attribute("id"), Projection.attribute("title"),
                        Projection.count("comments.id").as("commentCount"), Projection.max("comments.stars").as("bestStars"),
                        Projection.avg("comments.stars").as("averageStars"))
                .having(Where.gte("commentCount", 1)).orderBy(Order.desc("commentCount"));
        List<PostStats> rows = db.project(Query.from(posts).include(postComments), stats, PostStats.class)
                .collectList().block(TIMEOUT);
        assertThat(rows).containsExactly(new PostStats(1L, "first", 3, 5, new BigDecimal("4.0000000000000000")),
                new PostStats(2L, "second", 1, 2, new BigDecimal("2.0000000000000000")));
    }

    @Test
    void anExplicitGroupByAndAWholeQueryAggregate() {
        assertThat(db.project(Query.from(posts).include(postComments),
                        Projection.of(Projection.countDistinct("id").as("posts"), Projection.countAll().as("rows")))
                .collectList().block(TIMEOUT)).containsExactly(Map.of("posts", 3L, "rows", 5L));
        assertThat(db.project(Query.from(posts).include(postComments, i -> i.required(true)),
                        Projection.of(Projection.aggregate("min", "comments.stars").as("low"))
                                .groupBy("comments.postId").orderBy(Order.asc("low")))
                .map(r -> r.get("low")).collectList().block(TIMEOUT)).containsExactly(2, 3);
    }

    @Test
    void anAssociationCountAcceptsIncludes() {
        Member ann = db.findByPk(members, 1L).block(TIMEOUT);
        // a task counts when it has an active subtask; "id" and "active" are qualified: no ambiguity
        assertThat(db.association(memberTasks).count(ann, q -> q.include(taskSubtasks,
                i -> i.where(Where.eq("active", true)))).block(TIMEOUT)).isEqualTo(2L);
        assertThat(db.association(memberTasks).count(ann, q -> q.where(Where.gt("id", 1L))
                .include(taskSubtasks, i -> i.where(Where.eq("active", true)))).block(TIMEOUT)).isEqualTo(2L);
        assertThat(db.association(memberTasks).count(ann, q -> q.where(Where.eq("subtasks.active", false))
                .include(taskSubtasks)).block(TIMEOUT)).isEqualTo(2L);
    }

    @Test
    void everyPathFunctionAndComponentIsCheckedBeforeSql() {
        Query<Post> q = Query.from(posts).include(postComments);
        assertThatThrownBy(() -> db.project(q, Projection.of(Projection.count("comment.id"))))
                .isInstanceOf(QueryDefinitionException.class).hasMessageContainingAll("comment.id", "Post", "comments");
        assertThatThrownBy(() -> db.project(q, Projection.of(Projection.sum("comments.likes"))))
                .isInstanceOf(QueryDefinitionException.class).hasMessageContainingAll("likes", "Comment");
        assertThatThrownBy(() -> Projection.aggregate("median", "comments.stars"))
                .isInstanceOf(QueryDefinitionException.class)
                .hasMessageContainingAll("median", "count", "countDistinct", "sum", "avg", "min", "max");
        assertThatThrownBy(() -> db.project(q, Projection.of(Projection.count("comments.id")).having(Where.gt("n", 1))))
                .isInstanceOf(QueryDefinitionException.class).hasMessageContainingAll("'n'", "count");
        assertThatThrownBy(() -> db.project(q, Projection.of(Projection.attribute("id")), PostStats.class))
                .isInstanceOf(QueryDefinitionException.class).hasMessageContainingAll("PostStats", "commentCount", "[id]");
        assertThatThrownBy(() -> Projection.of(Projection.count("id"), Projection.count("comments.id")))
                .isInstanceOf(QueryDefinitionException.class).hasMessageContaining("'count'");
    }
}
