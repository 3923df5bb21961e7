package io.relata.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.DataType;
import io.relata.ReferentialAction;
import io.relata.internal.sql.Condition.And;
import io.relata.internal.sql.Condition.AnyOf;
import io.relata.internal.sql.Condition.Compare;
import io.relata.internal.sql.Condition.Op;
import io.relata.internal.sql.Expr.Call;
import io.relata.internal.sql.Expr.Column;
import io.relata.internal.sql.Expr.Function;
import io.relata.internal.sql.Expr.Param;
import io.relata.internal.sql.FromItem.Join;
import io.relata.internal.sql.FromItem.JoinType;
import io.relata.internal.sql.FromItem.Table;
import io.relata.internal.sql.Statement.Select;
import io.relata.internal.sql.Statement.SelectItem;
import io.relata.sql.SqlStatement;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The renderer is the only code producing SQL text: every node kind, pinned as exact text and binds. */
class RendererTest {

    static String q(String sql) {
        return sql.replace('`', '"');
    }

    static Column col(String q, String c) {
        return new Column(q, c);
    }

    static Param p(Object v) {
        return Param.of(v, v.getClass());
    }

    @Nested
    class Selects {

        @Test
        void columnsAliasesJoinsWhereOrderAndWindow() {
            FromItem from = new Join(JoinType.LEFT, new Table("Teams", "t0"), new Table("Players", "t1"),
                    new Compare(col("t1", "TeamId"), Op.EQ, col("t0", "id")));
            Select s = Select.of(List.of(new SelectItem(col("t0", "id"), "c0"), new SelectItem(col("t1", "name"), "c1")),
                    from, new Compare(col("t0", "name"), Op.LIKE, p("L%")))
                    .orderBy(List.of(new OrderTerm(col("t0", "id"), false), new OrderTerm(col("t1", "id"), true)))
                    .window(p(10L), p(5L));

            SqlStatement st = Renderer.render(s);

            assertThat(st.sql()).isEqualTo(q("SELECT `t0`.`id` AS `c0`, `t1`.`name` AS `c1` FROM `Teams` AS `t0` "
                    + "LEFT OUTER JOIN `Players` AS `t1` ON `t1`.`TeamId` = `t0`.`id` WHERE `t0`.`name` LIKE $1 "
                    + "ORDER BY `t0`.`id`, `t1`.`id` DESC LIMIT $2 OFFSET $3"));
            assertThat(st.values()).containsExactly("L%", 10L, 5L);
        }

        @Test
        void aJoinOnTheRightIsOneParenthesisedJoinGroup() {
            FromItem group = new Join(JoinType.INNER, new Table("BookTags", "j1"), new Table("Tags", "t1"),
                    new Compare(col("t1", "id"), Op.EQ, col("j1", "TagId")));
            FromItem from = new Join(JoinType.LEFT, new Table("Books", "t0"), group,
                    new Compare(col("j1", "BookId"), Op.EQ, col("t0", "id")));

            assertThat(Renderer.render(Select.of(List.of(SelectItem.of(new Expr.Star())), from, null)).sql())
                    .isEqualTo(q("SELECT * FROM `Books` AS `t0` LEFT OUTER JOIN (`BookTags` AS `j1` INNER JOIN "
                            + "`Tags` AS `t1` ON `t1`.`id` = `j1`.`TagId`) ON `j1`.`BookId` = `t0`.`id`"));
        }

        @Test
        void lateralSubqueriesGroupingAndWindowFunctions() {
            Select inner = Select.of(List.of(SelectItem.of(new Expr.Star())), new Table("Books", "b"),
                    new Compare(col("b", "authorId"), Op.EQ, col("a", "id"))).window(p(3L), null);
            FromItem from = new Join(JoinType.LEFT, new Table("Authors", "a"), new FromItem.Derived(inner, "t1", true),
                    new Condition.Bool(true));
            Expr rank = new Expr.Over(Call.of(Function.ROW_NUMBER), List.of(col("b", "authorId")),
                    List.of(new OrderTerm(col("b", "title"), true)));
            Select s = Select.of(List.of(new SelectItem(rank, "rn"),
                            new SelectItem(new Call(Function.COUNT, List.of(col("t1", "id")), true), "n")), from, null)
                    .groupBy(List.of(col("a", "id")), new Compare(new Call(Function.COUNT, List.of(new Expr.Star()), false),
                            Op.GT, p(1L)));

            assertThat(Renderer.render(s).sql()).isEqualTo(q("SELECT row_number() OVER (PARTITION BY `b`.`authorId` "
                    + "ORDER BY `b`.`title` DESC) AS `rn`, count(DISTINCT `t1`.`id`) AS `n` FROM `Authors` AS `a` "
                    + "LEFT OUTER JOIN LATERAL (SELECT * FROM `Books` AS `b` WHERE `b`.`authorId` = `a`.`id` LIMIT $1) "
                    + "AS `t1` ON TRUE GROUP BY `a`.`id` HAVING count(*) > $2"));
        }

        @Test
        void groupedAndFlatConjunctionsOrNotExistsAndArrays() {
            Condition user = new And(List.of(new Compare(col("t", "a"), Op.EQ, p(1)),
                    new Condition.Or(List.of(new Condition.IsNull(col("t", "b"), false),
                            new Condition.Between(col("t", "c"), p(2), p(3))))), true);
            Select sub = Select.of(List.of(SelectItem.of(new Expr.Literal(1))), new Table("U", "u"),
                    new AnyOf(col("u", "id"), p(new Long[] {4L}), true));
            Condition where = And.all(List.of(new Compare(col("t", "k"), Op.EQ, p("k")), user,
                    new Condition.Not(Condition.Exists.of(sub)), new Condition.And(List.of(), true)));

            SqlStatement st = Renderer.render(Select.of(List.of(SelectItem.of(col("t", "k"))), new Table("T", "t"), where));

            assertThat(st.sql()).isEqualTo(q("SELECT `t`.`k` FROM `T` AS `t` WHERE `t`.`k` = $1 AND (`t`.`a` = $2 "
                    + "AND (`t`.`b` IS NULL OR `t`.`c` BETWEEN $3 AND $4)) AND NOT (EXISTS (SELECT 1 FROM `U` AS `u` "
                    + "WHERE `u`.`id` <> ALL($5))) AND TRUE"));
            assertThat(st.binds().get(4).type()).isEqualTo(Long[].class);
        }

        @Test
        void castsUnnestAndSlots() {
            Param keys = new Param(new Long[] {1L}, Long[].class, "keys");
            Select s = Select.of(List.of(new SelectItem(new Expr.Cast(col("t", "doc"), DataType.jsonb(), false), null),
                            SelectItem.of(new Expr.Cast(Param.of(null, byte[][].class), DataType.bytea(), true))),
                    new FromItem.Function(Call.of(Function.UNNEST, keys), "u", List.of("k")), null);

            Renderer.Rendered r = Renderer.renderWithSlots(s, Dialect.POSTGRESQL);

            assertThat(r.statement().sql()).isEqualTo(q("SELECT `t`.`doc`::jsonb, $1::bytea[] FROM unnest($2) AS `u`(`k`)"));
            assertThat(r.slot("keys")).isEqualTo(1);
            assertThatThrownBy(() -> r.slot("other")).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void identifiersAreQuotedWithEmbeddedQuotesDoubled() {
            assertThat(Renderer.render(Select.of(List.of(SelectItem.of(col("a\"b", "c"))), new Table("we\"ird", null),
                    null)).sql()).isEqualTo("SELECT \"a\"\"b\".\"c\" FROM \"we\"\"ird\"");
            assertThatThrownBy(() -> Renderer.quote("nul\0")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Writes {

        @Test
        void insertValuesOnConflictReturning() {
            Statement.Insert s = new Statement.Insert("Players", List.of("name", "createdAt"),
                    List.of(List.of(p("a"), Call.of(Function.NOW)), List.of(new Expr.Default(), Call.of(Function.NOW))),
                    null, new Statement.OnConflict(List.of("name"), List.of(new Statement.Assignment("createdAt",
                            new Expr.Excluded("createdAt")))), List.of(SelectItem.of(col(null, "id"))));

            assertThat(Renderer.render(s).sql()).isEqualTo(q("INSERT INTO `Players` (`name`, `createdAt`) VALUES "
                    + "($1, now()), (DEFAULT, now()) ON CONFLICT (`name`) DO UPDATE SET `createdAt` = "
                    + "EXCLUDED.`createdAt` RETURNING `id`"));
        }

        @Test
        void arithmeticAddsAndSubtractsWithBindsInTextOrder() {
            Statement.Update s = new Statement.Update("Accounts", null, List.of(
                    new Statement.Assignment("balance", new Expr.Arithmetic(col(null, "balance"), Expr.ArithmeticOp.MINUS,
                            p(5))),
                    new Statement.Assignment("version", new Expr.Arithmetic(col("Accounts", "version"),
                            Expr.ArithmeticOp.PLUS, new Expr.Literal(1)))),
                    new Compare(col(null, "id"), Op.EQ, p(9L)), List.of());

            SqlStatement st = Renderer.render(s);
            assertThat(st.sql()).isEqualTo(q("UPDATE `Accounts` SET `balance` = `balance` - $1, `version` ="
                    + " `Accounts`.`version` + 1 WHERE `id` = $2"));
            assertThat(st.values()).containsExactly(5, 9L);
        }

        @Test
        void insertSelectFromUnnestDoNothing() {
            Select rows = Select.of(List.of(SelectItem.of(p(5L)), SelectItem.of(col("u", "k"))),
                    new FromItem.Function(Call.of(Function.UNNEST, p(new Long[] {1L, 2L})), "u", List.of("k")), null);
            Statement.Insert s = new Statement.Insert("FooBars", List.of("FooId", "BarId"), List.of(), rows,
                    new Statement.OnConflict(List.of(), List.of()), List.of());

            assertThat(Renderer.render(s).sql()).isEqualTo(q("INSERT INTO `FooBars` (`FooId`, `BarId`) SELECT $1, "
                    + "`u`.`k` FROM unnest($2) AS `u`(`k`) ON CONFLICT DO NOTHING"));
        }

        @Test
        void updateDeleteAndWith() {
            Statement.Update update = new Statement.Update("Players", "t0", List.of(
                    new Statement.Assignment("TeamId", Param.of(null, Long.class))),
                    new Compare(col("t0", "TeamId"), Op.EQ, p(5L)), List.of(SelectItem.of(new Expr.Literal(1))));
            Statement.Delete delete = new Statement.Delete("Players", null, null, List.of());

            assertThat(Renderer.render(new Statement.With("updated", update, delete)).sql()).isEqualTo(q(
                    "WITH `updated` AS (UPDATE `Players` AS `t0` SET `TeamId` = $1 WHERE `t0`.`TeamId` = $2 RETURNING 1) "
                            + "DELETE FROM `Players`"));
        }

        @Test
        void cursors() {
            Select query = Select.of(List.of(SelectItem.of(col("t0", "id"))), new Table("A", "t0"),
                    new Compare(col("t0", "id"), Op.GT, p(1L)));

            SqlStatement declare = Renderer.render(new Statement.DeclareCursor("relata_cursor_1", query));

            assertThat(declare.sql()).isEqualTo(q("DECLARE `relata_cursor_1` NO SCROLL CURSOR FOR SELECT `t0`.`id` "
                    + "FROM `A` AS `t0` WHERE `t0`.`id` > $1"));
            assertThat(declare.values()).containsExactly(1L);
            assertThat(Renderer.render(new Statement.Fetch(256, "c")).sql()).isEqualTo(q("FETCH FORWARD 256 FROM `c`"));
            assertThat(Renderer.render(new Statement.CloseCursor("c")).sql()).isEqualTo(q("CLOSE `c`"));
        }
    }

    @Nested
    class CompositeKeys {

        @Test
        void aCompositeKeyAmongAlignedArraysIsATupleInUnnestWhoseTextIgnoresTheKeyCount() {
            Condition in = new Condition.InUnnest(List.of(new Column("t0", "a"), new Column("t0", "b")),
                    List.of(Param.of(new Integer[] {1, 2, 3}, Integer[].class), Param.of(new String[] {"x", "y", "z"},
                            String[].class)), false);
            SqlStatement st = Renderer.render(Select.of(List.of(SelectItem.of(new Column("t0", "a"))),
                    new Table("T", "t0"), in));

            assertThat(st.sql()).isEqualTo(q("SELECT `t0`.`a` FROM `T` AS `t0` WHERE (`t0`.`a`, `t0`.`b`) IN "
                    + "(SELECT * FROM unnest($1, $2))"));
            assertThat(st.binds()).hasSize(2);
            assertThat(Renderer.render(Select.of(List.of(SelectItem.of(new Column("t0", "a"))), new Table("T", "t0"),
                    new Condition.InUnnest(((Condition.InUnnest) in).columns(), List.of(Param.of(new Integer[0], Integer[].class),
                            Param.of(new String[0], String[].class)), true))).sql())
                    .isEqualTo(q("SELECT `t0`.`a` FROM `T` AS `t0` WHERE (`t0`.`a`, `t0`.`b`) NOT IN (SELECT * FROM "
                            + "unnest($1, $2))"));
        }

        @Test
        void aCompositeKeyInPairsTwoOrMoreColumnsWithAsManyArrays() {
            assertThatThrownBy(() -> new Condition.InUnnest(List.of(new Column(null, "a")),
                    List.of(Param.of(new Integer[0], Integer[].class)), false)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Ddl {

        @Test
        void createTableWithSerialDefaultsReferencesAndUniques() {
            Statement.CreateTable t = new Statement.CreateTable("Ships", List.of(
                    new Statement.ColumnDef("id", DataType.bigint(), true, false, false, null, null),
                    new Statement.ColumnDef("name", DataType.string(), false, true, true, new Expr.Literal("it's"), null),
                    new Statement.ColumnDef("captainId", DataType.bigint(), false, false, false, null,
                            new Statement.References("captains", "id", ReferentialAction.SET_NULL,
                                    ReferentialAction.CASCADE))),
                    List.of("id"), List.of(new Statement.UniqueConstraint("Ships_name_captainId", List.of("name",
                    "captainId"))));

            assertThat(Renderer.render(t).sql()).isEqualTo(q("CREATE TABLE IF NOT EXISTS `Ships` (`id` BIGSERIAL, "
                    + "`name` VARCHAR(255) NOT NULL UNIQUE DEFAULT 'it''s', `captainId` BIGINT REFERENCES `captains` "
                    + "(`id`) ON DELETE SET NULL ON UPDATE CASCADE, PRIMARY KEY (`id`), CONSTRAINT "
                    + "`Ships_name_captainId` UNIQUE (`name`, `captainId`))"));
            assertThat(Renderer.render(t).binds()).isEmpty();
        }

        @Test
        void multiColumnForeignKeysFollowTheUniquesAsTableConstraints() {
            Statement.CreateTable t = new Statement.CreateTable("Pets", List.of(
                    new Statement.ColumnDef("id", DataType.bigint(), true, false, false, null, null),
                    new Statement.ColumnDef("ownerCode", DataType.integer(), false, false, false, null, null),
                    new Statement.ColumnDef("ownerRegion", DataType.string(), false, false, false, null, null)),
                    List.of("id"), List.of(), List.of(new Statement.ForeignKey(List.of("ownerCode", "ownerRegion"),
                    "Owners", List.of("code", "region"), ReferentialAction.SET_NULL, ReferentialAction.CASCADE)));

            assertThat(Renderer.render(t).sql()).isEqualTo(q("CREATE TABLE IF NOT EXISTS `Pets` (`id` BIGSERIAL, "
                    + "`ownerCode` INTEGER, `ownerRegion` VARCHAR(255), PRIMARY KEY (`id`), FOREIGN KEY (`ownerCode`, "
                    + "`ownerRegion`) REFERENCES `Owners` (`code`, `region`) ON DELETE SET NULL ON UPDATE CASCADE)"));
        }

        @Test
        void onlyIntegerTypesCanBeSerial() {
            Statement.CreateTable t = new Statement.CreateTable("X", List.of(
                    new Statement.ColumnDef("id", DataType.uuid(), true, false, false, null, null)), List.of("id"), List.of());

            assertThatThrownBy(() -> Renderer.render(t)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("UUID");
        }

        @Test
        void idempotentForeignKeyAndDropTable() {
            assertThat(Renderer.render(new Statement.AddForeignKey("a", "a_bId_fkey", "bId", new Statement.References(
                    "b", "id", ReferentialAction.CASCADE, ReferentialAction.NO_ACTION))).sql()).isEqualTo(q(
                    "DO $relata$ BEGIN ALTER TABLE `a` ADD CONSTRAINT `a_bId_fkey` FOREIGN KEY (`bId`) REFERENCES `b` "
                            + "(`id`) ON DELETE CASCADE ON UPDATE NO ACTION; EXCEPTION WHEN duplicate_object THEN NULL; "
                            + "END $relata$"));
            assertThat(Renderer.render(new Statement.DropTable("a", true)).sql()).isEqualTo(q("DROP TABLE IF EXISTS `a` CASCADE"));
        }
    }

    /** The differences between dialects, pinned; everything not listed here renders as for PostgreSQL. */
    @Nested
    class Dialects {
        private final Statement.CreateTable keyed = new Statement.CreateTable("Ships", List.of(
                new Statement.ColumnDef("id", DataType.bigint(), true, false, false, null, null),
                new Statement.ColumnDef("rank", DataType.integer(), true, false, false, null, null),
                new Statement.ColumnDef("name", DataType.string(), false, true, false, null, null)),
                List.of("id"), List.of());
        private final Statement.AddForeignKey cycle = new Statement.AddForeignKey("a", "a_bId_fkey", "bId",
                new Statement.References("b", "id", ReferentialAction.CASCADE, ReferentialAction.NO_ACTION));

        @Test
        void cockroachGeneratesKeysWithIdentityColumnsOfTheDeclaredWidth() {
            assertThat(Renderer.render(keyed, Dialect.COCKROACHDB).sql()).isEqualTo(q("CREATE TABLE IF NOT EXISTS `Ships` ("
                    + "`id` BIGINT GENERATED BY DEFAULT AS IDENTITY, `rank` INTEGER GENERATED BY DEFAULT AS IDENTITY, "
                    + "`name` VARCHAR(255) NOT NULL, PRIMARY KEY (`id`))"));
        }

        @Test
        void postgresYugabyteAndCitusUseSerial() {
            String expected = q("CREATE TABLE IF NOT EXISTS `Ships` (`id` BIGSERIAL, `rank` SERIAL, "
                    + "`name` VARCHAR(255) NOT NULL, PRIMARY KEY (`id`))");
            for (Dialect d : List.of(Dialect.POSTGRESQL, Dialect.YUGABYTEDB, Dialect.CITUS)) {
                assertThat(Renderer.render(keyed, d).sql()).as(d.name()).isEqualTo(expected);
            }
        }

        @Test
        void cockroachCannotAddACycleClosingForeignKeyWithADoBlock() {
            assertThatThrownBy(() -> Renderer.render(cycle, Dialect.COCKROACHDB))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("COCKROACHDB").hasMessageContaining("DO blocks")
                    .hasMessageContaining("a_bId_fkey");
            for (Dialect d : List.of(Dialect.POSTGRESQL, Dialect.YUGABYTEDB, Dialect.CITUS)) {
                assertThat(Renderer.render(cycle, d).sql()).as(d.name()).startsWith("DO $relata$ BEGIN ALTER TABLE");
            }
        }

        @Test
        void queriesCursorsAndSettingsRenderTheSameForEveryDialect() {
            Select select = Select.of(List.of(SelectItem.of(col("t0", "id"))), new Table("Ships", "t0"),
                    new AnyOf(col("t0", "id"), new Param(new Long[] {1L, 2L}, Long[].class, null), false));
            List<Statement> shapes = List.of(select, new Statement.DeclareCursor("c", select), new Statement.Fetch(256, "c"),
                    new Statement.SetLocal("statement_timeout", new Param("5000", String.class, null), true));
            for (Statement s : shapes) {
                String postgres = Renderer.render(s).sql();
                for (Dialect d : Dialect.values()) {
                    assertThat(Renderer.render(s, d).sql()).as(d + ": " + postgres).isEqualTo(postgres);
                }
            }
        }
    }

    @Nested
    class Descriptions {

        @Test
        void everyStatementSaysWhatItDoesAndWhichTableItIsAbout() {
            Select sub = Select.of(List.of(SelectItem.of(col(null, "id"))), new Table("Teams", null), null);
            Select outer = Select.of(List.of(SelectItem.of(col("t0", "id"))), new FromItem.Derived(sub, "t0", false), null);
            Statement.Update update = new Statement.Update("Ships", null, List.of(new Statement.Assignment("a", p(1))),
                    null, List.of());
            Statement.Delete delete = new Statement.Delete("ActorMovies", null, null, List.of());

            assertThat(describe(outer)).containsExactly("select", "Teams");
            assertThat(describe(new Statement.Insert("Movie\"s", List.of("a"), List.of(List.of(p(1))), null, null,
                    List.of()))).containsExactly("insert", "Movie\"s");
            assertThat(describe(update)).containsExactly("update", "Ships");
            assertThat(describe(new Statement.With("u", update, delete))).containsExactly("delete", "ActorMovies");
            assertThat(describe(new Statement.DeclareCursor("c", sub))).containsExactly("cursor", "Teams");
            assertThat(describe(new Statement.Fetch(256, "c"))).containsExactly("cursor", null);
            assertThat(describe(new Statement.DropTable("Teams", true))).containsExactly("ddl", "Teams");
            assertThat(describe(new Statement.Savepoint(Statement.Savepoint.Action.CREATE, "s")))
                    .containsExactly("transaction", null);
        }

        private static List<@Nullable String> describe(Statement s) {
            SqlStatement st = Renderer.render(s);
            return Arrays.asList(st.operation(), st.table());
        }
    }

    @Nested
    class Laterals {

        @Test
        void aLateralOfAllColumnsOfOneAliasJoinedOnTrue() {
            Select window = Select.of(List.of(SelectItem.of(new Expr.AllColumns("t1"))), new Table("Tasks", "t1"),
                    new Compare(col("t1", "userId"), Op.EQ, col("t0", "id")))
                    .orderBy(List.of(new OrderTerm(col("t1", "title"), false))).window(p(2L), p(1L));
            FromItem from = new Join(JoinType.LEFT, new Table("Users", "t0"), new FromItem.Derived(window, "t1", true),
                    new Condition.Bool(true));

            SqlStatement st = Renderer.render(Select.of(List.of(SelectItem.of(col("t1", "title"))), from, null));

            assertThat(st.sql()).isEqualTo(q("SELECT `t1`.`title` FROM `Users` AS `t0` LEFT OUTER JOIN LATERAL "
                    + "(SELECT `t1`.* FROM `Tasks` AS `t1` WHERE `t1`.`userId` = `t0`.`id` ORDER BY `t1`.`title` "
                    + "LIMIT $1 OFFSET $2) AS `t1` ON TRUE"));
            assertThat(st.values()).containsExactly(2L, 1L);
        }

        @Test
        void anUnnestOfKeysWithALateralPerKey() {
            Select window = Select.of(List.of(SelectItem.of(new Expr.AllColumns("t1"))), new Table("Tasks", "t1"),
                    new Compare(col("t1", "userId"), Op.EQ, col("p", "k"))).window(p(3L), null);
            FromItem keys = new FromItem.Function(new Call(Function.UNNEST, List.of(p(new Long[] {1L, 2L})), false),
                    "p", List.of("k"));
            FromItem from = new Join(JoinType.INNER, keys, new FromItem.Derived(window, "t1", true),
                    new Condition.Bool(true));

            SqlStatement st = Renderer.render(Select.of(List.of(SelectItem.of(col("p", "k"))), from, null));

            assertThat(st.sql()).isEqualTo(q("SELECT `p`.`k` FROM unnest($1) AS `p`(`k`) INNER JOIN LATERAL "
                    + "(SELECT `t1`.* FROM `Tasks` AS `t1` WHERE `t1`.`userId` = `p`.`k` LIMIT $2) AS `t1` ON TRUE"));
        }
    }
}
