/** Detection in a Spring application: the {@code vigil.detect.*} properties read as a detection configuration. */
package io.vigil.spring.internal.detect;
