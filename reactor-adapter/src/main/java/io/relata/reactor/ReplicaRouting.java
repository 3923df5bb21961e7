package io.relata.reactor;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.relata.RelataException;
import io.relata.TransactionOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * Read routing over one primary and N read replicas (streaming standbys). A {@link TransactionSupport} whose
 * own methods are the primary's (writes, {@code sync()}, transactions), plus {@link #read} and
 * {@link #readInTransaction} for the reads the {@link Database} runs outside a transaction: those go to a
 * replica chosen round-robin among the healthy ones. A replica whose connection cannot be had (or is lost
 * before the read emitted anything) is marked down for {@code retryAfter} and skipped; the read moves on
 * to the next replica and finally to the primary, so it does not fail. A read-only transaction
 * ({@link TransactionOptions#readOnly()}) begun outside any transaction runs on a replica too. Inside any
 * transaction everything runs on that transaction's connection. {@link #onPrimary()} is a view that sends
 * every read to the primary (read-your-writes).
 */
final class ReplicaRouting implements TransactionSupport {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    /** How long a failed replica is skipped before it is tried again, by default. */
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

    private final TransactionSupport primary;
    private final List<Replica> replicas;
    private final Duration retryAfter;
    private final AtomicInteger next;
    private final boolean primaryReads;
    private final List<Supplier<Mono<Void>>> closers;

    ReplicaRouting(TransactionSupport primary, List<? extends ConnectionFactory> replicas, Duration retryAfter,
            List<Supplier<Mono<Void>>> closers) {
        this.primary = Objects.requireNonNull(primary, "primary");
        List<Replica> list = new ArrayList<>();
        for (int i = 0; i < replicas.size(); i++) {
            list.add(new Replica(i, Objects.requireNonNull(replicas.get(i), "replica")));
        }
        this.replicas = List.copyOf(list);
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
        this.next = new AtomicInteger();
        this.primaryReads = false;
        this.closers = List.copyOf(closers);
    }

    private ReplicaRouting(ReplicaRouting routing) {
        this.primary = routing.primary;
        this.replicas = routing.replicas;
        this.retryAfter = routing.retryAfter;
        this.next = routing.next;
        this.primaryReads = true;
        this.closers = List.of();
    }

    /** @return a view of the same primary and replicas that reads from the primary only */
    ReplicaRouting onPrimary() {
        return primaryReads ? this : new ReplicaRouting(this);
    }

    /** @return whether this is the {@link #onPrimary()} view */
    boolean readsOnPrimary() {
        return primaryReads;
    }

    /** @return closes the replica pools this routing owns */
    Mono<Void> close() {
        return Flux.fromIterable(closers).concatMap(Supplier::get).then();
    }

    @Override
    public ConnectionFactory connectionFactory() {
        return primary.connectionFactory();
    }

    @Override
    public @Nullable Connection current(ContextView context) {
        Connection c = primary.current(context);
        if (c != null) {
            return c;
        }
        for (Replica r : replicas) {
            c = r.transactions.current(context);
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    /** @return the support whose transaction surrounds the subscriber, or null outside one */
    private @Nullable TransactionSupport owner(ContextView context) {
        if (primary.current(context) != null) {
            return primary;
        }
        for (Replica r : replicas) {
            if (r.transactions.current(context) != null) {
                return r.transactions;
            }
        }
        return null;
    }

    /** Writes and everything else that is not a routed read: the surrounding transaction, else the primary. */
    @Override
    public <T> Flux<T> withConnection(Function<Connection, Publisher<T>> work) {
        return Flux.deferContextual(ctx -> {
            TransactionSupport owner = owner(ctx);
            return (owner == null ? primary : owner).withConnection(work);
        });
    }

    @Override
    public <T> Flux<T> inTransaction(TransactionOptions.Propagation propagation, Function<Connection, Publisher<T>> work) {
        return inTransaction(TransactionOptions.defaults().propagation(propagation), work);
    }

    /** Joins the surrounding transaction; a read-only one begun here runs on a replica, any other on the primary. */
    @Override
    public <T> Flux<T> inTransaction(TransactionOptions options, Function<Connection, Publisher<T>> work) {
        return Flux.deferContextual(ctx -> {
            TransactionSupport owner = owner(ctx);
            if (owner != null) {
                return owner.inTransaction(options, work);
            }
            if (options.readOnly() && !primaryReads) {
                return routed(r -> r.transactions.inTransaction(options, work), () -> primary.inTransaction(options, work));
            }
            return primary.inTransaction(options, work);
        });
    }

    /** A read outside a transaction: on a healthy replica (the primary when none is, or for {@link #onPrimary()}). */
    <T> Flux<T> read(Function<Connection, Publisher<T>> work) {
        return Flux.deferContextual(ctx -> {
            TransactionSupport owner = owner(ctx);
            if (owner != null) {
                return owner.withConnection(work);
            }
            if (primaryReads) {
                return primary.withConnection(work);
            }
            return routed(r -> r.transactions.withConnection(work), () -> primary.withConnection(work));
        });
    }

    /** A read that needs a transaction of its own (a cursor): routed like {@link #read}, joined inside one. */
    <T> Flux<T> readInTransaction(Function<Connection, Publisher<T>> work) {
        return Flux.deferContextual(ctx -> {
            TransactionSupport owner = owner(ctx);
            TransactionOptions options = TransactionOptions.defaults();
            if (owner != null) {
                return owner.inTransaction(options, work);
            }
            if (primaryReads) {
                return primary.inTransaction(options, work);
            }
            return routed(r -> r.transactions.inTransaction(options, work), () -> primary.inTransaction(options, work));
        });
    }

    /** Tries the healthy replicas from the round-robin position on, then the primary. */
    private <T> Flux<T> routed(Function<Replica, Flux<T>> onReplica, Supplier<Flux<T>> onPrimary) {
        return Flux.defer(() -> {
            List<Replica> order = candidates();
            Flux<T> attempt = Flux.defer(onPrimary);
            for (int i = order.size() - 1; i >= 0; i--) {
                Replica replica = order.get(i);
                Flux<T> fallback = attempt;
                attempt = Flux.defer(() -> {
                    AtomicBoolean emitted = new AtomicBoolean();
                    return onReplica.apply(replica)
                            .doOnNext(x -> emitted.set(true))
                            .onErrorResume(e -> !emitted.get() && unavailable(e), e -> {
                                replica.down(e);
                                return fallback;
                            });
                });
            }
            return attempt;
        });
    }

    /** @return the healthy replicas (and those whose down time is over), starting at the next round-robin position */
    private List<Replica> candidates() {
        int n = replicas.size();
        if (n == 0) {
            return List.of();
        }
        int start = Math.floorMod(next.getAndIncrement(), n);
        long now = System.nanoTime();
        List<Replica> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Replica r = replicas.get((start + i) % n);
            if (r.usable(now)) {
                out.add(r);
            }
        }
        return out;
    }

    /** @return whether a read failed because the replica is not there: no connection, or the connection lost */
    private static boolean unavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ReplicaUnavailable) {
                return true;
            }
        }
        return Executor.lost(e);
    }

    /** One replica: its connections (failures to get one marked as {@link ReplicaUnavailable}) and its health. */
    private final class Replica {
        final int index;
        final LocalTransactions transactions;
        /** System.nanoTime() until which the replica is skipped; 0 when healthy */
        final AtomicLong downUntil = new AtomicLong();

        Replica(int index, ConnectionFactory factory) {
            this.index = index;
            this.transactions = new LocalTransactions(new Marking(factory));
        }

        boolean usable(long now) {
            long until = downUntil.get();
            return until == 0 || now - until >= 0;
        }

        void down(Throwable cause) {
            long until = System.nanoTime() + retryAfter.toNanos();
            downUntil.set(until == 0 ? 1 : until);
            LOG.warn("read replica {} is unavailable, reading elsewhere and trying it again in {}: {}", index,
                    retryAfter, cause.toString());
        }

        void up() {
            if (downUntil.getAndSet(0) != 0) {
                LOG.info("read replica {} is available again", index);
            }
        }

        /** The replica's factory; a failure to create a connection says which replica failed. */
        private final class Marking implements ConnectionFactory {
            private final ConnectionFactory delegate;

            Marking(ConnectionFactory delegate) {
                this.delegate = delegate;
            }

            @Override
            public Publisher<? extends Connection> create() {
                return Mono.<Connection>from(delegate.create())
                        .doOnNext(c -> up())
                        .onErrorMap(e -> !(e instanceof RelataException), e -> new ReplicaUnavailable(index, e));
            }

            @Override
            public ConnectionFactoryMetadata getMetadata() {
                return delegate.getMetadata();
            }
        }
    }

    /** A replica's connection could not be had (becomes the cause of a {@link io.relata.ConnectionException}). */
    private static final class ReplicaUnavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ReplicaUnavailable(int index, Throwable cause) {
            super("read replica " + index + " is unavailable: " + cause.getMessage(), cause);
        }
    }
}
