package io.strideback.plan.erasure;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.strideback.events.ActivityEvents.AthleteEnrolled;
import io.strideback.events.ActivityEvents.AthleteErased;
import io.strideback.events.ActivityEvents.SymptomReported;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.SealedText;
import io.strideback.events.Topic;
import io.strideback.events.FindingEvents.AdjustmentProposed;
import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.PainCharacter;
import io.strideback.events.vocabulary.PainLocation;
import io.strideback.events.vocabulary.PatternKind;
import io.strideback.events.vocabulary.Side;
import io.strideback.events.vocabulary.SymptomContext;
import io.strideback.plan.service.PlanService;
import io.strideback.testing.KafkaResource;
import io.strideback.testing.LocalKeysResource;
import io.strideback.testing.PostgresResource;
import io.strideback.testing.Tokens;
import io.strideback.testing.TopicRecords;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/**
 * CONTRACT v2 erasure, plan-service's side (issue 16 item 3), through the activity topic on a real broker and
 * PostgreSQL. Given an enrolled athlete with a plan, an adjustment, a symptom note and a second athlete of the same
 * clinic; when {@code athlete.erased} arrives: every table holds nothing of the athlete, the plan, its history, the
 * FHIR export, the runner's page and posts answer 404, the audit log says who erased whom and when, and the other
 * athlete is untouched. Then a late enrolment, symptom and proposal (a replay) and a rebuild make nothing again.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "plan"))
@QuarkusTestResource(LocalKeysResource.class)
class AthleteErasureTest {

    private static final Instant NOW = Instant.now().minus(Duration.ofHours(1));
    private static final String MONITOR = "/strideback/load-monitor-service";
    private static final List<String> ATHLETE_TABLES = List.of("plan_view", "plan_adjustment_view", "plan_event",
            "deferred_adjustment", "athlete_name", "clinical_athlete", "clinical_entry");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    PlanService plans;

    private final String clinic = "erasure-" + UUID.randomUUID();
    private final String erased = "runner-e-" + UUID.randomUUID();
    private final String kept = "runner-k-" + UUID.randomUUID();

    @Test
    void an_erased_athlete_is_gone_from_every_table_and_read_stays_gone_after_late_events_and_a_rebuild() throws Exception {
        String clinician = Tokens.issue(clinic, "clinician");
        String admin = Tokens.issue(clinic, "clinic-admin");
        enrol(erased, "Erin Erasable");
        enrol(kept, "Kim Kept");
        TopicRecords.send(bootstrap, EventCodec.toRecord(symptom(erased, "felt it on the hill at Ravensworth")),
                EventCodec.toRecord(cap(erased)));
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            given().auth().oauth2(clinician).get("/api/v1/athletes/" + erased + "/plan").then().statusCode(200)
                    .body("displayName", equalTo("Erin Erasable")).body("constraints.maxDistanceKm", equalTo(3.0f));
            given().auth().oauth2(clinician).get("/api/v1/athletes/" + erased + "/fhir").then().statusCode(200)
                    .body("entry.resource.note.text.flatten()", hasItem("felt it on the hill at Ravensworth"));
            given().auth().oauth2(clinician).get("/api/v1/athletes/" + kept + "/plan").then().statusCode(200);
        });

        Instant erasedAt = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        TopicRecords.send(bootstrap, EventCodec.toRecord(EventEnvelope.of(EventType.ATHLETE_ERASED,
                "/strideback/intake-service", erasedAt, clinic, erased,
                new AthleteErased(erased, clinic, erasedAt, "admin@" + clinic))));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            given().auth().oauth2(clinician).get("/api/v1/athletes/" + erased + "/plan").then().statusCode(404);
            assertThat(rowsOf(erased)).as("rows left of the erased athlete").isEqualTo(Map.of());
        });
        assertGone(clinician);
        given().auth().oauth2(admin).get("/api/v1/audit").then().statusCode(200)
                .body("entries.find { it.what == 'athlete.erased' }.who", equalTo("admin@" + clinic))
                .body("entries.find { it.what == 'athlete.erased' }.target", equalTo("athlete/" + erased))
                .body("entries.find { it.what == 'athlete.erased' }.at", equalTo(erasedAt.toString()));
        given().auth().oauth2(clinician).get("/api/v1/athletes/" + kept + "/plan").then().statusCode(200)
                .body("displayName", equalTo("Kim Kept"));
        given().auth().oauth2(clinician).get("/api/v1/athletes").then().statusCode(200)
                .body("athletes.athleteId", not(hasItem(erased)))
                .body("athletes.find { it.athleteId == '" + kept + "' }.displayName", equalTo("Kim Kept"));

        // A replay (new ids: the processed ids may have been purged) and late records on both topics, then records
        // of a marker athlete on the erased athlete's partitions: once each of the three consumer groups (plan,
        // clinical record, adjustments) shows the marker's, it has read the late records before them. (The other
        // athlete's records proved nothing: another partition, read independently.)
        String marker = TopicRecords.athleteOnTheSamePartitions(bootstrap, clinic, erased, "runner-m-",
                Topic.ATHLETE_ACTIVITY.topicName(), Topic.PLAN_ADJUSTMENTS.topicName());
        enrol(erased, "Erin Erasable");
        TopicRecords.send(bootstrap, EventCodec.toRecord(symptom(erased, "a late note")), EventCodec.toRecord(cap(erased)));
        enrol(marker, "Max Marker");
        TopicRecords.send(bootstrap, EventCodec.toRecord(symptom(marker, "marker")), EventCodec.toRecord(cap(marker)));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            given().auth().oauth2(clinician).get("/api/v1/athletes/" + marker + "/plan").then().statusCode(200)
                    .body("constraints.maxDistanceKm", equalTo(3.0f));
            given().auth().oauth2(clinician).get("/api/v1/athletes/" + marker + "/fhir").then().statusCode(200)
                    .body("entry.resource.note.text.flatten()", hasItem("marker"));
        });
        given().auth().oauth2(Tokens.issue(clinic, "ops")).post("/api/v1/admin/rebuild-plans").then().statusCode(200);
        assertThat(rowsOf(erased)).as("rows of the erased athlete after late events and a rebuild").isEqualTo(Map.of());
        assertGone(clinician);
        given().auth().oauth2(admin).get("/api/v1/audit").then().statusCode(200)
                .body("entries.findAll { it.what == 'athlete.erased' }.size()", equalTo(1));
    }

    @Test
    void a_sealed_name_is_kept_sealed_and_served_as_null_when_intake_cannot_open_it() throws Exception {
        String clinician = Tokens.issue(clinic, "clinician");
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        String sealed = SealedText.seal("Sam Sealed", key, kept);
        enrol(kept, sealed);
        // Intake (the stand-in) does not open a value sealed with another key: the plan is served, without the name.
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> given().auth().oauth2(clinician)
                .get("/api/v1/athletes/" + kept + "/plan").then().statusCode(200).body("displayName", nullValue()));
        given().auth().oauth2(clinician).get("/api/v1/athletes").then().statusCode(200)
                .body("athletes.find { it.athleteId == '" + kept + "' }.displayName", nullValue());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().auth().oauth2(clinician)
                .get("/api/v1/athletes/" + kept + "/fhir").then().statusCode(200)
                .body("entry.find { it.resource.resourceType == 'Patient' }.resource.name", nullValue()));
        // The plan and the clinical record are written by two consumer groups: wait for the record's row too.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            try (Connection c = dataSource.getConnection();
                 PreparedStatement ps = c.prepareStatement("""
                         SELECT n.display_name, a.display_name FROM athlete_name n
                         JOIN clinical_athlete a ON a.clinic_id = n.clinic_id AND a.athlete_id = n.athlete_id
                         WHERE n.clinic_id = ? AND n.athlete_id = ?""")) {
                ps.setString(1, clinic);
                ps.setString(2, kept);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).as("the name and the clinical record of the athlete are stored").isTrue();
                    assertThat(rs.getString(1)).isEqualTo(sealed);
                    assertThat(rs.getString(2)).isEqualTo(sealed);
                }
            }
        });
    }

    private void assertGone(String clinician) {
        given().auth().oauth2(clinician).get("/api/v1/athletes/" + erased + "/plan").then().statusCode(404);
        given().auth().oauth2(clinician).get("/api/v1/athletes/" + erased + "/plan?asOf=" + Instant.now())
                .then().statusCode(404);
        given().auth().oauth2(clinician).get("/api/v1/athletes/" + erased + "/plan/history").then().statusCode(404);
        given().auth().oauth2(clinician).get("/api/v1/athletes/" + erased + "/fhir").then().statusCode(404);
        given().auth().oauth2(clinician).contentType(ContentType.JSON)
                .body(Map.of("phase", "RESTORE_CAPACITY", "reason", "progressing"))
                .post("/api/v1/athletes/" + erased + "/plan/phase").then().statusCode(404);
        given().auth().oauth2(clinician).contentType(ContentType.JSON).body(Map.of("reason", "seen"))
                .post("/api/v1/athletes/" + erased + "/plan/referral/clear").then().statusCode(404);
        given().get("/me/" + erased).then().statusCode(404);
        given().auth().oauth2(clinician).get("/api/v1/adjustments").then().statusCode(200)
                .body("adjustments.athleteId", not(hasItem(erased)));
    }

    /** Rows per table still held for the athlete (only the tables that have any). */
    private Map<String, Integer> rowsOf(String athleteId) throws Exception {
        Map<String, Integer> out = new java.util.TreeMap<>();
        try (Connection c = dataSource.getConnection()) {
            for (String table : ATHLETE_TABLES) {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT count(*) FROM " + table + " WHERE clinic_id = ? AND athlete_id = ?")) {
                    ps.setString(1, clinic);
                    ps.setString(2, athleteId);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getInt(1) > 0) {
                            out.put(table, rs.getInt(1));
                        }
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM outbox WHERE ce_clinic = ? AND ce_subject = ?")) {
                ps.setString(1, clinic);
                ps.setString(2, athleteId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        out.put("outbox", rs.getInt(1));
                    }
                }
            }
        }
        return out;
    }

    private void enrol(String athleteId, String displayName) {
        TopicRecords.send(bootstrap, EventCodec.toRecord(EventEnvelope.of(EventType.ATHLETE_ENROLLED, "/test", NOW, clinic,
                athleteId, new AthleteEnrolled(athleteId, clinic, displayName, Diagnosis.CALF_STRAIN_GASTROCNEMIUS,
                        Side.LEFT, LocalDate.now().minusDays(20), 5.0, NOW, null))));
    }

    private EventEnvelope<SymptomReported> symptom(String athleteId, String note) {
        return EventEnvelope.of(EventType.SYMPTOM_REPORTED, "/test", NOW, clinic, athleteId,
                new SymptomReported(athleteId, clinic, NOW, 3, Side.LEFT, PainLocation.MID_CALF,
                        List.of(PainCharacter.TIGHTNESS), SymptomContext.AFTER_RUN, List.of(), note));
    }

    private EventEnvelope<AdjustmentProposed> cap(String athleteId) {
        return EventEnvelope.of(EventType.PLAN_ADJUSTMENT_PROPOSED, MONITOR, NOW, clinic, athleteId,
                new AdjustmentProposed("cap-" + UUID.randomUUID(), athleteId, clinic, AdjustmentType.CAP_RUN_DISTANCE,
                        PatternKind.RUNNING_TRIGGERED_DISTANCE, "running-triggered-distance", Map.of("maxDistanceKm", 3.0),
                        List.of("evt-1"), "Two flare-ups followed runs longer than 3.0 km.", NOW));
    }
}
