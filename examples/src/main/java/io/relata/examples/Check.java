package io.relata.examples;

import java.util.Objects;

/**
 * The one helper the examples share: each scenario checks what it printed against what the
 * Sequelize guide (seed 004) says, so that {@code Examples} fails loudly (and exits non-zero) when
 * the library disagrees. Copying an example? Drop the {@code Check.expect(...)} lines.
 */
final class Check {
    private Check() {
    }

    /**
     * @param what what is being checked, for the message
     * @param actual what the example got
     * @param expected what the guide says
     * @throws IllegalStateException when they differ
     */
    static void expect(String what, Object actual, Object expected) {
        if (!Objects.equals(actual, expected)) {
            throw new IllegalStateException(what + ": expected " + expected + " but was " + actual);
        }
    }
}
