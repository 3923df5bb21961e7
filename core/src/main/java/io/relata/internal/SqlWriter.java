package io.relata.internal;

import io.relata.Attribute;
import io.relata.sql.Bind;
import io.relata.sql.SqlStatement;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Appends SQL text and collects bind values. The only place identifiers are quoted and the only
 * place literals (DDL defaults) are written; values of queries always become {@code $n} binds.
 */
public final class SqlWriter {
    private final StringBuilder sql = new StringBuilder(128);
    private final List<Bind> binds = new ArrayList<>();

    /** @param text raw SQL keywords/punctuation (never user values) @return this */
    public SqlWriter sql(String text) {
        sql.append(text);
        return this;
    }

    /** @param identifier a table, column or alias name @return this, with it double-quoted */
    public SqlWriter id(String identifier) {
        sql.append(quote(identifier));
        return this;
    }

    /** @param alias a table alias @param column a column @return this, with {@code "alias"."column"} */
    public SqlWriter column(String alias, String column) {
        return id(alias).sql(".").id(column);
    }

    /** @param value a bind value @param type its type (for nulls and arrays) @return this, with {@code $n} */
    public SqlWriter bind(@Nullable Object value, Class<?> type) {
        binds.add(new Bind(value, type));
        sql.append('$').append(binds.size());
        return this;
    }

    /**
     * An array of values compared with a column ({@code = ANY($n)}, {@code <> ALL($n)}) or written into it
     * ({@code unnest($n)}): distinct values converted to the column's wire type ({@link Keys#array}).
     *
     * @param column the column the values meet
     * @param values the values (keys, entity values); none gives the empty array
     * @return this, with {@code $n} (and the cast the column's type needs)
     * @throws io.relata.QueryDefinitionException when a value is null or does not fit the column
     */
    public SqlWriter array(Attribute column, Collection<?> values) {
        binds.add(Keys.array(column, values, false));
        sql.append('$').append(binds.size()).append(Keys.arrayCast(column));
        return this;
    }

    /** @param column the column the values meet @param values the values @return this, see {@link #array(Attribute, Collection)} */
    public SqlWriter array(Attribute column, Object[] values) {
        return array(column, Arrays.asList(values));
    }

    /** @param value a DDL literal: number, boolean or string @return this */
    public SqlWriter literal(Object value) {
        if (value instanceof Number n && !(value instanceof BigDecimal)) {
            sql.append(n);
        } else if (value instanceof BigDecimal d) {
            sql.append(d.toPlainString());
        } else if (value instanceof Boolean b) {
            sql.append(b ? "TRUE" : "FALSE");
        } else {
            String s = value instanceof Enum<?> e ? e.name() : value.toString();
            sql.append('\'').append(s.replace("'", "''")).append('\'');
        }
        return this;
    }

    /**
     * Appends another writer's text and binds, as a subquery of this one: its {@code $n} stay valid
     * because this writer has no bind yet.
     *
     * @param inner a complete inner statement
     * @return this
     * @throws IllegalStateException when this writer already has binds
     */
    public SqlWriter embed(SqlWriter inner) {
        if (!binds.isEmpty()) {
            throw new IllegalStateException("a subquery is embedded before any bind of the outer statement");
        }
        sql.append(inner.sql);
        binds.addAll(inner.binds);
        return this;
    }

    /** @return the number of binds so far */
    public int bindCount() {
        return binds.size();
    }

    /** @return the current length of the text */
    public int length() {
        return sql.length();
    }

    /** @return the statement */
    public SqlStatement build() {
        return new SqlStatement(sql.toString(), binds);
    }

    /** @param identifier a name @return it double-quoted with embedded quotes doubled */
    public static String quote(String identifier) {
        if (identifier.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("identifier contains a NUL character");
        }
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    public String toString() {
        return sql.toString();
    }
}
