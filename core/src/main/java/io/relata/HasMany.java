package io.relata;

/**
 * 1:N, foreign key on the target: {@code Team.hasMany(Player)} puts {@code TeamId} on players.
 *
 * @param <S> the source entity
 * @param <T> the target entity
 */
public final class HasMany<S, T> extends AssociationBase<S, T> implements Association<S, T> {

    HasMany(Model<S> source, Model<T> target, AssociationOptions options) {
        super(source, target, options);
    }

    @Override
    public Kind kind() {
        return Kind.HAS_MANY;
    }
}
