/** The mappers behind {@link io.vigil.sink.EventFormat}: one class per schema. */
package io.vigil.siem.internal;
