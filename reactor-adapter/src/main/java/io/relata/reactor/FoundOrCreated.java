package io.relata.reactor;

import java.util.Objects;

/**
 * What {@link Database#findOrCreate} found or created (Sequelize's {@code [instance, created]}).
 *
 * @param entity the row as stored
 * @param created whether this call inserted it
 * @param <T> the entity
 */
public record FoundOrCreated<T>(T entity, boolean created) {
    public FoundOrCreated {
        Objects.requireNonNull(entity, "entity");
    }
}
