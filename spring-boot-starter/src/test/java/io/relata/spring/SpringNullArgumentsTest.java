package io.relata.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.relata.RelataException;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.TransactionOptions;
import io.relata.reactor.testing.NullProbe;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.transaction.ReactiveTransactionManager;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * The Spring integration's public methods reject {@code null} at call time with an NPE naming the
 * parameter, as the core and reactor APIs do (see relata-reactor's {@code NullArgumentsTest}).
 */
class SpringNullArgumentsTest {
    record Item(Long id, String name) {}

    /** Never connected: every probed method fails before it would subscribe. */
    static final ConnectionFactory FACTORY = ConnectionFactories.get("r2dbc:postgresql://nobody@127.0.0.1:1/none");

    @Test
    void everyPublicMethodRejectsNullNamingTheParameter() {
        SchemaBuilder s = Schema.builder();
        s.define(Item.class);
        Schema schema = s.build();
        ReactiveTransactionManager manager = new R2dbcTransactionManager(FACTORY);
        Function<Object, Publisher<Object>> work = x -> Mono.empty();
        NullProbe probe = new NullProbe()
                .sample(ConnectionFactory.class, () -> FACTORY)
                .sample(ReactiveTransactionManager.class, () -> manager)
                .sample(Schema.class, () -> schema)
                .sample(Function.class, () -> work)
                .sample(ContextView.class, Context::empty)
                .sample(TransactionOptions.class, TransactionOptions::defaults)
                .sample(Throwable.class, () -> new RuntimeException("x"))
                .sample(RuntimeException.class, () -> new RuntimeException("x"))
                .sample(RelataException.class, () -> new RelataException("x"))
                .sample(SpringTransactions.class, () -> SpringTransactions.of(FACTORY, manager))
                .sample(RelataExceptionTranslator.class, RelataExceptionTranslator::new)
                .probeAll(NullProbe.publicTypes("io.relata.spring"));
        System.out.println("null probes (io.relata.spring): " + probe.probes() + ", failing: " + probe.failures().size());
        probe.excluded().forEach(e -> System.out.println("excluded: " + e));
        assertThat(probe.failures()).isEmpty();
        assertThat(probe.probes()).isGreaterThan(10);
    }
}
