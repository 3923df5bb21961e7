package io.relata.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.Attribute;
import io.relata.DataType;
import io.relata.Model;
import io.relata.QueryDefinitionException;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.plan.Ddl;
import io.relata.plan.Statements;
import io.relata.query.Query;
import io.relata.query.Where;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Exact text and binds of save, upsert, destroy, increment, insert-if-absent and the optimistic-lock version. */
class EntityWritesTest {

    record Account(Long id, String email, String name, Integer balance, Instant createdAt, Instant updatedAt) {}
    record Doc(Long id, String title, Integer version) {}
    record Tag(Long id, String label) {}
    record Pair(Long a, Long b, String note) {}

    static final Model<Account> accounts;
    static final Model<Doc> docs;
    static final Model<Tag> tags;
    static final Model<Pair> pairs;

    static {
        SchemaBuilder s = Schema.builder();
        accounts = s.define(Account.class, m -> m.attribute("email").unique());
        docs = s.define(Doc.class, m -> m.timestamps(false).version(true));
        tags = s.define(Tag.class, m -> m.timestamps(false));
        pairs = s.define(Pair.class, m -> {
            m.timestamps(false);
            m.primaryKey("a");
            m.primaryKey("b");
        });
        s.build();
    }

    static String q(String sql) {
        return sql.replace('`', '"');
    }

    @Nested
    class Save {
        @Test
        void writesTheNonNullAttributesByKeyAndTouchesUpdatedAt() {
            SqlStatement st = Statements.save(accounts, new Account(4L, "a@b.io", null, 10, null, null), null).statement();

            assertThat(st.sql()).isEqualTo(q("UPDATE `Accounts` SET `email` = $1, `balance` = $2, `updatedAt` = now()"
                    + " WHERE `id` = $3 RETURNING `id`, `email`, `name`, `balance`, `createdAt`, `updatedAt`"));
            assertThat(st.values()).containsExactly("a@b.io", 10, 4L);
        }

        @Test
        void namedAttributesAreWrittenEvenWhenNull() {
            SqlStatement st = Statements.save(accounts, new Account(4L, "a@b.io", null, 10, null, null),
                    List.of("name")).statement();

            assertThat(st.sql()).isEqualTo(q("UPDATE `Accounts` SET `name` = $1, `updatedAt` = now()"
                    + " WHERE `id` = $2 RETURNING `id`, `email`, `name`, `balance`, `createdAt`, `updatedAt`"));
            assertThat(st.values()).containsExactly(null, 4L);
        }

        @Test
        void aVersionedEntityIsCheckedAndBumped() {
            SqlStatement st = Statements.save(docs, new Doc(2L, "t", 3), null).statement();

            assertThat(st.sql()).isEqualTo(q("UPDATE `Docs` SET `title` = $1, `version` = `version` + 1"
                    + " WHERE `id` = $2 AND `version` = $3 RETURNING `id`, `title`, `version`"));
            assertThat(st.values()).containsExactly("t", 2L, 3);
            assertThat(Statements.versionOf(docs, new Doc(2L, "t", 3))).isEqualTo(3);
        }

        @Test
        void nothingToWriteStillReturnsTheStoredRow() {
            SqlStatement st = Statements.save(tags, new Tag(1L, null), null).statement();

            assertThat(st.sql()).isEqualTo(q("UPDATE `Tags` SET `id` = `id` WHERE `id` = $1 RETURNING `id`, `label`"));
        }

        @Test
        void aCompositeKeyMatchesEveryKeyColumn() {
            SqlStatement st = Statements.save(pairs, new Pair(1L, 2L, "n"), null).statement();

            assertThat(st.sql()).isEqualTo(q("UPDATE `Pairs` SET `note` = $1 WHERE `a` = $2 AND `b` = $3"
                    + " RETURNING `a`, `b`, `note`"));
        }

        @Test
        void anUnsavedEntityOrAMaintainedAttributeIsRejectedBeforeAnySql() {
            assertThatThrownBy(() -> Statements.save(tags, new Tag(null, "x"), null))
                    .isInstanceOf(QueryDefinitionException.class).hasMessageContaining("primary key 'id'");
            assertThatThrownBy(() -> Statements.save(docs, new Doc(1L, "x", 1), List.of("version")))
                    .isInstanceOf(QueryDefinitionException.class).hasMessageContaining("maintained by Relata");
        }
    }

    @Nested
    class Upsert {
        @Test
        void onThePrimaryKeyUpdatesEverythingButTheKeyAndCreatedAt() {
            SqlStatement st = Statements.upsert(accounts, new Account(4L, "a@b.io", "A", 1, null, null), List.of())
                    .statement();

            assertThat(st.sql()).isEqualTo(q("INSERT INTO `Accounts` (`id`, `email`, `name`, `balance`, `createdAt`,"
                    + " `updatedAt`) VALUES ($1, $2, $3, $4, now(), now()) ON CONFLICT (`id`) DO UPDATE SET"
                    + " `email` = EXCLUDED.`email`, `name` = EXCLUDED.`name`, `balance` = EXCLUDED.`balance`,"
                    + " `updatedAt` = EXCLUDED.`updatedAt`"
                    + " RETURNING `id`, `email`, `name`, `balance`, `createdAt`, `updatedAt`"));
            assertThat(st.values()).containsExactly(4L, "a@b.io", "A", 1);
        }

        @Test
        void onAUniqueKeyLeavesAGeneratedKeyToTheDatabase() {
            SqlStatement st = Statements.upsert(accounts, new Account(null, "a@b.io", "A", null, null, null),
                    List.of("email")).statement();

            assertThat(st.sql()).isEqualTo(q("INSERT INTO `Accounts` (`email`, `name`, `createdAt`, `updatedAt`)"
                    + " VALUES ($1, $2, now(), now()) ON CONFLICT (`email`) DO UPDATE SET `name` = EXCLUDED.`name`,"
                    + " `updatedAt` = EXCLUDED.`updatedAt`"
                    + " RETURNING `id`, `email`, `name`, `balance`, `createdAt`, `updatedAt`"));
        }

        @Test
        void aVersionedRowIsBumpedOnUpdate() {
            SqlStatement st = Statements.upsert(docs, new Doc(1L, "t", null), List.of()).statement();

            assertThat(st.sql()).isEqualTo(q("INSERT INTO `Docs` (`id`, `title`, `version`) VALUES ($1, $2, DEFAULT)"
                    + " ON CONFLICT (`id`) DO UPDATE SET `title` = EXCLUDED.`title`, `version` = `Docs`.`version` + 1"
                    + " RETURNING `id`, `title`, `version`"));
        }

        @Test
        void onlyKeysToWriteStillReturnsTheRow() {
            SqlStatement st = Statements.upsert(tags, new Tag(1L, null), List.of()).statement();

            assertThat(st.sql()).isEqualTo(q("INSERT INTO `Tags` (`id`) VALUES ($1) ON CONFLICT (`id`) DO UPDATE"
                    + " SET `id` = EXCLUDED.`id` RETURNING `id`, `label`"));
        }

        @Test
        void aTargetThatIsNoUniqueKeyIsRejected() {
            assertThatThrownBy(() -> Statements.upsert(accounts, new Account(null, "a", "A", 1, null, null),
                    List.of("name")))
                    .isInstanceOf(QueryDefinitionException.class)
                    .hasMessageContaining("neither the primary key nor a unique key").hasMessageContaining("[email]");
        }
    }

    @Nested
    class Others {
        @Test
        void insertIfAbsentDoesNothingOnAnyConflict() {
            SqlStatement st = Statements.insertIfAbsent(tags, new Tag(null, "x")).statement();

            assertThat(st.sql()).isEqualTo(q("INSERT INTO `Tags` (`label`) VALUES ($1) ON CONFLICT DO NOTHING"
                    + " RETURNING `id`, `label`"));
        }

        @Test
        void destroyMatchesTheKeyAndTheCarriedVersion() {
            assertThat(Statements.destroy(tags, new Tag(3L, null)).sql()).isEqualTo(q("DELETE FROM `Tags` WHERE `id` = $1"));
            SqlStatement st = Statements.destroy(docs, new Doc(3L, null, 5));
            assertThat(st.sql()).isEqualTo(q("DELETE FROM `Docs` WHERE `id` = $1 AND `version` = $2"));
            assertThat(st.values()).containsExactly(3L, 5);
        }

        @Test
        void incrementAndDecrementAddInTheDatabase() {
            SqlStatement one = Statements.increment(accounts, new Account(2L, null, null, null, null, null),
                    Map.of("balance", 5), false).statement();
            assertThat(one.sql()).isEqualTo(q("UPDATE `Accounts` SET `balance` = `balance` + $1, `updatedAt` = now()"
                    + " WHERE `id` = $2 RETURNING `id`, `email`, `name`, `balance`, `createdAt`, `updatedAt`"));
            assertThat(one.values()).containsExactly(5, 2L);
            assertThatThrownBy(() -> Statements.increment(Query.from(docs), Map.of("version", 1), false))
                    .isInstanceOf(QueryDefinitionException.class).hasMessageContaining("'version'");
        }

        @Test
        void decrementOfRowsTakesAWhere() {
            SqlStatement st = Statements.increment(Query.from(accounts).where(Where.eq("name", "A")),
                    Map.of("balance", 3L), true);

            assertThat(st.sql()).isEqualTo(q("UPDATE `Accounts` AS `t0` SET `balance` = `balance` - $1,"
                    + " `updatedAt` = now() WHERE `t0`.`name` = $2"));
            assertThat(st.values()).containsExactly(3, "A");
        }

        @Test
        void bulkUpdateBumpsTheVersion() {
            SqlStatement st = Statements.update(Query.from(docs).where(Where.eq("id", 1L)), Map.of("title", "x"));

            assertThat(st.sql()).isEqualTo(q("UPDATE `Docs` AS `t0` SET `title` = $1, `version` = `version` + 1"
                    + " WHERE `t0`.`id` = $2"));
        }

        @Test
        void theVersionColumnIsAnIntegerDefaultingToZero() {
            Attribute v = docs.requireAttribute("version");
            assertThat(v.role()).isEqualTo(Attribute.Role.VERSION);
            assertThat(v.type()).isEqualTo(DataType.integer());
            assertThat(Ddl.createTable(docs).sql()).contains(q("`version` INTEGER NOT NULL DEFAULT 0"));
            SqlStatement insert = Statements.insert(docs, List.of(new Doc(null, "t", null))).get(0).statement();
            assertThat(insert.sql()).isEqualTo(q("INSERT INTO `Docs` (`title`, `version`) VALUES ($1, DEFAULT)"
                    + " RETURNING `id`, `title`, `version`"));
        }
    }
}
