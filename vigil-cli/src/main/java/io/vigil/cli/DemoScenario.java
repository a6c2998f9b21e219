package io.vigil.cli;

import io.vigil.AuditReceipt;
import io.vigil.EventRecorder;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventIds;
import io.vigil.event.Target;
import io.vigil.helper.AuthMethod;
import io.vigil.helper.EventHelpers;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;

/**
 * A deterministic, realistic day of a web service's security events: ordinary logins and logouts, sessions, token
 * lifecycle, data reads and exports, access denials, admin and config changes, rate limiting, one brute-force burst
 * against several accounts and one impossible-travel anomaly. The same seed and count give byte-identical output:
 * ids, times and choices all come from the seeded generator and a simulated clock.
 */
final class DemoScenario {
    static final Instant START = Instant.parse("2026-03-02T08:00:00Z");
    private static final List<String> USERS = List.of("alice", "bob", "carol", "dave", "erin", "frank", "grace",
            "heidi", "ivan", "judy", "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor",
            "walter", "yolanda");
    private static final List<String> AGENTS = List.of(
            "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36",
            "okhttp/4.12.0");
    private static final String ATTACKER_IP = "203.0.113.66";

    private final SplittableRandom random;
    private final long total;
    private final EventHelpers audit;
    private long emitted;
    private long nowMillis = START.toEpochMilli();
    private long sessionCounter;
    private long tokenCounter;
    private CompletableFuture<AuditReceipt> last = CompletableFuture.completedFuture(null);

    DemoScenario(EventRecorder log, long seed, long total) {
        this.random = new SplittableRandom(seed);
        this.total = total;
        // Stamp each event with a simulated time and a seeded id before the log sees it.
        this.audit = new EventHelpers(b -> stamp(log, b));
    }

    private CompletableFuture<AuditReceipt> stamp(EventRecorder log, AuditEvent.Builder b) {
        b.timestamp(Instant.ofEpochMilli(nowMillis)).id(EventIds.next(nowMillis, random))
                .service("demo-gateway").requestId(String.format("req-%08x", emitted));
        emitted++;
        last = log.record(b);
        return last;
    }

    /** The receipt of the last event recorded. */
    CompletableFuture<AuditReceipt> lastReceipt() {
        return last;
    }

    /** Records {@code total} events, reporting progress every thousand. */
    void run(LongConsumer progress) {
        long bruteForceAt = total * 35 / 100;
        long anomalyAt = total * 70 / 100;
        boolean bruteForceDone = false;
        boolean anomalyDone = false;
        while (emitted < total) {
            long before = emitted;
            if (!bruteForceDone && emitted >= bruteForceAt) {
                bruteForce();
                bruteForceDone = true;
            } else if (!anomalyDone && emitted >= anomalyAt) {
                impossibleTravel();
                anomalyDone = true;
            } else {
                ordinary();
            }
            if (emitted / 1000 != before / 1000 || emitted >= total) {
                progress.accept(emitted);
            }
        }
    }

    private boolean room(int events) {
        return emitted + events <= total;
    }

    private void tick(int minMs, int maxMs) {
        nowMillis += minMs + random.nextInt(maxMs - minMs + 1);
    }

    private Actor user() {
        int i = random.nextInt(USERS.size());
        return Actor.user(USERS.get(i)).withIp("10.20." + (i / 8) + "." + (10 + i)).withUserAgent(AGENTS.get(i % AGENTS.size()));
    }

    private void ordinary() {
        tick(20, 2500);
        Actor who = user();
        int roll = random.nextInt(100);
        if (roll < 22 && room(2)) {
            audit.auth().loginSucceeded(who, random.nextInt(4) == 0 ? AuthMethod.DEVICE : AuthMethod.PASSWORD);
            tick(1, 30);
            audit.session().started(who, "sess-" + (++sessionCounter));
        } else if (roll < 26) {
            audit.auth().loginFailed(who, AuthMethod.PASSWORD, "bad credentials");
        } else if (roll < 34 && room(2)) {
            String session = "sess-" + Math.max(1, sessionCounter - random.nextInt(5));
            long durationMs = 60_000L + random.nextInt(3_600_000);
            if (random.nextInt(5) == 0) {
                audit.session().timedOut(who, session, durationMs);
                tick(1, 10);
                audit.auth().loggedOut(who);
            } else {
                audit.auth().loggedOut(who);
                tick(1, 10);
                audit.session().ended(who, session, durationMs);
            }
        } else if (roll < 44) {
            String token = String.format("tok-%06d", ++tokenCounter);
            int kind = random.nextInt(10);
            if (kind < 5) {
                audit.auth().tokenCreated(who, token);
            } else if (kind < 9) {
                audit.auth().tokenRefreshed(who, token);
            } else {
                audit.auth().tokenRevoked(who, token);
            }
        } else if (roll < 62) {
            audit.data().read(who, Target.of("invoice", "inv-" + (1000 + random.nextInt(9000))), 1 + random.nextInt(50));
        } else if (roll < 64) {
            audit.data().exported(who, Target.of("report", "quarterly-" + (1 + random.nextInt(4))),
                    100 + random.nextInt(10_000));
        } else if (roll < 74) {
            audit.authz().accessGranted(who, Target.of("project", "prj-" + random.nextInt(40)));
        } else if (roll < 80) {
            audit.authz().accessDenied(who, Target.of("admin-console", "settings"), "missing role admin");
        } else if (roll < 83) {
            Actor admin = Actor.user("root").withIp("10.20.0.2");
            if (random.nextBoolean()) {
                audit.admin().settingsChanged(admin, Target.ofType("gateway"),
                        Map.of("sessionTimeoutMinutes", 15 + random.nextInt(4) * 15, "mfaRequired", true));
            } else {
                audit.authz().roleAssigned(admin, Target.of("user", USERS.get(random.nextInt(USERS.size()))), "auditor");
            }
        } else if (roll < 85) {
            audit.configEvents().changed(Actor.service("config-controller"),
                    Map.of("rateLimit.perMinute", 60 + random.nextInt(5) * 30, "logLevel", "info"));
        } else if (roll < 92) {
            audit.rateLimit().requestLimited(Actor.anonymous().withIp("198.51.100." + random.nextInt(255)),
                    random.nextInt(4) * 500L);
        } else if (roll < 96) {
            audit.auth().apiKeyUsed(Actor.api("partner-" + random.nextInt(6)), "key-" + random.nextInt(20));
        } else {
            audit.auth().passwordChanged(who);
        }
    }

    /** 25 failed logins from one address against five accounts within about a minute, then detection and backoff. */
    private void bruteForce() {
        Actor attacker = Actor.anonymous().withIp(ATTACKER_IP).withUserAgent("python-requests/2.32");
        int attempts = 0;
        for (int i = 0; i < 25 && room(1); i++) {
            tick(800, 3200);
            Actor target = Actor.user(USERS.get(i % 5)).withIp(ATTACKER_IP).withUserAgent("python-requests/2.32");
            audit.auth().loginFailed(target, AuthMethod.PASSWORD, "bad credentials");
            attempts++;
        }
        if (room(1)) {
            tick(1, 5);
            audit.security().bruteForceDetected(attacker, attempts, 60_000);
        }
        if (room(1)) {
            tick(1, 5);
            audit.rateLimit().authBackoff(attacker, 900_000);
        }
    }

    /** A user who just worked from the office signs in from another continent minutes later. */
    private void impossibleTravel() {
        Actor traveller = Actor.user("olivia").withIp("192.0.2.44").withUserAgent("curl/8.5.0");
        if (room(1)) {
            tick(1000, 5000);
            audit.auth().loginSucceeded(traveller, AuthMethod.PASSWORD);
        }
        if (room(1)) {
            tick(1, 20);
            audit.security().anomalyDetected(traveller, 0.6, "impossible_travel", "new_user_agent");
        }
    }
}
