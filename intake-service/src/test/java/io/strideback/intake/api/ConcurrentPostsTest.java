package io.strideback.intake.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.strideback.events.EventCodec;
import io.strideback.intake.support.Bodies;
import io.strideback.intake.support.IntakeTest;
import io.strideback.intake.support.Json;
import io.strideback.intake.support.TestClinic;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.strideback.intake.support.ActivityTopic.header;
import static io.strideback.intake.support.TestClinic.DEVICE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Posts that arrive together are claimed, published and answered together (issue 15: one claim
 * statement for a batch of requests, each answered from its send's callback); every guarantee of a
 * lone post still holds for each of them.
 */
@QuarkusTest
class ConcurrentPostsTest extends IntakeTest {

    private static final String SYMPTOMS = "/api/v1/athletes/{athleteId}/symptoms";

    @Test
    void many_posts_at_once_each_get_their_own_event_on_the_topic_exactly_once() throws Exception {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        List<Callable<Response>> posts = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            String body = Json.with(Bodies.symptom(), "pain", i % 11).toString();
            String key = UUID.randomUUID().toString();
            posts.add(() -> clinic.as(DEVICE).header("Idempotency-Key", key).body(body).post(SYMPTOMS, athleteId));
        }

        List<Response> answers = all(posts, 24);

        Set<String> eventIds = new HashSet<>();
        for (Response answer : answers) {
            assertThat(answer.statusCode()).isEqualTo(202);
            eventIds.add(answer.path("eventId"));
        }
        assertThat(eventIds).hasSize(120);
        // 202 came after acks=all, so every record is on the topic by now: read it to its end once.
        topic().readToEnd();
        List<String> onTopic = topic().recordsOf(clinic.id()).stream()
                .map(r -> header(r, EventCodec.ID)).filter(eventIds::contains).toList();
        assertThat(onTopic).hasSize(120).doesNotHaveDuplicates();
    }

    @Test
    void the_same_key_and_body_posted_at_once_is_one_event_and_every_202_names_it() throws Exception {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        String key = UUID.randomUUID().toString();
        String body = Bodies.symptom().toString();
        List<Callable<Response>> posts = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            posts.add(() -> clinic.as(DEVICE).header("Idempotency-Key", key).body(body).post(SYMPTOMS, athleteId));
        }

        List<Response> answers = all(posts, 16);

        // Each is the first answer (202, same event) or, while the first is still with the broker, 503 to retry.
        Set<String> accepted = new HashSet<>();
        for (Response answer : answers) {
            assertThat(answer.statusCode()).isIn(202, 503);
            if (answer.statusCode() == 202) {
                accepted.add(answer.path("eventId"));
            } else {
                assertThat(answer.header("Retry-After")).isNotBlank();
            }
        }
        assertThat(accepted).hasSize(1);
        String eventId = accepted.iterator().next();
        String retry = clinic.as(DEVICE).header("Idempotency-Key", key).body(body).post(SYMPTOMS, athleteId)
                .then().statusCode(202).extract().path("eventId");
        assertThat(retry).isEqualTo(eventId);
        topic().awaitRecord(clinic.id(), eventId);
        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(athleteId), "athlete.enrolled", "symptom.reported");
    }

    @Test
    void the_same_key_with_two_bodies_at_once_publishes_one_and_refuses_or_defers_the_other() throws Exception {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        String key = UUID.randomUUID().toString();
        List<Callable<Response>> posts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String body = Json.with(Bodies.symptom(), "pain", i % 2 == 0 ? 2 : 5).toString();
            posts.add(() -> clinic.as(DEVICE).header("Idempotency-Key", key).body(body).post(SYMPTOMS, athleteId));
        }

        List<Response> answers = all(posts, 12);

        Set<String> accepted = new HashSet<>();
        for (Response answer : answers) {
            assertThat(answer.statusCode()).isIn(202, 422, 503);
            if (answer.statusCode() == 202) {
                accepted.add(answer.path("eventId"));
            }
        }
        assertThat(accepted).hasSize(1);
        topic().awaitRecord(clinic.id(), accepted.iterator().next());
        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(athleteId), "athlete.enrolled", "symptom.reported");
    }

    private static List<Response> all(List<Callable<Response>> posts, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Response> answers = new ArrayList<>();
            for (Future<Response> f : pool.invokeAll(posts)) {
                answers.add(f.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }
}
