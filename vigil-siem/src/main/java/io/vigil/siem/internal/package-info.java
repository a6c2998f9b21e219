/** The mappers behind {@link io.vigil.siem.EventFormat}: one class per schema. */
package io.vigil.siem.internal;
