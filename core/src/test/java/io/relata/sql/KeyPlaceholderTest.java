package io.relata.sql;

import io.relata.plan.Statements;
import static org.assertj.core.api.Assertions.assertThat;

import io.relata.BelongsToMany;
import io.relata.HasMany;
import io.relata.Model;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.query.Include;
import io.relata.query.Query;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The key array of a follow-up or lazy-load statement is found where the plan put it, not assumed to be
 * {@code $1}: a scope bound in a join before the {@code WHERE} comes first in the text.
 */
class KeyPlaceholderTest {
    record Course(Long id, String title, List<Student> students) {}
    record Student(Long id, String name, Boolean active, List<Note> notes) {}
    record Note(Long id, String text, Long StudentId, String kind) {}

    static final Model<Course> courses;
    static final BelongsToMany<Course, Student> activeStudents;
    static final HasMany<Student, Note> studentNotes;

    static {
        SchemaBuilder s = Schema.builder().timestamps(false);
        courses = s.define(Course.class);
        Model<Student> students = s.define(Student.class);
        Model<Note> notes = s.define(Note.class);
        activeStudents = courses.belongsToMany(students, o -> o.through("Enrollments").as("students").scope("active", true));
        studentNotes = students.hasMany(notes, o -> o.as("notes").scope("kind", "public"));
        s.build();
    }

    static RowSource row(Object... values) {
        return new RowSource() {
            @Override
            public <V> @Nullable V get(int index, Class<V> type) {
                return type.cast(values[index]);
            }
        };
    }

    @Test
    void aSeparateBelongsToManyWithATargetScopeFindsItsKeyArrayAfterTheScope() {
        SelectPlan<Course> plan = Statements.select(Query.from(courses)
                .include(activeStudents, i -> i.strategy(Include.Strategy.SEPARATE)));
        SqlStatement template = plan.followUpTemplates().get(0);
        assertThat(template.values().get(0)).isEqualTo(true);
        assertThat(template.sql()).contains("\"t1\".\"active\" = $1").contains("= ANY($2)");
        Assembly<Course> assembly = plan.assembly();
        assembly.push(row(7L, "Math"));
        assembly.endWindow(true);
        FollowUp followUp = assembly.nextFollowUp();
        assertThat(followUp).isNotNull();
        assertThat(followUp.statement().values()).containsExactly(true, new Long[] {7L});
    }

    @Test
    void aLazyLoadWhoseQueryIncludesAScopedAssociationFindsItsKeyArrayAfterTheInclude() {
        LoadPlan<Student> plan = Statements.load(activeStudents, Query.from(activeStudents.target())
                .include(studentNotes));

        assertThat(plan.statement().values().get(0)).isEqualTo("public");
        assertThat(plan.keyIndex()).isEqualTo(1);
        SqlStatement forKeys = plan.statement(List.of(7L, 8L));
        assertThat(forKeys.values().get(0)).isEqualTo("public");
        assertThat(forKeys.values().get(1)).isEqualTo(new Long[] {7L, 8L});
    }
}
