package io.relata.reactor;

/**
 * What happens to the targets a hasOne or hasMany write unlinks ({@code set} replacing them, {@code remove}).
 * Writes are always confined to the targets the association sees (its foreign key and its scope).
 */
public enum Unlink {
    /**
     * Sequelize's default: the target's foreign key is set to NULL; when the foreign key is NOT NULL the
     * target is deleted instead (it cannot exist unlinked).
     */
    DEFAULT,
    /**
     * The unlinked targets are deleted even when their foreign key is nullable (Sequelize's
     * {@code destroyPrevious: true} on {@code set}, {@code destroy: true} on {@code remove}).
     */
    DESTROY
}
