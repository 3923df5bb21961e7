package io.relata.internal;

import io.relata.Attribute;
import io.relata.Model;
import io.relata.QueryDefinitionException;
import io.relata.internal.sql.Condition;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Soft delete (Sequelize's {@code paranoid}): the one place that decides which rows of a paranoid model a
 * read sees. {@link #live} is the condition for one table reference ({@code "t1"."deletedAt" IS NULL}); every
 * read path takes it from here, through {@link IncludeTree.Node#live()} (the root and each include: JOIN ON,
 * join groups, EXISTS, SEPARATE follow-ups, lazy loads) and {@link IncludeTree.Node#junctionLive()} (the
 * junction of a belongsToMany), or directly for the association counts and writes.
 */
public final class SoftDeletes {
    private SoftDeletes() {
    }

    /**
     * @param model the model a table reference reads
     * @param alias the reference's alias, or null for an unqualified column (a single-table UPDATE)
     * @param paranoid whether the read leaves soft-deleted rows out ({@code paranoid(false)} turns it off)
     * @param out receives {@code alias."deletedAt" IS NULL} when the model is paranoid and {@code paranoid} holds
     */
    static void live(Model<?> model, @Nullable String alias, boolean paranoid, List<Condition> out) {
        Attribute deletedAt = model.deletedAt();
        if (paranoid && deletedAt != null) {
            out.add(new Condition.IsNull(Exprs.col(alias, deletedAt), false));
        }
    }

    /**
     * @param model a paranoid model
     * @param alias the alias, or null
     * @return {@code alias."deletedAt" IS NOT NULL}: the soft-deleted rows (what {@code restore} brings back)
     */
    static Condition deleted(Model<?> model, @Nullable String alias) {
        return new Condition.IsNull(Exprs.col(alias, deletedAt(model, "restore")), true);
    }

    /**
     * @param model a model
     * @param what the operation, for the message
     * @return its deletedAt attribute
     * @throws io.relata.QueryDefinitionException when the model is not paranoid
     */
    static Attribute deletedAt(Model<?> model, String what) {
        Attribute a = model.deletedAt();
        if (a == null) {
            throw new QueryDefinitionException(what + " of " + model.name() + ": the model is not paranoid"
                    + " (soft delete needs m.paranoid(true) in its definition)");
        }
        return a;
    }
}
