package io.vigil.example.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Starts the gateway. Nothing here calls Vigil: logins, denials, sessions, tokens and the Authorization Server are
 * audited by the starter, the app's own sensitive operations by {@code @Audited}, and two flows by plain SLF4J calls
 * carrying the {@code AUDIT} marker.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GatewayApplication {

    public static void main(String[] args) {
        SpringApplication.run(GatewayApplication.class, args);
    }
}
