package io.relata;

/**
 * 1:1, foreign key on the target: {@code Captain.hasOne(Ship)} puts {@code captainId} on ships.
 *
 * @param <S> the source entity
 * @param <T> the target entity
 */
public final class HasOne<S, T> extends AssociationBase<S, T> implements Association<S, T> {

    HasOne(Model<S> source, Model<T> target, AssociationOptions options) {
        super(source, target, options);
    }

    @Override
    public Kind kind() {
        return Kind.HAS_ONE;
    }
}
