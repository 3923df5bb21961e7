package io.relata.sql;

import io.relata.plan.Statements;
import static org.assertj.core.api.Assertions.assertThat;

import io.relata.BelongsToMany;
import io.relata.HasMany;
import io.relata.Model;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.internal.AssociationPlanner;
import io.relata.query.Include;
import io.relata.query.Query;
import io.relata.query.Where;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Keys are values: the SQL and binds of key arrays for keys whose Java type differs from the column's
 * (an {@code Integer} key with a {@code Long} foreign key property), and for BYTEA keys, whose arrays
 * are bound as a cast {@code bytea[]} literal; and the matching of rows to parents by value.
 */
class KeyBindsTest {

    record Shelf(Integer id, String name, List<Jar> jars) {}
    record Jar(Integer id, String name, Long shelfId) {}
    record Member(byte[] id, String name, List<Guild> guilds) {}
    record Guild(byte[] id, String name) {}

    static final Model<Shelf> shelves;
    static final HasMany<Shelf, Jar> shelfJars;
    static final Model<Member> members;
    static final Model<Guild> guilds;
    static final BelongsToMany<Member, Guild> memberGuilds;

    static {
        SchemaBuilder s = Schema.builder().timestamps(false);
        shelves = s.define(Shelf.class);
        Model<Jar> jars = s.define(Jar.class);
        shelfJars = shelves.hasMany(jars);
        members = s.define(Member.class);
        guilds = s.define(Guild.class);
        memberGuilds = members.belongsToMany(guilds, o -> o.through("Memberships"));
        s.build();
    }

    static String q(String sql) {
        return sql.replace('`', '"');
    }

    /** A row as a driver decodes it: asking for another Java type than the value's fails. */
    record ArrayRow(Object[] values) implements RowSource {
        @Override
        public <V> @Nullable V get(int index, Class<V> type) {
            return type.cast(values[index]);
        }
    }

    static RowSource row(Object... values) {
        return new ArrayRow(values);
    }

    @Nested
    class ForeignKeyOfAnotherIntegralWidth {

        @Test
        void separateLoadBindsTheParentsKeysAsTheForeignKeyColumnsTypeAndAttachesTheLongLinks() {
            // root: c0 t0.id (Integer), c1 t0.name; follow-up: c0 link (shelfId, read as Long), c1 id, c2 name, c3 shelfId
            SelectPlan<Shelf> plan = Statements.select(Query.from(shelves)
                    .include(shelfJars, i -> i.strategy(Include.Strategy.SEPARATE)));
            SqlStatement template = plan.followUpTemplates().get(0);
            assertThat(template.sql()).isEqualTo(q("SELECT `t1`.`shelfId` AS `c0`, `t1`.`id` AS `c1`, "
                    + "`t1`.`name` AS `c2`, `t1`.`shelfId` AS `c3` FROM `Jars` AS `t1` WHERE `t1`.`shelfId` = ANY($1) "
                    + "ORDER BY `t1`.`shelfId`, `t1`.`id`"));
            Assembly<Shelf> assembly = plan.assembly();
            assembly.push(row(1, "top"));
            assembly.push(row(2, "bottom"));
            assembly.endWindow(true);
            FollowUp followUp = assembly.nextFollowUp();
            assertThat(followUp).isNotNull();

            SqlStatement st = followUp.statement();

            assertThat(st.sql()).isEqualTo(template.sql());
            assertThat(st.binds().get(0).type()).isEqualTo(Integer[].class);
            assertThat(st.values()).containsExactly((Object) new Integer[] {1, 2});
            followUp.accept(row(1L, 10, "jam", 1L));
            followUp.accept(row(1L, 11, "honey", 1L));
            followUp.accept(row(2L, 12, "salt", 2L));
            followUp.complete();

            assertThat(assembly.take()).containsExactly(
                    new Shelf(1, "top", List.of(new Jar(10, "jam", 1L), new Jar(11, "honey", 1L))),
                    new Shelf(2, "bottom", List.of(new Jar(12, "salt", 2L))));
        }

        @Test
        void loadPlanConvertsSourceKeysToTheLinkColumnsTypeAndDropsKeysItCannotHold() {
            LoadPlan<Jar> plan = Statements.load(shelfJars, Query.from(shelfJars.target()));

            SqlStatement st = plan.statement(List.of(1L, 2, (short) 1, 5_000_000_000L));

            assertThat(st).isNotNull();
            assertThat(st.sql()).isEqualTo(plan.statement().sql());
            assertThat(st.binds().get(0).type()).isEqualTo(Integer[].class);
            assertThat(st.values()).containsExactly((Object) new Integer[] {1, 2});
            assertThat(plan.statement(List.of(5_000_000_000L))).as("no key can match").isNull();
            assertThat(plan.statement(List.of())).isNull();
        }
    }

    @Nested
    class ByteaKeys {
        final byte[] zeros = new byte[255];

        @Test
        void junctionAddUnnestsACastByteaArray() {
            SqlStatement st = AssociationPlanner.addJunction(memberGuilds, zeros,
                    AssociationPlanner.targetValues(memberGuilds, List.of(new byte[] {1, 2}, new byte[] {1, 2}, zeros)),
                    java.util.Map.of());

            assertThat(st.sql()).isEqualTo(q("INSERT INTO `Memberships` (`MemberId`, `GuildId`) SELECT $1, `u`.`k` "
                    + "FROM unnest($2::bytea[]) AS `u`(`k`) ON CONFLICT DO NOTHING"));
            assertThat(st.values()).containsExactly(zeros, "{\"\\\\x0102\",\"\\\\x" + "00".repeat(255) + "\"}");
            assertThat(st.binds().get(0).type()).isEqualTo(byte[].class);
        }

        @Test
        void junctionRemoveAndHasCompareWithACastByteaArray() {
            Object[] keys = AssociationPlanner.targetValues(memberGuilds, List.of(new byte[] {9}));

            SqlStatement remove = AssociationPlanner.removeJunction(memberGuilds, zeros, keys, false);
            SqlStatement has = AssociationPlanner.countLinked(memberGuilds, zeros, keys);

            assertThat(remove.sql()).isEqualTo(q("DELETE FROM `Memberships` WHERE `MemberId` = $1 AND `GuildId` = ANY($2::bytea[])"));
            assertThat(remove.values()).containsExactly(zeros, "{\"\\\\x09\"}");
            assertThat(has.sql()).isEqualTo(q("SELECT count(DISTINCT `t0`.`id`) FROM `Guilds` AS `t0` INNER JOIN "
                    + "`Memberships` AS `j0` ON `t0`.`id` = `j0`.`GuildId` WHERE `j0`.`MemberId` = $1 "
                    + "AND `t0`.`id` = ANY($2::bytea[])"));
        }

        @Test
        void lazyLoadAndSeparateIncludeCompareWithACastByteaArray() {
            LoadPlan<Guild> load = Statements.load(memberGuilds, Query.from(guilds));
            SelectPlan<Member> select = Statements.select(Query.from(members)
                    .include(memberGuilds, i -> i.strategy(Include.Strategy.SEPARATE)));

            assertThat(load.statement().sql()).endsWith(q("WHERE `j0`.`MemberId` = ANY($1::bytea[]) "
                    + "ORDER BY `j0`.`MemberId`, `t0`.`id`"));
            assertThat(load.statement(List.of(zeros, zeros.clone())).values())
                    .containsExactly("{\"\\\\x" + "00".repeat(255) + "\"}");
            assertThat(select.followUpTemplates().get(0).sql()).contains(q("WHERE `j1`.`MemberId` = ANY($1::bytea[])"));
        }

        @Test
        void aWhereInOnAByteaAttributeIsACastByteaArray() {
            SqlStatement st = Statements.select(Query.from(guilds).where(Where.in("id", List.of(new byte[] {1})))).statement();

            assertThat(st.sql()).isEqualTo(q("SELECT `t0`.`id` AS `c0`, `t0`.`name` AS `c1` FROM `Guilds` AS `t0` "
                    + "WHERE `t0`.`id` = ANY($1::bytea[])"));
            assertThat(st.values()).containsExactly("{\"\\\\x01\"}");
        }

        @Test
        void rowsOfOneByteaKeyedRootAreOneRootAndChildrenAreDeDuplicatedByContent() {
            // c0 t0.id, c1 t0.name, c2 t1.id, c3 t1.name (a generated junction has no attributes to read)
            SelectPlan<Member> plan = Statements.select(Query.from(members).include(memberGuilds));
            RowAssembler<Member> assembler = plan.assembler();
            List<Member> out = new ArrayList<>();
            for (RowSource r : List.of(row(new byte[] {1}, "m", new byte[] {7}, "g"), row(new byte[] {1}, "m", new byte[] {7}, "g"),
                    row(new byte[] {1}, "m", new byte[] {8}, "h"))) {
                Member done = assembler.push(r);
                if (done != null) {
                    out.add(done);
                }
            }
            Member last = assembler.finish();
            if (last != null) {
                out.add(last);
            }

            assertThat(out).hasSize(1);
            assertThat(out.get(0).guilds()).extracting(Guild::name).containsExactly("g", "h");
        }
    }
}
