/** Vigil in Spring Boot Actuator: the health indicator, the meters, the {@code vigil} endpoint and {@code /actuator/auditevents} served from the ledger. */
package io.vigil.spring.internal.actuator;
