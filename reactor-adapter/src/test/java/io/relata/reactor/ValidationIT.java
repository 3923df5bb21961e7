package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.relata.BelongsToMany;
import io.relata.HasMany;
import io.relata.Model;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.ValidationException;
import io.relata.ValidationException.Violation;
import io.relata.Validator;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.reactor.testing.CountingConnectionFactory;
import io.relata.reactor.testing.Pools;
import io.relata.reactor.testing.TestDatabase;
import io.relata.sql.SqlStatement;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.util.context.ContextView;

/**
 * Validators (the seeds' {@code isEmail}, {@code isUrl}, {@code min}/{@code max}, custom and model-level ones) and
 * Bean Validation annotations on every write path: a failure lists every violation and no statement runs.
 */
@ExtendWith(TestDatabase.class)
class ValidationIT {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    record User(Long id, String email, String website, Integer age, Double lat, Double lng, List<Task> tasks,
            List<Project> projects) {
        static User of(String email, String website, Integer age) {
            return new User(null, email, website, age, null, null, null, null);
        }
    }

    record Task(Long id, String title, Long userId) {}

    record Project(Long id, String name, Membership membership) {}

    record Membership(Long userId, Long projectId, String role) {}

    /** Bean Validation annotations on the record's components. */
    record Reviewer(Long id, @NotBlank String name, @Email String contact) {}

    static Model<User> users;
    static Model<Task> tasks;
    static Model<Project> projects;
    static Model<Membership> memberships;
    static Model<Reviewer> reviewers;
    static HasMany<User, Task> userTasks;
    static BelongsToMany<User, Project> userProjects;
    static Database db;
    static Database observed;
    static CountingConnectionFactory counting;
    static final AtomicInteger STATEMENTS = new AtomicInteger();

    @BeforeAll
    static void schema(TestDatabase.Handle h) {
        SchemaBuilder s = Schema.builder().timestamps(false);
        users = s.define(User.class, m -> {
            m.attribute("email").notNull().unique().validate(Validator.isEmail());
            m.attribute("website").validate(Validator.isUrl());
            m.attribute("age").validate(Validator.min(0), Validator.max(150));
        });
        users.validate("bothCoordsOrNone", "either both latitude and longitude, or neither",
                u -> (u.lat() == null) == (u.lng() == null));
        tasks = s.define(Task.class, m -> m.attribute("title").validate(Validator.notEmpty(), Validator.len(1, 20)));
        projects = s.define(Project.class);
        memberships = s.define(Membership.class, m -> m.attribute("role").validate(Validator.isIn("owner", "member")));
        reviewers = s.define(Reviewer.class);
        userTasks = users.hasMany(tasks, o -> o.as("tasks"));
        userProjects = users.belongsToMany(projects, o -> o.through(memberships).as("projects"));
        Schema schema = s.build();
        db = Database.connect(h.url(), schema);
        counting = new CountingConnectionFactory(db.connectionFactory());
        observed = Database.builder(TransactionSupport.local(counting), schema).observer(new StatementObserver() {
            @Override
            public Execution start(SqlStatement statement, ContextView context) {
                STATEMENTS.incrementAndGet();
                return new Execution() {
                    @Override
                    public void success(long rows) {
                    }

                    @Override
                    public void failure(Throwable error) {
                    }

                    @Override
                    public void cancelled(long rows) {
                    }
                };
            }
        }).build();
        db.sync(true).as(StepVerifier::create).expectComplete().verify(TIMEOUT);
    }

    @AfterAll
    static void close() {
        if (db != null) {
            db.close().block(TIMEOUT);
        }
    }

    @BeforeEach
    void empty() {
        Flux.concat(db.destroy(Query.from(memberships)), db.destroy(Query.from(tasks)), db.destroy(Query.from(users)),
                db.destroy(Query.from(projects)), db.destroy(Query.from(reviewers))).then().block(TIMEOUT);
        counting.reset();
        STATEMENTS.set(0);
    }

    @AfterEach
    void noLeaks() {
        Pools.awaitNoAcquired(db.connectionFactory());
    }

    /** The publisher fails with a ValidationException, and neither a statement nor a connection was used. */
    static ValidationException rejectedBeforeAnySql(Publisher<?> write) {
        ValidationException[] caught = {null};
        StepVerifier.create(write)
                .expectErrorSatisfies(e -> caught[0] = (ValidationException) e)
                .verify(TIMEOUT);
        assertThat(STATEMENTS).as("statements observed").hasValue(0);
        assertThat(counting.count()).as("statements created").isZero();
        assertThat(counting.connections()).as("connections taken").isZero();
        return caught[0];
    }

    @Test
    void createListsEveryViolationOfTheSeedsValidatorsBeforeAnySql() {
        User bad = new User(null, "not-an-email", "no url", 200, 1.0, null, null, null);

        ValidationException e = rejectedBeforeAnySql(observed.create(users, bad));

        assertThat(e.violations()).extracting(Violation::model, Violation::attribute, Violation::value, Violation::message)
                .containsExactly(
                        tuple("User", "email", "not-an-email", "must be an e-mail address"),
                        tuple("User", "website", "no url", "must be a URL"),
                        tuple("User", "age", 200, "must be at most 150"),
                        tuple("User", null, null, "either both latitude and longitude, or neither"));
        db.count(Query.from(users)).as(StepVerifier::create).expectNext(0L).expectComplete().verify(TIMEOUT);
    }

    @Test
    void aValidEntityIsWritten() {
        observed.create(users, User.of("ann@example.com", "https://example.com", 30)).map(User::email)
                .as(StepVerifier::create).expectNext("ann@example.com").expectComplete().verify(TIMEOUT);
        assertThat(STATEMENTS).hasValue(1);
    }

    @Test
    void bulkCreateWithOneInvalidEntityWritesNoRow() {
        List<User> batch = List.of(User.of("a@example.com", null, 1), User.of("b@example.com", null, -1),
                User.of("c@example.com", null, 2));

        ValidationException e = rejectedBeforeAnySql(observed.bulkCreate(users, batch));

        assertThat(e.violations()).containsExactly(new Violation("User", "age", -1, "min", "must be at least 0"));
        db.count(Query.from(users)).as(StepVerifier::create).expectNext(0L).expectComplete().verify(TIMEOUT);
    }

    @Test
    void updateAndSaveCheckTheValuesTheyWrite() {
        User ann = db.create(users, User.of("ann@example.com", null, 30)).block(TIMEOUT);
        counting.reset();
        STATEMENTS.set(0);

        rejectedBeforeAnySql(observed.update(Query.from(users).where(Where.eq("id", ann.id())), Map.of("age", 999)));
        rejectedBeforeAnySql(observed.save(users, new User(ann.id(), "bad", null, null, null, null, null, null)));
        rejectedBeforeAnySql(observed.upsert(users, new User(ann.id(), "bad", null, null, null, null, null, null)));
        // findOrCreate validates the row it would create (like Sequelize): after its find, before its insert
        observed.findOrCreate(Query.from(users).where(Where.eq("email", "nope")), User.of(null, null, null))
                .as(StepVerifier::create).expectError(ValidationException.class).verify(TIMEOUT);
        assertThat(counting.statements()).singleElement().asString().startsWith("SELECT");
        db.findByPk(users, ann.id()).map(User::age).as(StepVerifier::create).expectNext(30).expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void junctionThroughValuesAndAssociationCreatesAreChecked() {
        User ann = db.create(users, User.of("ann@example.com", null, 30)).block(TIMEOUT);
        Project p = db.create(projects, new Project(null, "p", null)).block(TIMEOUT);
        counting.reset();
        STATEMENTS.set(0);

        ValidationException add = rejectedBeforeAnySql(observed.association(userProjects)
                .add(ann, List.of(p), Map.of("role", "boss")));
        assertThat(add.violations()).containsExactly(
                new Violation("Membership", "role", "boss", "isIn", "must be one of [owner, member]"));
        rejectedBeforeAnySql(observed.association(userProjects).set(ann, List.of(p), Map.of("role", "boss")));
        rejectedBeforeAnySql(observed.association(userProjects).create(ann, new Project(null, "q", null),
                Map.of("role", "boss")));
        rejectedBeforeAnySql(observed.association(userTasks).create(ann, new Task(null, "", null)));
        db.count(Query.from(memberships)).as(StepVerifier::create).expectNext(0L).expectComplete().verify(TIMEOUT);
        db.count(Query.from(tasks)).as(StepVerifier::create).expectNext(0L).expectComplete().verify(TIMEOUT);

        db.association(userProjects).add(ann, List.of(p), Map.of("role", "owner")).block(TIMEOUT);
        db.count(Query.from(memberships)).as(StepVerifier::create).expectNext(1L).expectComplete().verify(TIMEOUT);
    }

    @Test
    void beanValidationAnnotationsOfTheRecordAreChecked() {
        ValidationException e = rejectedBeforeAnySql(observed.create(reviewers, new Reviewer(null, " ", "nope")));

        assertThat(e.violations()).extracting(Violation::attribute, Violation::validator)
                .containsExactly(tuple("contact", "Email"), tuple("name", "NotBlank"));
        rejectedBeforeAnySql(observed.update(Query.from(reviewers), Map.of("name", "")));
        observed.create(reviewers, new Reviewer(null, "Rita", "rita@example.com")).map(Reviewer::name)
                .as(StepVerifier::create).expectNext("Rita").expectComplete().verify(TIMEOUT);
    }
}
