package io.relata.internal;

import io.relata.Association;
import io.relata.Attribute;
import io.relata.Model;
import io.relata.QueryDefinitionException;
import io.relata.query.Include;
import io.relata.query.Order;
import io.relata.query.Query;
import io.relata.query.Where;
import io.relata.sql.LoadPlan;
import io.relata.sql.SelectPlan;
import io.relata.sql.SeparateLoad;
import io.relata.sql.SqlStatement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Plans SELECTs with include trees: one joined statement (positional aliases {@code t0, t1, ...},
 * columns {@code c0, c1, ...}) ordered so that each root's rows are consecutive, plus the follow-up
 * statements of SEPARATE includes. Root windows ({@code LIMIT}/{@code OFFSET}) apply to roots.
 */
public final class SelectPlanner {

    /** A node of the include tree being planned. */
    static final class PNode {
        final Model<?> model;
        final @Nullable Association<?, ?> association;
        final @Nullable Include<?, ?> include;
        final @Nullable PNode parent;
        final String alias;
        final @Nullable String junctionAlias;
        @Nullable Model<?> junction;
        final List<PNode> children = new ArrayList<>();
        final boolean required;
        final boolean separate;
        List<Attribute> selected = List.of();
        List<Attribute> throughSelected = List.of();
        int first;
        int throughFirst;
        @Nullable NodeReader<?> reader;

        PNode(Model<?> model, @Nullable Association<?, ?> association, @Nullable Include<?, ?> include,
                @Nullable PNode parent, String alias, @Nullable String junctionAlias, boolean required, boolean separate) {
            this.model = model;
            this.association = association;
            this.include = include;
            this.parent = parent;
            this.alias = alias;
            this.junctionAlias = junctionAlias;
            this.required = required;
            this.separate = separate;
        }

        boolean toMany() {
            return association != null && association.toMany();
        }

        boolean manyToMany() {
            return association != null && association.kind() == Association.Kind.BELONGS_TO_MANY;
        }

        Association<?, ?> assoc() {
            return Objects.requireNonNull(association);
        }

        boolean hasToManyJoin() {
            for (PNode c : children) {
                if (!c.separate && (c.toMany() || c.hasToManyJoin())) {
                    return true;
                }
            }
            return false;
        }

        List<PNode> joined() {
            return children.stream().filter(c -> !c.separate).toList();
        }
    }

    /** A resolved column reference. */
    record Col(String alias, Attribute attribute) {
    }

    private int aliases;
    /** the bind index of a lazy load's key array, once planned */
    private int keyIndex = -1;

    private SelectPlanner() {
    }

    /**
     * @param query a query
     * @param <T> the root entity
     * @return its plan
     * @throws QueryDefinitionException when a path, order or window cannot be expressed
     */
    public static <T> SelectPlan<T> plan(Query<T> query) {
        rejectThroughOptions(query);
        return new SelectPlanner().select(query, null);
    }

    /** Through options belong to a lazy load or count of a belongsToMany, which knows the junction. */
    static void rejectThroughOptions(Query<?> query) {
        if (query.hasThroughOptions()) {
            throw new QueryDefinitionException("throughAttributes/throughWhere of a query over " + query.model().name()
                    + " apply only to a lazy load or count of a belongsToMany (db.association(...).get/count(source,"
                    + " q -> ...)); to filter a belongsToMany include, use include(assoc, i -> i.throughWhere(...))");
        }
    }

    /**
     * Plans a lazy load of an association for a set of sources: the target query, restricted to the
     * targets linked to the source keys in {@code $1} ({@code = ANY($1)}), with the link value as
     * column 0 so one statement serves a batch of sources.
     *
     * @param association the association
     * @param query a query over the target (where, order, window, attributes, includes)
     * @param <T> the target entity
     * @return the plan; its statement's {@code $1} is a placeholder for the key array
     */
    public static <T> LoadPlan<T> load(Association<?, T> association, Query<T> query) {
        if (query.model() != association.target()) {
            throw new QueryDefinitionException("the query for " + association.source().name() + "." + association.as()
                    + " must be over " + association.target().name() + ", not " + query.model().name());
        }
        if (query.hasThroughOptions() && association.kind() != Association.Kind.BELONGS_TO_MANY) {
            throw new QueryDefinitionException("throughAttributes/throughWhere apply to belongsToMany; "
                    + association.source().name() + "." + association.as() + " is " + association.kind());
        }
        SelectPlanner planner = new SelectPlanner();
        SelectPlan<T> plan = planner.select(query, association);
        return new LoadPlan<>(plan.statement(), planner.keyIndex, plan.reader(), plan.separate(),
                linkColumn(association).attribute());
    }

    /**
     * @param query a query (its window and order are ignored)
     * @return {@code SELECT count(...)} counting distinct roots
     */
    public static SqlStatement count(Query<?> query) {
        rejectThroughOptions(query);
        return new SelectPlanner().countStatement(query);
    }

    // ---- tree ----

    private PNode tree(Query<?> query, @Nullable Association<?, ?> link) {
        boolean junction = link != null && link.kind() == Association.Kind.BELONGS_TO_MANY;
        PNode root = new PNode(query.model(), null, null, null, "t0", junction ? "j0" : null, true, false);
        for (Include<?, ?> i : query.includes()) {
            add(root, i, false);
        }
        root.selected = selection(root, query.selectedAttributes());
        if (junction) {
            // a lazy belongsToMany load carries the junction's attributes, like Sequelize's getBars()
            Model<?> through = Objects.requireNonNull(link.through());
            root.junction = through;
            List<String> names = query.selectedThroughAttributes();
            if (names != null) {
                names.forEach(through::requireAttribute);
                if (!names.isEmpty() && query.model().throughSlot(through) < 0) {
                    throw new QueryDefinitionException("through attributes of '" + link.as() + "' were asked for but "
                            + query.model().name() + " has no property of the junction's type "
                            + through.entityType().getSimpleName() + " to hold them");
                }
            }
            root.throughSelected = junctionAttributes(query.model(), through, names);
        }
        return root;
    }

    private static List<Attribute> junctionAttributes(Model<?> target, Model<?> junction, @Nullable List<String> names) {
        List<Attribute> list = new ArrayList<>();
        if (target.throughSlot(junction) >= 0) {
            for (Attribute attr : junction.attributes()) {
                if (attr.mapped() && (names == null || names.contains(attr.name()))) {
                    list.add(attr);
                }
            }
        }
        return list;
    }

    private void add(PNode parent, Include<?, ?> include, boolean underSeparate) {
        Association<?, ?> a = include.association();
        int n = ++aliases;
        boolean separate = include.strategy() == Include.Strategy.SEPARATE;
        PNode node = new PNode(a.target(), a, include, parent, "t" + n,
                a.kind() == Association.Kind.BELONGS_TO_MANY ? "j" + n : null,
                include.isRequired(), separate);
        if (separate && include.isRequired()) {
            throw new QueryDefinitionException("include '" + a.as() + "' of " + a.source().name()
                    + " is required (it has a where or required(true)) but uses the SEPARATE strategy, which cannot"
                    + " filter the parents; use the JOIN strategy or required(false)");
        }
        parent.children.add(node);
        for (Include<?, ?> c : include.includes()) {
            add(node, c, underSeparate || separate);
        }
        node.selected = selection(node, include.selectedAttributes());
        if (a.kind() == Association.Kind.BELONGS_TO_MANY) {
            Model<?> junction = Objects.requireNonNull(a.through());
            node.junction = junction;
            List<String> names = include.selectedThroughAttributes();
            if (a.target().throughSlot(junction) >= 0 && (names == null || !names.isEmpty())) {
                node.throughSelected = junctionAttributes(a.target(), junction, names);
            } else if (names != null && !names.isEmpty()) {
                throw new QueryDefinitionException("through attributes of '" + a.as() + "' were asked for but "
                        + a.target().name() + " has no property of the junction's type "
                        + junction.entityType().getSimpleName() + " to hold them");
            }
        }
    }

    /** Selected attributes: the asked (or all mapped) ones, plus keys the plan needs. */
    private static List<Attribute> selection(PNode node, @Nullable List<String> names) {
        Set<Attribute> set = new LinkedHashSet<>();
        Model<?> m = node.model;
        Set<Attribute> needed = new LinkedHashSet<>(m.primaryKeys());
        for (PNode c : node.children) {
            if (c.separate) {
                needed.add(c.assoc().sourceKey());
            }
        }
        if (node.separate) {
            Association<?, ?> a = node.assoc();
            if (a.kind() == Association.Kind.HAS_ONE || a.kind() == Association.Kind.HAS_MANY) {
                needed.add(a.foreignKey());
            } else if (a.kind() == Association.Kind.BELONGS_TO) {
                needed.add(a.targetKey());
            }
        }
        for (Attribute a : m.attributes()) {
            boolean asked = names == null ? a.mapped() : names.contains(a.name());
            if (asked || needed.contains(a)) {
                set.add(a);
            }
        }
        return new ArrayList<>(set);
    }

    private static int layout(PNode node, int column) {
        node.first = column;
        column += node.selected.size();
        node.throughFirst = column;
        column += node.throughSelected.size();
        for (PNode c : node.joined()) {
            column = layout(c, column);
        }
        return column;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static NodeReader<?> readers(PNode node) {
        NodeReader<?> r = new NodeReader(node.model, node.selected, node.first, node.model.primaryKeys());
        node.reader = r;
        if (node.association != null) {
            r.toMany = node.association.toMany();
            r.separate = node.separate;
        }
        if (!node.throughSelected.isEmpty()) {
            Model<?> junction = Objects.requireNonNull(node.junction);
            r.through = new NodeReader(junction, node.throughSelected, node.throughFirst, List.of());
            r.throughSlot = node.model.throughSlot(junction);
        }
        int index = 0;
        for (PNode c : node.children) {
            NodeReader<?> cr = readers(c);
            cr.parentSlot = node.model.slot((Association) c.association);
            cr.childIndex = index++;
            r.children.add(cr);
        }
        return r;
    }

    // ---- SELECT ----

    @SuppressWarnings("unchecked")
    private <T> SelectPlan<T> select(Query<T> query, @Nullable Association<?, T> link) {
        PNode root = tree(query, link);
        layout(root, link != null ? 1 : 0);
        layoutSeparates(root);
        NodeReader<T> reader = (NodeReader<T>) readers(root);
        SqlWriter w = new SqlWriter();
        w.sql("SELECT ");
        Col linkCol = null;
        if (link != null) {
            linkCol = linkColumn(link);
            w.column(linkCol.alias(), linkCol.attribute().column()).sql(" AS ").id("c0");
        }
        int[] columnCount = {link != null ? 1 : 0};
        columns(w, root, columnCount);
        boolean grouped = root.hasToManyJoin();
        boolean windowed = query.limit().isPresent() || query.offset().isPresent();
        // a lazy load's window applies per source, by rank within the source's targets (below)
        boolean perSource = windowed && link != null;
        boolean subquery = windowed && grouped && link == null;
        Function<String, Col> rootPaths = path -> resolve(root, path, query.model().name());
        List<Order> rootOrder = new ArrayList<>();
        List<Order> childOrder = new ArrayList<>();
        for (Order o : query.orderBy()) {
            Col c = rootPaths.apply(o.path());
            PNode owner = owner(root, c.alias());
            if (underToMany(owner)) {
                childOrder.add(o);
            } else {
                rootOrder.add(o);
            }
        }
        List<Term> hidden = new ArrayList<>();
        if (perSource) {
            Col lc = Objects.requireNonNull(linkCol);
            w.sql(", dense_rank() OVER (PARTITION BY ").column(lc.alias(), lc.attribute().column()).sql(" ORDER BY ");
            boolean[] rankFirst = {true};
            orderTerms(w, rootOrder, rootPaths, rankFirst);
            keyTerms(w, root, rankFirst);
            w.sql(") AS ").id("r");
            for (Order o : childOrder) {
                hidden.add(new Term(rootPaths.apply(o.path()), o.descending()));
            }
            childOrderTerms(root, hidden);
            for (int i = 0; i < hidden.size(); i++) {
                Col c = hidden.get(i).col();
                w.sql(", ").column(c.alias(), c.attribute().column()).sql(" AS ").id("o" + i);
            }
        }
        if (subquery) {
            w.sql(" FROM (SELECT * FROM ").id(root.model.tableName()).sql(" AS ").id(root.alias);
            Function<String, Col> rootOnly = path -> {
                Col c = rootPaths.apply(path);
                if (!c.alias().equals(root.alias)) {
                    throw new UnsupportedOperationException("a where or order on the included column '" + path
                            + "' together with limit/offset and a to-many include is not supported; filter the"
                            + " include with include(assoc, i -> i.where(...)) (roots without a match are dropped"
                            + " before the window), or drop the window");
                }
                return c;
            };
            List<Runnable> conditions = new ArrayList<>();
            Where where = query.where();
            if (where != null) {
                conditions.add(() -> condition(w, where, rootOnly));
            }
            for (PNode c : root.joined()) {
                if (c.required) {
                    conditions.add(() -> exists(w, c));
                }
            }
            whereClause(w, conditions);
            w.sql(" ORDER BY ");
            boolean[] sub = {true};
            orderTerms(w, rootOrder, rootOnly, sub);
            keyTerms(w, root, sub);
            window(w, query);
            w.sql(") AS ").id(root.alias);
        } else {
            w.sql(" FROM ").id(root.model.tableName()).sql(" AS ").id(root.alias);
        }
        if (link != null && link.kind() == Association.Kind.BELONGS_TO_MANY) {
            Model<?> junction = Objects.requireNonNull(link.through());
            w.sql(" INNER JOIN ").id(junction.tableName()).sql(" AS ").id("j0").sql(" ON ")
                    .column(root.alias, link.targetKey().column()).sql(" = ")
                    .column("j0", Objects.requireNonNull(link.otherKey()).column());
        } else if (link != null && link.kind() == Association.Kind.BELONGS_TO) {
            // through the source row: the load sees the foreign key as stored, not as the entity had it
            w.sql(" INNER JOIN ").id(link.source().tableName()).sql(" AS ").id("s0").sql(" ON ")
                    .column("s0", link.foreignKey().column()).sql(" = ").column(root.alias, link.targetKey().column());
        }
        for (PNode c : root.joined()) {
            join(w, c);
        }
        if (link != null) {
            Col lc = Objects.requireNonNull(linkCol);
            w.sql(" WHERE ").column(lc.alias(), lc.attribute().column()).sql(" = ANY(");
            keyIndex = w.bindCount();
            w.array(lc.attribute(), List.of()).sql(")");
            if (link.kind() == Association.Kind.BELONGS_TO_MANY) {
                Model<?> through = Objects.requireNonNull(link.through());
                scope(w, "j0", through, link.throughScope());
                Where tw = query.throughWhere();
                if (tw != null) {
                    w.sql(" AND ");
                    condition(w, tw, path -> new Col("j0", through.requireAttribute(path)));
                }
            }
            scope(w, root.alias, root.model, link.scope());
            if (query.where() != null) {
                w.sql(" AND ");
                condition(w, Objects.requireNonNull(query.where()), rootPaths);
            }
        } else if (!subquery && query.where() != null) {
            w.sql(" WHERE ");
            condition(w, Objects.requireNonNull(query.where()), rootPaths);
        }
        boolean[] first = {true};
        if (perSource) {
            return new SelectPlan<>(perSourceWindow(w, query, columnCount[0], hidden), reader, separateLoads(root));
        }
        if (link != null) {
            Col lc = Objects.requireNonNull(linkCol);
            w.sql(" ORDER BY ").column(lc.alias(), lc.attribute().column());
            first[0] = false;
            orderTerms(w, rootOrder, rootPaths, first);
            keyTerms(w, root, first);
            orderTerms(w, childOrder, rootPaths, first);
            childOrders(w, root, first);
        } else if (!rootOrder.isEmpty() || grouped) {
            w.sql(" ORDER BY ");
            orderTerms(w, rootOrder, rootPaths, first);
            if (grouped) {
                keyTerms(w, root, first);
                orderTerms(w, childOrder, rootPaths, first);
                childOrders(w, root, first);
            }
        }
        if (!subquery) {
            window(w, query);
        }
        List<SeparateLoad> separate = new ArrayList<>();
        separateLoads(root, separate);
        return new SelectPlan<>(w.build(), reader, separate);
    }

    /** An order term resolved to a column. */
    record Term(Col col, boolean descending) {
    }

    private List<SeparateLoad> separateLoads(PNode root) {
        List<SeparateLoad> separate = new ArrayList<>();
        separateLoads(root, separate);
        return separate;
    }

    /**
     * The window of a lazy load, per source: {@code SELECT "w"."c0", ... FROM (<load with its rank "r"
     * among its source's targets>) AS "w" WHERE "w"."r" > $offset AND "w"."r" <= $offset+limit ORDER BY
     * "w"."c0", "w"."r", <child order>}. The rank is {@code dense_rank()}, so the rows of one target (its
     * to-many includes) share it and the window counts targets, not rows.
     */
    private static SqlStatement perSourceWindow(SqlWriter inner, Query<?> query, int columns, List<Term> hidden) {
        SqlWriter w = new SqlWriter();
        w.sql("SELECT ");
        for (int i = 0; i < columns; i++) {
            w.sql(i == 0 ? "" : ", ").column("w", "c" + i);
        }
        w.sql(" FROM (").embed(inner).sql(") AS ").id("w").sql(" WHERE ");
        long offset = query.offset().orElse(0);
        if (query.offset().isPresent()) {
            w.column("w", "r").sql(" > ").bind(offset, Long.class);
        }
        if (query.limit().isPresent()) {
            long limit = query.limit().getAsLong();
            long last = limit > Long.MAX_VALUE - offset ? Long.MAX_VALUE : offset + limit;
            w.sql(query.offset().isPresent() ? " AND " : "").column("w", "r").sql(" <= ").bind(last, Long.class);
        }
        w.sql(" ORDER BY ").column("w", "c0").sql(", ").column("w", "r");
        for (int i = 0; i < hidden.size(); i++) {
            w.sql(", ").column("w", "o" + i).sql(hidden.get(i).descending() ? " DESC" : "");
        }
        return w.build();
    }

    /** The order terms {@link #childOrders} writes, as columns. */
    private static void childOrderTerms(PNode node, List<Term> out) {
        for (PNode c : node.joined()) {
            for (Order o : Objects.requireNonNull(c.include).orderBy()) {
                out.add(new Term(resolve(c, o.path(), c.model.name()), o.descending()));
            }
            if (c.toMany()) {
                for (Attribute k : c.model.primaryKeys()) {
                    out.add(new Term(new Col(c.alias, k), false));
                }
            }
            childOrderTerms(c, out);
        }
    }

    private static Col linkColumn(Association<?, ?> a) {
        return switch (a.kind()) {
            case HAS_ONE, HAS_MANY -> new Col("t0", a.foreignKey());
            case BELONGS_TO -> new Col("s0", a.source().primaryKey());
            case BELONGS_TO_MANY -> new Col("j0", a.foreignKey());
        };
    }

    /**
     * @param a an association
     * @return the source attribute whose values key a lazy load: the source key, or for belongsTo the
     *     source's primary key (the stored foreign key is joined)
     */
    public static Attribute loadKey(Association<?, ?> a) {
        return a.kind() == Association.Kind.BELONGS_TO ? a.source().primaryKey() : a.sourceKey();
    }

    private static void whereClause(SqlWriter w, List<Runnable> conditions) {
        for (int i = 0; i < conditions.size(); i++) {
            w.sql(i == 0 ? " WHERE " : " AND ");
            conditions.get(i).run();
        }
    }

    private static void window(SqlWriter w, Query<?> query) {
        if (query.limit().isPresent()) {
            w.sql(" LIMIT ").bind(query.limit().getAsLong(), Long.class);
        }
        if (query.offset().isPresent()) {
            w.sql(" OFFSET ").bind(query.offset().getAsLong(), Long.class);
        }
    }

    private static void columns(SqlWriter w, PNode node, int[] counter) {
        for (Attribute a : node.selected) {
            if (counter[0] > 0) {
                w.sql(", ");
            }
            selectColumn(w, node.alias, a).sql(" AS ").id("c" + counter[0]++);
        }
        for (Attribute a : node.throughSelected) {
            w.sql(", ");
            selectColumn(w, Objects.requireNonNull(node.junctionAlias), a).sql(" AS ").id("c" + counter[0]++);
        }
        for (PNode c : node.joined()) {
            columns(w, c, counter);
        }
    }

    /**
     * A selected column. JSONB is read as its text: in binary transfer the driver would otherwise hand a
     * String the jsonb version byte.
     */
    static SqlWriter selectColumn(SqlWriter w, @Nullable String alias, Attribute a) {
        if (alias != null) {
            w.column(alias, a.column());
        } else {
            w.id(a.column());
        }
        if (a.type().kind() == io.relata.DataType.Kind.JSONB) {
            w.sql("::text");
        }
        return w;
    }

    private static void keyTerms(SqlWriter w, PNode node, boolean[] first) {
        for (Attribute k : node.model.primaryKeys()) {
            comma(w, first);
            w.column(node.alias, k.column());
        }
    }

    private void childOrders(SqlWriter w, PNode node, boolean[] first) {
        for (PNode c : node.joined()) {
            Include<?, ?> inc = Objects.requireNonNull(c.include);
            orderTerms(w, inc.orderBy(), path -> resolve(c, path, c.model.name()), first);
            if (c.toMany()) {
                keyTerms(w, c, first);
            }
            childOrders(w, c, first);
        }
    }

    private static void orderTerms(SqlWriter w, List<Order> orders, Function<String, Col> paths, boolean[] first) {
        for (Order o : orders) {
            Col c = paths.apply(o.path());
            comma(w, first);
            w.column(c.alias(), c.attribute().column());
            if (o.descending()) {
                w.sql(" DESC");
            }
        }
    }

    private static void comma(SqlWriter w, boolean[] first) {
        if (!first[0]) {
            w.sql(", ");
        }
        first[0] = false;
    }

    private static PNode owner(PNode root, String alias) {
        if (root.alias.equals(alias) || alias.equals(root.junctionAlias)) {
            return root;
        }
        for (PNode c : root.children) {
            PNode found = findAlias(c, alias);
            if (found != null) {
                return found;
            }
        }
        throw new IllegalStateException(alias);
    }

    private static @Nullable PNode findAlias(PNode node, String alias) {
        if (node.alias.equals(alias) || alias.equals(node.junctionAlias)) {
            return node;
        }
        for (PNode c : node.children) {
            PNode found = findAlias(c, alias);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static boolean underToMany(PNode node) {
        for (PNode n = node; n != null && n.parent != null; n = n.parent) {
            if (n.toMany()) {
                return true;
            }
        }
        return false;
    }

    // ---- joins ----

    private void join(SqlWriter w, PNode n) {
        List<PNode> nested = new ArrayList<>();
        if (!n.required) {
            for (PNode c : n.joined()) {
                if (c.required) {
                    nested.add(c);
                }
            }
        }
        w.sql(n.required ? " INNER JOIN " : " LEFT OUTER JOIN ");
        boolean paren = !nested.isEmpty() || n.manyToMany();
        if (paren) {
            w.sql("(");
        }
        fromItem(w, n);
        for (PNode c : nested) {
            join(w, c);
        }
        if (paren) {
            w.sql(")");
        }
        w.sql(" ON ");
        onCondition(w, n);
        for (PNode c : n.joined()) {
            if (!nested.contains(c)) {
                join(w, c);
            }
        }
    }

    private void fromItem(SqlWriter w, PNode n) {
        Association<?, ?> a = n.assoc();
        if (n.manyToMany()) {
            Model<?> junction = Objects.requireNonNull(a.through());
            String j = Objects.requireNonNull(n.junctionAlias);
            w.id(junction.tableName()).sql(" AS ").id(j).sql(" INNER JOIN ").id(n.model.tableName()).sql(" AS ")
                    .id(n.alias).sql(" ON ").column(n.alias, a.targetKey().column()).sql(" = ")
                    .column(j, Objects.requireNonNull(a.otherKey()).column());
            targetConditions(w, n);
        } else {
            w.id(n.model.tableName()).sql(" AS ").id(n.alias);
        }
    }

    private void onCondition(SqlWriter w, PNode n) {
        Association<?, ?> a = n.assoc();
        PNode p = Objects.requireNonNull(n.parent);
        switch (a.kind()) {
            case HAS_ONE, HAS_MANY -> {
                w.column(n.alias, a.foreignKey().column()).sql(" = ").column(p.alias, a.sourceKey().column());
                targetConditions(w, n);
            }
            case BELONGS_TO -> {
                w.column(n.alias, a.targetKey().column()).sql(" = ").column(p.alias, a.foreignKey().column());
                targetConditions(w, n);
            }
            case BELONGS_TO_MANY -> {
                String j = Objects.requireNonNull(n.junctionAlias);
                w.column(j, a.foreignKey().column()).sql(" = ").column(p.alias, a.sourceKey().column());
                Model<?> junction = Objects.requireNonNull(a.through());
                scope(w, j, junction, a.throughScope());
                Where tw = Objects.requireNonNull(n.include).throughWhere();
                if (tw != null) {
                    w.sql(" AND ");
                    condition(w, tw, path -> new Col(j, junction.requireAttribute(path)));
                }
            }
            default -> throw new IllegalStateException();
        }
    }

    private void targetConditions(SqlWriter w, PNode n) {
        scope(w, n.alias, n.model, n.assoc().scope());
        Where where = Objects.requireNonNull(n.include).where();
        if (where != null) {
            w.sql(" AND ");
            condition(w, where, path -> resolve(n, path, n.model.name()));
        }
    }

    private static void scope(SqlWriter w, String alias, Model<?> model, Map<String, Object> scope) {
        Scopes.conditions(w, alias, model, scope);
    }

    private void exists(SqlWriter w, PNode n) {
        w.sql("EXISTS (SELECT 1 FROM ");
        fromItem(w, n);
        for (PNode c : n.joined()) {
            if (c.required) {
                join(w, c);
            }
        }
        w.sql(" WHERE ");
        onCondition(w, n);
        w.sql(")");
    }

    // ---- conditions ----

    /** Resolves {@code attr} or {@code alias.alias.attr} relative to a node. */
    private static Col resolve(PNode base, String path, String modelName) {
        String[] parts = path.split("\\.");
        PNode node = base;
        for (int i = 0; i < parts.length - 1; i++) {
            PNode next = null;
            for (PNode c : node.children) {
                if (c.assoc().as().equals(parts[i])) {
                    next = c;
                }
            }
            if (next == null) {
                List<String> names = node.children.stream().map(c -> c.assoc().as()).toList();
                throw new QueryDefinitionException("'" + path + "': " + node.model.name() + " has no include '"
                        + parts[i] + "' in this query; included aliases: " + (names.isEmpty() ? "(none)" : names));
            }
            if (next.separate) {
                throw new QueryDefinitionException("'" + path + "' refers to include '" + parts[i]
                        + "' loaded with the SEPARATE strategy; a separate include cannot be filtered or ordered on"
                        + " from its parent query");
            }
            node = next;
        }
        return new Col(node.alias, node.model.requireAttribute(parts[parts.length - 1]));
    }

    static void condition(SqlWriter w, Where where, Function<String, Col> paths) {
        if (where instanceof Where.Compare c) {
            Col col = paths.apply(c.path());
            w.column(col.alias(), col.attribute().column()).sql(" ").sql(c.op().sql()).sql(" ");
            w.bind(Values.toWire(col.attribute(), c.value()), Values.bindType(col.attribute()));
        } else if (where instanceof Where.In in) {
            Col col = paths.apply(in.path());
            w.column(col.alias(), col.attribute().column()).sql(in.negated() ? " <> ALL(" : " = ANY(")
                    .array(col.attribute(), in.values()).sql(")");
        } else if (where instanceof Where.IsNull n) {
            Col col = paths.apply(n.path());
            w.column(col.alias(), col.attribute().column()).sql(n.negated() ? " IS NOT NULL" : " IS NULL");
        } else if (where instanceof Where.Between b) {
            Col col = paths.apply(b.path());
            w.column(col.alias(), col.attribute().column()).sql(" BETWEEN ")
                    .bind(Values.toWire(col.attribute(), b.low()), Values.bindType(col.attribute())).sql(" AND ")
                    .bind(Values.toWire(col.attribute(), b.high()), Values.bindType(col.attribute()));
        } else if (where instanceof Where.And and) {
            junction(w, and.conditions(), " AND ", "TRUE", paths);
        } else if (where instanceof Where.Or or) {
            junction(w, or.conditions(), " OR ", "FALSE", paths);
        } else if (where instanceof Where.Not not) {
            w.sql("NOT (");
            condition(w, not.condition(), paths);
            w.sql(")");
        } else {
            throw new IllegalStateException(where.toString());
        }
    }

    private static void junction(SqlWriter w, List<Where> parts, String op, String empty, Function<String, Col> paths) {
        if (parts.isEmpty()) {
            w.sql(empty);
            return;
        }
        if (parts.size() == 1) {
            condition(w, parts.get(0), paths);
            return;
        }
        w.sql("(");
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                w.sql(op);
            }
            condition(w, parts.get(i), paths);
        }
        w.sql(")");
    }

    // ---- count ----

    private SqlStatement countStatement(Query<?> query) {
        PNode root = tree(query, null);
        SqlWriter w = new SqlWriter();
        boolean joins = !root.joined().isEmpty();
        w.sql("SELECT count(");
        if (joins) {
            w.sql("DISTINCT ");
            List<Attribute> pks = root.model.primaryKeys();
            if (pks.size() > 1) {
                w.sql("(");
            }
            for (int i = 0; i < pks.size(); i++) {
                if (i > 0) {
                    w.sql(", ");
                }
                w.column(root.alias, pks.get(i).column());
            }
            if (pks.size() > 1) {
                w.sql(")");
            }
        } else {
            w.sql("*");
        }
        w.sql(") FROM ").id(root.model.tableName()).sql(" AS ").id(root.alias);
        for (PNode c : root.joined()) {
            join(w, c);
        }
        Where where = query.where();
        if (where != null) {
            w.sql(" WHERE ");
            condition(w, where, path -> resolve(root, path, query.model().name()));
        }
        return w.build();
    }

    // ---- SEPARATE ----

    private void separateLoads(PNode node, List<SeparateLoad> loads) {
        for (PNode c : node.children) {
            if (c.separate) {
                loads.add(separateLoad(c));
            } else {
                separateLoads(c, loads);
            }
        }
    }

    /**
     * A follow-up query: the separate node (and its joined subtree) for the parents whose key is in
     * {@code $1}. The first column is the parent's key the row belongs to.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private SeparateLoad separateLoad(PNode n) {
        Association<?, ?> a = n.assoc();
        PNode parent = Objects.requireNonNull(n.parent);
        Attribute parentKey = a.sourceKey();
        SqlWriter w = new SqlWriter();
        // column 0: the link value (the parent's key this row belongs to)
        String linkAlias;
        Attribute linkAttr;
        switch (a.kind()) {
            case HAS_ONE, HAS_MANY -> {
                linkAlias = n.alias;
                linkAttr = a.foreignKey();
            }
            case BELONGS_TO -> {
                linkAlias = n.alias;
                linkAttr = a.targetKey();
            }
            default -> {
                linkAlias = Objects.requireNonNull(n.junctionAlias);
                linkAttr = a.foreignKey();
            }
        }
        NodeReader<?> reader = Objects.requireNonNull(n.reader);
        w.sql("SELECT ").column(linkAlias, linkAttr.column()).sql(" AS ").id("c0");
        int[] counter = {1};
        columns(w, n, counter);
        w.sql(" FROM ");
        if (n.manyToMany()) {
            fromItem(w, n);
        } else {
            w.id(n.model.tableName()).sql(" AS ").id(n.alias);
        }
        for (PNode c : n.joined()) {
            join(w, c);
        }
        // the key array is not $1 when the FROM items before it bind values (a target scope in a junction join)
        w.sql(" WHERE ").column(linkAlias, linkAttr.column()).sql(" = ANY(");
        int keys = w.bindCount();
        w.array(linkAttr, List.of()).sql(")");
        if (n.manyToMany()) {
            Model<?> junction = Objects.requireNonNull(a.through());
            scope(w, linkAlias, junction, a.throughScope());
            Where tw = Objects.requireNonNull(n.include).throughWhere();
            if (tw != null) {
                w.sql(" AND ");
                condition(w, tw, path -> new Col(linkAlias, junction.requireAttribute(path)));
            }
        } else {
            targetConditions(w, n);
        }
        w.sql(" ORDER BY ").column(linkAlias, linkAttr.column());
        boolean[] first = {false};
        Include<?, ?> inc = Objects.requireNonNull(n.include);
        orderTerms(w, inc.orderBy(), path -> resolve(n, path, n.model.name()), first);
        keyTerms(w, n, first);
        childOrders(w, n, first);
        List<SeparateLoad> nested = new ArrayList<>();
        separateLoads(n, nested);
        int parentSlot = Objects.requireNonNull(parent.reader).slotOf(parentKey);
        return new SeparateLoad(w.build(), keys, parent.reader, parentSlot, linkAttr, reader, nested);
    }

    /** Separate subtrees are laid out for their own statement: the link column first, then the subtree. */
    private static void layoutSeparates(PNode node) {
        for (PNode c : node.children) {
            if (c.separate) {
                layout(c, 1);
            }
            layoutSeparates(c);
        }
    }

}
