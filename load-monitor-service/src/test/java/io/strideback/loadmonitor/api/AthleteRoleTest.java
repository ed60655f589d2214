package io.strideback.loadmonitor.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.strideback.events.ActivityEvents.AthleteEnrolled;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.Side;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.testing.TopicRecords;
import io.strideback.testing.KafkaResource;
import io.strideback.testing.LocalKeysResource;
import io.strideback.testing.Tokens;
import java.time.Duration;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18 item 1, the {@code athlete} role on every load-monitor endpoint: a runner reads their own
 * flare-ups, load, patterns and history (200); another athlete's id is 404, as for another clinic's;
 * the clinic's calls (the adjustments the rules propose, the clinic's athlete list, rule settings,
 * ops) are 403.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(LocalKeysResource.class)
class AthleteRoleTest {

    private static final List<String> OWN_READS = List.of("/flare-ups", "/load", "/patterns", "/timeline");

    /** Enrolled through the activity log, as intake does; returned once the monitor holds the athlete. */
    private String enrolled(String clinicId) {
        String athleteId = "athlete-" + UUID.randomUUID();
        Instant at = Instant.now().minus(Duration.ofDays(1));
        TopicRecords.send(KafkaResource.bootstrapServers(), EventCodec.toRecord(EventEnvelope.of(
                EventType.ATHLETE_ENROLLED, "/test", at, clinicId, athleteId, new AthleteEnrolled(athleteId, clinicId,
                        "Runner", Diagnosis.CALF_STRAIN_SOLEUS, Side.LEFT, LocalDate.parse("2026-10-01"), 3.0, at))));
        String clinician = Tokens.issue(clinicId, "clinician");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).until(() ->
                get(clinician, "/api/v1/athletes/" + athleteId + "/flare-ups") == 200);
        return athleteId;
    }

    @Test
    void a_runner_reads_their_own_findings_another_athletes_are_404_and_the_clinics_calls_403() throws Exception {
        String clinic = "clinic-" + UUID.randomUUID();
        String me = enrolled(clinic);
        String other = enrolled(clinic);
        String token = Tokens.issueAthlete(clinic, me);
        String stranger = Tokens.issueAthlete("clinic-" + UUID.randomUUID(), me);

        List<String> wrong = new ArrayList<>();
        for (String read : OWN_READS) {
            expect(wrong, "GET " + read + " of myself", get(token, "/api/v1/athletes/" + me + read), 200);
            expect(wrong, "GET " + read + " of another athlete", get(token, "/api/v1/athletes/" + other + read), 404);
            expect(wrong, "GET " + read + " of nobody", get(token, "/api/v1/athletes/nobody" + read), 404);
            expect(wrong, "GET " + read + " from another clinic", get(stranger, "/api/v1/athletes/" + me + read), 404);
            expect(wrong, "GET " + read + " with no token", given().get("/api/v1/athletes/" + me + read).statusCode(), 401);
            // The clinician of the clinic still reads every athlete of it.
            expect(wrong, "GET " + read + " by the clinician", get(Tokens.issue(clinic, "clinician"),
                    "/api/v1/athletes/" + other + read), 200);
        }
        expect(wrong, "GET adjustments (the rules' proposals)", get(token, "/api/v1/athletes/" + me + "/adjustments"), 403);
        expect(wrong, "GET athletes (the clinic's list)", get(token, "/api/v1/athletes"), 403);
        expect(wrong, "GET clinic/rules", get(token, "/api/v1/clinic/rules"), 403);
        expect(wrong, "PUT clinic/rules", given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"painThreshold\": 5}").put("/api/v1/clinic/rules").statusCode(), 403);
        expect(wrong, "GET ops/summary", get(token, "/api/v1/ops/summary"), 403);
        expect(wrong, "GET ops/status", get(token, "/api/v1/ops/status"), 403);
        assertThat(wrong).as("answers that differ from the table").isEmpty();

        // What the runner reads is the athlete's own, in the contract's shape.
        given().auth().oauth2(token).get("/api/v1/athletes/" + me + "/timeline").then().statusCode(200)
                .body("athleteId", org.hamcrest.Matchers.equalTo(me));
        given().auth().oauth2(token).get("/api/v1/athletes/" + me + "/flare-ups").then().statusCode(200)
                .body("episodes", org.hamcrest.Matchers.empty());
    }

    private static int get(String token, String path) {
        return given().auth().oauth2(token).get(path).statusCode();
    }

    private static void expect(List<String> wrong, String what, int status, int expected) {
        if (status != expected) {
            wrong.add(what + ": " + status + ", expected " + expected);
        }
    }
}
