package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.BelongsToMany;
import io.relata.Model;
import io.relata.QueryDefinitionException;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.reactor.testing.CountingConnectionFactory;
import io.relata.reactor.testing.Pools;
import io.relata.reactor.testing.TestDatabase;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Sequelize-named mixins ({@code fooInstance.getBars()}, {@code addBar}, {@code countBars}, ...) as
 * user interfaces implemented by {@code db.mixins(model, Interface.class)}: the seed 004 sequences through
 * them, method names from aliases and irregular plurals, and the error for a method that matches nothing.
 */
@ExtendWith(TestDatabase.class)
class MixinsIT {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    record Foo(Long id, String name, List<Bar> bars) {
    }

    record Bar(Long id, String name, Long fooId) {
    }

    record Team(Long id, String name, List<Person> people) {
    }

    record Person(Long id, String name, Long teamId, Passport passport) {
    }

    record Passport(Long id, String number, Long personId) {
    }

    record Task(Long id, String title) {
    }

    record User(Long id, String name, List<User> followers, List<User> following) {
    }

    /** Foo.hasMany(Bar): the ten mixins of the guide. */
    interface FooMixins {
        Flux<Bar> getBars(Foo foo);

        Mono<Long> countBars(Foo foo);

        Mono<Boolean> hasBar(Foo foo, Object bar);

        Mono<Boolean> hasBars(Foo foo, Collection<?> bars);

        Mono<Void> setBars(Foo foo, Collection<?> bars);

        Mono<Void> addBar(Foo foo, Object bar);

        Mono<Void> addBars(Foo foo, Collection<?> bars);

        Mono<Void> removeBar(Foo foo, Object bar);

        Mono<Void> removeBars(Foo foo, Collection<?> bars);

        Mono<Bar> createBar(Foo foo, Bar bar);

        /** Default methods stay the interface's own. */
        default Mono<Boolean> hasNoBars(Foo foo) {
            return countBars(foo).map(n -> n == 0);
        }
    }

    /** Person.hasOne(Passport). */
    interface PersonMixins {
        Mono<Passport> getPassport(Person person);

        Mono<Void> setPassport(Person person, Object passport);

        Mono<Passport> createPassport(Person person, Passport passport);
    }

    /** Team.hasMany(Person): Sequelize's irregular plural, Person → People. */
    interface TeamMixins {
        Flux<Person> getPeople(Team team);

        Mono<Void> addPerson(Team team, Object person);

        Mono<Void> addPeople(Team team, Collection<?> people);

        Mono<Long> countPeople(Team team);
    }

    /** Task.hasOne(Person, { as: 'Author' }): names come from the alias. */
    interface TaskMixins {
        Mono<Person> getAuthor(Task task);

        Mono<Void> setAuthor(Task task, Object author);

        Mono<Person> createAuthor(Task task, Person author);
    }

    /** The self-association through "Followers". */
    interface UserMixins {
        Flux<User> getFollowers(User user);

        Mono<Void> addFollower(User user, Object follower);

        Mono<Boolean> hasFollower(User user, Object follower);

        Mono<Long> countFollowers(User user);

        Mono<Void> removeFollower(User user, Object follower);

        Flux<User> getFollowing(User user);
    }

    interface UnknownAlias {
        Flux<Bar> getBars(Foo foo);

        Flux<Bar> getBazs(Foo foo);
    }

    interface SourceNotFirst {
        Mono<Void> addBar(Bar bar, Foo foo);
    }

    interface WrongReturnType {
        List<Bar> getBars(Foo foo);
    }

    static Model<Foo> foos;
    static Model<Bar> bars;
    static Model<Team> teams;
    static Model<Person> people;
    static Model<Passport> passports;
    static Model<Task> tasks;
    static Model<User> users;
    static BelongsToMany<User, User> followers;

    static Database owner;
    static CountingConnectionFactory counting;
    static Database db;

    @BeforeAll
    static void schema(TestDatabase.Handle h) {
        SchemaBuilder s = Schema.builder();
        foos = s.define(Foo.class);
        bars = s.define(Bar.class);
        teams = s.define(Team.class);
        people = s.define(Person.class);
        passports = s.define(Passport.class);
        tasks = s.define(Task.class);
        users = s.define(User.class);
        foos.hasMany(bars);
        people.hasOne(passports);
        teams.hasMany(people);
        tasks.hasOne(people, o -> o.as("Author"));
        followers = users.belongsToMany(users, o -> o.through("Followers").as("followers")
                .foreignKey("followingId").otherKey("followerId"));
        users.belongsToMany(users, o -> o.through("Followers").as("following")
                .foreignKey("followerId").otherKey("followingId"));
        Schema schema = s.build();
        owner = Database.connect(h.url(), schema);
        counting = new CountingConnectionFactory(owner.connectionFactory());
        db = Database.create(counting, schema);
        db.sync().as(StepVerifier::create).expectComplete().verify(TIMEOUT);
    }

    @AfterAll
    static void close() {
        owner.close().block(TIMEOUT);
    }

    @BeforeEach
    void reset() {
        counting.reset();
    }

    @AfterEach
    void noLeak() {
        Pools.awaitNoAcquired(owner.connectionFactory());
    }

    static <T> T create(Model<T> model, T entity) {
        T created = db.create(model, entity).block(TIMEOUT);
        assertThat(created).isNotNull();
        return created;
    }

    static <T> void expectValue(Publisher<T> publisher, T expected) {
        Flux.from(publisher).as(StepVerifier::create).expectNext(expected).expectComplete().verify(TIMEOUT);
    }

    static void expectEmpty(Publisher<?> publisher) {
        Flux.from(publisher).as(StepVerifier::create).expectComplete().verify(TIMEOUT);
    }

    @Test
    void hasManyMixinsReplayTheSeedSequence() {
        FooMixins foo$ = db.mixins(foos, FooMixins.class);
        assertThat(counting.count()).as("resolving mixins runs no SQL").isZero();
        Foo foo = create(foos, new Foo(null, "the-foo", null));
        Bar bar1 = create(bars, new Bar(null, "some-bar", null));
        Bar bar2 = create(bars, new Bar(null, "another-bar", null));

        foo$.getBars(foo).collectList().as(StepVerifier::create).expectNext(List.of()).expectComplete().verify(TIMEOUT);
        expectValue(foo$.countBars(foo), 0L);                                      // 0
        expectValue(foo$.hasBar(foo, bar1), false);                                // false
        expectEmpty(foo$.addBars(foo, List.of(bar1, bar2)));
        expectValue(foo$.countBars(foo), 2L);                                      // 2
        expectEmpty(foo$.addBar(foo, bar1));
        expectValue(foo$.countBars(foo), 2L);                                      // 2
        expectValue(foo$.hasBar(foo, bar1), true);                                 // true
        expectValue(foo$.hasBars(foo, List.of(bar1, bar2)), true);
        expectEmpty(foo$.removeBar(foo, bar2));
        expectValue(foo$.countBars(foo), 1L);                                      // 1
        expectValue(foo$.hasBars(foo, List.of(bar1, bar2)), false);
        foo$.createBar(foo, new Bar(null, "yet-another-bar", null))
                .as(StepVerifier::create)
                .assertNext(b -> {
                    assertThat(b.name()).isEqualTo("yet-another-bar");
                    assertThat(b.fooId()).isEqualTo(foo.id());
                })
                .expectComplete()
                .verify(TIMEOUT);
        expectValue(foo$.countBars(foo), 2L);                                      // 2
        foo$.getBars(foo).map(Bar::name).collectList().as(StepVerifier::create)
                .expectNext(List.of("some-bar", "yet-another-bar")).expectComplete().verify(TIMEOUT);
        expectEmpty(foo$.setBars(foo, List.of()));                                 // un-associate all
        expectValue(foo$.countBars(foo), 0L);                                      // 0
        expectValue(foo$.hasNoBars(foo), true);
        expectEmpty(foo$.addBars(foo, List.of(bar1.id(), bar2.id())));             // keys work too
        expectEmpty(foo$.removeBars(foo, List.of(bar1)));
        expectValue(foo$.countBars(foo), 1L);
    }

    @Test
    void mixinCallsAreLazy() {
        FooMixins foo$ = db.mixins(foos, FooMixins.class);
        Foo foo = create(foos, new Foo(null, "lazy", null));
        counting.reset();
        Mono<Long> count = foo$.countBars(foo);
        Mono<Void> add = foo$.addBar(foo, create(bars, new Bar(null, "b", null)));
        counting.reset();
        assertThat(counting.count()).isZero();
        expectEmpty(add);
        expectValue(count, 1L);
        assertThat(counting.count()).isEqualTo(2);
    }

    @Test
    void hasOneMixinsReplayTheSeedSequence() {
        PersonMixins person$ = db.mixins(people, PersonMixins.class);
        Person person = create(people, new Person(null, "the-person", null, null));
        Passport p1 = create(passports, new Passport(null, "some-passport", null));
        create(passports, new Passport(null, "another-passport", null));

        expectEmpty(person$.getPassport(person));                                  // null
        expectEmpty(person$.setPassport(person, p1));
        expectValue(person$.getPassport(person).map(Passport::number), "some-passport");
        Passport created = person$.createPassport(person, new Passport(null, "yet-another-passport", null))
                .block(TIMEOUT);
        assertThat(created).isNotNull();
        expectValue(person$.getPassport(person), created);                         // 'yet-another-passport'
        expectEmpty(person$.setPassport(person, null));                            // un-associate
        expectEmpty(person$.getPassport(person));                                  // null
    }

    @Test
    void irregularPluralsNameTheMethods() {
        TeamMixins team$ = db.mixins(teams, TeamMixins.class);
        Team team = create(teams, new Team(null, "the-team", null));
        Person ann = create(people, new Person(null, "ann", null, null));
        Person bob = create(people, new Person(null, "bob", null, null));
        Person cid = create(people, new Person(null, "cid", null, null));
        expectEmpty(team$.addPerson(team, ann));
        expectEmpty(team$.addPeople(team, List.of(bob, cid.id())));
        expectValue(team$.countPeople(team), 3L);
        team$.getPeople(team).map(Person::name).collectList().as(StepVerifier::create)
                .expectNext(List.of("ann", "bob", "cid")).expectComplete().verify(TIMEOUT);
    }

    @Test
    void anAliasNamesTheMethods() {
        TaskMixins task$ = db.mixins(tasks, TaskMixins.class);
        Task task = create(tasks, new Task(null, "write the guide"));
        Person author = create(people, new Person(null, "author", null, null));
        expectEmpty(task$.getAuthor(task));
        expectEmpty(task$.setAuthor(task, author));
        expectValue(task$.getAuthor(task).map(Person::name), "author");
        Person created = task$.createAuthor(task, new Person(null, "ghost writer", null, null)).block(TIMEOUT);
        assertThat(created).isNotNull();
        expectValue(task$.getAuthor(task).map(Person::name), "ghost writer");
    }

    @Test
    void selfAssociationMixinsUseTheAliases() {
        UserMixins user$ = db.mixins(users, UserMixins.class);
        User alice = create(users, new User(null, "alice", null, null));
        User bob = create(users, new User(null, "bob", null, null));
        expectValue(user$.countFollowers(alice), 0L);
        expectEmpty(user$.addFollower(alice, bob));
        expectValue(user$.hasFollower(alice, bob), true);
        expectValue(user$.hasFollower(bob, alice), false);
        user$.getFollowers(alice).map(User::name).collectList().as(StepVerifier::create)
                .expectNext(List.of("bob")).expectComplete().verify(TIMEOUT);
        user$.getFollowing(bob).map(User::name).collectList().as(StepVerifier::create)
                .expectNext(List.of("alice")).expectComplete().verify(TIMEOUT);
        expectEmpty(user$.removeFollower(alice, bob.id()));
        expectValue(user$.countFollowers(alice), 0L);
    }

    @Test
    void aMethodMatchingNoAliasFailsAtCreationNamingTheMethodAndTheAliases() {
        assertThatThrownBy(() -> db.mixins(foos, UnknownAlias.class))
                .isInstanceOf(QueryDefinitionException.class)
                .hasMessageContaining("getBazs")
                .hasMessageContaining("Bars");
        assertThatThrownBy(() -> db.mixins(users, FooMixins.class))
                .isInstanceOf(QueryDefinitionException.class)
                .hasMessageContaining("Bar")
                .hasMessageContaining("followers")
                .hasMessageContaining("following");
        assertThat(counting.count()).isZero();
    }

    @Test
    void aMethodOfTheWrongShapeFailsAtCreationNamingIt() {
        assertThatThrownBy(() -> db.mixins(foos, SourceNotFirst.class))
                .isInstanceOf(QueryDefinitionException.class)
                .hasMessageContaining("addBar")
                .hasMessageContaining("Foo");
        assertThatThrownBy(() -> db.mixins(foos, WrongReturnType.class))
                .isInstanceOf(QueryDefinitionException.class)
                .hasMessageContaining("getBars")
                .hasMessageContaining("Flux");
    }

    @Test
    void mixinArgumentsAreCheckedBeforeSql() {
        FooMixins foo$ = db.mixins(foos, FooMixins.class);
        Foo foo = create(foos, new Foo(null, "checked", null));
        counting.reset();
        Flux.defer(() -> foo$.addBar(foo, new Bar(null, "unsaved", null)))
                .as(StepVerifier::create)
                .expectError(QueryDefinitionException.class)
                .verify(TIMEOUT);
        Flux.defer(() -> foo$.addBar(foo, foo))
                .as(StepVerifier::create)
                .expectError(QueryDefinitionException.class)
                .verify(TIMEOUT);
        assertThat(counting.count()).isZero();
    }
}
