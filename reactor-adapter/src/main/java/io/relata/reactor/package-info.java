/**
 * Relata's runtime on Project Reactor and R2DBC: {@link io.relata.reactor.Database} executes the
 * plans core builds over pooled connections, streams entity graphs, runs transactions carried in
 * the Reactor Context, and exposes association operations.
 */
@NullMarked
package io.relata.reactor;

import org.jspecify.annotations.NullMarked;
