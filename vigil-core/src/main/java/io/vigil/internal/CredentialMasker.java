package io.vigil.internal;

import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds credentials inside free text (a reason, an error message, a detail value) and replaces them: HTTP Basic and
 * Bearer credentials, JWTs, and the values of secret-named query or form parameters. Not thread-safe: the matchers are
 * reused so that text holding no credential costs no allocation.
 */
final class CredentialMasker {
    /** A JWT (JWS compact form): base64url JSON header starting {@code {"}, payload, optional signature. */
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
    /** {@code Bearer <token>}; group 1 is the token (RFC 6750 b64token characters, at least 8). */
    private static final Pattern BEARER = Pattern.compile("(?<![A-Za-z0-9])bearer[ \\t]+([A-Za-z0-9._~+/=-]{8,})",
            Pattern.CASE_INSENSITIVE);
    /** Query or form parameter names whose values are masked in text, compared ignoring case. */
    private static final String[] SECRET_PARAMS = {"access_token", "refresh_token", "id_token", "token", "password",
            "passwd", "pwd", "secret", "client_secret", "api_key", "apikey"};
    private static final int SHORTEST_SECRET_PARAM = 3;
    private static final int LONGEST_SECRET_PARAM = 13;

    private final String replacement;
    /** Reused so that scanning text that holds no credential allocates nothing. */
    private final Matcher jwt = JWT.matcher("");
    private final Matcher bearer = BEARER.matcher("");

    CredentialMasker(String replacement) {
        this.replacement = replacement;
    }

    /**
     * The text with every embedded credential replaced by the policy's replacement, or {@code s} itself (same
     * instance) when it holds none. Each kind is looked for with a plain scan first; the regular expressions only
     * run on text that passed it.
     */
    String mask(String s) {
        if (s.length() < 5) { // "pwd=x" is the shortest text with something to mask
            return s;
        }
        String basic = maskBasic(s);
        if (basic != s) {
            return basic;
        }
        String out = s;
        if (out.indexOf('=') >= 0) {
            out = maskParams(out);
        }
        if (out.indexOf("eyJ") >= 0) {
            out = maskJwts(out);
        }
        if (out.length() >= 15 && hasBearer(out)) { // "bearer " and 8 token characters
            out = maskBearer(out);
        }
        return out;
    }

    /**
     * {@code Basic <credentials>} as the whole text, where the credentials are at least 8 base64 characters that
     * decode to {@code user:password}: a colon, and no control characters. Plan names such as
     * {@code Basic subscription} are base64 characters too, but almost never decode to such text.
     */
    private String maskBasic(String s) {
        if (s.length() < 14 || !s.regionMatches(true, 0, "basic ", 0, 6)) {
            return s;
        }
        int from = 6;
        while (from < s.length() && s.charAt(from) == ' ') {
            from++;
        }
        int to = s.length();
        while (to > from && Character.isWhitespace(s.charAt(to - 1))) {
            to--;
        }
        int pad = 0;
        while (pad < 2 && to - pad > from && s.charAt(to - pad - 1) == '=') {
            pad++;
        }
        int chars = to - pad - from;
        if (chars < 8) {
            return s;
        }
        for (int i = from; i < to - pad; i++) {
            char c = s.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/')) {
                return s;
            }
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(s.substring(from, to));
        } catch (IllegalArgumentException notBase64) {
            return s;
        }
        boolean colon = false;
        for (byte x : decoded) {
            if ((x >= 0 && x < 0x20) || x == 0x7f) {
                return s;
            }
            colon |= x == ':';
        }
        return colon ? s.substring(0, from) + replacement : s;
    }

    /** Values of {@code name=value} parameters with a secret name, up to the next {@code &} or whitespace. */
    private String maskParams(String s) {
        StringBuilder out = null;
        int copied = 0;
        for (int eq = s.indexOf('='); eq >= 0; eq = s.indexOf('=', eq + 1)) {
            int start = eq;
            while (start > 0 && eq - start <= LONGEST_SECRET_PARAM && isNameChar(s.charAt(start - 1))) {
                start--;
            }
            if (start > 0 && isNameChar(s.charAt(start - 1))) {
                continue; // a longer name than any secret one
            }
            if (!isSecretParam(s, start, eq - start)) {
                continue;
            }
            int end = eq + 1;
            while (end < s.length() && s.charAt(end) != '&' && !Character.isWhitespace(s.charAt(end))) {
                end++;
            }
            if (end == eq + 1) {
                continue; // empty value
            }
            if (out == null) {
                out = new StringBuilder(s.length() + 16);
            }
            out.append(s, copied, eq + 1).append(replacement);
            copied = end;
            eq = end - 1;
        }
        if (out == null) {
            return s;
        }
        return out.append(s, copied, s.length()).toString();
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    private static boolean isSecretParam(String s, int start, int length) {
        if (length < SHORTEST_SECRET_PARAM || length > LONGEST_SECRET_PARAM) {
            return false;
        }
        for (String name : SECRET_PARAMS) {
            if (name.length() == length && s.regionMatches(true, start, name, 0, length)) {
                return true;
            }
        }
        return false;
    }

    private String maskJwts(String s) {
        jwt.reset(s);
        if (!jwt.find()) {
            jwt.reset("");
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int copied = 0;
        do {
            out.append(s, copied, jwt.start()).append(replacement);
            copied = jwt.end();
        } while (jwt.find());
        jwt.reset(""); // drop the reference to the text
        return out.append(s, copied, s.length()).toString();
    }

    private static boolean hasBearer(String s) {
        for (int i = 0, last = s.length() - 6; i <= last; i++) {
            if ((s.charAt(i) | 0x20) == 'b' && s.regionMatches(true, i, "bearer", 0, 6)) {
                return true;
            }
        }
        return false;
    }

    private String maskBearer(String s) {
        bearer.reset(s);
        if (!bearer.find()) {
            bearer.reset("");
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int copied = 0;
        do {
            out.append(s, copied, bearer.start(1)).append(replacement);
            copied = bearer.end(1);
        } while (bearer.find());
        bearer.reset("");
        return out.append(s, copied, s.length()).toString();
    }
}
