/**
 * Spring integration without Boot: {@link io.relata.spring.SpringTransactions} (Relata's transactions are
 * Spring's reactive transactions), {@link io.relata.spring.RelataExceptionTranslator} (Relata's errors as
 * {@code DataAccessException}), {@link io.relata.spring.RelataSpring} (both wired into a {@code Database}).
 */
@NullMarked
package io.relata.spring;

import org.jspecify.annotations.NullMarked;
