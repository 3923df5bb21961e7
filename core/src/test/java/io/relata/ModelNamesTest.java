package io.relata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.plan.Ddl;
import io.relata.sql.SqlStatement;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Model-level names (Sequelize's {@code options.name: {singular, plural}}) and per-model naming (its per-model
 * {@code underscored}): what drives default aliases, foreign-key names and the table and column names.
 */
class ModelNamesTest {

    record User(Long id, String username) {}
    record Task(Long id, String title) {}
    record Project(Long id, String title) {}

    @Nested
    class SingularAndPlural {
        @Test
        void hasManyOfANamedTargetDefaultsToItsPluralAndSingular() {
            SchemaBuilder s = Schema.builder();
            Model<User> users = s.define(User.class);
            Model<Task> tasks = s.define(Task.class, m -> m.name("assignment", "assignments"));
            HasMany<User, Task> a = users.hasMany(tasks);
            s.build();

            assertThat(a.as()).isEqualTo("assignments");
            assertThat(a.singular()).isEqualTo("assignment");
            assertThat(a.plural()).isEqualTo("assignments");
            assertThat(a.foreignKey().name()).as("the source's name keys the foreign key").isEqualTo("UserId");
            assertThat(tasks.name()).as("the model name stays").isEqualTo("Task");
            assertThat(tasks.tableName()).as("so does the table (Sequelize v6)").isEqualTo("Tasks");
            assertThat(tasks.singularName()).isEqualTo("assignment");
            assertThat(tasks.pluralName()).isEqualTo("assignments");
        }

        @Test
        void belongsToOfANamedTargetNamesItsAliasAndForeignKeyAfterTheSingular() {
            SchemaBuilder s = Schema.builder();
            Model<User> users = s.define(User.class, m -> m.name("owner", "owners"));
            Model<Task> tasks = s.define(Task.class);
            BelongsTo<Task, User> b = tasks.belongsTo(users);
            HasOne<User, Task> h = users.hasOne(tasks, o -> o.as("pick"));
            s.build();

            assertThat(b.as()).isEqualTo("owner");
            assertThat(b.plural()).isEqualTo("owners");
            assertThat(b.foreignKey().name()).isEqualTo("ownerId");
            assertThat(h.foreignKey().name()).as("hasOne with an alias keys on the alias").isEqualTo("pickId");
        }

        @Test
        void aSourceNameKeysTheForeignKeysOfItsHasManyAndJunction() {
            SchemaBuilder s = Schema.builder();
            Model<User> users = s.define(User.class, m -> m.name("owner", "owners"));
            Model<Task> tasks = s.define(Task.class);
            // Sequelize's guide: Project named task/tasks, User.belongsToMany(Project) adds get/set/add Tasks
            Model<Project> projects = s.define(Project.class, m -> m.name("task", "tasks"));
            HasMany<User, Task> hm = users.hasMany(tasks);
            BelongsToMany<User, Project> btm = users.belongsToMany(projects, o -> o.through("user_projects"));
            s.build();

            assertThat(hm.foreignKey().name()).isEqualTo("ownerId");
            assertThat(btm.as()).isEqualTo("tasks");
            assertThat(btm.singular()).isEqualTo("task");
            assertThat(btm.foreignKey().name()).isEqualTo("ownerId");
            assertThat(btm.otherKey()).isNotNull();
            assertThat(btm.otherKey().name()).isEqualTo("taskId");
        }

        @Test
        void anAliasStillWins() {
            SchemaBuilder s = Schema.builder();
            Model<User> users = s.define(User.class);
            Model<Task> tasks = s.define(Task.class, m -> m.name("assignment", "assignments"));
            HasMany<User, Task> a = users.hasMany(tasks, o -> o.as("chores"));
            s.build();
            assertThat(a.as()).isEqualTo("chores");
            assertThat(a.singular()).isEqualTo("chore");
        }

        @Test
        void blankNamesAreRejected() {
            SchemaBuilder s = Schema.builder();
            assertThatThrownBy(() -> s.define(Task.class, m -> m.name("", "tasks")))
                    .isInstanceOf(ModelDefinitionException.class).hasMessageContaining("non-blank");
        }
    }

    @Nested
    class PerModelNaming {
        @Test
        void anUnderscoredModelNamesItsTableColumnsTimestampsAndForeignKeysSnakeCase() {
            SchemaBuilder s = Schema.builder();
            Model<User> users = s.define(User.class);
            Model<Task> tasks = s.define(Task.class, m -> m.naming(Naming.snakeCase()));
            HasMany<User, Task> a = users.hasMany(tasks);
            Schema schema = s.build();

            assertThat(tasks.tableName()).isEqualTo("tasks");
            assertThat(a.foreignKey().name()).as("the attribute stays camelCase").isEqualTo("UserId");
            assertThat(a.foreignKey().column()).isEqualTo("user_id");
            assertThat(users.tableName()).as("other models keep the schema's naming").isEqualTo("Users");
            List<String> ddl = Ddl.createTables(schema).stream().map(SqlStatement::sql).toList();
            assertThat(ddl).containsExactly(
                    "CREATE TABLE IF NOT EXISTS \"Users\" (\"id\" BIGSERIAL, \"username\" VARCHAR(255), \"createdAt\" "
                            + "TIMESTAMP WITH TIME ZONE NOT NULL, \"updatedAt\" TIMESTAMP WITH TIME ZONE NOT NULL, "
                            + "PRIMARY KEY (\"id\"))",
                    "CREATE TABLE IF NOT EXISTS \"tasks\" (\"id\" BIGSERIAL, \"title\" VARCHAR(255), \"created_at\" "
                            + "TIMESTAMP WITH TIME ZONE NOT NULL, \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL, "
                            + "\"user_id\" BIGINT REFERENCES \"Users\" (\"id\") ON DELETE SET NULL ON UPDATE CASCADE, "
                            + "PRIMARY KEY (\"id\"))");
        }

        @Test
        void aGeneratedJunctionKeepsTheSchemasNaming() {
            SchemaBuilder s = Schema.builder();
            Model<User> users = s.define(User.class, m -> m.naming(Naming.snakeCase()));
            Model<Project> projects = s.define(Project.class, m -> m.naming(Naming.snakeCase()));
            BelongsToMany<User, Project> btm = users.belongsToMany(projects, o -> o.through("UserProjects"));
            s.build();

            Model<?> junction = btm.through();
            assertThat(junction).isNotNull();
            assertThat(junction.tableName()).isEqualTo("UserProjects");
            assertThat(junction.attributes()).extracting(Attribute::column)
                    .containsExactly("createdAt", "updatedAt", "UserId", "ProjectId");
            assertThat(users.tableName()).isEqualTo("users");
            assertThat(users.requireAttribute("createdAt").column()).isEqualTo("created_at");
        }

        @Test
        void aSnakeCaseSchemaWithAModelOfTheDefaultNaming() {
            SchemaBuilder s = Schema.builder().naming(Naming.snakeCase());
            Model<User> users = s.define(User.class, m -> m.naming(Naming.sequelize()));
            Model<Task> tasks = s.define(Task.class);
            tasks.belongsTo(users);
            s.build();
            assertThat(users.tableName()).isEqualTo("Users");
            assertThat(users.requireAttribute("createdAt").column()).isEqualTo("createdAt");
            assertThat(tasks.tableName()).isEqualTo("tasks");
            assertThat(tasks.requireAttribute("UserId").column()).isEqualTo("user_id");
            assertThat(tasks.requireAttribute("UserId").reference()).isNotNull();
            assertThat(tasks.requireAttribute("UserId").reference().table()).isEqualTo("Users");
        }
    }
}
