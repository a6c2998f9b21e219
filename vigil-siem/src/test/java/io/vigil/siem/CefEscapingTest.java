package io.vigil.siem;

import io.vigil.event.Actor;
import io.vigil.event.ActorType;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.Target;
import io.vigil.siem.internal.CefFormat;
import io.vigil.sink.EntryPosition;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CEF escaping: whatever text an event holds, the line stays one line, its header has its seven fields and the
 * extension, and a parser that follows the CEF rules reads back exactly the values that went in.
 */
class CefEscapingTest {

    @Provide
    Arbitrary<String> awkward() {
        // The characters CEF gives a meaning to, alone and in the shape of escapes and keys, with non-ASCII text.
        return Arbitraries.of("\\", "|", "=", "\r", "\n", " ", "a", "Z", "é", "日本", "😀", "\\n", "\\=", " k=",
                "cs1=", "\\|", "\t").list().ofMaxSize(12).map(parts -> String.join("", parts));
    }

    @Property(tries = 500)
    void everyMappedValueRoundTrips(@ForAll("awkward") String version, @ForAll("awkward") String actorId,
                                    @ForAll("awkward") String actorName, @ForAll("awkward") String userAgent,
                                    @ForAll("awkward") String targetId, @ForAll("awkward") String targetName,
                                    @ForAll("awkward") String tenant, @ForAll("awkward") String service,
                                    @ForAll("awkward") String requestId, @ForAll("awkward") String traceId,
                                    @ForAll("awkward") String sessionId, @ForAll("awkward") String reason,
                                    @ForAll("awkward") String error, @ForAll("awkward") String url) {
        AuditEvent event = AuditEvent.builder(EventCatalog.ADMIN_USER_UPDATED)
                .id(UUID.fromString("00000000-0000-4000-8000-000000000001"))
                .timestamp(Fixtures.TIME)
                .actor(new Actor(ActorType.USER, Optional.of(actorId), Optional.of(actorName),
                        Optional.of("198.51.100.4"), Optional.of(userAgent)))
                .target(new Target("user", Optional.of(targetId), Optional.of(targetName)))
                .tenant(tenant).service(service).requestId(requestId).traceId(traceId).sessionId(sessionId)
                .reason(reason).error(error).detail("url", url)
                .build();
        String line = new CefFormat(version).format(event, Optional.of(new EntryPosition(7, Fixtures.sha256("x"))));

        assertThat(line).doesNotContain("\r", "\n");
        List<String> parts = splitHeader(line);
        assertThat(parts).hasSize(8);
        assertThat(parts.subList(0, 7)).containsExactly("CEF:0", "Vigil", "Vigil",
                version.replace('\r', ' ').replace('\n', ' '), "admin.user.updated", "user_update success", "3");

        Map<String, String> ext = parseExtension(parts.get(7));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("rt", Long.toString(Fixtures.TIME.toEpochMilli()));
        expected.put("externalId", "00000000-0000-4000-8000-000000000001");
        expected.put("cat", "admin");
        expected.put("act", "user_update");
        expected.put("outcome", "success");
        expected.put("suser", actorName);
        expected.put("suid", actorId);
        expected.put("src", "198.51.100.4");
        expected.put("requestClientApplication", userAgent);
        expected.put("duser", targetName);
        expected.put("duid", targetId);
        expected.put("request", url);
        expected.put("destinationServiceName", service);
        expected.put("reason", reason);
        expected.put("msg", error);
        expected.put("cs1", tenant);
        expected.put("cs1Label", "tenant");
        expected.put("cs2", requestId);
        expected.put("cs2Label", "requestId");
        expected.put("cs3", traceId);
        expected.put("cs3Label", "traceId");
        expected.put("cs4", sessionId);
        expected.put("cs4Label", "sessionId");
        expected.put("cn1", "7");
        expected.put("cn1Label", "vigilSeq");
        expected.put("cs6", Fixtures.sha256("x"));
        expected.put("cs6Label", "vigilHash");
        assertThat(ext).containsExactlyEntriesOf(expected);
    }

    @Example
    void knownAnswer() {
        AuditEvent event = AuditEvent.builder(EventCatalog.AUTH_LOGIN_FAILURE)
                .id(UUID.fromString("3f0c2a8e-5b1d-4c7e-9a60-2d8b1e4f7a93"))
                .timestamp(Fixtures.TIME)
                .actor(Actor.user("u=1").withName("a\\b|c").withIp("203.0.113.9").withUserAgent("x\r\ny"))
                .tenant("t|1")
                .reason("bad password = wrong")
                .build();
        String line = new CefFormat("1.0|beta\\2").format(event, Optional.empty());
        assertThat(line).isEqualTo("CEF:0|Vigil|Vigil|1.0\\|beta\\\\2|auth.login.failure|login failure|3|"
                + "rt=1773480413589 externalId=3f0c2a8e-5b1d-4c7e-9a60-2d8b1e4f7a93 cat=auth act=login"
                + " outcome=failure suser=a\\\\b|c suid=u\\=1 src=203.0.113.9 requestClientApplication=x\\r\\ny"
                + " reason=bad password \\= wrong cs1=t|1 cs1Label=tenant");
    }

    /** The seven header fields, unescaped, and the extension: split on the first seven unescaped pipes. */
    static List<String> splitHeader(String line) {
        List<String> parts = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        while (i < line.length() && parts.size() < 7) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length() && (line.charAt(i + 1) == '\\' || line.charAt(i + 1) == '|')) {
                field.append(line.charAt(i + 1));
                i += 2;
            } else if (c == '|') {
                parts.add(field.toString());
                field.setLength(0);
                i++;
            } else {
                field.append(c);
                i++;
            }
        }
        parts.add(line.substring(i));
        return parts;
    }

    /**
     * Reads {@code key=value} pairs: a key is the word before an unescaped {@code =}, and a value runs to the space
     * before the next key; then {@code \\}, {@code \=}, {@code \r} and {@code \n} are unescaped.
     */
    static Map<String, String> parseExtension(String ext) {
        List<Integer> equals = new ArrayList<>();
        for (int i = 0; i < ext.length(); i++) {
            if (ext.charAt(i) == '\\') {
                i++; // the escaped character is never a separator
            } else if (ext.charAt(i) == '=') {
                equals.add(i);
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        int keyStart = 0;
        for (int n = 0; n < equals.size(); n++) {
            int eq = equals.get(n);
            String key = ext.substring(keyStart, eq);
            int valueEnd;
            int nextKeyStart;
            if (n + 1 < equals.size()) {
                nextKeyStart = ext.lastIndexOf(' ', equals.get(n + 1)) + 1;
                valueEnd = nextKeyStart - 1;
            } else {
                nextKeyStart = ext.length();
                valueEnd = ext.length();
            }
            assertThat(key).matches("[A-Za-z0-9]+");
            assertThat(out.put(key, unescape(ext.substring(eq + 1, valueEnd)))).as("duplicate key %s", key).isNull();
            keyStart = nextKeyStart;
        }
        return out;
    }

    private static String unescape(String v) {
        StringBuilder out = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            assertThat(i + 1).as("a lone backslash ends %s", v).isLessThan(v.length());
            char next = v.charAt(++i);
            switch (next) {
                case '\\', '=' -> out.append(next);
                case 'r' -> out.append('\r');
                case 'n' -> out.append('\n');
                default -> throw new AssertionError("undefined escape \\" + next + " in " + v);
            }
        }
        return out.toString();
    }
}
