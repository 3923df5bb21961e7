package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.relata.BelongsTo;
import io.relata.BelongsToMany;
import io.relata.HasMany;
import io.relata.HasOne;
import io.relata.Model;
import io.relata.QueryDefinitionException;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.StatementException;
import io.relata.ValidationException;
import io.relata.Validator;
import io.relata.query.Order;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.reactor.testing.CountingConnectionFactory;
import io.relata.reactor.testing.Pools;
import io.relata.reactor.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Sequelize's "Creating with Associations": {@code Product.create({ title, user: { ..., addresses: [...] } },
 * { include: [{ association: Product.User, include: [User.Addresses] }] })}, belongsToMany with through values,
 * a hasMany on a sourceKey and a scoped hasOne, with one INSERT per include level.
 */
@ExtendWith(TestDatabase.class)
class CreateWithIncludeIT {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    record Product(Long id, String title, Long userId, User user, List<Tag> tags) {
        static Product of(String title, User user) {
            return new Product(null, title, null, user, null);
        }
    }

    record User(Long id, String firstName, String lastName, String username, List<Address> addresses,
            List<Task> tasks) {
        static User of(String first, String last, List<Address> addresses) {
            return new User(null, first, last, null, addresses, null);
        }
    }

    record Address(Long id, String type, String line1, String city, String state, String zip, Long userId) {
        static Address of(String type, String line1, String city) {
            return new Address(null, type, line1, city, "TX", "78704", null);
        }
    }

    record Task(Long id, String title, String userName, String status) {}

    record Tag(Long id, String name, ProductTag productTag) {}

    record ProductTag(Long productId, Long tagId, Integer weight) {}

    record Post(Long id, String title, Comment mainComment) {}

    record Comment(Long id, String body, String commentable, Long commentableId, Boolean isMain) {}

    static Model<Product> products;
    static Model<User> users;
    static Model<Address> addresses;
    static Model<Task> tasks;
    static Model<Tag> tags;
    static Model<ProductTag> productTags;
    static Model<Post> posts;
    static Model<Comment> comments;
    static BelongsTo<Product, User> productUser;
    static HasMany<User, Address> userAddresses;
    static HasMany<User, Task> userTasks;
    static BelongsToMany<Product, Tag> productTagsAssoc;
    static HasOne<Post, Comment> postMainComment;
    static Database db;
    static CountingConnectionFactory counting;
    static Database counted;

    @BeforeAll
    static void schema(TestDatabase.Handle h) {
        SchemaBuilder s = Schema.builder().timestamps(false);
        products = s.define(Product.class);
        users = s.define(User.class, m -> m.attribute("username").unique());
        addresses = s.define(Address.class, m -> m.attribute("zip").validate(Validator.pattern("[0-9]{5}")));
        tasks = s.define(Task.class, m -> m.attribute("status").defaultValue("open"));
        tags = s.define(Tag.class, m -> m.attribute("name").unique());
        productTags = s.define(ProductTag.class, m -> m.attribute("weight").validate(Validator.min(0)));
        posts = s.define(Post.class);
        comments = s.define(Comment.class);
        productUser = products.belongsTo(users, o -> o.as("user").foreignKey("userId"));
        userAddresses = users.hasMany(addresses, o -> o.as("addresses").foreignKey("userId"));
        userTasks = users.hasMany(tasks, o -> o.as("tasks").foreignKey("userName").sourceKey("username"));
        productTagsAssoc = products.belongsToMany(tags, o -> o.as("tags").through(productTags)
                .foreignKey("productId").otherKey("tagId"));
        postMainComment = posts.hasOne(comments, o -> o.as("mainComment").foreignKey("commentableId")
                .constraints(false).scope("commentable", "post").scope("isMain", true));
        Schema schema = s.build();
        db = Database.connect(h.url(), schema);
        counting = new CountingConnectionFactory(db.connectionFactory());
        counted = Database.create(counting, schema);
        db.sync(true).as(StepVerifier::create).expectComplete().verify(TIMEOUT);
    }

    @AfterAll
    static void close() {
        if (db != null) {
            db.close().block(TIMEOUT);
        }
    }

    @BeforeEach
    void empty() {
        Flux.concat(db.destroy(Query.from(productTags)), db.destroy(Query.from(tags)), db.destroy(Query.from(products)),
                db.destroy(Query.from(addresses)), db.destroy(Query.from(tasks)), db.destroy(Query.from(users)),
                db.destroy(Query.from(comments)), db.destroy(Query.from(posts))).then().block(TIMEOUT);
        counting.reset();
    }

    @AfterEach
    void noLeaks() {
        Pools.awaitNoAcquired(db.connectionFactory());
    }

    static List<String> inserts() {
        return counting.statements().stream().filter(sql -> sql.startsWith("INSERT")).toList();
    }

    @Test
    void sequelizesProductUserAddressesExampleCreatesTheGraphInDependencyOrder() {
        Product chair = counted.create(Query.from(products).include(productUser, i -> i.include(userAddresses)),
                Product.of("Chair", User.of("Mick", "Broadstone", List.of(Address.of("home", "100 Main St.", "Austin")))))
                .block(TIMEOUT);

        assertThat(chair.id()).isNotNull();
        assertThat(chair.user().id()).isNotNull();
        assertThat(chair.userId()).as("belongsTo created first, its key set").isEqualTo(chair.user().id());
        assertThat(chair.user().addresses()).singleElement().satisfies(a -> {
            assertThat(a.id()).isNotNull();
            assertThat(a.userId()).isEqualTo(chair.user().id());
            assertThat(a.city()).isEqualTo("Austin");
        });
        assertThat(inserts()).hasSize(3);
        // as Sequelize: the belongsTo target is saved with its own includes before the product
        assertThat(inserts().get(0)).startsWith("INSERT INTO \"Users\"");
        assertThat(inserts().get(1)).startsWith("INSERT INTO \"Addresses\"");
        assertThat(inserts().get(2)).startsWith("INSERT INTO \"Products\"");

        Product read = db.findByPk(Query.from(products).include(productUser, i -> i.include(userAddresses)), chair.id())
                .block(TIMEOUT);
        assertThat(read.user().firstName()).isEqualTo("Mick");
        assertThat(read.user().addresses()).extracting(Address::line1).containsExactly("100 Main St.");
    }

    @Test
    void aHasManyOnASourceKeyGetsTheParentsSourceKeyValueAndDefaults() {
        // Sequelize: User.create({ username, tasks: [{ title }] }, { include: tasks }) with sourceKey 'username'
        User u = db.create(users, new User(null, "Ann", "A", "ann", null,
                List.of(new Task(null, "t1", null, null), new Task(null, "t2", null, "done"))), userTasks).block(TIMEOUT);

        assertThat(u.tasks()).extracting(Task::title, Task::userName, Task::status)
                .containsExactly(tuple("t1", "ann", "open"),
                        tuple("t2", "ann", "done"));
        assertThat(u.tasks()).allSatisfy(t -> assertThat(t.id()).isNotNull());
        db.association(userTasks).get(u).map(Task::title).collectList().as(StepVerifier::create)
                .expectNext(List.of("t1", "t2")).expectComplete().verify(TIMEOUT);
    }

    @Test
    void aScopedHasOneFillsTheScopeValues() {
        // Sequelize: Post.create({ mainComment: {...} }, { include: mainComment }) → commentable='post', isMain=true
        Post p = db.create(posts, new Post(null, "hello", new Comment(null, "first!", null, null, null)),
                postMainComment).block(TIMEOUT);

        assertThat(p.mainComment().commentable()).isEqualTo("post");
        assertThat(p.mainComment().isMain()).isTrue();
        assertThat(p.mainComment().commentableId()).isEqualTo(p.id());
        db.association(postMainComment).get(p).map(Comment::body).as(StepVerifier::create)
                .expectNext("first!").expectComplete().verify(TIMEOUT);
    }

    @Test
    void belongsToManyCreatesTargetsAndJunctionRowsWithTheirThroughValues() {
        Product p = counted.create(products, new Product(null, "Desk", null, null, List.of(
                new Tag(null, "wood", new ProductTag(null, null, 5)), new Tag(null, "office", null))),
                productTagsAssoc).block(TIMEOUT);

        assertThat(p.tags()).extracting(Tag::name).containsExactly("wood", "office");
        assertThat(p.tags()).allSatisfy(t -> assertThat(t.id()).isNotNull());
        assertThat(inserts()).hasSize(3);
        assertThat(inserts().get(2)).isEqualTo("INSERT INTO \"ProductTags\" (\"productId\", \"tagId\", \"weight\")"
                + " VALUES ($1, $2, $3), ($4, $5, $6)");
        assertThat(db.findAll(Query.from(productTags).orderBy(Order.asc("weight"))).collectList().block(TIMEOUT))
                .extracting(ProductTag::weight).containsExactly(5, null);
        assertThat(p.tags().get(0).productTag()).as("the given through values").isEqualTo(new ProductTag(null, null, 5));
        db.association(productTagsAssoc).count(p).as(StepVerifier::create).expectNext(2L).expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void manyRootsAreStillOneInsertPerLevel() {
        List<Product> made = counted.bulkCreate(Query.from(products).include(productUser, i -> i.include(userAddresses))
                        .include(productTagsAssoc),
                List.of(
                        new Product(null, "p1", null, User.of("u1", "x", List.of(Address.of("a", "1", "c"),
                                Address.of("b", "2", "c"))), List.of(new Tag(null, "t1", null))),
                        new Product(null, "p2", null, null, List.of()),
                        new Product(null, "p3", null, User.of("u3", "x", List.of(Address.of("c", "3", "c"))),
                                List.of(new Tag(null, "t3", null), new Tag(null, "t4", null)))))
                .collectList().block(TIMEOUT);

        assertThat(inserts()).extracting(sql -> sql.substring(0, sql.indexOf(" (")))
                .containsExactly("INSERT INTO \"Users\"", "INSERT INTO \"Addresses\"", "INSERT INTO \"Products\"",
                        "INSERT INTO \"Tags\"", "INSERT INTO \"ProductTags\"");
        assertThat(made).extracting(Product::title).containsExactly("p1", "p2", "p3");
        assertThat(made.get(0).user().addresses()).extracting(Address::line1).containsExactly("1", "2");
        assertThat(made.get(1).user()).isNull();
        assertThat(made.get(1).userId()).isNull();
        assertThat(made.get(2).user().addresses()).extracting(Address::userId).containsExactly(made.get(2).userId());
        assertThat(made.get(2).tags()).extracting(Tag::name).containsExactly("t3", "t4");
        db.association(productTagsAssoc).count(made.get(2)).as(StepVerifier::create).expectNext(2L).expectComplete()
                .verify(TIMEOUT);
        db.count(Query.from(addresses)).as(StepVerifier::create).expectNext(3L).expectComplete().verify(TIMEOUT);
    }

    @Test
    void aFailingLevelRollsBackEveryLevelBeforeIt() {
        db.create(tags, new Tag(null, "taken", null)).block(TIMEOUT);

        db.create(Query.from(products).include(productUser).include(productTagsAssoc),
                        new Product(null, "p", null, User.of("u", "x", null), List.of(new Tag(null, "taken", null))))
                .as(StepVerifier::create)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(StatementException.class)
                        .hasMessageContaining("Tags"))
                .verify(TIMEOUT);
        db.count(Query.from(users)).as(StepVerifier::create).expectNext(0L).expectComplete().verify(TIMEOUT);
        db.count(Query.from(products)).as(StepVerifier::create).expectNext(0L).expectComplete().verify(TIMEOUT);
    }

    @Test
    void theRootModelsCreateHooksRunAroundTheGraphAndAnErrorRollsItAllBack() {
        Database hooked = db.withHooks(Hooks.builder()
                .beforeCreate(products, p -> Mono.just(new Product(p.id(), p.title().toUpperCase(Locale.ROOT),
                        p.userId(), p.user(), p.tags())))
                .afterCreate(products, p -> p.title().equals("FAIL") ? Mono.error(new IllegalStateException("no"))
                        : Mono.empty())
                .build());
        Query<Product> graph = Query.from(products).include(productUser, i -> i.include(userAddresses));

        hooked.create(graph, Product.of("chair", User.of("u", "x", List.of(Address.of("h", "1", "c")))))
                .map(Product::title).as(StepVerifier::create).expectNext("CHAIR").expectComplete().verify(TIMEOUT);
        hooked.create(graph, Product.of("fail", User.of("v", "x", List.of(Address.of("h", "2", "c")))))
                .as(StepVerifier::create).expectErrorMessage("no").verify(TIMEOUT);
        db.count(Query.from(users)).as(StepVerifier::create).expectNext(1L).expectComplete().verify(TIMEOUT);
        db.count(Query.from(addresses)).as(StepVerifier::create).expectNext(1L).expectComplete().verify(TIMEOUT);
    }

    @Test
    void anInvalidEntityAnywhereInTheGraphFailsBeforeAnySql() {
        Product bad = Product.of("p", User.of("u", "x", List.of(new Address(null, "home", "l", "c", "TX", "nope", null))));
        counted.create(Query.from(products).include(productUser, i -> i.include(userAddresses)), bad)
                .as(StepVerifier::create)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ValidationException.class)
                        .hasMessageContaining("Address.zip = nope"))
                .verify(TIMEOUT);
        counted.create(products, new Product(null, "p", null, null, List.of(new Tag(null, "t", new ProductTag(null,
                        null, -1)))), productTagsAssoc)
                .as(StepVerifier::create)
                .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("ProductTag.weight = -1"))
                .verify(TIMEOUT);
        assertThat(counting.connections()).isZero();
    }

    @Test
    void anIncludeThatFiltersIsADefinitionError() {
        try {
            db.create(Query.from(products).include(productUser, i -> i.where(Where.eq("firstName", "x"))),
                    Product.of("p", null));
            throw new AssertionError("expected a QueryDefinitionException");
        } catch (QueryDefinitionException e) {
            assertThat(e).hasMessageContaining("Product.user");
        }
    }
}
