package io.strideback.loadmonitor.messaging;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.strideback.events.ActivityEvents.AthleteEnrolled;
import io.strideback.events.ActivityEvents.Run;
import io.strideback.events.ActivityEvents.SessionLogged;
import io.strideback.events.ActivityEvents.SymptomReported;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.Topic;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.PainLocation;
import io.strideback.events.vocabulary.RedFlag;
import io.strideback.events.vocabulary.RunIntensity;
import io.strideback.events.vocabulary.SessionType;
import io.strideback.events.vocabulary.Side;
import io.strideback.events.vocabulary.SymptomContext;
import io.strideback.testing.KafkaResource;
import io.strideback.testing.LocalKeysResource;
import io.strideback.testing.LocalPostgres;
import io.strideback.testing.PostgresResource;
import io.strideback.testing.Tokens;
import io.strideback.testing.TopicRecords;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/**
 * Issue 12 on a real broker and PostgreSQL: one record the database refuses is parked on the DLQ
 * with its reason and every other clinic's events flow on; a batch with one refused record stores
 * the others; a database outage is retried from the same records and skips nothing; an outbox row
 * too large to publish is parked and the rows after it are published.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "loadmonitor"))
@QuarkusTestResource(LocalKeysResource.class)
class PoisonProofActivityTest {

    /** Issue 16: metrics are served on the management interface only. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/metrics", management = true) // under the management root, /q
    java.net.URL metrics;

    private static final Instant NOW = Instant.now().minus(Duration.ofHours(1));
    private static final String DLQ = Topic.ATHLETE_ACTIVITY.deadLetterTopicName();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @Inject
    AgroalDataSource dataSource;

    @Test
    void a_nul_in_a_note_is_parked_with_its_reason_and_another_clinics_red_flag_is_still_analysed() {
        String clinicA = "clinic-" + UUID.randomUUID();
        String clinicB = "clinic-" + UUID.randomUUID();
        EventEnvelope<SymptomReported> poisoned = symptom(clinicA, "runner-a", "a\u0000b", List.of());
        // A buggy or old producer writes straight to the topic: intake would refuse the NUL today.
        TopicRecords.send(bootstrap, record(enrolment(clinicA, "runner-a")), record(poisoned));
        EventEnvelope<SymptomReported> redFlag = symptom(clinicB, "runner-b", null, List.of(RedFlag.SEVERE_TENDERNESS));
        TopicRecords.send(bootstrap, record(enrolment(clinicB, "runner-b")), record(redFlag));

        ConsumerRecord<String, byte[]> parked = TopicRecords.read(bootstrap, DLQ,
                r -> poisoned.id().equals(EventCodec.header(r.headers(), EventCodec.ID)), found -> !found.isEmpty(),
                Duration.ofSeconds(90)).get(0);
        assertThat(EventCodec.header(parked.headers(), Topic.DLQ_REASON_HEADER))
                .contains("symptom.reported " + poisoned.id() + " refused")
                .contains("SQLState 22P05");

        // The other clinic's red flag still goes all the way: pattern and urgent-referral proposal.
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                given().auth().oauth2(Tokens.issue(clinicB, "clinician"))
                        .get("/api/v1/athletes/runner-b/patterns").then().statusCode(200)
                        .body("patterns.kind", hasItem("RED_FLAG")));
        TopicRecords.read(bootstrap, Topic.PLAN_ADJUSTMENTS.topicName(),
                r -> clinicB.equals(EventCodec.header(r.headers(), EventCodec.CLINIC)), found -> !found.isEmpty(),
                Duration.ofSeconds(60));
        given().auth().oauth2(Tokens.issue(clinicA, "ops")).get("/api/v1/ops/status").then().statusCode(200)
                .body("consumers[0].running", equalTo(true))
                .body("consumers[0].parked", org.hamcrest.Matchers.greaterThanOrEqualTo(1));
    }

    @Test
    void settings_stored_out_of_bounds_before_the_door_checked_them_fall_back_to_the_defaults() throws Exception {
        String absurd = "clinic-" + UUID.randomUUID();
        String other = "clinic-" + UUID.randomUUID();
        // Settings stored before they were bounded at the door (issue 12): the rules overflowed on them
        // and stalled every analysis. Read back, they are out of bounds, so the defaults apply.
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO clinic_rules (clinic_id, overrides) VALUES (?, ?::jsonb)")) {
            ps.setString(1, absurd);
            ps.setString(2, "{\"progressionWindow\": \"PT2562047788015215H\"}");
            ps.executeUpdate();
        }
        TopicRecords.send(bootstrap, record(enrolment(absurd, "runner-f")),
                record(symptom(absurd, "runner-f", null, List.of(RedFlag.SWELLING))),
                record(session(absurd, "runner-f", NOW.minus(Duration.ofDays(1)))));
        TopicRecords.send(bootstrap, record(enrolment(other, "runner-g")),
                record(symptom(other, "runner-g", null, List.of(RedFlag.SEVERE_TENDERNESS))));

        for (String[] athlete : List.of(new String[]{other, "runner-g"}, new String[]{absurd, "runner-f"})) {
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                    given().auth().oauth2(Tokens.issue(athlete[0], "clinician"))
                            .get("/api/v1/athletes/" + athlete[1] + "/patterns").then().statusCode(200)
                            .body("patterns.kind", hasItem("RED_FLAG")));
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM analysis_failure WHERE clinic_id = ?")) {
            ps.setString(1, absurd);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).as("no analysis failed").isZero();
            }
        }
        given().auth().oauth2(Tokens.issue(absurd, "clinician")).get("/api/v1/athletes/runner-f/timeline").then()
                .statusCode(200).body("sessions", hasSize(1)).body("symptoms", hasSize(1));
    }

    @Test
    void a_batch_with_one_refused_record_stores_all_the_others() {
        String clinic = "clinic-" + UUID.randomUUID();
        List<ProducerRecord<String, byte[]>> batch = new ArrayList<>();
        batch.add(record(enrolment(clinic, "runner-c")));
        for (int i = 0; i < 10; i++) {
            batch.add(record(session(clinic, "runner-c", NOW.minus(Duration.ofDays(10 - i)))));
        }
        EventEnvelope<SymptomReported> poisoned = symptom(clinic, "runner-c", "bad\u0000note", List.of());
        batch.add(5, record(poisoned));
        @SuppressWarnings("unchecked")
        ProducerRecord<String, byte[]>[] all = batch.toArray(ProducerRecord[]::new);
        TopicRecords.send(bootstrap, all);

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                given().auth().oauth2(Tokens.issue(clinic, "clinician"))
                        .get("/api/v1/athletes/runner-c/timeline").then().statusCode(200)
                        .body("sessions", hasSize(10)));
        List<ConsumerRecord<String, byte[]>> parked = TopicRecords.read(bootstrap, DLQ,
                r -> clinic.equals(EventCodec.header(r.headers(), EventCodec.CLINIC)), found -> !found.isEmpty(),
                Duration.ofSeconds(60));
        assertThat(parked).extracting(r -> EventCodec.header(r.headers(), EventCodec.ID)).containsExactly(poisoned.id());
    }

    @Test
    void while_the_database_refuses_connections_records_are_retried_and_none_is_skipped() throws Exception {
        String clinic = "clinic-" + UUID.randomUUID();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        records.add(record(enrolment(clinic, "runner-d")));
        for (int i = 0; i < 3; i++) {
            records.add(record(session(clinic, "runner-d", NOW.minus(Duration.ofDays(3 - i)))));
        }
        try (Connection admin = DriverManager.getConnection(PostgresResource.server().jdbcUrl("postgres"),
                LocalPostgres.USER, LocalPostgres.PASSWORD); Statement st = admin.createStatement()) {
            st.execute("ALTER DATABASE loadmonitor ALLOW_CONNECTIONS false");
            try {
                st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'loadmonitor'");
                @SuppressWarnings("unchecked")
                ProducerRecord<String, byte[]>[] all = records.toArray(ProducerRecord[]::new);
                TopicRecords.send(bootstrap, all);
                // The channel retries the same records and says so, and counts them as behind (they
                // were fetched but not applied); nothing is parked.
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                        given().auth().oauth2(Tokens.issue(clinic, "ops")).get("/api/v1/ops/status").then()
                                .statusCode(200).body("consumers[0].retryingSince", notNullValue())
                                .body("consumers[0].lag", org.hamcrest.Matchers.greaterThan(0)));
            } finally {
                st.execute("ALTER DATABASE loadmonitor ALLOW_CONNECTIONS true");
            }
        }
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                given().auth().oauth2(Tokens.issue(clinic, "clinician"))
                        .get("/api/v1/athletes/runner-d/timeline").then().statusCode(200)
                        .body("sessions", hasSize(3)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().auth().oauth2(Tokens.issue(clinic, "ops")).get("/api/v1/ops/status").then()
                        .statusCode(200).body("consumers[0].retryingSince", nullValue()));
        assertThat(TopicRecords.read(bootstrap, DLQ, r -> true, found -> true, Duration.ofSeconds(5)))
                .noneMatch(r -> clinic.equals(EventCodec.header(r.headers(), EventCodec.CLINIC)));
    }

    @Test
    void an_outbox_row_too_large_to_publish_is_parked_and_the_rows_after_it_are_published() throws Exception {
        String clinic = "clinic-" + UUID.randomUUID();
        String tooLarge = UUID.randomUUID().toString();
        String after = UUID.randomUUID().toString();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO outbox (event_id, ce_type, ce_source, ce_time, ce_subject, ce_clinic, schema_version, payload)
                VALUES (?, 'pattern.detected', '/test', now(), 'runner-e', ?, 1, ?)""")) {
            // Larger than the producer's max.request.size (1 MiB): the broker would never take it.
            ps.setString(1, tooLarge);
            ps.setString(2, clinic);
            ps.setBytes(3, ("{\"pad\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}").getBytes());
            ps.addBatch();
            ps.setString(1, after);
            ps.setString(2, clinic);
            ps.setBytes(3, "{\"athleteId\":\"runner-e\"}".getBytes());
            ps.addBatch();
            ps.executeBatch();
        }
        List<ConsumerRecord<String, byte[]>> published = TopicRecords.read(bootstrap, Topic.LOAD_FINDINGS.topicName(),
                r -> clinic.equals(EventCodec.header(r.headers(), EventCodec.CLINIC)), found -> !found.isEmpty(),
                Duration.ofSeconds(60));
        assertThat(published).extracting(r -> EventCodec.header(r.headers(), EventCodec.ID)).containsExactly(after);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT reason FROM outbox_dead_letter WHERE event_id = ?")) {
            ps.setString(1, tooLarge);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("the too-large row is parked").isTrue();
                assertThat(rs.getString(1)).contains("RecordTooLargeException").contains("max.request.size");
            }
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                given().auth().oauth2(Tokens.issue(clinic, "ops")).get("/api/v1/ops/status").then().statusCode(200)
                        .body("outbox.deadLetters", org.hamcrest.Matchers.greaterThanOrEqualTo(1))
                        .body("outbox.lastDeadLetter", org.hamcrest.Matchers.containsString(tooLarge)));
        given().get(metrics).then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("strideback_outbox_dead_letters{application=\"load-monitor-service\"}"));
    }

    private static ProducerRecord<String, byte[]> record(EventEnvelope<?> event) {
        return EventCodec.toRecord(event);
    }

    private static EventEnvelope<AthleteEnrolled> enrolment(String clinic, String athlete) {
        return EventEnvelope.of(EventType.ATHLETE_ENROLLED, "/test", NOW.minus(Duration.ofDays(20)), clinic, athlete,
                new AthleteEnrolled(athlete, clinic, "Runner", Diagnosis.NEURAL_TENSION, Side.RIGHT,
                        LocalDate.now().minusDays(30), null, NOW.minus(Duration.ofDays(20))));
    }

    private static EventEnvelope<SessionLogged> session(String clinic, String athlete, Instant at) {
        return EventEnvelope.of(EventType.SESSION_LOGGED, "/test", at, clinic, athlete,
                new SessionLogged(athlete, clinic, UUID.randomUUID().toString(), SessionType.RUN, at, 30, 4,
                        new Run(4.0, RunIntensity.EASY, null), null, null));
    }

    private static EventEnvelope<SymptomReported> symptom(String clinic, String athlete, String note,
                                                          List<RedFlag> redFlags) {
        return EventEnvelope.of(EventType.SYMPTOM_REPORTED, "/test", NOW, clinic, athlete,
                new SymptomReported(athlete, clinic, NOW, 6, Side.RIGHT, PainLocation.MID_CALF, List.of(),
                        SymptomContext.AT_REST, redFlags, note));
    }
}
