package io.vigil.example.gateway.security;

import io.vigil.detect.AccountLocker;
import io.vigil.example.gateway.GatewayProperties;
import io.vigil.example.gateway.domain.ApiTokens;
import io.vigil.example.gateway.domain.UserDirectory;
import io.vigil.spring.TokenAudit;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.savedrequest.NullRequestCache;

/**
 * The gateway's two own filter chains (the Authorization Server's comes first, see
 * {@link AuthorizationServerConfiguration}):
 * <ul>
 *   <li>{@code /api/**}: HTTP Basic, a bearer token or the browser session; no CSRF protection (no form posts
 *       here); admins only under {@code /api/admin/**}; a password reset may be asked for by anyone;</li>
 *   <li>everything else: form login and logout with CSRF protection, HTTP Basic for scripts, the actuator's health
 *       open to all and its other endpoints to admins.</li>
 * </ul>
 * Method security ({@code @PreAuthorize}) guards reports and token revocation.
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
public class SecurityConfiguration {

    @Bean
    PasswordEncoder passwordEncoder(GatewayProperties properties) {
        return new BCryptPasswordEncoder(properties.bcryptStrength());
    }

    @Bean
    UserDirectory userDirectory(PasswordEncoder encoder) {
        return UserDirectory.withDemoUsers(encoder);
    }

    /**
     * Vigil's detectors call this on every brute force finding (vigil.detect.enabled in application.yml); the account
     * is locked, and Vigil records auth.account.locked. A guessed name that is no account locks nothing.
     */
    @Bean
    AccountLocker accountLocker(UserDirectory users) {
        return (tenant, account, finding) -> users.lock(account);
    }

    @Bean
    OpaqueTokenIntrospector bearerTokenIntrospector(ApiTokens apiTokens, UserDirectory users,
                                                    OAuth2AuthorizationService authorizations,
                                                    ObjectProvider<TokenAudit> tokenAudit) {
        return new BearerTokenIntrospector(apiTokens, users, authorizations, tokenAudit);
    }

    @Bean
    @Order(2)
    SecurityFilterChain apiSecurityFilterChain(HttpSecurity http, OpaqueTokenIntrospector introspector) {
        http.securityMatcher("/api/**")
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(HttpMethod.POST, "/api/password-reset").permitAll()
                        .requestMatchers("/api/admin/**").hasRole("ADMIN")
                        .anyRequest().authenticated())
                .httpBasic(basic -> basic.realmName("gateway"))
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .opaqueToken(opaque -> opaque.introspector(introspector)))
                .csrf(AbstractHttpConfigurer::disable)
                // an API client is not sent to a login page and back, so a refused request starts no session
                .requestCache(cache -> cache.requestCache(new NullRequestCache()))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(apiChallenge()));
        return http.build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain webSecurityFilterChain(HttpSecurity http) {
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/error").permitAll()
                        .requestMatchers("/actuator/**").hasRole("ADMIN")
                        .anyRequest().authenticated())
                .formLogin(form -> form.permitAll())
                .httpBasic(basic -> basic.realmName("gateway"))
                .logout(Customizer.withDefaults())
                // scripts call the actuator with Basic; its only write operation (verification) changes nothing
                .csrf(csrf -> csrf.ignoringRequestMatchers("/actuator/**"));
        return http.build();
    }

    /** 401 naming both schemes the API takes; no redirect to a login page for API clients. */
    private static AuthenticationEntryPoint apiChallenge() {
        return (request, response, e) -> {
            response.setHeader("WWW-Authenticate", "Basic realm=\"gateway\", Bearer");
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        };
    }
}
