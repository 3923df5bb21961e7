package io.relata;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Bad metadata fails in {@link SchemaBuilder#build()} (or, once built, at the definition) with a
 * {@link ModelDefinitionException} whose message names the models and the option that is wrong.
 */
class ModelDefinitionErrorsTest {

    record Ship(Long id, String name, Long captainId) {}
    record Captain(Long id, String name, String nickname) {}
    record Movie(Long id, String title) {}
    record Actor(Long id, String name) {}

    private final SchemaBuilder s = Schema.builder().timestamps(false);
    private final Model<Ship> ships = s.define(Ship.class);
    private final Model<Captain> captains = s.define(Captain.class);

    @Nested
    class Aliases {

        @Test
        void twoAssociationsWithTheSameAliasOnOneModel() {
            ships.belongsTo(captains, o -> o.as("boss"));
            ships.belongsTo(captains, o -> o.as("boss").foreignKey("otherBossId"));

            assertThatThrownBy(s::build).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContainingAll("Ship", "Captain", "'boss'", "as(...)");
        }

        @Test
        void twoUnaliasedAssociationsBetweenTheSameModels() {
            ships.belongsTo(captains);
            ships.belongsTo(captains, o -> o.foreignKey("otherCaptainId"));

            assertThatThrownBy(s::build).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContainingAll("Ship", "Captain", "'Captain'", "as(...)");
        }

        @Test
        void theSameAliasOnDifferentModelsIsFine() {
            ships.belongsTo(captains, o -> o.as("boss"));
            captains.hasOne(ships, o -> o.as("boss"));

            assertThatCode(s::build).doesNotThrowAnyException();
        }

        @Test
        void aliasClashingWithAnAttribute() {
            ships.belongsTo(captains, o -> o.as("name"));

            assertThatThrownBy(s::build).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContainingAll("Ship", "Captain", "'name'", "attribute", "as(...)");
        }

        @Test
        void aSelfBelongsToManyAliasClashingWithAnAttributeIsReportedAsTheClash() {
            record User(Long id, String user) {}
            Model<User> users = s.define(User.class);
            users.belongsToMany(users, o -> o.through("UserUsers").as("user"));

            assertThatThrownBy(s::build).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContainingAll("User", "'user'", "clashes with an attribute", "as(...)");
        }

        @Test
        void aliasClashingWithTheForeignKeyItInfers() {
            ships.belongsTo(captains, o -> o.as("captainId").foreignKey("bossId"));

            assertThatThrownBy(s::build).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContainingAll("Ship", "Captain", "'captainId'");
        }
    }

    @Nested
    class ReferencedKeys {

        @Test
        void belongsToTargetKeyThatIsNotUnique() {
            ships.belongsTo(captains, o -> o.targetKey("name").foreignKey("captainName"));

            assertThatThrownBy(s::build).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContainingAll("Ship.belongsTo(Captain)", "targetKey", "'name'", "unique");
        }

        @Test
        void belongsToTargetKeyThatIsNotAColumn() {
            ships.belongsTo(captains, o -> o.targetKey("rank"));

            assertThatThrownBy(s::build).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContainingAll("Ship.belongsTo(Captain)", "targetKey", "'rank'",
                            "id, name, nickname");
        }

        @Test
        void hasManySourceKeyThatIsNotUnique() {
            captains.hasMany(ships, o -> o.sourceKey("nickname"));

            assertThatThrownBy(s::build).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContainingAll("Captain.hasMany(Ship)", "sourceKey", "'nickname'", "unique");
        }

        @Test
        void hasOneSourceKeyThatIsNotAColumn() {
            captains.hasOne(ships, o -> o.sourceKey("rank"));

            assertThatThrownBy(s::build).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContainingAll("Captain.hasOne(Ship)", "sourceKey", "'rank'", "id, name, nickname");
        }

        @Test
        void belongsToManyTargetKeyThatIsNotUnique() {
            Model<Movie> movies = s.define(Movie.class);
            movies.belongsToMany(captains, o -> o.through("MovieCaptains").targetKey("name"));

            assertThatThrownBy(s::build).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContainingAll("Movie.belongsToMany(Captain)", "targetKey", "'name'", "unique");
        }

        @Test
        void aUniqueTargetKeyIsAccepted() {
            SchemaBuilder b = Schema.builder();
            Model<Ship> ships = b.define(Ship.class);
            Model<Captain> captains = b.define(Captain.class, m -> m.attribute("name").unique());
            ships.belongsTo(captains, o -> o.targetKey("name").foreignKey("captainName"));

            assertThatCode(b::build).doesNotThrowAnyException();
        }
    }

    @Nested
    class ConflictingForeignKeys {

        @Test
        void oneColumnReferencingTwoModels() {
            Model<Movie> movies = s.define(Movie.class);
            ships.belongsTo(captains);
            ships.belongsTo(movies, o -> o.foreignKey("captainId"));

            assertThatThrownBy(s::build).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContainingAll("Ship.captainId", "Ship.belongsTo(Captain)", "Captain.id",
                            "Ship.belongsTo(Movie)", "Movie.id", "foreignKey", "constraints(false)");
        }

        @Test
        void aPolymorphicKeyNeedsConstraintsFalseOnEveryDefinition() {
            Model<Movie> movies = s.define(Movie.class);
            ships.belongsTo(captains, o -> o.constraints(false));
            ships.belongsTo(movies, o -> o.foreignKey("captainId"));

            assertThatThrownBy(s::build).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContainingAll("Ship.captainId", "polymorphic", "constraints(false)");
        }

        @Test
        void aDeclaredForeignKeyTypeThatDiffersFromTheKeyNeedsConstraintsFalse() {
            ships.belongsTo(captains, o -> o.foreignKey(fk -> fk.name("captainCode").type(DataType.string())));

            assertThatThrownBy(s::build).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContainingAll("captainCode", "VARCHAR(255)", "BIGINT", "constraints(false)");
        }

        @Test
        void conflictingOnDeleteOfAPair() {
            captains.hasOne(ships, o -> o.onDelete(ReferentialAction.CASCADE));
            ships.belongsTo(captains, o -> o.onDelete(ReferentialAction.RESTRICT));

            assertThatThrownBy(s::build).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContainingAll("Ship.captainId", "Captain.hasOne(Ship)", "Ship.belongsTo(Captain)",
                            "onDelete", "CASCADE", "RESTRICT");
        }

        @Test
        void conflictingOnUpdateOfAPair() {
            captains.hasOne(ships, o -> o.onUpdate(ReferentialAction.CASCADE));
            ships.belongsTo(captains, o -> o.onUpdate(ReferentialAction.NO_ACTION));

            assertThatThrownBy(s::build).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContainingAll("Ship.captainId", "onUpdate", "CASCADE", "NO ACTION");
        }

        @Test
        void conflictingColumnTypesOfAPair() {
            captains.hasOne(ships, o -> o.foreignKey(fk -> fk.name("bossId").type(DataType.integer())));
            ships.belongsTo(captains, o -> o.foreignKey(fk -> fk.name("bossId").type(DataType.bigint())));

            assertThatThrownBy(s::build).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContainingAll("Ship.bossId", "INTEGER", "BIGINT");
        }

        @Test
        void aPairWithTheSameOptionsIsOneColumn() {
            captains.hasOne(ships, o -> o.onDelete(ReferentialAction.CASCADE));
            ships.belongsTo(captains, o -> o.onDelete(ReferentialAction.CASCADE));

            assertThatCode(s::build).doesNotThrowAnyException();
        }
    }

    @Nested
    class BelongsToManyJunctions {

        @Test
        void belongsToManyWithoutThrough() {
            Model<Movie> movies = s.define(Movie.class);
            Model<Actor> actors = s.define(Actor.class);
            movies.belongsToMany(actors, o -> o.as("actors"));

            assertThatThrownBy(s::build).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContainingAll("Movie.belongsToMany(Actor)", "through");
        }

        @Test
        void selfAssociationWithoutKeysWouldUseOneColumnTwice() {
            Model<Movie> movies = s.define(Movie.class);
            movies.belongsToMany(movies, o -> o.through("Sequels"));

            assertThatThrownBy(s::build).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContainingAll("Movie.belongsToMany(Movie)", "Sequels", "'MovieId'", "foreignKey",
                            "otherKey");
        }

        @Test
        void oneJunctionUsedForTwoDifferentPairs() {
            Model<Movie> movies = s.define(Movie.class);
            Model<Actor> actors = s.define(Actor.class);
            movies.belongsToMany(actors, o -> o.through("Credits"));
            movies.belongsToMany(captains, o -> o.through("Credits"));

            assertThatThrownBy(s::build).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContainingAll("Credits", "MovieId", "ActorId", "CaptainId");
        }

        @Test
        void throughScopeOnAnAttributeTheJunctionDoesNotHave() {
            Model<Movie> movies = s.define(Movie.class);
            Model<Actor> actors = s.define(Actor.class);
            movies.belongsToMany(actors, o -> o.through("Credits").throughScope("role", "lead"));

            assertThatThrownBy(s::build).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContainingAll("Movie.belongsToMany(Actor)", "throughScope", "'role'", "Credits",
                            "MovieId, ActorId");
        }
    }

    @Nested
    class InapplicableOptions {

        @Test
        void targetKeyOnHasMany() {
            captains.hasMany(ships, o -> o.targetKey("id"));

            assertThatThrownBy(s::build).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContainingAll("Captain.hasMany(Ship)", "targetKey", "sourceKey");
        }

        @Test
        void targetKeyOnHasOne() {
            captains.hasOne(ships, o -> o.targetKey("id"));

            assertThatThrownBy(s::build).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContainingAll("Captain.hasOne(Ship)", "targetKey");
        }

        @Test
        void sourceKeyOnBelongsTo() {
            ships.belongsTo(captains, o -> o.sourceKey("id"));

            assertThatThrownBy(s::build).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContainingAll("Ship.belongsTo(Captain)", "sourceKey", "targetKey");
        }

        @Test
        void junctionOptionsOnHasMany() {
            captains.hasMany(ships, o -> o.through("CaptainShips").otherKey("shipId").uniqueKey("k")
                    .throughScope("x", 1));

            assertThatThrownBy(s::build).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContainingAll("Captain.hasMany(Ship)", "through", "otherKey", "uniqueKey",
                            "throughScope");
        }

        @Test
        void scopeOnBelongsTo() {
            ships.belongsTo(captains, o -> o.scope("name", "Jack"));

            assertThatThrownBy(s::build).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContainingAll("Ship.belongsTo(Captain)", "scope");
        }

        @Test
        void scopeOnAnAttributeTheTargetDoesNotHave() {
            captains.hasMany(ships, o -> o.scope("kind", "frigate"));

            assertThatThrownBy(s::build).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContainingAll("Captain.hasMany(Ship)", "scope", "'kind'", "id, name, captainId");
        }
    }

    @Nested
    class Properties {

        record Odd(Long id, Object payload) {}
        record Fleet(Long id, List<Captain> captain) {}
        record Crew(Long id, List<Ship> ships) {}

        @Test
        void propertyOfUnsupportedType() {
            s.define(Odd.class);

            assertThatThrownBy(s::build).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContainingAll("Odd", "'payload'", "java.lang.Object", "DataType");
        }

        @Test
        void propertyOfUnsupportedTypeIsFineWhenDeclared() {
            s.define(Odd.class, m -> m.attribute("payload", DataType.jsonb()));

            assertThatCode(s::build).doesNotThrowAnyException();
        }

        @Test
        void slotOfTheWrongCardinality() {
            Model<Fleet> fleets = s.define(Fleet.class);
            fleets.belongsTo(captains, o -> o.as("captain"));

            assertThatThrownBy(s::build).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContainingAll("Fleet", "'captain'", "List", "must be Captain");
        }

        @Test
        void slotDeclaredAsAnAttribute() {
            s.define(Crew.class, m -> m.attribute("ships", DataType.text()));

            assertThatThrownBy(s::build).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContainingAll("Crew", "'ships'", "slot");
        }

        @Test
        void declaredAttributeWithoutPropertyNorType() {
            s.define(Movie.class, m -> m.attribute("rating"));

            assertThatThrownBy(s::build).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContainingAll("Movie", "'rating'", "DataType");
        }

        @Test
        void twoModelsWithOneName() {
            assertThatThrownBy(() -> s.define(Movie.class, m -> m.name("Ship")))
                    .isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContainingAll("Ship", "Movie", "defined twice", "m.name(...)");
        }

        @Test
        void anInterfaceIsNotAnEntity() {
            assertThatThrownBy(() -> s.define(Runnable.class)).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContaining("java.lang.Runnable");
        }

        @Test
        void aModelOfAnotherSchema() {
            Model<Movie> foreign = Schema.builder().define(Movie.class);

            assertThatThrownBy(() -> ships.belongsTo(foreign)).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContainingAll("Movie", "Ship", "another schema");
        }
    }

    @Nested
    class AfterBuild {

        @Test
        void definingAModelThrows() {
            s.build();

            assertThatThrownBy(() -> s.define(Movie.class)).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContainingAll("Movie", "already built");
        }

        @Test
        void definingAnAssociationThrows() {
            s.build();

            assertThatThrownBy(() -> ships.belongsTo(captains)).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContainingAll("Ship", "already built");
            assertThatThrownBy(() -> captains.hasMany(ships, o -> o.as("fleet")))
                    .isInstanceOf(ModelDefinitionException.class);
        }

        @Test
        void changingSchemaOptionsThrows() {
            s.build();

            assertThatThrownBy(() -> s.naming(Naming.snakeCase())).isInstanceOf(ModelDefinitionException.class);
            assertThatThrownBy(() -> s.timestamps(true)).isInstanceOf(ModelDefinitionException.class);
            assertThatThrownBy(s::build).isInstanceOf(ModelDefinitionException.class);
        }

        @Test
        void readingAnUnbuiltModelThrows() {
            assertThatThrownBy(ships::tableName).isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContainingAll("Ship", "build");
        }
    }
}
