package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.Association;
import io.relata.BelongsTo;
import io.relata.BelongsToMany;
import io.relata.DataType;
import io.relata.HasMany;
import io.relata.HasOne;
import io.relata.Model;
import io.relata.QueryDefinitionException;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.query.Order;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.reactor.testing.CountingConnectionFactory;
import io.relata.reactor.testing.Pools;
import io.relata.reactor.testing.Sql;
import io.relata.reactor.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.test.StepVerifier;

/**
 * Eager loading (Sequelize's {@code include}) against PostgreSQL: the graphs assembled from one joined
 * statement equal the graphs the seed data describe, for every association kind, aliases, nesting,
 * filters, ordering, windows and counts; and the include errors are raised before any SQL runs.
 */
@ExtendWith(TestDatabase.class)
class EagerLoadingIT {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    // ---- entities (Sequelize's seed 004 examples) ----

    record Captain(Long id, String name, Integer skillLevel, Ship ship) {
    }

    record Ship(Long id, String name, Long captainId, Captain captain) {
    }

    record Author(Long id, String name, List<Book> books, List<Award> awards) {
    }

    record Book(Long id, String title, Long authorId, Author author, List<Tag> tags) {
    }

    record Tag(Long id, String label) {
    }

    record Award(Long id, String title, Long authorId) {
    }

    record Student(Long id, String name, List<Course> courses) {
    }

    /** {@code enrollment} carries the junction's extra attributes (explicit through model). */
    record Course(Long id, String title, Enrollment enrollment) {
    }

    record Enrollment(Long studentId, Long courseId, String grade) {
    }

    record User(Long id, String name, List<User> followers, List<User> following) {
    }

    record Team(Long id, String name, List<Game> homeGames, List<Game> awayGames) {
    }

    record Game(Long id, String label, Long homeTeamId, Long awayTeamId, Team homeTeam, Team awayTeam) {
    }

    // ---- schema ----

    static Model<Captain> captains;
    static Model<Ship> ships;
    static Model<Author> authors;
    static Model<Book> books;
    static Model<Tag> tags;
    static Model<Award> awards;
    static Model<Student> students;
    static Model<Course> courses;
    static Model<User> users;
    static Model<Team> teams;
    static Model<Game> games;
    static HasOne<Captain, Ship> captainShip;
    static BelongsTo<Ship, Captain> shipCaptain;
    static HasMany<Author, Book> authorBooks;
    static HasMany<Author, Award> authorAwards;
    static BelongsTo<Book, Author> bookAuthor;
    static BelongsToMany<Book, Tag> bookTags;
    static BelongsToMany<Student, Course> studentCourses;
    static BelongsToMany<User, User> followers;
    static BelongsToMany<User, User> following;
    static BelongsTo<Game, Team> homeTeam;
    static BelongsTo<Game, Team> awayTeam;
    static HasMany<Team, Game> homeGames;
    static HasMany<Team, Game> awayGames;
    static Schema schema;

    static Database owner;
    static CountingConnectionFactory counting;
    static Database db;

    @BeforeAll
    static void createSchemaAndSeed(TestDatabase.Handle h) {
        SchemaBuilder s = Schema.builder().timestamps(false);
        // Sequelize: sequelize.define('captain' / 'ship') -> captainId, include 'captain'
        captains = s.define(Captain.class, m -> m.name("captain").attribute("name", DataType.text()).unique());
        ships = s.define(Ship.class, m -> m.name("ship"));
        authors = s.define(Author.class);
        books = s.define(Book.class);
        tags = s.define(Tag.class);
        awards = s.define(Award.class);
        students = s.define(Student.class);
        courses = s.define(Course.class);
        Model<Enrollment> enrollments = s.define(Enrollment.class, m -> m.name("StudentCourses").table("StudentCourses"));
        users = s.define(User.class);
        teams = s.define(Team.class);
        games = s.define(Game.class);

        captainShip = captains.hasOne(ships);
        shipCaptain = ships.belongsTo(captains);
        authorBooks = authors.hasMany(books);
        authorAwards = authors.hasMany(awards);
        bookAuthor = books.belongsTo(authors);
        bookTags = books.belongsToMany(tags, o -> o.through("BookTags"));
        studentCourses = students.belongsToMany(courses, o -> o.through(enrollments));
        courses.belongsToMany(students, o -> o.through(enrollments));
        followers = users.belongsToMany(users, o -> o.through("Followers").as("followers")
                .foreignKey("followingId").otherKey("followerId"));
        following = users.belongsToMany(users, o -> o.through("Followers").as("following")
                .foreignKey("followerId").otherKey("followingId"));
        homeTeam = games.belongsTo(teams, o -> o.as("homeTeam"));
        awayTeam = games.belongsTo(teams, o -> o.as("awayTeam"));
        homeGames = teams.hasMany(games, o -> o.as("homeGames").foreignKey("homeTeamId"));
        awayGames = teams.hasMany(games, o -> o.as("awayGames").foreignKey("awayTeamId"));
        schema = s.build();

        owner = Database.connect(h.url(), schema);
        counting = new CountingConnectionFactory(owner.connectionFactory());
        db = Database.create(counting, schema);
        db.sync().as(StepVerifier::create).expectComplete().verify(TIMEOUT);

        Sql.execute(h.connectionFactory(),
                "INSERT INTO \"captains\" (\"id\", \"name\", \"skillLevel\") VALUES"
                        + " (1, 'Jack Sparrow', 10), (2, 'Davy Jones', 8), (3, 'Hector Barbossa', 9)",
                "INSERT INTO \"ships\" (\"id\", \"name\", \"captainId\") VALUES"
                        + " (1, 'Black Pearl', 1), (2, 'Flying Dutchman', 2), (3, 'Interceptor', NULL)",
                "INSERT INTO \"Authors\" (\"id\", \"name\") VALUES"
                        + " (1, 'Austen'), (2, 'Borges'), (3, 'Calvino'), (4, 'Dumas')",
                "INSERT INTO \"Books\" (\"id\", \"title\", \"authorId\") VALUES (1, 'Emma', 1), (2, 'Persuasion', 1),"
                        + " (3, 'Ficciones', 2), (4, 'El Aleph', 2), (5, 'Labyrinths', 2), (6, 'Monte Cristo', 4)",
                "INSERT INTO \"Tags\" (\"id\", \"label\") VALUES (1, 'classic'), (2, 'romance'), (3, 'fantasy'), (4, 'short')",
                "INSERT INTO \"BookTags\" (\"BookId\", \"TagId\") VALUES"
                        + " (1, 1), (1, 2), (2, 1), (2, 2), (3, 3), (3, 4), (4, 3), (5, 4), (6, 1)",
                "INSERT INTO \"Awards\" (\"id\", \"title\", \"authorId\") VALUES"
                        + " (1, 'Formentor', 2), (2, 'Cervantes', 2), (3, 'Academie', 4)",
                "INSERT INTO \"Students\" (\"id\", \"name\") VALUES (1, 'Ann'), (2, 'Bob'), (3, 'Cid')",
                "INSERT INTO \"Courses\" (\"id\", \"title\") VALUES (1, 'Math'), (2, 'Art'), (3, 'History')",
                "INSERT INTO \"StudentCourses\" (\"studentId\", \"courseId\", \"grade\") VALUES"
                        + " (1, 1, 'A'), (1, 2, 'B'), (2, 1, 'C')",
                "INSERT INTO \"Users\" (\"id\", \"name\") VALUES (1, 'alice'), (2, 'bob'), (3, 'carol')",
                // bob and carol follow alice; alice follows carol
                "INSERT INTO \"Followers\" (\"followerId\", \"followingId\") VALUES (2, 1), (3, 1), (1, 3)",
                "INSERT INTO \"Teams\" (\"id\", \"name\") VALUES (1, 'Lions'), (2, 'Tigers')",
                "INSERT INTO \"Games\" (\"id\", \"label\", \"homeTeamId\", \"awayTeamId\") VALUES"
                        + " (1, 'opener', 1, 2), (2, 'return', 2, 1), (3, 'derby', 1, 2)");
    }

    @AfterAll
    static void close() {
        owner.close().block(TIMEOUT);
    }

    @BeforeEach
    void resetCounter() {
        counting.reset();
    }

    @AfterEach
    void noConnectionLeaked() {
        Pools.awaitNoAcquired(owner.connectionFactory());
    }

    // ---- expected graphs, from the seed data ----

    static Tag classic = new Tag(1L, "classic");
    static Tag romance = new Tag(2L, "romance");
    static Tag fantasy = new Tag(3L, "fantasy");
    static Tag shortTag = new Tag(4L, "short");

    static Book book(long id, String title, long authorId, List<Tag> tags) {
        return new Book(id, title, authorId, null, tags);
    }

    static Book book(long id, String title, long authorId) {
        return new Book(id, title, authorId, null, null);
    }

    static final Award formentor = new Award(1L, "Formentor", 2L);
    static final Award cervantes = new Award(2L, "Cervantes", 2L);
    static final Award academie = new Award(3L, "Academie", 4L);

    static List<Book> austenBooks() {
        return List.of(book(1, "Emma", 1), book(2, "Persuasion", 1));
    }

    static List<Book> borgesBooks() {
        return List.of(book(3, "Ficciones", 2), book(4, "El Aleph", 2), book(5, "Labyrinths", 2));
    }

    static List<Book> dumasBooks() {
        return List.of(book(6, "Monte Cristo", 4));
    }

    /** An association of another model, typed as if it were the root's (only the runtime check can catch it). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static <S> Association<S, Object> foreign(Association<?, ?> association) {
        return (Association) association;
    }

    @Nested
    class OneToOne {

        @Test
        void captainWithHisShipIsOneJoinedStatement() {
            db.findAll(Query.from(captains).include(captainShip).orderBy(Order.asc("id")))
                    .as(StepVerifier::create)
                    .expectNext(new Captain(1L, "Jack Sparrow", 10, new Ship(1L, "Black Pearl", 1L, null)))
                    .expectNext(new Captain(2L, "Davy Jones", 8, new Ship(2L, "Flying Dutchman", 2L, null)))
                    .expectNext(new Captain(3L, "Hector Barbossa", 9, null))
                    .expectComplete()
                    .verify(TIMEOUT);
            assertThat(counting.count()).isEqualTo(1);
        }

        @Test
        void findOneWithIncludeLoadsJackSparrowsShip() {
            db.findOne(Query.from(captains).where(Where.eq("name", "Jack Sparrow")).include(ships))
                    .as(StepVerifier::create)
                    .assertNext(jack -> {
                        assertThat(jack.name()).isEqualTo("Jack Sparrow");
                        assertThat(jack.skillLevel()).isEqualTo(10);
                        assertThat(jack.ship().name()).isEqualTo("Black Pearl");
                    })
                    .expectComplete()
                    .verify(TIMEOUT);
        }

        @Test
        void shipWithItsCaptainThroughBelongsTo() {
            db.findAll(Query.from(ships).include(shipCaptain).orderBy(Order.asc("id")))
                    .as(StepVerifier::create)
                    .expectNext(new Ship(1L, "Black Pearl", 1L, new Captain(1L, "Jack Sparrow", 10, null)))
                    .expectNext(new Ship(2L, "Flying Dutchman", 2L, new Captain(2L, "Davy Jones", 8, null)))
                    .expectNext(new Ship(3L, "Interceptor", null, null))
                    .expectComplete()
                    .verify(TIMEOUT);
        }

        @Test
        void includeByModelAndByAliasStringGiveTheSameGraph() {
            List<Ship> byModel = db.findAll(Query.from(ships).include(captains).orderBy(Order.asc("id")))
                    .collectList().block(TIMEOUT);
            List<Ship> byAlias = db.findAll(Query.from(ships).include("captain").orderBy(Order.asc("id")))
                    .collectList().block(TIMEOUT);
            assertThat(byModel).hasSize(3).isEqualTo(byAlias);
            assertThat(byModel.get(0).captain().name()).isEqualTo("Jack Sparrow");
        }

        @Test
        void ordersRootsByAnIncludedToOneColumn() {
            db.findAll(Query.from(ships).include(shipCaptain).orderBy(Order.desc("captain.skillLevel")))
                    .map(Ship::name)
                    .as(StepVerifier::create)
                    // PostgreSQL: NULLS FIRST for DESC
                    .expectNext("Interceptor", "Black Pearl", "Flying Dutchman")
                    .expectComplete()
                    .verify(TIMEOUT);
        }

        @Test
        void filtersRootsByAnIncludedColumnPath() {
            db.findAll(Query.from(ships).include(shipCaptain).where(Where.eq("captain.name", "Davy Jones")))
                    .as(StepVerifier::create)
                    .expectNext(new Ship(2L, "Flying Dutchman", 2L, new Captain(2L, "Davy Jones", 8, null)))
                    .expectComplete()
                    .verify(TIMEOUT);
        }
    }

    @Nested
    class OneToMany {

        @Test
        void authorsWithTheirBooksIncludingAnAuthorWithoutBooks() {
            db.findAll(Query.from(authors).include(authorBooks))
                    .as(StepVerifier::create)
                    .expectNext(new Author(1L, "Austen", austenBooks(), null))
                    .expectNext(new Author(2L, "Borges", borgesBooks(), null))
                    .expectNext(new Author(3L, "Calvino", List.of(), null))
                    .expectNext(new Author(4L, "Dumas", dumasBooks(), null))
                    .expectComplete()
                    .verify(TIMEOUT);
            assertThat(counting.count()).isEqualTo(1);
        }

        @Test
        void requiredIncludeDropsAuthorsWithoutBooks() {
            db.findAll(Query.from(authors).include(authorBooks, i -> i.required(true)))
                    .map(Author::name)
                    .as(StepVerifier::create)
                    .expectNext("Austen", "Borges", "Dumas")
                    .expectComplete()
                    .verify(TIMEOUT);
        }

        @Test
        void whereOnIncludeFiltersChildrenAndMakesTheIncludeRequired() {
            db.findAll(Query.from(authors).include(authorBooks, i -> i.where(Where.like("title", "E%"))))
                    .as(StepVerifier::create)
                    .expectNext(new Author(1L, "Austen", List.of(book(1, "Emma", 1)), null))
                    .expectNext(new Author(2L, "Borges", List.of(book(4, "El Aleph", 2)), null))
                    .expectComplete()
                    .verify(TIMEOUT);
        }

        @Test
        void whereOnOptionalIncludeKeepsEveryAuthorWithFilteredBooks() {
            db.findAll(Query.from(authors)
                            .include(authorBooks, i -> i.where(Where.like("title", "E%")).required(false)))
                    .as(StepVerifier::create)
                    .expectNext(new Author(1L, "Austen", List.of(book(1, "Emma", 1)), null))
                    .expectNext(new Author(2L, "Borges", List.of(book(4, "El Aleph", 2)), null))
                    .expectNext(new Author(3L, "Calvino", List.of(), null))
                    .expectNext(new Author(4L, "Dumas", List.of(), null))
                    .expectComplete()
                    .verify(TIMEOUT);
        }

        @Test
        void ordersIncludedRowsWithinEachRoot() {
            db.findAll(Query.from(authors).include(authorBooks, i -> i.orderBy(Order.desc("title")).required(true)))
                    .map(a -> a.books().stream().map(Book::title).toList())
                    .as(StepVerifier::create)
                    .expectNext(List.of("Persuasion", "Emma"))
                    .expectNext(List.of("Labyrinths", "Ficciones", "El Aleph"))
                    .expectNext(List.of("Monte Cristo"))
                    .expectComplete()
                    .verify(TIMEOUT);
        }

        @Test
        void ordersByAnIncludedColumnPathOnTheRootQuery() {
            String path = authorBooks.as() + ".title";
            db.findAll(Query.from(authors).include(authorBooks).where(Where.eq("id", 2L)).orderBy(Order.asc(path)))
                    .map(a -> a.books().stream().map(Book::title).toList())
                    .as(StepVerifier::create)
                    .expectNext(List.of("El Aleph", "Ficciones", "Labyrinths"))
                    .expectComplete()
                    .verify(TIMEOUT);
        }

        @Test
        void ordersRootsDescendingWithTheirBooksStillGrouped() {
            db.findAll(Query.from(authors).include(authorBooks).orderBy(Order.desc("name")))
                    .as(StepVerifier::create)
                    .expectNext(new Author(4L, "Dumas", dumasBooks(), null))
                    .expectNext(new Author(3L, "Calvino", List.of(), null))
                    .expectNext(new Author(2L, "Borges", borgesBooks(), null))
                    .expectNext(new Author(1L, "Austen", austenBooks(), null))
                    .expectComplete()
                    .verify(TIMEOUT);
        }

        @Test
        void filtersRootsByAnIncludedToManyColumnPath() {
            db.findAll(Query.from(authors).include(authorBooks)
                            .where(Where.eq(authorBooks.as() + ".title", "Ficciones")))
                    .as(StepVerifier::create)
                    .assertNext(a -> {
                        assertThat(a.name()).isEqualTo("Borges");
                        assertThat(a.books()).extracting(Book::title).contains("Ficciones");
                    })
                    .expectComplete()
                    .verify(TIMEOUT);
        }

        @Test
        void twoSiblingToManyIncludesHaveNoDuplicatesDespiteTheCartesianRows() {
            // Borges: 3 books x 2 awards = 6 joined rows
            db.findAll(Query.from(authors).include(authorBooks).include(authorAwards))
                    .as(StepVerifier::create)
                    .expectNext(new Author(1L, "Austen", austenBooks(), List.of()))
                    .expectNext(new Author(2L, "Borges", borgesBooks(), List.of(formentor, cervantes)))
                    .expectNext(new Author(3L, "Calvino", List.of(), List.of()))
                    .expectNext(new Author(4L, "Dumas", dumasBooks(), List.of(academie)))
                    .expectComplete()
                    .verify(TIMEOUT);
            assertThat(counting.count()).isEqualTo(1);
        }

        @Test
        void includeAllLoadsEveryAssociationOneLevelDeep() {
            db.findByPk(Query.from(authors).includeAll(), 2L)
                    .as(StepVerifier::create)
                    .expectNext(new Author(2L, "Borges", borgesBooks(), List.of(formentor, cervantes)))
                    .expectComplete()
                    .verify(TIMEOUT);
        }

        @Test
        void findByPkWithIncludeLoadsTheWholeSubtreeOfThatRoot() {
            db.findByPk(Query.from(authors).include(authorBooks), 2L)
                    .as(StepVerifier::create)
                    .expectNext(new Author(2L, "Borges", borgesBooks(), null))
                    .expectComplete()
                    .verify(TIMEOUT);
            db.findByPk(Query.from(authors).include(authorBooks), 99L)
                    .as(StepVerifier::create)
                    .expectComplete()
                    .verify(TIMEOUT);
        }

        @Test
        void findOneWithToManyIncludeReturnsTheFirstRootWithAllItsChildren() {
            db.findOne(Query.from(authors).include(authorBooks).orderBy(Order.desc("id")))
                    .as(StepVerifier::create)
                    .expectNext(new Author(4L, "Dumas", dumasBooks(), null))
                    .expectComplete()
                    .verify(TIMEOUT);
        }

        @Test
        void countWithIncludesCountsDistinctRoots() {
            db.count(Query.from(authors).include(authorBooks).include(authorAwards))
                    .as(StepVerifier::create)
                    .expectNext(4L)
                    .expectComplete()
                    .verify(TIMEOUT);
            db.count(Query.from(authors).include(authorBooks, i -> i.required(true)))
                    .as(StepVerifier::create)
                    .expectNext(3L)
                    .expectComplete()
                    .verify(TIMEOUT);
            db.count(Query.from(authors).include(authorBooks, i -> i.where(Where.like("title", "E%"))))
                    .as(StepVerifier::create)
                    .expectNext(2L)
                    .expectComplete()
                    .verify(TIMEOUT);
        }

        @Test
        void bookWithItsAuthorThroughBelongsTo() {
            db.findByPk(Query.from(books).include(bookAuthor), 6L)
                    .as(StepVerifier::create)
                    .expectNext(new Book(6L, "Monte Cristo", 4L, new Author(4L, "Dumas", null, null), null))
                    .expectComplete()
                    .verify(TIMEOUT);
        }
    }

    @Nested
    class Nesting {

        @Test
        void threeLevelsAuthorBooksTags() {
            db.findAll(Query.from(authors).include(authorBooks, i -> i.include(bookTags)))
                    .as(StepVerifier::create)
                    .expectNext(new Author(1L, "Austen", List.of(
                            book(1, "Emma", 1, List.of(classic, romance)),
                            book(2, "Persuasion", 1, List.of(classic, romance))), null))
                    .expectNext(new Author(2L, "Borges", List.of(
                            book(3, "Ficciones", 2, List.of(fantasy, shortTag)),
                            book(4, "El Aleph", 2, List.of(fantasy)),
                            book(5, "Labyrinths", 2, List.of(shortTag))), null))
                    .expectNext(new Author(3L, "Calvino", List.of(), null))
                    .expectNext(new Author(4L, "Dumas", List.of(book(6, "Monte Cristo", 4, List.of(classic))), null))
                    .expectComplete()
                    .verify(TIMEOUT);
            assertThat(counting.count()).isEqualTo(1);
        }

        @Test
        void filtersRootsByAThreeLevelPath() {
            String path = authorBooks.as() + "." + bookTags.as() + ".label";
            db.findAll(Query.from(authors).include(authorBooks, i -> i.include(bookTags)).where(Where.eq(path, "short")))
                    .map(Author::name)
                    .as(StepVerifier::create)
                    .expectNext("Borges")
                    .expectComplete()
                    .verify(TIMEOUT);
        }

        @Test
        void requiredNestedIncludeLeavesItsOptionalParentAnOuterJoin() {
            // Sequelize: the parent stays a LEFT JOIN of the inner join; every author is returned
            db.findAll(Query.from(authors)
                            .include(authorBooks, i -> i.include(bookTags, t -> t.where(Where.eq("label", "romance")))))
                    .as(StepVerifier::create)
                    .expectNext(new Author(1L, "Austen", List.of(
                            book(1, "Emma", 1, List.of(romance)),
                            book(2, "Persuasion", 1, List.of(romance))), null))
                    .expectNext(new Author(2L, "Borges", List.of(), null))
                    .expectNext(new Author(3L, "Calvino", List.of(), null))
                    .expectNext(new Author(4L, "Dumas", List.of(), null))
                    .expectComplete()
                    .verify(TIMEOUT);
        }

        @Test
        void requiredNestedIncludeUnderAnExplicitlyRequiredParentFiltersRoots() {
            db.findAll(Query.from(authors).include(authorBooks,
                            i -> i.required(true).include(bookTags, t -> t.where(Where.eq("label", "romance")))))
                    .as(StepVerifier::create)
                    .expectNext(new Author(1L, "Austen", List.of(
                            book(1, "Emma", 1, List.of(romance)),
                            book(2, "Persuasion", 1, List.of(romance))), null))
                    .expectComplete()
                    .verify(TIMEOUT);
        }

        @Test
        void nestedBackReferenceIsLoadedWhenIncluded() {
            db.findByPk(Query.from(authors).include(authorBooks, i -> i.include(bookAuthor)), 4L)
                    .as(StepVerifier::create)
                    .expectNext(new Author(4L, "Dumas", List.of(new Book(6L, "Monte Cristo", 4L,
                            new Author(4L, "Dumas", null, null), null)), null))
                    .expectComplete()
                    .verify(TIMEOUT);
        }
    }

    @Nested
    class ManyToMany {

        @Test
        void studentsWithCoursesAndTheJunctionAttributes() {
            db.findAll(Query.from(students).include(studentCourses))
                    .as(StepVerifier::create)
                    .expectNext(new Student(1L, "Ann", List.of(
                            new Course(1L, "Math", new Enrollment(1L, 1L, "A")),
                            new Course(2L, "Art", new Enrollment(1L, 2L, "B")))))
                    .expectNext(new Student(2L, "Bob", List.of(new Course(1L, "Math", new Enrollment(2L, 1L, "C")))))
                    .expectNext(new Student(3L, "Cid", List.of()))
                    .expectComplete()
                    .verify(TIMEOUT);
        }

        @Test
        void studentsWithCoursesWithoutJunctionAttributes() {
            db.findAll(Query.from(students).include(studentCourses, i -> i.throughAttributes(new String[0])))
                    .as(StepVerifier::create)
                    .expectNext(new Student(1L, "Ann", List.of(new Course(1L, "Math", null), new Course(2L, "Art", null))))
                    .expectNext(new Student(2L, "Bob", List.of(new Course(1L, "Math", null))))
                    .expectNext(new Student(3L, "Cid", List.of()))
                    .expectComplete()
                    .verify(TIMEOUT);
        }

        @Test
        void selectedJunctionAttributesOnly() {
            db.findByPk(Query.from(students).include(studentCourses, i -> i.throughAttributes("grade")), 2L)
                    .as(StepVerifier::create)
                    .expectNext(new Student(2L, "Bob", List.of(new Course(1L, "Math", new Enrollment(null, null, "C")))))
                    .expectComplete()
                    .verify(TIMEOUT);
        }

        @Test
        void throughWhereFiltersOnJunctionColumns() {
            db.findAll(Query.from(students).include(studentCourses, i -> i.throughWhere(Where.eq("grade", "B"))))
                    .as(StepVerifier::create)
                    .expectNext(new Student(1L, "Ann", List.of(new Course(2L, "Art", new Enrollment(1L, 2L, "B")))))
                    .expectComplete()
                    .verify(TIMEOUT);
        }

        @Test
        void generatedJunctionIncludeFromTheOtherSide() {
            db.findAll(Query.from(books).include(bookTags).where(Where.in("id", 3L, 6L)))
                    .as(StepVerifier::create)
                    .expectNext(book(3, "Ficciones", 2, List.of(fantasy, shortTag)))
                    .expectNext(book(6, "Monte Cristo", 4, List.of(classic)))
                    .expectComplete()
                    .verify(TIMEOUT);
        }

        @Test
        void selfAssociationFollowersAndFollowing() {
            User alice = new User(1L, "alice", null, null);
            User bob = new User(2L, "bob", null, null);
            User carol = new User(3L, "carol", null, null);
            db.findAll(Query.from(users).include(followers).include(following))
                    .as(StepVerifier::create)
                    .expectNext(new User(1L, "alice", List.of(bob, carol), List.of(carol)))
                    .expectNext(new User(2L, "bob", List.of(), List.of(alice)))
                    .expectNext(new User(3L, "carol", List.of(alice), List.of(alice)))
                    .expectComplete()
                    .verify(TIMEOUT);
        }

        @Test
        void selfAssociationIncludedByAliasString() {
            db.findByPk(Query.from(users).include("followers"), 1L)
                    .map(u -> u.followers().stream().map(User::name).toList())
                    .as(StepVerifier::create)
                    .expectNext(List.of("bob", "carol"))
                    .expectComplete()
                    .verify(TIMEOUT);
        }
    }

    @Nested
    class Aliases {

        @Test
        void gameWithHomeAndAwayTeamsTwoAssociationsToTheSameModel() {
            Team lions = new Team(1L, "Lions", null, null);
            Team tigers = new Team(2L, "Tigers", null, null);
            db.findAll(Query.from(games).include(homeTeam).include(awayTeam).orderBy(Order.asc("id")))
                    .as(StepVerifier::create)
                    .expectNext(new Game(1L, "opener", 1L, 2L, lions, tigers))
                    .expectNext(new Game(2L, "return", 2L, 1L, tigers, lions))
                    .expectNext(new Game(3L, "derby", 1L, 2L, lions, tigers))
                    .expectComplete()
                    .verify(TIMEOUT);
        }

        @Test
        void teamWithHomeGamesAndAwayGames() {
            Game opener = new Game(1L, "opener", 1L, 2L, null, null);
            Game ret = new Game(2L, "return", 2L, 1L, null, null);
            Game derby = new Game(3L, "derby", 1L, 2L, null, null);
            db.findAll(Query.from(teams).include("homeGames").include("awayGames"))
                    .as(StepVerifier::create)
                    .expectNext(new Team(1L, "Lions", List.of(opener, derby), List.of(ret)))
                    .expectNext(new Team(2L, "Tigers", List.of(ret), List.of(opener, derby)))
                    .expectComplete()
                    .verify(TIMEOUT);
        }

        @Test
        void filterByAnAliasedIncludePath() {
            db.findAll(Query.from(games).include(homeTeam).include(awayTeam)
                            .where(Where.eq("awayTeam.name", "Lions")))
                    .map(Game::label)
                    .as(StepVerifier::create)
                    .expectNext("return")
                    .expectComplete()
                    .verify(TIMEOUT);
        }
    }

    @Nested
    class ErrorsBeforeSql {

        @Test
        void includingAModelThatIsNotAssociatedFailsNamingBothModels() {
            // Sequelize: SequelizeEagerLoadingError: author is not associated to award!
            assertThatThrownBy(() -> db.findAll(Query.from(awards).include(authors)))
                    .isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContaining("Author is not associated to Award");
            assertThat(counting.count()).isZero();
        }

        @Test
        void theSourceSideOnlyKnowsItsAssociation() {
            // Foo.hasOne(Bar) alone: Bar.findOne({ include: Foo }) throws; here Tag knows nothing of Book
            assertThatThrownBy(() -> db.findAll(Query.from(tags).include(books)))
                    .isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContaining("Book is not associated to Tag");
            assertThat(counting.count()).isZero();
        }

        @Test
        void includingAnAssociationOfAnotherModelFailsNamingTheKnownAliases() {
            assertThatThrownBy(() -> Query.from(awards).include(foreign(authorBooks)))
                    .isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContaining("is not associated to Award");
            assertThatThrownBy(() -> Query.from(captains).include(foreign(authorBooks)))
                    .isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContaining("is not associated to captain")
                    .hasMessageContaining("ship");
            assertThat(counting.count()).isZero();
        }

        @Test
        void includingAnAliasedAssociationByModelFailsAndNamesTheAliases() {
            assertThatThrownBy(() -> Query.from(games).include(teams))
                    .isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContaining("homeTeam")
                    .hasMessageContaining("awayTeam");
            assertThat(counting.count()).isZero();
        }

        @Test
        void includingAnUnknownAliasFailsNamingTheKnownAliases() {
            assertThatThrownBy(() -> Query.from(ships).include("leader"))
                    .isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContaining("leader")
                    .hasMessageContaining("captain");
            assertThatThrownBy(() -> Query.from(authors).include(authorBooks, i -> i.include("nope")))
                    .isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContaining("nope")
                    .hasMessageContaining(bookTags.as());
            assertThat(counting.count()).isZero();
        }

        @Test
        void filteringOnAPathThatIsNotIncludedFailsBeforeSql() {
            assertThatThrownBy(() -> db.findAll(Query.from(ships).where(Where.eq("captain.name", "x"))))
                    .isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContaining("captain");
            assertThat(counting.count()).isZero();
        }
    }
}
