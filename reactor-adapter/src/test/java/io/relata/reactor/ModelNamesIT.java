package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.BelongsTo;
import io.relata.BelongsToMany;
import io.relata.HasMany;
import io.relata.Model;
import io.relata.Naming;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.query.Include;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.reactor.testing.Pools;
import io.relata.reactor.testing.Sql;
import io.relata.reactor.testing.TestDatabase;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Model-level names on a database: {@code User.hasMany(Task)} with Task named {@code assignment}/{@code
 * assignments} gives {@code getAssignments}/{@code addAssignment} mixins and an {@code assignments} slot;
 * Sequelize's guide case (Project named {@code task}/{@code tasks}, {@code User.belongsToMany(Project)} adds
 * {@code getTasks}/{@code addTask}); a per-model snake_case naming (Sequelize's per-model {@code underscored})
 * creates {@code tasks} with {@code user_id}, {@code created_at}, next to a generated junction that keeps the
 * schema's naming.
 */
@ExtendWith(TestDatabase.class)
class ModelNamesIT {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    record User(Long id, String name, List<Task> assignments, List<Project> tasks) {}
    record Task(Long id, String title, Long UserId, User owner) {}
    record Project(Long id, String title) {}

    interface UserMixins {
        Flux<Task> getAssignments(User user);

        Mono<Void> addAssignment(User user, Object task);

        Mono<Long> countAssignments(User user);

        Mono<Boolean> hasAssignment(User user, Object task);

        Flux<Project> getTasks(User user);

        Mono<Void> addTask(User user, Object project);

        Mono<Void> setTasks(User user, Collection<?> projects);
    }

    static Database db;
    static Model<User> users;
    static Model<Task> tasks;
    static Model<Project> projects;
    static HasMany<User, Task> assignments;
    static BelongsToMany<User, Project> userProjects;
    static BelongsTo<Task, User> owner;

    @BeforeAll
    static void schema(TestDatabase.Handle h) {
        SchemaBuilder s = Schema.builder();
        users = s.define(User.class, m -> m.name("owner", "owners"));
        tasks = s.define(Task.class, m -> m.name("assignment", "assignments").naming(Naming.snakeCase()));
        projects = s.define(Project.class, m -> m.name("task", "tasks").naming(Naming.snakeCase()));
        assignments = users.hasMany(tasks, o -> o.foreignKey("UserId"));
        owner = tasks.belongsTo(users, o -> o.foreignKey("UserId"));
        userProjects = users.belongsToMany(projects, o -> o.through("UserProjects"));
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

    static <T> T one(Publisher<T> publisher) {
        return Objects.requireNonNull(Flux.from(publisher).single().block(TIMEOUT));
    }

    static <T> List<T> list(Publisher<T> publisher) {
        return Objects.requireNonNull(Flux.from(publisher).collectList().block(TIMEOUT));
    }

    static void run(Publisher<?> publisher) {
        Flux.from(publisher).then().as(StepVerifier::create).expectComplete().verify(TIMEOUT);
    }

    @Test
    void theNamesDriveAliasesForeignKeysAndMixins() {
        assertThat(assignments.as()).isEqualTo("assignments");
        assertThat(owner.as()).isEqualTo("owner");
        assertThat(userProjects.as()).isEqualTo("tasks");
        assertThat(userProjects.foreignKey().name()).as("junction key from the source's singular").isEqualTo("ownerId");
        assertThat(Objects.requireNonNull(userProjects.otherKey()).name()).isEqualTo("taskId");

        UserMixins mixins = db.mixins(users, UserMixins.class);
        User ann = one(db.create(users, new User(null, "Ann", null, null)));
        Task chore = one(db.create(tasks, new Task(null, "dishes", null, null)));
        run(mixins.addAssignment(ann, chore));
        assertThat(list(mixins.getAssignments(ann))).extracting(Task::title).containsExactly("dishes");
        assertThat(one(mixins.countAssignments(ann))).isEqualTo(1L);
        assertThat(one(mixins.hasAssignment(ann, chore))).isTrue();

        Project p1 = one(db.create(projects, new Project(null, "p1")));
        Project p2 = one(db.create(projects, new Project(null, "p2")));
        run(mixins.addTask(ann, p1));
        run(mixins.setTasks(ann, List.of(p1, p2)));
        assertThat(list(mixins.getTasks(ann))).extracting(Project::title).containsExactly("p1", "p2");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Include.Strategy.class)
    void slotsNamedAfterTheModelNamesAreFilled(Include.Strategy strategy) {
        User bob = one(db.create(users, new User(null, "Bob-" + strategy, null, null)));
        Task t = one(db.association(assignments).create(bob, new Task(null, "mow", null, null)));
        Project p = one(db.create(projects, new Project(null, "garden")));
        run(db.association(userProjects).add(bob, p));

        User found = one(db.findAll(Query.from(users).where(Where.eq("id", bob.id()))
                .include(assignments, i -> i.strategy(strategy)).include(userProjects, i -> i.strategy(strategy))));
        assertThat(found.assignments()).extracting(Task::id).containsExactly(t.id());
        assertThat(found.tasks()).extracting(Project::title).containsExactly("garden");
        Task withOwner = one(db.findAll(Query.from(tasks).where(Where.eq("id", t.id()))
                .include(owner, i -> i.strategy(strategy))));
        assertThat(Objects.requireNonNull(withOwner.owner()).name()).isEqualTo("Bob-" + strategy);
    }

    @Test
    void syncCreatedSnakeCaseTablesNextToTheSchemasNaming() {
        List<Map<String, Object>> columns = Sql.rows(db.connectionFactory(), "SELECT table_name, column_name FROM "
                + "information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position");
        assertThat(columns).extracting(r -> r.get("table_name") + "." + r.get("column_name")).containsExactly(
                "UserProjects.createdAt", "UserProjects.updatedAt", "UserProjects.ownerId", "UserProjects.taskId",
                "Users.id", "Users.name", "Users.createdAt", "Users.updatedAt",
                "projects.id", "projects.title", "projects.created_at", "projects.updated_at",
                "tasks.id", "tasks.title", "tasks.user_id", "tasks.created_at", "tasks.updated_at");
    }
}
