package io.strideback.intake.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.strideback.events.EventCodec;
import io.strideback.intake.support.ActivityTopic;
import io.strideback.intake.support.Bodies;
import io.strideback.intake.support.FitFiles;
import io.strideback.intake.support.IntakeTest;
import io.strideback.intake.support.Json;
import io.strideback.intake.support.TestClinic;
import io.strideback.testing.Tokens;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18 item 1, the {@code athlete} role on every intake endpoint: a runner posts sessions, symptoms,
 * assessments and watch files for themselves (202), another athlete's id is 404 and publishes nothing,
 * and the clinic's calls (enrolment, wearable batches) are 403.
 */
@QuarkusTest
class AthleteRoleTest extends IntakeTest {

    private static final Instant YESTERDAY = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);

    /** One endpoint: its name, and how to call it for an athlete id with a token. */
    private record Call(String name, BiFunction<RequestSpecification, String, Integer> call) {
    }

    private static final List<Call> FOR_AN_ATHLETE = List.of(
            new Call("POST sessions", (r, id) -> post(r, "/api/v1/athletes/" + id + "/sessions", Bodies.run().toString())),
            new Call("POST sessions (strength)", (r, id) -> post(r, "/api/v1/athletes/" + id + "/sessions", Bodies.strength().toString())),
            new Call("POST symptoms", (r, id) -> post(r, "/api/v1/athletes/" + id + "/symptoms", Bodies.symptom().toString())),
            new Call("POST assessments", (r, id) -> post(r, "/api/v1/athletes/" + id + "/assessments", Bodies.assessment().toString())),
            new Call("POST sessions/fit", (r, id) -> r.contentType(FitUploadResource.FIT)
                    .body(FitFiles.activity(Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L), YESTERDAY,
                            FitFiles.run(YESTERDAY, 3000f, 1200f, 82, 0f, 140)))
                    .post("/api/v1/athletes/" + id + "/sessions/fit").statusCode()));

    private static final List<Call> OF_THE_CLINIC = List.of(
            new Call("POST athletes (enrolment)", (r, id) -> post(r, "/api/v1/athletes", Bodies.enrolment().toString())),
            new Call("POST events/batch", (r, id) -> post(r, "/api/v1/events/batch",
                    Json.batch(Json.item(id, "symptom", Bodies.symptom())).toString())));

    private static int post(RequestSpecification r, String path, String body) {
        return r.contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(body).post(path).statusCode();
    }

    @Test
    void a_runner_posts_for_themselves_another_athletes_id_is_404_and_the_clinics_calls_are_403() {
        TestClinic clinic = new TestClinic();
        String me = clinic.enrolAthlete();
        String other = clinic.enrolAthlete();
        String myToken = Tokens.issueAthlete(clinic.id(), me);

        List<String> wrong = new ArrayList<>();
        for (Call c : FOR_AN_ATHLETE) {
            expect(wrong, c.name() + " for myself", c.call().apply(given().auth().oauth2(myToken), me), 202);
            expect(wrong, c.name() + " for another athlete", c.call().apply(given().auth().oauth2(myToken), other), 404);
            expect(wrong, c.name() + " for an athlete nobody enrolled", c.call().apply(given().auth().oauth2(myToken),
                    "nobody-" + UUID.randomUUID()), 404);
            expect(wrong, c.name() + " without a token", c.call().apply(given(), me), 401);
        }
        for (Call c : OF_THE_CLINIC) {
            expect(wrong, c.name(), c.call().apply(given().auth().oauth2(myToken), me), 403);
        }
        assertThat(wrong).as("answers that differ from the table").isEmpty();

        // What reached the event log: the runner's own events, nothing for the other athlete (a marker
        // posted last, once read, means everything before it has been read too).
        topic().awaitRecord(clinic.id(), clinic.reportSymptom(other));
        topic().readToEnd();
        assertThat(typesFor(clinic, other)).containsExactly("athlete.enrolled", "symptom.reported");
        assertThat(typesFor(clinic, me)).containsExactly("athlete.enrolled", "session.logged", "session.logged",
                "symptom.reported", "assessment.recorded", "session.logged");
    }

    @Test
    void a_runner_of_another_clinic_with_the_same_athlete_id_sees_404() {
        TestClinic clinic = new TestClinic();
        String me = clinic.enrolAthlete();
        String stranger = Tokens.issueAthlete("clinic-" + UUID.randomUUID(), me);
        List<String> wrong = new ArrayList<>();
        for (Call c : FOR_AN_ATHLETE) {
            expect(wrong, c.name() + " from another clinic", c.call().apply(given().auth().oauth2(stranger), me), 404);
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void a_runners_token_with_the_athlete_in_sub_only_speaks_for_that_athlete() {
        TestClinic clinic = new TestClinic();
        String me = clinic.enrolAthlete();
        String other = clinic.enrolAthlete();
        var key = io.strideback.testing.LocalKeys.loadOrCreate(io.strideback.testing.LocalKeys.defaultDir()).getPrivate();
        String subOnly = Tokens.issue(key, me, clinic.id(), List.of(Tokens.ATHLETE), Duration.ofHours(1));
        assertThat(post(given().auth().oauth2(subOnly), "/api/v1/athletes/" + me + "/symptoms", Bodies.symptom().toString()))
                .isEqualTo(202);
        assertThat(post(given().auth().oauth2(subOnly), "/api/v1/athletes/" + other + "/symptoms", Bodies.symptom().toString()))
                .isEqualTo(404);
    }

    private static void expect(List<String> wrong, String what, int status, int expected) {
        if (status != expected) {
            wrong.add(what + ": " + status + ", expected " + expected);
        }
    }

    private List<String> typesFor(TestClinic clinic, String athleteId) {
        return topic().recordsOf(clinic.id()).stream().filter(r -> r.key().equals(clinic.id() + "/" + athleteId))
                .map(r -> ActivityTopic.header(r, EventCodec.TYPE)).toList();
    }
}
