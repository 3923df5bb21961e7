package io.relata.internal;

import io.relata.Attribute;
import io.relata.DataType;
import io.relata.internal.sql.Condition;
import io.relata.internal.sql.Expr;
import io.relata.internal.sql.Expr.Column;
import io.relata.internal.sql.Expr.Param;
import io.relata.internal.sql.Statement.SelectItem;
import io.relata.sql.Bind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The expressions planners build from metadata: column references, values converted to their column's
 * wire type once, key arrays, and the casts a column's type needs on the way in and out.
 */
final class Exprs {
    private Exprs() {
    }

    /** @param alias a table alias, or null @param attribute a column @return {@code "alias"."column"} */
    static Column col(@Nullable String alias, Attribute attribute) {
        return new Column(alias, attribute.column());
    }

    /** @param attribute the column a value meets @param value a user or entity value @return its bind */
    static Param value(Attribute attribute, @Nullable Object value) {
        return Param.of(Values.toWire(attribute, value), Values.bindType(attribute));
    }

    /**
     * @param column the column the values meet
     * @param values keys or values; converted, de-duplicated by value
     * @param slot a slot name to re-bind the array later, or null
     * @return the array bind ({@link Keys#array}), cast where the column's type needs it
     */
    static Expr array(Attribute column, Collection<?> values, @Nullable String slot) {
        Bind bind = Keys.array(column, values, false);
        Expr param = new Param(bind.value(), bind.type(), slot);
        return Keys.castsArray(column) ? new Expr.Cast(param, column.type(), true) : param;
    }

    /**
     * The slot name of part {@code i} of a key whose arrays are re-bound later: the slot itself for part 0
     * (a single-column key keeps its one slot), {@code slot + i} for the others.
     */
    static String slot(String slot, int part) {
        return part == 0 ? slot : slot + part;
    }

    /**
     * @param columns the key columns the keys meet (one, or several for a composite key)
     * @param keys key values ({@link Keys#parts}); converted, de-duplicated by value as whole keys
     * @param slot a slot name to re-bind the arrays later ({@link #slot}), or null
     * @return one array bind per column, aligned ({@link Keys#tuples}), cast where a column's type needs it
     */
    static List<Expr> arrays(List<Attribute> columns, Collection<?> keys, @Nullable String slot) {
        List<List<Object>> tuples = Keys.tuples(columns, keys, false);
        List<Expr> out = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            Attribute column = columns.get(i);
            Bind bind = Keys.bind(column, tuples.get(i));
            Expr param = new Param(bind.value(), bind.type(), slot == null ? null : slot(slot, i));
            out.add(Keys.castsArray(column) ? new Expr.Cast(param, column.type(), true) : param);
        }
        return out;
    }

    /**
     * A key among a set of keys: {@code "k" = ANY($n)} for a single-column key, {@code ("a", "b") IN (SELECT *
     * FROM unnest($n, $m))} for a composite one (negated: {@code <> ALL}, {@code NOT IN}).
     *
     * @param columns the key columns compared; the keys are converted to their types
     * @param keys key values ({@link Keys#parts})
     * @param slot a slot name to re-bind the arrays later, or null
     * @param negated whether the key must be none of them
     * @return the condition
     */
    static Condition keyIn(List<Conditions.Col> columns, Collection<?> keys, @Nullable String slot, boolean negated) {
        List<Expr> arrays = arrays(columns.stream().map(Conditions.Col::attribute).toList(), keys, slot);
        if (columns.size() == 1) {
            return new Condition.AnyOf(col(columns.get(0).alias(), columns.get(0).attribute()), arrays.get(0), negated);
        }
        return new Condition.InUnnest(columns.stream().map(c -> (Expr) col(c.alias(), c.attribute())).toList(), arrays,
                negated);
    }

    /** @param alias an alias, or null @param columns key columns @return them as qualified columns */
    static List<Conditions.Col> cols(@Nullable String alias, List<Attribute> columns) {
        return columns.stream().map(c -> new Conditions.Col(alias, c)).toList();
    }

    /**
     * A selected column. JSONB is read as its text: in binary transfer the driver would otherwise hand a
     * String the jsonb version byte.
     */
    static Expr read(@Nullable String alias, Attribute attribute) {
        Column c = col(alias, attribute);
        return attribute.type().kind() == DataType.Kind.JSONB ? new Expr.Cast(c, DataType.text(), false) : c;
    }

    /** @param alias a table alias, or null @param attribute a column @param as its alias @return the select item */
    static SelectItem item(@Nullable String alias, Attribute attribute, @Nullable String as) {
        return new SelectItem(read(alias, attribute), as);
    }

    /**
     * A value written by an INSERT or UPDATE: {@code now()} for a timestamp left null, {@code DEFAULT} for a
     * generated column left null, else a bind (cast to JSONB for a JSONB column).
     */
    static Expr written(Attribute attribute, @Nullable Object value) {
        if (value == null && attribute.role().stampedOnInsert()) {
            return Expr.Call.of(Expr.Function.NOW);
        }
        if (value == null && attribute.generated()) {
            return new Expr.Default();
        }
        Param p = value(attribute, value);
        return attribute.type().kind() == DataType.Kind.JSONB ? new Expr.Cast(p, DataType.jsonb(), false) : p;
    }

    /** @return {@code now()} */
    static Expr now() {
        return Expr.Call.of(Expr.Function.NOW);
    }
}
