package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.BelongsToMany;
import io.relata.HasMany;
import io.relata.Model;
import io.relata.QueryDefinitionException;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.query.Include;
import io.relata.query.Order;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.reactor.testing.Pools;
import io.relata.reactor.testing.RowCounting;
import io.relata.reactor.testing.Sql;
import io.relata.reactor.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Top-N children per parent (issue 13): {@code limit}/{@code offset} with {@code orderBy} on hasMany and
 * belongsToMany includes at any depth, with JOIN (a lateral in the one statement) and SEPARATE (a lateral per
 * parent key in the follow-up), required includes, counts, lazy multi-source loads, and streaming.
 */
@ExtendWith(TestDatabase.class)
class TopNIncludesIT {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    record User(Long id, String name, List<Task> tasks) {
    }

    record Task(Long id, String title, Long userId, List<Subtask> subtasks, List<Tag> tags) {
    }

    record Subtask(Long id, String title, Long taskId) {
    }

    record Tag(Long id, String name, TaskTag taskTag) {
    }

    record TaskTag(Long taskId, Long tagId, Integer weight) {
    }

    record Author(Long id, String name, List<Book> books) {
    }

    record Book(Long id, String title, Integer year, Long authorId) {
    }

    static Model<User> users;
    static HasMany<User, Task> userTasks;
    static HasMany<Task, Subtask> taskSubtasks;
    static BelongsToMany<Task, Tag> taskTags;
    static Model<Author> authors;
    static HasMany<Author, Book> authorBooks;
    static Database pool;
    static RowCounting counting;
    static Database db;

    static final int AUTHORS = 2000;
    static final int BOOKS = 10;

    @BeforeAll
    static void schema(TestDatabase.Handle h) {
        SchemaBuilder s = Schema.builder().timestamps(false);
        users = s.define(User.class);
        Model<Task> tasks = s.define(Task.class);
        Model<Subtask> subtasks = s.define(Subtask.class);
        Model<Tag> tags = s.define(Tag.class);
        Model<TaskTag> taskTagModel = s.define(TaskTag.class);
        userTasks = users.hasMany(tasks);
        taskSubtasks = tasks.hasMany(subtasks);
        taskTags = tasks.belongsToMany(tags, o -> o.through(taskTagModel));
        authors = s.define(Author.class);
        Model<Book> books = s.define(Book.class);
        authorBooks = authors.hasMany(books);
        Schema schema = s.build();
        pool = Database.connect(h.url(), schema);
        counting = new RowCounting();
        db = Database.builder(TransactionSupport.local(pool.connectionFactory()), schema).observer(counting).build();
        db.sync().as(StepVerifier::create).expectComplete().verify(TIMEOUT);
        // Sequelize's include test: tasks b, d, c, a and a, c, b; limit 2 ordered by title -> [a, b] each
        Sql.execute(h.connectionFactory(),
                "INSERT INTO \"Users\" (\"id\", \"name\") VALUES (1, 'u1'), (2, 'u2'), (3, 'none'), (4, 'onlyA')",
                "INSERT INTO \"Tasks\" (\"id\", \"title\", \"userId\") VALUES (1, 'b', 1), (2, 'd', 1), (3, 'c', 1),"
                        + " (4, 'a', 1), (5, 'a', 2), (6, 'c', 2), (7, 'b', 2), (8, 'a', 4)",
                "INSERT INTO \"Subtasks\" (\"id\", \"title\", \"taskId\") VALUES (1, 'z', 4), (2, 'x', 4), (3, 'y', 4),"
                        + " (4, 'q', 1), (5, 'm', 5), (6, 'k', 6)",
                "INSERT INTO \"Tags\" (\"id\", \"name\") VALUES (1, 't1'), (2, 't2'), (3, 't3'), (4, 't4')",
                "INSERT INTO \"TaskTags\" (\"taskId\", \"tagId\", \"weight\") VALUES (4, 3, 1), (4, 1, 2), (4, 2, 3),"
                        + " (5, 4, 4), (5, 1, 5), (7, 2, 6)",
                "INSERT INTO \"Authors\" (\"id\", \"name\") SELECT g, 'author ' || g FROM generate_series(1, " + AUTHORS
                        + ") g",
                "INSERT INTO \"Books\" (\"id\", \"title\", \"year\", \"authorId\") SELECT g, 'book ' || g, 1900 + (g % "
                        + BOOKS + "), (g - 1) / " + BOOKS + " + 1 FROM generate_series(1, " + AUTHORS * BOOKS + ") g");
    }

    @AfterAll
    static void close() {
        pool.close().block(TIMEOUT);
    }

    @BeforeEach
    void reset() {
        counting.reset();
    }

    @AfterEach
    void noConnectionLeaked() {
        Pools.awaitNoAcquired(pool.connectionFactory());
    }

    static List<String> titles(User u) {
        return u.tasks().stream().map(Task::title).toList();
    }

    static Query<User> sequelizeCase(Include.Strategy strategy) {
        return Query.from(users).where(Where.in("id", 1L, 2L)).orderBy(Order.asc("id"))
                .include(userTasks, i -> i.orderBy(Order.asc("title")).limit(2).strategy(strategy));
    }

    @ParameterizedTest
    @EnumSource(Include.Strategy.class)
    void eachParentGetsItsFirstNChildrenInTheIncludesOrder(Include.Strategy strategy) {
        List<User> found = db.findAll(sequelizeCase(strategy)).collectList().block(TIMEOUT);
        assertThat(found).extracting(User::id).containsExactly(1L, 2L);
        assertThat(found).allSatisfy(u -> assertThat(titles(u)).containsExactly("a", "b"));
    }

    @ParameterizedTest
    @EnumSource(Include.Strategy.class)
    void insideATransactionTheWindowSeesItsWrites(Include.Strategy strategy) {
        List<User> found = db.transaction(tx -> db.create(users, new User(9L, "tx", null))
                        .thenMany(db.bulkCreate(userTasks.target(), List.of(new Task(90L, "y", 9L, null, null),
                                new Task(91L, "x", 9L, null, null), new Task(92L, "z", 9L, null, null))))
                        .thenMany(db.findAll(Query.from(users).where(Where.in("id", 1L, 9L)).orderBy(Order.asc("id"))
                                .include(userTasks, i -> i.orderBy(Order.asc("title")).limit(2).strategy(strategy))))
                        .concatWith(Mono.error(new IllegalStateException("roll back"))))
                .onErrorResume(IllegalStateException.class, e -> Flux.empty())
                .collectList().block(TIMEOUT);
        assertThat(found).extracting(u -> titles(u)).containsExactly(List.of("a", "b"), List.of("x", "y"));
        assertThat(db.count(Query.from(users).where(Where.eq("id", 9L))).block(TIMEOUT)).isZero();
    }

    @ParameterizedTest
    @EnumSource(Include.Strategy.class)
    void nestedChildrenAreWindowedInTheirOwnOrder(Include.Strategy strategy) {
        List<User> found = db.findAll(Query.from(users).orderBy(Order.asc("id"))
                .include(userTasks, i -> i.orderBy(Order.asc("title")).limit(2).strategy(strategy)
                        .include(taskSubtasks, st -> st.orderBy(Order.desc("title")).limit(2).strategy(strategy))))
                .collectList().block(TIMEOUT);
        assertThat(found).extracting(User::id).containsExactly(1L, 2L, 3L, 4L);
        User u1 = found.get(0);
        assertThat(titles(u1)).containsExactly("a", "b");
        assertThat(u1.tasks().get(0).subtasks()).extracting(Subtask::title).containsExactly("z", "y");
        assertThat(u1.tasks().get(1).subtasks()).extracting(Subtask::title).containsExactly("q");
        assertThat(found.get(2).tasks()).isEmpty();
        assertThat(titles(found.get(3))).containsExactly("a");
    }

    @ParameterizedTest
    @EnumSource(Include.Strategy.class)
    void aBelongsToManyWindowCarriesTheJunctionRowsAndHonoursOffset(Include.Strategy strategy) {
        List<User> found = db.findAll(Query.from(users).where(Where.in("id", 1L, 2L)).orderBy(Order.asc("id"))
                .include(userTasks, i -> i.orderBy(Order.asc("title")).limit(1)
                        .include(taskTags, t -> t.orderBy(Order.desc("name")).offset(1).limit(2).strategy(strategy))))
                .collectList().block(TIMEOUT);
        Task a1 = found.get(0).tasks().get(0);
        assertThat(a1.title()).isEqualTo("a");
        // t3, t2, t1 by name descending; offset 1, limit 2
        assertThat(a1.tags()).extracting(Tag::name).containsExactly("t2", "t1");
        assertThat(a1.tags()).extracting(t -> t.taskTag().weight()).containsExactly(3, 2);
        Task a2 = found.get(1).tasks().get(0);
        assertThat(a2.tags()).extracting(Tag::name).containsExactly("t1");
    }

    @Test
    void joinAndSeparateGiveTheSameGraphs() {
        UnaryOperator<Query<User>> base = q -> q;
        for (long limit = 0; limit <= 4; limit++) {
            long n = limit;
            List<List<User>> graphs = new ArrayList<>();
            for (Include.Strategy s : Include.Strategy.values()) {
                graphs.add(db.findAll(base.apply(Query.from(users).orderBy(Order.asc("id"))
                        .include(userTasks, i -> i.orderBy(Order.desc("title")).limit(n).offset(n % 2).strategy(s)
                                .include(taskSubtasks, st -> st.orderBy(Order.asc("title")).limit(n).strategy(s))
                                .include(taskTags, t -> t.orderBy(Order.asc("name")).limit(n + 1).strategy(s)))))
                        .collectList().block(TIMEOUT));
            }
            assertThat(graphs.get(1)).as("limit %d", n).isEqualTo(graphs.get(0));
            assertThat(graphs.get(0)).hasSize(4);
        }
    }

    @Test
    void aRequiredWindowedIncludeNeedsAChildInTheWindowAndFiltersTheRootWindow() {
        Query<User> q = Query.from(users).orderBy(Order.asc("id"))
                .include(userTasks, i -> i.where(Where.in("title", "c", "d")).orderBy(Order.asc("title")).limit(1));
        List<User> found = db.findAll(q).collectList().block(TIMEOUT);
        assertThat(found).extracting(User::id).containsExactly(1L, 2L);
        assertThat(found).allSatisfy(u -> assertThat(titles(u)).containsExactly("c"));
        // the root window counts roots that have a child: users 1 and 2, not the first two users
        assertThat(db.findAll(q.limit(1).offset(1)).collectList().block(TIMEOUT)).extracting(User::id)
                .containsExactly(2L);
        assertThat(db.count(q).block(TIMEOUT)).isEqualTo(2L);
        // a required nested include: the window counts only tasks that have a subtask
        List<User> withSubtasks = db.findAll(Query.from(users).orderBy(Order.asc("id"))
                .include(userTasks, i -> i.orderBy(Order.desc("title")).limit(1).required(true)
                        .include(taskSubtasks, st -> st.required(true)))).collectList().block(TIMEOUT);
        assertThat(withSubtasks).extracting(User::id).containsExactly(1L, 2L);
        assertThat(withSubtasks).extracting(u -> titles(u)).containsExactly(List.of("b"), List.of("c"));
    }

    @Test
    void aLazyLoadOfManySourcesWindowsEachSourceAndItsNestedIncludes() {
        List<User> sources = db.findAll(Query.from(users).orderBy(Order.asc("id"))).collectList().block(TIMEOUT);
        counting.reset();
        Map<User, List<Task>> bySource = db.association(userTasks).get(sources, q -> q.orderBy(Order.asc("title"))
                .limit(2).include(taskSubtasks, st -> st.orderBy(Order.asc("title")).limit(1))).block(TIMEOUT);
        assertThat(counting.statements()).hasSize(1);
        assertThat(bySource.get(sources.get(0))).extracting(Task::title).containsExactly("a", "b");
        assertThat(bySource.get(sources.get(1))).extracting(Task::title).containsExactly("a", "b");
        assertThat(bySource.get(sources.get(0)).get(0).subtasks()).extracting(Subtask::title).containsExactly("x");
        assertThat(bySource.get(sources.get(3))).extracting(Task::title).containsExactly("a");
    }

    @Test
    void aWindowIsForToManyIncludesOnlyAndItsOrderMustBeOnTheTarget() {
        assertThatThrownBy(() -> Query.from(users).include(userTasks, i -> i.limit(-1)))
                .isInstanceOf(QueryDefinitionException.class).hasMessageContaining("Tasks");
        assertThatThrownBy(() -> db.findAll(Query.from(users).include(userTasks, i -> i.limit(1)
                .orderBy(Order.asc("subtasks.title")).include(taskSubtasks))))
                .isInstanceOf(QueryDefinitionException.class).hasMessageContainingAll("Task", "subtasks.title", "title");
        assertThat(counting.statements()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Include.Strategy.class)
    void topNStreamsRootByRoot(Include.Strategy strategy) {
        Query<Author> q = Query.from(authors).orderBy(Order.asc("id"))
                .include(authorBooks, i -> i.orderBy(Order.desc("year")).limit(3).strategy(strategy));
        db.findAll(q).take(1)
                .as(StepVerifier::create)
                .assertNext(a -> {
                    assertThat(a.id()).isEqualTo(1L);
                    assertThat(a.books()).extracting(Book::year).containsExactly(1909, 1908, 1907);
                })
                .expectComplete()
                .verify(TIMEOUT);
        // the whole result is 6,000 rows (AGGREGATE: 2,000): taking one root reads a small part of it
        assertThat(counting.rows()).as("rows read").isLessThan(AUTHORS * 3 / 4);
        counting.reset();
        assertThat(db.findAll(q).count().block(TIMEOUT)).isEqualTo((long) AUTHORS);
        // AGGREGATE reads one row per author, its books in it
        assertThat(counting.rows()).isGreaterThanOrEqualTo(strategy == Include.Strategy.AGGREGATE ? AUTHORS : AUTHORS * 3L);
    }
}
