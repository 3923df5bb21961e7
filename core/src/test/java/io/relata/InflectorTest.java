package io.relata;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Sequelize names tables and mixins with the {@code inflection} package: {@code Person → People},
 * {@code Hypothesis → Hypotheses} (seed 004), and a word that is already plural stays as it is
 * ({@code define('ActorMovies')} keeps the table {@code ActorMovies}).
 */
class InflectorTest {

    @Nested
    class Pluralize {

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource({
                "Person, People",
                "person, people",
                "Hypothesis, Hypotheses",
                "Team, Teams",
                "Player, Players",
                "Movie, Movies",
                "Actor, Actors",
                "captain, captains",
                "ship, ships",
                "foo, foos",
                "bar, bars",
                "BlogPost, BlogPosts",
                "Category, Categories",
                "Box, Boxes",
                "Church, Churches",
                "Child, Children",
                "Mouse, Mice",
                "Knife, Knives",
                "Potato, Potatoes",
                "follower, followers",
        })
        void regularAndIrregularNouns(String singular, String plural) {
            assertThat(Inflector.pluralize(singular)).isEqualTo(plural);
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource({"Man, Men", "Woman, Women", "Foot, Feet", "Tooth, Teeth"})
        void irregularPluralsKeepTheCapitalisationOfTheWord(String singular, String plural) {
            assertThat(Inflector.pluralize(singular)).isEqualTo(plural);
        }

        @ParameterizedTest
        @ValueSource(strings = {"People", "Users", "Movies", "ActorMovies", "UserProjects", "Children", "Followers"})
        void aWordThatIsAlreadyPluralStaysAsItIs(String plural) {
            assertThat(Inflector.pluralize(plural)).isEqualTo(plural);
        }

        @ParameterizedTest
        @ValueSource(strings = {"Sheep", "Fish", "Series", "Species", "News", "Information", "Equipment"})
        void uncountableNounsDoNotChange(String word) {
            assertThat(Inflector.pluralize(word)).isEqualTo(word);
        }

        @Test
        void emptyStaysEmpty() {
            assertThat(Inflector.pluralize("")).isEmpty();
        }
    }

    @Nested
    class Singularize {

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource({
                "People, Person",
                "people, person",
                "Hypotheses, Hypothesis",
                "Teams, Team",
                "players, player",
                "Movies, Movie",
                "movies, movie",
                "followers, follower",
                "Categories, Category",
                "Boxes, Box",
                "Children, Child",
                "Mice, Mouse",
                "Knives, Knife",
                "Quizzes, Quiz",
        })
        void pluralNouns(String plural, String singular) {
            assertThat(Inflector.singularize(plural)).isEqualTo(singular);
        }

        @ParameterizedTest
        @ValueSource(strings = {"Person", "Team", "leader", "Hypothesis", "Analysis", "Status", "Bus", "News", "Series"})
        void aWordThatIsAlreadySingularStaysAsItIs(String singular) {
            assertThat(Inflector.singularize(singular)).isEqualTo(singular);
        }

        @ParameterizedTest
        @ValueSource(strings = {"Person", "Movie", "Team", "Category", "Box", "Hypothesis", "Child", "Quiz", "Status",
                "Address", "Wife", "leader", "follower"})
        void singularOfThePluralIsTheWordItself(String word) {
            assertThat(Inflector.singularize(Inflector.pluralize(word))).isEqualTo(word);
        }
    }

    @Nested
    class CaseConversions {

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource({
                "TeamId, team_id",
                "captainId, captain_id",
                "createdAt, created_at",
                "BlogPost, blog_post",
                "ActorMovies, actor_movies",
                "skillLevel, skill_level",
                "name, name",
                "already_snake, already_snake",
        })
        void underscoreTurnsCamelCaseIntoSnakeCase(String camel, String snake) {
            assertThat(Inflector.underscore(camel)).isEqualTo(snake);
        }

        @Test
        void camelizeJoinsTheWordsKeepingTheCaseOfTheFirst() {
            assertThat(Inflector.camelize("Team", "id")).isEqualTo("TeamId");
            assertThat(Inflector.camelize("captain", "id")).isEqualTo("captainId");
            assertThat(Inflector.camelize("foo", "name")).isEqualTo("fooName");
            assertThat(Inflector.camelize("bar", "title")).isEqualTo("barTitle");
        }

        @Test
        void capitalizeAndDecapitalizeTouchOnlyTheFirstLetter() {
            assertThat(Inflector.capitalize("leader")).isEqualTo("Leader");
            assertThat(Inflector.capitalize("")).isEmpty();
            assertThat(Inflector.decapitalize("HomeTeam")).isEqualTo("homeTeam");
            assertThat(Inflector.decapitalize("")).isEmpty();
        }
    }
}
