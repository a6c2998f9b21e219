package io.vigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.event.Actor;
import io.vigil.event.ActorType;
import io.vigil.event.AuditEvent;
import io.vigil.event.Category;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventType;
import io.vigil.event.Outcome;
import io.vigil.event.Target;
import io.vigil.json.EventJson;
import io.vigil.ledger.EvidenceBundle;
import io.vigil.ledger.checkpoint.KeyFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The web viewer end to end: a real server with events sent over HTTP, driven in headless Chromium from Debian's
 * packages by Selenium, with the browser and the driver named explicitly so nothing is ever downloaded. Screenshots
 * of every step are kept under {@code target/viewer-screenshots/}.
 */
class ViewerBrowserTest {
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");

    @TempDir
    Path tmp;
    private VigilServer server;
    private String base;
    private String readKey;
    private WebDriver driver;
    private WebDriverWait wait;
    private Path downloads;
    private Path shots;
    private int shot;
    /** What was sent, to compare the page with. */
    private int failures;
    private int malloryFailures;
    private final List<String> findings = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        for (String file : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(Path.of(file))) {
                fail(file + " is missing: the viewer's browser test needs Debian's packages; install them with "
                        + "'apt-get install chromium chromium-driver' (.ci/run does when they are missing)");
            }
        }
        Path dir = tmp.resolve("server");
        ApiKeys keys = ApiKeys.open(dir);
        String ingestKey = keys.create("acme", Set.of(Scope.INGEST), Optional.of("ingest")).secret();
        readKey = keys.create("acme", Set.of(Scope.READ), Optional.of("viewer")).secret();
        server = VigilServer.start(ServerOptions.defaults(dir).withPort(0));
        base = "http://127.0.0.1:" + server.port();
        send(ingestKey);

        shots = Path.of(System.getProperty("vigil.build.directory", "target"), "viewer-screenshots");
        Files.createDirectories(shots);
        try (Stream<Path> old = Files.list(shots)) {
            for (Path png : old.filter(p -> p.toString().endsWith(".png")).toList()) {
                Files.delete(png); // this run's screenshots only
            }
        }
        downloads = Files.createDirectories(tmp.resolve("downloads"));
        driver = chromium();
        wait = new WebDriverWait(driver, Duration.ofSeconds(20)) {
            @Override
            protected RuntimeException timeoutException(String message, Throwable lastException) {
                // A timed-out step leaves its screenshot and what the page said, to see why.
                try {
                    screenshot("timed-out");
                } catch (IOException | RuntimeException e) {
                    lastException = e;
                }
                return super.timeoutException(message + "; the page's message: '"
                        + driver.findElement(By.id("message")).getText() + "'", lastException);
            }
        };
    }

    /** Chromium from Debian, headless, with a fresh profile and downloads going to {@link #downloads}. */
    private ChromeDriver chromium() throws IOException {
        // A driver named here means Selenium Manager has nothing to find, and so nothing to download.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1366,768", "--user-data-dir=" + Files.createDirectories(tmp.resolve("profile")));
        Map<String, Object> prefs = new HashMap<>();
        prefs.put("download.default_directory", downloads.toString());
        prefs.put("download.prompt_for_download", false);
        prefs.put("safebrowsing.enabled", false);
        options.setExperimentalOption("prefs", prefs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        ChromeDriver chrome = new ChromeDriver(service, options);
        chrome.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath",
                downloads.toString()));
        return chrome;
    }

    @AfterEach
    void stop() throws IOException {
        try {
            if (driver != null) {
                driver.quit();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    /** 96 events a minute apart: logins (every fourth a failure, by mallory or eve), access checks, findings. */
    private void send(String key) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 96; i++) {
            Instant at = T0.plusSeconds(60L * i);
            EventType type;
            String actor;
            if (i % 24 == 23) {
                type = i % 48 == 47 ? EventCatalog.SECURITY_ATTACK_DETECTED : EventCatalog.SECURITY_BRUTE_FORCE_DETECTED;
                actor = "mallory";
                findings.add(at.toString());
            } else if (i % 4 == 0) {
                type = EventCatalog.AUTH_LOGIN_FAILURE;
                actor = i % 8 == 0 ? "mallory" : "eve";
                malloryFailures += actor.equals("mallory") ? 1 : 0;
            } else if (i % 7 == 0) {
                type = EventCatalog.AUTHZ_ACCESS_DENIED;
                actor = "bob";
            } else if (i % 3 == 0) {
                type = EventCatalog.AUTHZ_ACCESS_GRANTED;
                actor = "bob";
            } else {
                type = EventCatalog.AUTH_LOGIN_SUCCESS;
                actor = "alice";
            }
            if (type.outcome() == Outcome.FAILURE) {
                failures++;
            }
            AuditEvent.Builder b = AuditEvent.builder(type).id(UUID.randomUUID()).timestamp(at)
                    .actor(new Actor(ActorType.USER, Optional.of(actor), Optional.empty(),
                            Optional.of(actor.equals("mallory") ? "198.51.100.9" : "10.0.0." + (i % 5 + 1)),
                            Optional.empty()));
            if (type.category() == Category.AUTHZ) {
                b.target(Target.of("document", String.valueOf(i)));
            }
            lines.add(EventJson.toCanonicalString(b.build()));
        }
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/events"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(String.join("\n", lines) + "\n")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    private void screenshot(String name) throws IOException {
        File png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), shots.resolve(String.format("%02d-%s.png", ++shot, name)),
                StandardCopyOption.REPLACE_EXISTING);
    }

    private List<WebElement> rows() {
        return driver.findElements(By.cssSelector("#events tbody tr"));
    }

    private List<String> column(int index) {
        return rows().stream().map(r -> r.findElements(By.tagName("td")).get(index).getText()).toList();
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    @Test
    void signInFilterProveFindExportAndSignOut() throws Exception {
        driver.get(base + "/");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("key")));
        screenshot("sign-in");

        // A key the server does not know: the error is shown, and the page stays at sign-in, keeping nothing.
        driver.findElement(By.id("key")).sendKeys("vk_nope00000000_" + "A".repeat(43), Keys.ENTER);
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signin-error")));
        assertThat(error.getText()).contains("not accepted");
        assertThat(driver.findElement(By.id("app")).isDisplayed()).isFalse();
        assertThat(js("return sessionStorage.length + localStorage.length")).isEqualTo(0L);
        screenshot("bad-key");

        // The read key: a page of 50 events, newest first, and a next page.
        driver.findElement(By.id("key")).sendKeys(readKey, Keys.ENTER);
        wait.until(d -> rows().size() == 50);
        assertThat(column(1).get(0)).isEqualTo("95");
        assertThat(column(1).get(49)).isEqualTo("46");
        assertThat(driver.findElement(By.id("next-page")).isEnabled()).isTrue();
        assertThat(js("return localStorage.length")).as("never in local storage").isEqualTo(0L);
        assertThat(js("return sessionStorage.getItem('vigil.key')")).isEqualTo(readKey);
        assertThat(driver.getCurrentUrl()).doesNotContain(readKey);
        List<String> categories = new Select(driver.findElement(By.id("category"))).getOptions().stream()
                .map(WebElement::getText).filter(t -> !t.equals("any")).toList();
        assertThat(categories).isEqualTo(Arrays.stream(Category.values()).map(Category::jsonName).toList());

        // Badge, timeline and findings are there without any further click.
        WebElement badge = driver.findElement(By.id("badge"));
        wait.until(d -> badge.getText().contains("no server verification on record"));
        assertThat(badge.getText()).contains("Checkpoint 96 entries").contains("signature verified in your browser");
        wait.until(d -> driver.findElements(By.cssSelector("#findings button")).size() == findings.size());
        List<String> listed = driver.findElements(By.cssSelector("#findings button")).stream()
                .map(WebElement::getText).toList();
        assertThat(listed.get(0)).as("newest first").startsWith(findings.get(findings.size() - 1)
                .substring(0, 19).replace('T', ' '));
        assertThat(listed).allMatch(t -> t.contains("security."));
        assertThat(driver.findElement(By.id("chart")).getAttribute("data-events")).isEqualTo("96");
        assertThat(driver.findElements(By.cssSelector("#chart svg rect.cat-security"))).isNotEmpty();
        assertThat(driver.findElements(By.cssSelector("#chart svg rect.fail"))).isNotEmpty();
        assertThat(driver.findElements(By.cssSelector("#legend li")).stream().map(WebElement::getText))
                .contains("auth", "authz", "security");
        screenshot("signed-in");

        // Filter: outcome failure, then Enter in the actor field narrows it to mallory.
        new Select(driver.findElement(By.id("outcome"))).selectByVisibleText("failure");
        driver.findElement(By.id("apply")).click();
        wait.until(d -> rows().size() == failures && column(3).stream().allMatch("failure"::equals));
        driver.findElement(By.name("actor")).sendKeys("mallory", Keys.ENTER);
        wait.until(d -> rows().size() == malloryFailures && column(4).stream().allMatch("mallory"::equals));
        assertThat(column(3)).containsOnly("failure");
        screenshot("filtered");

        // Keyboard: j moves down, Enter opens, every proof step passes in the browser, Esc closes.
        WebElement first = rows().get(0);
        first.click();
        wait.until(d -> driver.findElement(By.id("detail")).isDisplayed());
        driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        wait.until(d -> !driver.findElement(By.id("detail")).isDisplayed());
        assertThat(driver.switchTo().activeElement()).as("focus back on the row").isEqualTo(first);
        first.sendKeys("j");
        WebElement second = rows().get(1);
        assertThat(driver.switchTo().activeElement()).isEqualTo(second);
        second.sendKeys(Keys.ENTER);
        WebElement integrity = driver.findElement(By.id("integrity"));
        wait.until(d -> integrity.getText().startsWith("Verified in your browser"));
        List<WebElement> steps = driver.findElements(By.cssSelector("#steps li"));
        assertThat(steps).hasSize(3);
        assertThat(steps).allMatch(s -> s.getAttribute("class").contains("passed"));
        assertThat(steps.stream().map(s -> s.getAttribute("data-step"))).containsExactly("hash", "inclusion",
                "checkpoint");
        assertThat(driver.findElement(By.id("entry-json")).getText()).contains("\"actor\"").contains("mallory");
        screenshot("event-verified");
        driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        wait.until(d -> !driver.findElement(By.id("detail")).isDisplayed());

        tamperedProofsFail(second.getAttribute("data-id"));

        // A finding opens its detail too.
        driver.findElements(By.cssSelector("#findings button")).get(0).click();
        wait.until(d -> integrity.getText().startsWith("Verified in your browser"));
        assertThat(driver.findElement(By.id("detail-title")).getText()).startsWith("security.");
        screenshot("finding-verified");
        driver.findElement(By.id("detail-close")).click();
        wait.until(d -> !driver.findElement(By.id("detail")).isDisplayed());

        exportsTheFilteredEvidence();

        driver.findElement(By.id("sign-out")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("key")));
        assertThat(js("return sessionStorage.length")).isEqualTo(0L);
        screenshot("signed-out");
    }

    /** The proof module, called in the page on a modified entry, proof or checkpoint, names the step that fails. */
    private void tamperedProofsFail(String id) throws IOException {
        Object result = ((JavascriptExecutor) driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                (async () => {
                  const m = await import('/ui/proof.js');
                  const h = {Authorization: 'Bearer ' + sessionStorage.getItem('vigil.key')};
                  const ev = await (await fetch('/v1/events/' + arguments[0], {headers: h})).json();
                  const key = (await (await fetch('/v1/checkpoints/latest', {headers: h})).json()).verifierKey;
                  const status = (r) => r.steps.map((s) => s.status).join(',');
                  const out = {good: status(await m.verifyEvent(ev.entry, ev.proof, key))};
                  const entry = structuredClone(ev.entry);
                  entry.actor.id = 'someone-else';
                  const proof = structuredClone(ev.proof);
                  delete proof.entry; // without the stored line, only the recomputed hash can catch it
                  out.entry = status(await m.verifyEvent(entry, proof, key));
                  const path = structuredClone(ev.proof);
                  path.path[0] = (path.path[0][0] === '0' ? '1' : '0') + path.path[0].slice(1);
                  out.path = status(await m.verifyEvent(ev.entry, path, key));
                  const note = structuredClone(ev.proof);
                  const sig = note.checkpoint.lastIndexOf(' ') + 12;
                  note.checkpoint = note.checkpoint.slice(0, sig)
                      + (note.checkpoint[sig] === 'A' ? 'B' : 'A') + note.checkpoint.slice(sig + 1);
                  out.note = status(await m.verifyEvent(ev.entry, note, key));
                  const other = 'mallory+00000000+' + key.slice(key.indexOf('+', key.indexOf('+') + 1) + 1);
                  out.key = status(await m.verifyEvent(ev.entry, ev.proof, other));
                  return JSON.stringify(out);
                })().then(done, (e) => done('error: ' + e));
                """, id);
        assertThat(result).asString().doesNotStartWith("error");
        JsonNode r = JSON.readTree(result.toString());
        assertThat(r.get("good").asText()).isEqualTo("passed,passed,passed");
        assertThat(r.get("entry").asText()).isEqualTo("failed,passed,passed");
        assertThat(r.get("path").asText()).isEqualTo("passed,failed,passed");
        assertThat(r.get("note").asText()).isEqualTo("passed,passed,failed");
        assertThat(r.get("key").asText()).isEqualTo("passed,passed,failed");
    }

    /** Export with the filters on screen: the browser saves a bundle that verifies and holds just those events. */
    private void exportsTheFilteredEvidence() throws Exception {
        driver.findElement(By.id("export")).click();
        wait.until(d -> driver.findElement(By.id("message")).getText().startsWith("Exported"));
        Path zip = downloads.resolve("vigil-acme-evidence.zip");
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> Files.exists(zip) && !hasPartial());
        screenshot("exported");
        EvidenceBundle.Report report = EvidenceBundle.verify(zip, KeyFiles.readPublic(server.dir()
                .resolve("server.pub")));
        assertThat(report.problems()).isEmpty();
        assertThat(report.ok()).isTrue();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            JsonNode manifest = JSON.readTree(z.getInputStream(z.getEntry("manifest.json")));
            assertThat(manifest.toString()).contains("mallory").contains("failure");
            String entries = new String(z.getInputStream(z.getEntry("entries.jsonl")).readAllBytes());
            assertThat(entries.lines().count()).isEqualTo(malloryFailures);
            assertThat(entries.lines()).allMatch(l -> l.contains("\"outcome\":\"failure\"") && l.contains("mallory"));
        }
    }

    private boolean hasPartial() {
        try (Stream<Path> files = Files.list(downloads)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".crdownload"));
        } catch (IOException e) {
            return true;
        }
    }
}
