package io.strideback.intake.messaging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.strideback.events.ActivityEvents.AthleteEnrolled;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.intake.service.IntakeService;
import io.strideback.intake.support.Bodies;
import io.strideback.intake.support.IntakeTest;
import io.strideback.intake.support.Json;
import io.strideback.intake.support.TestClinic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static io.strideback.intake.support.ActivityTopic.header;
import static io.strideback.intake.support.TestClinic.CLINICIAN;
import static io.strideback.intake.support.TestClinic.DEVICE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a consumer of {@code strideback.athlete-activity.v1} finds on a record intake wrote:
 * CloudEvents 1.0 binary mode ({@code ce_*} headers), the event time as {@code ce_time}, and the
 * key {@code clinicId/athleteId} (CONTRACT.md "Kafka").
 */
@QuarkusTest
class CloudEventsRecordTest extends IntakeTest {

    /** One kind of fact: where it is posted, its body, its CloudEvents type and its event-time field. */
    record Fact(String name, String path, Supplier<ObjectNode> body, String ceType, String timeField) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Fact> facts() {
        return Stream.of(
                // An offset other than Z: ce_time is the same instant, written in UTC.
                new Fact("a run", "sessions", () -> Json.with(Bodies.run(), "startedAt",
                        OffsetDateTime.now().minusHours(4).withNano(0)
                                .withOffsetSameInstant(java.time.ZoneOffset.ofHours(2)).toString()),
                        "session.logged", "startedAt"),
                new Fact("a symptom", "symptoms", Bodies::symptom, "symptom.reported", "observedAt"),
                new Fact("an assessment", "assessments", Bodies::assessment, "assessment.recorded", "recordedAt"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("facts")
    void a_posted_fact_is_published_with_its_cloud_events_headers(Fact fact) {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        ObjectNode body = fact.body().get();

        String eventId = clinic.as(DEVICE).body(body.toString())
                .post("/api/v1/athletes/{athleteId}/" + fact.path(), athleteId)
                .then().statusCode(202).extract().path("eventId");

        ConsumerRecord<String, byte[]> record = topic().awaitRecord(clinic.id(), eventId);
        assertThat(header(record, EventCodec.SPEC_VERSION)).isEqualTo("1.0");
        assertThat(header(record, EventCodec.ID)).isEqualTo(eventId);
        assertThat(header(record, EventCodec.TYPE)).isEqualTo(fact.ceType());
        assertThat(header(record, EventCodec.SOURCE)).isEqualTo(IntakeService.SOURCE);
        assertThat(Instant.parse(header(record, EventCodec.TIME)))
                .isEqualTo(OffsetDateTime.parse(body.get(fact.timeField()).asText()).toInstant());
        assertThat(header(record, EventCodec.SUBJECT)).isEqualTo(athleteId);
        assertThat(header(record, EventCodec.CLINIC)).isEqualTo(clinic.id());
        assertThat(header(record, EventCodec.SCHEMA_VERSION)).isEqualTo("1");
        assertThat(record.key()).isEqualTo(clinic.id() + "/" + athleteId);

        EventEnvelope<?> event = EventCodec.fromRecord(record);
        assertThat(event.id()).isEqualTo(eventId);
        assertThat(event.data()).hasFieldOrPropertyWithValue("athleteId", athleteId)
                .hasFieldOrPropertyWithValue("clinicId", clinic.id());
    }

    @Test
    void an_enrolment_is_published_as_athlete_enrolled_at_the_time_of_enrolment() {
        TestClinic clinic = new TestClinic();
        Instant before = Instant.now();
        String athleteId = clinic.as(CLINICIAN).body(Bodies.enrolment().toString())
                .post("/api/v1/athletes").then().statusCode(201).extract().path("athleteId");
        Instant after = Instant.now();

        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(athleteId), "athlete.enrolled");
        ConsumerRecord<String, byte[]> record = topic().recordsOf(clinic.id()).stream()
                .filter(r -> "athlete.enrolled".equals(header(r, EventCodec.TYPE))).findFirst().orElseThrow();
        assertThat(header(record, EventCodec.SPEC_VERSION)).isEqualTo("1.0");
        assertThat(header(record, EventCodec.ID)).isNotBlank();
        assertThat(header(record, EventCodec.SOURCE)).isEqualTo(IntakeService.SOURCE);
        assertThat(Instant.parse(header(record, EventCodec.TIME))).isBetween(before, after);
        assertThat(header(record, EventCodec.SUBJECT)).isEqualTo(athleteId);
        assertThat(header(record, EventCodec.CLINIC)).isEqualTo(clinic.id());
        assertThat(header(record, EventCodec.SCHEMA_VERSION)).isEqualTo("1");
        assertThat(record.key()).isEqualTo(clinic.id() + "/" + athleteId);

        AthleteEnrolled enrolled = EventCodec.fromRecord(record).dataAs(AthleteEnrolled.class);
        assertThat(enrolled.athleteId()).isEqualTo(athleteId);
        assertThat(enrolled.diagnosis()).isEqualTo(Diagnosis.CALF_STRAIN_SOLEUS);
        assertThat(enrolled.injuryDate()).isEqualTo(Bodies.injuryDate());
    }

    @Test
    void one_athletes_events_share_one_partition_so_they_stay_in_order() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        for (String path : List.of("sessions", "symptoms", "assessments")) {
            ObjectNode body = path.equals("sessions") ? Bodies.run()
                    : path.equals("symptoms") ? Bodies.symptom() : Bodies.assessment();
            clinic.as(DEVICE).body(body.toString()).post("/api/v1/athletes/{athleteId}/" + path, athleteId)
                    .then().statusCode(202);
        }

        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(athleteId), "athlete.enrolled",
                "session.logged", "symptom.reported", "assessment.recorded");
        List<ConsumerRecord<String, byte[]>> records = topic().recordsOf(clinic.id());
        assertThat(records).extracting(ConsumerRecord::partition).containsOnly(records.get(0).partition());
        assertThat(records).extracting(r -> header(r, EventCodec.TYPE)).containsExactly("athlete.enrolled",
                "session.logged", "symptom.reported", "assessment.recorded", "symptom.reported");
    }
}
