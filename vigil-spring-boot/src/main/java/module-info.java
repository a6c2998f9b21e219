/**
 * Vigil's Spring Boot auto-configuration: properties, Spring Security events, tokens, the correlation filter,
 * {@code @Audited}, the actuator endpoint, metrics and health. Exported: the annotations and interfaces an application
 * uses ({@code io.vigil.spring}) and the auto-configuration classes with their properties. The module is open because
 * Spring creates and binds its beans reflectively; what an application may compile against is still only the exports.
 * The integrations an application may lack (PostgreSQL, Logback, Spring Security, the actuator, Web MVC, AOP) are
 * static requirements, used only when present.
 */
open module io.vigil.spring.boot {
    requires io.vigil.core;
    requires io.vigil.ledger;
    requires transitive spring.boot.autoconfigure;
    requires spring.boot;
    requires spring.beans;
    requires spring.context;
    requires spring.core;
    requires java.sql;
    requires org.slf4j;
    requires com.fasterxml.jackson.databind;

    requires static io.vigil.detect;
    requires static io.vigil.postgres;
    requires static io.vigil.logback;
    requires static ch.qos.logback.classic;
    requires static com.zaxxer.hikari;
    requires static jakarta.servlet;
    requires static micrometer.core;
    requires static spring.aop;
    requires static spring.expression;
    requires static spring.web;
    requires static spring.boot.actuator;
    requires static spring.boot.actuator.autoconfigure;
    requires static spring.boot.health;
    requires static spring.security.core;
    requires static spring.security.web;
    requires static spring.security.oauth2.core;
    requires static spring.security.oauth2.resource.server;
    requires static spring.security.oauth2.authorization.server;

    exports io.vigil.spring;
    exports io.vigil.spring.boot.autoconfigure;
}
