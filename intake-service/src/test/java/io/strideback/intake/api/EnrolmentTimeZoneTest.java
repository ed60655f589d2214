package io.strideback.intake.api;

import io.quarkus.test.junit.QuarkusTest;
import io.strideback.events.ActivityEvents.AthleteEnrolled;
import io.strideback.events.EventCodec;
import io.strideback.intake.support.Bodies;
import io.strideback.intake.support.IntakeTest;
import io.strideback.intake.support.Json;
import io.strideback.intake.support.TestClinic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.strideback.intake.support.Problems.INVALID_REQUEST;
import static io.strideback.intake.support.Problems.VALIDATION;
import static io.strideback.intake.support.TestClinic.CLINICIAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;

/**
 * CONTRACT v2: enrolment takes an optional {@code timeZone}, an IANA name; the load monitor reads the athlete's
 * "day" in it (DOMAIN.md rules v2). Anything else is a 400 naming the field, and nothing is published.
 */
@QuarkusTest
class EnrolmentTimeZoneTest extends IntakeTest {

    @Test
    void an_iana_time_zone_rides_on_the_enrolment_event() {
        TestClinic clinic = new TestClinic();

        String athleteId = clinic.as(CLINICIAN).body(Json.with(Bodies.enrolment(), "timeZone", "Australia/Sydney")
                        .toString())
                .when().post("/api/v1/athletes")
                .then().statusCode(201).extract().path("athleteId");

        AthleteEnrolled enrolled = enrolmentOf(clinic);
        assertThat(enrolled.athleteId()).isEqualTo(athleteId);
        assertThat(enrolled.timeZone()).isEqualTo("Australia/Sydney");
    }

    @Test
    void without_a_time_zone_the_enrolment_carries_none() {
        TestClinic clinic = new TestClinic();
        clinic.enrolAthlete();

        assertThat(enrolmentOf(clinic).timeZone()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Mars/Olympus_Mons", "+02:00", "utc+1", ""})
    void a_time_zone_that_is_not_an_iana_name_is_refused_with_the_field(String zone) {
        TestClinic clinic = new TestClinic();

        isProblem(clinic.as(CLINICIAN).body(Json.with(Bodies.enrolment(), "timeZone", zone).toString())
                .when().post("/api/v1/athletes").then(), 400, VALIDATION, INVALID_REQUEST)
                .body("errors.field", contains("timeZone"));

        String marker = clinic.enrolAthlete();
        await().atMost(java.time.Duration.ofSeconds(30)).until(() -> !topic().recordsOf(clinic.id()).isEmpty());
        topic().readToEnd();
        List<ConsumerRecord<String, byte[]>> records = topic().recordsOf(clinic.id());
        assertThat(records).as("only the marker enrolment").hasSize(1);
        assertThat(((AthleteEnrolled) EventCodec.fromRecord(records.get(0)).data()).athleteId()).isEqualTo(marker);
    }

    private AthleteEnrolled enrolmentOf(TestClinic clinic) {
        await().atMost(java.time.Duration.ofSeconds(30)).until(() -> !topic().recordsOf(clinic.id()).isEmpty());
        return (AthleteEnrolled) EventCodec.fromRecord(topic().recordsOf(clinic.id()).get(0)).data();
    }
}
