/**
 * Canonical JSON: RFC 8785 (JCS) canonicalization, the reusable byte buffer sinks write into, and the strict codec
 * for audit events in the "Event model v1" JSON contract.
 */
package io.vigil.json;
