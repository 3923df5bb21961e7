package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.BelongsTo;
import io.relata.BelongsToMany;
import io.relata.DataType;
import io.relata.HasMany;
import io.relata.Model;
import io.relata.QueryDefinitionException;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.reactor.testing.Pools;
import io.relata.reactor.testing.RecordingConnectionFactory;
import io.relata.reactor.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * Strings PostgreSQL cannot store (a lone UTF-16 surrogate, which the driver's UTF-8 encoder would write
 * as {@code ?}; a NUL; a jsonb {@code \u005Cu0000} escape) are rejected with a
 * {@link QueryDefinitionException} naming what the value is for, through every write and filter path —
 * and a statement counter (a recording connection factory) shows that no connection was asked for and
 * no statement sent. Valid text (a surrogate pair, a literal {@code ?}) is stored exactly.
 */
@ExtendWith(TestDatabase.class)
class StrictInputIT {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    record Note(Long id, String body, String doc, String tagCode) {}

    record Tag(String code, String label) {}

    record Student(Long id, String name) {}

    record Course(Long id, String title, Enrollment enrollment) {}

    record Enrollment(Long studentId, Long courseId, String grade) {}

    static Database owner;
    static RecordingConnectionFactory recording;
    static Database db;
    static Model<Note> notes;
    static Model<Tag> tags;
    static HasMany<Tag, Note> tagNotes;
    static BelongsTo<Note, Tag> noteTag;
    static BelongsToMany<Student, Course> studentCourses;

    /** What PostgreSQL cannot store, and what the message says about it. */
    record Hostile(String value, String defect) {
        @Override
        public String toString() {
            return defect;
        }
    }

    static List<Hostile> hostile() {
        return List.of(
                new Hostile("bad\uD83Dsurrogate", "a lone UTF-16 surrogate (U+D83D) at index 3"),
                new Hostile("low\uDE00first", "a lone UTF-16 surrogate (U+DE00) at index 3"),
                new Hostile("trailing\uD83D", "a lone UTF-16 surrogate (U+D83D) at index 8"),
                new Hostile("nul\u0000char", "a NUL character (U+0000) at index 3"));
    }

    @BeforeAll
    static void schema(TestDatabase.Handle h) {
        SchemaBuilder s = Schema.builder().timestamps(false);
        notes = s.define(Note.class, m -> m.attribute("doc", DataType.jsonb()));
        tags = s.define(Tag.class, m -> m.primaryKey("code"));
        tagNotes = tags.hasMany(notes, o -> o.foreignKey("tagCode").sourceKey("code").constraints(false));
        noteTag = notes.belongsTo(tags, o -> o.foreignKey("tagCode").targetKey("code").as("tag").constraints(false));
        Model<Student> students = s.define(Student.class);
        Model<Course> courses = s.define(Course.class);
        Model<Enrollment> enrollments = s.define(Enrollment.class);
        studentCourses = students.belongsToMany(courses, o -> o.through(enrollments));
        Schema schema = s.build();
        owner = Database.connect(h.url(), schema);
        recording = new RecordingConnectionFactory(owner.connectionFactory());
        db = Database.create(recording, schema);
        db.sync().block(TIMEOUT);
    }

    @AfterAll
    static void close() {
        owner.close().block(TIMEOUT);
    }

    @BeforeEach
    void reset() {
        recording.reset();
    }

    @AfterEach
    void noLeak() {
        Pools.awaitNoAcquired(owner.connectionFactory());
    }

    /** The call throws at once naming {@code subject} and the defect, and nothing reached the server. */
    static void rejected(Supplier<? extends Publisher<?>> call, String subject, Hostile h) {
        assertThatThrownBy(() -> Flux.from(call.get()).blockLast(TIMEOUT))
                .isInstanceOf(QueryDefinitionException.class)
                .hasMessageContaining(subject)
                .hasMessageContaining(h.defect())
                .hasMessageContaining("PostgreSQL cannot store");
        assertThat(recording.contexts()).as("connections asked for").isEmpty();
        assertThat(recording.executed()).as("statements sent").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void createRejectsItNamingModelAndAttribute(Hostile h) {
        rejected(() -> db.create(notes, new Note(null, h.value(), null, null)), "Note.body", h);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void bulkCreateRejectsItEvenInALaterRow(Hostile h) {
        rejected(() -> db.bulkCreate(notes, List.of(new Note(null, "fine", null, null),
                new Note(null, h.value(), null, null))), "Note.body", h);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void updateRejectsTheChange(Hostile h) {
        rejected(() -> db.update(Query.from(notes).where(Where.eq("id", 1)), Map.of("body", h.value())),
                "the change of Note.body", h);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void whereValuesAreRejectedInEveryFilterAndEveryOperation(Hostile h) {
        String where = "the where value for 'body'";
        rejected(() -> db.findAll(Query.from(notes).where(Where.eq("body", h.value()))), where, h);
        rejected(() -> db.findAll(Query.from(notes).where(Where.like("body", h.value()))), where, h);
        rejected(() -> db.findAll(Query.from(notes).where(Where.in("body", "ok", h.value()))), where, h);
        rejected(() -> db.findAll(Query.from(notes).where(Where.notIn("body", List.of(h.value())))), where, h);
        rejected(() -> db.findAll(Query.from(notes).where(Where.between("body", "a", h.value()))), where, h);
        rejected(() -> db.findAll(Query.from(notes).where(Where.not(Where.ne("body", h.value())))), where, h);
        rejected(() -> db.count(Query.from(notes).where(Where.eq("body", h.value()))), where, h);
        rejected(() -> db.destroy(Query.from(notes).where(Where.eq("body", h.value()))), where, h);
        rejected(() -> db.update(Query.from(notes).where(Where.eq("body", h.value())), Map.of("body", "x")), where, h);
        rejected(() -> db.findAll(Query.from(tags).include(tagNotes, i -> i.where(Where.eq("body", h.value())))),
                where, h);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void junctionThroughValuesAreRejected(Hostile h) {
        ToManyOperations<Student, Course> ops = db.association(studentCourses);
        Student student = new Student(1L, "s");
        String subject = "through value Enrollment.grade";
        rejected(() -> ops.add(student, List.of(1L), Map.of("grade", h.value())), subject, h);
        rejected(() -> ops.set(student, List.of(1L), Map.of("grade", h.value())), subject, h);
        rejected(() -> ops.create(student, new Course(null, "c", null), Map.of("grade", h.value())), subject, h);
        rejected(() -> ops.get(student, q -> q.throughWhere(Where.eq("grade", h.value()))),
                "the where value for 'grade'", h);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void keysAreRejectedInLazyLoadsAssociationWritesAndLookups(Hostile h) {
        Tag tag = new Tag(h.value(), "t");
        String subject = "the key Tag.code of the source of Tag.";
        ToManyOperations<Tag, Note> ops = db.association(tagNotes);
        rejected(() -> ops.get(tag), subject, h);
        rejected(() -> ops.get(List.of(new Tag("fine", "t"), tag)), subject, h);
        rejected(() -> ops.count(tag), subject, h);
        ToOneOperations<Note, Tag> toOne = db.association(noteTag);
        Note note = new Note(1L, "n", null, h.value());
        rejected(() -> toOne.get(note), "the key Note.tagCode of the source of Note.tag", h);
        rejected(() -> toOne.set(new Note(1L, "n", null, null), h.value()), "the key Tag.code of a target of Note.tag", h);
        rejected(() -> toOne.set(new Note(1L, "n", null, null), tag), "the key Tag.code of a target of Note.tag", h);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void aPrimaryKeyLookupRejectsIt(Hostile h) {
        rejected(() -> db.findByPk(tags, h.value()), "'code'", h);
    }

    @Test
    void jsonbEscapesPostgreSqlRejectsAreRejectedFirst() {
        rejected(() -> db.create(notes, new Note(null, "b", "{\"a\":\"\\u0000\"}", null)), "Note.doc",
                new Hostile("", "the JSON escape \\u0000 at index 6"));
        rejected(() -> db.create(notes, new Note(null, "b", "{\"a\":\"\\uD83D!\"}", null)), "Note.doc",
                new Hostile("", "a JSON escape of a lone UTF-16 surrogate (U+D83D) at index 6"));
        rejected(() -> db.create(notes, new Note(null, "b", "[\"\\uDE00\"]", null)), "Note.doc",
                new Hostile("", "a JSON escape of a lone UTF-16 surrogate (U+DE00) at index 2"));
    }

    @Test
    void validTextIsStoredExactly() {
        String pair = "emoji \uD83D\uDE00 and a literal ? and \\u0000 as text";
        String json = "{\"a\":\"\\uD83D\\uDE00\",\"b\":\"\\\\u0000\"}";
        Note created = db.create(notes, new Note(null, pair, json, null)).block(TIMEOUT);
        assertThat(created).isNotNull();
        Note read = db.findByPk(notes, created.id()).block(TIMEOUT);
        assertThat(read).isNotNull();
        assertThat(read.body()).isEqualTo(pair);
        assertThat(db.count(Query.from(notes).where(Where.eq("body", pair))).block(TIMEOUT)).isEqualTo(1L);
        db.destroy(Query.from(notes)).block(TIMEOUT);
    }

    @Test
    void aTransactionWhoseWorkReturnsNullSignalsAnNpeNamingIt() {
        StepVerifier.create(db.transaction(tx -> null))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(NullPointerException.class)
                        .hasMessage("work returned null"))
                .verify(TIMEOUT);
    }

    @Test
    void anAssociationQueryReturningNullIsAnNpeNamingIt() {
        assertThatThrownBy(() -> db.association(tagNotes).get(new Tag("x", "t"), q -> null))
                .isInstanceOf(NullPointerException.class).hasMessage("query returned null");
        assertThat(recording.executed()).isEmpty();
    }

    @Test
    void aNegativeBatchWindowIsRejected() {
        assertThatThrownBy(() -> db.withBatchWindow(Duration.ofMillis(-1)))
                .isInstanceOf(QueryDefinitionException.class).hasMessageContaining("batch window");
        assertThat(db.withBatchWindow(Duration.ZERO)).isNotNull();
    }
}
