package io.relata.reactor;

import io.r2dbc.spi.Connection;
import io.relata.internal.NodeReader.Partial;
import io.relata.internal.NodeReader.PartialAssembler;
import io.relata.internal.Keys;
import io.relata.sql.LoadPlan;
import io.relata.sql.SqlStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Lazy loads of an association, batched DataLoader-style: loads of the same association issued
 * within one window (e.g. inside one {@code flatMap}) share one {@code = ANY($1)} statement. Loads
 * inside a transaction are batched per transaction and run on its connection.
 */
final class Loader {
    /** The default batch window. */
    static final Duration DEFAULT_WINDOW = Duration.ofNanos(500_000);
    /** A batch is flushed at once when it reaches this many distinct keys. */
    static final int MAX_KEYS = 1000;

    private final Executor executor;
    private final Duration window;
    private final Map<BatchKey, Batch> pending = new ConcurrentHashMap<>();

    Loader(Executor executor, Duration window) {
        this.executor = executor;
        this.window = window;
    }

    private record BatchKey(LoadPlan<?> plan, @Nullable Connection connection) {
    }

    private record Request(Object key, FluxSink<Object> sink) {
    }

    private final class Batch {
        final BatchKey key;
        final List<Request> requests = new ArrayList<>();
        boolean closed;

        Batch(BatchKey key) {
            this.key = key;
        }
    }

    /**
     * @param plan the load plan of the association (shared by all loads of the same shape)
     * @param key the source's key value
     * @param <T> the target entity
     * @return the targets linked to that key; the statement runs when the batch is flushed
     */
    @SuppressWarnings("unchecked")
    <T> Flux<T> load(LoadPlan<T> plan, Object key) {
        return Flux.deferContextual(ctx -> {
            Connection tx = executor.current(ctx);
            return Flux.<Object>create(sink -> enqueue(new BatchKey(plan, tx),
                    new Request(Objects.requireNonNull(Keys.canonical(key)), sink)));
        }).map(o -> (T) o);
    }

    private void enqueue(BatchKey key, Request request) {
        while (true) {
            Batch batch = pending.computeIfAbsent(key, k -> {
                Batch b = new Batch(k);
                Schedulers.parallel().schedule(() -> flush(b), window.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
                return b;
            });
            boolean full;
            synchronized (batch) {
                if (batch.closed) {
                    continue;
                }
                batch.requests.add(request);
                full = batch.requests.size() >= MAX_KEYS;
            }
            if (full) {
                flush(batch);
            }
            return;
        }
    }

    private void flush(Batch batch) {
        List<Request> requests;
        synchronized (batch) {
            if (batch.closed) {
                return;
            }
            batch.closed = true;
            pending.remove(batch.key, batch);
            requests = new ArrayList<>(batch.requests);
        }
        Set<Object> keys = new LinkedHashSet<>();
        requests.forEach(r -> keys.add(r.key()));
        LoadPlan<?> plan = batch.key.plan();
        SqlStatement statement = plan.statement(keys);
        if (statement == null) {
            requests.forEach(r -> r.sink().complete());
            return;
        }
        Flux<Object> rows = Flux.defer(() -> {
            PartialAssembler assembler = plan.assembler();
            Map<Object, List<Object>> byKey = new HashMap<>();
            java.util.function.Consumer<Partial> add = p -> byKey.computeIfAbsent(p.link(), k -> new ArrayList<>())
                    .add(assembler.materialize(p));
            Connection tx = batch.key.connection();
            Flux<Object> run = tx != null ? run(tx, statement, assembler, add)
                    : executor.withConnection(c -> run(c, statement, assembler, add));
            return run.then(Mono.fromCallable(() -> byKey)).flux().cast(Object.class);
        });
        rows.subscribe(result -> {
            @SuppressWarnings("unchecked")
            Map<Object, List<Object>> byKey = (Map<Object, List<Object>>) result;
            for (Request r : requests) {
                List<Object> found = byKey.getOrDefault(r.key(), List.of());
                for (Object o : found) {
                    r.sink().next(o);
                }
                r.sink().complete();
            }
        }, error -> requests.forEach(r -> r.sink().error(error)));
    }

    private static Flux<Object> run(Connection c, SqlStatement s, PartialAssembler assembler,
            java.util.function.Consumer<Partial> add) {
        return Executor.rows(c, s, row -> {
            Partial p = assembler.push(row);
            if (p != null) {
                add.accept(p);
            }
            return Executor.NONE;
        }).then(Mono.fromRunnable(() -> {
            Partial last = assembler.finish();
            if (last != null) {
                add.accept(last);
            }
        })).flux();
    }
}
