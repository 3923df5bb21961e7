package io.relata.internal;

import io.relata.Association;
import io.relata.Attribute;
import io.relata.Model;
import io.relata.QueryDefinitionException;
import io.relata.Validation;
import io.relata.ValidationException;
import io.relata.ValidationException.Violation;
import io.relata.internal.sql.Expr;
import io.relata.internal.sql.Renderer;
import io.relata.internal.sql.Statement;
import io.relata.query.Include;
import io.relata.query.Query;
import io.relata.sql.SelectPlan;
import io.relata.sql.SqlStatement;
import io.relata.sql.WriteProgram;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Plans Sequelize's {@code create(values, { include })}: entities together with the associated entities in
 * their slots, to any depth. Per include level one set statement: the belongsTo targets first (their keys
 * become the parents' foreign keys), then the parents, then hasOne/hasMany targets with the parents' keys
 * (and the association's scope), then belongsToMany targets and one junction INSERT of all their links
 * (with the through values of each target's through slot). Every entity of the graph is validated before
 * the first statement.
 */
public final class NestedCreatePlanner {
    private NestedCreatePlanner() {
    }

    /**
     * @param include the model and the include tree naming which slots are created (no where, order or window)
     * @param entities the new roots, their included slots filled with new entities
     * @param <T> the root entity
     * @return the program; it yields the roots as stored, their included slots holding the stored targets
     * @throws ValidationException listing every violation in the graph, before any SQL
     * @throws QueryDefinitionException for a query with more than includes, or an include that filters
     */
    public static <T> WriteProgram<List<T>> create(Query<T> include, List<T> entities) {
        Objects.requireNonNull(entities, "entities");
        Model<T> model = include.model();
        if (include.where() != null || include.limit().isPresent() || include.offset().isPresent()
                || !include.orderBy().isEmpty() || include.selectedAttributes() != null || include.hasThroughOptions()) {
            throw new QueryDefinitionException("create of " + model.name()
                    + " with includes takes the include tree only (no where, order, limit, offset or attributes)");
        }
        List<Include<T, ?>> includes = include.includes();
        List<Violation> violations = new ArrayList<>();
        Map<Model<?>, Set<Object>> seen = new LinkedHashMap<>();
        collect(model, entities, includes, seen, violations);
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
        List<Map<String, Object>> none = new ArrayList<>();
        entities.forEach(e -> none.add(new LinkedHashMap<>()));
        return group(model, entities, none, includes);
    }

    /** Validates every entity reachable through the includes (each once) and every through value. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void collect(Model model, List<?> entities, List<? extends Include<?, ?>> includes,
            Map<Model<?>, Set<Object>> seen, List<Violation> out) {
        Set<Object> done = seen.computeIfAbsent(model, m -> Collections.newSetFromMap(new IdentityHashMap<>()));
        for (Object e : entities) {
            if (done.add(e)) {
                out.addAll(Validation.violations(model, e));
            }
        }
        for (Include<?, ?> inc : includes) {
            Association a = inc.association();
            rejectFilters(inc);
            List<Object> children = new ArrayList<>();
            for (Object e : entities) {
                children.addAll(slotValues(a, e));
            }
            if (a.kind() == Association.Kind.BELONGS_TO_MANY) {
                Model<?> j = Objects.requireNonNull(a.through());
                for (Object child : children) {
                    Map<String, Object> through = throughValues(a, child);
                    if (!through.isEmpty()) {
                        try {
                            Validation.checkValues(j, through);
                        } catch (ValidationException v) {
                            out.addAll(v.violations());
                        }
                    }
                }
            }
            collect(a.target(), children, inc.includes(), seen, out);
        }
    }

    private static void rejectFilters(Include<?, ?> inc) {
        if (inc.where() != null || !inc.orderBy().isEmpty() || inc.selectedAttributes() != null
                || inc.throughWhere() != null || inc.selectedThroughAttributes() != null) {
            Association<?, ?> a = inc.association();
            throw new QueryDefinitionException("create with include " + a.source().name() + "." + a.as()
                    + ": an include of a create names a slot to create; it takes no where, order or attributes");
        }
    }

    /** The new targets in an entity's slot for the association: none, one, or a list. */
    @SuppressWarnings("unchecked")
    private static List<Object> slotValues(Association<?, ?> a, Object entity) {
        Model<Object> source = (Model<Object>) a.source();
        int slot = source.slot((Association<Object, ?>) a);
        if (slot < 0) {
            throw new QueryDefinitionException("create with include " + source.name() + "." + a.as() + ": "
                    + source.entityType().getSimpleName() + " has no property for '" + a.as() + "' to take the "
                    + a.target().name() + (a.toMany() ? " list" : "") + " from");
        }
        Object value = source.valueOf(entity, slot);
        if (value == null) {
            return List.of();
        }
        if (value instanceof Collection<?> c) {
            List<Object> list = new ArrayList<>();
            for (Object o : c) {
                list.add(Objects.requireNonNull(o, () -> source.name() + "." + a.as() + " contains null"));
            }
            return list;
        }
        return List.of(value);
    }

    /** The junction values a belongsToMany target carries in its through slot (keys excepted). */
    private static Map<String, Object> throughValues(Association<?, ?> a, Object target) {
        Model<?> j = Objects.requireNonNull(a.through());
        int slot = a.target().throughSlot(j);
        Map<String, Object> out = new LinkedHashMap<>();
        if (slot < 0) {
            return out;
        }
        Object through = a.target().valueOf(target, slot);
        if (through == null) {
            return out;
        }
        Attribute fk = a.foreignKey();
        Attribute other = Objects.requireNonNull(a.otherKey());
        for (Attribute attr : j.attributes()) {
            if (attr.mapped() && !attr.equals(fk) && !attr.equals(other) && attr.role() == Attribute.Role.PLAIN) {
                Object v = j.valueOf(through, attr.property());
                if (v != null) {
                    out.put(attr.name(), v);
                }
            }
        }
        return out;
    }

    /**
     * One level: its belongsTo targets, then its rows, then hasOne/hasMany and belongsToMany targets. Yields the
     * stored rows with their included slots filled, in order.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T> WriteProgram<List<T>> group(Model<T> model, List<T> entities, List<Map<String, Object>> fixed,
            List<? extends Include<?, ?>> includes) {
        if (entities.isEmpty()) {
            return WriteProgram.done(List.of());
        }
        int n = entities.size();
        List<@Nullable Object>[] slotValues = new List[model.propertyCount()];
        // 1. belongsTo targets first: their keys are the parents' foreign keys
        WriteProgram<Boolean> before = WriteProgram.done(true);
        for (Include<?, ?> inc : includes) {
            Association a = inc.association();
            if (a.kind() != Association.Kind.BELONGS_TO) {
                continue;
            }
            before = before.then(ignored -> {
                List<Object> children = new ArrayList<>();
                List<Integer> owners = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    List<Object> c = slotValues(a, entities.get(i));
                    if (!c.isEmpty()) {
                        children.add(c.get(0));
                        owners.add(i);
                    }
                }
                List<Map<String, Object>> none = new ArrayList<>();
                children.forEach(c -> none.add(new LinkedHashMap<>()));
                return targets(a, children, none, inc).then(stored -> {
                    List<@Nullable Object> slot = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        slot.add(null);
                    }
                    Attribute targetKey = a.targetKey();
                    for (int k = 0; k < stored.size(); k++) {
                        Object child = stored.get(k);
                        fixed.get(owners.get(k)).put(a.foreignKey().name(), read(a.target(), child, targetKey));
                        slot.set(owners.get(k), child);
                    }
                    slotValues[model.slot(a)] = slot;
                    return WriteProgram.done(true);
                });
            });
        }
        // 2. the rows of this level: one INSERT (per chunk of the bind limit)
        WriteProgram<List<T>> rows = before.then(ignored -> insertAll(WritePlanner.insertRows(model, entities, fixed), 0,
                new ArrayList<>()));
        // 3. and 4. the targets that point at these rows
        return rows.then(stored -> {
            WriteProgram<Boolean> after = WriteProgram.done(true);
            for (Include<?, ?> inc : includes) {
                Association a = inc.association();
                if (a.kind() == Association.Kind.BELONGS_TO) {
                    continue;
                }
                after = after.then(ignored -> a.kind() == Association.Kind.BELONGS_TO_MANY
                        ? linked(model, entities, stored, a, inc, slotValues)
                        : owned(model, entities, stored, a, inc, slotValues));
            }
            return after.then(ignored -> {
                List<T> out = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    T row = stored.get(i);
                    @Nullable Object[] values = new Object[model.propertyCount()];
                    for (int p = 0; p < values.length; p++) {
                        values[p] = slotValues[p] != null ? slotValues[p].get(i) : model.valueOf(row, p);
                    }
                    out.add(model.instantiate(values));
                }
                return WriteProgram.done(out);
            });
        });
    }

    /** The next level down: the association's targets, with their own includes. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static WriteProgram<List<Object>> targets(Association<?, ?> a, List<Object> children,
            List<Map<String, Object>> fixed, Include<?, ?> inc) {
        return group((Model) a.target(), children, fixed, inc.includes());
    }

    private static <T> WriteProgram<List<T>> insertAll(List<SelectPlan<T>> plans, int index, List<T> into) {
        if (index == plans.size()) {
            return WriteProgram.done(into);
        }
        return WriteProgram.insert(plans.get(index)).then(rows -> {
            into.addAll(rows);
            return insertAll(plans, index + 1, into);
        });
    }

    private static Object read(Model<?> model, Object entity, Attribute attribute) {
        if (!attribute.mapped()) {
            throw new QueryDefinitionException("create with include: " + model.name() + " has no property '"
                    + attribute.name() + "', so its stored value cannot be read for the association's foreign key");
        }
        return Objects.requireNonNull(model.valueOf(entity, attribute.property()),
                () -> model.name() + "." + attribute.name() + " is null after the insert");
    }

    /** hasOne / hasMany: the targets with the parents' keys and the association's scope. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T> WriteProgram<Boolean> owned(Model<T> model, List<T> entities, List<T> stored, Association a,
            Include<?, ?> inc, List<@Nullable Object>[] slotValues) {
        List<Object> children = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        List<Map<String, Object>> fixed = new ArrayList<>();
        Map<String, Object> scope = Scopes.writable(a.scope());
        for (int i = 0; i < entities.size(); i++) {
            Object key = read(model, stored.get(i), a.sourceKey());
            for (Object child : slotValues(a, entities.get(i))) {
                AssociationPlanner.requireInScope(a, child);
                Map<String, Object> values = new LinkedHashMap<>(scope);
                values.put(a.foreignKey().name(), key);
                children.add(child);
                owners.add(i);
                fixed.add(values);
            }
        }
        return targets(a, children, fixed, inc).then(created -> {
            slotValues[model.slot(a)] = distribute(entities.size(), owners, created, a.toMany());
            return WriteProgram.done(true);
        });
    }

    /** belongsToMany: the targets, then one INSERT of every junction row. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T> WriteProgram<Boolean> linked(Model<T> model, List<T> entities, List<T> stored, Association a,
            Include<?, ?> inc, List<@Nullable Object>[] slotValues) {
        List<Object> children = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        for (int i = 0; i < entities.size(); i++) {
            for (Object child : slotValues(a, entities.get(i))) {
                children.add(child);
                owners.add(i);
            }
        }
        List<Map<String, Object>> none = new ArrayList<>();
        children.forEach(c -> none.add(new LinkedHashMap<>(Scopes.writable(a.scope()))));
        return targets(a, children, none, inc).then(created -> {
            Model<?> target = a.target();
            int throughSlot = target.throughSlot(Objects.requireNonNull(a.through()));
            List<Object> withThrough = new ArrayList<>();
            for (int k = 0; k < created.size(); k++) {
                Object c = created.get(k);
                if (throughSlot >= 0) {
                    @Nullable Object[] values = new Object[target.propertyCount()];
                    for (int p = 0; p < values.length; p++) {
                        values[p] = target.valueOf(c, p);
                    }
                    values[throughSlot] = target.valueOf(children.get(k), throughSlot);
                    c = target.instantiate(values);
                }
                withThrough.add(c);
            }
            slotValues[model.slot(a)] = distribute(entities.size(), owners, withThrough, true);
            if (created.isEmpty()) {
                return WriteProgram.done(true);
            }
            return WriteProgram.execute(junctionRows(model, stored, a, owners, children, created))
                    .then(n -> WriteProgram.done(true));
        });
    }

    /** {@code INSERT INTO junction (fk, other, through values..., timestamps) VALUES (...), ...}: every new link. */
    private static SqlStatement junctionRows(Model<?> model, List<?> stored, Association<?, ?> a,
            List<Integer> owners, List<Object> given, List<?> created) {
        Model<?> j = Objects.requireNonNull(a.through());
        Attribute fk = a.foreignKey();
        Attribute other = Objects.requireNonNull(a.otherKey());
        List<Map<String, Object>> through = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        Map<String, Object> throughScope = Scopes.writable(a.throughScope());
        for (Object g : given) {
            Map<String, Object> values = new LinkedHashMap<>(throughValues(a, g));
            values.putAll(throughScope);
            through.add(values);
            names.addAll(values.keySet());
        }
        List<Attribute> extra = new ArrayList<>();
        names.forEach(name -> extra.add(j.requireAttribute(name)));
        List<Attribute> stamps = new ArrayList<>();
        for (Attribute attr : j.attributes()) {
            if (attr.timestamp() && !names.contains(attr.name())) {
                stamps.add(attr);
            }
        }
        List<String> columns = new ArrayList<>(List.of(fk.column(), other.column()));
        extra.forEach(x -> columns.add(x.column()));
        stamps.forEach(x -> columns.add(x.column()));
        List<List<Expr>> rows = new ArrayList<>();
        for (int k = 0; k < created.size(); k++) {
            List<Expr> row = new ArrayList<>();
            row.add(Exprs.value(fk, read(model, stored.get(owners.get(k)), a.sourceKey())));
            row.add(Exprs.value(other, read(a.target(), created.get(k), a.targetKey())));
            for (Attribute x : extra) {
                row.add(Exprs.written(x, through.get(k).get(x.name())));
            }
            stamps.forEach(x -> row.add(Exprs.now()));
            rows.add(row);
        }
        return Renderer.render(new Statement.Insert(j.tableName(), columns, rows, null, null, List.of()));
    }

    private static List<@Nullable Object> distribute(int n, List<Integer> owners, List<?> created, boolean many) {
        List<@Nullable Object> slot = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            slot.add(many ? new ArrayList<>() : null);
        }
        for (int k = 0; k < created.size(); k++) {
            int owner = owners.get(k);
            if (many) {
                @SuppressWarnings("unchecked")
                List<Object> list = (List<Object>) Objects.requireNonNull(slot.get(owner));
                list.add(created.get(k));
            } else {
                slot.set(owner, created.get(k));
            }
        }
        if (many) {
            for (int i = 0; i < n; i++) {
                slot.set(i, List.copyOf((List<?>) Objects.requireNonNull(slot.get(i))));
            }
        }
        return slot;
    }
}
