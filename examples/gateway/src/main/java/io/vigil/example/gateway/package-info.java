/** The reference gateway: a Spring Boot app whose security flows reach a Vigil ledger through the starter alone. */
package io.vigil.example.gateway;
