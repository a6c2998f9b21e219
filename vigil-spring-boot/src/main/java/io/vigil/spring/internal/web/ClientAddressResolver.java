package io.vigil.spring.internal.web;

import io.vigil.event.IpAddress;
import io.vigil.event.IpRange;
import jakarta.servlet.http.HttpServletRequest;

import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The client's address: the peer of the connection, unless the peer is a trusted proxy. Then the proxies' record
 * ({@code Forwarded}, RFC 7239, or else {@code X-Forwarded-For}) is walked from the nearest hop outwards, past every
 * trusted proxy, to the first address that is not one: anything further left was written by a party nobody trusts.
 * A hop that is not an address ({@code unknown}, an obfuscated name, garbage) ends the walk at the last trusted hop.
 */
public final class ClientAddressResolver {
    private final List<IpRange> trustedProxies;

    public ClientAddressResolver(List<IpRange> trustedProxies) {
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    /** The client's canonical address, or empty when the peer's address is not an IP literal. */
    public Optional<String> resolve(HttpServletRequest request) {
        // A servlet container may report no remote address at all (e.g. some mocked or unix-socket requests).
        Optional<IpAddress> peer = IpAddress.parse(Objects.requireNonNullElse(request.getRemoteAddr(), ""));
        if (peer.isEmpty()) {
            return Optional.empty();
        }
        if (trustedProxies.isEmpty() || !trusted(peer.get())) {
            return Optional.of(peer.get().toString());
        }
        List<String> hops = forwardedFor(request);
        IpAddress candidate = peer.get();
        for (int i = hops.size() - 1; i >= 0; i--) {
            Optional<IpAddress> hop = node(hops.get(i));
            if (hop.isEmpty()) {
                break;
            }
            candidate = hop.get();
            if (!trusted(candidate)) {
                break;
            }
        }
        return Optional.of(candidate.toString());
    }

    private boolean trusted(IpAddress address) {
        for (IpRange r : trustedProxies) {
            if (r.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The for= nodes of every Forwarded header in order, or else the X-Forwarded-For entries. */
    static List<String> forwardedFor(HttpServletRequest request) {
        List<String> out = new ArrayList<>();
        Enumeration<String> forwarded = request.getHeaders("Forwarded");
        while (forwarded != null && forwarded.hasMoreElements()) {
            parseForwarded(forwarded.nextElement(), out);
        }
        if (!out.isEmpty()) {
            return out;
        }
        Enumeration<String> xff = request.getHeaders("X-Forwarded-For");
        while (xff != null && xff.hasMoreElements()) {
            for (String part : xff.nextElement().split(",", -1)) {
                out.add(part.trim());
            }
        }
        return out;
    }

    /**
     * Adds the {@code for} value of each element of an RFC 7239 field; an element without one adds an empty hop,
     * which stops the walk (the proxy that wrote it did not say who its client was).
     */
    static void parseForwarded(String field, List<String> out) {
        int i = 0;
        int n = field.length();
        String forValue = null;
        boolean any = false;
        while (i <= n) {
            // one pair: name=value, value a token or a quoted string; pairs end at ';', elements at ','
            int start = i;
            while (i < n && field.charAt(i) != '=' && field.charAt(i) != ';' && field.charAt(i) != ',') {
                i++;
            }
            String name = field.substring(start, i).trim().toLowerCase(Locale.ROOT);
            String value = null;
            if (i < n && field.charAt(i) == '=') {
                i++;
                while (i < n && field.charAt(i) == ' ') {
                    i++;
                }
                if (i < n && field.charAt(i) == '"') {
                    StringBuilder sb = new StringBuilder();
                    i++;
                    while (i < n && field.charAt(i) != '"') {
                        char c = field.charAt(i);
                        if (c == '\\' && i + 1 < n) {
                            c = field.charAt(++i);
                        }
                        sb.append(c);
                        i++;
                    }
                    i++; // closing quote
                    value = sb.toString();
                    while (i < n && field.charAt(i) != ';' && field.charAt(i) != ',') {
                        i++;
                    }
                } else {
                    int vs = i;
                    while (i < n && field.charAt(i) != ';' && field.charAt(i) != ',') {
                        i++;
                    }
                    value = field.substring(vs, i).trim();
                }
            }
            if (!name.isEmpty()) {
                any = true;
                if (name.equals("for") && value != null && forValue == null) {
                    forValue = value;
                }
            }
            if (i >= n || field.charAt(i) == ',') {
                if (any) {
                    out.add(forValue == null ? "" : forValue);
                }
                forValue = null;
                any = false;
            }
            i++;
        }
    }

    /** The address of one hop: {@code 192.0.2.1}, {@code 192.0.2.1:8080}, {@code [2001:db8::1]:443}, {@code 2001:db8::1}. */
    static Optional<IpAddress> node(String hop) {
        String h = hop.trim();
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            if (close < 0) {
                return Optional.empty();
            }
            String rest = h.substring(close + 1);
            if (!rest.isEmpty() && !isPort(rest)) {
                return Optional.empty();
            }
            String inner = h.substring(1, close);
            return inner.indexOf(':') < 0 ? Optional.empty() : IpAddress.parse(inner);
        }
        int colon = h.indexOf(':');
        if (colon >= 0 && colon == h.lastIndexOf(':')) {
            // one colon: an IPv4 address with a port (IPv6 has at least two)
            return isPort(h.substring(colon)) ? IpAddress.parse(h.substring(0, colon))
                    .filter(a -> a.length() == 4) : Optional.empty();
        }
        return IpAddress.parse(h);
    }

    /** ":" then 1 to 5 digits, or RFC 7239's obfuscated port ":_name". */
    private static boolean isPort(String s) {
        if (s.length() < 2 || s.charAt(0) != ':') {
            return false;
        }
        if (s.charAt(1) == '_') {
            return true;
        }
        if (s.length() > 6) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
