package io.vigil.spring.web;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A client with its own cookie jar, talking real HTTP to the test application on 127.0.0.1. Every request carries a
 * fresh {@code X-Request-Id} unless the test gives one, so a test finds exactly its events.
 */
public final class Browser {
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    private final int port;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient client;

    public Browser(int port) {
        this.port = port;
        this.client = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A new request id, unique to one request of one test. */
    public static String newRequestId() {
        return "t-" + UUID.randomUUID();
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20));
    }

    /** Sends the request with a fresh request id; returns the response and the id in {@link Sent}. */
    public Sent send(HttpRequest.Builder request) {
        String id = newRequestId();
        return send(request, id);
    }

    public Sent send(HttpRequest.Builder request, String requestId) {
        return sendAsIs(request.header("X-Request-Id", requestId), requestId);
    }

    /** Sends the request without adding a request id; {@code label} names it in {@link Sent}. */
    public Sent sendAsIs(HttpRequest.Builder request, String label) {
        try {
            HttpResponse<String> r = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Sent(label, r);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Sent get(String path) {
        return send(request(path).GET());
    }

    /** Posts a form, adding the CSRF token the login page offers. */
    public Sent postForm(String path, Map<String, String> fields) {
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.put("_csrf", csrfToken());
        String body = all.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Logs in through the form. */
    public Sent login(String user, String password) {
        return postForm("/login", Map.of("username", user, "password", password));
    }

    /** The CSRF token of the login page (one per session). */
    public String csrfToken() {
        Sent page = get("/login");
        Matcher m = CSRF.matcher(page.body());
        if (!m.find()) {
            throw new IllegalStateException("no CSRF token on the login page: " + page.body());
        }
        return m.group(1);
    }

    /** The raw session id the server gave this browser, if any. */
    public Optional<String> sessionId() {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("JSESSIONID"))
                .map(HttpCookie::getValue).findFirst();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A response and the request id it was sent with. */
    public record Sent(String requestId, HttpResponse<String> response) {
        public int status() {
            return response.statusCode();
        }

        public String body() {
            return response.body();
        }

        public Optional<String> header(String name) {
            return response.headers().firstValue(name);
        }
    }
}
