/** Turns Spring's {@code vigil.*} properties into the core's validated {@link io.vigil.config.VigilConfig}. */
package io.vigil.spring.internal.config;
