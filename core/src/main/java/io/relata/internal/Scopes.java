package io.relata.internal;

import io.relata.Attribute;
import io.relata.Model;
import io.relata.QueryDefinitionException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Association scopes ({@code scope}, {@code throughScope}): fixed attribute values that filter every
 * read and write of an association, and that writes set. A value is one value ({@code = $n}, written
 * by creates and links) or a list of values ({@code = ANY($n)}, a filter only: nothing is written).
 */
public final class Scopes {
    private Scopes() {
    }

    /**
     * Appends {@code AND col = $n} / {@code AND col = ANY($n)} for every scope attribute.
     *
     * @param w the writer
     * @param alias the table alias or name qualifying the columns, or null for unqualified columns
     * @param model the model that has the scope attributes
     * @param scope attribute name to value (or list of values)
     */
    static void conditions(SqlWriter w, @Nullable String alias, Model<?> model, Map<String, Object> scope) {
        for (Map.Entry<String, Object> e : scope.entrySet()) {
            Attribute attr = model.requireAttribute(e.getKey());
            w.sql(" AND ");
            if (alias != null) {
                w.column(alias, attr.column());
            } else {
                w.id(attr.column());
            }
            if (e.getValue() instanceof List<?> values) {
                w.sql(" = ANY(").array(attr, values).sql(")");
            } else {
                w.sql(" = ").bind(Values.toWire(attr, e.getValue()), Values.bindType(attr));
            }
        }
    }

    /**
     * @param scope a scope
     * @return its single-valued attributes: what a create or a link writes
     */
    public static Map<String, Object> writable(Map<String, Object> scope) {
        Map<String, Object> out = new LinkedHashMap<>();
        scope.forEach((k, v) -> {
            if (!(v instanceof List<?>)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /**
     * Checks that a row about to be written with these values is seen by the scope: a list-valued
     * scope attribute is not written, so the row must already carry one of its values.
     *
     * @param what the association, for the message
     * @param model the model written
     * @param scope the scope
     * @param values the row's values, attribute name to value
     * @throws QueryDefinitionException naming the attribute, the value and the allowed values
     */
    static void requireSeen(String what, Model<?> model, Map<String, Object> scope, Map<String, ?> values) {
        for (Map.Entry<String, Object> e : scope.entrySet()) {
            if (e.getValue() instanceof List<?> allowed) {
                Attribute attr = model.requireAttribute(e.getKey());
                Object v = values.get(e.getKey());
                Object wire = v == null ? null : Keys.canonical(Values.toWire(attr, v));
                boolean seen = false;
                for (Object a : allowed) {
                    seen |= wire != null && wire.equals(Keys.canonical(Values.toWire(attr, a)));
                }
                if (!seen) {
                    throw new QueryDefinitionException(what + ": its scope limits " + model.name() + "." + e.getKey()
                            + " to " + allowed + ", so a " + model.name() + " with " + e.getKey() + " = " + v
                            + " would not be seen by it; give the " + e.getKey() + " one of those values");
                }
            }
        }
    }
}
