package io.relata.reactor;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.relata.StatementException;
import io.relata.sql.SqlStatement;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import reactor.util.context.ContextView;

/**
 * A Micrometer {@link Observation} named {@value #NAME} per statement, for {@link Database.Builder#observer}.
 * Needs {@code io.micrometer:micrometer-observation} on the class path (an optional dependency of
 * {@code relata-reactor}: without it, do not touch this class). Low-cardinality key values:
 * {@code relata.operation} ({@code select}, {@code insert}, {@code update}, {@code delete}, {@code cursor},
 * {@code ddl}, {@code other}), {@code relata.table} (the statement's main table, {@code none} for cursor
 * fetches) and {@code outcome} ({@code success}, {@code error}, {@code cancelled}); high-cardinality:
 * {@code db.statement} (the SQL text, never the values) and {@code relata.rows}. The parent is the
 * observation found in the subscriber's Reactor Context under Micrometer's key
 * ({@code micrometer.observation}, where Spring WebFlux and Reactor's context propagation put it), so
 * traces nest statements under the request. With Spring Boot's actuator the timers show under
 * {@code /actuator/metrics/relata.statement}.
 */
public final class MicrometerObservations {
    /** The observation name (and so the timer's name). */
    public static final String NAME = "relata.statement";
    /** {@code ObservationThreadLocalAccessor.KEY}, without loading context-propagation's class. */
    static final String PARENT_KEY = "micrometer.observation";

    private MicrometerObservations() {
    }

    /**
     * @param registry where observations are recorded
     * @return an observer recording one observation per statement
     */
    public static StatementObserver observer(ObservationRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        return (statement, context) -> start(registry, statement, context);
    }

    private static StatementObserver.Execution start(ObservationRegistry registry, SqlStatement statement,
            ContextView context) {
        Observability.Shape shape = Observability.shape(statement);
        Observation observation = Observation.createNotStarted(NAME, registry)
                .contextualName(shape.operation() + " " + shape.table())
                .lowCardinalityKeyValue("relata.operation", shape.operation())
                .lowCardinalityKeyValue("relata.table", shape.table())
                .highCardinalityKeyValue("db.statement", statement.sql())
                .parentObservation(parent(context))
                .start();
        return new StatementObserver.Execution() {
            @Override
            public void success(long rows) {
                stop("success", rows);
            }

            @Override
            public void failure(Throwable error) {
                observation.error(error);
                if (error instanceof StatementException se && se.sqlState() != null) {
                    observation.highCardinalityKeyValue("db.sqlstate", se.sqlState());
                }
                stop("error", -1);
            }

            @Override
            public void cancelled(long rows) {
                stop("cancelled", rows);
            }

            private void stop(String outcome, long rows) {
                observation.lowCardinalityKeyValue(KeyValue.of("outcome", outcome));
                if (rows >= 0) {
                    observation.highCardinalityKeyValue("relata.rows", Long.toString(rows));
                }
                observation.stop();
            }
        };
    }

    private static @Nullable Observation parent(ContextView context) {
        Object parent = context.getOrDefault(PARENT_KEY, null);
        return parent instanceof Observation o ? o : null;
    }
}
