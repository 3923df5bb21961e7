package io.relata.sql;

/**
 * One follow-up statement of an {@link Assembly} or {@link LoadAssembly}: run it, push its rows into
 * {@link #accept}, then {@link #complete} attaches them to their parents (and schedules the follow-ups
 * nested below it). Single-use.
 */
public interface FollowUp {

    /** @return the statement, its key array bound with the parents' keys */
    SqlStatement statement();

    /** @param row a row of the statement */
    void accept(RowSource row);

    /** Attaches the rows read to the parents they belong to. */
    void complete();
}
