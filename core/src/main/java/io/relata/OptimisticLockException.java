package io.relata;

import org.jspecify.annotations.Nullable;

/**
 * A save (or destroy) of a versioned entity ({@link ModelBuilder#version(boolean)}) found the row at another
 * version than the entity carries: someone else changed it since it was read. Nothing was written; read the
 * entity again ({@code reload}) and retry the change.
 */
public class OptimisticLockException extends RelataException {
    private static final long serialVersionUID = 1L;

    private final String model;
    private final transient @Nullable Object key;
    private final transient @Nullable Object version;

    /**
     * @param model the model's name
     * @param key the entity's primary key
     * @param version the version the entity carried
     */
    public OptimisticLockException(String model, @Nullable Object key, @Nullable Object version) {
        super("stale " + model + " " + key + " at version " + version
                + ": the row was changed or deleted since it was read (reload it and retry)");
        this.model = model;
        this.key = key;
        this.version = version;
    }

    /** @return the model's name */
    public String model() {
        return model;
    }

    /** @return the entity's primary key */
    public @Nullable Object key() {
        return key;
    }

    /** @return the version the entity carried */
    public @Nullable Object version() {
        return version;
    }
}
