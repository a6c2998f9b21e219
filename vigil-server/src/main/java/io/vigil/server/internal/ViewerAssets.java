package io.vigil.server.internal;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web viewer's static files, from the class path ({@code io/vigil/server/ui/}): {@code GET /} is
 * {@code index.html}, {@code GET /ui/FILE} the file. They need no key, since they hold no data: the viewer asks for
 * one and sends it with every call to the API. Every answer carries a strict Content-Security-Policy (the viewer's own
 * scripts and styles only, no inline script, no other origin) and {@code nosniff}; files revalidate by ETag, so an
 * upgraded server is seen at once while an unchanged file costs a 304.
 */
final class ViewerAssets {
    private static final String ROOT = "/io/vigil/server/ui/";
    private static final String PREFIX = "/ui/";
    /** One file name, no directory: nothing that could climb out of the viewer's folder. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*\\.[a-z0-9]{1,5}");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon");
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private record Asset(byte[] body, String type, String etag) {
    }

    /** The files read so far; only files that exist, so asking for made-up names cannot grow it. */
    private final Map<String, Asset> cache = new ConcurrentHashMap<>();

    /** True for the viewer's paths: {@code /} and everything under {@code /ui/}. */
    static boolean serves(String path) {
        return path.equals("/") || path.startsWith(PREFIX);
    }

    /** Answers a viewer path; returns the status sent. */
    int handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        HttpFields.Mutable headers = response.getHeaders();
        headers.put("Content-Security-Policy", CSP);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("X-Frame-Options", "DENY");
        if (!method.equals("GET") && !method.equals("HEAD")) {
            headers.put(HttpHeader.ALLOW, "GET, HEAD");
            return send(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "allowed: GET, HEAD", false);
        }
        String name = path.equals("/") ? "index.html" : path.substring(PREFIX.length());
        Optional<Asset> asset = NAME.matcher(name).matches() ? Optional.ofNullable(cache.get(name))
                .or(() -> load(name)) : Optional.empty();
        asset.ifPresent(a -> cache.putIfAbsent(name, a));
        if (asset.isEmpty()) {
            return send(response, callback, HttpStatus.NOT_FOUND_404, "no such file in the viewer: " + path,
                    method.equals("HEAD"));
        }
        Asset a = asset.get();
        headers.put(HttpHeader.CACHE_CONTROL, "no-cache");
        headers.put(HttpHeader.ETAG, a.etag());
        String ifNoneMatch = request.getHeaders().get(HttpHeader.IF_NONE_MATCH);
        if (a.etag().equals(ifNoneMatch)) {
            response.setStatus(HttpStatus.NOT_MODIFIED_304);
            callback.succeeded();
            return HttpStatus.NOT_MODIFIED_304;
        }
        response.setStatus(HttpStatus.OK_200);
        headers.put(HttpHeader.CONTENT_TYPE, a.type());
        headers.put(HttpHeader.CONTENT_LENGTH, a.body().length);
        response.write(true, method.equals("HEAD") ? ByteBuffer.allocate(0) : ByteBuffer.wrap(a.body()), callback);
        return HttpStatus.OK_200;
    }

    private static int send(Response response, Callback callback, int status, String message, boolean head) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        byte[] body = head ? new byte[0] : (message + "\n").getBytes(StandardCharsets.UTF_8);
        response.write(true, ByteBuffer.wrap(body), callback);
        return status;
    }

    private static Optional<Asset> load(String name) {
        String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
        if (type == null) {
            return Optional.empty();
        }
        try (InputStream in = ViewerAssets.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] body = in.readAllBytes();
            String etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body), 0, 16)
                    + "\"";
            return Optional.of(new Asset(body, type, etag));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the viewer's " + name, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
