/** Spring Boot auto-configuration of Vigil: the log and its ledger from {@code vigil.*} properties, and the integrations. */
package io.vigil.spring.boot.autoconfigure;
