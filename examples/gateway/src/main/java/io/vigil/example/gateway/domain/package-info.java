/** What the gateway serves: reports, users, settings, passwords, searches and API tokens, and who may touch them. */
package io.vigil.example.gateway.domain;
