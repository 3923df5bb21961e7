package io.relata.reactor;

/**
 * Turns the errors a {@link Database}'s publishers signal into the exceptions its callers expect. The
 * default keeps Relata's own ({@link io.relata.StatementException} with SQL text and SQLSTATE,
 * {@link io.relata.QueryDefinitionException}); the Spring integration maps them to Spring's
 * {@code DataAccessException} hierarchy. Applied once where an operation's publisher ends, so a
 * translator must return errors it already produced unchanged (translation may meet them again when
 * operations nest). Must not throw.
 */
@FunctionalInterface
public interface ErrorTranslator {

    /**
     * @param error what an operation signalled
     * @return what its subscriber receives: the error itself, or another exception (usually with it as cause)
     */
    Throwable translate(Throwable error);

    /** @return the translator that passes every error on unchanged */
    static ErrorTranslator none() {
        return error -> error;
    }
}
