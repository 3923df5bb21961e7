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
}
