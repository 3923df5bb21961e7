package io.relata.internal;

import io.relata.Attribute;
import io.relata.Model;
import io.relata.QueryDefinitionException;
import io.relata.internal.sql.Condition;
import io.relata.internal.sql.Condition.Op;
import io.relata.query.Where;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Turns query filters and association scopes into condition trees. */
final class Conditions {
    private Conditions() {
    }

    /** A column a path resolved to: its table alias (or null for an unqualified column) and its attribute. */
    record Col(@Nullable String alias, Attribute attribute) {
    }

    /**
     * @param where a filter
     * @param paths resolves an attribute path to a column (and rejects what is not valid there)
     * @return the condition, values bound as the columns they meet
     */
    static Condition of(Where where, Function<String, Col> paths) {
        if (where instanceof Where.Compare c) {
            Col col = paths.apply(c.path());
            Values.requireStorable(col.attribute(), c.value(), () -> whereValue(c.path()));
            return new Condition.Compare(Exprs.col(col.alias(), col.attribute()), op(c.op()),
                    Exprs.value(col.attribute(), c.value()));
        }
        if (where instanceof Where.In in) {
            Col col = paths.apply(in.path());
            for (Object v : in.values()) {
                Values.requireStorable(col.attribute(), v, () -> whereValue(in.path()));
            }
            return new Condition.AnyOf(Exprs.col(col.alias(), col.attribute()),
                    Exprs.array(col.attribute(), in.values(), null), in.negated());
        }
        if (where instanceof Where.IsNull n) {
            Col col = paths.apply(n.path());
            return new Condition.IsNull(Exprs.col(col.alias(), col.attribute()), n.negated());
        }
        if (where instanceof Where.Between b) {
            Col col = paths.apply(b.path());
            Values.requireStorable(col.attribute(), b.low(), () -> whereValue(b.path()));
            Values.requireStorable(col.attribute(), b.high(), () -> whereValue(b.path()));
            return new Condition.Between(Exprs.col(col.alias(), col.attribute()), Exprs.value(col.attribute(), b.low()),
                    Exprs.value(col.attribute(), b.high()));
        }
        if (where instanceof Where.And and) {
            return new Condition.And(all(and.conditions(), paths), true);
        }
        if (where instanceof Where.Or or) {
            return new Condition.Or(all(or.conditions(), paths));
        }
        if (where instanceof Where.Not not) {
            return new Condition.Not(of(not.condition(), paths));
        }
        throw new QueryDefinitionException("unsupported filter " + where);
    }

    private static String whereValue(String path) {
        return "the where value for '" + path + "'";
    }

    private static List<Condition> all(List<Where> parts, Function<String, Col> paths) {
        List<Condition> out = new ArrayList<>(parts.size());
        for (Where w : parts) {
            out.add(of(w, paths));
        }
        return out;
    }

    private static Op op(Where.Op op) {
        return switch (op) {
            case EQ -> Op.EQ;
            case NE -> Op.NE;
            case GT -> Op.GT;
            case GTE -> Op.GTE;
            case LT -> Op.LT;
            case LTE -> Op.LTE;
            case LIKE -> Op.LIKE;
            case ILIKE -> Op.ILIKE;
        };
    }

    /**
     * A scope as conditions: {@code col = $n} for a value, {@code col = ANY($n)} for a list of values.
     *
     * @param alias the table alias or name qualifying the columns, or null for unqualified columns
     * @param model the model that has the scope attributes
     * @param scope attribute name to value (or list of values)
     * @param out receives the conditions, in the scope's order
     */
    static void scope(@Nullable String alias, Model<?> model, Map<String, Object> scope, List<Condition> out) {
        for (Map.Entry<String, Object> e : scope.entrySet()) {
            Attribute attr = model.requireAttribute(e.getKey());
            if (e.getValue() instanceof List<?> values) {
                out.add(new Condition.AnyOf(Exprs.col(alias, attr), Exprs.array(attr, values, null), false));
            } else {
                out.add(new Condition.Compare(Exprs.col(alias, attr), Op.EQ, Exprs.value(attr, e.getValue())));
            }
        }
    }

    /** @param alias a table alias @param model the model @return paths of that model's own attributes only */
    static Function<String, Col> rootOnly(Model<?> model, @Nullable String alias) {
        return path -> {
            if (path.contains(".")) {
                throw new QueryDefinitionException("'" + path + "': only attributes of " + model.name()
                        + " can be used here; its attributes: "
                        + String.join(", ", model.attributes().stream().map(Attribute::name).toList()));
            }
            return new Col(alias, model.requireAttribute(path));
        };
    }

    /** @param parts conditions @return their flat conjunction, or null when there are none */
    static @Nullable Condition and(List<Condition> parts) {
        return parts.isEmpty() ? null : Condition.And.all(parts);
    }
}
