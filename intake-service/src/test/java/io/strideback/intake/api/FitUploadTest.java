package io.strideback.intake.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.garmin.fit.Sport;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.strideback.events.EventCodec;
import io.strideback.intake.support.FitFiles;
import io.strideback.intake.support.IntakeTest;
import io.strideback.intake.support.TestClinic;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;
import static io.strideback.intake.support.Problems.NOT_FOUND;
import static io.strideback.intake.support.Problems.VALIDATION;
import static io.strideback.intake.support.TestClinic.CLINICIAN;
import static io.strideback.intake.support.TestClinic.DEVICE;
import static io.strideback.intake.support.TestClinic.OPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;

/**
 * Issue 17 item 1, CONTRACT v2 {@code POST /athletes/{id}/sessions/fit}: FIT activity files,
 * encoded here with Garmin's SDK as a watch writes them, become {@code session.logged} events on
 * the real activity topic, one per FIT session; a damaged file is 400 and publishes nothing.
 */
@QuarkusTest
class FitUploadTest extends IntakeTest {

    private static final String FIT_UPLOAD = "/api/v1/athletes/{athleteId}/sessions/fit";
    private static final Instant TWO_DAYS_AGO = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);

    @Test
    void a_run_is_logged_with_its_distance_time_cadence_and_heart_rate() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        long serial = serial();
        // 82.5 strides a minute (one foot) are 165 steps a minute.
        byte[] file = FitFiles.activity(serial, TWO_DAYS_AGO, FitFiles.run(TWO_DAYS_AGO, 5234f, 1830f, 82, 0.5f, 148));

        List<String> ids = upload(clinic, DEVICE, athleteId, file).statusCode(202).extract().path("eventIds");

        assertThat(ids).hasSize(1);
        JsonNode session = data(clinic, ids.get(0));
        assertThat(session.path("type").asText()).isEqualTo("RUN");
        assertThat(session.path("run").path("distanceKm").asDouble()).isEqualTo(5.234);
        assertThat(session.path("run").path("intensity").asText()).isEqualTo("EASY");
        assertThat(session.path("run").path("cadenceSpm").asInt()).isEqualTo(165);
        assertThat(session.path("durationMin").asDouble()).isEqualTo(30.5);
        assertThat(session.path("avgHeartRateBpm").asInt()).isEqualTo(148);
        assertThat(Instant.parse(session.path("startedAt").asText())).isEqualTo(TWO_DAYS_AGO);
        assertThat(session.path("athleteId").asText()).isEqualTo(athleteId);
        assertThat(session.path("source").path("kind").asText()).isEqualTo("WEARABLE");
        assertThat(session.path("source").path("provider").asText()).isEqualTo("fit");
        // Issue 16: a watch's id identifies its wearer, so it travels sealed with the athlete's data key.
        assertThat(opened(clinic.id(), athleteId, session.path("source").path("externalId").asText()))
                .startsWith("sn" + serial + "-tc");
    }

    @Test
    void a_walk_and_a_hike_are_walks_without_a_run() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        byte[] file = FitFiles.activity(serial(), TWO_DAYS_AGO,
                FitFiles.of(Sport.WALKING, TWO_DAYS_AGO, 3100f, 2400f, 102),
                FitFiles.of(Sport.HIKING, TWO_DAYS_AGO.plusSeconds(3600), 6000f, 5400f, 110));

        List<String> ids = upload(clinic, CLINICIAN, athleteId, file).statusCode(202).extract().path("eventIds");

        assertThat(ids).hasSize(2).doesNotHaveDuplicates();
        for (String id : ids) {
            JsonNode walk = data(clinic, id);
            assertThat(walk.path("type").asText()).isEqualTo("WALK");
            assertThat(walk.has("run")).isFalse();
        }
        assertThat(data(clinic, ids.get(0)).path("durationMin").asDouble()).isEqualTo(40.0);
        assertThat(data(clinic, ids.get(1)).path("avgHeartRateBpm").asInt()).isEqualTo(110);
    }

    @Test
    void a_multisport_file_gives_one_session_per_fit_session_in_order() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        byte[] file = FitFiles.activity(serial(), TWO_DAYS_AGO,
                FitFiles.run(TWO_DAYS_AGO, 4000f, 1200f, 85, 0f, 150),
                FitFiles.of(Sport.CYCLING, TWO_DAYS_AGO.plusSeconds(1300), 20000f, 2700f, 135),
                FitFiles.of(Sport.TRAINING, TWO_DAYS_AGO.plusSeconds(4100), 0f, 1500f, 120));

        List<String> ids = upload(clinic, DEVICE, athleteId, file).statusCode(202).extract().path("eventIds");

        assertThat(ids).hasSize(3).doesNotHaveDuplicates();
        assertThat(data(clinic, ids.get(0)).path("type").asText()).isEqualTo("RUN");
        assertThat(data(clinic, ids.get(0)).path("run").path("cadenceSpm").asInt()).isEqualTo(170);
        assertThat(data(clinic, ids.get(1)).path("type").asText()).isEqualTo("CROSS_TRAINING");
        assertThat(data(clinic, ids.get(1)).has("run")).as("a ride is no run").isFalse();
        assertThat(data(clinic, ids.get(2)).path("type").asText()).isEqualTo("STRENGTH");
    }

    @Test
    void chained_files_give_the_sessions_of_every_file_and_bytes_after_the_last_are_400() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        byte[] morning = FitFiles.activity(serial(), TWO_DAYS_AGO, FitFiles.run(TWO_DAYS_AGO, 4000f, 1200f, 85, 0f, 150));
        byte[] evening = FitFiles.activity(serial(), TWO_DAYS_AGO.plusSeconds(36000),
                FitFiles.of(Sport.WALKING, TWO_DAYS_AGO.plusSeconds(36000), 2000f, 1500f, 100));
        byte[] chained = Arrays.copyOf(morning, morning.length + evening.length);
        System.arraycopy(evening, 0, chained, morning.length, evening.length);

        // FIT's chained files: before, only the first file's run was taken and the walk dropped under a 202.
        List<String> ids = upload(clinic, DEVICE, athleteId, chained).statusCode(202).extract().path("eventIds");

        assertThat(ids).hasSize(2).doesNotHaveDuplicates();
        assertThat(data(clinic, ids.get(0)).path("type").asText()).isEqualTo("RUN");
        assertThat(data(clinic, ids.get(1)).path("type").asText()).isEqualTo("WALK");
        refused(upload(clinic, DEVICE, athleteId, Arrays.copyOf(evening, evening.length + 100)), "cannot be decoded");
    }

    @Test
    void a_file_uploaded_chained_and_then_alone_is_logged_once() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        byte[] morning = FitFiles.activity(serial(), TWO_DAYS_AGO, FitFiles.run(TWO_DAYS_AGO, 4000f, 1200f, 85, 0f, 150));
        byte[] evening = FitFiles.activity(serial(), TWO_DAYS_AGO.plusSeconds(36000),
                FitFiles.run(TWO_DAYS_AGO.plusSeconds(36000), 7000f, 2400f, 84, 0f, 152));
        byte[] chained = Arrays.copyOf(morning, morning.length + evening.length);
        System.arraycopy(evening, 0, chained, morning.length, evening.length);
        List<String> fromChained = upload(clinic, DEVICE, athleteId, chained).statusCode(202).extract().path("eventIds");

        // Review r15: a session's id came from the first file's serial and its place in the whole upload,
        // so the evening run, uploaded again on its own, got a second id and was logged twice.
        List<String> alone = upload(clinic, DEVICE, athleteId, evening).statusCode(202).extract().path("eventIds");
        List<String> twice = upload(clinic, DEVICE, athleteId, evening).statusCode(202).extract().path("eventIds");

        assertThat(alone).containsExactly(fromChained.get(1));
        assertThat(twice).containsExactly(fromChained.get(1));
        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(athleteId), "athlete.enrolled", "session.logged",
                "session.logged");
    }

    @Test
    void a_re_upload_answers_the_same_ids_and_publishes_nothing_new() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        byte[] file = FitFiles.activity(serial(), TWO_DAYS_AGO,
                FitFiles.run(TWO_DAYS_AGO, 4000f, 1200f, 85, 0f, 150),
                FitFiles.of(Sport.CYCLING, TWO_DAYS_AGO.plusSeconds(1300), 20000f, 2700f, 135));

        List<String> first = upload(clinic, DEVICE, athleteId, file).statusCode(202).extract().path("eventIds");
        List<String> again = upload(clinic, CLINICIAN, athleteId, file).statusCode(202).extract().path("eventIds");

        assertThat(again).containsExactlyElementsOf(first);
        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(athleteId), "athlete.enrolled", "session.logged",
                "session.logged");
    }

    @Test
    void a_file_larger_than_the_json_limit_is_taken_whole() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        // A long run's per-second records: past the 1 MiB every JSON body is held to.
        byte[] file = FitFiles.activity(serial(), TWO_DAYS_AGO, 100_000, FitFiles.run(TWO_DAYS_AGO, 42195f, 12000f, 88, 0f, 155));
        assertThat(file.length).isGreaterThan(1024 * 1024);

        List<String> ids = given().auth().oauth2(clinic.token(DEVICE)).contentType("application/octet-stream")
                .body(file).post(FIT_UPLOAD, athleteId).then().statusCode(202).extract().path("eventIds");

        assertThat(data(clinic, ids.get(0)).path("run").path("distanceKm").asDouble()).isEqualTo(42.195);
    }

    @Test
    void a_file_without_a_session_message_is_400_and_says_so() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();

        refused(upload(clinic, DEVICE, athleteId, FitFiles.withoutSessions(serial(), TWO_DAYS_AGO)), "no session message");
        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(athleteId), "athlete.enrolled");
    }

    @Test
    void a_truncated_file_is_400_and_says_so() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        byte[] file = FitFiles.activity(serial(), TWO_DAYS_AGO, FitFiles.run(TWO_DAYS_AGO, 5000f, 1800f, 82, 0f, 148));

        refused(upload(clinic, DEVICE, athleteId, Arrays.copyOf(file, file.length - 20)), "truncated");
        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(athleteId), "athlete.enrolled");
    }

    @Test
    void a_file_whose_crc_does_not_match_is_400_and_says_so() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        byte[] file = FitFiles.activity(serial(), TWO_DAYS_AGO, FitFiles.run(TWO_DAYS_AGO, 5000f, 1800f, 82, 0f, 148));
        byte[] corrupt = file.clone();
        corrupt[corrupt.length - 8] ^= 0x5a; // inside the session message: a changed heart rate or distance

        refused(upload(clinic, DEVICE, athleteId, corrupt), "CRC");
        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(athleteId), "athlete.enrolled");
    }

    @Test
    void what_is_no_fit_file_at_all_is_400() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();

        refused(upload(clinic, DEVICE, athleteId, "{\"type\": \"RUN\"}".getBytes()), "not a FIT file");
    }

    @Test
    void a_file_sent_as_json_is_415_saying_what_was_sent_not_to_send_json() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        byte[] file = FitFiles.activity(serial(), TWO_DAYS_AGO, FitFiles.run(TWO_DAYS_AGO, 5000f, 1800f, 82, 0.5f, 148));

        given().auth().oauth2(clinic.token(DEVICE)).contentType("application/json").body(file)
                .post(FIT_UPLOAD, athleteId).then().statusCode(415)
                .contentType(org.hamcrest.Matchers.startsWith("application/problem+json"))
                .body("detail", org.hamcrest.Matchers.startsWith("Content-Type 'application/json"))
                .body("detail", org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("send application/json")));
        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(athleteId), "athlete.enrolled");
    }

    @Test
    void another_clinics_athlete_is_404_and_nothing_is_published() {
        TestClinic clinic = new TestClinic();
        TestClinic other = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        byte[] file = FitFiles.activity(serial(), TWO_DAYS_AGO, FitFiles.run(TWO_DAYS_AGO, 5000f, 1800f, 82, 0f, 148));

        isProblem(upload(other, DEVICE, athleteId, file), 404, NOT_FOUND, "Not found");
        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(athleteId), "athlete.enrolled");
        assertThat(topic().recordsOf(other.id())).isEmpty();
    }

    @Test
    void another_clinics_athlete_with_a_file_of_two_sessions_is_404_saying_why_not_see_errors() {
        // Round 21, from outside: "FIT sessions 1, 2 of 2 refused: see errors" with errors [].
        TestClinic clinic = new TestClinic();
        TestClinic other = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        byte[] file = FitFiles.activity(serial(), TWO_DAYS_AGO, FitFiles.run(TWO_DAYS_AGO, 5000f, 1800f, 82, 0f, 148),
                FitFiles.of(Sport.WALKING, TWO_DAYS_AGO.plusSeconds(4000), 2000f, 1500f, 100));

        isProblem(upload(other, DEVICE, athleteId, file), 404, NOT_FOUND, "Not found")
                .body("detail", org.hamcrest.Matchers.containsString("was not found"))
                .body("detail", org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("see errors")));
        assertThat(topic().recordsOf(other.id())).isEmpty();
    }

    @Test
    void a_role_that_may_not_post_sessions_is_403_and_no_token_401() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        byte[] file = FitFiles.activity(serial(), TWO_DAYS_AGO, FitFiles.run(TWO_DAYS_AGO, 5000f, 1800f, 82, 0f, 148));

        upload(clinic, OPS, athleteId, file).statusCode(403);
        given().contentType(FitUploadResource.FIT).body(file).post(FIT_UPLOAD, athleteId).then().statusCode(401);
    }

    @Test
    void a_session_intake_refuses_is_400_naming_the_fit_session() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        // A run recorded long before the injury (a watch with a wrong clock): outside the rules' window.
        Instant longAgo = Instant.now().minus(Duration.ofDays(800)).truncatedTo(ChronoUnit.SECONDS);
        byte[] file = FitFiles.activity(serial(), longAgo, FitFiles.run(longAgo, 5000f, 1800f, 82, 0f, 148));

        isProblem(upload(clinic, DEVICE, athleteId, file), 400, VALIDATION, "Invalid request")
                .body("detail", containsString("FIT session 1 of 1"))
                .body("errors.field", org.hamcrest.Matchers.hasItem("sessions[0].startedAt"));
    }

    @Test
    void a_treadmill_run_without_a_distance_is_refused_saying_so_and_the_files_other_sessions_are_stored() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        // A treadmill run without a foot pod: the watch writes 0 m. A run is logged with its distance, so this
        // session is refused; before review r9 the answer named it but not the sessions it had stored.
        byte[] file = FitFiles.activity(serial(), TWO_DAYS_AGO,
                FitFiles.run(TWO_DAYS_AGO, 4000f, 1200f, 85, 0f, 150),
                FitFiles.run(TWO_DAYS_AGO.plusSeconds(3600), 0f, 1800f, 84, 0f, 155),
                FitFiles.of(Sport.WALKING, TWO_DAYS_AGO.plusSeconds(7200), 2000f, 1500f, 100));

        List<String> ids = isProblem(upload(clinic, DEVICE, athleteId, file), 400, VALIDATION, "Invalid request")
                .body("detail", containsString("FIT session 2 of 3"))
                .body("errors.field", org.hamcrest.Matchers.contains("sessions[1].run.distanceKm"))
                .body("errors[0].message", containsString("recorded no distance for this run"))
                .extract().path("eventIds");

        assertThat(ids).hasSize(3);
        assertThat(ids.get(1)).as("the refused session").isNull();
        assertThat(data(clinic, ids.get(0)).path("run").path("distanceKm").asDouble()).isEqualTo(4.0);
        assertThat(data(clinic, ids.get(2)).path("type").asText()).isEqualTo("WALK");
        // The same file again: the same answer, nothing published twice.
        List<String> again = upload(clinic, DEVICE, athleteId, file).statusCode(400).extract().path("eventIds");
        assertThat(again).containsExactlyElementsOf(ids);
        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(athleteId), "athlete.enrolled", "session.logged",
                "session.logged");
    }

    /**
     * Round 19, from outside: a FIT session without a start time cannot be placed in event time (CONTRACT.md: a
     * session's startedAt is required): refused naming it, as a posted session without one is; one without a sport
     * is logged as CROSS_TRAINING (CONTRACT.md: RUN, WALK, STRENGTH, CROSS_TRAINING by sport; no sport is none of
     * the first three). The file's other sessions are stored.
     */
    @Test
    void a_session_without_a_start_time_is_refused_naming_it_and_one_without_a_sport_is_cross_training() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        byte[] file = FitFiles.activity(serial(), TWO_DAYS_AGO,
                new FitFiles.Session(null, TWO_DAYS_AGO, 5000f, 1800f, null, null, (short) 140),
                new FitFiles.Session(Sport.RUNNING, null, 5000f, 1800f, null, null, (short) 140));

        List<String> ids = isProblem(upload(clinic, DEVICE, athleteId, file), 400, VALIDATION, "Invalid request")
                .body("detail", containsString("FIT session 2 of 2"))
                .body("errors.field", org.hamcrest.Matchers.contains("sessions[1].startedAt"))
                .extract().path("eventIds");

        assertThat(ids).hasSize(2);
        assertThat(ids.get(1)).isNull();
        assertThat(data(clinic, ids.get(0)).path("type").asText()).isEqualTo("CROSS_TRAINING");
    }

    private static ValidatableResponse upload(TestClinic clinic, String role, String athleteId, byte[] file) {
        return given().auth().oauth2(clinic.token(role)).contentType(FitUploadResource.FIT).body(file)
                .post(FIT_UPLOAD, athleteId).then();
    }

    private static void refused(ValidatableResponse answer, String reason) {
        isProblem(answer, 400, VALIDATION, "Invalid request")
                .body("detail", containsString(reason))
                .body("errors", hasSize(1));
    }

    /** The published event's data. */
    private JsonNode data(TestClinic clinic, String eventId) {
        try {
            return EventCodec.JSON.readTree(topic().awaitRecord(clinic.id(), eventId).value());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A watch of its own for each test: file ids never meet across tests. */
    private static long serial() {
        return ThreadLocalRandom.current().nextLong(1, 4_000_000_000L);
    }
}
