package io.vigil.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.Target;
import io.vigil.ledger.checkpoint.SignedCheckpoint;
import io.vigil.ledger.checkpoint.SigningKey;
import io.vigil.ledger.checkpoint.VerifierKey;
import io.vigil.ledger.internal.store.FileStore;
import io.vigil.ledger.merkle.ConsistencyProof;
import io.vigil.ledger.merkle.InclusionProof;
import io.vigil.ledger.merkle.Proofs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/ledger-vectors.json: a small ledger with every hashed and signed byte spelled out, for implementations in
 * other languages. The test regenerates it through the real store and fails when it differs from the file
 * (rewrite it with -Dvigil.updateDocs=true); it also re-derives every value from first principles.
 */
class LedgerVectorsTest {
    static final Path FILE = Path.of("..", "docs", "ledger-vectors.json");
    static final String ORIGIN = "example.com/vigil/vectors";

    static SigningKey key() {
        byte[] seed = new byte[32];
        for (int i = 0; i < 32; i++) {
            seed[i] = (byte) (i + 1);
        }
        return SigningKey.fromSeed("vectors", seed);
    }

    static List<AuditEvent> events() {
        Instant t0 = Instant.parse("2026-03-02T08:00:00.000Z");
        List<AuditEvent> out = new ArrayList<>();
        out.add(AuditEvent.builder(EventCatalog.AUTH_LOGIN_SUCCESS).id(UUID.fromString("019cad8f-a000-7000-8000-000000000000"))
                .timestamp(t0).actor(Actor.user("alice").withIp("10.0.0.7")).detail("method", "password").build());
        out.add(AuditEvent.builder(EventCatalog.AUTH_LOGIN_FAILURE).id(UUID.fromString("019cad8f-a3e8-7000-8000-000000000001"))
                .timestamp(t0.plusMillis(1000)).actor(Actor.user("bob").withIp("2001:db8::1")).reason("bad credentials")
                .detail("attempt", 0).build());
        out.add(AuditEvent.builder(EventCatalog.AUTHZ_ACCESS_DENIED).id(UUID.fromString("019cad8f-a7d0-7000-8000-000000000002"))
                .timestamp(t0.plusMillis(2000)).actor(Actor.user("bob")).target(Target.of("invoice", "inv-1042"))
                .reason("not owner").build());
        out.add(AuditEvent.builder(EventCatalog.DATA_EXPORT).id(UUID.fromString("019cad8f-abb8-7000-8000-000000000003"))
                .timestamp(t0.plusMillis(3000)).actor(Actor.user("alice")).target(Target.of("report", "q3"))
                .detail("rows", 1200).detail("ratio", 0.5).detail("note", "caf\u00e9 \u20ac \ud83d\ude00").build());
        out.add(AuditEvent.builder(EventCatalog.SECURITY_ANOMALY_DETECTED).id(UUID.fromString("019cad8f-afa0-7000-8000-000000000004"))
                .timestamp(t0.plusMillis(4000)).actor(Actor.user("olivia").withIp("192.0.2.44")).riskScore(0.6)
                .anomalyFlag("impossible_travel").build());
        out.add(AuditEvent.builder(EventCatalog.ADMIN_SETTINGS_CHANGED).id(UUID.fromString("019cad8f-b388-7000-8000-000000000005"))
                .timestamp(t0.plusMillis(5000)).actor(Actor.user("root")).detail("changes", Map.of("mfaRequired", true))
                .build());
        out.add(AuditEvent.builder(EventCatalog.AUTH_LOGOUT).id(UUID.fromString("019cad8f-b770-7000-8000-000000000006"))
                .timestamp(t0.plusMillis(6000)).actor(Actor.user("alice")).requestId("req-7").build());
        return out;
    }

    static String render(Path dir) throws Exception {
        SigningKey key = key();
        LedgerOptions opts = LedgerOptions.defaults(ORIGIN).withSigningKey(key).withCheckpoints(1_000, Duration.ofDays(1));
        Map<String, Object> doc = new LinkedHashMap<>();
        try (FileStore store = FileStore.open(dir, opts)) {
            store.append(events());
            doc.put("about", "Ledger format v1 test vectors; see docs/ledger-format.md. hash(n) = hex SHA-256(0x00 || C(n)); "
                    + "C(n) = line without its hash member; roots per RFC 6962 over the hash(n) bytes.");
            doc.put("origin", ORIGIN);
            doc.put("genesisPrevHash", hex(MessageDigest.getInstance("SHA-256").digest(ORIGIN.getBytes(StandardCharsets.UTF_8))));
            doc.put("signerKey", key.encode());
            doc.put("verifierKey", key.verifierKey().encode());
            List<Map<String, Object>> entries = new ArrayList<>();
            for (long seq = 0; seq < store.size(); seq++) {
                Map<String, Object> e = new LinkedHashMap<>();
                String line = store.line(seq);
                e.put("seq", seq);
                e.put("line", line);
                e.put("canonical", line.replaceFirst(",\"hash\":\"[0-9a-f]{64}\"", ""));
                e.put("hash", store.entryHash(seq).hex());
                entries.add(e);
            }
            doc.put("entries", entries);
            Map<String, String> roots = new LinkedHashMap<>();
            for (long size = 0; size <= store.size(); size++) {
                roots.put(String.valueOf(size), store.root(size).hex());
            }
            doc.put("roots", roots);
            SignedCheckpoint cp = store.checkpoint().orElseThrow();
            doc.put("checkpoint", cp.encode());
            InclusionProof inc = store.inclusionProof(2, 7);
            doc.put("inclusionProof", Map.of("leafIndex", 2, "treeSize", 7,
                    "path", inc.path().stream().map(Hash::hex).toList()));
            ConsistencyProof con = store.consistencyProof(3, 7);
            doc.put("consistencyProof", Map.of("size1", 3, "size2", 7,
                    "path", con.path().stream().map(Hash::hex).toList()));
        }
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .writeValueAsString(doc) + "\n";
    }

    @Test
    void theDocumentedVectorsAreWhatTheCodeProduces(@TempDir Path dir) throws Exception {
        String fresh = render(dir);
        if (Boolean.getBoolean("vigil.updateDocs")) {
            Files.writeString(FILE, fresh);
        }
        assertThat(Files.exists(FILE)).as("docs/ledger-vectors.json exists; create it with -Dvigil.updateDocs=true").isTrue();
        assertThat(Files.readString(FILE)).as("docs/ledger-vectors.json is out of date; regenerate with "
                + "./mvnw -pl vigil-ledger -am test -Dtest=LedgerVectorsTest -Dvigil.updateDocs=true "
                + "-Dsurefire.failIfNoSpecifiedTests=false").isEqualTo(fresh);
    }

    @Test
    void theVectorsHoldFromFirstPrinciples() throws Exception {
        var doc = new ObjectMapper().readTree(FILE.toFile());
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        String prev = doc.get("genesisPrevHash").asText();
        List<Hash> leaves = new ArrayList<>();
        for (var e : doc.get("entries")) {
            String c = e.get("canonical").asText();
            assertThat(c).contains("\"prevHash\":\"" + prev + "\"");
            sha.update((byte) 0);
            String h = hex(sha.digest(c.getBytes(StandardCharsets.UTF_8)));
            assertThat(h).isEqualTo(e.get("hash").asText());
            assertThat(e.get("line").asText()).contains("\"hash\":\"" + h + "\"");
            leaves.add(Hash.fromHex(h));
            prev = h;
        }
        // RFC 6962 MTH, naively
        for (int size = 0; size <= leaves.size(); size++) {
            assertThat(mth(leaves.subList(0, size)).hex()).isEqualTo(doc.get("roots").get(String.valueOf(size)).asText());
        }
        SignedCheckpoint cp = SignedCheckpoint.parse(doc.get("checkpoint").asText());
        cp.verify(VerifierKey.parse(doc.get("verifierKey").asText()));
        assertThat(cp.checkpoint().root()).isEqualTo(mth(leaves));
        List<Hash> path = new ArrayList<>();
        doc.get("inclusionProof").get("path").forEach(n -> path.add(Hash.fromHex(n.asText())));
        Proofs.verifyInclusion(new InclusionProof(2, 7, path), leaves.get(2), mth(leaves));
        List<Hash> cpath = new ArrayList<>();
        doc.get("consistencyProof").get("path").forEach(n -> cpath.add(Hash.fromHex(n.asText())));
        Proofs.verifyConsistency(new ConsistencyProof(3, 7, cpath), mth(leaves.subList(0, 3)), mth(leaves));
    }

    private static Hash mth(List<Hash> d) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        if (d.isEmpty()) {
            return Hash.of(sha.digest());
        }
        if (d.size() == 1) {
            return d.get(0);
        }
        int k = Integer.highestOneBit(d.size() - 1);
        sha.update((byte) 1);
        sha.update(mth(d.subList(0, k)).bytes());
        sha.update(mth(d.subList(k, d.size())).bytes());
        return Hash.of(sha.digest());
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
