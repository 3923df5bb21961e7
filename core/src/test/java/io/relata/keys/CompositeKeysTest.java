package io.relata.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.BelongsTo;
import io.relata.BelongsToMany;
import io.relata.HasMany;
import io.relata.HasOne;
import io.relata.Model;
import io.relata.ModelDefinitionException;
import io.relata.QueryDefinitionException;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.plan.Associations;
import io.relata.plan.Ddl;
import io.relata.plan.Statements;
import io.relata.query.Include;
import io.relata.query.Query;
import io.relata.sql.LoadPlan;
import io.relata.sql.SqlStatement;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Prints the composite shapes (scratch). */
class CompositeKeysTest {
    record Owner(Integer code, String region, String name, Pet pet, List<Toy> toys, List<Club> clubs) {}
    record Pet(Long id, String name, Integer ownerCode, String ownerRegion, Owner owner) {}
    record Toy(Long id, String name, Integer ownerCode, String ownerRegion) {}
    record Club(Long code, UUID region, String name, List<Owner> owners) {}

    static final Schema schema;
    static final Model<Owner> owners;
    static final HasOne<Owner, Pet> ownerPet;
    static final BelongsTo<Pet, Owner> petOwner;
    static final HasMany<Owner, Toy> ownerToys;
    static final BelongsToMany<Owner, Club> ownerClubs;

    static {
        SchemaBuilder s = Schema.builder().timestamps(false);
        owners = s.define(Owner.class, m -> m.primaryKey("code", "region"));
        Model<Pet> pets = s.define(Pet.class);
        Model<Toy> toys = s.define(Toy.class);
        Model<Club> clubs = s.define(Club.class, m -> m.primaryKey("code", "region"));
        ownerPet = owners.hasOne(pets);
        petOwner = pets.belongsTo(owners);
        ownerToys = owners.hasMany(toys);
        ownerClubs = owners.belongsToMany(clubs, o -> o.through("OwnerClubs"));
        schema = s.build();
    }

    @Test
    void print() {
        Ddl.createTables(schema).forEach(st -> System.out.println(st.sql()));
        System.out.println(Statements.select(Query.from(owners).include(ownerPet).include(ownerToys).include(ownerClubs)).statement().sql());
        var sep = Statements.select(Query.from(owners).include(ownerToys, i -> i.strategy(Include.Strategy.SEPARATE))
                .include(ownerClubs, i -> i.strategy(Include.Strategy.SEPARATE)));
        System.out.println(sep);
        LoadPlan<?> lp = Statements.load(ownerToys, Query.from(ownerToys.target()));
        System.out.println(lp.statement().sql());
        System.out.println(lp.statement(List.of(List.of(1, "eu"), List.of(2L, "us"), List.of(1L, "eu"))).binds());
        System.out.println(Statements.load(petOwner, Query.from(owners)).statement().sql());
        System.out.println(Statements.load(ownerClubs, Query.from(ownerClubs.target()).limit(2)).statement().sql());
        Object sv = List.of(1, "eu");
        Object[] keys = Associations.targetValues(ownerClubs, List.of(List.of(5L, UUID.randomUUID()), List.of(6, UUID.randomUUID())));
        System.out.println(Associations.addJunction(ownerClubs, sv, keys, Map.of()).sql());
        System.out.println(Associations.removeJunction(ownerClubs, sv, keys, true).sql());
        System.out.println(Associations.countLinked(ownerClubs, sv, keys).sql());
        System.out.println(Associations.count(ownerClubs, sv, null, null).sql());
        System.out.println(Associations.link(ownerToys, sv, new Object[] {1L, 2L}).sql());
        System.out.println(Associations.unlink(ownerToys, sv, new Object[] {1L, 2L}, true, false).sql());
        System.out.println(Associations.setForeignKey(petOwner, new Pet(3L, "p", null, null, null), sv).sql());
        System.out.println(Associations.unlink(ownerPet, sv, null, false, false).sql());
    }
}
