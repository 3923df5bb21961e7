package io.relata.internal;

import io.relata.Attribute;
import io.relata.Model;
import io.relata.QueryDefinitionException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Association scopes ({@code scope}, {@code throughScope}): fixed attribute values that filter every
 * read and write of an association, and that writes set. A value is one value ({@code = $n}, written
 * by creates and links) or a list of values ({@code = ANY($n)}, a filter only: nothing is written).
 */
public final class Scopes {
    private Scopes() {
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
