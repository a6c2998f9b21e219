/**
 * Category helpers: one small class per event family ({@link io.vigil.helper.AuthEvents},
 * {@link io.vigil.helper.AuthzEvents}, …) that records catalogue events through an {@link io.vigil.EventRecorder},
 * and {@link io.vigil.helper.CatalogMappings}, the one place where the legacy action names and the OWASP logging
 * vocabulary are mapped to catalogue types.
 *
 * <p>Every helper method records at once and returns the receipt's future; {@code with(customizer)} gives a helper
 * that also sets extra fields (target, reason, details, …) on each event it records.
 */
package io.vigil.helper;
