package io.strideback.loadmonitor.streams;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.strideback.events.ActivityEvents.AthleteEnrolled;
import io.strideback.events.ActivityEvents.SymptomReported;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.Topic;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.PainCharacter;
import io.strideback.events.vocabulary.PainLocation;
import io.strideback.events.vocabulary.Side;
import io.strideback.events.vocabulary.SymptomContext;
import io.strideback.testing.KafkaResource;
import io.strideback.testing.LocalKeys;
import io.strideback.testing.LocalKeysResource;
import io.strideback.testing.Tokens;
import io.strideback.testing.TopicRecords;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/**
 * A clinic's settings change on a real broker: {@code PUT /api/v1/clinic/rules} reaches every partition's task,
 * which analyses its own athletes of the clinic again; what the new settings no longer support is withdrawn
 * (DOMAIN.md "Convergence"), and the defaults again bring it back.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(LocalKeysResource.class)
class SettingsReanalysisTest {

    private static final Instant DAY_0 = Instant.now().minus(Duration.ofDays(10));

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void a_settings_change_analyses_the_clinics_athletes_again_and_withdraws_what_no_longer_holds() {
        String clinic = "clinic-" + UUID.randomUUID();
        // Two athletes, each with two random flare-ups: a clinician's review each (most likely on two partitions).
        for (String athlete : List.of("runner-1", "runner-2")) {
            TopicRecords.send(bootstrap, EventCodec.toRecord(enrolment(clinic, athlete)),
                    EventCodec.toRecord(symptom(clinic, athlete, DAY_0, 5, SymptomContext.WALKING, PainCharacter.ACHE)),
                    EventCodec.toRecord(symptom(clinic, athlete, DAY_0.plus(Duration.ofDays(2)), 1,
                            SymptomContext.AT_REST)),
                    EventCodec.toRecord(symptom(clinic, athlete, DAY_0.plus(Duration.ofDays(5)), 6,
                            SymptomContext.NIGHT, PainCharacter.CRAMP)));
        }
        for (String athlete : List.of("runner-1", "runner-2")) {
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> clinician(clinic)
                    .get("/api/v1/athletes/" + athlete + "/adjustments").then().statusCode(200)
                    .body("adjustments.type", hasItem("CLINICIAN_REVIEW")));
        }

        admin(clinic).body("{\"randomMinEpisodes\": 3}").put("/api/v1/clinic/rules").then().statusCode(200);

        for (String athlete : List.of("runner-1", "runner-2")) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> clinician(clinic)
                    .get("/api/v1/athletes/" + athlete + "/adjustments").then().statusCode(200)
                    .body("adjustments.type", not(hasItem("CLINICIAN_REVIEW"))));
        }
        var withdrawals = TopicRecords.read(bootstrap, Topic.PLAN_ADJUSTMENTS.topicName(),
                r -> clinic.equals(EventCodec.header(r.headers(), EventCodec.CLINIC))
                        && "plan.adjustment.withdrawn".equals(EventCodec.header(r.headers(), EventCodec.TYPE)),
                found -> found.size() >= 2, Duration.ofSeconds(60));
        assertThat(withdrawals).extracting(r -> EventCodec.header(r.headers(), EventCodec.SUBJECT))
                .containsExactlyInAnyOrder("runner-1", "runner-2");

        admin(clinic).body("{}").put("/api/v1/clinic/rules").then().statusCode(200);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> clinician(clinic)
                .get("/api/v1/athletes/runner-1/adjustments").then().statusCode(200)
                .body("adjustments.type", hasItem("CLINICIAN_REVIEW")));
    }

    private static io.restassured.specification.RequestSpecification clinician(String clinic) {
        return given().auth().oauth2(Tokens.issue(clinic, "clinician"));
    }

    private static io.restassured.specification.RequestSpecification admin(String clinic) {
        return given().contentType(ContentType.JSON).auth().oauth2(Tokens.issue(
                LocalKeys.loadOrCreate(LocalKeys.defaultDir()).getPrivate(), "admin@" + clinic, clinic,
                List.of("clinician", "clinic-admin"), Duration.ofHours(1)));
    }

    private static EventEnvelope<AthleteEnrolled> enrolment(String clinic, String athlete) {
        Instant at = DAY_0.minus(Duration.ofDays(20));
        return EventEnvelope.of(EventType.ATHLETE_ENROLLED, "/test", at, clinic, athlete, new AthleteEnrolled(athlete,
                clinic, "Runner", Diagnosis.CALF_STRAIN_SOLEUS, Side.LEFT, LocalDate.now().minusDays(40), 3.0, at));
    }

    private static EventEnvelope<SymptomReported> symptom(String clinic, String athlete, Instant at, int pain,
                                                          SymptomContext context, PainCharacter... character) {
        return EventEnvelope.of(EventType.SYMPTOM_REPORTED, "/test", at, clinic, athlete,
                new SymptomReported(athlete, clinic, at, pain, Side.LEFT, PainLocation.MID_CALF, List.of(character),
                        context, List.of(), null));
    }
}
