package io.strideback.intake.store;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.strideback.intake.support.Bodies;
import io.strideback.intake.support.IntakeTest;
import io.strideback.intake.support.TestClinic;
import io.strideback.testing.LocalPostgres;
import io.strideback.testing.PostgresResource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static io.strideback.intake.support.Problems.UNAVAILABLE;
import static io.strideback.intake.support.TestClinic.DEVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.blankOrNullString;
import static org.hamcrest.Matchers.not;

/**
 * A database that hangs (a paused host, a stalled disk: its connections stay open and answer nothing) is a
 * database that is down for the caller: 503 with Retry-After within seconds, not a request left without an
 * answer (round 15's outside check: posts got none within 10 s of a SIGSTOP). Nothing of the refused post is
 * lost: its retry with the same Idempotency-Key lands once.
 */
@QuarkusTest
class FrozenDatabaseTest extends IntakeTest {

    private static final String SYMPTOMS = "/api/v1/athletes/{athleteId}/symptoms";
    /** The client gives up long after the service's own socket timeout (5 s) and its pool's wait (5 s). */
    private static final RestAssuredConfig PATIENT_CLIENT = RestAssuredConfig.config().httpClient(
            HttpClientConfig.httpClientConfig().setParam("http.socket.timeout", 40_000));

    @Test
    void a_post_while_the_database_hangs_gets_503_with_retry_after_and_its_retry_lands_once() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        String key = UUID.randomUUID().toString();
        String symptom = Bodies.symptom().toString();

        Response refused;
        Duration waited;
        try (LocalPostgres.Frozen frozen = PostgresResource.server().freeze()) {
            long start = System.nanoTime();
            refused = clinic.as(DEVICE).config(PATIENT_CLIENT).header("Idempotency-Key", key).body(symptom)
                    .post(SYMPTOMS, athleteId);
            waited = Duration.ofNanos(System.nanoTime() - start);
        }

        isProblem(refused.then(), 503, UNAVAILABLE, "Service unavailable")
                .header("Retry-After", not(blankOrNullString()));
        assertThat(waited).isLessThan(Duration.ofSeconds(20));

        // Retried as a client obeying Retry-After would, once the database answers again.
        String eventId = retriedUntilAccepted(() -> clinic.as(DEVICE).header("Idempotency-Key", key).body(symptom)
                .post(SYMPTOMS, athleteId));
        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(athleteId), "athlete.enrolled", "symptom.reported");
        assertThat(topic().recordsWithId(clinic.id(), eventId)).hasSize(1);
    }
}
