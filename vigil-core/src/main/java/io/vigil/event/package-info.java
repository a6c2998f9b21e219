/** The audit event model: the event record, its parts, and the catalogue of event types with stable names. */
package io.vigil.event;
