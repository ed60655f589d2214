package io.strideback.browser;

import com.fasterxml.jackson.databind.JsonNode;
import io.strideback.testing.Tokens;
import io.strideback.tools.ApiClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18: the runner's own page ({@code /me}) on a phone (390 x 844) in headless Chromium, signed in
 * with the runner's {@code athlete} token. Today shows the plan in plain words; a symptom with a red
 * flag shows "contact your clinic today" at once and then the referral on Today without a reload; a
 * run logged while Strideback cannot be reached waits in the visible queue, survives a reload and is
 * sent once; another athlete's page shows nothing. axe-core finds no serious or critical violation.
 * Screenshots in target/screenshots, copied to docs/screenshots for the README.
 */
class RunnerPageIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int WIDTH = 390;
    private static final int HEIGHT = 844;

    private static SeedClinic seed;
    private static Chromium browser;
    /** New runners get a clinic of their own, so the seed clinic's overview stays as the other tests know it. */
    private static String runnersClinic;
    private static ApiClient runnersClinician;

    @BeforeAll
    static void start() {
        seed = SeedClinic.get();
        runnersClinic = "runners-" + UUID.randomUUID();
        runnersClinician = seed.client(Tokens.issue(runnersClinic, "clinician"));
        browser = Chromium.start(WIDTH, HEIGHT);
        // A phone: headless Chromium keeps windows at least ~500 px wide, so the viewport is emulated.
        browser.driver().executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", WIDTH, "height", HEIGHT,
                "deviceScaleFactor", 1, "mobile", true));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    /** Opens the runner's page with the token in the link's fragment, as a clinic hands it out. */
    private static void openAs(String athleteId, String token) {
        browser.open(seed.page("/me/" + athleteId + "#token=" + token));
    }

    private static void awaitReady() {
        browser.await("the runner's page ready", WAIT, d -> "ready".equals(browser.find("main").getAttribute("data-state"))
                && browser.find("#today").getAttribute("data-version") != null);
    }

    /** A new runner, enrolled by their clinician; answers once its plan exists. */
    private static String enrolledRunner(String name) {
        String athleteId = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        ApiClient.Answer enrolled = runnersClinician.postIntake("/api/v1/athletes", Map.of("athleteId", athleteId,
                "displayName", "Runner " + name, "diagnosis", "CALF_STRAIN_GASTROCNEMIUS", "side", "LEFT",
                "injuryDate", "2026-09-01", "symptomFreeRunKm", 3.0));
        assertThat(enrolled.status()).isEqualTo(201);
        org.awaitility.Awaitility.await().atMost(WAIT).until(() ->
                runnersClinician.getPlan("/api/v1/athletes/" + athleteId + "/plan").status() == 200);
        return athleteId;
    }

    @Test
    void today_says_in_plain_words_what_the_plan_allows_and_my_flare_ups_are_explained() {
        String token = Tokens.issueAthlete(seed.clinicId, SeedClinic.ATHLETE);
        JsonNode plan = seed.get("plan", "/api/v1/athletes/" + SeedClinic.ATHLETE + "/plan");
        JsonNode episodes = seed.get("load", "/api/v1/athletes/" + SeedClinic.ATHLETE + "/flare-ups").get("episodes");

        openAs(SeedClinic.ATHLETE, token);
        awaitReady();
        assertThat(browser.driver().getCurrentUrl()).as("the token leaves the address bar").doesNotContain("token=");

        assertThat(browser.find("#today").getAttribute("data-version")).isEqualTo(plan.get("version").asText());
        assertThat(browser.find("#today-facts").getAttribute("data-max-distance-km"))
                .isEqualTo(plan.get("constraints").get("maxDistanceKm").asText());
        assertThat(browser.find("#today-facts").getText()).contains("How far", "Up to ", "How fast", "Rest days");
        assertThat(browser.find("#today-verdict").getText()).isNotBlank();
        List<WebElement> exercises = browser.all("#today-exercises li");
        assertThat(exercises).hasSize(plan.get("exercises").size());
        JsonNode first = plan.get("exercises").get(0);
        assertThat(exercises.get(0).getText()).as("the exercise with its dose")
                .contains(first.get("sets").asInt() + (first.get("sets").asInt() == 1 ? " set," : " sets,"))
                .contains(first.get("frequency").asText());
        // The plan's reasons, one per kind of change in force, without the clinician's source notes.
        java.util.Set<String> appliedTypes = new java.util.HashSet<>();
        for (JsonNode a : plan.get("adjustments")) {
            if ("APPLIED".equals(a.get("status").asText()) && !a.path("reason").asText().startsWith("Recorded without a change")) {
                appliedTypes.add(a.get("type").asText());
            }
        }
        List<String> shown = browser.all("#today-reasons li").stream().map(li -> li.getAttribute("data-type")).toList();
        assertThat(shown).doesNotHaveDuplicates();
        if (appliedTypes.isEmpty()) {
            assertThat(browser.find("#today-reasons").getText()).contains("nothing has changed it yet");
        } else {
            assertThat(shown).containsAll(appliedTypes);
        }
        assertThat(browser.find("#today-reasons").getText()).doesNotContain("Recorded without a change", "(load monitor");
        long pending = 0;
        for (JsonNode a : plan.get("adjustments")) {
            pending += "PENDING".equals(a.get("status").asText()) ? 1 : 0;
        }
        if (pending > 0) {
            assertThat(browser.find("#today-reasons li[data-type='PENDING']").getText())
                    .contains("reviewing " + pending + " suggested change");
        }

        assertThat(browser.all("#flare-up-list li")).hasSize(episodes.size());
        assertThat(browser.find("#flare-up-list").getText())
                .contains("you run without symptoms")
                .contains("not after a run");
        assertThat(((Number) browser.js("return window.innerWidth")).intValue()).as("a phone's viewport").isEqualTo(WIDTH);
        assertThat(overflow()).as("no sideways scrolling at 390 px").isLessThanOrEqualTo(0);
        assertNoSeriousAccessibilityViolation("Today of the seed-000 runner");
        shot("me-today-390");
    }

    @Test
    void a_red_flag_says_contact_your_clinic_at_once_and_today_shows_the_referral_without_a_reload() {
        String athleteId = enrolledRunner("red-flag");
        openAs(athleteId, Tokens.issueAthlete(runnersClinic, athleteId));
        awaitReady();
        browser.js("window.__sameDocument = true");
        assertThat(browser.find("#today").getAttribute("data-urgent-referral")).isEqualTo("false");
        assertThat(browser.find("#red-flag-message").isDisplayed()).isFalse();

        // The form by keyboard and touch: pain 4, the spot picked on the picture, when, one red flag.
        browser.find("#pain-scale label[data-pain='4']").click();
        assertThat(browser.find("#pain-scale input[value='4']").isSelected()).isTrue();
        WebElement achilles = browser.find("#calf-picture .region[data-location='ACHILLES']");
        browser.js("arguments[0].scrollIntoView({block: 'center'})", achilles);
        new org.openqa.selenium.interactions.Actions(browser.driver()).moveToElement(achilles).click().perform();
        assertThat(browser.find("input[name='location'][value='ACHILLES']").isSelected()).as("the picture picks the spot").isTrue();
        browser.find("input[name='context'][value='WALKING']").click();
        browser.find("input[name='character'][value='ACHE']").click();
        browser.find("input[name='redFlags'][value='SWELLING']").click();
        WebElement message = browser.find("#red-flag-message");
        assertThat(message.isDisplayed()).as("shown as soon as a red flag is ticked").isTrue();
        assertThat(message.getText()).contains("Contact your clinic today");
        assertThat(message.getAttribute("role")).isEqualTo("alert");
        assertNoSeriousAccessibilityViolation("the symptom form with a red flag ticked");
        shot("me-red-flag-390");

        browser.find("#symptom-send").click();
        browser.await("the referral on Today", WAIT, d ->
                "true".equals(browser.find("#today").getAttribute("data-urgent-referral"))
                        && browser.find("#today-urgent").isDisplayed());
        assertThat(browser.js("return window.__sameDocument === true")).as("no reload").isEqualTo(true);
        assertThat(browser.find("#today-urgent").getText()).contains("Contact your clinic today");
        assertThat(browser.find("#today-verdict").getText()).contains("No running today");
        assertThat(browser.find("#red-flag-message").isDisplayed()).as("the message stays up").isTrue();
        assertThat(browser.find("#queue").isDisplayed()).as("nothing waits").isFalse();
        JsonNode plan = read(runnersClinician.getPlan("/api/v1/athletes/" + athleteId + "/plan"));
        assertThat(plan.get("flags").get("urgentReferral").asBoolean()).isTrue();
        JsonNode symptoms = read(runnersClinician.getLoadMonitor("/api/v1/athletes/" + athleteId + "/timeline")).get("symptoms");
        assertThat(symptoms).hasSize(1);
        assertThat(symptoms.get(0).get("location").asText()).isEqualTo("ACHILLES");
        assertThat(symptoms.get(0).get("redFlags").toString()).contains("SWELLING");
        browser.js("window.scrollTo(0, 0)");
        shot("me-referral-390");
    }

    @Test
    void a_run_logged_offline_waits_in_the_visible_queue_survives_a_reload_and_is_sent_once() {
        String athleteId = enrolledRunner("offline");
        openAs(athleteId, Tokens.issueAthlete(runnersClinic, athleteId));
        awaitReady();
        String intake = seed.stack.url("intake-service");
        browser.driver().executeCdpCommand("Network.enable", Map.of());
        browser.driver().executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of(intake + "/*")));
        try {
            browser.find("#run-distance").sendKeys("2.4");
            browser.find("#run-time").sendKeys("16");
            new org.openqa.selenium.support.ui.Select(browser.find("#run-intensity")).selectByValue("EASY");
            browser.find("#session-send").click();
            browser.await("the run in the queue", WAIT, d -> browser.find("#queue").isDisplayed()
                    && "1".equals(browser.find("#queue").getAttribute("data-count")));
            assertThat(browser.find("#queue-list").getText()).contains("Run: 2.4 km in 16 min");
            assertThat(browser.find("#live").getText()).contains("No connection");
            shot("me-offline-queue-390");

            browser.driver().navigate().refresh();
            awaitReady();
            assertThat(browser.find("#queue").getAttribute("data-count")).as("the queue survives the reload").isEqualTo("1");
            assertThat(browser.find("#queue-list").getText()).contains("Run: 2.4 km in 16 min");
        } finally {
            browser.driver().executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of()));
        }
        browser.await("the queue sent when back online", WAIT, d -> !browser.find("#queue").isDisplayed()
                && "0".equals(browser.find("#queue").getAttribute("data-count")));

        // Once: a marker posted after it, once seen, means the run has been seen as often as it will be.
        ApiClient.Answer marker = runnersClinician.postIntake("/api/v1/athletes/" + athleteId + "/symptoms", Map.of(
                "observedAt", Instant.now().minusSeconds(5).toString(), "pain", 0, "side", "LEFT",
                "location", "MID_CALF", "context", "AT_REST", "character", List.of(), "redFlags", List.of()));
        assertThat(marker.status()).isEqualTo(202);
        org.awaitility.Awaitility.await().atMost(WAIT).until(() ->
                read(runnersClinician.getLoadMonitor("/api/v1/athletes/" + athleteId + "/timeline")).get("symptoms").size() == 1);
        JsonNode sessions = read(runnersClinician.getLoadMonitor("/api/v1/athletes/" + athleteId + "/timeline")).get("sessions");
        assertThat(sessions).hasSize(1);
        assertThat(sessions.get(0).get("run").get("distanceKm").asDouble()).isEqualTo(2.4);
        assertThat(sessions.get(0).get("type").asText()).isEqualTo("RUN");
    }

    @Test
    void another_athletes_page_shows_nothing() {
        String token = Tokens.issueAthlete(seed.clinicId, SeedClinic.ATHLETE);
        openAs(SeedClinic.QUIET_ATHLETE, token);
        browser.await("the nothing-to-show message", WAIT, d -> "error".equals(browser.find("main").getAttribute("data-state"))
                && browser.find("#alert").isDisplayed());
        assertThat(browser.find("#alert").getText()).contains("only your own plan");
        assertThat(browser.find("#me").isDisplayed()).isFalse();
        assertThat(browser.all("#today-exercises li")).isEmpty();
        assertThat(browser.all("#flare-up-list li")).isEmpty();
        assertThat(browser.find("#today").getAttribute("data-version")).isNull();
        assertThat(browser.driver().getPageSource()).doesNotContain("Quiet runner", "CALF_STRAIN_SOLEUS");
        shot("me-other-athlete-390");

        // The APIs the page calls answer the same: 404 for another athlete, 403 for the clinic's calls.
        ApiClient runner = seed.client(token);
        String other = "/api/v1/athletes/" + SeedClinic.QUIET_ATHLETE;
        assertThat(runner.getPlan(other + "/plan").status()).isEqualTo(404);
        assertThat(runner.getLoadMonitor(other + "/flare-ups").status()).isEqualTo(404);
        assertThat(runner.postIntake(other + "/symptoms", Map.of("observedAt", Instant.now().toString(), "pain", 1,
                "side", "LEFT", "location", "MID_CALF", "context", "AT_REST", "character", List.of(), "redFlags", List.of()))
                .status()).isEqualTo(404);
        assertThat(runner.getPlan("/api/v1/adjustments?status=PENDING").status()).isEqualTo(403);
        assertThat(runner.getPlan("/api/v1/athletes/" + SeedClinic.ATHLETE + "/plan").status()).isEqualTo(200);
    }

    // ---------------------------------------------------------------- helpers

    private static JsonNode read(ApiClient.Answer answer) {
        assertThat(answer.status()).as("answer %s", answer.body()).isEqualTo(200);
        return answer.body();
    }

    private static long overflow() {
        return ((Number) browser.js("return document.documentElement.scrollWidth - document.documentElement.clientWidth"))
                .longValue();
    }

    /** Runs axe-core (the org.webjars.npm:axe-core webjar) in the page; fails on a serious or critical violation. */
    private static void assertNoSeriousAccessibilityViolation(String what) {
        if (!Boolean.TRUE.equals(browser.js("return typeof window.axe === 'object'"))) {
            browser.js(axeSource() + "\nreturn true;");
        }
        Object found = browser.driver().executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, {resultTypes: ['violations']})
                  .then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', '))))
                  .catch(e => done(['axe failed: ' + e]));""");
        assertThat((List<?>) found).as("axe-core serious or critical violations on " + what).isEmpty();
    }

    private static String axeSource() {
        String version;
        Properties props = new Properties();
        try (InputStream in = resource("META-INF/maven/org.webjars.npm/axe-core/pom.properties")) {
            props.load(in);
            version = props.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (InputStream in = resource("META-INF/resources/webjars/axe-core/" + version + "/axe.min.js")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = RunnerPageIT.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is not on the test classpath (org.webjars.npm:axe-core)");
        }
        return in;
    }

    /** A whole-page screenshot, kept in target/screenshots and copied to docs/screenshots for the README. */
    private static void shot(String name) {
        try {
            // The whole page at the phone's width (the window is not resized: the viewport is emulated).
            browser.js("window.scrollTo(0, 0); return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
            long height = ((Number) browser.js("return Math.ceil(document.documentElement.scrollHeight)")).longValue();
            Map<String, Object> shot = browser.driver().executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                    "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "width", WIDTH,
                            "height", Math.min(height, 12_000), "scale", 1)));
            Files.createDirectories(Chromium.SCREENSHOTS);
            Path file = Chromium.SCREENSHOTS.resolve(name + ".png");
            Files.write(file, java.util.Base64.getDecoder().decode((String) shot.get("data")));
            assertThat(Files.size(file)).isGreaterThan(10_000);
            String docs = System.getProperty("browser-tests.docs-screenshots");
            if (docs != null && !docs.isBlank()) {
                Path dir = Path.of(docs);
                Files.createDirectories(dir);
                Files.copy(file, dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
