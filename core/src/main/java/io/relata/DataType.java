package io.relata;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A PostgreSQL column type: its kind (what Relata decides on: casts, sequences, key comparison), its DDL
 * spelling, and the Java type values of it are read as.
 *
 * @param kind     the type's kind; {@link Kind#OTHER} for a type Relata has no rules for
 * @param sql      the type as written in DDL, e.g. {@code VARCHAR(255)}
 * @param javaType the Java type the driver decodes the column to
 */
public record DataType(Kind kind, String sql, Class<?> javaType) {

    public DataType {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(javaType, "javaType");
    }

    /**
     * A type Relata has no rules for (e.g. {@code CITEXT}), exchanged as the given Java type.
     *
     * @param sql the type as written in DDL
     * @param javaType the Java type the driver decodes it to
     */
    public DataType(String sql, Class<?> javaType) {
        this(Kind.OTHER, sql, javaType);
    }

    /** The kinds of types Relata knows. */
    public enum Kind {
        /** {@code VARCHAR(n)} */ VARCHAR,
        /** {@code TEXT} */ TEXT,
        /** {@code SMALLINT} */ SMALLINT,
        /** {@code INTEGER} */ INTEGER,
        /** {@code BIGINT} */ BIGINT,
        /** {@code REAL} */ REAL,
        /** {@code DOUBLE PRECISION} */ DOUBLE,
        /** {@code NUMERIC} */ NUMERIC,
        /** {@code UUID} */ UUID,
        /** {@code BOOLEAN} */ BOOLEAN,
        /** {@code DATE} */ DATE,
        /** {@code TIME} */ TIME,
        /** {@code TIMESTAMP} */ TIMESTAMP,
        /** {@code TIMESTAMP WITH TIME ZONE} */ TIMESTAMPTZ,
        /** {@code JSONB}, exchanged as its JSON text */ JSONB,
        /** {@code BYTEA} */ BYTEA,
        /** a type given by its DDL spelling */ OTHER;

        /** @return whether the kind is a whole-number type (SMALLINT, INTEGER, BIGINT) */
        public boolean integral() {
            return this == SMALLINT || this == INTEGER || this == BIGINT;
        }
    }

    /** @return {@code VARCHAR(255)} */
    public static DataType string() {
        return string(255);
    }

    /** @param length maximum length @return {@code VARCHAR(length)} */
    public static DataType string(int length) {
        if (length <= 0) {
            throw new IllegalArgumentException("string length must be positive, was " + length);
        }
        return new DataType(Kind.VARCHAR, "VARCHAR(" + length + ")", String.class);
    }

    /** @return {@code TEXT} */
    public static DataType text() {
        return new DataType(Kind.TEXT, "TEXT", String.class);
    }

    /** @return {@code SMALLINT} */
    public static DataType smallint() {
        return new DataType(Kind.SMALLINT, "SMALLINT", Short.class);
    }

    /** @return {@code INTEGER} */
    public static DataType integer() {
        return new DataType(Kind.INTEGER, "INTEGER", Integer.class);
    }

    /** @return {@code BIGINT} */
    public static DataType bigint() {
        return new DataType(Kind.BIGINT, "BIGINT", Long.class);
    }

    /** @return {@code REAL} */
    public static DataType real() {
        return new DataType(Kind.REAL, "REAL", Float.class);
    }

    /** @return {@code DOUBLE PRECISION} */
    public static DataType doublePrecision() {
        return new DataType(Kind.DOUBLE, "DOUBLE PRECISION", Double.class);
    }

    /** @return {@code NUMERIC} */
    public static DataType numeric() {
        return new DataType(Kind.NUMERIC, "NUMERIC", BigDecimal.class);
    }

    /** @param precision total digits @param scale digits after the point @return {@code NUMERIC(p,s)} */
    public static DataType numeric(int precision, int scale) {
        return new DataType(Kind.NUMERIC, "NUMERIC(" + precision + "," + scale + ")", BigDecimal.class);
    }

    /** @return {@code UUID} */
    public static DataType uuid() {
        return new DataType(Kind.UUID, "UUID", UUID.class);
    }

    /** @return {@code BOOLEAN} */
    public static DataType bool() {
        return new DataType(Kind.BOOLEAN, "BOOLEAN", Boolean.class);
    }

    /** @return {@code DATE} */
    public static DataType date() {
        return new DataType(Kind.DATE, "DATE", LocalDate.class);
    }

    /** @return {@code TIME} */
    public static DataType time() {
        return new DataType(Kind.TIME, "TIME", LocalTime.class);
    }

    /** @return {@code TIMESTAMP} (without time zone) */
    public static DataType timestamp() {
        return new DataType(Kind.TIMESTAMP, "TIMESTAMP", LocalDateTime.class);
    }

    /** @return {@code TIMESTAMP WITH TIME ZONE} */
    public static DataType timestamptz() {
        return new DataType(Kind.TIMESTAMPTZ, "TIMESTAMP WITH TIME ZONE", OffsetDateTime.class);
    }

    /** @return {@code JSONB}, read and written as its JSON text */
    public static DataType jsonb() {
        return new DataType(Kind.JSONB, "JSONB", String.class);
    }

    /** @return {@code BYTEA} */
    public static DataType bytea() {
        return new DataType(Kind.BYTEA, "BYTEA", byte[].class);
    }

    private static final Map<Class<?>, DataType> INFERRED = Map.ofEntries(
            Map.entry(Long.class, bigint()), Map.entry(long.class, bigint()),
            Map.entry(Integer.class, integer()), Map.entry(int.class, integer()),
            Map.entry(Short.class, smallint()), Map.entry(short.class, smallint()),
            Map.entry(Double.class, doublePrecision()), Map.entry(double.class, doublePrecision()),
            Map.entry(Float.class, real()), Map.entry(float.class, real()),
            Map.entry(Boolean.class, bool()), Map.entry(boolean.class, bool()),
            Map.entry(String.class, string()),
            Map.entry(UUID.class, uuid()),
            Map.entry(BigDecimal.class, numeric()),
            Map.entry(LocalDate.class, date()),
            Map.entry(LocalTime.class, time()),
            Map.entry(LocalDateTime.class, timestamp()),
            Map.entry(Instant.class, new DataType(Kind.TIMESTAMPTZ, "TIMESTAMP WITH TIME ZONE", Instant.class)),
            Map.entry(OffsetDateTime.class, timestamptz()),
            Map.entry(byte[].class, bytea()));

    /**
     * The type Relata infers for a Java property type.
     *
     * @param javaType the property's type
     * @return the inferred type, or null when the type is not a scalar Relata knows
     */
    public static @Nullable DataType infer(Class<?> javaType) {
        Objects.requireNonNull(javaType, "javaType");
        if (javaType.isEnum()) {
            return string();
        }
        return INFERRED.get(javaType);
    }
}
