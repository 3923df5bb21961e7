/**
 * Relata's metadata API: {@link io.relata.Schema}, {@link io.relata.Model}, data types, naming and
 * the four association kinds ({@link io.relata.HasOne}, {@link io.relata.BelongsTo},
 * {@link io.relata.HasMany}, {@link io.relata.BelongsToMany}).
 */
@NullMarked
package io.relata;

import org.jspecify.annotations.NullMarked;
