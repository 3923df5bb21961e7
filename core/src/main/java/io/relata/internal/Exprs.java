package io.relata.internal;

import io.relata.Attribute;
import io.relata.DataType;
import io.relata.internal.sql.Expr;
import io.relata.internal.sql.Expr.Column;
import io.relata.internal.sql.Expr.Param;
import io.relata.internal.sql.Statement.SelectItem;
import io.relata.sql.Bind;
import java.util.Collection;
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
        if (value == null && attribute.timestamp()) {
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
