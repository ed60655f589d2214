package io.strideback.intake.messaging;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.strideback.intake.service.IntakeService;
import io.strideback.intake.support.ActivityTopic;
import io.strideback.intake.support.Bodies;
import io.strideback.intake.support.Json;
import io.strideback.intake.support.TestClinic;
import io.strideback.testing.LocalKeysResource;
import io.strideback.testing.PostgresResource;
import io.strideback.testing.StoppableBroker;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.strideback.intake.support.IntakeTest.isProblem;
import static io.strideback.intake.support.IntakeTest.retriedUntilAccepted;
import static io.strideback.intake.support.Problems.UNAVAILABLE;
import static io.strideback.intake.support.TestClinic.CLINICIAN;
import static io.strideback.intake.support.TestClinic.DEVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.blankOrNullString;

/**
 * 202 means durably in Kafka; when the broker cannot take an event the answer is 503 with
 * Retry-After and nothing is half-written, and a retry with the same Idempotency-Key after the
 * broker is back lands exactly once (CONTRACT.md intake section). This test stops a broker, so it
 * runs against one of its own (its own profile: one more Quarkus boot).
 */
@QuarkusTest
@TestProfile(BrokerDownTest.OwnBroker.class)
class BrokerDownTest {

    /** The service on {@link StoppableBroker}, waiting at most 2 s for an acknowledgement. */
    public static class OwnBroker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("strideback.intake.publish-timeout", "PT2S");
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(StoppableBroker.class),
                    new TestResourceEntry(PostgresResource.class, Map.of("database", "intake")),
                    new TestResourceEntry(LocalKeysResource.class));
        }
    }

    private static final String SYMPTOMS = "/api/v1/athletes/{athleteId}/symptoms";
    private static final String SESSIONS = "/api/v1/athletes/{athleteId}/sessions";

    @Test
    void a_post_while_the_broker_is_down_gets_503_and_its_retry_lands_exactly_once() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        String key = UUID.randomUUID().toString();
        String symptom = Bodies.symptom().toString();
        String absentee = "ath-" + UUID.randomUUID().toString().substring(0, 8);
        String enrolment = Json.with(Bodies.enrolment(), "athleteId", absentee).toString();

        // A key claimed by a request that died before its event reached the broker.
        String unfinishedKey = UUID.randomUUID().toString();
        String unfinished = Json.with(Bodies.symptom(), "pain", 3).toString();
        String unfinishedEvent = UUID.nameUUIDFromBytes((clinic.id() + "|" + unfinishedKey)
                .getBytes(StandardCharsets.UTF_8)).toString();
        claimAsIfCrashed(clinic.id(), unfinishedKey, IntakeService.requestHash("symptom.reported|" + athleteId,
                Json.parse(unfinished)), unfinishedEvent);

        String sourceKeyed = Json.with(Bodies.run(), "source", Map.of("kind", "WEARABLE", "provider", "garmin",
                "externalId", UUID.randomUUID().toString())).toString();

        StoppableBroker.stopBroker();
        try {
            long start = System.nanoTime();
            Response refused = clinic.as(DEVICE).header("Idempotency-Key", key).body(symptom)
                    .post(SYMPTOMS, athleteId);
            isProblem(refused.then(), 503, UNAVAILABLE, "Service unavailable")
                    .header("Retry-After", not(blankOrNullString()));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(Integer.parseInt(refused.header("Retry-After"))).isPositive();

            // Round 21: a post keyed by its source id (a wearable's, no header) is told to retry under that id, not
            // under an Idempotency-Key it never sent.
            Response sourceKeyedRefused = clinic.as(DEVICE).body(sourceKeyed).post(SESSIONS, athleteId);
            isProblem(sourceKeyedRefused.then(), 503, UNAVAILABLE, "Service unavailable");
            assertThat(sourceKeyedRefused.jsonPath().getString("detail")).contains("source id")
                    .doesNotContain("Idempotency-Key");

            isProblem(clinic.as(CLINICIAN).body(enrolment).post("/api/v1/athletes").then(),
                    503, UNAVAILABLE, "Service unavailable")
                    .header("Retry-After", not(blankOrNullString()));

            // The settle of an unfinished key reads the topic: with the broker away that is 503 too
            // (issue 12: a metadata timeout there once answered 500).
            isProblem(clinic.as(DEVICE).header("Idempotency-Key", unfinishedKey).body(unfinished)
                    .post(SYMPTOMS, athleteId).then(), 503, UNAVAILABLE, "Service unavailable")
                    .header("Retry-After", not(blankOrNullString()));
        } finally {
            StoppableBroker.restartBroker();
        }

        // The same request again, as a client obeying Retry-After would, until the broker takes it.
        String eventId = retriedUntilAccepted(() -> clinic.as(DEVICE).header("Idempotency-Key", key).body(symptom)
                .post(SYMPTOMS, athleteId));
        retriedUntilAccepted(() -> clinic.as(DEVICE).body(sourceKeyed).post(SESSIONS, athleteId));
        // The unfinished key, retried once the broker is back, publishes its event under its id, once.
        clinic.as(DEVICE).header("Idempotency-Key", unfinishedKey).body(unfinished).post(SYMPTOMS, athleteId)
                .then().statusCode(202).body("eventId", org.hamcrest.Matchers.equalTo(unfinishedEvent));
        // The refused enrolment left no athlete behind: enrolling the same id now is a first enrolment.
        clinic.as(CLINICIAN).body(enrolment).post("/api/v1/athletes").then().statusCode(201);

        try (ActivityTopic topic = new ActivityTopic(StoppableBroker.bootstrapServers())) {
            topic.assertHoldsOnly(clinic.id(), clinic.reportSymptom(athleteId),
                    "athlete.enrolled", "symptom.reported", "symptom.reported", "athlete.enrolled", "session.logged");
            assertThat(topic.recordsWithId(clinic.id(), eventId)).hasSize(1);
            assertThat(topic.recordsWithId(clinic.id(), unfinishedEvent)).hasSize(1);
        }
    }

    /**
     * Issue 16 item 3, no erasure without its event: the key is destroyed in the DELETE's transaction, and when the
     * broker does not acknowledge athlete.erased the answer is 503; the retried DELETE publishes it, once.
     */
    @Test
    void an_erasure_while_the_broker_is_down_destroys_the_key_answers_503_and_its_retry_publishes_the_event() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();

        StoppableBroker.stopBroker();
        try {
            isProblem(clinic.as("clinic-admin").delete("/api/v1/athletes/{athleteId}", athleteId).then(),
                    503, UNAVAILABLE, "Service unavailable")
                    .header("Retry-After", not(blankOrNullString()));
            // The key is gone already: nothing more is taken for the athlete, even before the event is out.
            isProblem(clinic.as(DEVICE).body(Bodies.symptom().toString()).post(SYMPTOMS, athleteId).then(),
                    410, io.strideback.intake.support.Problems.GONE, "Gone");
        } finally {
            StoppableBroker.restartBroker();
        }

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> clinic.as("clinic-admin").delete("/api/v1/athletes/{athleteId}", athleteId).statusCode(),
                        status -> status == 202);

        try (ActivityTopic topic = new ActivityTopic(StoppableBroker.bootstrapServers())) {
            topic.assertHoldsOnly(clinic.id(), clinic.reportSymptom(clinic.enrolAthlete()),
                    "athlete.enrolled", "athlete.erased", "athlete.enrolled");
        }
    }

    @Inject
    AgroalDataSource dataSource;

    private void claimAsIfCrashed(String clinicId, String key, String requestHash, String eventId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO idempotency_key (clinic_id, idem_key, request_hash, status, response, created_at) "
                        + "VALUES (?, ?, ?, 0, ?, now() - interval '1 minute')")) {
            ps.setString(1, clinicId);
            ps.setString(2, key);
            ps.setString(3, requestHash);
            ps.setString(4, eventId);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
