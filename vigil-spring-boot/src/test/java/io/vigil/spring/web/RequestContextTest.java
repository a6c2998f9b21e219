package io.vigil.spring.web;

import io.vigil.AuditContext;
import io.vigil.AuditLog;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.Target;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request context over real HTTP: request ids kept, replaced and echoed; W3C trace ids; the client address
 * through trusted proxies only; the tenant header; the session's keyed hash (also when the request creates the
 * session); the MDC set for the request and cleared after it.
 */
@SpringBootTest(classes = RequestContextTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "vigil.web.trusted-proxies=127.0.0.1, 10.0.0.0/8, 2001:db8::/32",
                "vigil.web.tenant-header=X-Tenant",
                "vigil.ledger.dir=${java.io.tmpdir}/vigil-sec-web-unused"})
class RequestContextTest {
    static final Map<String, List<String>> OUTER_MDC = new ConcurrentHashMap<>();
    static final String UUID_V7 = "[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

    @LocalServerPort
    int port;
    @Autowired
    RecordedEvents recorded;

    /**
     * What the outermost filter saw of the MDC for a request. It stores that after the response was sent, so the
     * client can be faster than it: wait for it.
     */
    private static List<String> outerMdc(String requestId) {
        return Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> OUTER_MDC.get(requestId), Objects::nonNull);
    }

    private Browser browser() {
        return new Browser(port);
    }

    private Map<String, String> context(Browser.Sent sent) {
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : sent.body().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && eq < line.length() - 1) {
                m.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return m;
    }

    @Test
    void aValidRequestIdIsKeptEchoedAndInTheMdcAndOnEvents() {
        String id = "abc-123._:XYZ";
        Browser.Sent sent = browser().send(browser().request("/context").GET(), id);
        Map<String, String> c = context(sent);
        assertThat(sent.header("X-Request-Id")).contains(id);
        assertThat(c).containsEntry("requestId", id).containsEntry("mdcRequestId", id);
        List<AuditEvent> events = recorded.forRequest(id);
        assertThat(events).hasSize(1);
        assertThat(events.get(0).actor().flatMap(a -> a.ip())).contains("127.0.0.1");
        assertThat(events.get(0).actor().flatMap(a -> a.userAgent())).isPresent();
        // The MDC was empty when the request reached the first filter and is empty again after it.
        assertThat(outerMdc(id)).containsExactly("entry:null", "exit:null");
    }

    @Test
    void anInvalidOrMissingRequestIdIsReplacedByANewOneWhichIsEchoed() {
        List<String> invalid = List.of("a".repeat(129), "has space", "slash/es", "semi;colon", "quote\"d",
                "\u00e9t\u00e9", "");
        List<String> issued = new ArrayList<>();
        for (String bad : invalid) {
            Browser.Sent sent = browser().sendAsIs(browser().request("/context").GET().header("X-Request-Id", bad), bad);
            Map<String, String> c = context(sent);
            String echoed = sent.header("X-Request-Id").orElseThrow();
            assertThat(echoed).isNotEqualTo(bad).isEqualTo(c.get("requestId")).isEqualTo(c.get("mdcRequestId"));
            assertThat(echoed).matches(UUID_V7);
            issued.add(echoed);
        }
        Browser.Sent none = browser().sendAsIs(browser().request("/context").GET(), "none");
        String echoed = none.header("X-Request-Id").orElseThrow();
        assertThat(echoed).matches(UUID_V7).isEqualTo(context(none).get("requestId"));
        issued.add(echoed);
        assertThat(issued).doesNotHaveDuplicates();
        // 128 characters is the longest id kept
        String longest = "b".repeat(128);
        assertThat(context(browser().send(browser().request("/context").GET(), longest)))
                .containsEntry("requestId", longest);
    }

    @Test
    void aValidTraceparentGivesTheTraceIdAndAnInvalidOneNothing() {
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        Map<String, String> c = context(browser().send(browser().request("/context").GET()
                .header("traceparent", "00-" + trace + "-00f067aa0ba902b7-01")));
        assertThat(c).containsEntry("traceId", trace).containsEntry("mdcTraceId", trace);
        List<String> invalid = List.of(
                "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", // uppercase
                "01-" + trace + "-00f067aa0ba902b7-01",                     // another version
                "00-00000000000000000000000000000000-00f067aa0ba902b7-01", // zero trace id
                "00-" + trace + "-0000000000000000-01",                     // zero parent id
                "00-" + trace + "-00f067aa0ba902b7",                        // no flags
                "00-" + trace + "-00f067aa0ba902b7-01-extra",               // too long
                "00-" + trace.substring(1) + "g-00f067aa0ba902b7-01",       // not hex
                "garbage");
        for (String header : invalid) {
            Map<String, String> bad = context(browser().send(browser().request("/context").GET()
                    .header("traceparent", header)));
            assertThat(bad).as(header).doesNotContainKey("traceId").doesNotContainKey("mdcTraceId");
        }
    }

    @Test
    void withoutATraceparentTheTraceIdOfATracingLibraryIsUsedAndLeftInPlace() {
        String trace = "0af7651916cd43dd8448eb211c80319c";
        Browser.Sent sent = browser().send(browser().request("/context").GET().header("X-Test-Tracing", trace));
        assertThat(context(sent)).containsEntry("traceId", trace);
        assertThat(outerMdc(sent.requestId())).contains("traceId:" + trace);
        Browser.Sent bad = browser().send(browser().request("/context").GET().header("X-Test-Tracing", "not-a-trace"));
        assertThat(context(bad)).doesNotContainKey("traceId");
        // a traceparent header wins
        String header = "4bf92f3577b34da6a3ce929d0e0e4736";
        assertThat(context(browser().send(browser().request("/context").GET().header("X-Test-Tracing", trace)
                .header("traceparent", "00-" + header + "-00f067aa0ba902b7-01")))).containsEntry("traceId", header);
    }

    @Test
    void forwardedAddressesAreBelievedOnlyFromTrustedProxiesWalkingFromTheNearestHop() {
        assertThat(clientIp("X-Forwarded-For", "203.0.113.9")).isEqualTo("203.0.113.9");
        // 10.1.2.3 is a trusted proxy, skipped; the client is the first untrusted address from the right
        assertThat(clientIp("X-Forwarded-For", "203.0.113.9, 10.1.2.3")).isEqualTo("203.0.113.9");
        // a spoofed leftmost entry is ignored: 198.51.100.7 is not trusted, so nothing left of it is believed
        assertThat(clientIp("X-Forwarded-For", "6.6.6.6, 198.51.100.7, 10.0.0.1")).isEqualTo("198.51.100.7");
        assertThat(clientIp("X-Forwarded-For", "203.0.113.9:5555")).isEqualTo("203.0.113.9");
        assertThat(clientIp("X-Forwarded-For", "[2001:db9::1]:443")).isEqualTo("2001:db9::1");
        // all hops trusted: the leftmost
        assertThat(clientIp("X-Forwarded-For", "10.9.9.9, 10.0.0.1")).isEqualTo("10.9.9.9");
        // garbage stops the walk at the last trusted hop
        assertThat(clientIp("X-Forwarded-For", "203.0.113.9, not-an-ip, 10.0.0.1")).isEqualTo("10.0.0.1");
        // RFC 7239, quoted IPv6 with a port, and it wins over X-Forwarded-For
        assertThat(clientIp("Forwarded", "for=192.0.2.60;proto=http;by=203.0.113.43, for=\"[2001:db9:cafe::17]:4711\""))
                .isEqualTo("2001:db9:cafe::17");
        assertThat(clientIp("Forwarded", "for=\"[2001:db8::5]\", For=10.0.0.7")).isEqualTo("2001:db8::5");
        assertThat(clientIp("Forwarded", "for=unknown")).isEqualTo("127.0.0.1");
        assertThat(clientIp("Forwarded", "for=\"192.0.2.43:47011\"")).isEqualTo("192.0.2.43");
        Map<String, String> both = context(browser().send(browser().request("/context").GET()
                .header("Forwarded", "for=192.0.2.1").header("X-Forwarded-For", "192.0.2.2")));
        assertThat(both).containsEntry("clientIp", "192.0.2.1");
        // no header: the peer
        assertThat(context(browser().get("/context"))).containsEntry("clientIp", "127.0.0.1");
    }

    @Test
    void forwardedHeadersFromAnUntrustedPeerAreIgnored() throws Exception {
        // 127.0.0.2 is a loopback address too, but not in vigil.web.trusted-proxies
        String response = raw(InetAddress.getByName("127.0.0.2"), "GET /context HTTP/1.1\r\nHost: x\r\n"
                + "X-Request-Id: untrusted-peer\r\nX-Forwarded-For: 203.0.113.9\r\nForwarded: for=203.0.113.10\r\n"
                + "Connection: close\r\n\r\n");
        assertThat(response).contains("clientIp=127.0.0.2").doesNotContain("203.0.113");
        AuditEvent e = recorded.forRequest("untrusted-peer").get(0);
        assertThat(e.actor().flatMap(a -> a.ip())).contains("127.0.0.2");
    }

    @Test
    void theTenantComesFromTheConfiguredHeaderWhenItIsAValidName() {
        assertThat(context(browser().send(browser().request("/context").GET().header("X-Tenant", "acme-eu.1"))))
                .containsEntry("tenant", "acme-eu.1");
        assertThat(context(browser().send(browser().request("/context").GET().header("X-Tenant", "a b"))))
                .doesNotContainKey("tenant");
        Browser.Sent sent = browser().send(browser().request("/context").GET().header("X-Tenant", "globex"));
        assertThat(recorded.forRequest(sent.requestId()).get(0).tenant()).contains("globex");
    }

    @Test
    void theSessionIsAKeyedHashAlsoWhenTheRequestCreatesItAndNeverTheRawId() {
        Browser b = browser();
        Browser.Sent created = b.get("/session");
        String raw = b.sessionId().orElseThrow();
        String hash = RecordedEvents.HASHER.hash(raw);
        // created during the request: the context changed with it, so the event recorded after carries it
        assertThat(context(created)).containsEntry("sessionId", hash);
        AuditEvent read = recorded.forRequest(created.requestId(), "data.read").get(0);
        assertThat(read.sessionId()).contains(hash);
        assertThat(recorded.forRequest(created.requestId(), "session.started")).singleElement()
                .satisfies(e -> assertThat(e.sessionId()).contains(hash));
        // a later request of the session has it from the start
        assertThat(context(b.get("/context"))).containsEntry("sessionId", hash);
        assertThat(recorded.json()).doesNotContain(raw);
    }

    private String clientIp(String header, String value) {
        Map<String, String> c = context(browser().send(browser().request("/context").GET().header(header, value)));
        return c.get("clientIp");
    }

    private String raw(InetAddress local, String request) throws Exception {
        try (Socket s = new Socket()) {
            if (local != null) {
                s.bind(new InetSocketAddress(local, 0));
            }
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(10_000);
            Writer w = new OutputStreamWriter(s.getOutputStream(), StandardCharsets.ISO_8859_1);
            w.write(request);
            w.flush();
            StringBuilder sb = new StringBuilder();
            BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            for (String line; (line = r.readLine()) != null; ) {
                sb.append(line).append('\n');
            }
            return sb.toString();
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
    @Import({ContextController.class, RecordedEvents.Beans.class})
    static class App {
        @Bean
        SecurityFilterChain open(HttpSecurity http) throws Exception {
            return http.authorizeHttpRequests(a -> a.anyRequest().permitAll()).csrf(c -> c.disable()).build();
        }

        /** Sees the MDC from outside every other filter, on the way in and on the way out. */
        @Bean
        FilterRegistrationBean<Filter> mdcWitness(RecordedEvents recorded) {
            Filter served = recorded.witness();
            FilterRegistrationBean<Filter> r = new FilterRegistrationBean<>((req, res, chain) -> {
                String id = ((HttpServletRequest) req).getHeader("X-Request-Id");
                List<String> seen = new ArrayList<>();
                seen.add("entry:" + MDC.get("requestId"));
                // stands in for a tracing library's filter, which puts the current trace id in the MDC
                String tracing = ((HttpServletRequest) req).getHeader("X-Test-Tracing");
                if (tracing != null) {
                    MDC.put("traceId", tracing);
                }
                try {
                    served.doFilter(req, res, chain);
                } finally {
                    seen.add("exit:" + MDC.get("requestId"));
                    if (tracing != null) {
                        seen.add("traceId:" + MDC.get("traceId"));
                        MDC.remove("traceId");
                    }
                    if (id != null) {
                        OUTER_MDC.put(id, seen);
                    }
                }
            });
            r.setOrder(Ordered.HIGHEST_PRECEDENCE);
            return r;
        }
    }

    @RestController
    static class ContextController {
        private final AuditLog log;

        ContextController(AuditLog log) {
            this.log = log;
        }

        @GetMapping("/context")
        String context() {
            log.record(AuditEvent.builder(EventCatalog.DATA_READ).target(Target.of("context", "current")));
            AuditContext c = AuditContext.current();
            StringBuilder sb = new StringBuilder();
            line(sb, "requestId", c.requestId());
            line(sb, "traceId", c.traceId());
            line(sb, "clientIp", c.clientIp());
            line(sb, "userAgent", c.userAgent());
            line(sb, "tenant", c.tenant());
            line(sb, "sessionId", c.sessionId());
            line(sb, "mdcRequestId", Optional.ofNullable(MDC.get("requestId")));
            line(sb, "mdcTraceId", Optional.ofNullable(MDC.get("traceId")));
            return sb.toString();
        }

        @GetMapping("/session")
        String session(HttpServletRequest request) {
            request.getSession(true);
            return context();
        }

        private static void line(StringBuilder sb, String key, Optional<String> value) {
            value.ifPresent(v -> sb.append(key).append('=').append(v).append('\n'));
        }
    }
}
