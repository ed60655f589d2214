package io.strideback.intake.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.strideback.events.EventCodec;
import io.strideback.intake.support.Bodies;
import io.strideback.intake.support.IntakeTest;
import io.strideback.intake.support.Json;
import io.strideback.intake.support.TestClinic;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.strideback.intake.support.ActivityTopic.header;
import static io.strideback.intake.support.Problems.INVALID_REQUEST;
import static io.strideback.intake.support.Problems.NOT_FOUND;
import static io.strideback.intake.support.Problems.VALIDATION;
import static io.strideback.intake.support.TestClinic.DEVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/**
 * {@code POST /api/v1/events/batch}: a wearable's sync of many events. Each item gets its own
 * answer, in the items' order; a bad item never rejects the good ones; a wearable's own id
 * ({@code source.provider} + {@code source.externalId}) makes a resent activity a no-op.
 */
@QuarkusTest
class BatchTest extends IntakeTest {

    private static final String BATCH = "/api/v1/events/batch";

    /**
     * Round 18: a batch reaches the topic in the order posted, items keyed by a watch's own id among the others.
     * The keyed ones used to follow every unkeyed one, so a watch's runs reached the load monitor after the reports
     * they explain, and it withdrew and proposed again what it had concluded from the reports alone.
     */
    @Test
    void the_items_reach_the_topic_in_the_order_posted_keyed_or_not() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        String watch = "w-" + UUID.randomUUID();

        List<String> ids = clinic.as(DEVICE).body(Json.batch(
                        Json.item(athleteId, "symptom", Bodies.symptom()),
                        Json.item(athleteId, "session", Bodies.wearableRun("garmin", watch + "-1")),
                        Json.item(athleteId, "symptom", Bodies.symptom()),
                        Json.item(athleteId, "session", Bodies.wearableRun("garmin", watch + "-2"))))
                .post(BATCH).then().statusCode(200)
                .body("results.status", contains(202, 202, 202, 202))
                .extract().path("results.eventId");

        ids.forEach(id -> topic().awaitRecord(clinic.id(), id));
        assertThat(topic().recordsOf(clinic.id()).stream().map(r -> header(r, EventCodec.ID)).filter(ids::contains))
                .containsExactlyElementsOf(ids);
    }

    @Test
    void mixed_kinds_are_answered_in_order_and_a_bad_item_does_not_reject_the_others() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();

        ValidatableResponse answer = clinic.as(DEVICE).body(Json.batch(
                        Json.item(athleteId, "session", Bodies.run()),
                        Json.item(athleteId, "symptom", Bodies.symptom()),
                        Json.item(athleteId, "assessment", Bodies.assessment()),
                        Json.item(athleteId, "session", Json.with(Bodies.run(), "rpe", 11)),
                        Json.item("ath-nobody", "symptom", Bodies.symptom()),
                        Json.item(athleteId, "diary", Bodies.symptom()),
                        Json.item(athleteId, "session", Bodies.strength())))
                .post(BATCH).then().statusCode(200)
                .body("results", hasSize(7))
                .body("results.index", contains(0, 1, 2, 3, 4, 5, 6))
                .body("results.status", contains(202, 202, 202, 400, 404, 400, 202));

        for (int accepted : List.of(0, 1, 2, 6)) {
            answer.body("results[" + accepted + "].eventId", notNullValue())
                    .body("results[" + accepted + "].problem", nullValue());
        }
        answer.body("results[3].eventId", nullValue())
                .body("results[3].problem.type", equalTo(VALIDATION))
                .body("results[3].problem.title", equalTo(INVALID_REQUEST))
                .body("results[3].problem.status", equalTo(400))
                .body("results[3].problem.errors.field", contains("rpe"))
                .body("results[4].problem.type", equalTo(NOT_FOUND))
                .body("results[4].problem.status", equalTo(404))
                .body("results[5].problem.type", equalTo(VALIDATION))
                .body("results[5].problem.errors.field", contains("items[5].kind"))
                .body("results[5].problem.errors.message", contains(containsString("session, symptom, assessment")));

        List<String> ids = answer.extract().path("results.eventId");
        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(athleteId), "athlete.enrolled",
                "session.logged", "symptom.reported", "assessment.recorded", "session.logged");
        assertThat(header(topic().recordsWithId(clinic.id(), ids.get(0)).get(0), EventCodec.TYPE))
                .isEqualTo("session.logged");
        assertThat(header(topic().recordsWithId(clinic.id(), ids.get(1)).get(0), EventCodec.TYPE))
                .isEqualTo("symptom.reported");
        assertThat(header(topic().recordsWithId(clinic.id(), ids.get(2)).get(0), EventCodec.TYPE))
                .isEqualTo("assessment.recorded");
        assertThat(header(topic().recordsWithId(clinic.id(), ids.get(6)).get(0), EventCodec.TYPE))
                .isEqualTo("session.logged");
    }

    @Test
    void a_wearable_activity_sent_again_is_answered_with_its_first_event_and_published_once() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        ObjectNode activity = Bodies.wearableRun("garmin", "act-" + UUID.randomUUID());
        ObjectNode another = Bodies.wearableRun("garmin", "act-" + UUID.randomUUID());

        List<String> firstSync = clinic.as(DEVICE).body(Json.batch(
                        Json.item(athleteId, "session", activity),
                        Json.item(athleteId, "session", activity),
                        Json.item(athleteId, "session", another)))
                .post(BATCH).then().statusCode(200)
                .body("results.status", contains(202, 202, 202))
                .extract().path("results.eventId");
        String firstEvent = firstSync.get(0);
        assertThat(firstSync.get(1)).as("the same activity twice in one batch").isEqualTo(firstEvent);
        assertThat(firstSync.get(2)).as("another activity").isNotEqualTo(firstEvent);

        // The provider's id names the activity: synced again it gets its first answer; with a figure
        // recomputed it is refused (422), never answered with an event that does not hold it (issue 12).
        List<String> secondSync = clinic.as(DEVICE).body(Json.batch(
                        Json.item(athleteId, "session", activity),
                        Json.item(athleteId, "session", Json.with(activity, "rpe", 5)),
                        Json.item(athleteId, "session", Json.with(activity, "source.provider", "coros"))))
                .post(BATCH).then().statusCode(200)
                .body("results.status", contains(202, 422, 202))
                .body("results[1].problem.errors.field", contains("source.externalId"))
                .extract().path("results.eventId");
        assertThat(secondSync.get(0)).as("the activity synced again").isEqualTo(firstEvent);
        assertThat(secondSync.get(1)).as("the activity synced again, recomputed").isNull();
        assertThat(secondSync.get(2)).as("the same id from another provider").isNotIn(firstSync);

        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(athleteId), "athlete.enrolled",
                "session.logged", "session.logged", "session.logged");
        assertThat(topic().recordsWithId(clinic.id(), firstEvent)).hasSize(1);
    }

    @Test
    void more_than_500_items_are_refused_whole_and_nothing_is_published() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        ObjectNode[] items = IntStream.range(0, 501)
                .mapToObj(i -> Json.item(athleteId, "symptom", Bodies.symptom())).toArray(ObjectNode[]::new);

        isProblem(clinic.as(DEVICE).body(Json.batch(items)).post(BATCH).then(), 400, VALIDATION, INVALID_REQUEST)
                .body("errors.field", contains("items"))
                .body("errors.message", contains(containsString("500")));

        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(athleteId), "athlete.enrolled");
    }

    @Test
    void exactly_500_items_are_taken() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        ObjectNode[] items = IntStream.range(0, 500)
                .mapToObj(i -> Json.item(athleteId, "symptom", Json.with(Bodies.symptom(), "pain", i % 11)))
                .toArray(ObjectNode[]::new);

        List<Integer> statuses = clinic.as(DEVICE).body(Json.batch(items)).post(BATCH)
                .then().statusCode(200).extract().path("results.status");

        assertThat(statuses).hasSize(500).containsOnly(202);
        String marker = clinic.reportSymptom(athleteId);
        topic().awaitRecord(clinic.id(), marker);
        topic().readToEnd();
        assertThat(topic().typesOf(clinic.id())).filteredOn("symptom.reported"::equals).hasSize(501);
    }
}
