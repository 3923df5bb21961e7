/**
 * A Spring WebFlux application on {@code relata-spring-boot-starter}: the seeds' social platform served over
 * HTTP ({@link io.relata.examples.social.SocialApp}), and a self-driving tour of it
 * ({@link io.relata.examples.social.SocialDemo}).
 */
@NullMarked
package io.relata.examples.social;

import org.jspecify.annotations.NullMarked;
