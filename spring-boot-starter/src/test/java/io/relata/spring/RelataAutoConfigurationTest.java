package io.relata.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.observation.ObservationRegistry;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.relata.Schema;
import io.relata.reactor.Database;
import io.relata.reactor.StatementObserver;
import io.relata.spring.boot.RelataAutoConfiguration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.transaction.ReactiveTransactionManager;

/** When the auto-configuration applies and what it defines (no database needed: nothing connects). */
class RelataAutoConfigurationTest {
    static final ConnectionFactory FACTORY = ConnectionFactories.get("r2dbc:postgresql://nobody@localhost:1/none");

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RelataAutoConfiguration.class));

    @Nested
    class Conditions {
        @Test
        void aSchemaAndAConnectionFactoryGiveADatabaseWithSpringsTransactionsAndErrors() {
            runner.withBean(ConnectionFactory.class, () -> FACTORY)
                    .withBean(Schema.class, () -> new Library().schema)
                    .run(context -> {
                        assertThat(context).hasSingleBean(Database.class).hasSingleBean(SpringTransactions.class)
                                .hasSingleBean(RelataExceptionTranslator.class)
                                .doesNotHaveBean(StatementObserver.class);
                        assertThat(context.getBean(Database.class).connectionFactory()).isSameAs(FACTORY);
                        assertThat(context.getBean(SpringTransactions.class).transactionManager())
                                .isInstanceOf(R2dbcTransactionManager.class);
                    });
        }

        @Test
        void withoutASchemaThereIsNoDatabase() {
            runner.withBean(ConnectionFactory.class, () -> FACTORY)
                    .run(context -> assertThat(context).doesNotHaveBean(Database.class));
        }

        @Test
        void withoutAConnectionFactoryThereIsNoDatabase() {
            runner.withBean(Schema.class, () -> new Library().schema)
                    .run(context -> assertThat(context).doesNotHaveBean(Database.class));
        }

        @Test
        void theApplicationsTransactionManagerIsTheOneUsed() {
            R2dbcTransactionManager mine = new R2dbcTransactionManager(FACTORY);
            runner.withBean(ConnectionFactory.class, () -> FACTORY)
                    .withBean(Schema.class, () -> new Library().schema)
                    .withBean(ReactiveTransactionManager.class, () -> mine)
                    .run(context -> assertThat(context.getBean(SpringTransactions.class).transactionManager())
                            .isSameAs(mine));
        }

        @Test
        void anApplicationsOwnDatabaseWins() {
            Database mine = Database.create(FACTORY, new Library().schema);
            runner.withBean(ConnectionFactory.class, () -> FACTORY)
                    .withBean(Schema.class, () -> new Library().schema)
                    .withBean(Database.class, () -> mine)
                    .run(context -> assertThat(context.getBean(Database.class)).isSameAs(mine));
        }

        @Test
        void anObservationRegistryGivesAStatementObserver() {
            runner.withBean(ConnectionFactory.class, () -> FACTORY)
                    .withBean(Schema.class, () -> new Library().schema)
                    .withBean(ObservationRegistry.class, ObservationRegistry::create)
                    .run(context -> assertThat(context).hasSingleBean(StatementObserver.class));
        }
    }

    @Nested
    class Properties {
        @Test
        void anUnknownSyncModeFailsTheStartUp() {
            runner.withBean(ConnectionFactory.class, () -> FACTORY)
                    .withBean(Schema.class, () -> new Library().schema)
                    .withPropertyValues("relata.sync=sometimes")
                    .run(context -> assertThat(context).hasFailed());
        }

        @Test
        void theBatchWindowIsBound() {
            runner.withBean(ConnectionFactory.class, () -> FACTORY)
                    .withBean(Schema.class, () -> new Library().schema)
                    .withPropertyValues("relata.batch-window=3ms")
                    .run(context -> assertThat(context.getBean(io.relata.spring.boot.RelataProperties.class)
                            .getBatchWindow()).hasMillis(3));
        }
    }
}
