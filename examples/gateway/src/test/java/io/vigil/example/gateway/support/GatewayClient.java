package io.vigil.example.gateway.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client of the running gateway over real HTTP: its own cookie jar (one browser session), no redirects followed,
 * a fresh {@code X-Request-Id} on every request. Every credential it sends or receives is remembered in
 * {@link Secrets}.
 */
public final class GatewayClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CSRF_INPUT = Pattern.compile("<input[^>]*name=\"_csrf\"[^>]*>");
    private static final Pattern VALUE = Pattern.compile("value=\"([^\"]*)\"");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String base;
    private final CookieManager cookies = new CookieManager();
    private final HttpClient http;

    public GatewayClient(int port) {
        this.base = "http://127.0.0.1:" + port;
        this.http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    }

    /** A request to build; {@link Call#send()} sends it. */
    public Call call(String method, String path) {
        return new Call(method, path);
    }

    public Call get(String path) {
        return call("GET", path);
    }

    public Call post(String path) {
        return call("POST", path);
    }

    public Call put(String path) {
        return call("PUT", path);
    }

    public Call delete(String path) {
        return call("DELETE", path);
    }

    /** The session cookie's value, when this client has one. */
    public Optional<String> sessionId() {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("JSESSIONID"))
                .map(HttpCookie::getValue).findFirst();
    }

    /** The CSRF token of the login form, read from {@code GET /login} (which also starts a session). */
    public String csrfFromLoginPage() {
        Reply page = get("/login").send();
        if (page.status() != 200) {
            throw new IllegalStateException("GET /login: " + page);
        }
        return csrfIn(page.body());
    }

    /** The value of the {@code _csrf} hidden field in an HTML page. */
    public static String csrfIn(String html) {
        Matcher input = CSRF_INPUT.matcher(html);
        if (!input.find()) {
            throw new IllegalStateException("no _csrf field in the page: " + html);
        }
        Matcher value = VALUE.matcher(input.group());
        if (!value.find()) {
            throw new IllegalStateException("the _csrf field has no value: " + input.group());
        }
        return value.group(1);
    }

    /** Signs in through the login form; returns the reply to {@code POST /login}. */
    public Reply formLogin(String username, String password) {
        String csrf = csrfFromLoginPage();
        return post("/login").header("Accept", "text/html")
                .form(Map.of("username", username, "password", password, "_csrf", csrf)).send();
    }

    /** One request being built. */
    public final class Call {
        private final String method;
        private final String path;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
        private String requestId = "gw-" + UUID.randomUUID();

        private Call(String method, String path) {
            this.method = method;
            this.path = path;
        }

        public Call basic(String user, String password) {
            Secrets.add(password);
            String pair = user + ":" + password;
            Secrets.add(Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
            return header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }

        public Call bearer(String token) {
            Secrets.add(token);
            return header("Authorization", "Bearer " + token);
        }

        public Call header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Call requestId(String id) {
            this.requestId = id;
            return this;
        }

        /** A JSON body: a map, a list or a string of JSON. */
        public Call json(Object value) {
            try {
                String text = value instanceof String s ? s : JSON.writeValueAsString(value);
                headers.put("Content-Type", "application/json");
                body = HttpRequest.BodyPublishers.ofString(text);
                return this;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** An {@code application/x-www-form-urlencoded} body. */
        public Call form(Map<String, String> fields) {
            List<String> parts = new ArrayList<>();
            fields.forEach((k, v) -> parts.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(v, StandardCharsets.UTF_8)));
            headers.put("Content-Type", "application/x-www-form-urlencoded");
            body = HttpRequest.BodyPublishers.ofString(String.join("&", parts));
            return this;
        }

        public Reply send() {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
                    .method(method, body).header("X-Request-Id", requestId);
            headers.forEach(b::header);
            try {
                HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                Reply reply = new Reply(requestId, r.statusCode(), r.headers(), r.body());
                rememberSecrets(reply);
                return reply;
            } catch (IOException e) {
                throw new UncheckedIOException(method + " " + path + " failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during " + method + " " + path, e);
            }
        }
    }

    private void rememberSecrets(Reply reply) {
        sessionId().ifPresent(Secrets::add);
        for (String c : reply.headers().allValues("Set-Cookie")) {
            if (c.startsWith("JSESSIONID=")) {
                Secrets.add(c.substring("JSESSIONID=".length()).split(";", 2)[0]);
            }
        }
        reply.header("Location").ifPresent(location -> {
            Matcher code = Pattern.compile("[?&]code=([^&]+)").matcher(location);
            if (code.find()) {
                Secrets.add(code.group(1));
            }
        });
        String type = reply.header("Content-Type").orElse("");
        if (type.contains("json") && !reply.body().isBlank()) {
            try {
                JsonNode n = JSON.readTree(reply.body());
                for (String field : new String[] {"token", "access_token", "refresh_token", "id_token"}) {
                    if (n.hasNonNull(field)) {
                        Secrets.add(n.get(field).asText());
                    }
                }
            } catch (IOException notJson) {
                // a JSON content type with a body that is not: nothing to remember
            }
        }
    }
}
