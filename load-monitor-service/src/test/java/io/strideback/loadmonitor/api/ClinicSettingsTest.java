package io.strideback.loadmonitor.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.strideback.testing.KafkaResource;
import io.strideback.testing.LocalKeys;
import io.strideback.testing.LocalKeysResource;
import io.strideback.testing.Tokens;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * {@code PUT /api/v1/clinic/rules} over HTTP: a setting outside DOMAIN.md "Settings" bounds, or
 * holding a control character, is 400 problem+json naming it and is never stored (issue 12: a
 * progression window of 2.5e15 hours was accepted and stalled the pipeline); a body over 1 MiB is
 * 413 with a problem.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(LocalKeysResource.class)
class ClinicSettingsTest {

    private static final String RULES = "/api/v1/clinic/rules";

    private final String clinic = "clinic-" + UUID.randomUUID();

    /** A clinic's administrator (v2 names the role; a clinician may hold it alongside). */
    private RequestSpecification admin() {
        return given().contentType(ContentType.JSON).auth().oauth2(Tokens.issue(
                LocalKeys.loadOrCreate(LocalKeys.defaultDir()).getPrivate(), "admin@" + clinic, clinic,
                List.of("clinician", "clinic-admin"), Duration.ofHours(1)));
    }

    /**
     * A change is written through the stream tasks, which answer 503 while they start (the API's "try again"): wait
     * until they answer, whichever test runs first.
     */
    @org.junit.jupiter.api.BeforeEach
    void streamsRunning() {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90))
                .untilAsserted(() -> admin().get(RULES).then().statusCode(200));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
            "progressionWindow | \"PT2562047788015215H\"",
            "joinWindow        | \"PT59M\"",
            "patternWindow     | \"P366D\"",
            "pauseRunningDays  | 0",
            "progressionPercent| 0",
            "relaxCapPercent   | 101",
            "spikeIncrease     | 1.5",
            "flareUpPain       | 0",
            "severePain        | 11",
            "randomMinEpisodes | 51",
            "mixedMinEpisodes  | 1e20",
            "clinicZone        | \"Europe/Oslo\\u0000\"",
            "settleAfter       | \"P1D\\u0000\"",
            // Review r9: values of another JSON type were coerced ("5" and 5.7 became 5, true became 1).
            "flareUpPain       | \"5\"",
            "flareUpPain       | 5.7",
            "severePain        | true",
            "spikeIncrease     | \"0.2\"",
            "spikeIncrease     | false"})
    void a_setting_out_of_bounds_is_400_naming_it_and_nothing_is_stored(String setting, String json) {
        String before = admin().get(RULES).then().statusCode(200).extract().asString();

        admin().body("{\"" + setting + "\": " + json + "}").put(RULES).then()
                .statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(400))
                .body("errors.field", contains(setting));

        admin().get(RULES).then().statusCode(200).body(equalTo(before));
    }

    /**
     * Round 19: each within its bounds, together meaningless (DOMAIN.md "Flare-up": an episode settles at a pain
     * below the one that starts it; "Loads": the acute span is the shorter). Refused naming both, nothing stored.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"settledPain\": 10, \"flareUpPain\": 1} | settledPain    | flareUpPain",
            "{\"settledPain\": 5}                       | settledPain    | flareUpPain",
            "{\"acuteEwmaDays\": 60}                    | acuteEwmaDays  | chronicEwmaDays",
            "{\"acuteEwmaDays\": 7, \"chronicEwmaDays\": 7} | acuteEwmaDays | chronicEwmaDays"})
    void settings_that_contradict_each_other_are_400_naming_both_and_nothing_is_stored(String json, String first,
                                                                                        String second) {
        admin().body(json).put(RULES).then().statusCode(400)
                .contentType(org.hamcrest.Matchers.startsWith("application/problem+json"))
                .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder(first, second));
        admin().get(RULES).then().statusCode(200).body("flareUpPain", equalTo(5)).body("acuteEwmaDays", equalTo(7));
    }

    @Test
    void settings_next_to_each_other_but_not_crossing_are_stored() {
        admin().body("{\"settledPain\": 4, \"flareUpPain\": 5, \"acuteEwmaDays\": 27, \"chronicEwmaDays\": 28}")
                .put(RULES).then().statusCode(200).body("settledPain", equalTo(4)).body("acuteEwmaDays", equalTo(27));
    }

    @Test
    void settings_at_their_bounds_are_stored() {
        admin().body("{\"progressionWindow\": \"P365D\", \"joinWindow\": \"PT1H\", \"relaxCapPercent\": 100,"
                        + " \"flareUpPain\": 10, \"settledMinRuns\": 50, \"spikeIncrease\": 0.01}")
                .put(RULES).then().statusCode(200)
                .body("progressionWindow", equalTo(365 * 24 * 3600f)) // the view writes seconds
                .body("relaxCapPercent", equalTo(100));
        admin().get(RULES).then().statusCode(200).body("joinWindow", equalTo(3600f));
    }

    @Test
    void a_field_name_with_a_lone_surrogate_is_refused_not_failed() {
        String before = admin().get(RULES).then().statusCode(200).extract().asString();

        admin().body("{\"flare\\ud800Pain\": 5}").put(RULES).then()
                .statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(400));

        admin().get(RULES).then().statusCode(200).body(equalTo(before));
    }

    @Test
    void a_body_over_1_MiB_is_413_with_a_problem() {
        String huge = "{\"flareUpPain\": 5" + " ".repeat(1024 * 1024) + "}";

        admin().body(huge).put(RULES).then()
                .statusCode(413)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://strideback.io/problems/too-large"))
                .body("status", equalTo(413));
    }

    /**
     * Issue 16: every change of the settings leaves an audit record (who, before, after) on the load
     * monitor's audit topic, written in the change's transaction; plan-service keeps the audit log.
     */
    @Test
    void a_change_of_the_settings_is_published_for_the_audit_log_with_who_before_and_after() throws Exception {
        // DOMAIN.md's default flareUpPain is 5: the first change moves it to 6, the second to 7.
        admin().body("{\"flareUpPain\": 6}").put(RULES).then().statusCode(200);
        admin().body("{\"flareUpPain\": 7}").put(RULES).then().statusCode(200);

        var records = io.strideback.testing.TopicRecords.read(KafkaResource.bootstrapServers(),
                io.strideback.events.Topic.LOAD_MONITOR_AUDIT.topicName(),
                r -> clinic.equals(io.strideback.events.EventCodec.header(r.headers(), io.strideback.events.EventCodec.CLINIC)),
                found -> found.size() >= 2, Duration.ofSeconds(30));
        var second = (io.strideback.events.SecurityEvents.AuditRecorded) io.strideback.events.EventCodec
                .fromRecord(records.get(1)).data();
        org.assertj.core.api.Assertions.assertThat(second.who()).isEqualTo("admin@" + clinic);
        org.assertj.core.api.Assertions.assertThat(second.what()).isEqualTo("clinic.rules-changed");
        org.assertj.core.api.Assertions.assertThat(second.before().path("flareUpPain").asInt()).isEqualTo(6);
        org.assertj.core.api.Assertions.assertThat(second.after().path("flareUpPain").asInt()).isEqualTo(7);
        var first = (io.strideback.events.SecurityEvents.AuditRecorded) io.strideback.events.EventCodec
                .fromRecord(records.get(0)).data();
        org.assertj.core.api.Assertions.assertThat(io.strideback.events.EventCodec.JSON.treeToValue(first.before(),
                        io.strideback.loadmonitor.domain.ClinicRules.class))
                .as("before the first change: the settings in force, DOMAIN.md's defaults")
                .isEqualTo(io.strideback.loadmonitor.domain.ClinicRules.defaults());
    }
}
