package io.relata.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.ConnectionException;
import io.relata.Model;
import io.relata.Schema;
import io.relata.SchemaBuilder;
import io.relata.query.Query;
import io.relata.reactor.testing.TestDatabase;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.test.StepVerifier;

/** A connection that cannot be had is a {@link ConnectionException}, transient or not, with the server's SQLSTATE. */
@ExtendWith(TestDatabase.class)
class ConnectionErrorsIT {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    record Thing(Long id, String name) {}

    static Schema schema;
    static Model<Thing> things;

    @BeforeAll
    static void schema() {
        SchemaBuilder s = Schema.builder().timestamps(false);
        things = s.define(Thing.class);
        schema = s.build();
    }

    @Test
    void aDatabaseThatDoesNotExistIsAConnectionExceptionWith3D000ThatIsNotTransient(TestDatabase.Handle h) {
        String url = h.url().replace(h.database(), h.database() + "_missing");
        Database missing = Database.connect(url, schema);
        try {
            missing.findAll(Query.from(things))
                    .as(StepVerifier::create)
                    .expectErrorSatisfies(e -> {
                        assertThat(e).isInstanceOf(ConnectionException.class);
                        assertThat(((ConnectionException) e).sqlState()).isEqualTo("3D000");
                        assertThat(((ConnectionException) e).isTransient()).isFalse();
                        assertThat(e.getMessage()).contains("could not acquire a connection");
                    })
                    .verify(TIMEOUT);
        } finally {
            missing.close().block(TIMEOUT);
        }
    }

    @Test
    void aRefusedConnectionIsATransientConnectionException() {
        // port 1 on the loopback: nothing listens, the connection is refused at once
        Database refused = Database.connect("r2dbc:postgresql://postgres@127.0.0.1:1/none", schema);
        try {
            refused.transaction(tx -> refused.findAll(Query.from(things)))
                    .as(StepVerifier::create)
                    .expectErrorSatisfies(e -> {
                        assertThat(e).isInstanceOf(ConnectionException.class);
                        // the driver reports a refused connection as 08003 (connection_does_not_exist)
                        assertThat(((ConnectionException) e).sqlState()).satisfiesAnyOf(
                                state -> assertThat(state).isNull(), state -> assertThat(state).startsWith("08"));
                        assertThat(((ConnectionException) e).isTransient()).isTrue();
                    })
                    .verify(TIMEOUT);
        } finally {
            refused.close().block(TIMEOUT);
        }
    }
}
