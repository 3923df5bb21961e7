package io.relata.spring.boot;

import io.micrometer.observation.ObservationRegistry;
import io.r2dbc.spi.ConnectionFactory;
import io.relata.Schema;
import io.relata.reactor.Database;
import io.relata.reactor.MicrometerObservations;
import io.relata.reactor.StatementObserver;
import io.relata.spring.RelataExceptionTranslator;
import io.relata.spring.SpringTransactions;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.transaction.ReactiveTransactionManager;

/**
 * Auto-configuration of Relata, active when the application has a {@link Schema} bean and a
 * {@link ConnectionFactory} (Boot's, from {@code spring.r2dbc.*}). Defines, each unless the application
 * defines its own:
 *
 * <ul>
 *   <li>{@link SpringTransactions} on that factory and the application's {@link ReactiveTransactionManager}
 *       (Boot's {@code R2dbcTransactionManager}; one is created on the factory when there is none);</li>
 *   <li>{@link RelataExceptionTranslator}: errors as {@code DataAccessException} (also for
 *       {@code @Repository} beans);</li>
 *   <li>a {@link StatementObserver} recording a Micrometer {@code Observation} {@code relata.statement} per
 *       statement, when Micrometer is on the class path and an {@link ObservationRegistry} bean exists;</li>
 *   <li>the {@link Database}, with {@code relata.batch-window}; {@code relata.sync=create|force} syncs the
 *       schema before the bean is handed out.</li>
 * </ul>
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.autoconfigure.r2dbc.R2dbcAutoConfiguration",
        "org.springframework.boot.autoconfigure.r2dbc.R2dbcTransactionManagerAutoConfiguration",
        "org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration",
        "org.springframework.boot.r2dbc.autoconfigure.R2dbcTransactionManagerAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration",
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"})
@ConditionalOnClass({Database.class, ConnectionFactory.class, R2dbcTransactionManager.class})
@ConditionalOnBean({Schema.class, ConnectionFactory.class})
@EnableConfigurationProperties(RelataProperties.class)
public class RelataAutoConfiguration {

    /** Created by Spring. */
    public RelataAutoConfiguration() {
    }

    /**
     * @param factory the application's connection factory
     * @param manager the application's reactive transaction manager, if any
     * @return Relata's transactions as Spring's
     */
    @Bean
    @ConditionalOnMissingBean
    public SpringTransactions relataTransactions(ConnectionFactory factory,
            ObjectProvider<ReactiveTransactionManager> manager) {
        return SpringTransactions.of(factory, manager.getIfAvailable(() -> new R2dbcTransactionManager(factory)));
    }

    /** @return the error translator */
    @Bean
    @ConditionalOnMissingBean
    public RelataExceptionTranslator relataExceptionTranslator() {
        return new RelataExceptionTranslator();
    }

    /**
     * @param schema the application's schema
     * @param transactions the transaction support
     * @param errors the error translator
     * @param properties {@code relata.*}
     * @param observer the statement observer, if any
     * @return the database, synced when {@code relata.sync} asks for it
     */
    @Bean
    @ConditionalOnMissingBean
    public Database relataDatabase(Schema schema, SpringTransactions transactions, RelataExceptionTranslator errors,
            RelataProperties properties, ObjectProvider<StatementObserver> observer) {
        Database.Builder builder = Database.builder(transactions, schema)
                .errorTranslator(errors)
                .batchWindow(properties.getBatchWindow());
        observer.ifAvailable(builder::observer);
        Database database = builder.build();
        if (properties.getSync() != RelataProperties.Sync.NONE) {
            // application start-up is synchronous: the schema exists before anyone gets the bean
            database.sync(properties.getSync() == RelataProperties.Sync.FORCE).block(properties.getSyncTimeout());
        }
        return database;
    }

    /** Observations per statement, when Micrometer's observation API is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ObservationRegistry.class)
    static class Observations {
        @Bean
        @ConditionalOnBean(ObservationRegistry.class)
        @ConditionalOnMissingBean
        StatementObserver relataStatementObserver(ObservationRegistry registry) {
            return MicrometerObservations.observer(registry);
        }
    }
}
