package io.strideback.browser;

import com.fasterxml.jackson.databind.JsonNode;
import io.strideback.tools.ApiClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The clinician timeline of the seed-000 runner in headless Chromium: the chart shows the episodes
 * the load monitor found, per classification, and the plan's cap; approving a pending adjustment
 * with the keyboard changes the plan on the page; new events show up without a reload; the clinic
 * overview puts the athlete who needs attention first. Screenshots in target/screenshots.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClinicianTimelineIT {

    private static final Duration WAIT = Duration.ofSeconds(45);

    private static SeedClinic seed;
    private static Chromium browser;

    @BeforeAll
    static void start() {
        seed = SeedClinic.get();
        browser = Chromium.start(1280, 900);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    static void signIn(Chromium b, String token) {
        b.await("the sign-in form", WAIT, d -> b.find("#sign-in").isDisplayed());
        WebElement field = b.find("#token");
        assertThat(b.driver().switchTo().activeElement()).as("the token field has the focus").isEqualTo(field);
        field.sendKeys(token);
        b.find("#sign-in-button").click();
    }

    private static void openAthletePage() {
        browser.open(seed.page("/athletes/" + SeedClinic.ATHLETE));
        if (browser.find("#sign-in").isDisplayed()) {
            signIn(browser, seed.token);
        }
        browser.await("the athlete page ready", WAIT, d -> "ready".equals(browser.find("main").getAttribute("data-state"))
                && browser.find("#athlete-summary").getAttribute("data-episodes") != null);
    }

    @Test
    @Order(1)
    void the_chart_shows_the_episodes_per_classification_and_the_cap_line() {
        JsonNode episodes = seed.get("load", "/api/v1/athletes/" + SeedClinic.ATHLETE + "/flare-ups").get("episodes");
        long runningTriggered = count(episodes, "RUNNING_TRIGGERED");
        long random = count(episodes, "RANDOM");
        JsonNode plan = seed.get("plan", "/api/v1/athletes/" + SeedClinic.ATHLETE + "/plan");
        double cap = plan.get("constraints").get("maxDistanceKm").asDouble();
        // Seed 000 as the e2e tier knows it: flare-ups of both kinds, runs capped at the symptom-free mile.
        assertThat(runningTriggered).isGreaterThanOrEqualTo(2);
        assertThat(random).isGreaterThanOrEqualTo(2);
        assertThat(cap).isEqualTo(1.6);

        openAthletePage();

        // What the chart draws, read from the Chart.js instance itself.
        @SuppressWarnings("unchecked")
        Map<String, Object> drawn = (Map<String, Object>) browser.js("""
                const c = window.strideback.chart();
                const spans = c.options.plugins.episodeSpans.spans;
                const cap = c.data.datasets.find(d => d.kind === 'cap').data;
                const ofKind = k => c.data.datasets.filter(d => d.kind === k).reduce((n, d) => n + d.data.length, 0);
                return {
                  runningTriggered: spans.filter(s => s.classification === 'RUNNING_TRIGGERED').length,
                  random: spans.filter(s => s.classification === 'RANDOM').length,
                  capNow: cap[cap.length - 1].y,
                  capValues: [...new Set(cap.map(p => p.y))],
                  runDays: ofKind('run'), strength: ofKind('strength'), pain: ofKind('pain'), planChanges: ofKind('plan'),
                  chartWidth: c.chartArea.right - c.chartArea.left
                };""");
        assertThat(((Number) drawn.get("runningTriggered")).longValue()).isEqualTo(runningTriggered);
        assertThat(((Number) drawn.get("random")).longValue()).isEqualTo(random);
        assertThat(((Number) drawn.get("capNow")).doubleValue()).isEqualTo(cap);
        assertThat(((Number) drawn.get("runDays")).longValue()).as("days with a run").isGreaterThan(5);
        assertThat(((Number) drawn.get("strength")).longValue()).as("strength sessions").isGreaterThan(5);
        assertThat(((Number) drawn.get("pain")).longValue()).as("symptom reports")
                .isEqualTo(seed.get("load", "/api/v1/athletes/" + SeedClinic.ATHLETE + "/timeline").get("symptoms").size());
        assertThat(((Number) drawn.get("planChanges")).longValue()).as("a marker per plan change")
                .isEqualTo(seed.get("plan", "/api/v1/athletes/" + SeedClinic.ATHLETE + "/plan/history").get("events").size());
        assertThat(((Number) drawn.get("chartWidth")).doubleValue()).as("the chart is laid out").isGreaterThan(500);

        // The same numbers in the page's text, for screen readers (and this test).
        WebElement summary = browser.find("#athlete-summary");
        assertThat(summary.getAttribute("data-episodes-running-triggered")).isEqualTo(String.valueOf(runningTriggered));
        assertThat(summary.getAttribute("data-episodes-random")).isEqualTo(String.valueOf(random));
        assertThat(summary.getAttribute("data-cap-km")).isEqualTo("1.6");
        assertThat(summary.getText()).contains(runningTriggered + " running-triggered", random + " random",
                "Distance cap now 1.6 km");
        assertThat(browser.find("#load-body").getText()).contains("ACWR");
        assertThat(browser.all("#timeline-rows tr")).hasSizeGreaterThan(40);

        // A plan-change marker's hover shows the change and its reason. The tooltip is activated
        // through Chart.js on the marker itself: a pointer moved to computed page coordinates
        // proved flaky under load, and what is tested is the text the hover shows.
        JsonNode firstChange = seed.get("plan", "/api/v1/athletes/" + SeedClinic.ATHLETE + "/plan/history").get("events").get(0);
        browser.js("""
                const c = window.strideback.chart();
                c.canvas.scrollIntoView({block: 'center'});
                const i = c.data.datasets.findIndex(d => d.kind === 'plan');
                const p = c.getDatasetMeta(i).data[0];
                c.setActiveElements([{datasetIndex: i, index: 0}]);
                c.tooltip.setActiveElements([{datasetIndex: i, index: 0}], {x: p.x, y: p.y});
                c.update();
                return true;""");
        String tooltip = browser.await("the tooltip of a plan change", WAIT, d -> (String) browser.js("""
                const t = window.strideback.chart().tooltip;
                return t.opacity > 0 && t.body ? t.body.flatMap(b => b.lines).join(' ') : null;"""));
        assertThat(tooltip).contains("v1 plan.created").contains(firstChange.get("reason").asText().substring(0, 30));
        browser.viewportScreenshot("athlete-1280-hover");
        new org.openqa.selenium.interactions.Actions(browser.driver()).moveToElement(browser.find("#athlete-title")).perform();

        shot("athlete-1280");
    }

    @Test
    @Order(2)
    void approving_a_pending_adjustment_with_the_keyboard_changes_the_plan() {
        openAthletePage();
        JsonNode pending = seed.get("plan", "/api/v1/adjustments?status=PENDING").get("adjustments");
        String glides = null;
        int pendingOfAthlete = 0;
        for (JsonNode p : pending) {
            if (p.get("athleteId").asText().equals(SeedClinic.ATHLETE)) {
                pendingOfAthlete++;
                JsonNode a = p.get("adjustment");
                if (a.get("type").asText().equals("ADD_EXERCISE")
                        && a.path("parameters").path("exercise").asText().equals("NEURAL_GLIDES")) {
                    glides = a.get("adjustmentId").asText();
                }
            }
        }
        assertThat(glides).as("the neural glides wait for approval in a REVIEW clinic").isNotNull();
        assertThat(browser.find("#pending-count").getText()).isEqualTo(String.valueOf(pendingOfAthlete));
        assertThat(browser.all("#exercise-list li[data-exercise='NEURAL_GLIDES']")).isEmpty();
        long versionBefore = Long.parseLong(browser.find("#plan-version").getAttribute("data-version"));

        WebElement approve = browser.find("#pending-list li[data-adjustment-id='" + glides + "'] button.approve");
        assertThat(approve.getAccessibleName()).startsWith("Approve").containsIgnoringCase("neural glides");
        shot("athlete-1280-before-approval");
        approve.sendKeys(Keys.ENTER); // a real <button>: the keyboard works

        final String id = glides;
        browser.await("the approved exercise in the plan", WAIT, d ->
                !browser.all("#exercise-list li[data-exercise='NEURAL_GLIDES']").isEmpty()
                        && browser.all("#pending-list li[data-adjustment-id='" + id + "']").isEmpty());
        long versionAfter = Long.parseLong(browser.find("#plan-version").getAttribute("data-version"));
        assertThat(versionAfter).isGreaterThan(versionBefore);
        assertThat(browser.find("#pending-count").getText()).isEqualTo(String.valueOf(pendingOfAthlete - 1));
        assertThat(browser.find("#live").getText()).contains("Approved");
        assertThat(browser.driver().switchTo().activeElement().getAttribute("id")).as("focus moves to the queue")
                .isEqualTo("pending-title");

        JsonNode plan = seed.get("plan", "/api/v1/athletes/" + SeedClinic.ATHLETE + "/plan");
        assertThat(plan.get("version").asLong()).isEqualTo(versionAfter);
        List<String> exercises = new ArrayList<>();
        plan.get("exercises").forEach(e -> exercises.add(e.get("name").asText()));
        assertThat(exercises).contains("NEURAL_GLIDES");
        Number markers = (Number) browser.js("return window.strideback.chart().data.datasets.find(d => d.kind === 'plan').data.length");
        assertThat(markers.longValue()).as("the approval is a plan change on the chart")
                .isEqualTo(seed.get("plan", "/api/v1/athletes/" + SeedClinic.ATHLETE + "/plan/history").get("events").size());
        shot("athlete-1280-approved");
    }

    @Test
    @Order(3)
    void the_page_follows_new_events_without_a_reload() {
        openAthletePage();
        browser.js("window.__sameDocument = true");
        int symptomsBefore = seed.get("load", "/api/v1/athletes/" + SeedClinic.ATHLETE + "/timeline").get("symptoms").size();
        ApiClient.Answer posted = seed.api.postIntake("/api/v1/athletes/" + SeedClinic.ATHLETE + "/symptoms", Map.of(
                "observedAt", Instant.now().minusSeconds(60).toString(), "pain", 1, "side", "LEFT",
                "location", "MID_CALF", "context", "AT_REST", "character", List.of(), "redFlags", List.of()));
        assertThat(posted.status()).isEqualTo(202);
        browser.await("the new symptom on the page", WAIT, d ->
                browser.find("#athlete-summary").getText().contains((symptomsBefore + 1) + " symptom reports"));
        assertThat(browser.js("return window.__sameDocument === true")).as("no reload").isEqualTo(true);
        assertThat(browser.find("#live").getText()).contains("1 new symptom report");
    }

    @Test
    @Order(4)
    void the_overview_puts_the_athlete_who_needs_attention_first() {
        browser.open(seed.page("/"));
        browser.await("the overview", WAIT, d -> "ready".equals(browser.find("main").getAttribute("data-state"))
                && browser.all("#overview-rows tr").size() >= 2);
        List<WebElement> rows = browser.all("#overview-rows tr");
        assertThat(rows.get(0).getAttribute("data-athlete-id")).isEqualTo(SeedClinic.ATHLETE);
        assertThat(rows.get(0).getText()).contains("waiting for approval");
        assertThat(rows.get(rows.size() - 1).getAttribute("data-athlete-id")).isEqualTo(SeedClinic.QUIET_ATHLETE);
        shot("overview-1280");

        rows.get(0).findElement(org.openqa.selenium.By.cssSelector("a")).click();
        browser.await("the athlete page from the overview", WAIT, d -> "ready".equals(browser.find("main").getAttribute("data-state"))
                && d.getCurrentUrl().endsWith("/athletes/" + SeedClinic.ATHLETE));
    }

    @Test
    @Order(5)
    void the_pages_are_readable_on_a_phone() {
        browser.resize(390, 844);
        try {
            openAthletePage();
            long overflow = ((Number) browser.js(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth")).longValue();
            assertThat(overflow).as("no sideways scrolling of the page at 390 px").isLessThanOrEqualTo(0);
            Number chartWidth = (Number) browser.js("return window.strideback.chart().width");
            assertThat(chartWidth.doubleValue()).isBetween(250.0, 390.0);
            shot("athlete-390");
            browser.open(seed.page("/"));
            browser.await("the overview", WAIT, d -> "ready".equals(browser.find("main").getAttribute("data-state")));
            shot("overview-390");
        } finally {
            browser.resize(1280, 900);
        }
    }

    private static long count(JsonNode episodes, String classification) {
        long n = 0;
        for (JsonNode e : episodes) {
            if (e.get("classification").asText().equals(classification)) {
                n++;
            }
        }
        return n;
    }

    private static void shot(String name) {
        Path file = browser.screenshot(name);
        assertThat(file).exists();
        try {
            assertThat(Files.size(file)).isGreaterThan(10_000);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
