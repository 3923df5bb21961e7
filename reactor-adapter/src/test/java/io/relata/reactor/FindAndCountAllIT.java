package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.relata.BelongsTo;
import io.relata.BelongsToMany;
import io.relata.HasMany;
import io.relata.Model;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.query.Include;
import io.relata.query.Order;
import io.relata.query.Page;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.reactor.testing.Pools;
import io.relata.reactor.testing.Sql;
import io.relata.reactor.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.test.StepVerifier;

/**
 * {@code db.findAndCountAll(query)} (issue 13): Sequelize's include/findAndCountAll cases (required includes
 * with a limit, a where on a to-many include, nested required to-one includes), and on any query its count
 * equals {@code count(query)} and its rows equal {@code findAll(query)}, inside and outside a transaction.
 */
@ExtendWith(TestDatabase.class)
class FindAndCountAllIT {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    // include/findAndCountAll.test.js: "two required models with a limit"
    record Project(Long id, String name, List<Task> tasks, List<Employee> employees) {
    }

    record Task(Long id, String name, Long fk) {
    }

    record Employee(Long id, String name, Long fk) {
    }

    // "a required belongsTo with a where condition and a limit"
    record Foo(Long id, List<Bar> bars) {
    }

    record Bar(Long id, String m, Long fooId) {
    }

    // "multiple includes and types of associations"
    record Member(Long id, String name) {
    }

    record Plan(Long id, String m, Long memberId, Member member) {
    }

    record Job(Long id, String name, Long planId, Plan plan, List<Label> labels) {
    }

    record Label(Long id, String name) {
    }

    record JobLabel(Long id, Long jobId, Long labelId) {
    }

    static Model<Project> projects;
    static HasMany<Project, Task> projectTasks;
    static HasMany<Project, Employee> projectEmployees;
    static Model<Foo> foos;
    static HasMany<Foo, Bar> fooBars;
    static Model<Job> jobs;
    static BelongsTo<Job, Plan> jobPlan;
    static BelongsTo<Plan, Member> planMember;
    static BelongsToMany<Job, Label> jobLabels;
    static Database db;

    @BeforeAll
    static void schema(TestDatabase.Handle h) {
        SchemaBuilder s = Schema.builder().timestamps(false);
        projects = s.define(Project.class);
        Model<Task> tasks = s.define(Task.class);
        Model<Employee> employees = s.define(Employee.class);
        projectTasks = projects.hasMany(tasks, o -> o.foreignKey("fk"));
        projectEmployees = projects.hasMany(employees, o -> o.foreignKey("fk"));
        foos = s.define(Foo.class);
        fooBars = foos.hasMany(s.define(Bar.class));
        Model<Member> members = s.define(Member.class);
        Model<Plan> plans = s.define(Plan.class);
        jobs = s.define(Job.class);
        Model<Label> labels = s.define(Label.class);
        Model<JobLabel> jobLabelModel = s.define(JobLabel.class);
        planMember = plans.belongsTo(members);
        jobPlan = jobs.belongsTo(plans);
        jobLabels = jobs.belongsToMany(labels, o -> o.through(jobLabelModel));
        Schema schema = s.build();
        db = Database.connect(h.url(), schema);
        db.sync().as(StepVerifier::create).expectComplete().verify(TIMEOUT);
        Sql.execute(h.connectionFactory(),
                "INSERT INTO \"Projects\" (\"id\", \"name\") VALUES (1, 'No tasks'), (2, 'No tasks no employees'),"
                        + " (3, 'No employees'), (4, 'In progress A'), (5, 'In progress B'), (6, 'In progress C')",
                "INSERT INTO \"Tasks\" (\"id\", \"name\", \"fk\") VALUES (1, 'Important task', 3), (2, 'Important task', 4),"
                        + " (3, 'Important task', 5), (4, 'Important task', 6)",
                "INSERT INTO \"Employees\" (\"id\", \"name\", \"fk\") VALUES (1, 'Jane Doe', 1), (2, 'John Doe', 4),"
                        + " (3, 'Jane John Doe', 5), (4, 'John Jane Doe', 6)",
                "INSERT INTO \"Foos\" (\"id\") VALUES (1), (2), (3), (4), (5)",
                "INSERT INTO \"Bars\" (\"id\", \"m\", \"fooId\") VALUES (1, 'yes', 1), (2, 'yes', 1), (3, 'no', 1),"
                        + " (4, 'yes', 2)",
                "INSERT INTO \"Members\" (\"id\", \"name\") VALUES (1, 'user-name-1'), (2, 'user-name-2')",
                "INSERT INTO \"Plans\" (\"id\", \"m\", \"memberId\") VALUES (1, 'A', 1), (2, 'A', 2)",
                "INSERT INTO \"Jobs\" (\"id\", \"name\", \"planId\") VALUES (1, 'Just', 1), (2, 'for', 1),"
                        + " (3, 'testing', 2), (4, 'proposes', 2)",
                "INSERT INTO \"Labels\" (\"id\", \"name\") VALUES (1, 'x')",
                "INSERT INTO \"JobLabels\" (\"id\", \"jobId\", \"labelId\") VALUES (1, 4, 1)");
    }

    @AfterAll
    static void close() {
        db.close().block(TIMEOUT);
    }

    @AfterEach
    void noConnectionLeaked() {
        Pools.awaitNoAcquired(db.connectionFactory());
    }

    static Query<Project> projectsWithTasksAndEmployees() {
        return Query.from(projects).include(projectTasks, i -> i.required(true))
                .include(projectEmployees, i -> i.required(true)).limit(2);
    }

    static Query<Foo> foosWithYesBars() {
        return Query.from(foos).include(fooBars, i -> i.where(Where.eq("m", "yes"))).limit(1);
    }

    static Query<Job> jobsOfUserTwo() {
        return Query.from(jobs).limit(1).offset(0).orderBy(Order.desc("id"))
                .include(jobPlan, p -> p.where(Where.and(Where.eq("m", "A")))
                        .include(planMember, u -> u.where(Where.and(Where.eq("name", "user-name-2")))))
                .include(jobLabels);
    }

    @Test
    void twoRequiredIncludesWithALimitCountAllMatchingRootsAndReturnTheWindow() {
        Page<Project> page = db.findAndCountAll(projectsWithTasksAndEmployees()).block(TIMEOUT);
        assertThat(page.count()).isEqualTo(3);
        assertThat(page.rows()).hasSize(2);
        assertThat(page.rows()).extracting(Project::id).containsExactly(4L, 5L);
    }

    @Test
    void aWhereOnAToManyIncludeCountsEachRootOnce() {
        Page<Foo> page = db.findAndCountAll(foosWithYesBars()).block(TIMEOUT);
        assertThat(page.count()).isEqualTo(2);
        assertThat(page.rows()).hasSize(1);
        assertThat(page.rows().get(0).bars()).extracting(Bar::m).containsOnly("yes").hasSize(2);
    }

    @Test
    void nestedRequiredIncludesFilterTheCountAndTheRows() {
        Page<Job> page = db.findAndCountAll(jobsOfUserTwo()).block(TIMEOUT);
        assertThat(page.count()).isEqualTo(2);
        assertThat(page.rows()).extracting(Job::id).containsExactly(4L);
        assertThat(page.rows().get(0).plan().member().name()).isEqualTo("user-name-2");
        assertThat(page.rows().get(0).labels()).extracting(Label::name).containsExactly("x");
    }

    @Test
    void theCountIsCountOfTheQueryAndTheRowsAreFindAllOfIt() {
        List<Query<?>> queries = List.of(projectsWithTasksAndEmployees(), foosWithYesBars(), jobsOfUserTwo(),
                projectsWithTasksAndEmployees().offset(1), Query.from(projects).include(projectTasks).limit(4).offset(3),
                Query.from(foos).orderBy(Order.desc("id")).include(fooBars, i -> i.limit(1).orderBy(Order.asc("m"))));
        for (Query<?> q : queries) {
            same(q);
        }
    }

    private static <T> void same(Query<T> q) {
        Page<T> page = db.findAndCountAll(q).block(TIMEOUT);
        assertThat(page.count()).as("count of %s", q).isEqualTo(db.count(q).block(TIMEOUT));
        assertThat(page.rows()).as("rows of %s", q).isEqualTo(db.findAll(q).collectList().block(TIMEOUT));
    }

    @Test
    void aSeparateIncludeReadsItsRowsInTheSameSnapshot() {
        Query<Project> q = Query.from(projects).orderBy(Order.asc("id")).limit(3).offset(2)
                .include(projectTasks, i -> i.strategy(Include.Strategy.SEPARATE))
                .include(projectEmployees, i -> i.strategy(Include.Strategy.SEPARATE).orderBy(Order.asc("name")).limit(1));
        Page<Project> page = db.findAndCountAll(q).block(TIMEOUT);
        assertThat(page.count()).isEqualTo(6);
        assertThat(page.rows()).extracting(Project::id).containsExactly(3L, 4L, 5L);
        assertThat(page.rows()).extracting(p -> p.tasks().size(), p -> p.employees().size())
                .containsExactly(tuple(1, 0), tuple(1, 1), tuple(1, 1));
        assertThat(page.rows()).isEqualTo(db.findAll(q).collectList().block(TIMEOUT));
    }

    @Test
    void aWindowPastTheEndHasNoRowsButTheCount() {
        Page<Project> page = db.findAndCountAll(projectsWithTasksAndEmployees().offset(10)).block(TIMEOUT);
        assertThat(page.rows()).isEmpty();
        assertThat(page.count()).isEqualTo(3);
    }

    @Test
    void insideATransactionItReadsThatTransactionsRows() {
        Page<Project> page = db.transaction(tx -> db.create(projects, new Project(7L, "new", null, null))
                        .then(db.findAndCountAll(Query.from(projects).orderBy(Order.desc("id")).limit(1))))
                .single().block(TIMEOUT);
        assertThat(page.count()).isEqualTo(7);
        assertThat(page.rows()).extracting(Project::id).containsExactly(7L);
        assertThat(db.destroy(Query.from(projects).where(Where.eq("id", 7L))).block(TIMEOUT)).isEqualTo(1L);
        assertThat(db.findAndCountAll(Query.from(projects).limit(1)).block(TIMEOUT).count()).isEqualTo(6);
    }
}
