package io.relata;

import java.util.List;
import java.util.Objects;

/**
 * A foreign key over several columns ({@code FOREIGN KEY ("owner_age", "owner_weight") REFERENCES "owners"
 * ("age", "weight")}), created as one table constraint. Its columns carry no {@link Attribute#reference()}
 * of their own: a part alone references nothing unique.
 *
 * @param columns the columns of this table, in the order of the referenced key
 * @param table the referenced table
 * @param referencedColumns the referenced columns (its primary key or a unique key), in the same order
 * @param onDelete the {@code ON DELETE} action
 * @param onUpdate the {@code ON UPDATE} action
 */
public record CompositeReference(List<String> columns, String table, List<String> referencedColumns,
        ReferentialAction onDelete, ReferentialAction onUpdate) {

    public CompositeReference {
        columns = List.copyOf(Args.elements(columns, "columns"));
        Objects.requireNonNull(table, "table");
        referencedColumns = List.copyOf(Args.elements(referencedColumns, "referencedColumns"));
        Objects.requireNonNull(onDelete, "onDelete");
        Objects.requireNonNull(onUpdate, "onUpdate");
        if (columns.size() != referencedColumns.size() || columns.size() < 2) {
            throw new IllegalArgumentException("a composite reference pairs two or more columns: " + columns + " -> "
                    + referencedColumns);
        }
    }
}
