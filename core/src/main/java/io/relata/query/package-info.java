/**
 * Immutable query trees: {@link io.relata.query.Query}, {@link io.relata.query.Where},
 * {@link io.relata.query.Order} and {@link io.relata.query.Include}.
 */
@NullMarked
package io.relata.query;

import org.jspecify.annotations.NullMarked;
