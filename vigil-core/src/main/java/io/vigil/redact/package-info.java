/** What is hidden or cut before an event is written: secret-looking details, oversized fields, keyed pseudonyms. */
package io.vigil.redact;
