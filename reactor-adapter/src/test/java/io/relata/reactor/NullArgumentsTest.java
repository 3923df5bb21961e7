package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.observation.ObservationRegistry;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.relata.AssociationOptions;
import io.relata.Attribute;
import io.relata.AttributeSpec;
import io.relata.BelongsTo;
import io.relata.BelongsToMany;
import io.relata.DataType;
import io.relata.DefaultValue;
import io.relata.HasMany;
import io.relata.HasOne;
import io.relata.Model;
import io.relata.ModelBuilder;
import io.relata.Naming;
import io.relata.RelataException;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.TransactionOptions;
import io.relata.plan.Statements;
import io.relata.query.Include;
import io.relata.query.Order;
import io.relata.query.Projection;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.reactor.testing.NullProbe;
import io.relata.sql.SqlStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * Every public method and constructor of the public API ({@code io.relata}, {@code io.relata.query},
 * {@code io.relata.reactor}) rejects {@code null} for a parameter not marked {@code @Nullable} at call
 * time with an NPE whose message names the parameter, varargs and collection elements included. The
 * probe finds the methods by reflection, so a method added later is probed without being listed here.
 */
class NullArgumentsTest {

    record User(Long id, String name) {}

    record Project(Long id, String title, Long ownerId) {}

    record Profile(Long id, String bio, Long userId) {}

    record Group(Long id, String label) {}

    /** Mixins of a user, for {@link Database#mixins}. */
    interface UserMixins {
        reactor.core.publisher.Flux<Project> getProjects(User user);
    }

    static final class Fixture {
        final Schema schema;
        final Model<User> users;
        final Model<Project> projects;
        final HasMany<User, Project> owned;
        final BelongsTo<Project, User> owner;
        final HasOne<User, Profile> profile;
        final BelongsToMany<User, Group> groups;
        final Database db;

        Fixture() {
            SchemaBuilder s = Schema.builder().timestamps(false);
            users = s.define(User.class);
            projects = s.define(Project.class);
            Model<Profile> profiles = s.define(Profile.class);
            Model<Group> groupModel = s.define(Group.class);
            owned = users.hasMany(projects, o -> o.foreignKey("ownerId").as("projects"));
            owner = projects.belongsTo(users, o -> o.foreignKey("ownerId").as("owner"));
            profile = users.hasOne(profiles, o -> o.foreignKey("userId"));
            groups = users.belongsToMany(groupModel, o -> o.through("Memberships"));
            schema = s.build();
            db = Database.create(FACTORY, schema);
        }
    }

    /** Never connected: every probed method fails before it would subscribe. */
    static final ConnectionFactory FACTORY = ConnectionFactories.get("r2dbc:postgresql://nobody@127.0.0.1:1/none");

    static final Fixture F = new Fixture();

    static NullProbe probe() {
        User user = new User(1L, "ann");
        Function<Object, Publisher<Object>> work = x -> Mono.empty();
        UnaryOperator<Object> identity = x -> x;
        Consumer<Object> nothing = x -> {
        };
        return new NullProbe()
                .sample(String.class, () -> "name")
                .sample(Object.class, () -> user)
                .sample(Class.class, () -> User.class)
                .sample(Map.class, Map::of)
                .sample(Duration.class, () -> Duration.ofSeconds(1))
                .sample(Throwable.class, () -> new RuntimeException("x"))
                .sample(RuntimeException.class, () -> new RuntimeException("x"))
                .sample(RelataException.class, () -> new RelataException("x"))
                .sample(Function.class, () -> work)
                .sample(UnaryOperator.class, () -> identity)
                .sample(Consumer.class, () -> nothing)
                .sample(ContextView.class, Context::empty)
                .sample(ConnectionFactory.class, () -> FACTORY)
                .sample(ObservationRegistry.class, ObservationRegistry::create)
                .sample(Schema.class, () -> F.schema)
                .sample(SchemaBuilder.class, Schema::builder)
                .sample(Model.class, () -> F.users)
                .sample(ModelBuilder.class, NullArgumentsTest::modelBuilder)
                .sample(AttributeSpec.class, () -> modelBuilder().attribute("name"))
                .sample(AssociationOptions.class, NullArgumentsTest::associationOptions)
                .sample(HasMany.class, () -> F.owned)
                .sample(BelongsTo.class, () -> F.owner)
                .sample(HasOne.class, () -> F.profile)
                .sample(BelongsToMany.class, () -> F.groups)
                .sample(io.relata.Association.class, () -> F.owned)
                .sample(DataType.class, DataType::text)
                .sample(DefaultValue.class, () -> DefaultValue.of("x"))
                .sample(Naming.class, () -> Naming.Sequelize.INSTANCE)
                .sample(Attribute.class, () -> F.users.primaryKey())
                .sample(Attribute.Reference.class, () -> new Attribute.Reference("t", "c",
                        io.relata.ReferentialAction.CASCADE, io.relata.ReferentialAction.CASCADE, true))
                .sample(TransactionOptions.class, TransactionOptions::defaults)
                .sample(Where.class, () -> Where.eq("name", "x"))
                .sample(Order.class, () -> Order.asc("name"))
                .sample(Query.class, () -> Query.from(F.users))
                .sample(Include.class, () -> Include.of(F.owned))
                .sample(io.relata.Validator.class, io.relata.Validator::notEmpty)
                .receiver(io.relata.Validator.class, io.relata.Validator::notEmpty)
                .sample(java.util.function.Predicate.class, () -> (java.util.function.Predicate<Object>) x -> true)
                .sample(java.util.function.BiFunction.class, () -> (java.util.function.BiFunction<Object, Object, Object>) (a, b) -> Mono.empty())
                .sample(Hooks.class, Hooks::none)
                .receiver(Hooks.Builder.class, Hooks::builder)
                .sample(Projection.class, () -> Projection.of(Projection.countAll()))
                .sample(Projection.Item.class, Projection::countAll)
                .receiver(Projection.class, () -> Projection.of(Projection.countAll()))
                .receiver(Projection.Item.class, Projection::countAll)
                .sample(SqlStatement.class, () -> Statements.count(Query.from(F.users)))
                .sample(Database.class, () -> F.db)
                .sample(Database.Builder.class, () -> Database.builder(TransactionSupport.local(FACTORY), F.schema))
                .sample(TransactionSupport.class, () -> TransactionSupport.local(FACTORY))
                .sample(ErrorTranslator.class, ErrorTranslator::none)
                .sample(StatementObserver.class, () -> (statement, context) -> null)
                .sample(Transaction.class, () -> new Transaction(F.db))
                .sample(ToManyOperations.class, () -> F.db.association(F.owned))
                .sample(ToOneOperations.class, () -> F.db.association(F.profile))
                .receiver(Include.class, () -> Include.of(F.owned))
                // service interfaces that users implement and Relata calls, always with non-null arguments
                .exclude("StatementObserver.start(SqlStatement, ContextView)", "SPI implemented by users; Relata"
                        + " calls it with a statement and a context, never null")
                .exclude("StatementObserver.Execution.success(long)", "SPI implemented by users (no reference parameter)")
                .exclude("StatementObserver.Execution.failure(Throwable)", "SPI implemented by users; Relata passes"
                        + " the statement's error, never null")
                .exclude("StatementObserver.Execution.cancelled(long)", "SPI implemented by users (no reference parameter)")
                .exclude("ErrorTranslator.translate(Throwable)", "SPI implemented by users; Relata passes the error"
                        + " it is about to signal, never null");
    }

    /** A builder of a model being defined (the only way to get one). */
    static ModelBuilder modelBuilder() {
        List<ModelBuilder> out = new ArrayList<>();
        Schema.builder().define(User.class, out::add);
        return out.get(0);
    }

    /** The options of an association being defined (the only way to get them). */
    static AssociationOptions associationOptions() {
        List<AssociationOptions> out = new ArrayList<>();
        SchemaBuilder s = Schema.builder();
        s.define(User.class).hasMany(s.define(Project.class), o -> {
            o.foreignKey("ownerId");
            out.add(o);
        });
        return out.get(0);
    }

    @Test
    void everyPublicMethodRejectsNullNamingTheParameter() {
        List<Class<?>> types = NullProbe.publicTypes("io.relata", "io.relata.query", "io.relata.reactor");
        NullProbe probe = probe().probeAll(types);
        System.out.println("null probes: " + probe.probes() + ", failing: " + probe.failures().size());
        probe.excluded().forEach(e -> System.out.println("excluded: " + e));
        assertThat(probe.failures()).isEmpty();
        assertThat(probe.probes()).isGreaterThan(200);
    }
}
