package io.relata;

/**
 * M:N through a junction: {@code Movie.belongsToMany(Actor, through ActorMovies)}.
 *
 * @param <S> the source entity
 * @param <T> the target entity
 */
public final class BelongsToMany<S, T> extends AssociationBase<S, T> implements Association<S, T> {

    BelongsToMany(Model<S> source, Model<T> target, AssociationOptions options) {
        super(source, target, options);
    }

    @Override
    public Kind kind() {
        return Kind.BELONGS_TO_MANY;
    }
}
