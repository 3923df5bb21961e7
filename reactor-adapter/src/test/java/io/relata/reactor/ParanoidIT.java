package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.BelongsTo;
import io.relata.BelongsToMany;
import io.relata.HasMany;
import io.relata.Model;
import io.relata.QueryDefinitionException;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.query.Include;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.reactor.testing.Pools;
import io.relata.reactor.testing.Sql;
import io.relata.reactor.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * Soft delete, replaying Sequelize's paranoid tests with their results ({@code test/integration/include/paranoid},
 * {@code model/paranoid}, {@code associations/belongs-to-many} "through paranoid"): a destroyed row is left out
 * of every read (root, includes at any depth with JOIN and SEPARATE, lazy get/count/has, counts), in and out of
 * a transaction, unless asked with {@code paranoid(false)}; {@code restore} brings it back, {@code force}
 * deletes it; a paranoid junction soft-deletes links on remove/set and revives them on add.
 */
@ExtendWith(TestDatabase.class)
class ParanoidIT {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    record X(Long id, String name, List<Y> ys) {}
    record Y(Long id, String name, Long xId) {}
    record User(Long id, String username, String run, List<Pet> pets) {}
    record Pet(Long id, String name, Long userId, List<Toy> toys, User owner) {}
    record Toy(Long id, String name, Long petId) {}
    record Account(Long id, Integer ownerId, String name) {}
    record Ledger(Long id, Integer ownerId, Instant deletedAt) {}
    record Dev(Long id, String name, List<Project> projects) {}
    record Project(Long id, String name) {}
    record DevProjects(Long DevId, Long ProjectId, Instant deletedAt) {}
    record Store(Long id, String name) {}
    record Customer(Long id, String name) {}
    record StoreCustomers(Long StoreId, Long CustomerId, Instant deletedAt) {}

    static Database db;
    static Model<X> xs;
    static Model<Y> ys;
    static HasMany<X, Y> xYs;
    static Model<User> users;
    static Model<Pet> pets;
    static Model<Toy> toys;
    static HasMany<User, Pet> userPets;
    static HasMany<Pet, Toy> petToys;
    static BelongsTo<Pet, User> petOwner;
    static Model<Account> accounts;
    static Model<Ledger> ledgers;
    static Model<Dev> devs;
    static Model<Project> projects;
    static Model<DevProjects> devProjects;
    static BelongsToMany<Dev, Project> devProjectsOf;
    static Model<Store> stores;
    static Model<Customer> customers;
    static Model<StoreCustomers> storeCustomers;
    static BelongsToMany<Store, Customer> storeCustomersOf;

    @BeforeAll
    static void schema(TestDatabase.Handle h) {
        SchemaBuilder s = Schema.builder();
        xs = s.define(X.class, m -> m.table("xs"));
        ys = s.define(Y.class, m -> m.table("ys").paranoid(true));
        xYs = xs.hasMany(ys, o -> o.as("ys").foreignKey("xId"));
        users = s.define(User.class, m -> m.paranoid(true));
        pets = s.define(Pet.class, m -> m.paranoid(true));
        toys = s.define(Toy.class, m -> m.paranoid(true));
        userPets = users.hasMany(pets, o -> o.foreignKey("userId"));
        petToys = pets.hasMany(toys, o -> o.foreignKey("petId"));
        petOwner = pets.belongsTo(users, o -> o.as("owner").foreignKey("userId"));
        accounts = s.define(Account.class, m -> m.paranoid(true).attribute("ownerId").notNull().field("owner_id"));
        ledgers = s.define(Ledger.class, m -> m.timestamps(false).paranoid(true).deletedAt("deletedAt")
                .attribute("deletedAt").field("deleted_at"));
        devs = s.define(Dev.class);
        projects = s.define(Project.class);
        devProjects = s.define(DevProjects.class, m -> m.paranoid(true));
        devProjectsOf = devs.belongsToMany(projects, o -> o.through(devProjects));
        projects.belongsToMany(devs, o -> o.through(devProjects));
        stores = s.define(Store.class);
        customers = s.define(Customer.class);
        storeCustomers = s.define(StoreCustomers.class, m -> m.paranoid(true));
        storeCustomersOf = stores.belongsToMany(customers, o -> o.through(storeCustomers));
        db = Database.connect(h.url(), s.build());
        run(db.sync(true));
    }

    @AfterAll
    static void close() {
        db.close().block(TIMEOUT);
    }

    @AfterEach
    void noLeak() {
        Pools.awaitNoAcquired(db.connectionFactory());
    }

    static <T> List<T> list(Publisher<T> publisher) {
        List<T> items = Flux.from(publisher).collectList().block(TIMEOUT);
        assertThat(items).isNotNull();
        return items;
    }

    static <T> T one(Publisher<T> publisher) {
        T value = Flux.from(publisher).single().block(TIMEOUT);
        assertThat(value).isNotNull();
        return Objects.requireNonNull(value);
    }

    static void run(Publisher<?> publisher) {
        Flux.from(publisher).then().as(StepVerifier::create).expectComplete().verify(TIMEOUT);
    }

    /** The read, in a transaction of its own or not. */
    static <T> Flux<T> read(boolean transaction, Supplier<Publisher<T>> work) {
        return transaction ? db.transaction(tx -> work.get()) : Flux.defer(work::get);
    }

    static Stream<Arguments> strategiesAndTransactions() {
        return Stream.of(Include.Strategy.values())
                .flatMap(s -> Stream.of(Arguments.of(s, false), Arguments.of(s, true)));
    }

    // ---- include/paranoid.test.js ----

    @ParameterizedTest(name = "{0}, in a transaction: {1}")
    @MethodSource("strategiesAndTransactions")
    void aDestroyedParanoidTargetIsNotLoadedWithANonParanoidParent(Include.Strategy strategy, boolean transaction) {
        X x = one(db.create(xs, new X(null, "x-" + strategy + transaction, null)));
        Y y = one(db.create(ys, new Y(null, "y", null)));
        run(db.association(xYs).add(x, y));
        assertThat(one(db.destroy(Query.from(ys).where(Where.eq("id", y.id()))))).isEqualTo(1L);

        Query<X> query = Query.from(xs).where(Where.eq("id", x.id())).include(xYs, i -> i.strategy(strategy));
        List<X> found = list(read(transaction, () -> db.findAll(query)));
        assertThat(found).hasSize(1);
        assertThat(found.get(0).ys()).as("Sequelize: x.ys has length 0").isEmpty();

        List<X> withDeleted = list(read(transaction, () -> db.findAll(Query.from(xs).where(Where.eq("id", x.id()))
                .include(xYs, i -> i.strategy(strategy).paranoid(false)))));
        assertThat(withDeleted.get(0).ys()).extracting(Y::id).containsExactly(y.id());
    }

    // ---- model/paranoid.test.js ----

    @ParameterizedTest(name = "{0}, in a transaction: {1}")
    @MethodSource("strategiesAndTransactions")
    void deletedAssociatedRecordsAreIncludedWhenTheIncludeHasParanoidFalse(Include.Strategy strategy,
            boolean transaction) {
        User joe = one(db.create(users, new User(null, "Joe", "pets-" + strategy + transaction, null)));
        List<Pet> created = list(db.bulkCreate(pets, List.of(new Pet(null, "Fido", joe.id(), null, null),
                new Pet(null, "Fifi", joe.id(), null, null))));
        run(db.destroy(Query.from(pets).where(Where.eq("id", created.get(0).id()))));

        User user = one(read(transaction, () -> db.findOne(Query.from(users).where(Where.eq("id", joe.id()))
                .include(userPets, i -> i.strategy(strategy)))));
        User withDeletedPets = one(read(transaction, () -> db.findOne(Query.from(users).where(Where.eq("id", joe.id()))
                .include(userPets, i -> i.strategy(strategy).paranoid(false)))));
        assertThat(user.pets()).as("Sequelize: user.pets has length 1").extracting(Pet::name).containsExactly("Fifi");
        assertThat(withDeletedPets.pets()).as("Sequelize: length 2").hasSize(2);
    }

    @ParameterizedTest(name = "{0}, in a transaction: {1}")
    @MethodSource("strategiesAndTransactions")
    void nestedIncludesLeaveSoftDeletedRowsOutAtEveryDepth(Include.Strategy strategy, boolean transaction) {
        User ann = one(db.create(users, new User(null, "Ann", "depth-" + strategy + transaction, null)));
        Pet rex = one(db.create(pets, new Pet(null, "Rex", ann.id(), null, null)));
        List<Toy> created = list(db.bulkCreate(toys, List.of(new Toy(null, "ball", rex.id()),
                new Toy(null, "bone", rex.id()))));
        run(db.destroy(Query.from(toys).where(Where.eq("id", created.get(1).id()))));

        Query<User> query = Query.from(users).where(Where.eq("id", ann.id()))
                .include(userPets, i -> i.strategy(strategy).include(petToys, t -> t.strategy(strategy)));
        User found = one(read(transaction, () -> db.findAll(query)));
        assertThat(found.pets()).hasSize(1);
        assertThat(found.pets().get(0).toys()).extracting(Toy::name).containsExactly("ball");

        User all = one(read(transaction, () -> db.findAll(Query.from(users).where(Where.eq("id", ann.id()))
                .include(userPets, i -> i.strategy(strategy).include(petToys, t -> t.strategy(strategy).paranoid(false))))));
        assertThat(all.pets().get(0).toys()).extracting(Toy::name).containsExactly("ball", "bone");
    }

    @ParameterizedTest(name = "in a transaction: {0}")
    @ValueSource(booleans = {false, true})
    void preventsFindingDeletedRecordsUnlessParanoidFalse(boolean transaction) {
        String run = "root-" + transaction;
        List<User> created = list(db.bulkCreate(users, List.of(new User(null, "Toni", run, null),
                new User(null, "Tobi", run, null), new User(null, "Max", run, null))));
        Long first = created.get(0).id();
        run(db.destroy(Query.from(users).where(Where.eq("id", first))));
        Query<User> ofRun = Query.from(users).where(Where.eq("run", run));

        assertThat(list(read(transaction, () -> db.findByPk(users, first)))).as("findByPk(1) is null").isEmpty();
        assertThat(one(read(transaction, () -> db.count(ofRun)))).isEqualTo(2L);
        assertThat(list(read(transaction, () -> db.findAll(ofRun)))).hasSize(2);
        assertThat(list(read(transaction, () -> db.findOne(Query.from(users).where(Where.eq("id", first))
                .paranoid(false))))).as("findOne paranoid: false exists").hasSize(1);
        assertThat(one(read(transaction, () -> db.count(ofRun.paranoid(false))))).isEqualTo(3L);
    }

    @Test
    void softDeleteWithTimestampsThenRestore() {
        one(db.create(accounts, new Account(null, 12, null)));
        Query<Account> owned = Query.from(accounts).where(Where.eq("ownerId", 12));
        assertThat(one(db.count(owned))).isEqualTo(1L);
        assertThat(one(db.destroy(owned))).as("destroy returns 1").isEqualTo(1L);
        assertThat(one(db.count(owned))).isEqualTo(0L);
        assertThat(one(db.count(owned.paranoid(false)))).isEqualTo(1L);
        assertThat(one(db.restore(owned))).isEqualTo(1L);
        assertThat(one(db.count(owned))).isEqualTo(1L);
    }

    @Test
    void softDeleteWithoutTimestampsUsesItsOwnDeletedAtColumn() {
        one(db.create(ledgers, new Ledger(null, 12, null)));
        Query<Ledger> owned = Query.from(ledgers).where(Where.eq("ownerId", 12));
        assertThat(one(db.count(owned))).isEqualTo(1L);
        run(db.destroy(owned));
        assertThat(one(db.count(owned))).isEqualTo(0L);
        Ledger deleted = one(db.findAll(owned.paranoid(false)));
        assertThat(deleted.deletedAt()).as("the entity sees when").isNotNull();
        assertThat(Sql.single(db.connectionFactory(), "SELECT count(*) FROM \"Ledgers\" WHERE deleted_at IS NOT NULL",
                Long.class)).isEqualTo(1L);
        run(db.restore(owned));
        assertThat(one(db.count(owned))).isEqualTo(1L);
    }

    @Test
    void destroyingTwiceKeepsTheFirstTimeAndForceDeletesForReal() {
        Account a = one(db.create(accounts, new Account(null, 77, "twice")));
        Query<Account> byId = Query.from(accounts).where(Where.eq("id", a.id()));
        assertThat(one(db.destroy(byId))).isEqualTo(1L);
        assertThat(one(db.destroy(byId))).as("already soft-deleted").isEqualTo(0L);
        assertThat(one(db.update(byId, Map.of("name", "changed")))).as("update sees live rows only").isEqualTo(0L);
        assertThat(one(db.destroy(byId, true))).as("force deletes the soft-deleted row").isEqualTo(1L);
        assertThat(one(db.count(byId.paranoid(false)))).isEqualTo(0L);
        assertThat(one(db.restore(byId))).isEqualTo(0L);
    }

    @Test
    void restoreOfAModelThatIsNotParanoidFailsBeforeAnySql() {
        assertThatThrownBy(() -> db.restore(Query.from(xs))).isInstanceOf(QueryDefinitionException.class)
                .hasMessageContaining("not paranoid");
    }

    @ParameterizedTest(name = "in a transaction: {0}")
    @ValueSource(booleans = {false, true})
    void lazyGetCountAndHasOfAHasManyLeaveTheDestroyedTargetOut(boolean transaction) {
        User bo = one(db.create(users, new User(null, "Bo", "lazy-" + transaction, null)));
        List<Pet> created = list(db.bulkCreate(pets, List.of(new Pet(null, "A", bo.id(), null, null),
                new Pet(null, "B", bo.id(), null, null))));
        run(db.destroy(Query.from(pets).where(Where.eq("id", created.get(0).id()))));
        ToManyOperations<User, Pet> ops = db.association(userPets);

        assertThat(list(read(transaction, () -> ops.get(bo)))).extracting(Pet::name).containsExactly("B");
        assertThat(list(read(transaction, () -> ops.get(bo, q -> q.paranoid(false))))).hasSize(2);
        assertThat(one(read(transaction, () -> ops.count(bo)))).isEqualTo(1L);
        assertThat(one(read(transaction, () -> ops.count(bo, q -> q.paranoid(false))))).isEqualTo(2L);
        assertThat(one(read(transaction, () -> ops.has(bo, created.get(0))))).isFalse();
        assertThat(one(read(transaction, () -> ops.has(bo, List.of(created.get(0)), q -> q.paranoid(false))))).isTrue();
        assertThat(one(read(transaction, () -> ops.get(List.of(bo))))).containsEntry(bo, List.of(created.get(1)));
    }

    @ParameterizedTest(name = "{0}, in a transaction: {1}")
    @MethodSource("strategiesAndTransactions")
    void aSoftDeletedBelongsToTargetIsNeitherIncludedNorLoaded(Include.Strategy strategy, boolean transaction) {
        User gone = one(db.create(users, new User(null, "Gone", "owner-" + strategy + transaction, null)));
        Pet pet = one(db.create(pets, new Pet(null, "Stray", gone.id(), null, null)));
        run(db.destroy(Query.from(users).where(Where.eq("id", gone.id()))));

        Query<Pet> query = Query.from(pets).where(Where.eq("id", pet.id()));
        assertThat(one(read(transaction, () -> db.findAll(query.include(petOwner, i -> i.strategy(strategy))))).owner())
                .isNull();
        assertThat(one(read(transaction, () -> db.findAll(query.include(petOwner,
                i -> i.strategy(strategy).paranoid(false))))).owner()).extracting(User::username).isEqualTo("Gone");
        assertThat(list(read(transaction, () -> db.association(petOwner).get(pet)))).isEmpty();
        assertThat(list(read(transaction, () -> db.association(petOwner).get(pet, q -> q.paranoid(false)))))
                .extracting(User::username).containsExactly("Gone");
        assertThat(one(read(transaction, () -> db.findAll(query.include(petOwner, i -> i.required(true))).count())))
                .as("a required include drops the pet").isEqualTo(0L);
    }

    // ---- associations/belongs-to-many.test.js: through paranoid ----

    Dev devWithThreeProjects(String name) {
        Dev dev = one(db.create(devs, new Dev(null, name, null)));
        List<Project> ps = list(db.bulkCreate(projects, List.of(new Project(null, name + "-0"),
                new Project(null, name + "-1"), new Project(null, name + "-2"))));
        run(db.association(devProjectsOf).add(dev, ps));
        // Sequelize: UserProjects.destroy({ where: { projectId: projects[0].id } })
        assertThat(one(db.destroy(Query.from(devProjects).where(Where.eq("ProjectId", ps.get(0).id()))))).isEqualTo(1L);
        return dev;
    }

    @ParameterizedTest(name = "in a transaction: {0}")
    @ValueSource(booleans = {false, true})
    void getsOnlyNonDeletedLinksByDefaultAndAllWithThroughParanoidFalse(boolean transaction) {
        Dev dev = devWithThreeProjects("get-" + transaction);
        ToManyOperations<Dev, Project> ops = db.association(devProjectsOf);
        assertThat(list(read(transaction, () -> ops.get(dev)))).as("Sequelize: 2").hasSize(2);
        assertThat(list(read(transaction, () -> ops.get(dev, q -> q.throughParanoid(false))))).as("Sequelize: 3")
                .hasSize(3);
        assertThat(one(read(transaction, () -> ops.count(dev)))).isEqualTo(2L);
        assertThat(one(read(transaction, () -> ops.count(dev, q -> q.throughParanoid(false))))).isEqualTo(3L);
    }

    @ParameterizedTest(name = "in a transaction: {0}")
    @ValueSource(booleans = {false, true})
    void hasAlsoRespectsTheThroughParanoidOption(boolean transaction) {
        Dev dev = devWithThreeProjects("has-" + transaction);
        List<Project> ps = list(db.findAll(Query.from(projects).where(Where.like("name", "has-" + transaction + "-%"))
                .orderBy(io.relata.query.Order.asc("name"))));
        ToManyOperations<Dev, Project> ops = db.association(devProjectsOf);
        assertThat(one(read(transaction, () -> ops.has(dev, List.of(ps.get(0)), q -> q.throughParanoid(false))))).isTrue();
        assertThat(one(read(transaction, () -> ops.has(dev, ps.get(0))))).isFalse();
        assertThat(one(read(transaction, () -> ops.has(dev, ps.get(1))))).isTrue();
        assertThat(one(read(transaction, () -> ops.has(dev, ps)))).isFalse();
    }

    @ParameterizedTest(name = "{0}, in a transaction: {1}")
    @MethodSource("strategiesAndTransactions")
    void includesOfAParanoidJunctionFollowLiveLinksOnly(Include.Strategy strategy, boolean transaction) {
        Dev dev = devWithThreeProjects("inc-" + strategy + transaction);
        Query<Dev> query = Query.from(devs).where(Where.eq("id", dev.id()));
        assertThat(one(read(transaction, () -> db.findAll(query.include(devProjectsOf, i -> i.strategy(strategy)))))
                .projects()).hasSize(2);
        assertThat(one(read(transaction, () -> db.findAll(query.include(devProjectsOf,
                i -> i.strategy(strategy).throughParanoid(false))))).projects()).hasSize(3);
    }

    @Test
    void setSoftDeletesTheLinksItDropsAndAddRevivesThem() {
        Store store = one(db.create(stores, new Store(null, "s")));
        Customer c1 = one(db.create(customers, new Customer(null, "c1")));
        Customer c2 = one(db.create(customers, new Customer(null, "c2")));
        ToManyOperations<Store, Customer> ops = db.association(storeCustomersOf);
        run(ops.set(store, List.of(c1)));
        run(ops.set(store, List.of(c2)));

        Query<StoreCustomers> links = Query.from(storeCustomers).where(Where.eq("StoreId", store.id()));
        assertThat(list(db.findAll(links))).as("1 live junction row").extracting(StoreCustomers::CustomerId)
                .containsExactly(c2.id());
        List<StoreCustomers> rows = list(db.findAll(links.paranoid(false)));
        assertThat(rows).as("and 1 soft-deleted one").hasSize(2);
        assertThat(rows).filteredOn(r -> r.deletedAt() != null).extracting(StoreCustomers::CustomerId)
                .containsExactly(c1.id());
        assertThat(list(ops.get(store))).extracting(Customer::name).containsExactly("c2");

        run(ops.add(store, c1));
        assertThat(list(ops.get(store))).as("add revives the soft-deleted pair").extracting(Customer::name)
                .containsExactlyInAnyOrder("c1", "c2");
        assertThat(list(db.findAll(links.paranoid(false)))).as("no second row for the pair").hasSize(2)
                .allMatch(r -> r.deletedAt() == null);

        run(ops.remove(store, c2));
        assertThat(one(ops.count(store))).isEqualTo(1L);
        assertThat(one(db.count(links.paranoid(false)))).as("remove keeps the row").isEqualTo(2L);
    }
}
