package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.Model;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.ValidationException;
import io.relata.Validator;
import io.relata.query.Order;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.reactor.testing.Pools;
import io.relata.reactor.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Model hooks: their order, what they change, and that they run in the operation's transaction. */
@ExtendWith(TestDatabase.class)
class HooksIT {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    record Member(Long id, String username, String email, Integer logins) {
        Member withEmail(String e) {
            return new Member(id, username, e, logins);
        }

        Member withUsername(String u) {
            return new Member(id, u, email, logins);
        }
    }

    record Audit(Long id, String event) {}

    static Model<Member> members;
    static Model<Audit> audits;
    static Database plain;
    static Database db;
    static final List<String> CALLS = new CopyOnWriteArrayList<>();
    /** the username a hook fails on, per hook name */
    static final Map<String, String> FAIL_ON = new ConcurrentHashMap<>();

    static Mono<Void> audit(String event) {
        CALLS.add(event);
        if (FAIL_ON.containsKey(event)) {
            return db.create(audits, new Audit(null, event)).then(Mono.error(new IllegalStateException(event + " failed")));
        }
        return db.create(audits, new Audit(null, event)).then();
    }

    @BeforeAll
    static void schema(TestDatabase.Handle h) {
        SchemaBuilder s = Schema.builder().timestamps(false);
        members = s.define(Member.class, m -> {
            m.attribute("username").unique().notNull();
            m.attribute("email").validate(Validator.isEmail());
        });
        audits = s.define(Audit.class);
        Schema schema = s.build();
        plain = Database.connect(h.url(), schema);
        Hooks hooks = Hooks.builder()
                // Sequelize's documented example: beforeValidate fills a value the validator then checks
                .beforeValidate(members, m -> Mono.fromSupplier(() -> {
                    CALLS.add("beforeValidate");
                    return m.email() == null ? m.withEmail(m.username() + "@example.com") : m;
                }))
                .beforeCreate(members, m -> audit("beforeCreate").thenReturn(m.withUsername(m.username().toLowerCase(Locale.ROOT))))
                .afterCreate(members, m -> audit("afterCreate"))
                .beforeUpdate(members, m -> audit("beforeUpdate").then(Mono.empty()))
                .afterUpdate(members, m -> audit("afterUpdate"))
                .beforeDestroy(members, m -> audit("beforeDestroy"))
                .afterDestroy(members, m -> audit("afterDestroy"))
                .beforeBulkCreate(members, list -> audit("beforeBulkCreate").then(Mono.empty()))
                .afterBulkCreate(members, list -> audit("afterBulkCreate"))
                .beforeBulkUpdate(members, (q, changes) -> audit("beforeBulkUpdate"))
                .afterBulkUpdate(members, (q, n) -> audit("afterBulkUpdate"))
                .beforeBulkDestroy(members, q -> audit("beforeBulkDestroy"))
                .afterBulkDestroy(members, (q, n) -> audit("afterBulkDestroy"))
                .build();
        db = plain.withHooks(hooks);
        plain.sync(true).as(StepVerifier::create).expectComplete().verify(TIMEOUT);
    }

    @AfterAll
    static void close() {
        if (plain != null) {
            plain.close().block(TIMEOUT);
        }
    }

    @BeforeEach
    void empty() {
        Flux.concat(plain.destroy(Query.from(members)), plain.destroy(Query.from(audits))).then().block(TIMEOUT);
        CALLS.clear();
        FAIL_ON.clear();
    }

    @AfterEach
    void noLeaks() {
        Pools.awaitNoAcquired(plain.connectionFactory());
    }

    static List<String> audited() {
        return plain.findAll(Query.from(audits).orderBy(Order.asc("id"))).map(Audit::event)
                .collectList().block(TIMEOUT);
    }

    @Test
    void createRunsBeforeValidateBeforeCreateAndAfterCreateInOrderWithTheirChanges() {
        Member m = db.create(members, new Member(null, "Ann", null, 0)).block(TIMEOUT);

        assertThat(m.username()).as("changed by beforeCreate").isEqualTo("ann");
        assertThat(m.email()).as("filled by beforeValidate").isEqualTo("Ann@example.com");
        assertThat(CALLS).containsExactly("beforeValidate", "beforeCreate", "afterCreate");
        assertThat(audited()).containsExactly("beforeCreate", "afterCreate");
    }

    @Test
    void anErrorInAnAfterHookRollsBackTheInsertAndTheHooksOwnWrites() {
        FAIL_ON.put("afterCreate", "");
        db.create(members, new Member(null, "Bob", null, 0)).as(StepVerifier::create)
                .expectErrorMessage("afterCreate failed").verify(TIMEOUT);

        plain.count(Query.from(members)).as(StepVerifier::create).expectNext(0L).expectComplete().verify(TIMEOUT);
        assertThat(audited()).as("the beforeCreate audit row was rolled back too").isEmpty();
    }

    @Test
    void aValidationFailureAfterBeforeValidateStopsBeforeBeforeCreate() {
        db.create(members, new Member(null, "Cy", "not-an-email", 0)).as(StepVerifier::create)
                .expectError(ValidationException.class).verify(TIMEOUT);
        assertThat(CALLS).containsExactly("beforeValidate");
        plain.count(Query.from(members)).as(StepVerifier::create).expectNext(0L).expectComplete().verify(TIMEOUT);
    }

    @Test
    void saveAndDestroyRunTheirHooksAndAFailingHookLeavesTheRowAsItWas() {
        Member m = plain.create(members, new Member(null, "dee", "dee@example.com", 1)).block(TIMEOUT);

        Member saved = db.save(members, new Member(m.id(), null, null, 2)).block(TIMEOUT);
        assertThat(saved.logins()).isEqualTo(2);
        assertThat(CALLS).containsExactly("beforeValidate", "beforeUpdate", "afterUpdate");

        FAIL_ON.put("afterUpdate", "");
        db.save(members, new Member(m.id(), null, null, 3)).as(StepVerifier::create)
                .expectErrorMessage("afterUpdate failed").verify(TIMEOUT);
        assertThat(plain.reload(members, m).block(TIMEOUT).logins()).as("data unchanged").isEqualTo(2);

        FAIL_ON.put("beforeDestroy", "");
        db.destroy(members, m).as(StepVerifier::create).expectErrorMessage("beforeDestroy failed").verify(TIMEOUT);
        assertThat(plain.reload(members, m).block(TIMEOUT)).isNotNull();
        FAIL_ON.clear();
        CALLS.clear();
        db.destroy(members, m).as(StepVerifier::create).expectNext(true).expectComplete().verify(TIMEOUT);
        assertThat(CALLS).containsExactly("beforeDestroy", "afterDestroy");
        assertThat(audited()).containsExactly("beforeUpdate", "afterUpdate", "beforeDestroy", "afterDestroy");
    }

    @Test
    void bulkOperationsRunTheBulkHooksAndAFailureRollsBackEveryRow() {
        db.bulkCreate(members, List.of(new Member(null, "e1", null, 0), new Member(null, "e2", null, 0)))
                .map(Member::email).as(StepVerifier::create)
                .expectNext("e1@example.com", "e2@example.com").expectComplete().verify(TIMEOUT);
        assertThat(CALLS).containsExactly("beforeBulkCreate", "beforeValidate", "beforeValidate", "afterBulkCreate");

        CALLS.clear();
        db.update(Query.from(members), Map.of("logins", 5)).as(StepVerifier::create).expectNext(2L).expectComplete()
                .verify(TIMEOUT);
        assertThat(CALLS).containsExactly("beforeBulkUpdate", "afterBulkUpdate");

        FAIL_ON.put("afterBulkUpdate", "");
        db.update(Query.from(members), Map.of("logins", 9)).as(StepVerifier::create)
                .expectErrorMessage("afterBulkUpdate failed").verify(TIMEOUT);
        plain.count(Query.from(members).where(Where.eq("logins", 5))).as(StepVerifier::create).expectNext(2L)
                .expectComplete().verify(TIMEOUT);

        FAIL_ON.put("afterBulkDestroy", "");
        db.destroy(Query.from(members)).as(StepVerifier::create).expectErrorMessage("afterBulkDestroy failed")
                .verify(TIMEOUT);
        plain.count(Query.from(members)).as(StepVerifier::create).expectNext(2L).expectComplete().verify(TIMEOUT);

        FAIL_ON.put("afterBulkCreate", "");
        db.bulkCreate(members, List.of(new Member(null, "e3", null, 0))).as(StepVerifier::create)
                .expectErrorMessage("afterBulkCreate failed").verify(TIMEOUT);
        plain.count(Query.from(members)).as(StepVerifier::create).expectNext(2L).expectComplete().verify(TIMEOUT);
    }

    @Test
    void hooksJoinASurroundingTransactionAndItsRollback() {
        db.transaction(tx -> db.create(members, new Member(null, "fay", null, 0))
                        .then(Mono.error(new IllegalStateException("outer"))))
                .as(StepVerifier::create).expectErrorMessage("outer").verify(TIMEOUT);
        plain.count(Query.from(members)).as(StepVerifier::create).expectNext(0L).expectComplete().verify(TIMEOUT);
        assertThat(audited()).isEmpty();
        assertThat(CALLS).containsExactly("beforeValidate", "beforeCreate", "afterCreate");
    }

    @Test
    void findOrCreateRunsTheCreateHooksOnlyWhenItCreates() {
        Query<Member> q = Query.from(members).where(Where.eq("username", "gus"));
        FoundOrCreated<Member> first = db.findOrCreate(q, new Member(null, null, null, 0)).block(TIMEOUT);
        assertThat(first.created()).isTrue();
        assertThat(first.entity().email()).isEqualTo("gus@example.com");
        assertThat(CALLS).containsExactly("beforeValidate", "beforeCreate", "afterCreate");
        CALLS.clear();
        assertThat(db.findOrCreate(q, new Member(null, null, null, 0)).block(TIMEOUT).created()).isFalse();
        assertThat(CALLS).isEmpty();
    }
}
