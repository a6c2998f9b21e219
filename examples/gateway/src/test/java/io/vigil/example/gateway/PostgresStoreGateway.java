package io.vigil.example.gateway;

import io.vigil.example.gateway.support.PostgresStoreContext;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The gateway on a random port with the PostgreSQL ledger; every class carrying this shares one running gateway. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = GatewayTestBase.TEST_PROPERTIES)
@ContextConfiguration(initializers = PostgresStoreContext.class)
public @interface PostgresStoreGateway {
}
