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
import java.util.Collection;
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
         * @param hooks model hooks its writes run (default none)
         * @return this builder
         */
        public Builder hooks(Hooks hooks) {
            this.hooks = Objects.requireNonNull(hooks, "hooks");
            return this;
        }

        /** @return the database; its connection factory is not closed by {@link Database#close()} */
        public Database build() {
            return new Database(schema, new Executor(transactions, errors, observer), null, batchWindow, hooks);
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
        return new Database(schema, executor, null, Objects.requireNonNull(window, "window"), hooks);
    }

    /**
     * @param hooks the model hooks its writes run ({@link Hooks}); replaces this database's
     * @return a database sharing this one's connections, transactions and batch window, with those hooks
     */
    public Database withHooks(Hooks hooks) {
        return new Database(schema, executor, null, loader.window(), Objects.requireNonNull(hooks, "hooks"));
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
        return timed(query, () -> Streams.select(executor, plan));
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
        return Streams.select(executor, plan.withBind(0, value)).singleOrEmpty();
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
        return timed(query, () -> executor.withConnection(c -> Executor.<Long>rows(c, s, row -> row.get(0, Long.class))))
                .single();
    }

    // ---- writes ----

    /**
     * Inserts one entity. Null properties take the column default (generated keys, UUIDs, now()). The
     * model's validators run first ({@link io.relata.Validation}); its hooks, if any, run around the insert in
     * one transaction ({@link Hooks}).
     *
     * @param model the model
     * @param entity the entity
     * @param <T> the entity type
     * @return the inserted entity as stored (generated keys and defaults filled); errors with
     *     {@link io.relata.ValidationException} (before any SQL) or {@link io.relata.StatementException}
     * @throws QueryDefinitionException for an entity of another model
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
     */
    public <T> Mono<T> create(Query<T> include, T entity) {
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
        Query<T> q = Query.from(model);
        for (Association<T, ?> a : include) {
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
     */
    public <T> Flux<T> bulkCreate(Query<T> include, List<T> entities) {
        return writes.create(include, entities);
    }

    /**
     * Inserts entities with one multi-row statement (several only beyond PostgreSQL's bind limit, then
     * in one transaction). Every entity is validated before any SQL: one invalid entity fails the call with
     * all violations, and no row is written.
     *
     * @param model the model
     * @param entities the entities
     * @param <T> the entity type
     * @return the inserted entities as stored, in order; errors with {@link io.relata.ValidationException}
     *     or {@link io.relata.StatementException}
     */
    public <T> Flux<T> bulkCreate(Model<T> model, List<T> entities) {
        return writes.bulkCreate(model, entities);
    }

    /**
     * @param query which rows (a where on attributes of the model)
     * @param changes attribute name to new value; {@code updatedAt} is maintained, a version incremented;
     *     the changed attributes' validators run first
     * @param <T> the entity
     * @return the number of rows updated; errors with {@link io.relata.ValidationException} (before any SQL)
     */
    public <T> Mono<Long> update(Query<T> query, Map<String, ?> changes) {
        return timed(query, () -> writes.update(query, changes)).single();
    }

    /**
     * @param query which rows (a where on attributes of the model; none deletes all)
     * @param <T> the entity
     * @return the number of rows deleted
     */
    public <T> Mono<Long> destroy(Query<T> query) {
        return timed(query, () -> writes.destroy(query)).single();
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
     */
    public <T> Mono<T> save(Model<T> model, T entity) {
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
     */
    public <T> Mono<T> save(Model<T> model, T entity, Collection<String> attributes) {
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
     */
    public <T> Mono<T> reload(Model<T> model, T entity) {
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
     */
    public <T> Mono<Boolean> destroy(Model<T> model, T entity) {
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
     */
    public <T> Mono<T> upsert(Model<T> model, T entity) {
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
     */
    public <T> Mono<T> upsert(Model<T> model, T entity, String... conflictTarget) {
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
     */
    public <T> Mono<FoundOrCreated<T>> findOrCreate(Query<T> query, T defaults) {
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
     */
    public <T> Mono<T> increment(Model<T> model, T entity, Map<String, ? extends Number> by) {
        return writes.increment(model, entity, by, false);
    }

    /**
     * @param model the model
     * @param entity the entity, its key set
     * @param by attribute name to amount subtracted ({@code SET "x" = "x" - $1})
     * @param <T> the entity
     * @return the entity as stored after the change; empty when no row has its key
     * @throws QueryDefinitionException as {@link #increment(Model, Object, Map)}
     */
    public <T> Mono<T> decrement(Model<T> model, T entity, Map<String, ? extends Number> by) {
        return writes.increment(model, entity, by, true);
    }

    /**
     * @param query which rows (a where on root attributes)
     * @param by attribute name to amount added
     * @return the number of rows changed
     * @throws QueryDefinitionException as {@link #increment(Model, Object, Map)}
     */
    public Mono<Long> increment(Query<?> query, Map<String, ? extends Number> by) {
        return writes.increment(query, by, false);
    }

    /**
     * @param query which rows (a where on root attributes)
     * @param by attribute name to amount subtracted
     * @return the number of rows changed
     * @throws QueryDefinitionException as {@link #increment(Model, Object, Map)}
     */
    public Mono<Long> decrement(Query<?> query, Map<String, ? extends Number> by) {
        return writes.increment(query, by, true);
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
     * or deadlock, and nesting as a SAVEPOINT ({@link TransactionOptions.Propagation#NESTED}).
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
        return executor.inTransaction(options, c -> work.apply(new Transaction(this)));
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
     * Disposes the pool this database created ({@link #connect}); a factory given to {@link #create} is
     * left alone.
     *
     * @return completes when closed
     */
    public Mono<Void> close() {
        return ownedPool == null ? Mono.empty() : ownedPool.disposeLater();
    }
}
