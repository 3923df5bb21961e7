package io.relata.spring;

import io.r2dbc.spi.ConnectionFactory;
import io.relata.Schema;
import io.relata.reactor.Database;
import org.springframework.transaction.ReactiveTransactionManager;

/**
 * Wiring a {@link Database} into a Spring application by hand (the starter's auto-configuration does the
 * same): Spring's transactions ({@link SpringTransactions}) and Spring's exceptions
 * ({@link RelataExceptionTranslator}).
 *
 * <pre>{@code
 * @Bean
 * Database database(ConnectionFactory cf, ReactiveTransactionManager tm, Schema schema) {
 *     return RelataSpring.builder(cf, tm, schema).build();
 * }
 * }</pre>
 */
public final class RelataSpring {
    private RelataSpring() {
    }

    /**
     * @param factory the connection factory (the one the transaction manager manages)
     * @param manager the reactive transaction manager
     * @param schema the built schema
     * @return a database builder with Spring's transactions and exceptions; add an observer or a batch window
     */
    public static Database.Builder builder(ConnectionFactory factory, ReactiveTransactionManager manager, Schema schema) {
        return Database.builder(SpringTransactions.of(factory, manager), schema)
                .errorTranslator(new RelataExceptionTranslator());
    }
}
