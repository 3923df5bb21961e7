/**
 * Runnable scenarios from the Sequelize association guide (seed 004), one small program per
 * class; {@link io.relata.examples.Examples} runs them all. No library code.
 */
@NullMarked
package io.relata.examples;

import org.jspecify.annotations.NullMarked;
