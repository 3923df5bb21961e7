package io.relata;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An association from a source model to a target model. Only the source knows it (Sequelize's
 * rule): define pairs on both sides. Names and keys are resolved by {@link SchemaBuilder#build()};
 * reading them earlier throws {@link IllegalStateException}.
 *
 * @param <S> the source entity
 * @param <T> the target entity
 */
public sealed interface Association<S, T> permits HasOne, BelongsTo, HasMany, BelongsToMany {

    /** The four kinds. */
    enum Kind {
        /** 1:1, foreign key on the target */
        HAS_ONE,
        /** 1:1 or N:1, foreign key on the source */
        BELONGS_TO,
        /** 1:N, foreign key on the target */
        HAS_MANY,
        /** M:N through a junction */
        BELONGS_TO_MANY
    }

    /** @return the kind */
    Kind kind();

    /** @return the model that knows the association */
    Model<S> source();

    /** @return the associated model */
    Model<T> target();

    /** @return the alias: singular for to-one, plural for to-many (the name used by includes and slots) */
    String as();

    /** @return whether the alias was given with {@code as(...)} (then includes must name it, Sequelize's rule) */
    boolean aliased();

    /** @return the singular form of the alias (mixin names such as {@code addBar}) */
    String singular();

    /** @return the plural form of the alias (mixin names such as {@code addBars}) */
    String plural();

    /** @return true for hasMany and belongsToMany */
    default boolean toMany() {
        return kind() == Kind.HAS_MANY || kind() == Kind.BELONGS_TO_MANY;
    }

    /**
     * The key columns, one per part of the referenced key, in the referenced key's order (one each for a
     * single-column key). {@code foreignKeys().get(i)} meets {@code sourceKeys().get(i)} (hasOne, hasMany,
     * belongsToMany) or {@code targetKeys().get(i)} (belongsTo); {@code otherKeys().get(i)} meets
     * {@code targetKeys().get(i)} (belongsToMany).
     *
     * @return the foreign key columns (see {@link #foreignKey()} for where they are)
     */
    List<Attribute> foreignKeys();

    /** @return the source columns the foreign key side joins on (see {@link #sourceKey()}), one per key part */
    List<Attribute> sourceKeys();

    /** @return the target columns joined on (see {@link #targetKey()}), one per key part */
    List<Attribute> targetKeys();

    /** @return the junction columns referencing the target (belongsToMany), one per key part; else empty */
    List<Attribute> otherKeys();

    /** @return whether the key the association joins on has several columns */
    default boolean composite() {
        return foreignKeys().size() > 1;
    }

    /**
     * @return the foreign key attribute: on the target (hasOne, hasMany), on the source (belongsTo), or
     *     the junction's column referencing the source (belongsToMany)
     * @throws UnsupportedOperationException when the key is composite (use {@link #foreignKeys()})
     */
    Attribute foreignKey();

    /**
     * @return the source attribute the foreign key side joins on (the source key, or belongsTo's FK)
     * @throws UnsupportedOperationException when the key is composite (use {@link #sourceKeys()})
     */
    Attribute sourceKey();

    /**
     * @return the target attribute joined on (belongsTo/belongsToMany's target key, or hasOne/hasMany's FK)
     * @throws UnsupportedOperationException when the key is composite (use {@link #targetKeys()})
     */
    Attribute targetKey();

    /** @return the junction model (belongsToMany), else null */
    @Nullable Model<?> through();

    /**
     * @return the junction column referencing the target (belongsToMany), else null
     * @throws UnsupportedOperationException when the key is composite (use {@link #otherKeys()})
     */
    @Nullable Attribute otherKey();

    /** @return fixed target attribute values (attribute name to value) */
    Map<String, Object> scope();

    /** @return fixed junction attribute values (belongsToMany) */
    Map<String, Object> throughScope();
}
