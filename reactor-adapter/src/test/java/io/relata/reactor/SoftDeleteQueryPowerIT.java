package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.HasMany;
import io.relata.Model;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.query.Include;
import io.relata.query.Order;
import io.relata.query.Page;
import io.relata.query.Projection;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.reactor.testing.TestDatabase;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Soft delete reaches the query-power read paths: a per-parent window (top-N include, JOIN and SEPARATE),
 * findAndCountAll's rows and count, projections with aggregates over an include, and an association count
 * with includes leave soft-deleted rows out, and take them in with {@code paranoid(false)}.
 */
@ExtendWith(TestDatabase.class)
class SoftDeleteQueryPowerIT {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    record Writer(Long id, String name, List<Novel> novels, OffsetDateTime createdAt, OffsetDateTime updatedAt,
            OffsetDateTime deletedAt) {}

    record Novel(Long id, String title, Long writerId, Writer writer, OffsetDateTime createdAt, OffsetDateTime updatedAt,
            OffsetDateTime deletedAt) {}

    static Database db;
    static Model<Writer> writers;
    static Model<Novel> novels;
    static HasMany<Writer, Novel> writerNovels;
    static Writer ann;

    @BeforeAll
    static void schema(TestDatabase.Handle h) {
        SchemaBuilder s = Schema.builder();
        writers = s.define(Writer.class, m -> m.paranoid(true));
        novels = s.define(Novel.class, m -> m.paranoid(true));
        writerNovels = writers.hasMany(novels, o -> o.foreignKey("writerId"));
        novels.belongsTo(writers, o -> o.as("writer").foreignKey("writerId"));
        db = Database.connect(h.url(), s.build());
        db.sync().block(TIMEOUT);
        ann = db.create(writers, new Writer(null, "ann", null, null, null, null)).block(TIMEOUT);
        Writer bob = db.create(writers, new Writer(null, "bob", null, null, null, null)).block(TIMEOUT);
        Writer gone = db.create(writers, new Writer(null, "gone", null, null, null, null)).block(TIMEOUT);
        for (String title : List.of("a", "b", "c")) {
            db.create(novels, new Novel(null, title, ann.id(), null, null, null, null)).block(TIMEOUT);
            db.create(novels, new Novel(null, title, bob.id(), null, null, null, null)).block(TIMEOUT);
            db.create(novels, new Novel(null, title, gone.id(), null, null, null, null)).block(TIMEOUT);
        }
        // the first novel in title order of every writer is soft-deleted, and so is the writer "gone"
        db.destroy(Query.from(novels).where(Where.eq("title", "a"))).block(TIMEOUT);
        db.destroy(Query.from(writers).where(Where.eq("name", "gone"))).block(TIMEOUT);
    }

    @AfterAll
    static void close() {
        if (db != null) {
            db.close().block(TIMEOUT);
        }
    }

    static List<String> titles(Writer w) {
        return w.novels().stream().map(Novel::title).toList();
    }

    @ParameterizedTest
    @EnumSource(Include.Strategy.class)
    void aPerParentWindowCountsOnlyLiveChildren(Include.Strategy strategy) {
        List<List<String>> live = db.findAll(Query.from(writers).orderBy(Order.asc("id"))
                        .include(writerNovels, i -> i.strategy(strategy).orderBy(Order.asc("title")).limit(1)))
                .map(SoftDeleteQueryPowerIT::titles).collectList().block(TIMEOUT);
        assertThat(live).containsExactly(List.of("b"), List.of("b"));

        List<List<String>> all = db.findAll(Query.from(writers).paranoid(false).orderBy(Order.asc("id"))
                        .include(writerNovels, i -> i.strategy(strategy).paranoid(false)
                                .orderBy(Order.asc("title")).limit(1)))
                .map(SoftDeleteQueryPowerIT::titles).collectList().block(TIMEOUT);
        assertThat(all).containsExactly(List.of("a"), List.of("a"), List.of("a"));
    }

    @ParameterizedTest
    @EnumSource(Include.Strategy.class)
    void findAndCountAllCountsAndReadsLiveRootsOnly(Include.Strategy strategy) {
        Page<Writer> page = db.findAndCountAll(Query.from(writers).orderBy(Order.asc("id")).limit(1)
                .include(writerNovels, i -> i.strategy(strategy))).block(TIMEOUT);
        assertThat(page.count()).isEqualTo(2L);
        assertThat(page.rows()).extracting(Writer::name).containsExactly("ann");
        assertThat(titles(page.rows().get(0))).containsExactlyInAnyOrder("b", "c");

        Page<Writer> all = db.findAndCountAll(Query.from(writers).paranoid(false).orderBy(Order.asc("id")).limit(1))
                .block(TIMEOUT);
        assertThat(all.count()).isEqualTo(3L);
    }

    @ParameterizedTest
    @EnumSource(value = Include.Strategy.class, names = "JOIN")
    void aggregatesOverAnIncludeSeeLiveRowsOnly(Include.Strategy strategy) {
        List<Map<String, Object>> rows = db.project(Query.from(writers).orderBy(Order.asc("id"))
                                .include(writerNovels, i -> i.strategy(strategy).attributes()),
                        Projection.of(Projection.attribute("name"), Projection.count("Novels.id").as("novelCount")))
                .collectList().block(TIMEOUT);
        assertThat(rows).containsExactly(Map.of("name", "ann", "novelCount", 2L), Map.of("name", "bob", "novelCount", 2L));
    }

    @Test
    void anAssociationCountWithIncludesSeesLiveTargetsOnly() {
        assertThat(db.association(writerNovels).count(ann, q -> q.include("writer")).block(TIMEOUT)).isEqualTo(2L);
        assertThat(db.association(writerNovels).count(ann, q -> q.paranoid(false).include("writer")).block(TIMEOUT))
                .isEqualTo(3L);
    }
}
