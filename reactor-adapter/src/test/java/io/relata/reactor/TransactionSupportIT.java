package io.relata.reactor;

import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.relata.Model;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.StatementException;
import io.relata.TransactionOptions;
import io.relata.query.Query;
import io.relata.reactor.testing.Pools;
import io.relata.reactor.testing.Sql;
import io.relata.reactor.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import static org.assertj.core.api.Assertions.assertThat;


/**
 * The seams of {@link Database.Builder}: Relata's own {@link TransactionSupport} (NESTED = SAVEPOINT), the
 * {@link ErrorTranslator} and the {@link StatementObserver} (Micrometer observations per statement).
 */
@ExtendWith(TestDatabase.class)
class TransactionSupportIT {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    record Note(Long id, String text) {
        static Note of(String text) {
            return new Note(null, text);
        }
    }

    static Model<Note> notes;
    static Database db;
    static Schema schema;
    static TestDatabase.Handle handle;

    @BeforeAll
    static void schema(TestDatabase.Handle h) {
        handle = h;
        SchemaBuilder s = Schema.builder().timestamps(false);
        notes = s.define(Note.class, m -> m.attribute("text").unique().notNull());
        schema = s.build();
        db = Database.connect(h.url(), schema);
        db.sync().as(StepVerifier::create).expectComplete().verify(TIMEOUT);
    }

    @AfterAll
    static void close() {
        db.close().block(TIMEOUT);
    }

    @BeforeEach
    void empty() {
        Sql.execute(handle.connectionFactory(), "DELETE FROM \"Notes\"");
    }

    @AfterEach
    void noLeaks() {
        Pools.awaitNoAcquired(db.connectionFactory());
    }

    static List<String> committed() {
        List<String> texts = new ArrayList<>();
        Sql.rows(handle.connectionFactory(), "SELECT \"text\" FROM \"Notes\" ORDER BY \"text\"")
                .forEach(r -> texts.add((String) r.get("text")));
        return texts;
    }

    @Nested
    class NestedPropagation {
        @Test
        void aFailingNestedScopeRollsBackToItsSavepointAndTheOuterTransactionCommits() {
            db.transaction(tx -> db.create(notes, Note.of("outer"))
                            .then(db.transaction(TransactionOptions.Propagation.NESTED, inner -> db.create(notes, Note.of("inner"))
                                    .then(Mono.error(new IllegalStateException("inner failed"))))
                                    .onErrorResume(IllegalStateException.class, e -> Mono.empty())
                                    .then())
                            .then(db.create(notes, Note.of("after"))))
                    .then()
                    .as(StepVerifier::create).expectComplete().verify(TIMEOUT);
            assertThat(committed()).containsExactly("after", "outer");
        }

        @Test
        void aCompletingNestedScopeKeepsItsWorkInTheOuterTransaction() {
            db.transaction(tx -> db.create(notes, Note.of("outer"))
                            .then(db.transaction(TransactionOptions.Propagation.NESTED, inner -> db.create(notes, Note.of("inner")))
                                    .then()))
                    .then()
                    .as(StepVerifier::create).expectComplete().verify(TIMEOUT);
            assertThat(committed()).containsExactly("inner", "outer");
        }

        @Test
        void aRequiredNestedScopeJoinsSoItsErrorRollsBackEverything() {
            db.transaction(tx -> db.create(notes, Note.of("outer"))
                            .then(db.transaction(inner -> db.create(notes, Note.of("inner"))
                                    .then(Mono.error(new IllegalStateException("inner failed")))).then()))
                    .then()
                    .as(StepVerifier::create).expectError(IllegalStateException.class).verify(TIMEOUT);
            assertThat(committed()).isEmpty();
        }

        @Test
        void nestedOutsideATransactionIsATransactionOfItsOwn() {
            db.transaction(TransactionOptions.Propagation.NESTED, tx -> db.create(notes, Note.of("a"))
                            .then(Mono.error(new IllegalStateException("failed"))))
                    .then()
                    .as(StepVerifier::create).expectError(IllegalStateException.class).verify(TIMEOUT);
            assertThat(committed()).isEmpty();
        }
    }

    @Nested
    class ErrorTranslation {
        record Translated(Throwable cause) {
        }

        static final class MyException extends RuntimeException {
            private static final long serialVersionUID = 1L;

            MyException(Throwable cause) {
                super(cause.getMessage(), cause);
            }
        }

        @Test
        void everyErrorOfTheDatabaseGoesThroughTheTranslatorOnce() {
            List<Throwable> seen = new ArrayList<>();
            Database translating = Database.builder(TransactionSupport.local(db.connectionFactory()), schema)
                    .errorTranslator(e -> {
                        seen.add(e);
                        return e instanceof MyException ? e : new MyException(e);
                    })
                    .build();
            translating.create(notes, Note.of("dup")).then(translating.create(notes, Note.of("dup")))
                    .as(StepVerifier::create)
                    .expectErrorSatisfies(e -> {
                        assertThat(e).isInstanceOf(MyException.class).hasCauseInstanceOf(StatementException.class);
                        assertThat(((StatementException) e.getCause()).sqlState()).isEqualTo("23505");
                    })
                    .verify(TIMEOUT);
            assertThat(seen).first().isInstanceOf(StatementException.class);
        }

        @Test
        void withoutATranslatorRelatasOwnExceptionsStay() {
            db.create(notes, Note.of("dup")).then(db.create(notes, Note.of("dup")))
                    .as(StepVerifier::create).expectError(StatementException.class).verify(TIMEOUT);
        }
    }

    @Nested
    class Observations {
        @Test
        void eachStatementIsAnObservationNestedUnderTheSubscribersObservation() {
            TestObservationRegistry registry = TestObservationRegistry.create();
            Database observed = Database.builder(TransactionSupport.local(db.connectionFactory()), schema)
                    .observer(MicrometerObservations.observer(registry))
                    .build();
            Observation request = Observation.start("request", registry);
            observed.create(notes, Note.of("seen"))
                    .thenMany(observed.findAll(Query.from(notes)))
                    .then(observed.create(notes, Note.of("seen")).onErrorResume(StatementException.class, e -> Mono.empty()))
                    .contextWrite(ctx -> ctx.put(MicrometerObservations.PARENT_KEY, request))
                    .as(StepVerifier::create).expectComplete().verify(TIMEOUT);
            request.stop();
            TestObservationRegistryAssert.assertThat(registry)
                    .hasNumberOfObservationsWithNameEqualTo(MicrometerObservations.NAME, 3)
                    .hasAnObservation(o -> o.hasNameEqualTo(MicrometerObservations.NAME)
                            .hasLowCardinalityKeyValue("relata.operation", "insert")
                            .hasLowCardinalityKeyValue("relata.table", "Notes")
                            .hasLowCardinalityKeyValue("outcome", "success")
                            .hasParentObservationEqualTo(request))
                    .hasAnObservation(o -> o.hasNameEqualTo(MicrometerObservations.NAME)
                            .hasLowCardinalityKeyValue("relata.operation", "select")
                            .hasHighCardinalityKeyValue("relata.rows", "1"))
                    .hasAnObservation(o -> o.hasNameEqualTo(MicrometerObservations.NAME)
                            .hasLowCardinalityKeyValue("outcome", "error")
                            .hasHighCardinalityKeyValue("db.sqlstate", "23505")
                            .assertThatError().isInstanceOf(StatementException.class));
        }

        @Test
        void aCancelledStatementEndsItsObservation() {
            TestObservationRegistry registry = TestObservationRegistry.create();
            Database observed = Database.builder(TransactionSupport.local(db.connectionFactory()), schema)
                    .observer(MicrometerObservations.observer(registry))
                    .build();
            observed.bulkCreate(notes, List.of(Note.of("a"), Note.of("b"), Note.of("c"))).then()
                    .thenMany(observed.findAll(Query.from(notes)).take(1))
                    .as(StepVerifier::create).expectNextCount(1).expectComplete().verify(TIMEOUT);
            TestObservationRegistryAssert.assertThat(registry)
                    .hasAnObservation(o -> o.hasLowCardinalityKeyValue("relata.operation", "select")
                            .hasLowCardinalityKeyValue("outcome", "cancelled"));
        }
    }
}
