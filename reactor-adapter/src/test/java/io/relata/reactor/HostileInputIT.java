package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.BelongsToMany;
import io.relata.DataType;
import io.relata.HasMany;
import io.relata.Model;
import io.relata.QueryDefinitionException;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.query.Order;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.reactor.testing.Pools;
import io.relata.reactor.testing.Sql;
import io.relata.reactor.testing.TestDatabase;
import io.relata.sql.SqlStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.util.context.ContextView;

/**
 * Hostile input. Strings built to break SQL (quotes, comment markers, statement separators, bind
 * markers, dollar quoting, backslashes, control and right-to-left characters, 4-byte characters, a
 * 100,000-character value) go through every write and filter path and come back exactly as written,
 * matching only themselves. Tables and columns whose names are such strings work end to end. Hostile
 * names given to the name-taking query API are refused before anything reaches the server, as a
 * statement counter proves, and every table is intact afterwards.
 */
@ExtendWith(TestDatabase.class)
class HostileInputIT {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    record Note(Long id, String body, List<Label> labels, List<Remark> remarks) {}

    record Label(Long id, String name, Tagging tagging) {}

    record Tagging(Long noteId, Long labelId, String why) {}

    /** Table and column names that are themselves hostile. */
    record Remark(Long id, String text, Long noteId) {}

    static final String HOSTILE_TABLE = "Re\"marks'; DROP TABLE \"Notes\"; --";
    static final String HOSTILE_COLUMN = "te\"xt $1 ' /*";

    static Stream<String> payloads() {
        return Stream.of(
                "'",
                "''",
                "\"",
                "'; DROP TABLE \"Notes\"; --",
                "\" OR 1=1 --",
                "' OR '1'='1",
                "$1",
                "$1, $2) RETURNING *; --",
                "?",
                ":name",
                "$$ dollar $$",
                "$tag$ x $tag$",
                "/* open comment",
                "-- line comment",
                "\\",
                "\\'",
                "E'\\x41'",
                "%_*",
                "line\nbreak\r\ttab",
                "\u202Eright-to-left",
                "e\u0301 combining",
                "\uD83D\uDE00 4-byte",
                "\u00FF\u0100\uFFFD",
                " padded ",
                "",
                "x".repeat(100_000));
    }

    static TestDatabase.Handle handle;
    static Database owner;
    static Database db;
    static final AtomicInteger statements = new AtomicInteger();
    static Model<Note> notes;
    static Model<Label> labels;
    static Model<Remark> remarks;
    static BelongsToMany<Note, Label> noteLabels;
    static HasMany<Note, Remark> noteRemarks;

    @BeforeAll
    static void schema(TestDatabase.Handle h) {
        handle = h;
        SchemaBuilder s = Schema.builder().timestamps(false);
        notes = s.define(Note.class, m -> m.attribute("body", DataType.text()));
        labels = s.define(Label.class, m -> m.attribute("name", DataType.text()));
        Model<Tagging> taggings = s.define(Tagging.class, m -> m.attribute("why", DataType.text()));
        remarks = s.define(Remark.class, m -> {
            m.table(HOSTILE_TABLE);
            m.attribute("text", DataType.text()).field(HOSTILE_COLUMN);
        });
        noteLabels = notes.belongsToMany(labels, o -> o.through(taggings));
        labels.belongsToMany(notes, o -> o.through(taggings));
        noteRemarks = notes.hasMany(remarks);
        StatementObserver counter = (SqlStatement statement, ContextView context) -> {
            statements.incrementAndGet();
            return new StatementObserver.Execution() {
                @Override
                public void success(long rows) {}

                @Override
                public void failure(Throwable error) {}

                @Override
                public void cancelled(long rows) {}
            };
        };
        Schema schema = s.build();
        owner = Database.connect(h.url(), schema);
        db = Database.builder(TransactionSupport.local(owner.connectionFactory()), schema).observer(counter).build();
        db.sync().block(TIMEOUT);
    }

    @AfterAll
    static void close() {
        if (owner != null) {
            owner.close().block(TIMEOUT);
        }
    }

    @AfterEach
    void tablesIntactAndNothingAcquired() {
        assertThat(Sql.single(handle.connectionFactory(),
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", Long.class)).isEqualTo(4L);
        Pools.awaitNoAcquired(db.connectionFactory());
    }

    static <T> T block(Publisher<T> publisher) {
        T value = Mono.from(publisher).block(TIMEOUT);
        assertThat(value).isNotNull();
        return value;
    }

    @ParameterizedTest
    @MethodSource("payloads")
    void aHostileValueRoundTripsThroughCreateFindAndUpdateAndMatchesOnlyItself(String payload) {
        Note decoy = block(db.create(notes, new Note(null, payload + "decoy", null, null)));
        Note created = block(db.create(notes, new Note(null, payload, null, null)));
        assertThat(created.body()).isEqualTo(payload);
        assertThat(block(db.findByPk(notes, created.id())).body()).isEqualTo(payload);

        StepVerifier.create(db.findAll(Query.from(notes).where(Where.eq("body", payload))).map(Note::id))
                .expectNext(created.id())
                .verifyComplete();
        StepVerifier.create(db.findAll(Query.from(notes)
                                .where(Where.and(Where.in("body", List.of(payload, "absent")),
                                        Where.ne("body", payload + "decoy"))))
                        .map(Note::id))
                .expectNext(created.id())
                .verifyComplete();
        assertThat(block(db.count(Query.from(notes).where(Where.between("body", payload, payload))))).isEqualTo(1L);

        String changed = payload + "'changed\"";
        assertThat(block(db.update(Query.from(notes).where(Where.eq("id", created.id())), Map.of("body", changed))))
                .isEqualTo(1L);
        assertThat(block(db.findByPk(notes, created.id())).body()).isEqualTo(changed);
        assertThat(block(db.findByPk(notes, decoy.id())).body()).isEqualTo(payload + "decoy");

        assertThat(block(db.destroy(Query.from(notes).where(Where.eq("body", changed))))).isEqualTo(1L);
        assertThat(block(db.destroy(Query.from(notes).where(Where.eq("id", decoy.id()))))).isEqualTo(1L);
    }

    @Test
    void everyHostileValueRoundTripsThroughOneBulkCreate() {
        List<String> all = payloads().toList();
        List<Note> created = db.bulkCreate(notes, all.stream().map(p -> new Note(null, p, null, null)).toList())
                .collectList().block(TIMEOUT);
        assertThat(created).extracting(Note::body).containsExactlyElementsOf(all);
        List<Long> ids = created.stream().map(Note::id).toList();
        assertThat(db.findAll(Query.from(notes).where(Where.in("id", ids)).orderBy(Order.asc("id")))
                        .map(Note::body).collectList().block(TIMEOUT))
                .containsExactlyElementsOf(all);
        assertThat(db.findAll(Query.from(notes).where(Where.in("body", all))).count().block(TIMEOUT))
                .isEqualTo((long) all.size());
        assertThat(block(db.destroy(Query.from(notes).where(Where.in("id", ids))))).isEqualTo((long) all.size());
    }

    @Test
    void hostileValuesRoundTripThroughJunctionValuesAndHostileTablesAndColumns() {
        List<String> all = payloads().toList();
        Note note = block(db.create(notes, new Note(null, "carrier", null, null)));
        List<Label> made = new ArrayList<>();
        for (String payload : all) {
            Label label = block(db.create(labels, new Label(null, payload, null)));
            made.add(label);
            StepVerifier.create(db.association(noteLabels).add(note, List.of(label), Map.of("why", payload)))
                    .verifyComplete();
            block(db.association(noteRemarks).create(note, new Remark(null, payload, null)));
        }

        Note loaded = block(db.findByPk(Query.from(notes)
                        .include(noteLabels, i -> i.throughAttributes("why").orderBy(Order.asc("id")))
                        .include(noteRemarks, i -> i.orderBy(Order.asc("id"))),
                note.id()));
        assertThat(loaded.labels()).extracting(Label::name).containsExactlyElementsOf(all);
        assertThat(loaded.labels()).extracting(l -> l.tagging().why()).containsExactlyElementsOf(all);
        assertThat(loaded.remarks()).extracting(Remark::text).containsExactlyElementsOf(all);

        for (String payload : all) {
            StepVerifier.create(db.findAll(Query.from(remarks).where(Where.eq("text", payload))).map(Remark::text))
                    .expectNext(payload)
                    .verifyComplete();
            StepVerifier.create(db.association(noteLabels).get(note, q -> q.throughWhere(Where.eq("why", payload)))
                            .map(Label::name))
                    .expectNext(payload)
                    .verifyComplete();
        }
        assertThat(block(db.association(noteLabels).count(note))).isEqualTo((long) all.size());
        assertThat(block(db.association(noteRemarks).count(note))).isEqualTo((long) all.size());
        assertThat(Sql.single(handle.connectionFactory(),
                "SELECT count(*) FROM \"" + HOSTILE_TABLE.replace("\"", "\"\"") + "\" WHERE \""
                        + HOSTILE_COLUMN.replace("\"", "\"\"") + "\" = ANY($1)",
                Long.class, (Object) all.toArray(String[]::new))).isEqualTo((long) all.size());

        StepVerifier.create(db.association(noteLabels).set(note, List.of())).verifyComplete();
        assertThat(block(db.destroy(Query.from(remarks)))).isEqualTo((long) all.size());
        assertThat(block(db.destroy(Query.from(labels)))).isEqualTo((long) all.size());
        assertThat(block(db.destroy(Query.from(notes)))).isEqualTo(1L);
    }

    static Stream<String> hostileNames() {
        return Stream.of(
                "body\"; DROP TABLE \"Notes\"; --",
                "\" OR 1=1 --",
                "id) OR (1=1",
                "body' --",
                "$1",
                "labels\"",
                "labels.name\"; --",
                "*",
                "body, id",
                "count(*)",
                "Notes\".\"body",
                " body");
    }

    @ParameterizedTest
    @MethodSource("hostileNames")
    void aHostileNameIsRefusedBeforeAnyStatementReachesTheServer(String name) {
        Note note = new Note(1L, "n", null, null);
        List<Supplier<Publisher<?>>> attempts = List.of(
                () -> db.findAll(Query.from(notes).where(Where.eq(name, 1))),
                () -> db.findAll(Query.from(notes).where(Where.in(name, List.of(1, 2)))),
                () -> db.findAll(Query.from(notes).where(Where.isNull(name))),
                () -> db.findAll(Query.from(notes).orderBy(Order.asc(name))),
                () -> db.findAll(Query.from(notes).orderBy(Order.desc(name))),
                () -> db.findAll(Query.from(notes).attributes("id", name)),
                () -> db.findAll(Query.from(notes).include(name)),
                () -> db.findAll(Query.from(notes).include(noteLabels, i -> i.where(Where.eq(name, 1)))),
                () -> db.findAll(Query.from(notes).include(noteLabels, i -> i.attributes(name))),
                () -> db.findAll(Query.from(notes).include(noteLabels, i -> i.throughAttributes(name))),
                () -> db.findAll(Query.from(notes).include(noteLabels, i -> i.throughWhere(Where.eq(name, 1)))),
                () -> db.findAll(Query.from(notes).include(noteLabels, i -> i.orderBy(Order.asc(name)))),
                () -> db.findOne(Query.from(notes).where(Where.eq(name, 1))),
                () -> db.count(Query.from(notes).where(Where.eq(name, 1))),
                () -> db.update(Query.from(notes), Map.of(name, "x")),
                () -> db.update(Query.from(notes).where(Where.eq(name, 1)), Map.of("body", "x")),
                () -> db.destroy(Query.from(notes).where(Where.eq(name, 1))),
                () -> db.association(noteLabels).get(note, q -> q.where(Where.eq(name, 1))),
                () -> db.association(noteLabels).count(note, Where.eq(name, 1)),
                () -> db.association(noteLabels).add(note, List.of(new Label(1L, "l", null)), Map.of(name, "x")),
                () -> db.association(noteRemarks).get(note, q -> q.orderBy(Order.asc(name))));
        int before = statements.get();
        for (Supplier<Publisher<?>> attempt : attempts) {
            assertThatThrownBy(() -> Flux.from(attempt.get()).blockLast(TIMEOUT))
                    .isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContaining(name.strip().isEmpty() ? "" : name.strip());
        }
        assertThat(statements.get()).as("statements sent for hostile names").isEqualTo(before);
    }
}
