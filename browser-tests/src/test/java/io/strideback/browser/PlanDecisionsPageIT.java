package io.strideback.browser;

import com.fasterxml.jackson.databind.JsonNode;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.FindingEvents.AdjustmentProposed;
import io.strideback.events.FindingEvents.AdjustmentWithdrawn;
import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.PatternKind;
import io.strideback.testing.Tokens;
import io.strideback.testing.TopicRecords;
import io.strideback.tools.ApiClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.WebElement;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The clinician's decisions on the athlete page, in headless Chromium (issues 13 item 7 and 18 item 3): the
 * athlete is shown by the name given at enrolment, the id as a secondary line; an urgent referral shows a
 * clearance form, and clearing it with a reason ends the referral; an adjustment the load monitor withdrew is
 * struck through with the reason; a phase change past an unmet gate shows the unmet criteria of the 409.
 * The test stands in for the load monitor's withdrawal by writing it to the adjustments topic.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlanDecisionsPageIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String ATHLETE = "grace-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String NAME = "Grace Okonkwo";

    private static SeedClinic seed;
    private static Chromium browser;
    private static String clinicId;
    private static String token;
    private static ApiClient api;

    @BeforeAll
    static void start() {
        seed = SeedClinic.get();
        clinicId = "decisions-clinic-" + UUID.randomUUID();
        token = Tokens.issue(clinicId, "clinician");
        api = seed.client(token);
        ApiClient.Answer enrolled = api.postIntake("/api/v1/athletes", Map.of("athleteId", ATHLETE, "displayName", NAME,
                "diagnosis", "CALF_STRAIN_GASTROCNEMIUS", "side", "LEFT", "injuryDate", "2026-10-01",
                "symptomFreeRunKm", 5.0, "timeZone", "Europe/London"));
        assertThat(enrolled.status()).as("enrolment: %s", enrolled.body()).isEqualTo(201);
        // The plan is made by plan-service's consumer a moment later: the first page must not open before it.
        org.awaitility.Awaitility.await().atMost(WAIT).until(() ->
                api.getPlan("/api/v1/athletes/" + ATHLETE + "/plan").status() == 200);
        browser = Chromium.start(1280, 900);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    private static void openAthletePage() {
        browser.open(seed.page("/athletes/" + ATHLETE));
        if (browser.find("#sign-in").isDisplayed()) {
            ClinicianTimelineIT.signIn(browser, token);
        }
        browser.await("the athlete page ready", WAIT, d -> "ready".equals(browser.find("main").getAttribute("data-state")));
    }

    private JsonNode plan() {
        ApiClient.Answer a = api.getPlan("/api/v1/athletes/" + ATHLETE + "/plan");
        assertThat(a.status()).isEqualTo(200);
        return a.body();
    }

    @Test
    @Order(1)
    void the_athlete_is_shown_by_name_with_the_id_as_a_secondary_line() {
        openAthletePage();
        browser.await("the name from enrolment", WAIT, d -> NAME.equals(browser.find("#athlete-name").getText()));
        assertThat(browser.find("#athlete-id").getText()).isEqualTo(ATHLETE);
        assertThat(browser.driver().getTitle()).startsWith(NAME);

        browser.open(seed.page("/"));
        browser.await("the overview", WAIT, d -> "ready".equals(browser.find("main").getAttribute("data-state"))
                && !browser.all("#overview-rows tr[data-athlete-id='" + ATHLETE + "']").isEmpty());
        WebElement row = browser.find("#overview-rows tr[data-athlete-id='" + ATHLETE + "']");
        assertThat(row.findElement(org.openqa.selenium.By.cssSelector("a.athlete-name")).getText()).isEqualTo(NAME);
        assertThat(row.findElement(org.openqa.selenium.By.cssSelector(".secondary-id")).getText()).isEqualTo(ATHLETE);
    }

    @Test
    @Order(2)
    void an_urgent_referral_is_cleared_from_the_page_with_a_reason() {
        ApiClient.Answer posted = api.postIntake("/api/v1/athletes/" + ATHLETE + "/symptoms", Map.of(
                "observedAt", Instant.now().minusSeconds(120).toString(), "pain", 4, "side", "LEFT",
                "location", "MID_CALF", "context", "AT_REST", "character", List.of("ACHE"), "redFlags", List.of("SWELLING")));
        assertThat(posted.status()).isEqualTo(202);
        openAthletePage();
        browser.await("the referral clearance form", WAIT, d -> browser.find("#referral-form").isDisplayed());
        assertThat(browser.find("#referral-clear").getAccessibleName()).isEqualTo("Clear the urgent referral");
        browser.screenshot("decisions-referral-1280");

        browser.find("#referral-reason").sendKeys("Seen in clinic: ultrasound clear, no DVT.");
        browser.find("#referral-clear").click();
        browser.await("the referral cleared", WAIT, d -> !browser.find("#referral-form").isDisplayed());
        assertThat(browser.find("#live").getText()).contains("Urgent referral cleared");
        assertThat(plan().get("flags").get("urgentReferral").asBoolean()).isFalse();
        JsonNode events = api.getPlan("/api/v1/athletes/" + ATHLETE + "/plan/history").body().get("events");
        List<String> clearances = new java.util.ArrayList<>();
        events.forEach(e -> {
            if ("plan.referral-cleared".equals(e.get("type").asText())) {
                clearances.add(e.get("reason").asText());
            }
        });
        assertThat(clearances).singleElement().asString().contains("ultrasound clear, no DVT");
    }

    @Test
    @Order(3)
    void an_adjustment_the_monitor_withdrew_is_struck_through_with_the_reason() {
        Instant now = Instant.now();
        String capId = "cap-" + UUID.randomUUID();
        EventEnvelope<AdjustmentProposed> cap = EventEnvelope.of(EventType.PLAN_ADJUSTMENT_PROPOSED, "/strideback/load-monitor-service",
                now, clinicId, ATHLETE, new AdjustmentProposed(capId, ATHLETE, clinicId, AdjustmentType.CAP_RUN_DISTANCE,
                        PatternKind.RUNNING_TRIGGERED_DISTANCE, "running-triggered-distance", Map.of("maxDistanceKm", 3.0),
                        List.of("evt-a"), "Two flare-ups followed runs longer than 3.0 km.", now));
        String why = "A late run showed the flare-ups came after runs within 3.0 km.";
        EventEnvelope<AdjustmentWithdrawn> withdrawn = EventEnvelope.of(EventType.PLAN_ADJUSTMENT_WITHDRAWN,
                "/strideback/load-monitor-service", now, clinicId, ATHLETE,
                new AdjustmentWithdrawn(capId, ATHLETE, clinicId, AdjustmentType.CAP_RUN_DISTANCE, why, now));
        TopicRecords.send(seed.stack.kafkaBootstrap(), EventCodec.toRecord(cap), EventCodec.toRecord(withdrawn));

        openAthletePage();
        String item = "#adjustment-list li[data-adjustment-id='" + capId + "']";
        browser.await("the withdrawn cap struck through", WAIT, d -> !browser.all(item + "[data-status='WITHDRAWN'] del").isEmpty());
        WebElement li = browser.find(item);
        assertThat(li.findElement(org.openqa.selenium.By.cssSelector("del")).getText()).isEqualTo("Cap run distance");
        assertThat(li.getText()).contains("Withdrawn:").contains("a late run showed the flare-ups came after runs within 3.0 km");
        String line = (String) browser.js("return getComputedStyle(arguments[0]).textDecorationLine",
                li.findElement(org.openqa.selenium.By.cssSelector("del")));
        assertThat(line).contains("line-through");
        assertThat(plan().get("constraints").get("maxDistanceKm").asDouble()).isEqualTo(5.0);
        browser.screenshot("decisions-withdrawn-1280");
    }

    @Test
    @Order(4)
    void a_phase_change_past_an_unmet_gate_shows_the_unmet_criteria() {
        openAthletePage();
        assertThat(browser.all("#gate-missing li")).as("the gate into RETURN_TO_RUN, no assessment yet").isNotEmpty();
        new org.openqa.selenium.support.ui.Select(browser.find("#phase-to")).selectByValue("RETURN_TO_RUN");
        browser.find("#phase-reason").sendKeys("Walking is pain-free.");
        browser.find("#phase-change").click();
        browser.await("the unmet criteria of the 409", WAIT, d -> !browser.all("#phase-unmet-list li").isEmpty());
        assertThat(browser.find("#phase-unmet").getText()).containsIgnoringCase("single-leg calf raises");
        assertThat(plan().get("phase").asText()).isEqualTo("PROTECT");
        browser.screenshot("decisions-gate-1280");
    }
}
