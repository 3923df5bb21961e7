package io.relata.reactor;

/**
 * The transaction a {@link Database#transaction} function runs in. Operations of the database
 * subscribed inside the function's publisher join it automatically; this handle is for readability
 * and for calling the database from code that only has the handle.
 */
public final class Transaction {
    private final Database database;

    Transaction(Database database) {
        this.database = database;
    }

    /** @return the database whose operations join this transaction */
    public Database database() {
        return database;
    }

    /** How a {@link Database#transaction(Propagation, java.util.function.Function) transaction} relates to a surrounding one. */
    public enum Propagation {
        /**
         * Join the surrounding transaction (Relata's or, with the Spring integration, Spring's); begin one
         * when there is none. A joined scope never commits or rolls back: its error reaches whoever began
         * the transaction, who rolls it back.
         */
        REQUIRED,
        /**
         * Inside a transaction, a SAVEPOINT: an error (or a cancel) rolls back to it and the surrounding
         * transaction goes on if the error is handled; completing releases it. Outside one, like
         * {@link #REQUIRED}.
         */
        NESTED
    }
}
