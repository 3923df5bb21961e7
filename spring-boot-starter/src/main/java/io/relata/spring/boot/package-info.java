/**
 * Spring Boot auto-configuration of Relata ({@link io.relata.spring.boot.RelataAutoConfiguration}) and its
 * {@code relata.*} properties.
 */
@NullMarked
package io.relata.spring.boot;

import org.jspecify.annotations.NullMarked;
