package io.relata.sql;

import io.relata.plan.Statements;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.Model;
import io.relata.QueryDefinitionException;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.query.Query;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Exact text and binds of the transaction-control statements: statement timeouts and savepoints. */
class TransactionStatementsTest {

    record Note(Long id, String text) {}

    @Nested
    class StatementTimeout {
        @Test
        void isSetForTheTransactionWithTheValueAsABindAndReadsThePreviousSetting() {
            SqlStatement s = Statements.statementTimeout(Duration.ofSeconds(5));
            assertThat(s.sql()).isEqualTo(
                    "SELECT current_setting('statement_timeout'), set_config('statement_timeout', $1, true)");
            assertThat(s.values()).containsExactly("5000ms");
        }

        @Test
        void theTextDoesNotVaryWithTheValue() {
            assertThat(Statements.statementTimeout(Duration.ofMillis(1)).sql())
                    .isEqualTo(Statements.statementTimeout(Duration.ofHours(2)).sql());
            assertThat(Statements.statementTimeout(Duration.ofHours(2)).values()).containsExactly("7200000ms");
        }

        @Test
        void isRestoredWithTheSettingReadBefore() {
            SqlStatement s = Statements.restoreStatementTimeout("9s");
            assertThat(s.sql()).isEqualTo("SELECT set_config('statement_timeout', $1, true)");
            assertThat(s.values()).containsExactly("9s");
        }

        @Test
        void belowOneMillisecondIsRejected() {
            assertThatThrownBy(() -> Statements.statementTimeout(Duration.ofNanos(999_999)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 ms");
            assertThatThrownBy(() -> Statements.statementTimeout(Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Savepoints {
        @Test
        void areQuotedIdentifiers() {
            assertThat(Statements.savepoint("relata_savepoint_1").sql()).isEqualTo("SAVEPOINT \"relata_savepoint_1\"");
            assertThat(Statements.releaseSavepoint("relata_savepoint_1").sql())
                    .isEqualTo("RELEASE SAVEPOINT \"relata_savepoint_1\"");
            assertThat(Statements.rollbackToSavepoint("relata_savepoint_1").sql())
                    .isEqualTo("ROLLBACK TO SAVEPOINT \"relata_savepoint_1\"");
            assertThat(Statements.savepoint("a\"b").sql()).isEqualTo("SAVEPOINT \"a\"\"b\"");
        }
    }

    @Nested
    class QueryTimeout {
        final Model<Note> notes;

        QueryTimeout() {
            SchemaBuilder s = Schema.builder();
            notes = s.define(Note.class);
            s.build();
        }

        @Test
        void isKeptByEveryLaterChangeOfTheQuery() {
            Query<Note> q = Query.from(notes).timeout(Duration.ofSeconds(3))
                    .where(io.relata.query.Where.eq("text", "x")).limit(2).offset(1).attributes("text")
                    .orderBy(io.relata.query.Order.asc("id"));
            assertThat(q.timeout()).contains(Duration.ofSeconds(3));
            assertThat(Query.from(notes).timeout()).isEmpty();
        }

        @Test
        void doesNotChangeTheQuerysSql() {
            assertThat(Statements.select(Query.from(notes).timeout(Duration.ofSeconds(3))).statement())
                    .isEqualTo(Statements.select(Query.from(notes)).statement());
        }

        @Test
        void belowOneMillisecondIsRejectedBeforeAnySql() {
            assertThatThrownBy(() -> Query.from(notes).timeout(Duration.ZERO))
                    .isInstanceOf(QueryDefinitionException.class).hasMessageContaining("at least 1 ms");
        }
    }
}
