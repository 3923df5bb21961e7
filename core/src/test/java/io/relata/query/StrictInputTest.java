package io.relata.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.BelongsToMany;
import io.relata.HasMany;
import io.relata.Model;
import io.relata.QueryDefinitionException;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.plan.Statements;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Malformed attribute paths are rejected by every path-taking API, when the query is built (filters,
 * order) or planned (attribute lists, junction attributes, update changes); negative windows are
 * rejected; nulls name the parameter.
 */
class StrictInputTest {
    record User(Long id, String name) {}

    record Book(Long id, String title, Long userId) {}

    record Group(Long id, String label) {}

    static final Model<User> USERS;
    static final Model<Book> BOOKS;
    static final HasMany<User, Book> USER_BOOKS;
    static final BelongsToMany<User, Group> USER_GROUPS;

    static {
        SchemaBuilder s = Schema.builder().timestamps(false);
        USERS = s.define(User.class);
        BOOKS = s.define(Book.class);
        Model<Group> groups = s.define(Group.class);
        USER_BOOKS = USERS.hasMany(BOOKS, o -> o.as("books"));
        USER_GROUPS = USERS.belongsToMany(groups, o -> o.through("Memberships"));
        s.build();
    }

    static void malformed(ThrowingCallable call, String path) {
        assertThatThrownBy(call).isInstanceOf(QueryDefinitionException.class)
                .hasMessageMatching("(?s).*['\"]" + Pattern.quote(path) + "['\"].*");
    }

    @Nested
    class MalformedPaths {
        @ParameterizedTest
        @ValueSource(strings = {"id.", ".id", "books..title", "", ".", "books.title."})
        void everyFilterRejectsItWhenBuilt(String path) {
            List<Function<String, Where>> filters = List.of(p -> Where.eq(p, 1), p -> Where.ne(p, 1),
                    p -> Where.gt(p, 1), p -> Where.gte(p, 1), p -> Where.lt(p, 1), p -> Where.lte(p, 1),
                    p -> Where.like(p, "a%"), p -> Where.iLike(p, "a%"), p -> Where.in(p, List.of(1)),
                    p -> Where.in(p, 1, 2), p -> Where.notIn(p, List.of(1)), Where::isNull, Where::notNull,
                    p -> Where.between(p, 1, 2), p -> Where.eq(p, null), p -> Where.ne(p, null),
                    p -> new Where.Compare(p, Where.Op.EQ, 1), p -> new Where.In(p, List.of(), false),
                    p -> new Where.IsNull(p, false), p -> new Where.Between(p, 1, 2));
            for (Function<String, Where> f : filters) {
                malformed(() -> f.apply(path), path);
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"id.", ".id", "books..title", ""})
        void orderRejectsItWhenBuilt(String path) {
            malformed(() -> Order.asc(path), path);
            malformed(() -> Order.desc(path), path);
            malformed(() -> new Order(path, false), path);
        }

        @ParameterizedTest
        @ValueSource(strings = {"id.", ".id", "a..b", ""})
        void attributeListsIncludePathsJunctionAttributesAndChangesRejectIt(String path) {
            malformed(() -> Query.from(USERS).attributes(path), path);
            malformed(() -> Include.of(USER_BOOKS).attributes(path), path);
            malformed(() -> Query.from(USERS).include(path), path);
            malformed(() -> Include.of(USER_BOOKS).include(path), path);
            malformed(() -> Include.of(USER_GROUPS).throughAttributes(path), path);
            malformed(() -> Statements.load(USER_GROUPS, Query.from(USER_GROUPS.target()).throughAttributes(path)),
                    path);
            malformed(() -> Statements.update(Query.from(USERS), Map.of(path, "x")), path);
        }

        @Test
        void aWellFormedPathStillPlans() {
            assertThat(Statements.select(Query.from(USERS).include(USER_BOOKS)
                    .where(Where.eq("books.title", "t")).orderBy(Order.asc("books.title"))).statement().sql())
                    .contains("WHERE \"t1\".\"title\" = $1");
        }
    }

    @Nested
    class Windows {
        @Test
        void negativeLimitAndOffsetAreRejected() {
            assertThatThrownBy(() -> Query.from(USERS).limit(-1)).isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContaining("limit must be >= 0, was -1");
            assertThatThrownBy(() -> Query.from(USERS).offset(-5)).isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContaining("offset must be >= 0, was -5");
            assertThat(Query.from(USERS).limit(0).offset(0).limit().getAsLong()).isZero();
        }
    }

    @Nested
    class Nulls {
        @Test
        void anIncludeByANullAliasSaysTheAliasIsNull() {
            assertThatThrownBy(() -> Query.from(USERS).include((String) null))
                    .isInstanceOf(NullPointerException.class).hasMessage("alias");
            assertThatThrownBy(() -> Include.of(USER_BOOKS).include((String) null))
                    .isInstanceOf(NullPointerException.class).hasMessage("alias");
        }

        @Test
        void elementsOfListsAndVarargsAreNamedByIndex() {
            assertThatThrownBy(() -> Where.in("id", Arrays.asList(1, null)))
                    .isInstanceOf(NullPointerException.class).hasMessage("values[1]");
            assertThatThrownBy(() -> Where.in("id", 1, null)).isInstanceOf(NullPointerException.class)
                    .hasMessage("values[1]");
            assertThatThrownBy(() -> Where.and((Where) null)).isInstanceOf(NullPointerException.class)
                    .hasMessage("conditions[0]");
            assertThatThrownBy(() -> Where.and((Where[]) null)).isInstanceOf(NullPointerException.class)
                    .hasMessage("conditions");
            assertThatThrownBy(() -> Query.from(USERS).orderBy((Order) null)).isInstanceOf(NullPointerException.class)
                    .hasMessage("orders[0]");
            assertThatThrownBy(() -> Query.from(USERS).orderBy((Order[]) null)).isInstanceOf(NullPointerException.class)
                    .hasMessage("orders");
        }

        @Test
        void anIncludeOptionReturningNullIsNamed() {
            assertThatThrownBy(() -> Query.from(USERS).include(USER_BOOKS, i -> null))
                    .isInstanceOf(NullPointerException.class).hasMessage("options returned null");
        }
    }
}
