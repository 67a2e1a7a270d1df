package dev.vigil.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testing.Fixtures;
import dev.vigil.testing.RekognitionFake;
import dev.vigil.testing.RunningVigil;
import dev.vigil.testing.Streams;
import dev.vigil.testing.WebhookReceiver;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
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
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real headless Chromium (Selenium 4, the Debian chromium and chromium-driver packages):
 * Vigil runs in-process with the bundled sample day, exactly as {@code java -jar vigil.jar} starts it, its
 * Rekognition pointed at the WireMock fake. The scenarios run in order in one browser, as a household would
 * use it. Outside CI (env CI != true) the class is skipped when the browser is not installed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {

    static final String TOKEN = "browser-token-0123456789abcdef";
    static final String SECRET = "browser-secret-0123456789abcdef";
    static final String CHROMIUM = System.getenv().getOrDefault("VIGIL_TEST_CHROMIUM", "/usr/bin/chromium");
    static final String DRIVER = System.getenv().getOrDefault("VIGIL_TEST_CHROMEDRIVER", "/usr/bin/chromedriver");
    static final Path TARGET = Path.of("target");

    @TempDir
    static Path dir;
    static RekognitionFake rekognition;
    static WebhookReceiver receiver;
    static RunningVigil vigil;
    static WebDriver browser;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        boolean installed = Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(DRIVER));
        if (!"true".equals(System.getenv("CI"))) {
            Assumptions.assumeTrue(installed, "console browser tests skipped: " + CHROMIUM + " or " + DRIVER
                    + " is missing (apt-get install chromium chromium-driver; in CI they are required)");
        }
        assertTrue(installed, "CI needs " + CHROMIUM + " and " + DRIVER + " (.ci/run installs them)");
        Streams.useEmulatorCredentials();
        rekognition = new RekognitionFake();
        rekognition.createCollection("vigil-household");
        rekognition.seedFace("vigil-household", "alice", null);
        rekognition.seedFace("vigil-household", "bob", null);
        rekognition.seedFace("vigil-household", "bob", null);
        receiver = new WebhookReceiver(SECRET);
        Map<String, String> settings = new HashMap<>(Map.of("vigil.webhook.url", receiver.url(),
                "vigil.webhook.secret", SECRET, "vigil.delivery.replay-window", "1s", "vigil.delivery.retry-initial", "50ms",
                "vigil.delivery.retry-max", "200ms", "vigil.breaker.failures", "1000")); // dead-lettered within a second, circuit kept closed
        settings.putAll(Map.of("vigil.web.enabled", "true", "vigil.api.token", TOKEN,
                "vigil.sample.enabled", "true", "vigil.sample.delay-ms", "0",
                "vigil.aws.endpoints.rekognition", rekognition.endpoint(), "vigil.web.public-url", "http://127.0.0.1"));
        vigil = new RunningVigil(dir.resolve("data"), settings);
        base = vigil.httpUrl();

        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER)).usingAnyFreePort().build(); // never Selenium Manager
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium"), "--window-size=1280,1000");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (vigil != null) {
            vigil.close();
        }
        if (rekognition != null) {
            rekognition.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    @Order(1)
    void signingInWithTheTokenShowsTheSampleDaysAlertsWithImages() throws Exception {
        browser.get(base + "/");
        WebElement secret = waitFor(By.id("secret"));
        accessible();
        secret.sendKeys("wrong-token-0123456789");
        secret.sendKeys(Keys.ENTER); // keyboard only
        waitUntil(() -> browser.findElement(By.id("sign-in-error")).getText().contains("Wrong token or password"));
        browser.manage().logs().get(LogType.BROWSER); // the refused sign-in's 401 is expected: drop it
        secret.clear();
        secret.sendKeys(TOKEN, Keys.ENTER);
        waitUntil(() -> browser.findElements(By.cssSelector("[data-alert]")).size() >= 6); // the sample day's 6 alerts
        waitUntil(this::imagesLoaded);
        String page = browser.findElement(By.id("timeline")).getText();
        for (String expected : List.of("Front door", "Driveway", "Back garden", "Unknown person", "Alice",
                "webhook: delivered")) {
            assertTrue(page.contains(expected), expected + " on the timeline:\n" + page);
        }
        // the history is written behind the deliveries: a crop may land a poll (5 s) after its alert is listed
        waitUntil(() -> ((Number) js("return document.querySelectorAll('#timeline img').length")).intValue() >= 6);
        waitUntil(this::imagesLoaded);
        int images = ((Number) js("return document.querySelectorAll('#timeline img').length")).intValue();
        assertTrue(images >= 6, "every alert shows its face crop or snapshot: " + images);
        accessible();
        noConsoleErrors();
        screenshot("console-timeline.png");
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844)); // a phone
        waitUntil(() -> Boolean.TRUE.equals(js("return innerWidth <= 400")));
        assertEquals(Boolean.TRUE, js("return document.documentElement.scrollWidth <= innerWidth"),
                "on a phone the timeline fits the width (no sideways scrolling)");
        screenshot("console-timeline-phone.png");
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1000));
        metrics("timeline", "/");
    }

    @Test
    @Order(2)
    void anUnknownFacesAlertPageTeachesItAsANewPerson() throws Exception {
        browser.get(base + "/?type=unknown_face");
        WebElement link = waitFor(By.cssSelector("[data-alert] a"));
        String id = link.findElement(By.xpath("ancestor::li")).getAttribute("data-alert");
        link.click();
        waitFor(By.id("teach-person"));
        waitUntil(this::imagesLoaded);
        assertTrue(browser.getCurrentUrl().endsWith("/alerts/" + id));
        assertTrue(browser.findElement(By.id("reasons")).getText().length() > 10, "the decision's reasons are shown");
        assertFalse(browser.findElements(By.cssSelector(".facebox")).isEmpty(), "the face box is drawn on the snapshot");
        accessible();
        noConsoleErrors();
        screenshot("console-alert.png");
        metrics("alert", "/alerts/" + id);

        int before = rekognition.requests("IndexFaces").size();
        browser.findElement(By.id("teach-person")).sendKeys("dora");
        browser.findElement(By.id("teach")).click();
        waitUntil(() -> browser.findElement(By.id("action-result")).getText().contains("Taught"));
        waitUntil(() -> rekognition.requests("IndexFaces").size() > before);
        assertEquals("dora", rekognition.requests("IndexFaces").get(before).get("ExternalImageId").asText());
        noConsoleErrors();
    }

    @Test
    @Order(3)
    void markingASuspectedMatchNotAliceRaisesHerFalseMatchCount() {
        assertEquals("0", falseMatchesOf("alice"));
        browser.get(base + "/?type=suspected_match");
        waitFor(By.cssSelector("[data-alert] a")).click();
        WebElement not = waitFor(By.id("not-person"));
        assertEquals("Not Alice", not.getText());
        not.click();
        waitUntil(() -> browser.findElement(By.id("action-result")).getText().contains("not Alice"));
        assertEquals("1", falseMatchesOf("alice"));
        noConsoleErrors();
    }

    @Test
    @Order(4)
    void switchingToAwayMakesTheNextUnknownAlertCritical() {
        browser.get(base + "/mode");
        WebElement away = waitFor(By.id("mode-away"));
        assertTrue(browser.findElement(By.id("quiet-hours")).getText().contains("23:00"), "quiet hours are shown");
        away.click();
        waitUntil(() -> browser.findElement(By.id("mode-result")).getText().contains("away"));
        accessible();

        browser.get(base + "/");
        waitFor(By.cssSelector("[data-alert]"));
        receiver.alwaysRespond(500); // the webhook is down: this alert goes to its dead letters
        for (String record : unknownAtANewCamera()) {
            vigil.record(record, "test-gate");
        }
        waitUntil(() -> browser.findElement(By.id("timeline")).getText().contains("test-gate-cam")); // live update
        WebElement alert = browser.findElement(By.xpath("//li[@data-alert][contains(., 'test-gate-cam')]"));
        assertTrue(alert.getText().contains("Unknown person"), alert.getText());
        assertEquals("critical", alert.findElement(By.cssSelector(".badge")).getText());
        waitUntil(() -> browser.findElement(By.xpath("//li[@data-alert][contains(., 'test-gate-cam')]")).getText()
                .contains("webhook: dead lettered"));
        browser.manage().logs().get(LogType.BROWSER);
        noConsoleErrors();
    }

    @Test
    @Order(5)
    void forgettingAPersonSaysWhatIsErasedAndRemovesTheirFaces() throws Exception {
        browser.get(base + "/people");
        Path notAPhoto = Files.writeString(dir.resolve("holiday.jpg"), "this is text, not a JPEG");
        waitFor(By.id("enrol-person")).sendKeys("bob");
        browser.findElement(By.id("enrol-photo")).sendKeys(notAPhoto.toString());
        browser.findElement(By.cssSelector("form[aria-label='Enrol a photo'] button")).click();
        waitUntil(() -> browser.findElement(By.id("enrol-result")).getText().contains("upload"));
        assertEquals("error", browser.findElement(By.id("enrol-result")).getAttribute("class"),
                "the API's own refusal, inline: " + browser.findElement(By.id("enrol-result")).getText());
        browser.manage().logs().get(LogType.BROWSER); // the refused upload's 400 is expected
        WebElement forget = waitFor(By.cssSelector("[data-forget='bob']"));
        forget.sendKeys(Keys.ENTER); // keyboard: the button is focusable and activates on Enter
        WebElement dialog = waitFor(By.cssSelector("dialog[open]"));
        assertTrue(dialog.getText().contains("erases 2 enrolled face(s) of bob"), dialog.getText());
        assertTrue(dialog.getText().contains("cannot be undone"), dialog.getText());
        dialog.findElement(By.id("confirm-forget")).click();
        // Bob stays listed (he is in the household file) with no face left
        waitUntil(() -> browser.findElement(By.cssSelector("[data-person='bob'] .faces")).getText().equals("0"));
        assertTrue(rekognition.faces("vigil-household").stream().noneMatch(f -> "bob".equals(f.externalImageId())));
        accessible();
        noConsoleErrors();
    }

    @Test
    @Order(6)
    void theHealthPageShowsChannelsAndRedeliversDeadLetters() {
        browser.get(base + "/status");
        waitFor(By.id("sources"));
        assertTrue(browser.findElement(By.id("sources")).getText().contains("sample day"));
        assertTrue(browser.findElement(By.id("cost")).getText().contains("daily budget"));
        WebElement webhook = browser.findElement(By.cssSelector("[data-channel='webhook']"));
        assertTrue(webhook.getText().contains("closed"), "circuit state: " + webhook.getText());
        assertEquals("1", webhook.findElement(By.cssSelector(".dead-letters")).getText());
        accessible();
        receiver.alwaysRespond(200); // the receiver is back
        int before = receiver.requests().size();
        webhook.findElement(By.cssSelector("[data-redeliver='webhook']")).click();
        waitUntil(() -> browser.findElement(By.id("redeliver-result")).getText().contains("1 of 1 redelivered"));
        waitUntil(() -> "0".equals(browser.findElement(By.cssSelector("[data-channel='webhook'] .dead-letters")).getText()));
        assertTrue(receiver.requests().size() > before, "the dead-lettered alert reached the receiver");
        accessible();
        noConsoleErrors();
        metrics("health", "/status");
    }

    @Test
    @Order(7)
    void aCsrfLessPostFromThePageIsRefused() {
        browser.get(base + "/mode");
        waitFor(By.id("mode-home"));
        Object status = ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch('/api/mode', {method: 'PUT', headers: {'Content-Type': 'application/json'},
                  body: JSON.stringify({mode: 'home'})}).then(r => done(r.status));""");
        assertEquals(403L, ((Number) status).longValue());
        browser.manage().logs().get(LogType.BROWSER); // the refused request's 403 is expected
        browser.navigate().refresh();
        assertTrue(waitFor(By.id("mode-away")).isSelected(), "the refused request changed nothing");
    }

    @Test
    @Order(8)
    void afterSigningOutTheApisRefuseTheBrowser() {
        browser.get(base + "/");
        waitFor(By.id("sign-out")).click();
        waitFor(By.id("secret"));
        Object status = ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch('/api/alerts').then(r => done(r.status));""");
        assertEquals(401L, ((Number) status).longValue());
        browser.get(base + "/people");
        waitFor(By.id("secret"));
        assertTrue(browser.findElements(By.id("people")).isEmpty(), "signed out: the sign-in form, no data");
    }

    // ---- helpers ----

    /** Two frames of an unknown face at a camera the sample day never saw (a new visit, a new alert). */
    private static List<String> unknownAtANewCamera() {
        List<String> sample = Fixtures.lines(Fixtures.SCENARIO);
        return sample.subList(48, 50).stream().map(r -> r.replace("side-gate-cam", "test-gate-cam")).toList();
    }

    private String falseMatchesOf(String person) {
        browser.get(base + "/people");
        return waitFor(By.cssSelector("[data-person='" + person + "'] .false-matches")).getText();
    }

    private boolean imagesLoaded() {
        js("document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')"); // below the fold too
        return Boolean.TRUE.equals(js("return [...document.images].length > 0"
                + " && [...document.images].every(i => i.complete && i.naturalWidth > 0)"));
    }

    /** Labels on every control, alt text on every image, text on every button, WCAG AA contrast of text. */
    private void accessible() {
        Object problems = js("""
                const out = [];
                for (const c of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
                  if (!(c.labels && c.labels.length) && !c.getAttribute('aria-label')) out.push('no label: ' + c.outerHTML);
                }
                for (const i of document.images) if (!i.alt) out.push('no alt: ' + i.src);
                for (const b of document.querySelectorAll('button')) if (!b.textContent.trim()) out.push('empty button');
                const rgb = (s) => s.match(/[\\d.]+/g).map(Number);
                const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
                  .reduce((s, v, k) => s + v * [0.2126, 0.7152, 0.0722][k], 0);
                const bg = (e) => { for (; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor);
                  if (c.length < 4 || c[3] > 0) return c; } return [255, 255, 255]; };
                for (const e of document.querySelectorAll('body *')) {
                  if (!e.offsetParent || ![...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
                  const s = getComputedStyle(e);
                  if (s.opacity !== '1' || e.closest('button:disabled')) continue;
                  const a = lum(rgb(s.color)), b = lum(bg(e));
                  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
                  if (ratio < 4.5) out.push('contrast ' + ratio.toFixed(2) + ': ' + e.textContent.trim().slice(0, 40));
                }
                return out;""");
        assertEquals(List.of(), problems, "accessibility basics on " + browser.getCurrentUrl());
    }

    private void noConsoleErrors() {
        List<String> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).map(LogEntry::getMessage).toList();
        assertEquals(List.of(), errors, "browser console on " + browser.getCurrentUrl());
    }

    private void screenshot(String name) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.createDirectories(TARGET);
        Files.copy(shot.toPath(), TARGET.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Page weight (every byte transferred for the page) and first contentful paint, appended to target/. */
    private void metrics(String page, String path) {
        browser.get(base + path);
        waitUntil(() -> Boolean.TRUE.equals(js("return document.readyState === 'complete'")));
        waitUntil(this::settled);
        Object figures = js("""
                const nav = performance.getEntriesByType('navigation')[0];
                const bytes = performance.getEntriesByType('resource').reduce((s, r) => s + r.transferSize, nav.transferSize);
                const fcp = performance.getEntriesByName('first-contentful-paint')[0];
                return (bytes / 1024).toFixed(1) + ' KB, first contentful paint ' + (fcp ? fcp.startTime.toFixed(0) : '?') + ' ms';""");
        try {
            Files.writeString(TARGET.resolve("console-metrics.txt"), page + " " + path + ": " + figures + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private boolean settled() {
        return !browser.findElement(By.id("main")).getText().contains("Loading");
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private static WebElement waitFor(By by) {
        return new WebDriverWait(browser, Duration.ofSeconds(15)).withMessage(ConsoleBrowserTest::page)
                .until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    private static void waitUntil(java.util.function.Supplier<Boolean> condition) {
        new FluentWait<>(browser).withTimeout(Duration.ofSeconds(15)).pollingEvery(Duration.ofMillis(100))
                .ignoring(org.openqa.selenium.NoSuchElementException.class)
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .withMessage(ConsoleBrowserTest::page).until(b -> condition.get());
    }

    /** What the browser shows, for a failed wait's message. */
    private static String page() {
        return browser.getCurrentUrl() + "\n" + browser.findElement(By.tagName("body")).getText()
                + "\nconsole: " + browser.manage().logs().get(LogType.BROWSER).getAll()
                + "\nalerts: " + js("return document.querySelectorAll('[data-alert]').length")
                + ", images not loaded: " + js("return [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)");
    }
}
