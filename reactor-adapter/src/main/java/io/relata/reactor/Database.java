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
import io.relata.query.Page;
import io.relata.query.Projection;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.sql.LoadPlan;
import io.relata.sql.ProjectionPlan;
import io.relata.sql.SelectPlan;
import io.relata.sql.SqlStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * <p>Every method returning a {@code Mono} or {@code Flux} follows the {@linkplain io.relata.reactor
 * reactive contract}: arguments checked and statements planned at call time (an NPE naming a null
 * parameter, a {@link QueryDefinitionException} for bad input, nothing sent), which errors are signalled
 * ({@link io.relata.StatementException} with SQL and SQLSTATE, {@link io.relata.ConnectionException}),
 * and what cancellation does (a CancelRequest to the server, the connection held until the statement has
 * ended, a transaction rolled back). Each method states only what it emits and what differs.
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
    private final Hooks hooks;
    private final Writes writes;

    private Database(Schema schema, Executor executor, @Nullable ConnectionPool ownedPool, Duration batchWindow) {
        this(schema, executor, ownedPool, batchWindow, Hooks.none());
    }

    private Database(Schema schema, Executor executor, @Nullable ConnectionPool ownedPool, Duration batchWindow,
            Hooks hooks) {
        this.schema = Objects.requireNonNull(schema, "schema");
        this.executor = executor;
        this.ownedPool = ownedPool;
        this.loader = new Loader(executor, batchWindow);
        this.hooks = Objects.requireNonNull(hooks, "hooks");
        this.writes = new Writes(this, hooks);
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
        Objects.requireNonNull(schema, "schema");
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
        Objects.requireNonNull(url, "url");
        Args.elements(replicaUrls, "replicaUrls");
        Objects.requireNonNull(schema, "schema");
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
        private Hooks hooks = Hooks.none();
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
            this.batchWindow = Loader.checkWindow(window);
            return this;
        }

        /**
         * @param hooks model hooks its writes run (default none)
         * @return this builder
         */
        public Builder hooks(Hooks hooks) {
            this.hooks = Objects.requireNonNull(hooks, "hooks");
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
            this.replicas = List.copyOf(Args.elements(factories, "factories"));
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
            return new Database(schema, new Executor(routed, errors, observer), null, batchWindow, hooks);
        }
    }

    /**
     * Lazy loads of one association issued in the same tick of a thread (one {@code flatMap} over a
     * collection, the rows of one network read) are always one statement; the window lets loads issued
     * by later ticks or other threads join the batch too. A batch runs once every thread that issued
     * loads into it has finished its tick and the window, counted from the batch's first load, has passed;
     * a batch whose loads all came from Netty event-loop tasks (the rows of a result: the tick's end is
     * known exactly) runs at the end of those tasks without waiting for the window.
     *
     * @param window how long a batch stays open for loads of later ticks ({@link Duration#ZERO}: none;
     *     default 0.5 ms)
     * @return a database sharing this one's connections and transactions, with another batch window
     */
    public Database withBatchWindow(Duration window) {
        return new Database(schema, executor, null, Loader.checkWindow(window), hooks);
    }

    /**
     * @param hooks the model hooks its writes run ({@link Hooks}); replaces this database's
     * @return a database sharing this one's connections, transactions and batch window, with those hooks
     * @throws NullPointerException when {@code hooks} is null
     */
    public Database withHooks(Hooks hooks) {
        return new Database(schema, executor, null, loader.window(), Objects.requireNonNull(hooks, "hooks"));
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
     * Creates every table that does not exist yet, in dependency order, in one transaction
     * ({@link #sync(boolean) sync(false)}).
     *
     * @return completes after the COMMIT; errors as the {@linkplain io.relata.reactor reactive contract} says (a {@link io.relata.StatementException}
     *     for DDL the server refuses, the transaction rolled back)
     */
    public Mono<Void> sync() {
        return sync(false);
    }

    /**
     * Creates the schema's tables in one transaction, in dependency order. Follows the {@linkplain io.relata.reactor reactive contract}; cancelling
     * rolls the DDL back.
     *
     * @param force drop the schema's tables first ({@code DROP TABLE IF EXISTS ... CASCADE})
     * @return emits nothing; completes after the COMMIT; errors with a {@link io.relata.StatementException} for
     *     DDL the server refuses (nothing created, the transaction rolled back)
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
     * read, and demand counts roots, not rows. Follows the {@linkplain io.relata.reactor reactive contract}.
     *
     * @param query the query
     * @param <T> the root entity
     * @return the roots, in query order; completes after the last row; errors with
     *     {@link io.relata.StatementException} (or {@link io.relata.ConnectionException}); cancelling stops the
     *     statement on the server and releases the connection once the server has answered; a
     *     {@link Query#timeout(Duration)} is enforced by the server (SQLSTATE {@code 57014})
     * @throws NullPointerException when {@code query} is null
     * @throws QueryDefinitionException when the query cannot be planned (e.g. a path that is not an attribute
     *     of the query's models, a filter on a SEPARATE include, a value that does not fit its column)
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
     * {@link #findAll} with {@code limit(1)}; follows the {@linkplain io.relata.reactor reactive contract}.
     *
     * @param query the query; only the first root is read
     * @param <T> the root entity
     * @return the first root, or completes empty when none matches; errors as {@link #findAll}
     * @throws NullPointerException when {@code query} is null
     * @throws QueryDefinitionException as {@link #findAll}
     */
    public <T> Mono<T> findOne(Query<T> query) {
        return findAll(Objects.requireNonNull(query, "query").limit(1)).singleOrEmpty();
    }

    /**
     * Finds an entity by its primary key. For a composite key ({@code m.primaryKey("age", "weight")}) the key
     * is a {@code List} of its parts in {@link Model#primaryKeys()} order, or use
     * {@link #findByPk(Model, Object, Object, Object...)}. Follows the
     * {@linkplain io.relata.reactor reactive contract}.
     *
     * <p>Lookups of one model (single-column key) subscribed in the same tick — a {@code flatMap} over ids,
     * the resolvers of one GraphQL field — are batched like lazy loads (see {@link #withBatchWindow}) into one
     * statement, {@code WHERE id = ANY($1)}, as Prisma's dataloader batches {@code findUnique}; a lone lookup
     * (or a batch of one key) is {@code WHERE id = $1 LIMIT 1}. Each lookup gets its own entity (lookups of the
     * same key in one batch get copies), and its own outcome: cancelling one leaves the others running; an
     * error of the shared statement reaches each of them. Inside a transaction the batch runs on its
     * connection.
     *
     * @param model the model
     * @param key the primary key value (a List of parts for a composite key)
     * @param <T> the entity
     * @return emits the entity and completes, or completes empty when there is none; errors with
     *     {@link io.relata.StatementException} or {@link io.relata.ConnectionException}; cancelling stops the
     *     statement and releases the connection
     * @throws NullPointerException when {@code model} or {@code key} is null
     * @throws QueryDefinitionException when the key does not fit the model's key (a part missing, null or of a
     *     type its column does not take), before any SQL
     */
    public <T> Mono<T> findByPk(Model<T> model, Object key) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(key, "key");
        List<Object> parts = Statements.primaryKeyValues(model, key);
        Attribute pk = model.primaryKeys().get(0);
        if (parts.size() != 1 || pk.property() < 0) {
            return Streams.read(executor, pkPlan(model, parts)).singleOrEmpty();
        }
        // batched with the other lookups of this model issued in the same tick (Prisma's findUnique dataloader)
        Object given = parts.get(0);
        Class<T> type = model.entityType();
        return loader.load(model, Statements.canonicalKey(given), given, pkLookups(model)).next().map(type::cast);
    }

    /**
     * The lookup of one primary key: planned once per model; later lookups only swap the key parts
     * ({@code $1, $2, ...}).
     */
    @SuppressWarnings("unchecked")
    private <T> SelectPlan<T> pkPlan(Model<T> model, List<Object> parts) {
        SelectPlan<T> plan = (SelectPlan<T>) pkPlans.computeIfAbsent(model,
                m -> Statements.select(Query.from(model).where(pkWhere(model, parts)).limit(1)));
        for (int i = 0; i < parts.size(); i++) {
            plan = plan.withBind(i, parts.get(i));
        }
        return plan;
    }

    @SuppressWarnings("unchecked")
    private <T> PkLookups<T> pkLookups(Model<T> model) {
        return (PkLookups<T>) pkLookups.computeIfAbsent(model, m -> new PkLookups<>(model, k -> k,
                k -> Streams.read(executor, pkPlan(model, List.of(k))),
                keys -> Streams.read(executor, Statements.select(
                        Query.from(model).where(Where.in(model.primaryKeys().get(0).name(), keys))))));
    }

    /** A {@link #findByPk(Query, Object)} lookup as its batch gets it: its key and its own statement. */
    private record QueryLookup<T>(Object key, Query<T> one, SelectPlan<T> plan) {
    }

    /**
     * The statement of a batch of primary-key lookups of one model (single-column key), for
     * {@link #findByPk(Model, Object)} (the same model) or {@link #findByPk(Query, Object)} (the same query):
     * the lone lookup's own statement ({@code WHERE pk = $1 LIMIT 1}) for one distinct key, else one
     * {@code WHERE pk = ANY($1)} for all of them, its roots matched to the lookups by key. Lookups of the same
     * key in one batch each get an entity of their own (the later ones a shallow copy of the root: its
     * included children are shared).
     */
    private static final class PkLookups<T> implements Loader.Source {
        private final Model<T> model;
        private final Attribute pk;
        /** a lookup's key as bound, from what it gave the loader */
        private final Function<Object, Object> keyOf;
        /** the lone lookup of what a lookup gave the loader */
        private final Function<Object, Flux<T>> single;
        /** the lookup of several distinct keys (as bound) */
        private final Function<List<Object>, Flux<T>> many;

        PkLookups(Model<T> model, Function<Object, Object> keyOf, Function<Object, Flux<T>> single,
                Function<List<Object>, Flux<T>> many) {
            this.model = model;
            this.pk = model.primaryKeys().get(0);
            this.keyOf = keyOf;
            this.single = single;
            this.many = many;
        }

        @Override
        public Mono<Map<Object, List<Object>>> fetch(List<Object> given) {
            Map<Object, Object> distinct = new LinkedHashMap<>();
            for (Object g : given) {
                Object k = keyOf.apply(g);
                distinct.putIfAbsent(Statements.canonicalKey(k), k);
            }
            Flux<T> roots = distinct.size() == 1 ? single.apply(given.get(0)) : many.apply(List.copyOf(distinct.values()));
            return roots.collectList().map(found -> {
                Map<Object, List<Object>> byKey = new HashMap<>();
                for (T entity : found) {
                    Object k = model.valueOf(entity, pk.property());
                    if (k != null) {
                        byKey.put(Statements.canonicalKey(k), List.of(new Hit(entity)));
                    }
                }
                return byKey;
            });
        }

        @Override
        public List<Object> results(Map<Object, List<Object>> found, Object canonicalKey) {
            List<Object> hit = found.get(canonicalKey);
            if (hit == null) {
                return List.of();
            }
            Hit h = (Hit) hit.get(0);
            return List.of(h.taken.compareAndSet(false, true) ? h.entity : copy(model.entityType().cast(h.entity)));
        }

        private T copy(T entity) {
            @Nullable Object[] values = new Object[model.propertyCount()];
            for (int i = 0; i < values.length; i++) {
                values[i] = model.valueOf(entity, i);
            }
            return model.instantiate(values);
        }
    }

    /** A batched lookup's row: the entity goes to the first lookup of its key, copies to the others. */
    private static final class Hit {
        final Object entity;
        final AtomicBoolean taken = new AtomicBoolean();

        Hit(Object entity) {
            this.entity = entity;
        }
    }

    /**
     * Finds an entity by the parts of its composite primary key, in {@link Model#primaryKeys()} order:
     * {@code db.findByPk(people, 30, "kg")}. Same as {@link #findByPk(Model, Object)} with {@code List.of(...)}.
     *
     * @param model the model
     * @param first the first key part
     * @param second the second key part
     * @param more further key parts
     * @param <T> the entity
     * @return emits the entity and completes, or completes empty; errors as {@link #findByPk(Model, Object)}
     * @throws NullPointerException when {@code model}, a part or {@code more} is null
     * @throws QueryDefinitionException when the model's key does not have as many parts, or a part is of a type
     *     its column does not take, before any SQL
     * @see io.relata.reactor the reactive contract
     */
    public <T> Mono<T> findByPk(Model<T> model, Object first, Object second, Object... more) {
        return findByPk(model, parts(first, second, more));
    }

    private static List<Object> parts(Object first, Object second, Object... more) {
        List<Object> parts = new ArrayList<>();
        parts.add(Objects.requireNonNull(first, "first"));
        parts.add(Objects.requireNonNull(second, "second"));
        parts.addAll(List.of(Args.elements(more, "more")));
        return parts;
    }

    private static Where pkWhere(Model<?> model, List<Object> parts) {
        List<Attribute> pks = model.primaryKeys();
        Where[] eqs = new Where[pks.size()];
        for (int i = 0; i < eqs.length; i++) {
            eqs[i] = Where.eq(pks.get(i).name(), parts.get(i));
        }
        return eqs.length == 1 ? eqs[0] : Where.and(eqs);
    }

    private final ConcurrentHashMap<Model<?>, SelectPlan<?>> pkPlans =
            new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Model<?>, PkLookups<?>> pkLookups = new ConcurrentHashMap<>();

    /**
     * {@link #findOne} of the query narrowed to one primary key; follows the {@linkplain io.relata.reactor reactive contract}.
     * Lookups through the same {@code Query} instance subscribed in the same tick are batched as
     * {@link #findByPk(Model, Object)}'s are: one {@code WHERE pk = ANY($1)} statement with the query's where
     * and includes (each lookup gets its own root; two lookups of the same key get a shallow copy, sharing the
     * included children); a query with a {@code limit} or {@code offset}, or over a composite key, is one
     * statement per lookup.
     *
     * @param query a query (with includes) over the model
     * @param key the primary key value (a List of parts for a composite key)
     * @param <T> the entity
     * @return emits the entity with its includes and completes, or completes empty; errors as
     *     {@link #findByPk(Model, Object)}
     * @throws NullPointerException when {@code query} or {@code key} is null
     * @throws QueryDefinitionException when the key does not fit the model's key, before any SQL
     */
    @SuppressWarnings("unchecked")
    public <T> Mono<T> findByPk(Query<T> query, Object key) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(key, "key");
        Model<T> model = query.model();
        List<Object> parts = Statements.primaryKeyValues(model, key);
        Query<T> one = query.where(pkWhere(model, parts)).limit(1);
        SelectPlan<T> plan = Statements.select(one);
        Attribute pk = model.primaryKeys().get(0);
        if (parts.size() != 1 || !pk.mapped() || query.limit().isPresent() || query.offset().isPresent()) {
            return timedRead(one, () -> Streams.read(executor, plan)).singleOrEmpty();
        }
        // batched with the other lookups through the same query in the same tick (Prisma's findUnique dataloader)
        Object given = parts.get(0);
        PkLookups<T> lookups = new PkLookups<>(model, g -> ((QueryLookup<T>) g).key(),
                g -> timedRead(((QueryLookup<T>) g).one(), () -> Streams.read(executor, ((QueryLookup<T>) g).plan())),
                keys -> findAll(query.where(Where.in(pk.name(), keys))));
        Class<T> type = model.entityType();
        return loader.load(query, Statements.canonicalKey(given), new QueryLookup<>(given, one, plan), lookups)
                .next().map(type::cast);
    }

    /**
     * {@code SELECT count(*)} of a query's roots; follows the {@linkplain io.relata.reactor reactive contract}.
     *
     * @param query the query; with includes, required ones filter and each root counts once
     * @return the number of roots, once the statement has completed; errors with
     *     {@link io.relata.StatementException} or {@link io.relata.ConnectionException}
     * @throws NullPointerException when {@code query} is null
     * @throws QueryDefinitionException when the query cannot be planned
     */
    public Mono<Long> count(Query<?> query) {
        SqlStatement s = Statements.count(Objects.requireNonNull(query, "query"));
        return timedRead(query, () -> executor.read(c -> Executor.<Long>rows(c, s, row -> row.get(0, Long.class))))
                .single();
    }

    /**
     * Sequelize's {@code findAndCountAll} (with {@code distinct: true}): the roots of the query's window and
     * the number of roots the whole query matches, read from one snapshot. Outside a transaction both run
     * in a read-only REPEATABLE READ transaction of their own (the count first; no rows are read when the
     * window starts at or past it); inside one they run in it, under its isolation.
     *
     * @param query the query (its {@code limit}/{@code offset} choose the page; its includes load with the rows,
     *     required ones filter both)
     * @param <T> the root entity
     * @return emits one page and completes; errors with {@link io.relata.StatementException} (or
     *     {@link io.relata.ConnectionException}); cancelling stops the running statement and rolls back
     * @throws io.relata.QueryDefinitionException when the query cannot be planned (before any SQL)
     * @throws NullPointerException when {@code query} is null
     * @see io.relata.reactor the reactive contract
     */
    public <T> Mono<Page<T>> findAndCountAll(Query<T> query) {
        SelectPlan<T> plan = Statements.select(Objects.requireNonNull(query, "query"));
        SqlStatement count = Statements.count(query);
        long offset = query.offset().orElse(0);
        TransactionOptions snapshot = TransactionOptions.defaults()
                .isolation(TransactionOptions.Isolation.REPEATABLE_READ).readOnly(true);
        Duration timeout = query.timeout().orElse(null);
        TransactionOptions options = timeout == null ? snapshot : snapshot.statementTimeout(timeout);
        return executor.inTransaction(options, c -> Executor.<Long>rows(c, count, row -> row.get(0, Long.class))
                .single()
                .flatMap(n -> n <= offset || query.limit().orElse(1) == 0 ? Mono.just(new Page<T>(List.of(), n))
                        : Streams.select(executor, plan).collectList().map(rows -> new Page<>(rows, n))))
                .single();
    }

    /**
     * Computed columns over a query ({@code attributes: [[fn('COUNT', col('comments.id')), 'commentCount']]},
     * {@code group}, {@code having} in Sequelize), each row as a map from the projection's aliases to their
     * values, in projection order.
     *
     * @param query the query: where, order, window, and includes (joined only: they add no columns)
     * @param projection the computed columns, grouping, having and order
     * @return the rows, streamed as read; errors with {@link io.relata.StatementException} (or
     *     {@link io.relata.ConnectionException}); cancelling stops the statement and releases the connection
     * @throws io.relata.QueryDefinitionException for an unknown path, alias or function (before any SQL)
     * @throws NullPointerException when {@code query} or {@code projection} is null
     * @see io.relata.reactor the reactive contract
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Flux<Map<String, Object>> project(Query<?> query, Projection projection) {
        return (Flux) project(query, projection, Map.class);
    }

    /**
     * {@link #project(Query, Projection)} into a record whose components are named like the projection's
     * aliases (one component per alias; values are decoded to the component types).
     *
     * @param query the query
     * @param projection the computed columns
     * @param type the record (or {@code Map.class})
     * @param <R> the record
     * @return the rows as records, streamed as read; errors as {@link #project(Query, Projection)}
     * @throws io.relata.QueryDefinitionException for an unknown path, alias or function, or a record that does
     *     not match the aliases (before any SQL)
     * @throws NullPointerException when an argument is null
     * @see io.relata.reactor the reactive contract
     */
    public <R> Flux<R> project(Query<?> query, Projection projection, Class<R> type) {
        ProjectionPlan<R> plan = Statements.project(Objects.requireNonNull(query, "query"), projection, type);
        return timedRead(query, () -> executor.read(c -> Executor.<R>rows(c, plan.statement(), plan::read)));
    }

    // ---- writes ----

    /**
     * Inserts one entity. Null properties take the column default (generated keys, UUIDs, now()). The
     * model's validators run first ({@link io.relata.Validation}); its hooks, if any, run around the insert in
     * one transaction ({@link Hooks}).
     *
     * Follows the {@linkplain io.relata.reactor reactive contract}; a cancelled insert may still have been committed (see there).
     *
     * @param model the model
     * @param entity the entity
     * @param <T> the entity type
     * @return the inserted entity as stored (generated keys and defaults filled), emitted once the
     *     {@code INSERT ... RETURNING} has completed; errors with {@link io.relata.ValidationException} (before
     *     any SQL), a {@link io.relata.StatementException}
     *     (e.g. {@code 23505} unique, {@code 23502} NOT NULL, {@code 23503} foreign key) or
     *     {@link io.relata.ConnectionException}
     * @throws NullPointerException when {@code model} or {@code entity} is null
     * @throws QueryDefinitionException for an entity of another type, a value that does not fit its column or
     *     a string PostgreSQL cannot store (naming {@code Model.attribute})
     */
    public <T> Mono<T> create(Model<T> model, T entity) {
        return writes.create(Objects.requireNonNull(model, "model"), entity);
    }

    /**
     * Creates an entity together with the new entities in its included slots (Sequelize's {@code create(values,
     * { include })}), to any depth, in one transaction: belongsTo targets first (the entity's foreign key
     * set to their keys), then the entity, then hasOne/hasMany targets (their foreign key and the
     * association's scope set) and belongsToMany targets with their junction rows (through values from
     * each target's through slot). One INSERT per include level, whatever the number of entities. Every
     * entity of the graph is validated before any SQL. The root model's create hooks run (beforeValidate and
     * beforeCreate on the root before the graph is planned, afterCreate on the stored root); the nested
     * models' hooks do not.
     *
     * @param include the model and the include tree naming the slots to create, e.g. {@code
     *     Query.from(products).include(productUser, i -> i.include(userAddresses))}
     * @param entity the new entity, its included slots holding new entities
     * @param <T> the entity
     * @return the entity as stored, its included slots holding the targets as stored (generated keys,
     *     defaults); errors with {@link io.relata.ValidationException} (before any SQL) or
     *     {@link io.relata.StatementException} (after the rollback)
     * @throws QueryDefinitionException for a query with a where, order, window or attributes, or an included
     *     association whose slot the entity lacks
     * @throws NullPointerException when {@code include} or {@code entity} is null
     * @see io.relata.reactor the reactive contract
     */
    public <T> Mono<T> create(Query<T> include, T entity) {
        Objects.requireNonNull(include, "include");
        return writes.create(include, List.of(Objects.requireNonNull(entity, "entity"))).single();
    }

    /**
     * {@link #create(Query, Object)} with one level of includes.
     *
     * @param model the model
     * @param entity the new entity
     * @param include the associations whose slots are created too
     * @param <T> the entity
     * @return the entity as stored with the created slots
     */
    @SafeVarargs
    public final <T> Mono<T> create(Model<T> model, T entity, Association<T, ?>... include) {
        Objects.requireNonNull(include, "include");
        Query<T> q = Query.from(model);
        for (int i = 0; i < include.length; i++) {
            Association<T, ?> a = include[i];
            if (a == null) {
                throw new NullPointerException("include[" + i + "]");
            }
            q = q.include(a);
        }
        return create(q, entity);
    }

    /**
     * {@link #create(Query, Object)} of several roots: still one INSERT per include level.
     *
     * @param include the model and the include tree
     * @param entities the new roots
     * @param <T> the entity
     * @return the roots as stored with their created slots, in order
     * @throws NullPointerException when {@code include} or {@code entities} is null (or one of its elements)
     * @see io.relata.reactor the reactive contract
     */
    public <T> Flux<T> bulkCreate(Query<T> include, List<T> entities) {
        Objects.requireNonNull(include, "include");
        Args.elements(entities, "entities");
        return writes.create(include, entities);
    }

    /**
     * Inserts entities with one multi-row statement (several only beyond PostgreSQL's bind limit, then
     * in one transaction, rolled back on error and cancel). Every entity is validated before any SQL: one
     * invalid entity fails the call with all violations, and no row is written. Follows the
     * {@linkplain io.relata.reactor reactive contract}.
     *
     * @param model the model
     * @param entities the entities
     * @param <T> the entity type
     * @return the inserted entities as stored, in order; completes at once for none, else after the last
     *     statement (and its COMMIT); errors as {@link #create} (a
     *     {@link io.relata.ValidationException} for any entity)
     * @throws NullPointerException when {@code model}, {@code entities} or one of its elements is null
     * @throws QueryDefinitionException as {@link #create}, for any of the entities
     */
    public <T> Flux<T> bulkCreate(Model<T> model, List<T> entities) {
        Objects.requireNonNull(model, "model");
        Args.elements(entities, "entities");
        return writes.bulkCreate(model, entities);
    }

    /**
     * One {@code UPDATE}; follows the {@linkplain io.relata.reactor reactive contract}.
     *
     * @param query which rows (a where on attributes of the model)
     * @param changes attribute name to new value; {@code updatedAt} is maintained, a version incremented;
     *     the changed attributes' validators run first
     * @param <T> the entity
     * @return the number of rows updated, once the statement has completed; errors with
     *     {@link io.relata.ValidationException} (before any SQL), {@link io.relata.StatementException} or {@link io.relata.ConnectionException}
     * @throws NullPointerException when {@code query} or {@code changes} is null
     * @throws QueryDefinitionException for no changes, an unknown attribute, null for a NOT NULL attribute, a
     *     query with includes, order or a window, or a value that does not fit or cannot be stored
     */
    public <T> Mono<Long> update(Query<T> query, Map<String, ?> changes) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(changes, "changes");
        return timed(query, () -> writes.update(query, changes)).single();
    }

    /**
     * Deletes rows in one {@code DELETE}; for a paranoid model ({@code m.paranoid(true)}) a soft delete: their
     * {@code deletedAt} is set to {@code now()} (rows soft-deleted already keep theirs) and reads leave them out
     * from then on. Follows the {@linkplain io.relata.reactor reactive contract}.
     *
     * @param query which rows (a where on attributes of the model; none deletes all)
     * @return the number of rows deleted (or soft-deleted), once the statement has completed; errors with
     *     {@link io.relata.StatementException} (e.g. {@code 23503} when a foreign key still references a row) or
     *     {@link io.relata.ConnectionException}
     * @throws NullPointerException when {@code query} is null
     * @throws QueryDefinitionException for a query with includes, order or a window, or a bad filter
     */
    public <T> Mono<Long> destroy(Query<T> query) {
        return destroy(query, false);
    }

    /**
     * Sequelize's {@code destroy({force})}: with {@code force}, the rows of a paranoid model are deleted for real
     * (soft-deleted ones included); without, as {@link #destroy(Query)}. Follows the
     * {@linkplain io.relata.reactor reactive contract}.
     *
     * @param query which rows (a where on attributes of the model; none deletes all)
     * @param force delete for real even when the model is paranoid
     * @param <T> the entity
     * @return the number of rows deleted, once the statement has completed; errors with
     *     {@link io.relata.StatementException} or {@link io.relata.ConnectionException}
     * @throws NullPointerException when {@code query} is null
     * @throws QueryDefinitionException for a query with includes, order or a window, or a bad filter
     */
    public <T> Mono<Long> destroy(Query<T> query, boolean force) {
        Objects.requireNonNull(query, "query");
        return timed(query, () -> writes.destroy(query, force)).single();
    }

    /**
     * Brings soft-deleted rows of a paranoid model back (Sequelize's {@code restore}): their {@code deletedAt}
     * is set to NULL. Follows the {@linkplain io.relata.reactor reactive contract}.
     *
     * @param query which rows (a where on attributes of the model; none restores all)
     * @return the number of rows restored (soft-deleted ones that matched), once the statement has completed;
     *     errors with {@link io.relata.StatementException} or {@link io.relata.ConnectionException}
     * @throws NullPointerException when {@code query} is null
     * @throws QueryDefinitionException when the model is not paranoid or the query has more than a where
     */
    public Mono<Long> restore(Query<?> query) {
        SqlStatement s = Statements.restore(Objects.requireNonNull(query, "query"));
        return timed(query, () -> executor.withConnection(c -> Executor.update(c, s))).single();
    }

    /**
     * Saves an entity by its primary key (Sequelize's {@code instance.save()}): one {@code UPDATE ... WHERE key
     * RETURNING ...} of every mapped attribute whose value is not null, {@code updatedAt} set to {@code now()};
     * for a versioned model ({@link io.relata.ModelBuilder#version(boolean)}) the version the entity carries
     * is checked and incremented. Validators and hooks (beforeUpdate/afterUpdate) run as for a create.
     *
     * @param model the model
     * @param entity the entity, its key set
     * @param <T> the entity
     * @return the entity as stored; empty when no row has its key; errors with
     *     {@link io.relata.OptimisticLockException} when the entity's version is stale,
     *     {@link io.relata.ValidationException} (before any SQL), {@link io.relata.StatementException}
     * @throws QueryDefinitionException for an entity without its key
     * @throws NullPointerException when {@code model} or {@code entity} is null
     * @see io.relata.reactor the reactive contract
     */
    public <T> Mono<T> save(Model<T> model, T entity) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(entity, "entity");
        return writes.save(model, entity, null);
    }

    /**
     * {@link #save(Model, Object)} of the named attributes only (Sequelize's {@code save({ fields })}); a null
     * value among them writes NULL.
     *
     * @param model the model
     * @param entity the entity, its key set
     * @param attributes the attributes written
     * @param <T> the entity
     * @return the entity as stored, as {@link #save(Model, Object)}
     * @throws QueryDefinitionException for an unknown attribute, a key, timestamp or version among them
     * @throws NullPointerException when {@code model} or {@code entity} or {@code attributes} is null (or one of its elements)
     * @see io.relata.reactor the reactive contract
     */
    public <T> Mono<T> save(Model<T> model, T entity, Collection<String> attributes) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(entity, "entity");
        Args.elements(attributes, "attributes");
        return writes.save(model, entity, List.copyOf(attributes));
    }

    /**
     * Reads an entity again by its primary key (Sequelize's {@code instance.reload()}).
     *
     * @param model the model
     * @param entity the entity, its key set
     * @param <T> the entity
     * @return the entity as stored now; empty when it was deleted
     * @throws QueryDefinitionException for an entity without its key
     * @throws NullPointerException when {@code model} or {@code entity} is null
     * @see io.relata.reactor the reactive contract
     */
    public <T> Mono<T> reload(Model<T> model, T entity) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(entity, "entity");
        return writes.reload(model, entity);
    }

    /**
     * Deletes one entity by its primary key (Sequelize's {@code instance.destroy()}); for a versioned model the
     * version it carries must match. Hooks beforeDestroy/afterDestroy run around it.
     *
     * @param model the model
     * @param entity the entity, its key set
     * @param <T> the entity
     * @return true when the row was deleted, false when there was none; errors with
     *     {@link io.relata.OptimisticLockException} when a versioned entity is stale
     * @throws QueryDefinitionException for an entity without its key
     * @throws NullPointerException when {@code model} or {@code entity} is null
     * @see io.relata.reactor the reactive contract
     */
    public <T> Mono<Boolean> destroy(Model<T> model, T entity) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(entity, "entity");
        return writes.destroy(model, entity);
    }

    /**
     * Inserts an entity or, when its primary key is stored already, updates that row (Sequelize's
     * {@code upsert}): one {@code INSERT ... ON CONFLICT (key) DO UPDATE SET ... RETURNING ...}, race-free.
     *
     * @param model the model
     * @param entity the entity (its key set, unless generated and new)
     * @param <T> the entity
     * @return the entity as stored; errors with {@link io.relata.ValidationException} (before any SQL)
     * @throws NullPointerException when {@code model} or {@code entity} is null
     * @see io.relata.reactor the reactive contract
     */
    public <T> Mono<T> upsert(Model<T> model, T entity) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(entity, "entity");
        return writes.upsert(model, entity, List.of());
    }

    /**
     * {@link #upsert(Model, Object)} on another conflict target: a unique key of the model.
     *
     * @param model the model
     * @param entity the entity (its conflict target's attributes set)
     * @param conflictTarget the attributes of a unique key (or the primary key)
     * @param <T> the entity
     * @return the entity as stored
     * @throws QueryDefinitionException when the attributes are no unique key, or the entity lacks one of them
     * @throws NullPointerException when {@code model} or {@code entity} or {@code conflictTarget} is null (or one of its elements)
     * @see io.relata.reactor the reactive contract
     */
    public <T> Mono<T> upsert(Model<T> model, T entity, String... conflictTarget) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(entity, "entity");
        Args.elements(conflictTarget, "conflictTarget");
        return writes.upsert(model, entity, List.of(conflictTarget));
    }

    /**
     * Finds the row a where of equalities names, or creates it (Sequelize's {@code findOrCreate}): the new row
     * is {@code defaults} with the where's values. Race-safe: the where's attributes must be the primary key
     * or a unique key, the insert is {@code ON CONFLICT DO NOTHING}, and a caller that lost the race reads the
     * winner's row, so concurrent callers all get the one row and exactly one of them {@code created}.
     *
     * @param query the row to find: a where of {@code Where.eq} (and {@code Where.and}) on the model's attributes
     * @param defaults the rest of the new row's values
     * @param <T> the entity
     * @return the row and whether this call created it; errors with {@link io.relata.ValidationException}
     *     (before the insert) or {@link io.relata.StatementException}
     * @throws QueryDefinitionException for a where that is not equalities on a unique key, or a query with
     *     includes, order, window or attributes
     * @throws NullPointerException when {@code query} or {@code defaults} is null
     * @see io.relata.reactor the reactive contract
     */
    public <T> Mono<FoundOrCreated<T>> findOrCreate(Query<T> query, T defaults) {
        Objects.requireNonNull(defaults, "defaults");
        return writes.findOrCreate(Objects.requireNonNull(query, "query"), defaults);
    }

    /**
     * Adds to numeric attributes of one entity, in the database (Sequelize's {@code instance.increment}):
     * {@code UPDATE ... SET "x" = "x" + $1 ... WHERE key RETURNING ...}, safe against concurrent increments.
     *
     * @param model the model
     * @param entity the entity, its key set
     * @param by attribute name to amount
     * @param <T> the entity
     * @return the entity as stored after the change; empty when no row has its key
     * @throws QueryDefinitionException for an unknown or non-numeric attribute, or an entity without its key
     * @throws NullPointerException when {@code model} or {@code entity} or {@code by} is null
     * @see io.relata.reactor the reactive contract
     */
    public <T> Mono<T> increment(Model<T> model, T entity, Map<String, ? extends Number> by) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(by, "by");
        return writes.increment(model, entity, by, false);
    }

    /**
     * @param model the model
     * @param entity the entity, its key set
     * @param by attribute name to amount subtracted ({@code SET "x" = "x" - $1})
     * @param <T> the entity
     * @return the entity as stored after the change; empty when no row has its key
     * @throws QueryDefinitionException as {@link #increment(Model, Object, Map)}
     * @throws NullPointerException when {@code model} or {@code entity} or {@code by} is null
     * @see io.relata.reactor the reactive contract
     */
    public <T> Mono<T> decrement(Model<T> model, T entity, Map<String, ? extends Number> by) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(by, "by");
        return writes.increment(model, entity, by, true);
    }

    /**
     * @param query which rows (a where on root attributes)
     * @param by attribute name to amount added
     * @return the number of rows changed
     * @throws QueryDefinitionException as {@link #increment(Model, Object, Map)}
     * @throws NullPointerException when {@code query} or {@code by} is null
     * @see io.relata.reactor the reactive contract
     */
    public Mono<Long> increment(Query<?> query, Map<String, ? extends Number> by) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(by, "by");
        return writes.increment(query, by, false);
    }

    /**
     * @param query which rows (a where on root attributes)
     * @param by attribute name to amount subtracted
     * @return the number of rows changed
     * @throws QueryDefinitionException as {@link #increment(Model, Object, Map)}
     * @throws NullPointerException when {@code query} or {@code by} is null
     * @see io.relata.reactor the reactive contract
     */
    public Mono<Long> decrement(Query<?> query, Map<String, ? extends Number> by) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(by, "by");
        return writes.increment(query, by, true);
    }

    // ---- transactions ----

    /**
     * Runs everything the function's publisher does on one connection in one transaction: commits when
     * it completes, rolls back when it errors or is cancelled. Operations of this database inside it
     * join it through the Reactor Context; a nested {@code transaction} joins the outer one. Errors and
     * cancellation as {@link #transaction(TransactionOptions, Function)}.
     *
     * @param work builds the publisher to run; called on subscription
     * @param <T> what it emits
     * @return what the publisher emits, after which the transaction is committed
     * @throws NullPointerException when {@code work} is null; a {@code work} that returns null is signalled
     *     as a {@code NullPointerException("work returned null")}
     * @see io.relata.reactor the reactive contract
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
     * the connection once the server has answered (the {@linkplain io.relata.reactor reactive contract}).
     *
     * @param options the options ({@link TransactionOptions#defaults()} for none)
     * @param work builds the publisher to run; called on subscription (on every attempt with retry)
     * @param <T> what it emits
     * @return what the publisher emits
     * @throws NullPointerException when {@code options} or {@code work} is null; a {@code work} that returns
     *     null is signalled as a {@code NullPointerException("work returned null")}
     */
    public <T> Flux<T> transaction(TransactionOptions options, Function<Transaction, Publisher<T>> work) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(work, "work");
        return executor.inTransaction(Dialects.transactionDefaults(schema.dialect(), options),
                c -> Objects.requireNonNull(work.apply(new Transaction(this)), "work returned null"));
    }

    /**
     * {@link #transaction(Function)} with a propagation: {@link TransactionOptions.Propagation#REQUIRED} joins a
     * surrounding transaction (Relata's, or Spring's with the Spring integration) and never commits or rolls
     * it back; {@link TransactionOptions.Propagation#NESTED} runs inside a SAVEPOINT there, so that an error rolls
     * back only this scope's work (the error is still signalled; handle it to let the outer work go on).
     *
     * Errors and cancellation as {@link #transaction(TransactionOptions, Function)}.
     *
     * @param propagation how to relate to a surrounding transaction
     * @param work builds the publisher to run; called on subscription
     * @param <T> what it emits
     * @return what the publisher emits; completes after the commit (or savepoint release) when this scope
     *     began it; errors with the work's error after the rollback
     * @throws NullPointerException when {@code propagation} or {@code work} is null
     * @see io.relata.reactor the reactive contract
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
     * once, here. Each mixin method is the association operation it is named after and follows that
     * operation's documentation and the {@linkplain io.relata.reactor reactive contract}.
     *
     * @param model the source model
     * @param mixins the interface
     * @param <S> the source entity
     * @param <M> the interface
     * @return the implementation
     * @throws NullPointerException when {@code model} or {@code mixins} is null
     * @throws QueryDefinitionException naming a method that matches no association and the aliases available
     */
    public <S, M> M mixins(Model<S> model, Class<M> mixins) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(mixins, "mixins");
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
     * {@link #create} or the builder is left alone. The pools are disposed when this is
     * subscribed.
     *
     * @return emits nothing; completes when the pool has closed its connections (at once when this database
     *     owns no pool)
     * @see io.relata.reactor the reactive contract
     */
    public Mono<Void> close() {
        // views (withBatchWindow, primary) own nothing: only the database connect() returned closes the pools
        return ownedPool == null ? Mono.empty() : ownedPool.disposeLater().then(executor.closeReplicas());
    }
}
