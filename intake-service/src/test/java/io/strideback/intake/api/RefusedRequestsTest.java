package io.strideback.intake.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.strideback.intake.support.Bodies;
import io.strideback.intake.support.IntakeTest;
import io.strideback.intake.support.Json;
import io.strideback.intake.support.TestClinic;
import io.strideback.testing.LocalKeys;
import io.strideback.testing.Tokens;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static io.strideback.intake.support.Problems.FORBIDDEN;
import static io.strideback.intake.support.Problems.INVALID_REQUEST;
import static io.strideback.intake.support.Problems.NOT_FOUND;
import static io.strideback.intake.support.Problems.UNAUTHENTICATED;
import static io.strideback.intake.support.Problems.VALIDATION;
import static io.strideback.intake.support.TestClinic.CLINICIAN;
import static io.strideback.intake.support.TestClinic.DEVICE;
import static io.strideback.intake.support.TestClinic.OPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.blankOrNullString;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * Every kind of request intake must refuse (issue 3): bad JSON, bad fields, bad times, unknown or
 * foreign athletes, bad tokens and wrong roles. Each answer is checked for its status and problem
 * details, and the activity topic is checked to hold nothing the refused request could have
 * written: the test then posts a valid marker event for the same clinic, waits until it has been
 * read, and finds nothing besides the athlete's enrolment.
 */
@QuarkusTest
class RefusedRequestsTest extends IntakeTest {

    private static final String SESSIONS = "/api/v1/athletes/{athleteId}/sessions";
    private static final String SYMPTOMS = "/api/v1/athletes/{athleteId}/symptoms";
    private static final String ASSESSMENTS = "/api/v1/athletes/{athleteId}/assessments";
    private static final String ATHLETES = "/api/v1/athletes";

    private static final Matcher<String> ANY_TEXT = not(blankOrNullString());

    /** A request sent by (or on behalf of) the test's clinic about its enrolled athlete. */
    @FunctionalInterface
    interface Request {
        Response send(TestClinic clinic, String athleteId);
    }

    /** One bad request and the answer it must get; {@code errorFields} only for validation. */
    record Refusal(String name, Request request, int status, Matcher<?> type, Matcher<?> title,
                   List<String> errorFields, String messageMentions) {

        Refusal mentioning(String text) {
            return new Refusal(name, request, status, type, title, errorFields, text);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Refusal> refusals() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String twoDaysAhead = now.plus(Duration.ofDays(2)).toString();
        String beforeInjuryYear = Bodies.injuryDate().minusYears(1).minusDays(2) + "T08:00:00Z";
        String oversizeNote = "x".repeat(1024 * 1024 + 16);

        return Stream.of(
                // The body is not JSON, or not a JSON object, or too large.
                new Refusal("malformed JSON", (c, a) -> c.as(CLINICIAN).body("{\"pain\": 6, ").post(SYMPTOMS, a),
                        400, ANY_TEXT, ANY_TEXT, List.of(), null),
                invalid("a JSON array instead of an object", SYMPTOMS, "[1, 2]", "body"),
                new Refusal("a body over 1 MiB", (c, a) -> c.as(CLINICIAN)
                        .body(Json.with(Bodies.symptom(), "note", oversizeNote).toString()).post(SYMPTOMS, a),
                        413, equalTo("https://strideback.io/problems/too-large"), equalTo("Payload too large"),
                        List.of(), null),

                // Wrong JSON types.
                invalid("pain as text", SYMPTOMS, Json.with(Bodies.symptom(), "pain", "six"), "pain"),
                invalid("durationMin as text", SESSIONS, Json.with(Bodies.run(), "durationMin", "34"), "durationMin"),
                invalid("run as text", SESSIONS, Json.with(Bodies.run(), "run", "5 km easy"), "run"),
                invalid("observedAt as a number", SYMPTOMS, Json.with(Bodies.symptom(), "observedAt", 1775201400),
                        "observedAt"),
                invalid("startedAt without an offset", SESSIONS,
                        Json.with(Bodies.run(), "startedAt", "2026-04-03T07:30:00"), "startedAt"),
                invalid("character not a list", SYMPTOMS, Json.with(Bodies.symptom(), "character", "PULLING"),
                        "character"),

                // Every field out of its range.
                invalid("pain -1", SYMPTOMS, Json.with(Bodies.symptom(), "pain", -1), "pain"),
                invalid("pain 11", SYMPTOMS, Json.with(Bodies.symptom(), "pain", 11), "pain"),
                invalid("pain 4.5", SYMPTOMS, Json.with(Bodies.symptom(), "pain", 4.5), "pain"),
                invalid("durationMin 0", SESSIONS, Json.with(Bodies.run(), "durationMin", 0), "durationMin"),
                invalid("durationMin 1440 (a whole day)", SESSIONS, Json.with(Bodies.run(), "durationMin", 1440),
                        "durationMin"),
                invalid("distanceKm 0", SESSIONS, Json.with(Bodies.run(), "run.distanceKm", 0), "run.distanceKm"),
                invalid("distanceKm 300.5", SESSIONS, Json.with(Bodies.run(), "run.distanceKm", 300.5),
                        "run.distanceKm"),
                invalid("rpe 11", SESSIONS, Json.with(Bodies.run(), "rpe", 11), "rpe"),
                invalid("cadenceSpm 99", SESSIONS, Json.with(Bodies.run(), "run.cadenceSpm", 99), "run.cadenceSpm"),
                invalid("cadenceSpm 261", SESSIONS, Json.with(Bodies.run(), "run.cadenceSpm", 261),
                        "run.cadenceSpm"),

                // Required parts missing.
                invalid("RUN without run", SESSIONS, Json.without(Bodies.run(), "run"), "run"),
                // The same words as a FIT session whose watch wrote 0 m (FitUploadTest): one check, every path.
                invalid("run without distanceKm", SESSIONS, Json.without(Bodies.run(), "run.distanceKm"),
                        "run.distanceKm").mentioning("log it by hand with the distance run"),
                invalid("STRENGTH without strength", SESSIONS, Json.without(Bodies.strength(), "strength"),
                        "strength"),
                invalid("symptom without observedAt", SYMPTOMS, Json.without(Bodies.symptom(), "observedAt"),
                        "observedAt"),
                invalid("symptom without pain", SYMPTOMS, Json.without(Bodies.symptom(), "pain"), "pain"),
                invalid("symptom without context", SYMPTOMS, Json.without(Bodies.symptom(), "context"), "context"),
                invalid("assessment without recordedAt", ASSESSMENTS,
                        Json.without(Bodies.assessment(), "recordedAt"), "recordedAt"),

                // Unknown enum values: the message names the allowed ones.
                invalid("session type SWIM", SESSIONS, Json.with(Bodies.run(), "type", "SWIM"), "type")
                        .mentioning("RUN, STRENGTH, CROSS_TRAINING, WALK"),
                invalid("intensity JOG", SESSIONS, Json.with(Bodies.run(), "run.intensity", "JOG"), "run.intensity")
                        .mentioning("EASY, STEADY, TEMPO, INTERVALS, SPRINT"),
                invalid("location SHIN", SYMPTOMS, Json.with(Bodies.symptom(), "location", "SHIN"), "location")
                        .mentioning("UPPER_CALF, MID_CALF, LOWER_CALF, MEDIAL_CALF_ALONG_SHIN, ACHILLES, WHOLE_CALF"),
                invalid("character BURNING", SYMPTOMS, Json.with(Bodies.symptom(), "character", List.of("BURNING")),
                        "character[0]").mentioning("PULLING, SHARP, CRAMP"),
                invalid("context RUNNING", SYMPTOMS, Json.with(Bodies.symptom(), "context", "RUNNING"), "context")
                        .mentioning("DURING_RUN, AFTER_RUN, DURING_STRENGTH, WALKING, AT_REST, NIGHT, MORNING"),
                invalid("enrolment diagnosis ACHILLES", ATHLETES,
                        Json.with(Bodies.enrolment(), "diagnosis", "ACHILLES"), "diagnosis")
                        .mentioning("CALF_STRAIN_GASTROCNEMIUS, CALF_STRAIN_SOLEUS, SILENT_SOLEUS_STRAIN"),

                // Event times a watch or a typo gets wrong.
                invalid("symptom observed 2 days ahead", SYMPTOMS,
                        Json.with(Bodies.symptom(), "observedAt", twoDaysAhead), "observedAt"),
                invalid("run started 2 days ahead", SESSIONS, Json.with(Bodies.run(), "startedAt", twoDaysAhead),
                        "startedAt"),
                invalid("symptom more than a year before the injury", SYMPTOMS,
                        Json.with(Bodies.symptom(), "observedAt", beforeInjuryYear), "observedAt")
                        .mentioning(Bodies.injuryDate().toString()),
                invalid("assessment more than a year before the injury", ASSESSMENTS,
                        Json.with(Bodies.assessment(), "recordedAt", beforeInjuryYear), "recordedAt"),

                // The athlete does not exist.
                new Refusal("an unknown athlete", (c, a) -> c.as(CLINICIAN).body(Bodies.symptom().toString())
                        .post(SYMPTOMS, "ath-nobody-" + a), 404, equalTo(NOT_FOUND), equalTo("Not found"), List.of(),
                        null),

                // Who is calling.
                unauthenticated("no token", c -> given().contentType(ContentType.JSON)),
                unauthenticated("an expired token", c -> given().contentType(ContentType.JSON).auth().oauth2(
                        Tokens.issue(localKey(), "clinician@" + c.id(), c.id(), List.of(CLINICIAN),
                                Instant.now().minus(Duration.ofHours(2)), Instant.now().minus(Duration.ofHours(1))))),
                unauthenticated("a token signed by another key", c -> given().contentType(ContentType.JSON).auth()
                        .oauth2(Tokens.issue(StrangerKey.PAIR.getPrivate(), "clinician@" + c.id(), c.id(),
                                List.of(CLINICIAN), Duration.ofHours(1)))),
                forbidden("a token that names no clinic", (c, a) -> given().contentType(ContentType.JSON).auth()
                        .oauth2(Tokens.issue(localKey(), "clinician@nowhere", "", List.of(CLINICIAN),
                                Duration.ofHours(1)))
                        .body(Bodies.symptom().toString()).post(SYMPTOMS, a)),
                // A validly signed token whose clinic could not be written to a record's header: the readers
                // refuse such a record (EventCodec), so the door refuses the token rather than answer 202.
                forbidden("a token whose clinic holds a tab", (c, a) -> clinicianOf(c.id() + "\tnorth")
                        .body(Bodies.enrolment().toString()).post(ATHLETES)),
                forbidden("a token whose clinic holds a NUL", (c, a) -> clinicianOf(c.id() + "\u0000")
                        .body(Bodies.enrolment().toString()).post(ATHLETES)),
                forbidden("a token whose clinic is 201 characters long", (c, a) -> clinicianOf("c".repeat(201))
                        .body(Bodies.enrolment().toString()).post(ATHLETES)),
                forbidden("ops posting a symptom", (c, a) -> c.as(OPS).body(Bodies.symptom().toString())
                        .post(SYMPTOMS, a)),
                forbidden("ops posting a batch", (c, a) -> c.as(OPS).body(batchOf(a)).post("/api/v1/events/batch")),
                forbidden("a device enrolling an athlete", (c, a) -> c.as(DEVICE).body(Bodies.enrolment().toString())
                        .post(ATHLETES)));
    }

    private static RequestSpecification clinicianOf(String clinic) {
        return given().contentType(ContentType.JSON).auth()
                .oauth2(Tokens.issue(localKey(), "clinician@elsewhere", clinic, List.of(CLINICIAN), Duration.ofHours(1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void is_refused_with_a_problem_and_nothing_reaches_the_topic(Refusal refusal) {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();

        Response response = refusal.request().send(clinic, athleteId);

        ValidatableResponse answer = response.then().statusCode(refusal.status());
        if (refusal.type() != null) {
            answer.contentType(startsWith(PROBLEM_JSON))
                    .body("type", refusal.type())
                    .body("title", refusal.title())
                    .body("status", equalTo(refusal.status()))
                    .body("detail", ANY_TEXT);
        } else if (!response.asString().isEmpty()) {
            answer.contentType(startsWith(PROBLEM_JSON)).body("status", equalTo(refusal.status()));
        }
        if (refusal.status() == 401) {
            answer.header("WWW-Authenticate", startsWith("Bearer"));
        }
        if (!refusal.errorFields().isEmpty()) {
            answer.body("errors.field", containsInAnyOrder(refusal.errorFields().toArray()))
                    .body("errors.message", not(hasItem(blankOrNullString())));
        }
        if (refusal.messageMentions() != null) {
            answer.body("errors.message", hasItem(containsString(refusal.messageMentions())));
        }

        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(athleteId), "athlete.enrolled");
    }

    @Test
    void an_athlete_of_another_clinic_is_not_found_and_nothing_is_written_for_either_clinic() {
        TestClinic ours = new TestClinic();
        String ourAthlete = ours.enrolAthlete();
        TestClinic theirs = new TestClinic();
        String theirAthlete = theirs.enrolAthlete();

        for (String path : List.of(SESSIONS, SYMPTOMS, ASSESSMENTS)) {
            String body = path.equals(SESSIONS) ? Bodies.run().toString()
                    : path.equals(SYMPTOMS) ? Bodies.symptom().toString() : Bodies.assessment().toString();
            isProblem(ours.as(CLINICIAN).body(body).post(path, theirAthlete).then(), 404, NOT_FOUND, "Not found")
                    .body("detail", not(containsString(theirs.id())));
        }

        topic().assertHoldsOnly(ours.id(), ours.reportSymptom(ourAthlete), "athlete.enrolled");
        topic().assertHoldsOnly(theirs.id(), theirs.reportSymptom(theirAthlete), "athlete.enrolled");
        assertThat(topic().recordsOf(theirs.id())).allSatisfy(r -> assertThat(r.key()).startsWith(theirs.id() + "/"));
    }

    private static Refusal invalid(String name, String path, Object body, String... fields) {
        String json = body.toString();
        Request request = path.equals(ATHLETES)
                ? (c, a) -> c.as(CLINICIAN).body(json).post(path)
                : (c, a) -> c.as(CLINICIAN).body(json).post(path, a);
        return new Refusal(name, request, 400, equalTo(VALIDATION), equalTo(INVALID_REQUEST), List.of(fields), null);
    }

    private static Refusal unauthenticated(String name,
                                           java.util.function.Function<TestClinic, io.restassured.specification.RequestSpecification> caller) {
        return new Refusal(name, (c, a) -> caller.apply(c).body(Bodies.symptom().toString()).post(SYMPTOMS, a),
                401, equalTo(UNAUTHENTICATED), equalTo("Unauthorized"), List.of(), null);
    }

    private static Refusal forbidden(String name, Request request) {
        return new Refusal(name, request, 403, equalTo(FORBIDDEN), equalTo("Forbidden"), List.of(), null);
    }

    private static String batchOf(String athleteId) {
        return "{\"items\": [{\"athleteId\": \"" + athleteId + "\", \"kind\": \"symptom\", \"body\": "
                + Bodies.symptom() + "}]}";
    }

    private static PrivateKey localKey() {
        return LocalKeys.loadOrCreate(LocalKeys.defaultDir()).getPrivate();
    }

    /** A key pair made for this test run only: its signatures are valid RS256, just not ours. */
    private static final class StrangerKey {
        static final KeyPair PAIR = generate();

        private static KeyPair generate() {
            try {
                KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
                rsa.initialize(2048);
                return rsa.generateKeyPair();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
