package io.vigil.spring.security;

import io.vigil.event.ActorType;
import io.vigil.event.AuditEvent;
import io.vigil.json.EventJson;
import io.vigil.spring.web.Browser;
import io.vigil.spring.web.RecordedEvents;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Authorization Server's tokens, over real HTTP: issued (client credentials, authorization code with PKCE),
 * refreshed with rotation, revoked, a reused code and a rotated refresh token presented again, a bad client secret.
 * The application only declares its authorization service as a bean; Vigil decorates it.
 */
@SpringBootTest(classes = AuthorizationServerTest.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"vigil.security.stateless-success=true", "vigil.ledger.dir=${java.io.tmpdir}/vigil-sec-unused"})
class AuthorizationServerTest {
    static final String CLIENT = "gateway-client";
    static final String SECRET = "gateway-secret-4711";
    static final String REDIRECT = "http://127.0.0.1:9/callback";
    private static final Pattern FIELD = Pattern.compile("\"(access_token|refresh_token)\"\\s*:\\s*\"([^\"]+)\"");

    @LocalServerPort
    int port;
    @Autowired
    RecordedEvents recorded;
    @Autowired
    OAuth2AuthorizationService authorizations;
    @Autowired
    RegisteredClientRepository clients;

    private static String hash(String s) {
        return RecordedEvents.HASHER.hash(s);
    }

    private Browser.Sent token(Map<String, String> form, String secret) {
        Browser b = new Browser(port);
        String body = form.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        return b.send(b.request("/oauth2/token").header("Authorization", Browser.basic(CLIENT, secret))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private Browser.Sent revoke(String token) {
        Browser b = new Browser(port);
        return b.send(b.request("/oauth2/revoke").header("Authorization", Browser.basic(CLIENT, SECRET))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + enc(token))));
    }

    private static Map<String, String> tokens(Browser.Sent sent) {
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = FIELD.matcher(sent.body());
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }

    private AuditEvent only(Browser.Sent sent, String type) {
        List<AuditEvent> events = recorded.forRequest(sent.requestId(), type);
        assertThat(events).as("%s among %s", type, recorded.forRequest(sent.requestId()).stream()
                .map(EventJson::toCanonicalString).toList()).hasSize(1);
        AuditEvent e = events.get(0);
        assertThat(e.actor().flatMap(a -> a.ip())).contains("127.0.0.1");
        return e;
    }

    private String registeredId() {
        return clients.findByClientId(CLIENT).getId();
    }

    @Test
    void clientCredentialsIssueATokenThatIsThenRevoked() {
        Browser.Sent issued = token(Map.of("grant_type", "client_credentials", "scope", "api"), SECRET);
        String access = tokens(issued).get("access_token");
        AuditEvent created = only(issued, "auth.token.created");
        assertThat(created.actor().get().type()).isEqualTo(ActorType.API);
        assertThat(created.actor().get().id()).contains(CLIENT);
        assertThat(created.target().get().type()).isEqualTo("oauth2_authorization");
        assertThat(created.details()).containsEntry("clientId", CLIENT)
                .containsEntry("registeredClientId", registeredId())
                .containsEntry("grantType", "client_credentials")
                .containsEntry("scopes", List.of("api"))
                .containsEntry("tokenType", "access_token")
                .containsEntry("tokenHash", hash(access))
                .containsKey("expiresAt");
        // the client's and the grant's authentications are not stateless logins
        assertThat(recorded.forRequest(issued.requestId())).extracting(AuditEvent::type)
                .containsExactly("auth.token.created");

        Browser.Sent revoked = revoke(access);
        assertThat(revoked.status()).isEqualTo(200);
        AuditEvent r = only(revoked, "auth.token.revoked");
        assertThat(r.details()).containsEntry("tokenHash", hash(access)).containsEntry("tokenType", "access_token");
        assertThat(r.reason()).contains("revoked");
        assertThat(r.target()).isEqualTo(created.target());
        assertThat(recorded.json()).doesNotContain(access).doesNotContain(SECRET);
    }

    @Test
    void aBadClientSecretIsAFailedLoginOfTheClient() {
        Browser.Sent refused = token(Map.of("grant_type", "client_credentials"), "not-the-secret-99");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.body()).contains("invalid_client");
        AuditEvent failure = only(refused, "auth.login.failure");
        assertThat(failure.actor().get().type()).isEqualTo(ActorType.API);
        assertThat(failure.actor().get().id()).contains(CLIENT);
        assertThat(failure.reason()).contains("invalid_client");
        assertThat(failure.details()).containsEntry("method", "client");
        assertThat(recorded.json()).doesNotContain("not-the-secret-99");
    }

    @Test
    void theCodeFlowIssuesRefreshesAndCatchesAReusedCodeAndARotatedRefreshToken() throws Exception {
        Browser browser = new Browser(port);
        assertThat(browser.login("alice", "alice-password").status()).isEqualTo(302);
        String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(
                (UUID.randomUUID() + "-" + UUID.randomUUID()).getBytes(StandardCharsets.US_ASCII));
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        Browser.Sent authorize = browser.get("/oauth2/authorize?response_type=code&client_id=" + CLIENT
                + "&redirect_uri=" + enc(REDIRECT) + "&scope=api&state=s1&code_challenge=" + challenge
                + "&code_challenge_method=S256");
        assertThat(authorize.status()).as(authorize.body()).isEqualTo(302);
        String location = authorize.header("Location").orElseThrow();
        assertThat(location).startsWith(REDIRECT);
        String code = query(location).get("code");

        Map<String, String> exchange = Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", REDIRECT, "code_verifier", verifier);
        Browser.Sent issued = token(exchange, SECRET);
        Map<String, String> first = tokens(issued);
        AuditEvent created = only(issued, "auth.token.created");
        assertThat(created.details()).containsEntry("grantType", "authorization_code")
                .containsEntry("principal", "alice")
                .containsEntry("tokenHash", hash(first.get("access_token")))
                .containsEntry("refreshTokenHash", hash(first.get("refresh_token")));

        Browser.Sent refreshed = token(Map.of("grant_type", "refresh_token",
                "refresh_token", first.get("refresh_token")), SECRET);
        Map<String, String> second = tokens(refreshed);
        assertThat(second.get("refresh_token")).isNotEqualTo(first.get("refresh_token"));
        AuditEvent refresh = only(refreshed, "auth.token.refreshed");
        assertThat(refresh.details()).containsEntry("grantType", "refresh_token")
                .containsEntry("tokenHash", hash(second.get("access_token")))
                .containsEntry("previousTokenHash", hash(first.get("access_token")))
                .containsEntry("refreshTokenHash", hash(second.get("refresh_token")));
        assertThat(refresh.target()).isEqualTo(created.target());

        // The first refresh token was rotated away; presented again, it is a reuse, not merely unknown.
        Browser.Sent stale = token(Map.of("grant_type", "refresh_token",
                "refresh_token", first.get("refresh_token")), SECRET);
        assertThat(stale.status()).isEqualTo(400);
        assertThat(stale.body()).contains("invalid_grant");
        AuditEvent staleReuse = only(stale, "auth.token.reused");
        assertThat(staleReuse.details()).containsEntry("tokenHash", hash(first.get("refresh_token")))
                .containsEntry("tokenType", "refresh_token");
        assertThat(recorded.forRequest(stale.requestId(), "auth.token.refresh_failed")).isEmpty();

        // A refresh token nobody issued is a refused refresh.
        Browser.Sent unknown = token(Map.of("grant_type", "refresh_token", "refresh_token", "made-up-77"), SECRET);
        assertThat(unknown.status()).isEqualTo(400);
        AuditEvent failed = only(unknown, "auth.token.refresh_failed");
        assertThat(failed.reason()).contains("invalid_grant");
        assertThat(failed.actor().get().id()).contains(CLIENT);
        assertThat(failed.details()).containsEntry("tokenHash", hash("made-up-77"));

        // The code again: the server refuses it and revokes what it issued.
        Browser.Sent again = token(exchange, SECRET);
        assertThat(again.status()).isEqualTo(400);
        AuditEvent reused = only(again, "auth.token.reused");
        assertThat(reused.details()).containsEntry("tokenType", "authorization_code")
                .containsEntry("tokenHash", hash(code)).containsEntry("clientId", CLIENT);
        List<AuditEvent> revoked = recorded.forRequest(again.requestId(), "auth.token.revoked");
        assertThat(revoked).extracting(e -> e.details().get("tokenHash")).containsExactlyInAnyOrder(
                hash(second.get("access_token")), hash(second.get("refresh_token")));
        assertThat(revoked).allSatisfy(e -> assertThat(e.reason()).contains("spent_token_reused"));
        assertThat(recorded.forRequest(again.requestId(), "auth.token.rejected")).isEmpty();
        List<AuditEvent> order = recorded.forRequest(again.requestId());
        assertThat(order.get(0).type()).isEqualTo("auth.token.reused");

        String all = recorded.json();
        for (String secret : List.of(code, verifier, first.get("access_token"), first.get("refresh_token"),
                second.get("access_token"), second.get("refresh_token"), SECRET, "alice-password")) {
            assertThat(all).doesNotContain(secret);
        }
    }

    @Test
    void theAuthorizationServiceBeanIsTheDecoratedOneAndStillStores() {
        assertThat(authorizations.getClass().getName()).endsWith("AuditingAuthorizationService");
        Browser.Sent issued = token(Map.of("grant_type", "client_credentials"), SECRET);
        String access = tokens(issued).get("access_token");
        assertThat(authorizations.findByToken(access, null)).isNotNull();
    }

    private static Map<String, String> query(String url) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
    @Import(RecordedEvents.Beans.class)
    static class App {
        @Bean
        FilterRegistrationBean<Filter> served(RecordedEvents recorded) {
            FilterRegistrationBean<Filter> r = new FilterRegistrationBean<>(recorded.witness());
            r.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
            r.setOrder(Ordered.HIGHEST_PRECEDENCE);
            return r;
        }

        @Bean
        @Order(1)
        SecurityFilterChain authorizationServer(HttpSecurity http) throws Exception {
            return http.oauth2AuthorizationServer(as -> http.securityMatcher(as.getEndpointsMatcher()))
                    .authorizeHttpRequests(a -> a.anyRequest().authenticated())
                    .exceptionHandling(e -> e.defaultAuthenticationEntryPointFor(
                            new LoginUrlAuthenticationEntryPoint("/login"),
                            new MediaTypeRequestMatcher(MediaType.TEXT_HTML)))
                    .build();
        }

        @Bean
        @Order(2)
        SecurityFilterChain pages(HttpSecurity http) throws Exception {
            return http.authorizeHttpRequests(a -> a.anyRequest().authenticated())
                    .formLogin(f -> f.permitAll())
                    .build();
        }

        @Bean
        UserDetailsService users() {
            return new InMemoryUserDetailsManager(
                    User.withUsername("alice").password("{noop}alice-password").roles("USER").build());
        }

        @Bean
        RegisteredClientRepository clients() {
            return new InMemoryRegisteredClientRepository(RegisteredClient.withId(UUID.randomUUID().toString())
                    .clientId(CLIENT)
                    .clientSecret("{noop}" + SECRET)
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                    .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                    .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                    .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
                    .redirectUri(REDIRECT)
                    .scope("api")
                    .clientSettings(ClientSettings.builder().requireAuthorizationConsent(false)
                            .requireProofKey(true).build())
                    .tokenSettings(TokenSettings.builder().accessTokenFormat(OAuth2TokenFormat.REFERENCE)
                            .reuseRefreshTokens(false).build())
                    .build());
        }

        @Bean
        OAuth2AuthorizationService authorizationService() {
            return new InMemoryOAuth2AuthorizationService();
        }

        @Bean
        AuthorizationServerSettings authorizationServerSettings() {
            return AuthorizationServerSettings.builder().build();
        }
    }
}
