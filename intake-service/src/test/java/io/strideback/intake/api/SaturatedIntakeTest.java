package io.strideback.intake.api;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.strideback.events.EventCodec;
import io.strideback.intake.support.Bodies;
import io.strideback.intake.support.IntakeTest;
import io.strideback.intake.support.Json;
import io.strideback.intake.support.TestClinic;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static io.strideback.intake.support.ActivityTopic.header;
import static io.strideback.intake.support.Problems.UNAVAILABLE;
import static io.strideback.intake.support.TestClinic.DEVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 15: the batcher's line is bounded; when it is full a post is answered 503 with Retry-After
 * at once, nothing of it claimed or published, and its retry is a first attempt that lands once.
 * The batcher is held on a lock of the key table, so the line fills deterministically.
 */
@QuarkusTest
@TestProfile(SaturatedIntakeTest.ShortLine.class)
class SaturatedIntakeTest extends IntakeTest {

    /** Three items may wait for the batcher. */
    public static class ShortLine implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("strideback.intake.batch.max-waiting", "3");
        }
    }

    private static final String SYMPTOMS = "/api/v1/athletes/{athleteId}/symptoms";

    @Inject
    AgroalDataSource dataSource;
    @Inject
    MeterRegistry metrics;

    @Test
    void a_full_line_answers_503_with_retry_after_and_the_retry_lands_exactly_once() throws Exception {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<String> keys = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            keys.add(UUID.randomUUID().toString());
            bodies.add(Json.with(Bodies.symptom(), "pain", i).toString());
        }
        List<CompletableFuture<Response>> admitted = new ArrayList<>();
        List<Response> refused = new ArrayList<>();
        try (Connection lock = dataSource.getConnection()) {
            // given the batcher held on its claim statement (the key table locked against writes)
            lock.setAutoCommit(false);
            try (Statement st = lock.createStatement()) {
                st.execute("LOCK TABLE idempotency_key IN EXCLUSIVE MODE");
            }
            admitted.add(post(clinic, athleteId, keys.get(0), bodies.get(0), clients));
            await().atMost(Duration.ofSeconds(20)).until(() -> waitingOnLock(lock) > 0);
            // and three posts waiting behind it, which fill the line of three items
            for (int i = 1; i <= 3; i++) {
                admitted.add(post(clinic, athleteId, keys.get(i), bodies.get(i), clients));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> metrics.get("strideback.intake.waiting").gauge().value() == 3);

            // when two more come
            for (int i = 4; i <= 5; i++) {
                long start = System.nanoTime();
                Response answer = clinic.as(DEVICE).header("Idempotency-Key", keys.get(i)).body(bodies.get(i))
                        .post(SYMPTOMS, athleteId);
                // then each is refused at once, as RFC 9457 503 with Retry-After
                isProblem(answer.then(), 503, UNAVAILABLE, "Service unavailable");
                assertThat(Integer.parseInt(answer.header("Retry-After"))).isPositive();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
                refused.add(answer);
            }
            // and nothing of them was claimed (the lock holder reads the table)
            try (Statement st = lock.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT count(*) FROM idempotency_key WHERE idem_key IN ('" + keys.get(4) + "', '" + keys.get(5) + "')")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
            assertThat(admitted).noneMatch(CompletableFuture::isDone);
            lock.rollback();
        }

        // The batcher free again: every admitted post is accepted...
        List<String> eventIds = new ArrayList<>();
        for (CompletableFuture<Response> a : admitted) {
            Response answer = a.get(30, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(202);
            eventIds.add(answer.path("eventId"));
        }
        // ...and each refused one, retried with its key as Retry-After says, is accepted under its key's event id.
        for (int i = 4; i <= 5; i++) {
            String retried = clinic.as(DEVICE).header("Idempotency-Key", keys.get(i)).body(bodies.get(i))
                    .post(SYMPTOMS, athleteId).then().statusCode(202).extract().path("eventId");
            assertThat(retried).isEqualTo(UUID.nameUUIDFromBytes((clinic.id() + "|" + keys.get(i))
                    .getBytes(StandardCharsets.UTF_8)).toString());
            eventIds.add(retried);
        }
        clients.shutdownNow();

        topic().readToEnd();
        List<String> onTopic = topic().recordsOf(clinic.id()).stream()
                .map(r -> header(r, EventCodec.ID)).filter(eventIds::contains).toList();
        assertThat(onTopic).hasSize(6).doesNotHaveDuplicates();
    }

    private static CompletableFuture<Response> post(TestClinic clinic, String athleteId, String key, String body,
                                                    ExecutorService clients) {
        return CompletableFuture.supplyAsync(() -> clinic.as(DEVICE).header("Idempotency-Key", key).body(body)
                .post(SYMPTOMS, athleteId), clients);
    }

    /** Backends of this database waiting for a lock the test holds. */
    private static int waitingOnLock(Connection lock) throws Exception {
        try (Statement st = lock.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
