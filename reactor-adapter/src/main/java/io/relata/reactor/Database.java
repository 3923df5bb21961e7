package io.relata.reactor;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import io.r2dbc.spi.ValidationDepth;
import io.relata.Association;
import io.relata.Attribute;
import io.relata.BelongsTo;
import io.relata.BelongsToMany;
import io.relata.HasMany;
import io.relata.HasOne;
import io.relata.Model;
import io.relata.QueryDefinitionException;
import io.relata.Schema;
import io.relata.TransactionOptions;
import io.relata.plan.Ddl;
import io.relata.plan.Statements;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.sql.LoadPlan;
import io.relata.sql.SelectPlan;
import io.relata.sql.SqlStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The runtime entry point: executes queries, writes, transactions and association operations of a
 * {@link Schema} over R2DBC. Thread-safe; create one per database and share it. Every method is cold:
 * nothing runs until the returned publisher is subscribed, and it runs again on every subscription.
 * Connections are taken lazily when subscribed and released on complete, error and cancel.
 *
 * <p><b>Cancellation</b> (a {@code take}, a {@code timeout}, a disposed subscription, an HTTP client that
 * went away) stops the statement on the server: Relata sends PostgreSQL's CancelRequest for the
 * connection's backend, keeps the connection until the server has answered (SQLSTATE {@code 57014},
 * or the statement's natural end) and the CancelRequest has been handled, then returns it to the pool,
 * so a cancel can never reach a later statement. A cancelled transaction is rolled back. Inside a
 * transaction that goes on (a {@code take} on one of its queries), the statement is read to its end
 * instead, since a server-side cancel would abort the whole transaction.
 *
 * <p><b>Errors</b>: {@link io.relata.StatementException} (SQL text, SQLSTATE) when a statement fails,
 * {@link io.relata.ConnectionException} when a connection cannot be had or is lost without the server
 * saying why; the subscriber always gets the first real failure, and a ROLLBACK or release that fails
 * after it is attached as suppressed. {@link io.relata.RelataException#isTransient()} tells whether
 * running the work again may succeed.
 *
 * <p><b>Routing</b> (with read replicas: {@link #connect(String, List, Schema)}, {@link Builder#replicas}).
 * Outside a transaction, the reads {@link #findAll}, {@link #findOne}, {@link #findByPk}, {@link #count} and the
 * association reads (lazy {@code get}s, batched or not, {@code count}, {@code has}) run on a read replica chosen
 * round-robin among the healthy ones (a SEPARATE include's cursor in a transaction of its own there). Everything
 * else runs on the primary: writes ({@code create}, {@code bulkCreate}, {@code update}, {@code destroy},
 * association writes), {@link #sync()}, every statement inside a {@link #transaction} (reads included), reads
 * and every read of the view
 * {@link #primary()} (read-your-writes). A transaction with {@link TransactionOptions#readOnly()} begun outside
 * any other runs on a replica, and so does a read with a {@link Query#timeout} (its {@code SET LOCAL} runs in a
 * read-only transaction of its own there). A replica whose connection cannot be had, or is lost before a read emitted
 * anything, is skipped for a while (then tried again) and the read goes to the next replica, finally to the
 * primary: reads do not fail because a replica is down. Without replicas everything runs on the one database.
 */
public final class Database {
    private final Schema schema;
    private final Executor executor;
    private final @Nullable ConnectionPool ownedPool;
    private final Loader loader;

    private Database(Schema schema, Executor executor, @Nullable ConnectionPool ownedPool, Duration batchWindow) {
        this.schema = Objects.requireNonNull(schema, "schema");
        this.executor = executor;
        this.ownedPool = ownedPool;
        this.loader = new Loader(executor, batchWindow);
    }

    /**
     * Connects to PostgreSQL through a pool that this database owns ({@link #close()} disposes it).
     * Defaults: binary transfer ({@code forceBinary}), at most 4 connections, and a local validation
     * on acquire (is the connection open?) without a validation query: Relata never cancels an
     * exchange inside the driver (a cancelled statement is stopped on the server and read to its end),
     * and it closes a connection whose state it cannot know before the pool sees it again, so the
     * extra round trip per acquire (half the throughput of short queries) buys nothing.
     * Pool options in the URL ({@code r2dbc:pool:postgresql://...?maxSize=8}) are honoured.
     * Several hosts ({@code r2dbc:postgresql://h1:5432,h2:5432/db?targetServerType=primary}) select the driver's
     * multi-host protocol ({@code r2dbc:postgresql:failover://}): each new connection goes to the first host of
     * the asked type that answers, so after a failover the pool's new connections reach the new primary. Behind
     * PgBouncer in transaction pooling mode add {@code preparedStatementCacheQueries=0} (the driver's named
     * prepared statements do not survive a change of server connection).
     *
     * @param url an R2DBC URL, e.g. {@code r2dbc:postgresql://user@localhost:5432/db}
     * @param schema the built schema
     * @return the database
     */
    public static Database connect(String url, Schema schema) {
        Objects.requireNonNull(url, "url");
        ConnectionFactoryOptions parsed = ConnectionFactoryOptions.parse(url.replaceFirst("^r2dbc:pool:", "r2dbc:"));
        ConnectionFactoryOptions original = ConnectionFactoryOptions.parse(url);
        ConnectionFactoryOptions.Builder options = parsed.mutate();
        if (!parsed.hasOption(PostgresqlConnectionFactoryProvider.FORCE_BINARY)) {
            options.option(PostgresqlConnectionFactoryProvider.FORCE_BINARY, true);
        }
        if (String.valueOf(parsed.getValue(ConnectionFactoryOptions.HOST)).contains(",")
                && !parsed.hasOption(ConnectionFactoryOptions.PROTOCOL)) {
            // several hosts: the driver's multi-host (failover) protocol, as if written r2dbc:postgresql:failover://
            options.option(ConnectionFactoryOptions.PROTOCOL, "failover");
        }
        ConnectionFactory plain = ConnectionFactories.get(options.build());
        int maxSize = intOption(original, "maxSize", 4);
        ConnectionPoolConfiguration config = ConnectionPoolConfiguration.builder(plain)
                .initialSize(Math.min(1, maxSize))
                .maxSize(maxSize)
                .validationDepth(ValidationDepth.LOCAL)
                .maxValidationTime(Duration.ofSeconds(10))
                .maxIdleTime(Duration.ofMinutes(10))
                .maxAcquireTime(Duration.ofSeconds(30))
                .name("relata")
                .build();
        ConnectionPool pool = new ConnectionPool(config);
        return new Database(schema, new Executor(TransactionSupport.local(pool), ErrorTranslator.none(), null), pool,
                Loader.DEFAULT_WINDOW);
    }

    /**
     * {@link #connect(String, Schema)} with read replicas: one pool per URL (each as {@link #connect(String, Schema)}
     * sets it up), all disposed by {@link #close()}. Reads outside transactions go to the replicas (see the class
     * comment, <b>Routing</b>). A replica URL may itself be a multi-host URL that picks a standby, e.g.
     * {@code r2dbc:postgresql://h1:5432,h2:5432/db?targetServerType=preferSecondary}.
     *
     * @param url the primary's R2DBC URL
     * @param replicaUrls the replicas' R2DBC URLs (none: a database without replicas)
     * @param schema the built schema
     * @return the database
     */
    public static Database connect(String url, List<String> replicaUrls, Schema schema) {
        Database primary = connect(url, schema);
        if (replicaUrls.isEmpty()) {
            return primary;
        }
        List<ConnectionFactory> replicas = new ArrayList<>();
        List<Supplier<Mono<Void>>> closers = new ArrayList<>();
        for (String replicaUrl : replicaUrls) {
            Database replica = connect(Objects.requireNonNull(replicaUrl, "replicaUrls contains null"), schema);
            replicas.add(replica.connectionFactory());
            closers.add(replica::close);
        }
        ReplicaRouting routing = new ReplicaRouting(TransactionSupport.local(primary.connectionFactory()), replicas,
                ReplicaRouting.DEFAULT_RETRY_AFTER, closers);
        return new Database(schema, new Executor(routing, ErrorTranslator.none(), null), primary.ownedPool,
                Loader.DEFAULT_WINDOW);
    }

    private static int intOption(ConnectionFactoryOptions options, String name, int fallback) {
        Object v = options.getValue(Option.valueOf(name));
        return v == null ? fallback : Integer.parseInt(v.toString());
    }

    /**
     * Uses a connection factory as given (a pool, or a plain factory) with Relata's own transactions
     * ({@link TransactionSupport#local}). In a Spring application use the Spring integration instead
     * ({@code relata-spring-boot-starter}, or {@code SpringTransactions} by hand through {@link #builder}):
     * a factory alone, even Spring's {@code TransactionAwareConnectionFactoryProxy}, does not make Relata
     * join {@code @Transactional} (used inside a Spring transaction, this database logs a warning once).
     *
     * @param factory the factory; not closed by {@link #close()}
     * @param schema the built schema
     * @return the database
     */
    public static Database create(ConnectionFactory factory, Schema schema) {
        return builder(TransactionSupport.local(Objects.requireNonNull(factory, "factory")), schema).build();
    }

    /**
     * A database on a {@link TransactionSupport} (which names the connection factory), configured further by
     * the builder: error translation, statement observation, batch window.
     *
     * @param transactions where connections come from and how transactions are demarcated
     * @param schema the built schema
     * @return a builder
     */
    public static Builder builder(TransactionSupport transactions, Schema schema) {
        return new Builder(Objects.requireNonNull(transactions, "transactions"), Objects.requireNonNull(schema, "schema"));
    }

    /**
     * Configures a {@link Database} ({@link #builder}). Mutable, not thread-safe; {@link #build()} may be called
     * more than once.
     */
    public static final class Builder {
        private final TransactionSupport transactions;
        private final Schema schema;
        private ErrorTranslator errors = ErrorTranslator.none();
        private @Nullable StatementObserver observer;
        private Duration batchWindow = Loader.DEFAULT_WINDOW;
        private List<ConnectionFactory> replicas = List.of();
        private Duration replicaRetryAfter = ReplicaRouting.DEFAULT_RETRY_AFTER;

        private Builder(TransactionSupport transactions, Schema schema) {
            this.transactions = transactions;
            this.schema = schema;
        }

        /**
         * @param translator applied to every error the database's publishers signal (default: none)
         * @return this builder
         */
        public Builder errorTranslator(ErrorTranslator translator) {
            this.errors = Objects.requireNonNull(translator, "translator");
            return this;
        }

        /**
         * @param observer told about every statement (e.g. {@link MicrometerObservations#observer}); default none
         * @return this builder
         */
        public Builder observer(StatementObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /**
         * @param window how long lazy loads wait to be batched with others (default 0.5 ms)
         * @return this builder
         */
        public Builder batchWindow(Duration window) {
            this.batchWindow = Objects.requireNonNull(window, "window");
            return this;
        }

        /**
         * Read replicas (streaming standbys of the primary): reads outside transactions go to them, round-robin
         * among the healthy ones (see {@link Database}, <b>Routing</b>). Their transactions are Relata's own
         * (read-only ones), also when the primary's are Spring's.
         *
         * @param factories the replicas' connection factories (pools recommended; not closed by {@link Database#close()})
         * @return this builder
         */
        public Builder replicas(List<? extends ConnectionFactory> factories) {
            this.replicas = List.copyOf(factories);
            return this;
        }

        /**
         * @param retryAfter how long a replica that failed is skipped before it is tried again (default 5 s)
         * @return this builder
         */
        public Builder replicaRetryAfter(Duration retryAfter) {
            this.replicaRetryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
            return this;
        }

        /** @return the database; its connection factory is not closed by {@link Database#close()} */
        public Database build() {
            TransactionSupport routed = replicas.isEmpty() ? transactions
                    : new ReplicaRouting(transactions, replicas, replicaRetryAfter, List.of());
            return new Database(schema, new Executor(routed, errors, observer), null, batchWindow);
        }
    }

    /**
     * Lazy loads of one association issued in the same tick of a thread (one {@code flatMap} over a
     * collection, the rows of one network read) are always one statement; the window lets loads issued
     * by later ticks or other threads join the batch too. A batch runs once every thread that issued
     * loads into it has finished its tick and the window, counted from the batch's first load, has passed.
     *
     * @param window how long a batch stays open for loads of later ticks ({@link Duration#ZERO}: none;
     *     default 0.5 ms)
     * @return a database sharing this one's connections and transactions, with another batch window
     */
    public Database withBatchWindow(Duration window) {
        return new Database(schema, executor, null, Objects.requireNonNull(window, "window"));
    }

    /**
     * Read-your-writes: a view of this database (same connections, transactions and replicas) whose reads all run
     * on the primary, e.g. right after a write whose result a replica may not have replayed yet. Without replicas
     * it reads where this database reads.
     *
     * @return the view
     */
    public Database primary() {
        return new Database(schema, executor.onPrimary(), null, loader.window());
    }

    /** @return the schema */
    public Schema schema() {
        return schema;
    }

    /** @return the connection factory in use (the pool when created by {@link #connect}) */
    public ConnectionFactory connectionFactory() {
        return executor.factory();
    }

    // ---- DDL ----

    /**
     * Creates every table that does not exist yet, in dependency order, in one transaction.
     *
     * @return completes when done; errors with {@link io.relata.StatementException}
     */
    public Mono<Void> sync() {
        return sync(false);
    }

    /**
     * @param force drop the schema's tables first ({@code DROP TABLE IF EXISTS ... CASCADE})
     * @return completes when done
     */
    public Mono<Void> sync(boolean force) {
        return executor.inTransaction(c -> {
            List<SqlStatement> ddl = new ArrayList<>();
            if (force) {
                ddl.addAll(Ddl.dropTables(schema));
            }
            ddl.addAll(Ddl.createTables(schema));
            return Flux.fromIterable(ddl).concatMap(statement -> Executor.update(c, statement));
        }).then();
    }

    // ---- reads ----

    /**
     * Streams the roots of a query with their included associations. One joined statement (plus one
     * per SEPARATE include level and window); each root is emitted as soon as its last row has been
     * read, and demand counts roots, not rows.
     *
     * @param query the query
     * @param <T> the root entity
     * @return the roots, in query order; errors with {@link io.relata.StatementException} (or
     *     {@link io.relata.ConnectionException}); cancelling stops the statement on the server and releases
     *     the connection once the server has answered; a {@link Query#timeout(Duration)} is enforced by the
     *     server (SQLSTATE {@code 57014})
     */
    public <T> Flux<T> findAll(Query<T> query) {
        SelectPlan<T> plan = Statements.select(Objects.requireNonNull(query, "query"));
        return timedRead(query, () -> Streams.read(executor, plan));
    }

    /** A read under the query's statement timeout, if it has one: on a replica when routed (a read-only transaction). */
    private <T> Flux<T> timedRead(Query<?> query, Supplier<Publisher<T>> work) {
        Duration timeout = query.timeout().orElse(null);
        return timeout == null ? Flux.from(work.get()) : executor.readWithStatementTimeout(timeout, work);
    }

    /** The work under the query's server-side statement timeout, if it has one. */
    private <T> Flux<T> timed(Query<?> query, Supplier<Publisher<T>> work) {
        Duration timeout = query.timeout().orElse(null);
        return timeout == null ? Flux.from(work.get()) : executor.withStatementTimeout(timeout, work);
    }

    /**
     * @param query the query; only the first root is read
     * @param <T> the root entity
     * @return the first root, or empty
     */
    public <T> Mono<T> findOne(Query<T> query) {
        return findAll(query.limit(1)).singleOrEmpty();
    }

    /**
     * @param model the model
     * @param key the primary key value
     * @param <T> the entity
     * @return the entity, or empty
     */
    @SuppressWarnings("unchecked")
    public <T> Mono<T> findByPk(Model<T> model, Object key) {
        Objects.requireNonNull(key, "key");
        Attribute pk = model.primaryKey();
        Object value = Statements.keyValue(pk, key);
        // planned once per model; later lookups only swap the key ($1)
        SelectPlan<T> plan = (SelectPlan<T>) pkPlans.computeIfAbsent(model,
                m -> Statements.select(Query.from(model).where(Where.eq(pk.name(), key)).limit(1)));
        return Streams.read(executor, plan.withBind(0, value)).singleOrEmpty();
    }

    private final ConcurrentHashMap<Model<?>, SelectPlan<?>> pkPlans =
            new ConcurrentHashMap<>();

    /**
     * @param query a query (with includes) over the model
     * @param key the primary key value
     * @param <T> the entity
     * @return the entity with its includes, or empty
     */
    public <T> Mono<T> findByPk(Query<T> query, Object key) {
        Objects.requireNonNull(key, "key");
        Attribute pk = query.model().primaryKey();
        return findOne(query.where(Where.eq(pk.name(), key)));
    }

    /**
     * @param query the query; with includes, required ones filter and each root counts once
     * @return the number of roots
     */
    public Mono<Long> count(Query<?> query) {
        SqlStatement s = Statements.count(query);
        return timedRead(query, () -> executor.read(c -> Executor.<Long>rows(c, s, row -> row.get(0, Long.class))))
                .single();
    }

    // ---- writes ----

    /**
     * Inserts one entity. Null properties take the column default (generated keys, UUIDs, now()).
     *
     * @param model the model
     * @param entity the entity
     * @param <T> the entity type
     * @return the inserted entity as stored (generated keys and defaults filled)
     */
    public <T> Mono<T> create(Model<T> model, T entity) {
        return bulkCreate(model, List.of(Objects.requireNonNull(entity, "entity"))).single();
    }

    /**
     * Inserts entities with one multi-row statement (several only beyond PostgreSQL's bind limit, then
     * in one transaction).
     *
     * @param model the model
     * @param entities the entities
     * @param <T> the entity type
     * @return the inserted entities as stored, in order
     */
    public <T> Flux<T> bulkCreate(Model<T> model, List<T> entities) {
        Objects.requireNonNull(model, "model");
        if (entities.isEmpty()) {
            return Flux.empty();
        }
        List<SelectPlan<T>> plans = Statements.insert(model, entities);
        if (plans.size() == 1) {
            return Streams.select(executor, plans.get(0));
        }
        return executor.inTransaction(c -> Flux.fromIterable(plans).concatMap(p -> Streams.rows(c, p)));
    }

    /**
     * @param query which rows (a where on attributes of the model)
     * @param changes attribute name to new value; {@code updatedAt} is maintained
     * @return the number of rows updated
     */
    public Mono<Long> update(Query<?> query, Map<String, ?> changes) {
        SqlStatement s = Statements.update(query, changes);
        return timed(query, () -> executor.withConnection(c -> Executor.update(c, s))).single();
    }

    /**
     * @param query which rows (a where on attributes of the model; none deletes all)
     * @return the number of rows deleted
     */
    public Mono<Long> destroy(Query<?> query) {
        SqlStatement s = Statements.delete(query);
        return timed(query, () -> executor.withConnection(c -> Executor.update(c, s))).single();
    }

    // ---- transactions ----

    /**
     * Runs everything the function's publisher does on one connection in one transaction: commits when
     * it completes, rolls back when it errors or is cancelled. Operations of this database inside it
     * join it through the Reactor Context; a nested {@code transaction} joins the outer one.
     *
     * @param work builds the publisher to run; called on subscription
     * @param <T> what it emits
     * @return what the publisher emits, after which the transaction is committed
     */
    public <T> Flux<T> transaction(Function<Transaction, Publisher<T>> work) {
        return transaction(TransactionOptions.defaults(), work);
    }

    /**
     * {@link #transaction(Function)} with options: isolation level, read-only, a statement timeout for
     * every statement of the transaction, an opt-in retry of the whole work on serialization failure
     * or deadlock, and nesting as a SAVEPOINT ({@link TransactionOptions.Propagation#NESTED}). On a schema for
     * CockroachDB ({@link io.relata.SqlDialect#COCKROACHDB}), where serialization failures are normal, options
     * without a retry get one (5 attempts, backoff from 10 ms): the work must be safe to run again.
     *
     * <p>Emits what the work's publisher emits (with retry: only after the successful attempt has
     * committed) and completes after COMMIT (or RELEASE SAVEPOINT). Errors: the work's first error,
     * a failed COMMIT as a {@link io.relata.StatementException} (e.g. SQLSTATE {@code 40001}), a
     * connection that cannot be had or is lost as a {@link io.relata.ConnectionException}; a ROLLBACK
     * that fails after it is attached as suppressed. Cancelling stops the statement running on the
     * server (a CancelRequest), then rolls back (to the savepoint, for a nested scope) and releases
     * the connection once the server has answered.
     *
     * @param options the options ({@link TransactionOptions#defaults()} for none)
     * @param work builds the publisher to run; called on subscription (on every attempt with retry)
     * @param <T> what it emits
     * @return what the publisher emits
     */
    public <T> Flux<T> transaction(TransactionOptions options, Function<Transaction, Publisher<T>> work) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(work, "work");
        return executor.inTransaction(Dialects.transactionDefaults(schema.dialect(), options),
                c -> work.apply(new Transaction(this)));
    }

    /**
     * {@link #transaction(Function)} with a propagation: {@link TransactionOptions.Propagation#REQUIRED} joins a
     * surrounding transaction (Relata's, or Spring's with the Spring integration) and never commits or rolls
     * it back; {@link TransactionOptions.Propagation#NESTED} runs inside a SAVEPOINT there, so that an error rolls
     * back only this scope's work (the error is still signalled; handle it to let the outer work go on).
     *
     * @param propagation how to relate to a surrounding transaction
     * @param work builds the publisher to run; called on subscription
     * @param <T> what it emits
     * @return what the publisher emits; completes after the commit (or savepoint release) when this scope
     *     began it; errors with the work's error after the rollback
     */
    public <T> Flux<T> transaction(TransactionOptions.Propagation propagation, Function<Transaction, Publisher<T>> work) {
        Objects.requireNonNull(propagation, "propagation");
        Objects.requireNonNull(work, "work");
        return transaction(TransactionOptions.defaults().propagation(propagation), work);
    }

    // ---- associations ----

    /**
     * @param association a to-one association
     * @param <S> source
     * @param <T> target
     * @return its operations
     */
    public <S, T> ToOneOperations<S, T> association(HasOne<S, T> association) {
        return new ToOneOperations<>(this, association);
    }

    /**
     * @param association a to-one association
     * @param <S> source
     * @param <T> target
     * @return its operations
     */
    public <S, T> ToOneOperations<S, T> association(BelongsTo<S, T> association) {
        return new ToOneOperations<>(this, association);
    }

    /**
     * @param association a to-many association
     * @param <S> source
     * @param <T> target
     * @return its operations
     */
    public <S, T> ToManyOperations<S, T> association(HasMany<S, T> association) {
        return new ToManyOperations<>(this, association);
    }

    /**
     * @param association a to-many association
     * @param <S> source
     * @param <T> target
     * @return its operations
     */
    public <S, T> ToManyOperations<S, T> association(BelongsToMany<S, T> association) {
        return new ToManyOperations<>(this, association);
    }

    /**
     * Sequelize-style mixins: an implementation of a user interface whose methods are named after the
     * model's association aliases ({@code getBars}, {@code addBar}, {@code countBars}, ...). Resolved
     * once, here.
     *
     * @param model the source model
     * @param mixins the interface
     * @param <S> the source entity
     * @param <M> the interface
     * @return the implementation
     * @throws QueryDefinitionException naming a method that matches no association and the aliases available
     */
    public <S, M> M mixins(Model<S> model, Class<M> mixins) {
        return Mixins.create(this, model, mixins);
    }

    Executor executor() {
        return executor;
    }

    private final ConcurrentHashMap<Association<?, ?>, LoadPlan<?>> loadPlans =
            new ConcurrentHashMap<>();

    /** The plain lazy-load plan of an association, shared so that loads batch together. */
    @SuppressWarnings("unchecked")
    <T> LoadPlan<T> loadPlan(Association<?, T> association) {
        return (LoadPlan<T>) loadPlans.computeIfAbsent(association,
                a -> Statements.load(association, Query.from(association.target())));
    }

    Loader loader() {
        return loader;
    }

    <S, T> Association<S, T> check(Association<S, T> association) {
        if (!schema.models().contains(association.source())) {
            throw new QueryDefinitionException("association " + association + " is not part of this database's schema");
        }
        return association;
    }

    /**
     * Disposes the pools this database created ({@link #connect}, replicas included); a factory given to
     * {@link #create} or the builder is left alone.
     *
     * @return completes when closed
     */
    public Mono<Void> close() {
        // views (withBatchWindow, primary) own nothing: only the database connect() returned closes the pools
        return ownedPool == null ? Mono.empty() : ownedPool.disposeLater().then(executor.closeReplicas());
    }
}
