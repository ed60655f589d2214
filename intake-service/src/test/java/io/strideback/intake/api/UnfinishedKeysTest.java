package io.strideback.intake.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.strideback.intake.service.IntakeService;
import io.strideback.intake.support.Bodies;
import io.strideback.intake.support.IntakeTest;
import io.strideback.intake.support.TestClinic;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.UUID;

import static io.strideback.intake.support.Problems.UNAVAILABLE;
import static io.strideback.intake.support.TestClinic.DEVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.blankOrNullString;
import static org.hamcrest.Matchers.not;

/**
 * A key claimed by a request that never finished (intake killed after the broker acknowledged and
 * before the key was marked answered, or the broker answering after the bound): its retry must
 * neither lose the event nor put it on the topic twice (issue 7: every accepted event on the topic
 * exactly once). Each test leaves the key's row as the crash would have.
 */
@QuarkusTest
class UnfinishedKeysTest extends IntakeTest {

    private static final String SYMPTOMS = "/api/v1/athletes/{athleteId}/symptoms";

    @Inject
    AgroalDataSource dataSource;

    @Test
    void a_retry_after_a_crash_between_the_ack_and_the_answer_finds_the_event_and_publishes_nothing() throws Exception {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        String key = UUID.randomUUID().toString();
        String symptom = Bodies.symptom().toString();
        String first = post(clinic, athleteId, key, symptom);
        // As if intake had died right after the broker's acknowledgement: the claim was never completed.
        sql("UPDATE idempotency_key SET status = 0, created_at = now() - interval '1 minute' WHERE clinic_id = ? AND idem_key = ?",
                clinic.id(), key);

        String retry = post(clinic, athleteId, key, symptom);

        assertThat(retry).isEqualTo(first);
        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(athleteId), "athlete.enrolled", "symptom.reported");
        assertThat(topic().recordsWithId(clinic.id(), first)).hasSize(1);
    }

    @Test
    void a_retry_of_a_claim_whose_event_never_reached_the_topic_publishes_it_once() throws Exception {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        String key = UUID.randomUUID().toString();
        String symptom = Bodies.symptom().toString();
        String eventId = UUID.nameUUIDFromBytes((clinic.id() + "|" + key).getBytes(StandardCharsets.UTF_8)).toString();
        // As if intake had died after claiming the key and before the broker had the event.
        sql("INSERT INTO idempotency_key (clinic_id, idem_key, request_hash, status, response, created_at) "
                + "VALUES (?, ?, ?, 0, ?, now() - interval '1 minute')", clinic.id(), key, symptomHash(athleteId, symptom),
                eventId);

        String retry = post(clinic, athleteId, key, symptom);

        assertThat(retry).isEqualTo(eventId);
        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(athleteId), "athlete.enrolled", "symptom.reported");
        assertThat(topic().recordsWithId(clinic.id(), eventId)).hasSize(1);
        // And it is answered from now on like any finished key.
        assertThat(post(clinic, athleteId, key, symptom)).isEqualTo(eventId);
        assertThat(topic().recordsWithId(clinic.id(), eventId)).hasSize(1);
    }

    @Test
    void a_key_another_request_is_still_publishing_is_answered_503_to_retry() throws Exception {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        String key = UUID.randomUUID().toString();
        String symptom = Bodies.symptom().toString();
        sql("INSERT INTO idempotency_key (clinic_id, idem_key, request_hash, status, response) VALUES (?, ?, ?, 0, ?)",
                clinic.id(), key, symptomHash(athleteId, symptom), UUID.randomUUID().toString());

        isProblem(clinic.as(DEVICE).header("Idempotency-Key", key).body(symptom).post(SYMPTOMS, athleteId).then(),
                503, UNAVAILABLE, "Service unavailable").header("Retry-After", not(blankOrNullString()));

        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(athleteId), "athlete.enrolled");
    }

    private static String post(TestClinic clinic, String athleteId, String key, String body) {
        return clinic.as(DEVICE).header("Idempotency-Key", key).body(body)
                .post(SYMPTOMS, athleteId).then().statusCode(202).extract().path("eventId");
    }

    /** The request hash intake stores with a symptom's key (what "the same request" means). */
    private static String symptomHash(String athleteId, String symptom) throws Exception {
        return IntakeService.requestHash("symptom.reported|" + athleteId, new ObjectMapper().readTree(symptom));
    }

    private void sql(String statement, Object... args) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(statement)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }
}
