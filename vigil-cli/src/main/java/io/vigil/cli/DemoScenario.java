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
import java.util.function.LongSupplier;

/**
 * A deterministic, realistic day of a web service's security events: ordinary logins and logouts, sessions, token
 * lifecycle, data reads and exports, access denials, admin and config changes, rate limiting, and, unless left out,
 * two incidents for the detectors: a brute-force burst against a few common account names that ends in a successful
 * guess, and a traveller who signs in from the office and minutes later from another network with a new user agent.
 * The same seed and count give byte-identical output: ids, times and choices all come from the seeded generator and a
 * simulated clock.
 *
 * <p>The ordinary traffic is built to give the detectors nothing: a user who mistypes a password gets in on the next
 * try, and everyone keeps one address and one user agent. After each event of an incident the scenario calls
 * {@code settle}, which waits until the findings it caused are written, so that they sit right after it in the ledger
 * whatever the threads' timing, and says how many findings there are: the stream and the findings together make
 * {@code total} entries.
 */
final class DemoScenario {
    /** Whether the stream holds the incidents the detectors are meant to find. */
    enum Traffic { WITH_INCIDENTS, ORDINARY_ONLY }

    static final Instant START = Instant.parse("2026-03-02T08:00:00Z");
    private static final List<String> USERS = List.of("alice", "bob", "carol", "dave", "erin", "frank", "grace",
            "heidi", "ivan", "judy", "mallory", "niaj", "peggy", "rupert", "sybil", "trent", "victor", "walter",
            "yolanda", "zoe");
    private static final List<String> AGENTS = List.of(
            "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36",
            "okhttp/4.12.0");
    private static final String ATTACKER_IP = "203.0.113.66";
    private static final String ATTACKER_AGENT = "python-requests/2.32";
    /** The names a password-guessing script tries first; none of them is an ordinary user of the demo. */
    private static final List<String> GUESSED_ACCOUNTS = List.of("admin", "support", "test", "backup", "deploy");
    /** The account whose password the attacker finally guesses. */
    static final String BREACHED_ACCOUNT = "support";
    /** The traveller, who appears only in the travel incident. */
    static final String TRAVELLER = "olivia";
    /** Ordinary events between the traveller's office login and the far one: a few minutes. */
    private static final int TRAVEL_GAP = 150;
    /**
     * Room kept free by each event of an incident for the findings it may cause (two today: a brute force finding
     * makes two events), so that the findings never take the ledger past {@code total} entries.
     */
    private static final int FINDINGS_PER_EVENT = 4;

    private final SplittableRandom random;
    private final long total;
    private final EventHelpers audit;
    private final LongSupplier settle;
    private final Traffic traffic;
    private long emitted;
    private long findings;
    private long nowMillis = START.toEpochMilli();
    private long sessionCounter;
    private long tokenCounter;
    private CompletableFuture<AuditReceipt> last = CompletableFuture.completedFuture(null);

    /**
     * @param settle waits until everything recorded so far, and the findings it caused, are written, and returns how
     *               many findings have been written in all; called after each event of an incident
     * @param total  how many entries the stream and the findings make together
     */
    DemoScenario(EventRecorder log, LongSupplier settle, long seed, long total, Traffic traffic) {
        this.random = new SplittableRandom(seed);
        this.total = total;
        this.settle = settle;
        this.traffic = traffic;
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

    /** Records events until they and the findings make {@code total}, reporting progress every thousand. */
    void run(LongConsumer progress) {
        boolean incidents = traffic == Traffic.WITH_INCIDENTS;
        long bruteForceAt = total * 35 / 100;
        long travelAt = total * 70 / 100;
        long arrivalAt = Long.MAX_VALUE;
        boolean bruteForceDone = !incidents;
        boolean travelDone = !incidents;
        while (entries() < total) {
            long before = entries();
            if (!bruteForceDone && emitted >= bruteForceAt) {
                bruteForce();
                bruteForceDone = true;
            } else if (!travelDone && emitted >= travelAt) {
                leaveTheOffice();
                travelDone = true;
                arrivalAt = emitted + TRAVEL_GAP;
            } else if (emitted >= arrivalAt) {
                arriveFarAway();
                arrivalAt = Long.MAX_VALUE;
            } else {
                ordinary();
            }
            if (entries() / 1000 != before / 1000 || entries() >= total) {
                progress.accept(entries());
            }
        }
    }

    private long entries() {
        return emitted + findings;
    }

    private boolean room(int events) {
        return entries() + events <= total;
    }

    /** Room for one event of an incident and the findings it may cause. */
    private boolean roomInIncident() {
        return room(1 + FINDINGS_PER_EVENT);
    }

    private void settle() {
        findings = settle.getAsLong();
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
        } else if (roll < 26 && room(3)) {
            // A mistyped password, then the right one: an ordinary user who fails gets in on the next try.
            audit.auth().loginFailed(who, AuthMethod.PASSWORD, "bad credentials");
            tick(2000, 9000);
            audit.auth().loginSucceeded(who, AuthMethod.PASSWORD);
            tick(1, 30);
            audit.session().started(who, "sess-" + (++sessionCounter));
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

    /**
     * 25 failed logins from one address against five common account names within about a minute, then the guess
     * that works, then the service's backoff for the address.
     */
    private void bruteForce() {
        for (int i = 0; i < 25 && roomInIncident(); i++) {
            tick(800, 3200);
            audit.auth().loginFailed(attacker(GUESSED_ACCOUNTS.get(i % GUESSED_ACCOUNTS.size())), AuthMethod.PASSWORD,
                    "bad credentials");
            settle();
        }
        if (roomInIncident()) {
            tick(800, 3200);
            audit.auth().loginSucceeded(attacker(BREACHED_ACCOUNT), AuthMethod.PASSWORD);
            settle();
        }
        if (room(1)) {
            tick(1, 5);
            audit.rateLimit().authBackoff(Actor.anonymous().withIp(ATTACKER_IP).withUserAgent(ATTACKER_AGENT), 900_000);
        }
    }

    private static Actor attacker(String account) {
        return Actor.user(account).withIp(ATTACKER_IP).withUserAgent(ATTACKER_AGENT);
    }

    /** The traveller signs in at the office, as every morning. */
    private void leaveTheOffice() {
        if (roomInIncident()) {
            tick(20, 2500);
            audit.auth().loginSucceeded(Actor.user(TRAVELLER).withIp("10.20.3.40").withUserAgent(AGENTS.get(1)),
                    AuthMethod.PASSWORD);
            settle();
        }
    }

    /** Minutes later the same account signs in from another continent, with a user agent it never used. */
    private void arriveFarAway() {
        tick(20, 2500);
        if (roomInIncident()) {
            audit.auth().loginSucceeded(Actor.user(TRAVELLER).withIp("192.0.2.44").withUserAgent("curl/8.5.0"),
                    AuthMethod.PASSWORD);
            settle();
        } else {
            ordinary();
        }
    }
}
