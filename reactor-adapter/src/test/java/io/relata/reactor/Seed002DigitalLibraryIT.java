package io.relata.reactor;

import static io.relata.reactor.SeedSupport.aliases;
import static io.relata.reactor.SeedSupport.assertSyncAgainChangesNothing;
import static io.relata.reactor.SeedSupport.columns;
import static io.relata.reactor.SeedSupport.expectEmpty;
import static io.relata.reactor.SeedSupport.expectValue;
import static io.relata.reactor.SeedSupport.foreignKeys;
import static io.relata.reactor.SeedSupport.invert;
import static io.relata.reactor.SeedSupport.keyNames;
import static io.relata.reactor.SeedSupport.keys;
import static io.relata.reactor.SeedSupport.lazyLinks;
import static io.relata.reactor.SeedSupport.links;
import static io.relata.reactor.SeedSupport.list;
import static io.relata.reactor.SeedSupport.nonEmpty;
import static io.relata.reactor.SeedSupport.one;
import static io.relata.reactor.SeedSupport.opt;
import static io.relata.reactor.SeedSupport.primaryKey;
import static io.relata.reactor.SeedSupport.run;
import static io.relata.reactor.SeedSupport.tables;
import static io.relata.reactor.SeedSupport.uniqueKeys;
import static org.assertj.core.api.Assertions.assertThat;

import io.relata.BelongsTo;
import io.relata.BelongsToMany;
import io.relata.DataType;
import io.relata.HasMany;
import io.relata.HasOne;
import io.relata.Model;
import io.relata.ReferentialAction;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.query.Include;
import io.relata.query.Order;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.reactor.SeedSupport.Fk;
import io.relata.reactor.testing.Pools;
import io.relata.reactor.testing.Sql;
import io.relata.reactor.testing.TestDatabase;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Seed 002, "Understanding Sequelize Associations": the digital library (LibraryCard/User one-to-one,
 * Author/Book one-to-many with {@code foreignKey: 'authorId'} and aliases, Student/Course many-to-many
 * through {@code 'StudentCourses'} with only {@code foreignKey} on each side), the social platform (User
 * hasOne Profile, hasMany Post, followers/following) and the team example (belongsToMany with a scope,
 * hasMany with a scope). Each of the two snippets is one app with its own database.
 *
 * <p>Models use Sequelize's default key, {@code id INTEGER} (SERIAL), so the records' keys are {@code Integer}.
 */
@ExtendWith(TestDatabase.class)
class Seed002DigitalLibraryIT {

    static final String TSTZ = "timestamp with time zone NOT NULL";

    // =====================================================================================================

    /** LibraryCard/User, Author/Book, Student/Course: {@code models/*.js} of one library app. */
    @Nested
    @ExtendWith(TestDatabase.class)
    class DigitalLibrary {
        /** {@code UserId} is the key {@code belongsTo(User)}/{@code hasOne(LibraryCard)} add (see AsTheTutorialWritesIt). */
        record LibraryCard(Integer id, String cardNumber, OffsetDateTime issuedDate, Integer UserId, User user) {
        }

        record User(Integer id, String name, String email, LibraryCard libraryCard) {
        }

        record Author(Integer id, String name, String biography, List<Book> books) {
        }

        record Book(Integer id, String title, Integer publishYear, Integer authorId, Author author) {
        }

        record Student(Integer id, String name, Integer grade, List<Course> courses) {
        }

        record Course(Integer id, String title, String description, List<Student> students) {
        }

        static Database owner;
        static Database db;
        static TestDatabase.Handle handle;
        static Model<LibraryCard> cards;
        static Model<User> users;
        static Model<Author> authors;
        static Model<Book> books;
        static Model<Student> students;
        static Model<Course> courses;
        static BelongsTo<LibraryCard, User> cardUser;
        static HasOne<User, LibraryCard> userCard;
        static HasMany<Author, Book> authorBooks;
        static BelongsTo<Book, Author> bookAuthor;
        static BelongsToMany<Student, Course> studentCourses;
        static BelongsToMany<Course, Student> courseStudents;

        @BeforeAll
        static void schema(TestDatabase.Handle h) {
            handle = h;
            SchemaBuilder s = Schema.builder();
            // sequelize.define('LibraryCard', {cardNumber: {type: STRING, unique: true}, issuedDate: DATE})
            cards = s.define(LibraryCard.class, m -> {
                m.name("LibraryCard");
                m.attribute("cardNumber", DataType.string()).unique();
                m.attribute("issuedDate", DataType.timestamptz());       // Sequelize's DATE on PostgreSQL
            });
            users = s.define(User.class, m -> m.name("User"));
            authors = s.define(Author.class, m -> m.name("Author").attribute("biography", DataType.text()));
            books = s.define(Book.class, m -> m.name("Book").attribute("publishYear", DataType.integer()));
            students = s.define(Student.class, m -> m.name("Student").attribute("grade", DataType.integer()));
            courses = s.define(Course.class, m -> m.name("Course").attribute("description", DataType.text()));
            // the associate functions, in models/index.js's (alphabetical) order
            authorBooks = authors.hasMany(books, o -> o.foreignKey("authorId").as("books"));
            bookAuthor = books.belongsTo(authors, o -> o.foreignKey("authorId").as("author"));
            courseStudents = courses.belongsToMany(students, o -> o.through("StudentCourses").as("students")
                    .foreignKey("courseId"));
            cardUser = cards.belongsTo(users);
            studentCourses = students.belongsToMany(courses, o -> o.through("StudentCourses").as("courses")
                    .foreignKey("studentId"));
            userCard = users.hasOne(cards);
            owner = Database.connect(h.url(), s.build());
            db = owner;
            run(db.sync());
        }

        @AfterAll
        static void close() {
            owner.close().block(SeedSupport.TIMEOUT);
        }

        @AfterEach
        void noConnectionLeaked() {
            Pools.awaitNoAcquired(owner.connectionFactory());
        }

        @Test
        void aliasesAndKeysAreSequelizes() {
            assertThat(aliases(cards)).containsExactly("User");
            assertThat(aliases(users)).containsExactly("LibraryCard");
            assertThat(aliases(authors)).containsExactly("books");
            assertThat(aliases(books)).containsExactly("author");
            assertThat(aliases(students)).containsExactly("courses");
            assertThat(aliases(courses)).containsExactly("students");
            assertThat(keyNames(cardUser)).isEqualTo("UserId");
            assertThat(keyNames(userCard)).isEqualTo("UserId");
            assertThat(keyNames(studentCourses)).isEqualTo("studentId/courseId");
            assertThat(keyNames(courseStudents)).isEqualTo("courseId/studentId");
        }

        @Test
        void syncCreatesSequelizesTables() {
            var cf = handle.connectionFactory();
            assertThat(tables(cf)).containsExactlyInAnyOrder("LibraryCards", "Users", "Authors", "Books", "Students",
                    "Courses", "StudentCourses");
            assertThat(columns(cf, "LibraryCards")).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "id", "integer NOT NULL", "cardNumber", "character varying(255) NULL",
                    "issuedDate", "timestamp with time zone NULL", "createdAt", TSTZ, "updatedAt", TSTZ,
                    "UserId", "integer NULL"));
            assertThat(uniqueKeys(cf, "LibraryCards")).containsExactly(Set.of("cardNumber"));
            assertThat(foreignKeys(cf, "LibraryCards")).as("belongsTo and hasOne share one column").containsExactly(
                    new Fk("UserId", "Users", "id", "SET NULL", "CASCADE"));
            assertThat(columns(cf, "Users")).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "id", "integer NOT NULL", "name", "character varying(255) NULL",
                    "email", "character varying(255) NULL", "createdAt", TSTZ, "updatedAt", TSTZ));
            assertThat(foreignKeys(cf, "Users")).isEmpty();

            assertThat(columns(cf, "Authors")).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "id", "integer NOT NULL", "name", "character varying(255) NULL", "biography", "text NULL",
                    "createdAt", TSTZ, "updatedAt", TSTZ));
            assertThat(columns(cf, "Books")).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "id", "integer NOT NULL", "title", "character varying(255) NULL", "publishYear", "integer NULL",
                    "authorId", "integer NULL", "createdAt", TSTZ, "updatedAt", TSTZ));
            assertThat(foreignKeys(cf, "Books")).as("hasMany and belongsTo share one column").containsExactly(
                    new Fk("authorId", "Authors", "id", "SET NULL", "CASCADE"));

            assertThat(columns(cf, "Students")).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "id", "integer NOT NULL", "name", "character varying(255) NULL", "grade", "integer NULL",
                    "createdAt", TSTZ, "updatedAt", TSTZ));
            assertThat(columns(cf, "Courses")).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "id", "integer NOT NULL", "title", "character varying(255) NULL", "description", "text NULL",
                    "createdAt", TSTZ, "updatedAt", TSTZ));
            assertThat(columns(cf, "StudentCourses")).as("exactly one pair of key columns")
                    .containsExactlyInAnyOrderEntriesOf(Map.of("createdAt", TSTZ, "updatedAt", TSTZ,
                            "studentId", "integer NOT NULL", "courseId", "integer NOT NULL"));
            assertThat(primaryKey(cf, "StudentCourses")).containsExactlyInAnyOrder("studentId", "courseId");
            assertThat(foreignKeys(cf, "StudentCourses")).containsExactlyInAnyOrder(
                    new Fk("studentId", "Students", "id", "CASCADE", "CASCADE"),
                    new Fk("courseId", "Courses", "id", "CASCADE", "CASCADE"));
            for (String t : List.of("LibraryCards", "Users", "Authors", "Books", "Students", "Courses")) {
                assertThat(primaryKey(cf, t)).as(t).containsExactly("id");
                assertThat(Sql.single(cf, "SELECT pg_get_serial_sequence($1, 'id') IS NOT NULL", Boolean.class,
                        "\"" + t + "\"")).as("%s.id is SERIAL", t).isTrue();
            }
        }

        @Test
        void syncAgainChangesNothing() {
            Author a = one(db.create(authors, new Author(null, "Sync", null, null)));
            run(db.association(authorBooks).create(a, new Book(null, "Sync", 2000, null, null)));
            assertSyncAgainChangesNothing(db, handle.connectionFactory());
        }

        // ---- LibraryCard / User ----

        static LibraryCard card(String number) {
            return new LibraryCard(null, number, OffsetDateTime.of(2024, 9, 1, 10, 0, 0, 0, ZoneOffset.UTC), null, null);
        }

        static Integer cardOf(User u) {
            return list(db.association(userCard).get(u)).stream().map(LibraryCard::id).findFirst().orElse(null);
        }

        static Integer userOf(LibraryCard c) {
            return list(db.association(cardUser).get(c)).stream().map(User::id).findFirst().orElse(null);
        }

        @Test
        void aLibraryCardAndItsUserAreLinkedFromEitherSide() {
            User ann = one(db.create(users, new User(null, "Ann", "ann@library.example", null)));
            User bob = one(db.create(users, new User(null, "Bob", "bob@library.example", null)));
            LibraryCard c1 = one(db.create(cards, card("C-001")));
            LibraryCard c2 = one(db.create(cards, card("C-002")));

            run(db.association(cardUser).set(c1, ann));                   // card.setUser(ann)
            assertThat(cardOf(ann)).isEqualTo(c1.id());
            run(db.association(userCard).set(bob, c2));                   // bob.setLibraryCard(c2)
            assertThat(userOf(c2)).isEqualTo(bob.id());
            run(db.association(userCard).set(ann, c2));                   // ann takes c2: bob's link is moved
            assertThat(userOf(c2)).isEqualTo(ann.id());
            assertThat(cardOf(bob)).isNull();
            assertThat(userOf(c1)).as("c1, ann's previous card, is unlinked").isNull();

            LibraryCard created = one(db.association(userCard).create(bob, card("C-003")));   // createLibraryCard
            assertThat(userOf(created)).isEqualTo(bob.id());
            User createdUser = one(db.association(cardUser).create(c1, new User(null, "Cid", null, null)));
            assertThat(cardOf(createdUser)).isEqualTo(c1.id());
            assertThat(one(db.findByPk(cards, c1.id())).issuedDate()).isAtSameInstantAs(c1.issuedDate());
        }

        @ParameterizedTest
        @EnumSource(Include.Strategy.class)
        void cardAndUserIncludesFromBothSidesMatchTheLazyLoads(Include.Strategy strategy) {
            List<User> us = List.of(one(db.create(users, new User(null, "D" + strategy, null, null))),
                    one(db.create(users, new User(null, "E" + strategy, null, null))));
            List<LibraryCard> cs = List.of(one(db.create(cards, card("X1-" + strategy))),
                    one(db.create(cards, card("X2-" + strategy))));
            run(db.association(userCard).set(us.get(0), cs.get(1)));

            List<User> withCards = list(db.findAll(Query.from(users)
                    .where(Where.in("id", us.stream().map(User::id).toList()))
                    .include(userCard, i -> i.strategy(strategy))));
            List<LibraryCard> withUsers = list(db.findAll(Query.from(cards)
                    .where(Where.in("id", cs.stream().map(LibraryCard::id).toList()))
                    .include(cardUser, i -> i.strategy(strategy))));
            Map<Integer, Set<Integer>> fromUsers = links(withCards, User::id, u -> opt(u.libraryCard()), LibraryCard::id);
            Map<Integer, Set<Integer>> fromCards = links(withUsers, LibraryCard::id, c -> opt(c.user()), User::id);

            assertThat(fromUsers).isEqualTo(Map.of(us.get(0).id(), Set.of(cs.get(1).id()), us.get(1).id(), Set.of()));
            assertThat(nonEmpty(fromCards)).isEqualTo(invert(fromUsers));
            assertThat(lazyLinks(us, User::id, db.association(userCard)::get, LibraryCard::id)).isEqualTo(fromUsers);
            assertThat(lazyLinks(cs, LibraryCard::id, db.association(cardUser)::get, User::id)).isEqualTo(fromCards);
        }

        // ---- Author / Book ----

        /** {@code getAuthorWithBooks}: {@code Author.findByPk(authorId, {include: [{model: Book, as: 'books'}]})}. */
        @Test
        void getAuthorWithBooks() {
            Author austen = one(db.create(authors, new Author(null, "Jane Austen", "English novelist", null)));
            Book emma = one(db.association(authorBooks).create(austen, new Book(null, "Emma", 1815, null, null)));
            Book persuasion = one(db.create(books, new Book(null, "Persuasion", 1817, null, null)));
            run(db.association(bookAuthor).set(persuasion, austen));

            Author loaded = one(db.findByPk(Query.from(authors).include(authorBooks,
                    i -> i.orderBy(Order.asc("publishYear"))), austen.id()));
            assertThat(loaded.books()).containsExactly(new Book(emma.id(), "Emma", 1815, austen.id(), null),
                    new Book(persuasion.id(), "Persuasion", 1817, austen.id(), null));
            assertThat(one(db.findByPk(Query.from(authors).include("books"), austen.id()))).isEqualTo(loaded);
        }

        @Test
        void booksLinkedFromEitherSideAreSeenFromTheOther() {
            Author a = one(db.create(authors, new Author(null, "Borges", null, null)));
            Author b = one(db.create(authors, new Author(null, "Calvino", null, null)));
            Book b1 = one(db.create(books, new Book(null, "Ficciones", 1944, null, null)));
            Book b2 = one(db.create(books, new Book(null, "El Aleph", 1949, null, null)));
            Book b3 = one(db.create(books, new Book(null, "Le citta invisibili", 1972, null, null)));

            run(db.association(authorBooks).add(a, List.of(b1, b2)));          // a.addBooks([b1, b2])
            run(db.association(bookAuthor).set(b3, b));                        // b3.setAuthor(b)
            assertThat(one(db.association(bookAuthor).get(b1)).id()).isEqualTo(a.id());
            assertThat(keys(list(db.association(authorBooks).get(b)), Book::id)).containsExactly(b3.id());
            expectValue(db.association(authorBooks).count(a), 2L);
            expectValue(db.association(authorBooks).has(a, List.of(b1, b2)), true);
            expectValue(db.association(authorBooks).has(a, b3), false);

            run(db.association(bookAuthor).set(b2, b));                        // moves b2 to b
            assertThat(keys(list(db.association(authorBooks).get(a)), Book::id)).containsExactly(b1.id());
            run(db.association(authorBooks).remove(b, b3));                    // b.removeBook(b3)
            expectEmpty(db.association(bookAuthor).get(one(db.findByPk(books, b3.id()))));
            run(db.association(authorBooks).set(a, List.of(b3)));              // a.setBooks([b3]): b1 unlinked
            assertThat(one(db.findByPk(books, b1.id())).authorId()).isNull();
            assertThat(one(db.findByPk(books, b3.id())).authorId()).isEqualTo(a.id());
            assertThat(keys(list(db.association(authorBooks).get(b)), Book::id)).containsExactly(b2.id());
        }

        @ParameterizedTest
        @EnumSource(Include.Strategy.class)
        void authorAndBookIncludesFromBothSidesMatchTheLazyLoads(Include.Strategy strategy) {
            List<Author> as = new ArrayList<>();
            List<Book> bs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                as.add(one(db.create(authors, new Author(null, "A" + i + strategy, null, null))));
            }
            for (int i = 0; i < 4; i++) {
                bs.add(one(db.create(books, new Book(null, "B" + i + strategy, 1900 + i, null, null))));
            }
            run(db.association(authorBooks).add(as.get(0), List.of(bs.get(0), bs.get(1), bs.get(2))));
            run(db.association(bookAuthor).set(bs.get(3), as.get(1)));

            List<Author> withBooks = list(db.findAll(Query.from(authors)
                    .where(Where.in("id", as.stream().map(Author::id).toList()))
                    .include(authorBooks, i -> i.strategy(strategy))));
            List<Book> withAuthors = list(db.findAll(Query.from(books)
                    .where(Where.in("id", bs.stream().map(Book::id).toList()))
                    .include(bookAuthor, i -> i.strategy(strategy))));
            Map<Integer, Set<Integer>> fromAuthors = links(withBooks, Author::id, Author::books, Book::id);
            Map<Integer, Set<Integer>> fromBooks = links(withAuthors, Book::id, b -> opt(b.author()), Author::id);

            assertThat(fromAuthors.get(as.get(0).id())).containsExactlyInAnyOrder(bs.get(0).id(), bs.get(1).id(),
                    bs.get(2).id());
            assertThat(fromAuthors.get(as.get(2).id())).isEmpty();
            assertThat(fromBooks).isEqualTo(invert(fromAuthors));
            assertThat(lazyLinks(as, Author::id, db.association(authorBooks)::get, Book::id)).isEqualTo(fromAuthors);
            assertThat(lazyLinks(bs, Book::id, db.association(bookAuthor)::get, Author::id)).isEqualTo(fromBooks);

            // nested: each book's author with all the author's books
            List<Book> nested = list(db.findAll(Query.from(books).where(Where.eq("id", bs.get(1).id()))
                    .include(bookAuthor, i -> i.strategy(strategy).include(authorBooks, j -> j.strategy(strategy)))));
            assertThat(nested).singleElement().satisfies(b -> assertThat(keys(b.author().books(), Book::id))
                    .isEqualTo(fromAuthors.get(as.get(0).id())));
        }

        // ---- Student / Course ----

        /**
         * {@code getStudentWithCourses}: {@code Student.findByPk(studentId, {include: [{model: Course, as:
         * 'courses', through: {attributes: []}}]})}.
         */
        @Test
        void getStudentWithCourses() {
            Student ann = one(db.create(students, new Student(null, "Ann", 10, null)));
            Course math = one(db.create(courses, new Course(null, "Math", "Numbers", null)));
            Course art = one(db.association(studentCourses).create(ann, new Course(null, "Art", "Colours", null)));
            run(db.association(courseStudents).add(math, ann));

            Student loaded = one(db.findByPk(Query.from(students).include(studentCourses,
                    i -> i.throughAttributes().orderBy(Order.asc("title"))), ann.id()));
            assertThat(loaded.courses()).containsExactly(new Course(art.id(), "Art", "Colours", null),
                    new Course(math.id(), "Math", "Numbers", null));
        }

        @Test
        void coursesLinkedFromEitherSideAreSeenFromTheOther() {
            Student s1 = one(db.create(students, new Student(null, "S1", 9, null)));
            Student s2 = one(db.create(students, new Student(null, "S2", 11, null)));
            Course c1 = one(db.create(courses, new Course(null, "C1", null, null)));
            Course c2 = one(db.create(courses, new Course(null, "C2", null, null)));
            Course c3 = one(db.create(courses, new Course(null, "C3", null, null)));

            run(db.association(studentCourses).add(s1, List.of(c1, c2)));      // s1.addCourses([c1, c2])
            run(db.association(courseStudents).add(c3, List.of(s1, s2)));      // c3.addStudents([s1, s2])
            run(db.association(courseStudents).add(c1, s1));                  // already linked
            assertThat(keys(list(db.association(studentCourses).get(s1)), Course::id))
                    .containsExactlyInAnyOrder(c1.id(), c2.id(), c3.id());
            assertThat(keys(list(db.association(courseStudents).get(c3)), Student::id))
                    .containsExactlyInAnyOrder(s1.id(), s2.id());
            expectValue(db.association(courseStudents).count(c1), 1L);
            expectValue(db.association(studentCourses).has(s2, c3), true);
            expectValue(db.association(courseStudents).has(c2, s2), false);
            List<Map<String, Object>> rows = Sql.rows(handle.connectionFactory(),
                    "SELECT * FROM \"StudentCourses\" WHERE \"studentId\" = ANY($1)", (Object) new Integer[] {s1.id(), s2.id()});
            assertThat(rows).hasSize(4).allSatisfy(r -> assertThat(r).containsOnlyKeys("createdAt", "updatedAt",
                    "studentId", "courseId"));

            run(db.association(courseStudents).remove(c3, s1));               // c3.removeStudent(s1)
            assertThat(keys(list(db.association(studentCourses).get(s1)), Course::id))
                    .containsExactlyInAnyOrder(c1.id(), c2.id());
            run(db.association(studentCourses).set(s2, List.of(c1)));          // s2.setCourses([c1])
            assertThat(keys(list(db.association(courseStudents).get(c1)), Student::id))
                    .containsExactlyInAnyOrder(s1.id(), s2.id());
            expectEmpty(db.association(courseStudents).get(c3));
            run(db.association(courseStudents).set(c1, List.of()));           // c1.setStudents([])
            assertThat(keys(list(db.association(studentCourses).get(s1)), Course::id)).containsExactly(c2.id());
            expectEmpty(db.association(studentCourses).get(s2));
            Student created = one(db.association(courseStudents).create(c2, new Student(null, "S3", 8, null)));
            assertThat(keys(list(db.association(studentCourses).get(created)), Course::id)).containsExactly(c2.id());
        }

        @ParameterizedTest
        @EnumSource(Include.Strategy.class)
        void studentAndCourseIncludesFromBothSidesMatchTheLazyLoads(Include.Strategy strategy) {
            List<Student> ss = new ArrayList<>();
            List<Course> cs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ss.add(one(db.create(students, new Student(null, "St" + i + strategy, i, null))));
                cs.add(one(db.create(courses, new Course(null, "Co" + i + strategy, null, null))));
            }
            run(db.association(studentCourses).add(ss.get(0), List.of(cs.get(0), cs.get(1))));
            run(db.association(courseStudents).add(cs.get(1), List.of(ss.get(1))));

            List<Student> withCourses = list(db.findAll(Query.from(students)
                    .where(Where.in("id", ss.stream().map(Student::id).toList()))
                    .include(studentCourses, i -> i.strategy(strategy).throughAttributes())));
            List<Course> withStudents = list(db.findAll(Query.from(courses)
                    .where(Where.in("id", cs.stream().map(Course::id).toList()))
                    .include(courseStudents, i -> i.strategy(strategy))));
            Map<Integer, Set<Integer>> fromStudents = links(withCourses, Student::id, Student::courses, Course::id);
            Map<Integer, Set<Integer>> fromCourses = links(withStudents, Course::id, Course::students, Student::id);

            assertThat(fromStudents).isEqualTo(Map.of(ss.get(0).id(), Set.of(cs.get(0).id(), cs.get(1).id()),
                    ss.get(1).id(), Set.of(cs.get(1).id()), ss.get(2).id(), Set.of()));
            assertThat(nonEmpty(fromCourses)).isEqualTo(invert(fromStudents));
            assertThat(lazyLinks(ss, Student::id, db.association(studentCourses)::get, Course::id))
                    .isEqualTo(fromStudents);
            assertThat(lazyLinks(cs, Course::id, db.association(courseStudents)::get, Student::id))
                    .isEqualTo(fromCourses);

            // nested: a student's courses with each course's students
            Student nested = one(db.findByPk(Query.from(students).include(studentCourses, i -> i.strategy(strategy)
                    .include(courseStudents, j -> j.strategy(strategy))), ss.get(0).id()));
            assertThat(links(nested.courses(), Course::id, Course::students, Student::id)).isEqualTo(Map.of(
                    cs.get(0).id(), Set.of(ss.get(0).id()), cs.get(1).id(), Set.of(ss.get(0).id(), ss.get(1).id())));
        }

        // =================================================================================================

        /**
         * The library models exactly as the tutorial writes them: no {@code UserId} on LibraryCard, no
         * {@code authorId} on Book (Sequelize adds both attributes itself). Same tables; includes and the
         * hasOne/hasMany sides work; the belongsTo sides are
         * {@link #theBelongsToSidesWorkWithoutForeignKeyComponents() disabled} until the defect there is fixed.
         */
        @Nested
        @ExtendWith(TestDatabase.class)
        class AsTheTutorialWritesIt {
            record LibraryCard(Integer id, String cardNumber, OffsetDateTime issuedDate, User user) {
            }

            record User(Integer id, String name, String email, LibraryCard libraryCard) {
            }

            record Author(Integer id, String name, String biography, List<Book> books) {
            }

            record Book(Integer id, String title, Integer publishYear, Author author) {
            }

            record Student(Integer id, String name, Integer grade, List<Course> courses) {
            }

            record Course(Integer id, String title, String description, List<Student> students) {
            }

            static Database exact;
            static TestDatabase.Handle exactHandle;
            static Model<LibraryCard> exactCards;
            static Model<User> exactUsers;
            static Model<Author> exactAuthors;
            static Model<Book> exactBooks;
            static BelongsTo<LibraryCard, User> exactCardUser;
            static HasOne<User, LibraryCard> exactUserCard;
            static HasMany<Author, Book> exactAuthorBooks;
            static BelongsTo<Book, Author> exactBookAuthor;

            @BeforeAll
            static void schema(TestDatabase.Handle h) {
                exactHandle = h;
                SchemaBuilder s = Schema.builder();
                exactCards = s.define(LibraryCard.class, m -> {
                    m.name("LibraryCard");
                    m.attribute("cardNumber", DataType.string()).unique();
                    m.attribute("issuedDate", DataType.timestamptz());
                });
                exactUsers = s.define(User.class, m -> m.name("User"));
                exactAuthors = s.define(Author.class, m -> m.name("Author").attribute("biography", DataType.text()));
                exactBooks = s.define(Book.class, m -> m.name("Book").attribute("publishYear", DataType.integer()));
                Model<Student> ss = s.define(Student.class, m -> m.name("Student").attribute("grade", DataType.integer()));
                Model<Course> cs = s.define(Course.class, m -> m.name("Course").attribute("description", DataType.text()));
                // in models/index.js's order, as above (the order decides the junction key's column order)
                exactAuthorBooks = exactAuthors.hasMany(exactBooks, o -> o.foreignKey("authorId").as("books"));
                exactBookAuthor = exactBooks.belongsTo(exactAuthors, o -> o.foreignKey("authorId").as("author"));
                cs.belongsToMany(ss, o -> o.through("StudentCourses").as("students").foreignKey("courseId"));
                exactCardUser = exactCards.belongsTo(exactUsers);
                ss.belongsToMany(cs, o -> o.through("StudentCourses").as("courses").foreignKey("studentId"));
                exactUserCard = exactUsers.hasOne(exactCards);
                exact = Database.connect(h.url(), s.build());
                run(exact.sync());
            }

            @AfterAll
            static void close() {
                exact.close().block(SeedSupport.TIMEOUT);
            }

            @AfterEach
            void noConnectionLeaked() {
                Pools.awaitNoAcquired(exact.connectionFactory());
            }

            static LibraryCard exactCard(String number) {
                return new LibraryCard(null, number, null, null);
            }

            @Test
            void syncCreatesTheSameTablesAsWithTheForeignKeysDeclared() {
                assertThat(SeedSupport.catalogSnapshot(exactHandle.connectionFactory()))
                        .isEqualTo(SeedSupport.catalogSnapshot(handle.connectionFactory()));
            }

            @ParameterizedTest
            @EnumSource(Include.Strategy.class)
            void theHasOneAndHasManySidesAndTheIncludesWork(Include.Strategy strategy) {
                User ann = one(exact.create(exactUsers, new User(null, "Ann" + strategy, null, null)));
                LibraryCard card = one(exact.association(exactUserCard).create(ann, exactCard("T-" + strategy)));
                Author austen = one(exact.create(exactAuthors, new Author(null, "Austen" + strategy, null, null)));
                Book emma = one(exact.association(exactAuthorBooks).create(austen, new Book(null, "Emma", 1815, null)));
                expectValue(exact.association(exactUserCard).get(ann), card);
                assertThat(keys(list(exact.association(exactAuthorBooks).get(austen)), Book::id))
                        .containsExactly(emma.id());

                assertThat(one(exact.findByPk(Query.from(exactCards).include(exactCardUser, i -> i.strategy(strategy)),
                        card.id())).user().id()).isEqualTo(ann.id());
                assertThat(one(exact.findByPk(Query.from(exactUsers).include(exactUserCard, i -> i.strategy(strategy)),
                        ann.id())).libraryCard()).isEqualTo(card);
                assertThat(one(exact.findByPk(Query.from(exactBooks).include(exactBookAuthor, i -> i.strategy(strategy)),
                        emma.id())).author().id()).isEqualTo(austen.id());
                assertThat(one(exact.findByPk(Query.from(exactAuthors).include(exactAuthorBooks,
                        i -> i.strategy(strategy)), austen.id())).books()).containsExactly(emma);
            }

            /**
             * Regression (a defect found here, fixed): {@code card.getUser()}, {@code setUser}, {@code createUser},
             * {@code book.getAuthor()}, {@code setAuthor} throw {@code QueryDefinitionException: LibraryCard.User:
             * the entity LibraryCard has no property 'UserId', so its value cannot be read} when the entity does
             * not declare the foreign key, although none of them uses its value. Sequelize adds the attribute.
             */
            @Test
            void theBelongsToSidesWorkWithoutForeignKeyComponents() {
                User bob = one(exact.create(exactUsers, new User(null, "Bob", null, null)));
                LibraryCard card = one(exact.create(exactCards, exactCard("T-belongs")));
                expectEmpty(exact.association(exactCardUser).get(card));
                run(exact.association(exactCardUser).set(card, bob));
                assertThat(one(exact.association(exactCardUser).get(card)).id()).isEqualTo(bob.id());
                assertThat(one(exact.association(exactUserCard).get(bob)).id()).isEqualTo(card.id());
                User cid = one(exact.association(exactCardUser).create(card, new User(null, "Cid", null, null)));
                assertThat(one(exact.association(exactUserCard).get(cid)).id()).isEqualTo(card.id());

                Author borges = one(exact.create(exactAuthors, new Author(null, "Borges", null, null)));
                Book aleph = one(exact.create(exactBooks, new Book(null, "El Aleph", 1949, null)));
                run(exact.association(exactBookAuthor).set(aleph, borges));
                assertThat(one(exact.association(exactBookAuthor).get(aleph)).id()).isEqualTo(borges.id());
            }
        }
    }

    // =====================================================================================================

    /** "Real-World Example: Social Media Platform" and "Association Options and Customization" (Team). */
    @Nested
    @ExtendWith(TestDatabase.class)
    class SocialPlatform {
        /**
         * {@code sequelize.define('User', {username: {type: STRING, unique: true}, email: STRING})}, plus
         * {@code active}: the tutorial's {@code Team.belongsToMany(User, {..., scope: {active: true}})} is a
         * scope on the target, User, which Sequelize applies as {@code "User"."active" = true} (and writes on
         * createMember); without the attribute that query fails in Sequelize too, so it is added.
         */
        record User(Integer id, String username, String email, Boolean active, Profile profile, List<Post> posts,
                List<User> followers, List<User> following) {
        }

        /** Profile is not shown by the tutorial: a bio; {@code profileId} is the key hasOne adds (see below). */
        record Profile(Integer id, String bio, Integer profileId) {
        }

        /** Post is not shown by the tutorial: a title; {@code authorId} is the key of {@code User.hasMany}. */
        record Post(Integer id, String title, Integer authorId) {
        }

        record Team(Integer id, String name, List<User> members, List<Project> activeProjects) {
        }

        /** Project is not shown by the tutorial: a name and the {@code status} its scope needs. */
        record Project(Integer id, String name, String status, Integer teamId) {
        }

        static Database owner;
        static Database db;
        static TestDatabase.Handle handle;
        static Model<User> users;
        static Model<Profile> profiles;
        static Model<Post> posts;
        static Model<Team> teams;
        static Model<Project> projects;
        static HasOne<User, Profile> userProfile;
        static HasMany<User, Post> userPosts;
        static BelongsToMany<User, User> followers;
        static BelongsToMany<User, User> following;
        static BelongsToMany<Team, User> members;
        static HasMany<Team, Project> activeProjects;

        @BeforeAll
        static void schema(TestDatabase.Handle h) {
            handle = h;
            SchemaBuilder s = Schema.builder();
            users = s.define(User.class, m -> m.name("User").attribute("username", DataType.string()).unique());
            profiles = s.define(Profile.class, m -> m.name("Profile").attribute("bio", DataType.text()));
            posts = s.define(Post.class, m -> m.name("Post"));
            teams = s.define(Team.class, m -> m.name("Team"));
            projects = s.define(Project.class, m -> m.name("Project"));
            userProfile = users.hasOne(profiles, o -> o.as("profile").onDelete(ReferentialAction.CASCADE));
            userPosts = users.hasMany(posts, o -> o.as("posts").foreignKey("authorId"));
            followers = users.belongsToMany(users, o -> o.through("Followers").as("followers")
                    .foreignKey("followingId").otherKey("followerId"));
            following = users.belongsToMany(users, o -> o.through("Followers").as("following")
                    .foreignKey("followerId").otherKey("followingId"));
            members = teams.belongsToMany(users, o -> o.through("TeamMembers").as("members").foreignKey("teamId")
                    .otherKey("userId").constraints(true).onDelete(ReferentialAction.CASCADE).scope("active", true));
            activeProjects = teams.hasMany(projects, o -> o.foreignKey("teamId").as("activeProjects")
                    .scope("status", "active"));
            owner = Database.connect(h.url(), s.build());
            db = owner;
            run(db.sync());
        }

        @AfterAll
        static void close() {
            owner.close().block(SeedSupport.TIMEOUT);
        }

        @AfterEach
        void noConnectionLeaked() {
            Pools.awaitNoAcquired(owner.connectionFactory());
        }

        static User user(String name) {
            return new User(null, name, name + "@social.example", true, null, null, null, null);
        }

        @Test
        void aliasesAndKeysAreSequelizes() {
            assertThat(aliases(users)).containsExactly("profile", "posts", "followers", "following");
            assertThat(aliases(teams)).containsExactly("members", "activeProjects");
            // hasOne infers its key from the alias: Utils.camelize(singularize('profile') + '_id')
            assertThat(keyNames(userProfile)).isEqualTo("profileId");
            assertThat(keyNames(userPosts)).isEqualTo("authorId");
            assertThat(keyNames(followers)).isEqualTo("followingId/followerId");
            assertThat(keyNames(following)).isEqualTo("followerId/followingId");
            assertThat(keyNames(members)).isEqualTo("teamId/userId");
            assertThat(keyNames(activeProjects)).isEqualTo("teamId");
        }

        @Test
        void syncCreatesSequelizesTables() {
            var cf = handle.connectionFactory();
            assertThat(tables(cf)).containsExactlyInAnyOrder("Users", "Profiles", "Posts", "Followers", "Teams",
                    "TeamMembers", "Projects");
            assertThat(columns(cf, "Users")).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "id", "integer NOT NULL", "username", "character varying(255) NULL",
                    "email", "character varying(255) NULL", "active", "boolean NULL",
                    "createdAt", TSTZ, "updatedAt", TSTZ));
            assertThat(uniqueKeys(cf, "Users")).containsExactly(Set.of("username"));
            assertThat(foreignKeys(cf, "Users")).isEmpty();
            assertThat(columns(cf, "Profiles")).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "id", "integer NOT NULL", "bio", "text NULL", "profileId", "integer NULL",
                    "createdAt", TSTZ, "updatedAt", TSTZ));
            assertThat(foreignKeys(cf, "Profiles")).containsExactly(
                    new Fk("profileId", "Users", "id", "CASCADE", "CASCADE"));
            assertThat(foreignKeys(cf, "Posts")).containsExactly(new Fk("authorId", "Users", "id", "SET NULL", "CASCADE"));
            assertThat(columns(cf, "Followers")).containsExactlyInAnyOrderEntriesOf(Map.of("createdAt", TSTZ,
                    "updatedAt", TSTZ, "followingId", "integer NOT NULL", "followerId", "integer NOT NULL"));
            assertThat(primaryKey(cf, "Followers")).containsExactlyInAnyOrder("followingId", "followerId");
            assertThat(foreignKeys(cf, "Followers")).containsExactlyInAnyOrder(
                    new Fk("followingId", "Users", "id", "CASCADE", "CASCADE"),
                    new Fk("followerId", "Users", "id", "CASCADE", "CASCADE"));
            assertThat(columns(cf, "TeamMembers")).containsExactlyInAnyOrderEntriesOf(Map.of("createdAt", TSTZ,
                    "updatedAt", TSTZ, "teamId", "integer NOT NULL", "userId", "integer NOT NULL"));
            assertThat(primaryKey(cf, "TeamMembers")).containsExactlyInAnyOrder("teamId", "userId");
            assertThat(foreignKeys(cf, "TeamMembers")).containsExactlyInAnyOrder(
                    new Fk("teamId", "Teams", "id", "CASCADE", "CASCADE"),
                    new Fk("userId", "Users", "id", "CASCADE", "CASCADE"));
            assertThat(columns(cf, "Projects")).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "id", "integer NOT NULL", "name", "character varying(255) NULL",
                    "status", "character varying(255) NULL", "teamId", "integer NULL",
                    "createdAt", TSTZ, "updatedAt", TSTZ));
            assertThat(foreignKeys(cf, "Projects")).containsExactly(new Fk("teamId", "Teams", "id", "SET NULL", "CASCADE"));
        }

        @Test
        void syncAgainChangesNothing() {
            User u = one(db.create(users, user("sync")));
            run(db.association(userPosts).create(u, new Post(null, "sync", null)));
            assertSyncAgainChangesNothing(db, handle.connectionFactory());
        }

        /** {@code getUserWithProfile}: {@code User.findByPk(userId, {include: [{model: Profile, as: 'profile'}]})}. */
        @ParameterizedTest
        @EnumSource(Include.Strategy.class)
        void getUserWithProfile(Include.Strategy strategy) {
            User ann = one(db.create(users, user("ann" + strategy)));
            User bob = one(db.create(users, user("bob" + strategy)));
            Profile p = one(db.association(userProfile).create(ann, new Profile(null, "hello", null)));
            assertThat(p.profileId()).isEqualTo(ann.id());

            User loaded = one(db.findByPk(Query.from(users).include(userProfile, i -> i.strategy(strategy)), ann.id()));
            assertThat(loaded.profile()).isEqualTo(new Profile(p.id(), "hello", ann.id()));
            assertThat(one(db.findByPk(Query.from(users).include("profile"), bob.id())).profile()).isNull();
            assertThat(one(db.association(userProfile).get(ann))).isEqualTo(loaded.profile());
        }

        @Test
        void theProfileFollowsItsUserAndIsDeletedWithIt() {
            User cid = one(db.create(users, user("cid")));
            User dee = one(db.create(users, user("dee")));
            Profile p = one(db.create(profiles, new Profile(null, "moving", null)));
            run(db.association(userProfile).set(cid, p));                  // cid.setProfile(p)
            assertThat(one(db.association(userProfile).get(cid)).id()).isEqualTo(p.id());
            run(db.association(userProfile).set(dee, p));                  // dee.setProfile(p): cid loses it
            expectEmpty(db.association(userProfile).get(cid));
            assertThat(one(db.findByPk(profiles, p.id())).profileId()).isEqualTo(dee.id());

            expectValue(db.destroy(Query.from(users).where(Where.eq("id", dee.id()))), 1L);
            expectEmpty(db.findByPk(profiles, p.id()));                      // onDelete: 'CASCADE'
        }

        @ParameterizedTest
        @EnumSource(Include.Strategy.class)
        void postsAreLinkedCountedAndIncluded(Include.Strategy strategy) {
            User eve = one(db.create(users, user("eve" + strategy)));
            User fay = one(db.create(users, user("fay" + strategy)));
            Post p1 = one(db.association(userPosts).create(eve, new Post(null, "first", null)));
            Post p2 = one(db.create(posts, new Post(null, "second", null)));
            Post p3 = one(db.create(posts, new Post(null, "third", null)));
            run(db.association(userPosts).add(eve, p2));
            run(db.association(userPosts).set(fay, List.of(p3)));
            expectValue(db.association(userPosts).count(eve), 2L);
            expectValue(db.association(userPosts).has(eve, List.of(p1, p2)), true);
            expectValue(db.association(userPosts).has(fay, p1), false);

            List<User> withPosts = list(db.findAll(Query.from(users).where(Where.in("id", eve.id(), fay.id()))
                    .include(userPosts, i -> i.strategy(strategy))));
            Map<Integer, Set<Integer>> included = links(withPosts, User::id, User::posts, Post::id);
            assertThat(included).isEqualTo(Map.of(eve.id(), Set.of(p1.id(), p2.id()), fay.id(), Set.of(p3.id())));
            assertThat(lazyLinks(List.of(eve, fay), User::id, db.association(userPosts)::get, Post::id))
                    .isEqualTo(included);
            run(db.association(userPosts).remove(eve, p1));
            assertThat(one(db.findByPk(posts, p1.id())).authorId()).isNull();
        }

        @ParameterizedTest
        @EnumSource(Include.Strategy.class)
        void followersAndFollowingAreTheTwoSidesOfOneJunction(Include.Strategy strategy) {
            User alice = one(db.create(users, user("alice" + strategy)));
            User bob = one(db.create(users, user("bob-f" + strategy)));
            User carol = one(db.create(users, user("carol" + strategy)));
            List<User> all = List.of(alice, bob, carol);

            run(db.association(followers).add(alice, List.of(bob, carol)));   // alice.addFollowers([bob, carol])
            run(db.association(following).add(alice, carol));                // alice.addFollowing(carol)
            // one row per follow: (followingId, followerId)
            assertThat(Sql.rows(handle.connectionFactory(), "SELECT \"followingId\", \"followerId\" FROM \"Followers\""
                    + " WHERE \"followerId\" = ANY($1)", (Object) new Integer[] {alice.id(), bob.id(), carol.id()})
                    .stream().map(r -> List.of(r.get("followingId"), r.get("followerId"))))
                    .containsExactlyInAnyOrder(List.of(alice.id(), bob.id()), List.of(alice.id(), carol.id()),
                            List.of(carol.id(), alice.id()));

            Map<Integer, Set<Integer>> followersOf = lazyLinks(all, User::id, db.association(followers)::get, User::id);
            Map<Integer, Set<Integer>> followedBy = lazyLinks(all, User::id, db.association(following)::get, User::id);
            assertThat(followersOf).isEqualTo(Map.of(alice.id(), Set.of(bob.id(), carol.id()), bob.id(), Set.of(),
                    carol.id(), Set.of(alice.id())));
            assertThat(nonEmpty(followedBy)).isEqualTo(invert(followersOf));
            expectValue(db.association(following).has(bob, alice), true);
            expectValue(db.association(following).count(carol), 1L);

            List<User> included = list(db.findAll(Query.from(users)
                    .where(Where.in("id", all.stream().map(User::id).toList()))
                    .include(followers, i -> i.strategy(strategy)).include(following, i -> i.strategy(strategy))));
            assertThat(links(included, User::id, User::followers, User::id)).isEqualTo(followersOf);
            assertThat(links(included, User::id, User::following, User::id)).isEqualTo(followedBy);

            run(db.association(following).remove(bob, alice));              // bob.removeFollowing(alice)
            assertThat(keys(list(db.association(followers).get(alice)), User::id)).containsExactly(carol.id());
            run(db.association(followers).set(carol, List.of(bob)));         // carol.setFollowers([bob])
            assertThat(keys(list(db.association(following).get(alice)), User::id)).isEmpty();
            assertThat(keys(list(db.association(following).get(bob)), User::id)).containsExactly(carol.id());
        }

        @Test
        void teamMembersAreTheActiveUsersOnly() {
            Team team = one(db.create(teams, new Team(null, "Core", null, null)));
            User gus = one(db.create(users, user("gus")));
            User hal = one(db.create(users, user("hal")));
            User created = one(db.association(members).create(team,
                    new User(null, "ivy", null, null, null, null, null, null)));
            assertThat(created.active()).as("createMember writes the scope").isTrue();
            run(db.association(members).add(team, List.of(gus, hal)));
            expectValue(db.association(members).count(team), 3L);

            // hal leaves the active users: Sequelize's get/count/include filter on "User"."active" = true
            expectValue(db.update(Query.from(users).where(Where.eq("id", hal.id())), Map.of("active", false)), 1L);
            assertThat(keys(list(db.association(members).get(team)), User::id))
                    .containsExactlyInAnyOrder(gus.id(), created.id());
            expectValue(db.association(members).count(team), 2L);
            expectValue(db.association(members).has(team, hal), false);
            Team loaded = one(db.findByPk(Query.from(teams).include(members), team.id()));
            assertThat(keys(loaded.members(), User::id)).containsExactlyInAnyOrder(gus.id(), created.id());
            assertThat(Sql.single(handle.connectionFactory(), "SELECT count(*) FROM \"TeamMembers\" WHERE \"teamId\" = $1",
                    Long.class, team.id())).as("the junction rows stay").isEqualTo(3L);

            // onDelete: 'CASCADE': deleting the team deletes its junction rows, not the users
            expectValue(db.destroy(Query.from(teams).where(Where.eq("id", team.id()))), 1L);
            assertThat(Sql.single(handle.connectionFactory(), "SELECT count(*) FROM \"TeamMembers\" WHERE \"teamId\" = $1",
                    Long.class, team.id())).isZero();
            assertThat(one(db.findByPk(users, gus.id())).username()).isEqualTo("gus");
        }

        /**
         * A SEPARATE include of a belongsToMany with a target scope: its follow-up statement binds the scope
         * ({@code "t1"."active" = $1}) before the parents' keys ({@code = ANY($2)}). Before main 264a2b6 the
         * key array replaced bind 0 and the statement failed with {@code 42883 boolean = integer[]}. Sequelize
         * returns the active members, as the JOIN strategy does.
         */
        @Test
        void teamMembersIncludedSeparatelyAreTheActiveUsersOnly() {
            Team team = one(db.create(teams, new Team(null, "Separate", null, null)));
            User jan = one(db.create(users, user("jan")));
            User kai = one(db.create(users, user("kai")));
            run(db.association(members).add(team, List.of(jan, kai)));
            expectValue(db.update(Query.from(users).where(Where.eq("id", kai.id())), Map.of("active", false)), 1L);

            Team loaded = one(db.findByPk(Query.from(teams).include(members,
                    i -> i.strategy(Include.Strategy.SEPARATE)), team.id()));
            assertThat(keys(loaded.members(), User::id)).containsExactly(jan.id());
        }

        @ParameterizedTest
        @EnumSource(Include.Strategy.class)
        void activeProjectsAreTheProjectsWithStatusActive(Include.Strategy strategy) {
            Team team = one(db.create(teams, new Team(null, "Proj" + strategy, null, null)));
            Project created = one(db.association(activeProjects).create(team, new Project(null, "p1", null, null)));
            assertThat(created.status()).as("createActiveProject writes the scope").isEqualTo("active");
            assertThat(created.teamId()).isEqualTo(team.id());
            Project done = one(db.create(projects, new Project(null, "p2", "done", null)));
            run(db.association(activeProjects).add(team, done));             // Sequelize's add writes the scope too
            assertThat(one(db.findByPk(projects, done.id())).status()).isEqualTo("active");

            // a project of the team that is no longer active is not one of its activeProjects
            expectValue(db.update(Query.from(projects).where(Where.eq("id", done.id())), Map.of("status", "done")), 1L);
            assertThat(keys(list(db.association(activeProjects).get(team)), Project::id)).containsExactly(created.id());
            expectValue(db.association(activeProjects).count(team), 1L);
            Team loaded = one(db.findByPk(Query.from(teams).include(activeProjects, i -> i.strategy(strategy)), team.id()));
            assertThat(keys(loaded.activeProjects(), Project::id)).containsExactly(created.id());

            run(db.association(activeProjects).remove(team, created));
            assertThat(one(db.findByPk(projects, created.id())).teamId()).isNull();
            assertThat(one(db.findByPk(projects, done.id())).teamId()).as("not seen, not touched").isEqualTo(team.id());
        }
    }
}
