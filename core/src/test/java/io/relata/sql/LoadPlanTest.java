package io.relata.sql;

import io.relata.plan.Statements;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.BelongsTo;
import io.relata.BelongsToMany;
import io.relata.HasMany;
import io.relata.Model;
import io.relata.QueryDefinitionException;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.internal.AssociationPlanner;
import io.relata.query.Order;
import io.relata.query.Query;
import io.relata.query.Where;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Lazy loads for many sources at once: a query's {@code limit}/{@code offset} apply per source (a rank
 * among the source's targets), the text never depends on the number of sources, and a belongsToMany load
 * or count takes junction options ({@code throughAttributes}, {@code throughWhere}).
 */
class LoadPlanTest {

    record Author(Long id, String name, List<Book> books) {}
    record Book(Long id, String title, Integer year, Long authorId, Author author, List<Tag> tags) {}
    record Tag(Long id, String label) {}
    record Student(Long id, String name, List<Course> courses) {}
    record Course(Long id, String title, Enrollment enrollment) {}
    record Enrollment(Long studentId, Long courseId, String grade) {}

    static final HasMany<Author, Book> authorBooks;
    static final BelongsTo<Book, Author> bookAuthor;
    static final BelongsToMany<Book, Tag> bookTags;
    static final BelongsToMany<Student, Course> studentCourses;
    static final Model<Book> books;
    static final Model<Tag> tags;
    static final Model<Course> courses;

    static {
        SchemaBuilder s = Schema.builder().timestamps(false);
        Model<Author> authors = s.define(Author.class);
        books = s.define(Book.class);
        tags = s.define(Tag.class);
        Model<Student> students = s.define(Student.class);
        courses = s.define(Course.class);
        Model<Enrollment> enrollments = s.define(Enrollment.class);
        authorBooks = authors.hasMany(books);
        bookAuthor = books.belongsTo(authors);
        bookTags = books.belongsToMany(tags, o -> o.through("BookTags"));
        studentCourses = students.belongsToMany(courses, o -> o.through(enrollments));
        s.build();
    }

    static String q(String sql) {
        return sql.replace('`', '"');
    }

    static final String BOOK = "`t0`.`id` AS `c1`, `t0`.`title` AS `c2`, `t0`.`year` AS `c3`, `t0`.`authorId` AS `c4`";
    static final String W_BOOK = "`w`.`c0`, `w`.`c1`, `w`.`c2`, `w`.`c3`, `w`.`c4`";

    @Nested
    class PerSourceWindows {

        @Test
        void limitAndOrderApplyToEachSourcesTargets() {
            LoadPlan<Book> plan = Statements.load(authorBooks, Query.from(books).orderBy(Order.desc("year")).limit(2));

            assertThat(plan.statement().sql()).isEqualTo(q("SELECT " + W_BOOK + " FROM (SELECT `t0`.`authorId` AS `c0`, "
                    + BOOK + ", dense_rank() OVER (PARTITION BY `t0`.`authorId` ORDER BY `t0`.`year` DESC, `t0`.`id`)"
                    + " AS `r` FROM `Books` AS `t0` WHERE `t0`.`authorId` = ANY($1)) AS `w` WHERE `w`.`r` <= $2"
                    + " ORDER BY `w`.`c0`, `w`.`r`"));
            assertThat(plan.statement().values()).containsExactly(new Long[0], 2L);
        }

        @Test
        void theTextDoesNotDependOnHowManySources() {
            LoadPlan<Book> plan = Statements.load(authorBooks, Query.from(books).limit(1));

            SqlStatement one = plan.statement(List.of(1L));
            SqlStatement three = plan.statement(List.of(1L, 2L, 3L));

            assertThat(one).isNotNull();
            assertThat(three).isNotNull();
            assertThat(one.sql()).isEqualTo(three.sql()).isEqualTo(plan.statement().sql());
            assertThat(three.values()).containsExactly(new Long[] {1L, 2L, 3L}, 1L);
        }

        @Test
        void offsetAndLimitBoundTheRankAndAWhereStaysInside() {
            LoadPlan<Book> plan = Statements.load(authorBooks,
                    Query.from(books).where(Where.gt("year", 1900)).offset(1).limit(2));

            assertThat(plan.statement().sql()).isEqualTo(q("SELECT " + W_BOOK + " FROM (SELECT `t0`.`authorId` AS `c0`, "
                    + BOOK + ", dense_rank() OVER (PARTITION BY `t0`.`authorId` ORDER BY `t0`.`id`) AS `r`"
                    + " FROM `Books` AS `t0` WHERE `t0`.`authorId` = ANY($1) AND `t0`.`year` > $2) AS `w`"
                    + " WHERE `w`.`r` > $3 AND `w`.`r` <= $4 ORDER BY `w`.`c0`, `w`.`r`"));
            assertThat(plan.statement().values()).containsExactly(new Long[0], 1900, 1L, 3L);
        }

        @Test
        void withAToManyIncludeTheRankCountsTargetsAndTheIncludeKeepsItsOrder() {
            LoadPlan<Book> plan = Statements.load(authorBooks, Query.from(books).limit(1)
                    .include(bookTags, i -> i.orderBy(Order.desc("label"))));

            assertThat(plan.statement().sql()).isEqualTo(q("SELECT " + W_BOOK + ", `w`.`c5`, `w`.`c6` FROM (SELECT "
                    + "`t0`.`authorId` AS `c0`, " + BOOK + ", `t1`.`id` AS `c5`, `t1`.`label` AS `c6`, dense_rank() OVER"
                    + " (PARTITION BY `t0`.`authorId` ORDER BY `t0`.`id`) AS `r`, `t1`.`label` AS `o0`, `t1`.`id` AS `o1`"
                    + " FROM `Books` AS `t0` LEFT OUTER JOIN (`BookTags` AS `j1` INNER JOIN `Tags` AS `t1`"
                    + " ON `t1`.`id` = `j1`.`TagId`) ON `j1`.`BookId` = `t0`.`id` WHERE `t0`.`authorId` = ANY($1)) AS `w`"
                    + " WHERE `w`.`r` <= $2 ORDER BY `w`.`c0`, `w`.`r`, `w`.`o0` DESC, `w`.`o1`"));
        }

        @Test
        void aBelongsToManyWindowRanksPerSourceThroughTheJunction() {
            LoadPlan<Tag> plan = Statements.load(bookTags, Query.from(tags).orderBy(Order.asc("label")).limit(3));

            assertThat(plan.statement().sql()).isEqualTo(q("SELECT `w`.`c0`, `w`.`c1`, `w`.`c2` FROM (SELECT"
                    + " `j0`.`BookId` AS `c0`, `t0`.`id` AS `c1`, `t0`.`label` AS `c2`, dense_rank() OVER (PARTITION BY"
                    + " `j0`.`BookId` ORDER BY `t0`.`label`, `t0`.`id`) AS `r` FROM `Tags` AS `t0` INNER JOIN `BookTags`"
                    + " AS `j0` ON `t0`.`id` = `j0`.`TagId` WHERE `j0`.`BookId` = ANY($1)) AS `w` WHERE `w`.`r` <= $2"
                    + " ORDER BY `w`.`c0`, `w`.`r`"));
        }

        @Test
        void aBelongsToWindowIsPerSourceToo() {
            LoadPlan<Author> plan = Statements.load(bookAuthor, Query.from(bookAuthor.target()).limit(1));

            assertThat(plan.statement().sql()).isEqualTo(q("SELECT `w`.`c0`, `w`.`c1`, `w`.`c2` FROM (SELECT"
                    + " `s0`.`id` AS `c0`, `t0`.`id` AS `c1`, `t0`.`name` AS `c2`, dense_rank() OVER (PARTITION BY"
                    + " `s0`.`id` ORDER BY `t0`.`id`) AS `r` FROM `Authors` AS `t0` INNER JOIN `Books` AS `s0`"
                    + " ON `s0`.`authorId` = `t0`.`id` WHERE `s0`.`id` = ANY($1)) AS `w` WHERE `w`.`r` <= $2"
                    + " ORDER BY `w`.`c0`, `w`.`r`"));
        }
    }

    @Nested
    class ThroughOptions {

        @Test
        void throughWhereFiltersTheJunctionRowsOfALoad() {
            LoadPlan<Course> plan = Statements.load(studentCourses,
                    Query.from(courses).throughWhere(Where.eq("grade", "A")));

            assertThat(plan.statement().sql()).isEqualTo(q("SELECT `j0`.`studentId` AS `c0`, `t0`.`id` AS `c1`,"
                    + " `t0`.`title` AS `c2`, `j0`.`studentId` AS `c3`, `j0`.`courseId` AS `c4`, `j0`.`grade` AS `c5`"
                    + " FROM `Courses` AS `t0` INNER JOIN `Enrollments` AS `j0` ON `t0`.`id` = `j0`.`courseId`"
                    + " WHERE `j0`.`studentId` = ANY($1) AND `j0`.`grade` = $2 ORDER BY `j0`.`studentId`, `t0`.`id`"));
            assertThat(plan.statement().values()).containsExactly(new Long[0], "A");
        }

        @Test
        void throughAttributesChooseTheJunctionColumnsOfALoad() {
            LoadPlan<Course> some = Statements.load(studentCourses, Query.from(courses).throughAttributes("grade"));
            LoadPlan<Course> none = Statements.load(studentCourses, Query.from(courses).throughAttributes());

            assertThat(some.statement().sql()).startsWith(q("SELECT `j0`.`studentId` AS `c0`, `t0`.`id` AS `c1`,"
                    + " `t0`.`title` AS `c2`, `j0`.`grade` AS `c3` FROM"));
            assertThat(none.statement().sql()).startsWith(q("SELECT `j0`.`studentId` AS `c0`, `t0`.`id` AS `c1`,"
                    + " `t0`.`title` AS `c2` FROM"));
        }

        @Test
        void throughWhereFiltersTheJunctionRowsOfACount() {
            SqlStatement st = AssociationPlanner.count(studentCourses, 7L, Where.like("title", "M%"), Where.eq("grade", "A"));

            assertThat(st.sql()).isEqualTo(q("SELECT count(*) FROM `Courses` AS `t0` INNER JOIN `Enrollments` AS `j0`"
                    + " ON `t0`.`id` = `j0`.`courseId` WHERE `j0`.`studentId` = $1 AND `j0`.`grade` = $2"
                    + " AND `t0`.`title` LIKE $3"));
            assertThat(st.values()).containsExactly(7L, "A", "M%");
        }

        @Test
        void anUnknownJunctionAttributeIsRejectedNamingTheJunctionsAttributes() {
            assertThatThrownBy(() -> Statements.load(studentCourses, Query.from(courses).throughWhere(Where.eq("mark", "A"))))
                    .isInstanceOf(QueryDefinitionException.class).hasMessageContainingAll("mark", "Enrollment", "grade");
            assertThatThrownBy(() -> Statements.load(studentCourses, Query.from(courses).throughAttributes("mark")))
                    .isInstanceOf(QueryDefinitionException.class).hasMessageContainingAll("mark", "grade");
        }

        @Test
        void throughOptionsOutsideABelongsToManyLoadAreRejected() {
            assertThatThrownBy(() -> Statements.select(Query.from(tags).throughWhere(Where.eq("x", 1))))
                    .isInstanceOf(QueryDefinitionException.class).hasMessageContainingAll("Tag", "belongsToMany");
            assertThatThrownBy(() -> Statements.count(Query.from(tags).throughAttributes()))
                    .isInstanceOf(QueryDefinitionException.class).hasMessageContaining("belongsToMany");
            assertThatThrownBy(() -> Statements.load(authorBooks, Query.from(books).throughAttributes()))
                    .isInstanceOf(QueryDefinitionException.class).hasMessageContainingAll("Author.Books", "HAS_MANY");
            assertThatThrownBy(() -> AssociationPlanner.count(authorBooks, 1L, null, Where.eq("x", 1)))
                    .isInstanceOf(QueryDefinitionException.class).hasMessageContainingAll("Author.Books", "HAS_MANY");
        }
    }
}
