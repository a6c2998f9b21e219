package io.vigil.spring.security;

import io.vigil.spring.TenantResolver;
import io.vigil.spring.web.RecordedEvents;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.access.annotation.Secured;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.authentication.AccountStatusException;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.authentication.password.CompromisedPasswordChecker;
import org.springframework.security.authentication.password.CompromisedPasswordDecision;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.switchuser.SwitchUserFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small application secured the way applications are: form login with sessions, logout and user switching for
 * browsers; HTTP Basic and JWT bearer tokens for {@code /api/**}; web rules, {@code @PreAuthorize} and
 * {@code @Secured}. Its audit log keeps what it records in memory ({@link RecordedEvents}).
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@EnableMethodSecurity(securedEnabled = true)
@Import({SecurityTestApp.Api.class, SecurityTestApp.Pages.class, SecurityTestApp.Reports.class,
        RecordedEvents.Beans.class})
public class SecurityTestApp {
    static final KeyPair JWT_KEYS = rsa();
    /** The dispatches each request (by its X-Request-Id) went through. */
    static final Map<String, List<DispatcherType>> DISPATCHES = new ConcurrentHashMap<>();

    private static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Bean
    TenantResolver tenantResolver() {
        return request -> {
            String org = request.getHeader("X-Org");
            if ("boom".equals(org)) {
                throw new IllegalStateException("the tenant directory is down");
            }
            return Optional.ofNullable(org).map(o -> "org-" + o);
        };
    }

    @Bean
    UserDetailsService users() {
        return new InMemoryUserDetailsManager(
                User.withUsername("alice").password("{noop}alice-password").roles("USER").build(),
                User.withUsername("bob").password("{noop}bob-password").roles("USER").build(),
                User.withUsername("admin").password("{noop}admin-password").roles("USER", "ADMIN").build(),
                User.withUsername("locked").password("{noop}locked-password").roles("USER").accountLocked(true).build(),
                User.withUsername("disabled").password("{noop}disabled-password").roles("USER").disabled(true).build(),
                User.withUsername("pwned").password("{noop}pwned-password").roles("USER").build(),
                User.withUsername("expired").password("{noop}expired-password").roles("USER").accountExpired(true)
                        .build());
    }

    @Bean
    JwtDecoder jwtDecoder() {
        return NimbusJwtDecoder.withPublicKey((RSAPublicKey) JWT_KEYS.getPublic()).build();
    }

    @Bean
    @Order(1)
    SecurityFilterChain api(HttpSecurity http) throws Exception {
        BasicAuthenticationEntryPoint entryPoint = new BasicAuthenticationEntryPoint();
        entryPoint.setRealmName("test");
        return http.securityMatcher("/api/**")
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/api/admin/**").hasRole("ADMIN")
                        .anyRequest().authenticated())
                .httpBasic(b -> b.authenticationEntryPoint(entryPoint))
                .oauth2ResourceServer(r -> r.jwt(j -> { }).authenticationEntryPoint(entryPoint))
                .exceptionHandling(e -> e.authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler(new AccessDeniedHandlerImpl()))
                .authenticationProvider(new OddUsers())
                .csrf(c -> c.disable())
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain browser(HttpSecurity http, UserDetailsService users, ApplicationEventPublisher events)
            throws Exception {
        SwitchUserFilter switchUser = new SwitchUserFilter();
        switchUser.setApplicationEventPublisher(events); // not a bean: it publishes nothing without this
        switchUser.setUserDetailsService(users);
        switchUser.setSwitchUserUrl("/impersonate");
        switchUser.setExitUserUrl("/impersonate/exit");
        switchUser.setTargetUrl("/home");
        switchUser.afterPropertiesSet();
        return http
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/public/**").permitAll()
                        .requestMatchers("/impersonate").hasRole("ADMIN")
                        .anyRequest().authenticated())
                .formLogin(f -> f.permitAll())
                .logout(l -> l.permitAll())
                .authenticationProvider(new OddUsers())
                .addFilterAfter(switchUser, AuthorizationFilter.class)
                .build();
    }

    /** Sees every dispatch of every request first, to show which dispatches a request went through. */
    @Bean
    FilterRegistrationBean<Filter> dispatchWitness(RecordedEvents recorded) {
        Filter served = recorded.witness();
        FilterRegistrationBean<Filter> r = new FilterRegistrationBean<>((req, res, chain) -> {
            String id = ((HttpServletRequest) req).getHeader("X-Request-Id");
            if (id != null) {
                DISPATCHES.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(req.getDispatcherType());
            }
            served.doFilter(req, res, chain);
        });
        r.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
        r.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return r;
    }

    /** Passwords found in breach corpora: here, one. */
    @Bean
    CompromisedPasswordChecker compromisedPasswords() {
        return password -> new CompromisedPasswordDecision("pwned-password".equals(password));
    }

    /** The application's own publisher, which publishes only successes and bad credentials. */
    @Bean
    @ConditionalOnBooleanProperty(name = "test.own-publisher")
    OwnPublisher ownPublisher() {
        return new OwnPublisher();
    }

    /** A user that fails in a way Spring Security has no failure event for. */
    static final class OddUsers implements AuthenticationProvider {
        @Override
        public Authentication authenticate(Authentication authentication) {
            return switch (authentication.getName()) {
                case "weird" -> throw new OutOfHoursException("logins are closed at this hour");
                default -> null;
            };
        }

        @Override
        public boolean supports(Class<?> authentication) {
            return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
        }
    }

    /** An application's own authentication exception (about the account, so no other provider is asked). */
    static final class OutOfHoursException extends AccountStatusException {
        OutOfHoursException(String message) {
            super(message);
        }
    }

    /** A publisher that maps bad credentials only, as an application's own might. */
    static final class OwnPublisher implements AuthenticationEventPublisher, ApplicationEventPublisherAware {
        final AtomicInteger failures = new AtomicInteger();
        private ApplicationEventPublisher events;

        @Override
        public void setApplicationEventPublisher(ApplicationEventPublisher events) {
            this.events = events;
        }

        @Override
        public void publishAuthenticationSuccess(Authentication authentication) {
            events.publishEvent(new AuthenticationSuccessEvent(authentication));
        }

        @Override
        public void publishAuthenticationFailure(AuthenticationException exception, Authentication authentication) {
            failures.incrementAndGet();
            if (exception instanceof BadCredentialsException) {
                events.publishEvent(new AuthenticationFailureBadCredentialsEvent(authentication, exception));
            }
        }
    }

    @RestController
    static class Api {
        private final Reports reports;

        Api(Reports reports) {
            this.reports = reports;
        }

        @GetMapping("/api/me")
        String me(Authentication authentication) {
            return authentication.getName();
        }

        @GetMapping("/api/admin/ping")
        String ping() {
            return "pong";
        }

        @GetMapping("/api/admin/async")
        Callable<String> async() {
            return () -> "later";
        }

        @GetMapping("/api/method/secret")
        String secret() {
            return reports.secret();
        }

        @GetMapping("/api/secured")
        String secured() {
            return reports.secured();
        }

        @GetMapping("/api/reports/{owner}")
        String report(@PathVariable String owner) {
            return reports.read(owner);
        }
    }

    @RestController
    static class Pages {
        @GetMapping("/home")
        String home(Authentication authentication) {
            return "home of " + authentication.getName();
        }

        @GetMapping("/public/hello")
        String hello() {
            return "hello";
        }

        @GetMapping("/session/invalidate")
        String invalidate(HttpServletRequest request) {
            request.getSession().invalidate();
            return "invalidated";
        }

        @GetMapping("/session/expire-soon")
        String expireSoon(HttpServletRequest request) {
            request.getSession().setMaxInactiveInterval(1);
            return "expires in a second";
        }
    }

    @Service
    static class Reports {
        @PreAuthorize("hasRole('ADMIN')")
        public String secret() {
            return "secret";
        }

        @Secured("ROLE_ADMIN")
        public String secured() {
            return "secured";
        }

        @PreAuthorize("hasRole('ADMIN') or #owner == authentication.name")
        public String read(String owner) {
            return "report of " + owner;
        }
    }
}
