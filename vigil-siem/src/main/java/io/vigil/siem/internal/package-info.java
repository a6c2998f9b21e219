/** The mappers behind {@link io.vigil.siem.SiemFormat}: one class per schema. */
package io.vigil.siem.internal;
