package io.relata.sql;

import static io.relata.sql.SelectPlannerTest.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.Attribute;
import io.relata.BelongsToMany;
import io.relata.HasMany;
import io.relata.Model;
import io.relata.ModelDefinitionException;
import io.relata.QueryDefinitionException;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.plan.Associations;
import io.relata.plan.Ddl;
import io.relata.plan.Statements;
import io.relata.query.Include;
import io.relata.query.Query;
import io.relata.query.Where;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Soft delete (Sequelize's {@code paranoid}): the exact text of every read that leaves soft-deleted rows out
 * (root, JOIN and SEPARATE includes at any depth, windows, lazy loads, counts), of {@code destroy},
 * {@code force}, {@code restore}, and of the writes of a paranoid junction.
 */
class SoftDeleteTest {

    record Team(Long id, String name, List<Member> members) {}
    record Member(Long id, String name, Long teamId, List<Badge> badges) {}
    record Badge(Long id, String name, Long memberId) {}
    record User(Long id, String name) {}
    record Project(Long id, String name) {}
    record UserProjects(Long userId, Long projectId, String role, Instant deletedAt) {}
    record Post(Long id, String title, LocalDateTime destroyTime) {}
    record Enrollment(Long id, Long UserId, Long ProjectId) {}

    static final Model<Team> teams;
    static final Model<Member> members;
    static final Model<Badge> badges;
    static final HasMany<Team, Member> teamMembers;
    static final HasMany<Member, Badge> memberBadges;
    static final Model<User> users;
    static final Model<Project> projects;
    static final Model<UserProjects> userProjects;
    static final BelongsToMany<User, Project> userProjectsOf;
    static final Model<Post> posts;
    static final Schema schema;

    static {
        SchemaBuilder s = Schema.builder();
        teams = s.define(Team.class);
        members = s.define(Member.class, m -> m.paranoid(true));
        badges = s.define(Badge.class, m -> m.paranoid(true));
        teamMembers = teams.hasMany(members, o -> o.as("members").foreignKey("teamId"));
        memberBadges = members.hasMany(badges, o -> o.as("badges").foreignKey(f -> f.name("memberId").notNull()));
        users = s.define(User.class);
        projects = s.define(Project.class);
        userProjects = s.define(UserProjects.class, m -> m.paranoid(true));
        userProjectsOf = users.belongsToMany(projects, o -> o.through(userProjects).foreignKey("userId")
                .otherKey("projectId"));
        projects.belongsToMany(users, o -> o.through(userProjects).foreignKey("projectId").otherKey("userId"));
        posts = s.define(Post.class, m -> m.timestamps(false).paranoid(true).deletedAt("destroyTime"));
        schema = s.build();
    }

    static final String MEMBERS = "`t0`.`id` AS `c0`, `t0`.`name` AS `c1`, `t0`.`teamId` AS `c2` FROM `Members` AS `t0`";
    static final String TEAM_MEMBERS = "SELECT `t0`.`id` AS `c0`, `t0`.`name` AS `c1`, `t1`.`id` AS `c2`, "
            + "`t1`.`name` AS `c3`, `t1`.`teamId` AS `c4` FROM `Teams` AS `t0` ";

    @Nested
    class Definition {
        @Test
        void deletedAtIsANullableTimestampWithItsRole() {
            Attribute d = members.deletedAt();
            assertThat(members.paranoid()).isTrue();
            assertThat(d).isNotNull();
            assertThat(d.name()).isEqualTo("deletedAt");
            assertThat(d.notNull()).isFalse();
            assertThat(d.role()).isEqualTo(Attribute.Role.DELETED_AT);
            assertThat(teams.paranoid()).isFalse();
            assertThat(teams.deletedAt()).isNull();
        }

        @Test
        void ownDeletedAtLetsAModelWithoutTimestampsBeParanoidAndKeepsItsPropertyType() {
            Attribute d = posts.deletedAt();
            assertThat(d).isNotNull();
            assertThat(d.column()).isEqualTo("destroyTime");
            assertThat(d.type().sql()).isEqualTo("TIMESTAMP");
            assertThat(d.mapped()).isTrue();
        }

        @Test
        void paranoidWithoutTimestampsOrItsOwnDeletedAtIsRejected() {
            SchemaBuilder s = Schema.builder();
            s.define(User.class, m -> m.timestamps(false).paranoid(true));
            assertThatThrownBy(s::build).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContaining("model User is paranoid but keeps no timestamps")
                    .hasMessageContaining("m.deletedAt(");
        }

        @Test
        void deletedAtWithoutParanoidIsRejected() {
            SchemaBuilder s = Schema.builder();
            s.define(User.class, m -> m.deletedAt("gone"));
            assertThatThrownBy(s::build).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContaining("deletedAt(\"gone\") applies to a paranoid model");
        }

        @Test
        void deletedAtOfAnotherTypeIsRejected() {
            SchemaBuilder s = Schema.builder();
            s.define(User.class, m -> m.paranoid(true).deletedAt("name"));
            assertThatThrownBy(s::build).isInstanceOf(ModelDefinitionException.class)
                    .hasMessageContaining("deletedAt attribute 'name' is VARCHAR(255); it must be a timestamp");
        }

        @Test
        void syncCreatesTheNullableDeletedAtColumn() {
            List<String> ddl = Ddl.createTables(schema).stream().map(SqlStatement::sql).toList();
            assertThat(ddl).contains(q("CREATE TABLE IF NOT EXISTS `Posts` (`id` BIGSERIAL, `title` VARCHAR(255), "
                    + "`destroyTime` TIMESTAMP, PRIMARY KEY (`id`))"));
            assertThat(ddl).anyMatch(t -> t.startsWith(q("CREATE TABLE IF NOT EXISTS `Members` ("))
                    && t.contains(q("`deletedAt` TIMESTAMP WITH TIME ZONE, PRIMARY KEY (`id`)")));
        }

        @Test
        void insertLeavesDeletedAtNull() {
            SqlStatement st = Statements.insert(members, List.of(new Member(null, "a", 1L, null))).get(0).statement();
            assertThat(st.sql()).isEqualTo(q("INSERT INTO `Members` (`name`, `teamId`, `createdAt`, `updatedAt`) "
                    + "VALUES ($1, $2, now(), now()) RETURNING `id`, `name`, `teamId`"));
        }
    }

    @Nested
    class Reads {
        @Test
        void rootLeavesSoftDeletedRowsOut() {
            assertThat(Statements.select(Query.from(members)).statement().sql())
                    .isEqualTo(q("SELECT " + MEMBERS + " WHERE `t0`.`deletedAt` IS NULL"));
            SqlStatement st = Statements.select(Query.from(members).where(Where.eq("name", "a"))).statement();
            assertThat(st.sql()).isEqualTo(q("SELECT " + MEMBERS + " WHERE `t0`.`deletedAt` IS NULL AND `t0`.`name` = $1"));
            assertThat(st.values()).containsExactly("a");
        }

        @Test
        void paranoidFalseReadsThemToo() {
            assertThat(Statements.select(Query.from(members).paranoid(false)).statement().sql())
                    .isEqualTo(q("SELECT " + MEMBERS));
        }

        @Test
        void joinedIncludeFiltersInItsOnClauseWithoutBecomingRequired() {
            assertThat(Statements.select(Query.from(teams).include(teamMembers)).statement().sql())
                    .isEqualTo(q(TEAM_MEMBERS + "LEFT OUTER JOIN `Members` AS `t1` ON `t1`.`teamId` = `t0`.`id` "
                            + "AND `t1`.`deletedAt` IS NULL ORDER BY `t0`.`id`, `t1`.`id`"));
            assertThat(Statements.select(Query.from(teams).include(teamMembers, i -> i.paranoid(false))).statement().sql())
                    .isEqualTo(q(TEAM_MEMBERS + "LEFT OUTER JOIN `Members` AS `t1` ON `t1`.`teamId` = `t0`.`id` "
                            + "ORDER BY `t0`.`id`, `t1`.`id`"));
        }

        @Test
        void everyDepthGetsItsOwnCondition() {
            assertThat(Statements.select(Query.from(teams).include(teamMembers, i -> i.include(memberBadges)))
                    .statement().sql()).isEqualTo(q("SELECT `t0`.`id` AS `c0`, `t0`.`name` AS `c1`, `t1`.`id` AS `c2`, "
                            + "`t1`.`name` AS `c3`, `t1`.`teamId` AS `c4`, `t2`.`id` AS `c5`, `t2`.`name` AS `c6`, "
                            + "`t2`.`memberId` AS `c7` FROM `Teams` AS `t0` LEFT OUTER JOIN `Members` AS `t1` ON "
                            + "`t1`.`teamId` = `t0`.`id` AND `t1`.`deletedAt` IS NULL LEFT OUTER JOIN `Badges` AS `t2` ON "
                            + "`t2`.`memberId` = `t1`.`id` AND `t2`.`deletedAt` IS NULL ORDER BY `t0`.`id`, `t1`.`id`, `t2`.`id`"));
        }

        @Test
        void theRootWindowsExistsSeesOnlyLiveRows() {
            assertThat(Statements.select(Query.from(teams).include(teamMembers, i -> i.required(true)).limit(2))
                    .statement().sql()).isEqualTo(q(TEAM_MEMBERS.replace("FROM `Teams` AS `t0` ", "FROM (SELECT * FROM "
                            + "`Teams` AS `t0` WHERE EXISTS (SELECT 1 FROM `Members` AS `t1` WHERE `t1`.`teamId` = `t0`.`id` "
                            + "AND `t1`.`deletedAt` IS NULL) ORDER BY `t0`.`id` LIMIT $1) AS `t0` ")
                            + "INNER JOIN `Members` AS `t1` ON `t1`.`teamId` = `t0`.`id` AND `t1`.`deletedAt` IS NULL "
                            + "ORDER BY `t0`.`id`, `t1`.`id`"));
        }

        @Test
        void separateFollowUpsFilterToo() {
            SelectPlan<Team> plan = Statements.select(Query.from(teams)
                    .include(teamMembers, i -> i.strategy(Include.Strategy.SEPARATE)));
            assertThat(plan.followUpTemplates().get(0).sql()).isEqualTo(q("SELECT `t1`.`teamId` AS `c0`, `t1`.`id` AS "
                    + "`c1`, `t1`.`name` AS `c2`, `t1`.`teamId` AS `c3` FROM `Members` AS `t1` WHERE `t1`.`teamId` = "
                    + "ANY($1) AND `t1`.`deletedAt` IS NULL ORDER BY `t1`.`teamId`, `t1`.`id`"));
            SelectPlan<Team> off = Statements.select(Query.from(teams)
                    .include(teamMembers, i -> i.strategy(Include.Strategy.SEPARATE).paranoid(false)));
            assertThat(off.followUpTemplates().get(0).sql()).doesNotContain("deletedAt");
        }

        @Test
        void countsCountLiveRoots() {
            assertThat(Statements.count(Query.from(members)).sql())
                    .isEqualTo(q("SELECT count(*) FROM `Members` AS `t0` WHERE `t0`.`deletedAt` IS NULL"));
            assertThat(Statements.count(Query.from(members).paranoid(false)).sql())
                    .isEqualTo(q("SELECT count(*) FROM `Members` AS `t0`"));
            assertThat(Statements.count(Query.from(teams).include(teamMembers, i -> i.required(true))).sql())
                    .isEqualTo(q("SELECT count(DISTINCT `t0`.`id`) FROM `Teams` AS `t0` INNER JOIN `Members` AS `t1` "
                            + "ON `t1`.`teamId` = `t0`.`id` AND `t1`.`deletedAt` IS NULL"));
        }

        @Test
        void lazyLoadOfAParanoidTarget() {
            assertThat(Statements.load(teamMembers, Query.from(members)).statement().sql())
                    .isEqualTo(q("SELECT `t0`.`teamId` AS `c0`, `t0`.`id` AS `c1`, `t0`.`name` AS `c2`, `t0`.`teamId` AS "
                            + "`c3` FROM `Members` AS `t0` WHERE `t0`.`teamId` = ANY($1) AND `t0`.`deletedAt` IS NULL "
                            + "ORDER BY `t0`.`teamId`, `t0`.`id`"));
        }

        @Test
        void aParanoidJunctionHidesSoftDeletedLinksUnlessThroughParanoidIsOff() {
            String load = "SELECT `j0`.`userId` AS `c0`, `t0`.`id` AS `c1`, `t0`.`name` AS `c2` FROM `Projects` AS `t0` "
                    + "INNER JOIN `UserProjects` AS `j0` ON `t0`.`id` = `j0`.`projectId` WHERE `j0`.`userId` = ANY($1)";
            String order = " ORDER BY `j0`.`userId`, `t0`.`id`";
            assertThat(Statements.load(userProjectsOf, Query.from(projects)).statement().sql())
                    .isEqualTo(q(load + " AND `j0`.`deletedAt` IS NULL" + order));
            assertThat(Statements.load(userProjectsOf, Query.from(projects).throughParanoid(false)).statement().sql())
                    .isEqualTo(q(load + order));
            assertThat(Statements.select(Query.from(users).include(userProjectsOf)).statement().sql())
                    .isEqualTo(q("SELECT `t0`.`id` AS `c0`, `t0`.`name` AS `c1`, `t1`.`id` AS `c2`, `t1`.`name` AS `c3` "
                            + "FROM `Users` AS `t0` LEFT OUTER JOIN (`UserProjects` AS `j1` INNER JOIN `Projects` AS `t1` "
                            + "ON `t1`.`id` = `j1`.`projectId`) ON `j1`.`userId` = `t0`.`id` AND `j1`.`deletedAt` IS NULL "
                            + "ORDER BY `t0`.`id`, `t1`.`id`"));
            SelectPlan<User> separate = Statements.select(Query.from(users)
                    .include(userProjectsOf, i -> i.strategy(Include.Strategy.SEPARATE)));
            assertThat(separate.followUpTemplates().get(0).sql()).isEqualTo(q("SELECT `j1`.`userId` AS `c0`, `t1`.`id` "
                    + "AS `c1`, `t1`.`name` AS `c2` FROM `UserProjects` AS `j1` INNER JOIN `Projects` AS `t1` ON "
                    + "`t1`.`id` = `j1`.`projectId` WHERE `j1`.`userId` = ANY($1) AND `j1`.`deletedAt` IS NULL "
                    + "ORDER BY `j1`.`userId`, `t1`.`id`"));
            assertThat(Statements.select(Query.from(users).include(userProjectsOf, i -> i.throughParanoid(false)))
                    .statement().sql()).doesNotContain("deletedAt");
        }

        @Test
        void throughParanoidOutsideABelongsToManyLoadIsRejected() {
            assertThatThrownBy(() -> Statements.select(Query.from(projects).throughParanoid(false)))
                    .isInstanceOf(QueryDefinitionException.class);
            assertThatThrownBy(() -> Statements.load(teamMembers, Query.from(members).throughParanoid(false)))
                    .isInstanceOf(QueryDefinitionException.class).hasMessageContaining("apply to belongsToMany");
            assertThatThrownBy(() -> Query.from(teams).include(teamMembers, i -> i.throughParanoid(false)))
                    .isInstanceOf(QueryDefinitionException.class).hasMessageContaining("through options apply to belongsToMany");
        }

        @Test
        void associationCountsAndHas() {
            assertThat(Associations.count(teamMembers, 1L, null, null).sql()).isEqualTo(q("SELECT count(*) FROM "
                    + "`Members` AS `t0` WHERE `t0`.`teamId` = $1 AND `t0`.`deletedAt` IS NULL"));
            String count = "SELECT count(*) FROM `Projects` AS `t0` INNER JOIN `UserProjects` AS `j0` ON `t0`.`id` = "
                    + "`j0`.`projectId` WHERE `j0`.`userId` = $1";
            assertThat(Associations.count(userProjectsOf, 1L, null, null).sql())
                    .isEqualTo(q(count + " AND `j0`.`deletedAt` IS NULL"));
            assertThat(Associations.count(userProjectsOf, 1L, null, null, true, false).sql()).isEqualTo(q(count));
            assertThat(Associations.countLinked(userProjectsOf, 1L, new Long[] {2L}).sql()).isEqualTo(q("SELECT "
                    + "count(DISTINCT `t0`.`id`) FROM `Projects` AS `t0` INNER JOIN `UserProjects` AS `j0` ON `t0`.`id` = "
                    + "`j0`.`projectId` WHERE `j0`.`userId` = $1 AND `j0`.`deletedAt` IS NULL AND `t0`.`id` = ANY($2)"));
            assertThat(Associations.countLinked(userProjectsOf, 1L, new Long[] {2L}, true, false).sql())
                    .doesNotContain("deletedAt");
        }
    }

    @Nested
    class Writes {
        @Test
        void destroySoftDeletesLiveRows() {
            SqlStatement st = Statements.delete(Query.from(members).where(Where.eq("id", 1L)));
            assertThat(st.sql()).isEqualTo(q("UPDATE `Members` AS `t0` SET `deletedAt` = now() "
                    + "WHERE `t0`.`deletedAt` IS NULL AND `t0`.`id` = $1"));
            assertThat(st.values()).containsExactly(1L);
            assertThat(Statements.delete(Query.from(posts)).sql()).isEqualTo(q("UPDATE `Posts` AS `t0` SET "
                    + "`destroyTime` = now() WHERE `t0`.`destroyTime` IS NULL"));
        }

        @Test
        void forceDeletesForReal() {
            assertThat(Statements.delete(Query.from(members).where(Where.eq("id", 1L)), true).sql())
                    .isEqualTo(q("DELETE FROM `Members` AS `t0` WHERE `t0`.`id` = $1"));
            assertThat(Statements.delete(Query.from(teams), false).sql()).isEqualTo(q("DELETE FROM `Teams` AS `t0`"));
        }

        @Test
        void restoreBringsSoftDeletedRowsBack() {
            assertThat(Statements.restore(Query.from(members).where(Where.eq("id", 1L))).sql())
                    .isEqualTo(q("UPDATE `Members` AS `t0` SET `deletedAt` = NULL WHERE `t0`.`deletedAt` IS NOT NULL "
                            + "AND `t0`.`id` = $1"));
            assertThatThrownBy(() -> Statements.restore(Query.from(teams))).isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContaining("restore of Team: the model is not paranoid");
        }

        @Test
        void updateSeesLiveRowsUnlessParanoidIsOff() {
            assertThat(Statements.update(Query.from(members).where(Where.eq("id", 1L)), Map.of("name", "b")).sql())
                    .isEqualTo(q("UPDATE `Members` AS `t0` SET `name` = $1, `updatedAt` = now() WHERE "
                            + "`t0`.`deletedAt` IS NULL AND `t0`.`id` = $2"));
            assertThat(Statements.update(Query.from(members).paranoid(false), Map.of("name", "b")).sql())
                    .isEqualTo(q("UPDATE `Members` AS `t0` SET `name` = $1, `updatedAt` = now()"));
        }

        @Test
        void hasManyWritesTouchLiveTargetsAndDestroyingOneIsSoft() {
            assertThat(Associations.link(teamMembers, 1L, new Long[] {2L}).sql()).isEqualTo(q("UPDATE `Members` SET "
                    + "`teamId` = $1, `updatedAt` = now() WHERE `id` = ANY($2) AND `deletedAt` IS NULL"));
            assertThat(Associations.unlink(teamMembers, 1L, null, false, false).sql()).isEqualTo(q("UPDATE `Members` "
                    + "SET `teamId` = NULL, `updatedAt` = now() WHERE `teamId` = $1 AND `deletedAt` IS NULL"));
            assertThat(Associations.unlink(memberBadges, 1L, null, false, false).sql()).isEqualTo(q("UPDATE `Badges` "
                    + "SET `deletedAt` = now() WHERE `memberId` = $1 AND `deletedAt` IS NULL"));
        }

        @Test
        void removeAndSetSoftDeleteLinks() {
            assertThat(Associations.removeJunction(userProjectsOf, 1L, new Long[] {2L}, false).sql())
                    .isEqualTo(q("UPDATE `UserProjects` SET `deletedAt` = now() WHERE `userId` = $1 AND `projectId` = "
                            + "ANY($2) AND `deletedAt` IS NULL"));
            assertThat(Associations.removeJunction(userProjectsOf, 1L, new Long[] {2L}, true).sql())
                    .isEqualTo(q("UPDATE `UserProjects` SET `deletedAt` = now() WHERE `userId` = $1 AND `projectId` <> "
                            + "ALL($2) AND `deletedAt` IS NULL"));
        }

        @Test
        void withoutAUniqueKeyOverThePairAddRevivesByAnUpdateInTheSameStatement() {
            SchemaBuilder s = Schema.builder();
            Model<User> students = s.define(User.class);
            Model<Project> courses = s.define(Project.class);
            Model<Enrollment> enrollments = s.define(Enrollment.class, m -> m.paranoid(true));
            BelongsToMany<User, Project> enrolled = students.belongsToMany(courses, o -> o.through(enrollments)
                    .unique(false));
            s.build();
            assertThat(Associations.addJunction(enrolled, 1L, new Long[] {2L}, Map.of()).sql()).isEqualTo(q(
                    "WITH `updated` AS (UPDATE `Enrollments` SET `deletedAt` = NULL WHERE `UserId` = $1 AND `ProjectId` "
                    + "= ANY($2) RETURNING 1) INSERT INTO `Enrollments` (`UserId`, `ProjectId`, `createdAt`, `updatedAt`) "
                    + "SELECT $3, `u`.`k`, now(), now() FROM unnest($4) AS `u`(`k`) WHERE NOT EXISTS (SELECT 1 FROM "
                    + "`Enrollments` AS `e` WHERE `e`.`UserId` = $5 AND `e`.`ProjectId` = `u`.`k`) ON CONFLICT DO NOTHING"));
        }

        @Test
        void addRevivesASoftDeletedLink() {
            assertThat(Associations.addJunction(userProjectsOf, 1L, new Long[] {2L}, Map.of()).sql())
                    .isEqualTo(q("INSERT INTO `UserProjects` (`userId`, `projectId`, `createdAt`, `updatedAt`) SELECT $1, "
                            + "`u`.`k`, now(), now() FROM unnest($2) AS `u`(`k`) ON CONFLICT (`userId`, `projectId`) DO "
                            + "UPDATE SET `deletedAt` = NULL"));
            SqlStatement st = Associations.addJunction(userProjectsOf, 1L, new Long[] {2L}, Map.of("role", "lead"));
            assertThat(st.sql()).isEqualTo(q("INSERT INTO `UserProjects` (`userId`, `projectId`, `createdAt`, `updatedAt`, "
                    + "`role`) SELECT $1, `u`.`k`, now(), now(), $2 FROM unnest($3) AS `u`(`k`) ON CONFLICT (`userId`, "
                    + "`projectId`) DO UPDATE SET `deletedAt` = NULL, `role` = EXCLUDED.`role`, `updatedAt` = now()"));
            assertThat(st.values()).startsWith(1L, "lead");
        }
    }
}
