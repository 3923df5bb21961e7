package io.relata;

/** What PostgreSQL does to referencing rows on {@code ON DELETE} / {@code ON UPDATE}. */
public enum ReferentialAction {
    /** {@code RESTRICT} */
    RESTRICT("RESTRICT"),
    /** {@code CASCADE} */
    CASCADE("CASCADE"),
    /** {@code NO ACTION} */
    NO_ACTION("NO ACTION"),
    /** {@code SET DEFAULT} */
    SET_DEFAULT("SET DEFAULT"),
    /** {@code SET NULL} */
    SET_NULL("SET NULL");

    private final String sql;

    ReferentialAction(String sql) {
        this.sql = sql;
    }

    /** @return the SQL keywords */
    public String sql() {
        return sql;
    }
}
