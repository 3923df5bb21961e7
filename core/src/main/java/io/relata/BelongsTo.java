package io.relata;

/**
 * 1:1 or N:1, foreign key on the source: {@code Ship.belongsTo(Captain)} puts {@code captainId} on ships.
 *
 * @param <S> the source entity
 * @param <T> the target entity
 */
public final class BelongsTo<S, T> extends AssociationBase<S, T> implements Association<S, T> {

    BelongsTo(Model<S> source, Model<T> target, AssociationOptions options) {
        super(source, target, options);
    }

    @Override
    public Kind kind() {
        return Kind.BELONGS_TO;
    }
}
