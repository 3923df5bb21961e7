package io.relata.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.Attribute;
import io.relata.BelongsTo;
import io.relata.BelongsToMany;
import io.relata.CompositeReference;
import io.relata.HasMany;
import io.relata.HasOne;
import io.relata.Model;
import io.relata.ModelDefinitionException;
import io.relata.QueryDefinitionException;
import io.relata.ReferentialAction;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.internal.sql.Renderer;
import io.relata.internal.sql.Statement;
import io.relata.plan.Associations;
import io.relata.plan.Ddl;
import io.relata.plan.Statements;
import io.relata.query.Include;
import io.relata.query.Query;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Keys of every shape (issue 14 item 6): a composite primary key {@code (code, region)} referenced by every kind,
 * pinned as SQL and binds — DDL (one {@code FOREIGN KEY (a, b)} table constraint per composite reference),
 * joins ON the AND of the pairs, lazy and SEPARATE loads keyed by {@code (a, b) IN (SELECT * FROM unnest($1,
 * $2))} whose text does not depend on the number of keys, junction and foreign-key writes, and the key checks
 * made before any SQL. Expected SQL is written with backticks for double quotes.
 */
class CompositeKeysTest {
    record Owner(Integer code, String region, String name, Pet pet, List<Toy> toys, List<Club> clubs) {}
    record Pet(Long id, String name, Integer ownerCode, String ownerRegion, Owner owner) {}
    record Toy(Long id, String name, Integer ownerCode, String ownerRegion) {}
    record Club(Long code, UUID region, String name, List<Owner> owners) {}

    static final Schema schema;
    static final Model<Owner> owners;
    static final Model<Pet> pets;
    static final Model<Club> clubs;
    static final HasOne<Owner, Pet> ownerPet;
    static final BelongsTo<Pet, Owner> petOwner;
    static final HasMany<Owner, Toy> ownerToys;
    static final BelongsToMany<Owner, Club> ownerClubs;

    static {
        SchemaBuilder s = Schema.builder().timestamps(false);
        owners = s.define(Owner.class, m -> m.primaryKey("code", "region"));
        pets = s.define(Pet.class);
        Model<Toy> toys = s.define(Toy.class);
        clubs = s.define(Club.class, m -> m.primaryKey("code", "region"));
        ownerPet = owners.hasOne(pets);
        petOwner = pets.belongsTo(owners);
        ownerToys = owners.hasMany(toys);
        ownerClubs = owners.belongsToMany(clubs, o -> o.through("OwnerClubs"));
        schema = s.build();
    }

    static final UUID U1 = new UUID(0, 1);
    static final UUID U2 = new UUID(0, 2);
    static final String OWNER = "`t0`.`code` AS `c0`, `t0`.`region` AS `c1`, `t0`.`name` AS `c2`";

    static String q(String sql) {
        return sql.replace('`', '"');
    }

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
    class Inference {
        @Test
        void everyKindGetsOneForeignKeyColumnPerKeyPartNamedAfterThePart() {
            assertThat(ownerPet.foreignKeys()).extracting(Attribute::name).containsExactly("ownerCode", "ownerRegion");
            assertThat(petOwner.foreignKeys()).isEqualTo(ownerPet.foreignKeys());
            assertThat(petOwner.targetKeys()).extracting(Attribute::name).containsExactly("code", "region");
            assertThat(ownerToys.sourceKeys()).extracting(Attribute::name).containsExactly("code", "region");
            assertThat(ownerClubs.foreignKeys()).extracting(Attribute::name).containsExactly("OwnerCode", "OwnerRegion");
            assertThat(ownerClubs.otherKeys()).extracting(Attribute::name).containsExactly("ClubCode", "ClubRegion");
            assertThat(ownerClubs.composite()).isTrue();
            assertThat(pets.compositeReferences()).containsExactly(new CompositeReference(List.of("ownerCode",
                    "ownerRegion"), "Owners", List.of("code", "region"), ReferentialAction.SET_NULL,
                    ReferentialAction.CASCADE));
            assertThat(pets.requireAttribute("ownerCode").reference()).as("a part alone references nothing").isNull();
        }

        @Test
        void theSingleColumnAccessorsRefuseACompositeKeyAndNameIt() {
            assertThatThrownBy(ownerToys::foreignKey).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("[ownerCode, ownerRegion]");
            assertThatThrownBy(owners::primaryKey).isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContaining("[code, region]");
            assertThat(owners.primaryKeys()).extracting(Attribute::name).containsExactly("code", "region");
            assertThat(owners.primaryKeys()).noneMatch(Attribute::autoIncrement);
        }

        record Keeper(Integer code, String region, String name) {}

        record Pen(Long id, String label, Integer ownerCode, String ownerRegion, Integer keeperA, String keeperB) {}

        @Test
        void explicitCompositeForeignKeysAndTheirMistakes() {
            SchemaBuilder s = Schema.builder().timestamps(false);
            Model<Keeper> o = s.define(Keeper.class, m -> m.primaryKey("code", "region"));
            Model<Pen> p = s.define(Pen.class);
            BelongsTo<Pen, Keeper> keeper = p.belongsTo(o, x -> x.as("keeper").foreignKey("keeperA", "keeperB"));
            s.build();
            assertThat(keeper.foreignKeys()).extracting(Attribute::name).containsExactly("keeperA", "keeperB");

            SchemaBuilder arity = Schema.builder().timestamps(false);
            Model<Keeper> o2 = arity.define(Keeper.class, m -> m.primaryKey("code", "region"));
            arity.define(Pen.class).belongsTo(o2, x -> x.foreignKey("keeperA", "keeperB", "label"));
            assertThatThrownBy(arity::build).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContaining("has 3 columns but the referenced key [code, region] has 2");

            SchemaBuilder single = Schema.builder().timestamps(false);
            Model<Keeper> o3 = single.define(Keeper.class, m -> m.primaryKey("code", "region"));
            single.define(Pen.class).belongsTo(o3, x -> x.foreignKey("keeperA"));
            assertThatThrownBy(single::build).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContaining("is composite").hasMessageContaining("foreignKey(\"KeeperCode\", \"KeeperRegion\")");

            SchemaBuilder notUnique = Schema.builder().timestamps(false);
            Model<Keeper> o4 = notUnique.define(Keeper.class, m -> m.primaryKey("code", "region"));
            notUnique.define(Pen.class).belongsTo(o4, x -> x.targetKey("code", "name").foreignKey("keeperA", "keeperB"));
            assertThatThrownBy(notUnique::build).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContaining("[code, name]").hasMessageContaining("nor a unique key");

            SchemaBuilder unique = Schema.builder().timestamps(false);
            Model<Keeper> o5 = unique.define(Keeper.class, m -> m.primaryKey("code", "region").unique("owner_name", "code", "name"));
            BelongsTo<Pen, Keeper> byName = unique.define(Pen.class).belongsTo(o5,
                    x -> x.targetKey("code", "name").foreignKey("keeperA", "keeperB"));
            unique.build();
            assertThat(byName.targetKeys()).extracting(Attribute::name).containsExactly("code", "name");
        }
    }

    @Nested
    class Ddl_ {
        @Test
        void aCompositeReferenceIsOneTableConstraintAndAGeneratedJunctionKeysAllFourColumns() {
            List<String> ddl = Ddl.createTables(schema).stream().map(SqlStatement::sql).toList();
            assertThat(ddl).contains(q("CREATE TABLE IF NOT EXISTS `Owners` (`code` INTEGER NOT NULL, `region` VARCHAR(255)"
                    + " NOT NULL, `name` VARCHAR(255), PRIMARY KEY (`code`, `region`))").replace(" NOT NULL", ""));
            assertThat(ddl).contains(q("CREATE TABLE IF NOT EXISTS `Pets` (`id` BIGSERIAL, `name` VARCHAR(255), "
                    + "`ownerCode` INTEGER, `ownerRegion` VARCHAR(255), PRIMARY KEY (`id`), FOREIGN KEY (`ownerCode`, "
                    + "`ownerRegion`) REFERENCES `Owners` (`code`, `region`) ON DELETE SET NULL ON UPDATE CASCADE)"));
            assertThat(ddl).contains(q("CREATE TABLE IF NOT EXISTS `OwnerClubs` (`OwnerCode` INTEGER, `OwnerRegion` "
                    + "VARCHAR(255), `ClubCode` BIGINT, `ClubRegion` UUID, PRIMARY KEY (`OwnerCode`, `OwnerRegion`, "
                    + "`ClubCode`, `ClubRegion`), FOREIGN KEY (`OwnerCode`, `OwnerRegion`) REFERENCES `Owners` (`code`, "
                    + "`region`) ON DELETE CASCADE ON UPDATE CASCADE, FOREIGN KEY (`ClubCode`, `ClubRegion`) REFERENCES "
                    + "`Clubs` (`code`, `region`) ON DELETE CASCADE ON UPDATE CASCADE)"));
            assertThat(ddl.indexOf(q("CREATE TABLE IF NOT EXISTS `Owners` (`code` INTEGER, `region` VARCHAR(255), "
                    + "`name` VARCHAR(255), PRIMARY KEY (`code`, `region`))")))
                    .as("referenced tables first").isLessThan(ddl.indexOf(ddl.stream().filter(t -> t.contains("\"Pets\""))
                            .findFirst().orElseThrow()));
        }

        @Test
        void aCompositeForeignKeyAddedLaterIsOneIdempotentConstraint() {
            SqlStatement st = Renderer.render(new Statement.AddForeignKey("Pets", "Pets_ownerCode_ownerRegion_fkey",
                    new Statement.ForeignKey(List.of("ownerCode", "ownerRegion"), "Owners", List.of("code", "region"),
                            ReferentialAction.SET_NULL, ReferentialAction.CASCADE)));
            assertThat(st.sql()).isEqualTo(q("DO $relata$ BEGIN ALTER TABLE `Pets` ADD CONSTRAINT "
                    + "`Pets_ownerCode_ownerRegion_fkey` FOREIGN KEY (`ownerCode`, `ownerRegion`) REFERENCES `Owners` "
                    + "(`code`, `region`) ON DELETE SET NULL ON UPDATE CASCADE; EXCEPTION WHEN duplicate_object THEN NULL;"
                    + " END $relata$"));
        }
    }

    @Nested
    class Joins {
        @Test
        void everyKindJoinsOnTheAndOfItsKeyPairs() {
            SelectPlan<Owner> plan = Statements.select(Query.from(owners).include(ownerPet).include(ownerToys)
                    .include(ownerClubs));
            assertThat(plan.statement().sql()).isEqualTo(q("SELECT " + OWNER + ", `t1`.`id` AS `c3`, `t1`.`name` AS "
                    + "`c4`, `t1`.`ownerCode` AS `c5`, `t1`.`ownerRegion` AS `c6`, `t2`.`id` AS `c7`, `t2`.`name` AS `c8`,"
                    + " `t2`.`ownerCode` AS `c9`, `t2`.`ownerRegion` AS `c10`, `t3`.`code` AS `c11`, `t3`.`region` AS "
                    + "`c12`, `t3`.`name` AS `c13` FROM `Owners` AS `t0` LEFT OUTER JOIN `Pets` AS `t1` ON `t1`.`ownerCode`"
                    + " = `t0`.`code` AND `t1`.`ownerRegion` = `t0`.`region` LEFT OUTER JOIN `Toys` AS `t2` ON "
                    + "`t2`.`ownerCode` = `t0`.`code` AND `t2`.`ownerRegion` = `t0`.`region` LEFT OUTER JOIN "
                    + "(`OwnerClubs` AS `j3` INNER JOIN `Clubs` AS `t3` ON `t3`.`code` = `j3`.`ClubCode` AND "
                    + "`t3`.`region` = `j3`.`ClubRegion`) ON `j3`.`OwnerCode` = `t0`.`code` AND `j3`.`OwnerRegion` = "
                    + "`t0`.`region` ORDER BY `t0`.`code`, `t0`.`region`, `t2`.`id`, `t3`.`code`, `t3`.`region`"));
            assertThat(Statements.select(Query.from(pets).include(petOwner)).statement().sql()).contains(q(
                    "LEFT OUTER JOIN `Owners` AS `t1` ON `t1`.`code` = `t0`.`ownerCode` AND `t1`.`region` = "
                            + "`t0`.`ownerRegion`"));
        }

        @Test
        void aSeparateIncludeIsKeyedByEveryPartAndAttachesByTheWholeKey() {
            SelectPlan<Owner> plan = Statements.select(Query.from(owners)
                    .include(ownerToys, i -> i.strategy(Include.Strategy.SEPARATE)));
            SqlStatement template = plan.followUpTemplates().get(0);
            assertThat(template.sql()).isEqualTo(q("SELECT `t1`.`ownerCode` AS `c0`, `t1`.`ownerRegion` AS `c1`, "
                    + "`t1`.`id` AS `c2`, `t1`.`name` AS `c3`, `t1`.`ownerCode` AS `c4`, `t1`.`ownerRegion` AS `c5` FROM "
                    + "`Toys` AS `t1` WHERE (`t1`.`ownerCode`, `t1`.`ownerRegion`) IN (SELECT * FROM unnest($1, $2)) "
                    + "ORDER BY `t1`.`ownerCode`, `t1`.`ownerRegion`, `t1`.`id`"));
            Assembly<Owner> assembly = plan.assembly();
            assembly.push(row(1, "a", "o1"));
            assembly.push(row(1, "b", "o2"));
            assembly.push(row(2, "a", "o3"));
            assembly.endWindow(true);
            FollowUp followUp = assembly.nextFollowUp();
            assertThat(followUp).isNotNull();
            SqlStatement st = followUp.statement();
            assertThat(st.sql()).isEqualTo(template.sql());
            assertThat(st.values()).containsExactly(new Integer[] {1, 1, 2}, new String[] {"a", "b", "a"});
            followUp.accept(row(1, "b", 10L, "t10", 1, "b"));
            followUp.accept(row(2, "a", 11L, "t11", 2, "a"));
            followUp.complete();
            assertThat(assembly.take()).extracting(o -> o.name() + o.toys().stream().map(Toy::name).toList())
                    .containsExactly("o1[]", "o2[t10]", "o3[t11]");
        }
    }

    @Nested
    class LazyLoads {
        @Test
        void theKeysAreAlignedArraysOneStatementForAnyNumberDeduplicatedAsWholeKeys() {
            LoadPlan<Toy> plan = Statements.load(ownerToys, Query.from(ownerToys.target()));
            String sql = q("SELECT `t0`.`ownerCode` AS `c0`, `t0`.`ownerRegion` AS `c1`, `t0`.`id` AS `c2`, `t0`.`name`"
                    + " AS `c3`, `t0`.`ownerCode` AS `c4`, `t0`.`ownerRegion` AS `c5` FROM `Toys` AS `t0` WHERE "
                    + "(`t0`.`ownerCode`, `t0`.`ownerRegion`) IN (SELECT * FROM unnest($1, $2)) ORDER BY `t0`.`ownerCode`,"
                    + " `t0`.`ownerRegion`, `t0`.`id`");
            assertThat(plan.statement().sql()).isEqualTo(sql);
            SqlStatement one = plan.statement(List.of(List.of(1, "a")));
            SqlStatement many = plan.statement(List.of(List.of(1, "a"), List.of(1L, "b"), List.of((short) 1, "a"),
                    List.of(5_000_000_000L, "a")));
            assertThat(one.sql()).isEqualTo(sql);
            assertThat(many.sql()).as("the text does not depend on the number of keys").isEqualTo(sql);
            assertThat(many.values()).as("(1, a) once; a key a column cannot hold matches nothing and is left out")
                    .containsExactly(new Integer[] {1, 1}, new String[] {"a", "b"});
            assertThat(plan.statement(List.of(List.of(5_000_000_000L, "a")))).isNull();
            assertThat(plan.canonicalKey(List.of((short) 1, "a"))).isEqualTo(plan.canonicalKey(List.of(1L, "a")));
            assertThatThrownBy(() -> plan.statement(List.of(List.of(1)))).isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContaining("List of 2 parts");
        }

        @Test
        void aBelongsToLoadIsKeyedByTheSourcesPrimaryKeyThroughTheStoredCompositeForeignKey() {
            LoadPlan<Owner> plan = Statements.load(petOwner, Query.from(owners));
            assertThat(plan.statement().sql()).isEqualTo(q("SELECT `s0`.`id` AS `c0`, `t0`.`code` AS `c1`, "
                    + "`t0`.`region` AS `c2`, `t0`.`name` AS `c3` FROM `Owners` AS `t0` INNER JOIN `Pets` AS `s0` ON "
                    + "`s0`.`ownerCode` = `t0`.`code` AND `s0`.`ownerRegion` = `t0`.`region` WHERE `s0`.`id` = ANY($1) "
                    + "ORDER BY `s0`.`id`, `t0`.`code`, `t0`.`region`"));
            assertThat(Associations.loadValue(petOwner, new Pet(3L, "p", 1, "a", null))).isEqualTo(3L);
            assertThat(Associations.loadValue(ownerToys, new Owner(1, "a", "o", null, null, null))).isEqualTo(List.of(1, "a"));
        }

        @Test
        void aWindowedJunctionLoadRanksPerCompositeSource() {
            LoadPlan<Club> plan = Statements.load(ownerClubs, Query.from(clubs).limit(2));
            assertThat(plan.statement().sql()).isEqualTo(q("SELECT `w`.`c0`, `w`.`c1`, `w`.`c2`, `w`.`c3`, `w`.`c4` FROM "
                    + "(SELECT `j0`.`OwnerCode` AS `c0`, `j0`.`OwnerRegion` AS `c1`, `t0`.`code` AS `c2`, `t0`.`region` AS"
                    + " `c3`, `t0`.`name` AS `c4`, dense_rank() OVER (PARTITION BY `j0`.`OwnerCode`, `j0`.`OwnerRegion` "
                    + "ORDER BY `t0`.`code`, `t0`.`region`) AS `r` FROM `Clubs` AS `t0` INNER JOIN `OwnerClubs` AS `j0` ON "
                    + "`t0`.`code` = `j0`.`ClubCode` AND `t0`.`region` = `j0`.`ClubRegion` WHERE (`j0`.`OwnerCode`, "
                    + "`j0`.`OwnerRegion`) IN (SELECT * FROM unnest($1, $2))) AS `w` WHERE `w`.`r` <= $3 ORDER BY "
                    + "`w`.`c0`, `w`.`c1`, `w`.`r`"));
        }
    }

    @Nested
    class JunctionWrites {
        final Object source = List.of(1, "a");
        final Object[] keys = Associations.targetValues(ownerClubs, List.of(List.of(5L, U1), List.of(6, U2),
                new Club(5L, U1, "dup", null)));

        @Test
        void targetsAreDistinctWholeKeysCheckedPartByPart() {
            assertThat(keys).containsExactly(List.of(5L, U1), List.of(6L, U2));
            assertThatThrownBy(() -> Associations.targetValues(ownerClubs, List.of(5L)))
                    .isInstanceOf(QueryDefinitionException.class).hasMessageContaining("[code, region] as a List of 2 parts");
            assertThatThrownBy(() -> Associations.targetValues(ownerClubs, List.of(List.of(5L, "not a uuid"))))
                    .isInstanceOf(QueryDefinitionException.class).hasMessageContaining("UUID key (region)");
            assertThatThrownBy(() -> Associations.targetValues(ownerClubs, List.of(new Club(5L, null, "unsaved", null))))
                    .isInstanceOf(QueryDefinitionException.class).hasMessageContaining("has no region");
        }

        @Test
        void addInsertsOneRowPerTargetFromAlignedArrays() {
            SqlStatement st = Associations.addJunction(ownerClubs, source, keys, Map.of());
            assertThat(st.sql()).isEqualTo(q("INSERT INTO `OwnerClubs` (`OwnerCode`, `OwnerRegion`, `ClubCode`, "
                    + "`ClubRegion`) SELECT $1, $2, `u`.`k0`, `u`.`k1` FROM unnest($3, $4) AS `u`(`k0`, `k1`) ON CONFLICT DO"
                    + " NOTHING"));
            assertThat(st.values()).containsExactly(1, "a", new Long[] {5L, 6L}, new UUID[] {U1, U2});
        }

        @Test
        void removeAndSetDeleteByTheWholeKey() {
            SqlStatement remove = Associations.removeJunction(ownerClubs, source, keys, false);
            assertThat(remove.sql()).isEqualTo(q("DELETE FROM `OwnerClubs` WHERE `OwnerCode` = $1 AND `OwnerRegion` = $2"
                    + " AND (`ClubCode`, `ClubRegion`) IN (SELECT * FROM unnest($3, $4))"));
            assertThat(remove.values()).containsExactly(1, "a", new Long[] {5L, 6L}, new UUID[] {U1, U2});
            assertThat(Associations.removeJunction(ownerClubs, source, keys, true).sql()).contains(q(
                    "AND (`ClubCode`, `ClubRegion`) NOT IN (SELECT * FROM unnest($3, $4))"));
            assertThat(Associations.removeJunction(ownerClubs, source, null, false).sql()).isEqualTo(q(
                    "DELETE FROM `OwnerClubs` WHERE `OwnerCode` = $1 AND `OwnerRegion` = $2"));
        }

        @Test
        void hasAndCountCountWholeKeys() {
            SqlStatement has = Associations.countLinked(ownerClubs, source, keys);
            assertThat(has.sql()).isEqualTo(q("SELECT count(DISTINCT (`t0`.`code`, `t0`.`region`)) FROM `Clubs` AS `t0` "
                    + "INNER JOIN `OwnerClubs` AS `j0` ON `t0`.`code` = `j0`.`ClubCode` AND `t0`.`region` = "
                    + "`j0`.`ClubRegion` WHERE `j0`.`OwnerCode` = $1 AND `j0`.`OwnerRegion` = $2 AND (`t0`.`code`, "
                    + "`t0`.`region`) IN (SELECT * FROM unnest($3, $4))"));
            assertThat(Associations.count(ownerClubs, source, null, null).sql()).endsWith(q(
                    "WHERE `j0`.`OwnerCode` = $1 AND `j0`.`OwnerRegion` = $2"));
        }
    }

    @Nested
    class ForeignKeyWrites {
        final Object source = List.of(1, "a");

        @Test
        void hasManyLinkAndUnlinkSetAndClearEveryPart() {
            SqlStatement link = Associations.link(ownerToys, source, new Long[] {1L, 2L});
            assertThat(link.sql()).isEqualTo(q("UPDATE `Toys` SET `ownerCode` = $1, `ownerRegion` = $2 WHERE `id` = ANY($3)"));
            assertThat(link.values()).containsExactly(1, "a", new Long[] {1L, 2L});
            assertThat(Associations.unlink(ownerToys, source, new Long[] {1L}, true, false).sql()).isEqualTo(q(
                    "UPDATE `Toys` SET `ownerCode` = NULL, `ownerRegion` = NULL WHERE `ownerCode` = $1 AND "
                            + "`ownerRegion` = $2 AND `id` <> ALL($3)"));
            assertThat(Associations.foreignKeyValues(ownerToys, source)).containsExactly(Map.entry("ownerCode", 1),
                    Map.entry("ownerRegion", "a"));
        }

        @Test
        void belongsToSetsEveryPartOfTheSourcesForeignKey() {
            SqlStatement set = Associations.setForeignKey(petOwner, new Pet(3L, "p", null, null, null), List.of(2, "b"));
            assertThat(set.sql()).isEqualTo(q("UPDATE `Pets` SET `ownerCode` = $1, `ownerRegion` = $2 WHERE `id` = $3"));
            assertThat(set.values()).containsExactly(2, "b", 3L);
            assertThat(Associations.setForeignKey(petOwner, new Pet(3L, "p", 2, "b", null), null).values())
                    .containsExactly(null, null, 3L);
            assertThat(Associations.sourceValue(petOwner, new Pet(3L, "p", 2, "b", null))).isEqualTo(List.of(2, "b"));
            assertThat(Associations.sourceValue(petOwner, new Pet(3L, "p", 2, null, null))).as("unlinked").isNull();
        }
    }

    @Nested
    class FindByPk {
        @Test
        void aCompositeKeyIsAListOfItsPartsCheckedBeforeAnySql() {
            assertThat(Statements.primaryKeyValues(owners, List.of((short) 1, "a"))).containsExactly(1, "a");
            assertThat(Statements.primaryKeyValues(pets, 7)).containsExactly(7L);
            assertThatThrownBy(() -> Statements.primaryKeyValues(owners, 1)).isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContaining("model Owner has the composite primary key [code, region]");
            assertThatThrownBy(() -> Statements.primaryKeyValues(owners, List.of(1, "a", 3)))
                    .isInstanceOf(QueryDefinitionException.class).hasMessageContaining("its 2 parts");
            assertThatThrownBy(() -> Statements.primaryKeyValues(owners, List.of("x", "a")))
                    .isInstanceOf(QueryDefinitionException.class).hasMessageContaining("Integer key (code), got String: x");
        }
    }
}
