package io.strideback.plan.audit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.SecurityEvents.AuditRecorded;
import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.PatternKind;
import io.strideback.events.vocabulary.Side;
import io.strideback.plan.domain.Adjustment;
import io.strideback.plan.domain.ApplyAdjustment;
import io.strideback.plan.domain.CreatePlan;
import io.strideback.plan.service.PlanService;
import io.strideback.support.kafka.KafkaProducers;
import io.strideback.testing.KafkaResource;
import io.strideback.testing.LocalKeysResource;
import io.strideback.testing.PostgresResource;
import io.strideback.testing.Tokens;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Issue 16 item 2: every change to the approval policy, phases, approvals, rejections and referral
 * clearances, and the load monitor's rule settings (read from its audit topic), is in the clinic's
 * append-only audit log with who, what, before, after and when; {@code GET /api/v1/audit} shows it to
 * the clinic's clinic-admin only, and nothing can change or remove an entry.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "plan"))
@QuarkusTestResource(LocalKeysResource.class)
class AuditLogTest {

    @Inject
    PlanService plans;
    @Inject
    AgroalDataSource dataSource;

    private final String clinic = "audit-clinic-" + UUID.randomUUID();

    @Test
    void only_a_clinic_admin_reads_the_log() {
        given().get("/api/v1/audit").then().statusCode(401);
        given().auth().oauth2(Tokens.issue(clinic, "clinician")).get("/api/v1/audit").then().statusCode(403);
        given().auth().oauth2(Tokens.issue(clinic, "ops")).get("/api/v1/audit").then().statusCode(403);
        given().auth().oauth2(admin()).get("/api/v1/audit").then().statusCode(200);
        given().auth().oauth2(admin()).get("/api/v1/audit?limit=0").then().statusCode(400);
    }

    @Test
    void policy_phase_approval_rejection_and_clearance_are_recorded_with_who_before_and_after() {
        String athleteId = enrolled();
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("policy", "REVIEW"))
                .put("/api/v1/clinic/policy").then().statusCode(200);
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("policy", "REVIEW"))
                .put("/api/v1/clinic/policy").then().statusCode(200); // no change: nothing recorded

        String phaseBefore = given().auth().oauth2(clinician("reader")).get("/api/v1/athletes/" + athleteId + "/plan")
                .then().statusCode(200).extract().path("phase");
        String phaseAfter = "RETURN_TO_SPORT".equals(phaseBefore) ? "BUILD" : "RETURN_TO_SPORT";
        given().auth().oauth2(clinician("dr-phase")).contentType(ContentType.JSON)
                .body(Map.of("phase", phaseAfter, "overrideGates", true, "reason", "seen in clinic"))
                .post("/api/v1/athletes/" + athleteId + "/plan/phase").then().statusCode(200);

        propose(athleteId, "adj-approve-" + UUID.randomUUID());
        String approved = lastPending(athleteId);
        given().auth().oauth2(clinician("dr-approve")).post("/api/v1/adjustments/" + approved + "/approve")
                .then().statusCode(200);
        propose(athleteId, "adj-reject-" + UUID.randomUUID());
        String rejected = lastPending(athleteId);
        given().auth().oauth2(clinician("dr-reject")).contentType(ContentType.JSON).body(Map.of("reason", "not now"))
                .post("/api/v1/adjustments/" + rejected + "/reject").then().statusCode(200);

        redFlag(athleteId);
        given().auth().oauth2(clinician("dr-clear")).contentType(ContentType.JSON)
                .body(Map.of("reason", "Doppler clear")).post("/api/v1/athletes/" + athleteId + "/plan/referral/clear")
                .then().statusCode(200);

        List<Map<String, Object>> entries = given().auth().oauth2(admin()).get("/api/v1/audit").then().statusCode(200)
                .extract().jsonPath().getList("entries");
        assertThat(entries).extracting(e -> e.get("what")).containsSubsequence("plan.referral-cleared",
                "adjustment.rejected", "adjustment.approved", "plan.phase-changed", "clinic.policy-changed");
        assertThat(entries).filteredOn(e -> e.get("what").equals("clinic.policy-changed")).singleElement()
                .satisfies(e -> {
                    assertThat(e.get("who")).isEqualTo("clinic-admin@" + clinic);
                    assertThat(e.get("before")).isEqualTo(Map.of("policy", "AUTO_APPLY"));
                    assertThat(e.get("after")).isEqualTo(Map.of("policy", "REVIEW"));
                });
        assertThat(entries).filteredOn(e -> e.get("what").equals("plan.phase-changed")).singleElement()
                .satisfies(e -> {
                    assertThat(e.get("who")).isEqualTo("dr-phase");
                    assertThat(e.get("target")).isEqualTo("athlete/" + athleteId);
                    assertThat(e.get("before")).isEqualTo(Map.of("phase", phaseBefore));
                    assertThat(((Map<?, ?>) e.get("after")).get("phase")).isEqualTo(phaseAfter);
                });
        assertThat(entries).filteredOn(e -> String.valueOf(e.get("target")).endsWith("/adjustment/" + approved))
                .singleElement().satisfies(e -> {
                    assertThat(e.get("what")).isEqualTo("adjustment.approved");
                    assertThat(e.get("who")).isEqualTo("dr-approve");
                    assertThat(((Map<?, ?>) e.get("after")).get("status")).isEqualTo("APPLIED");
                });
        assertThat(entries).filteredOn(e -> e.get("what").equals("adjustment.rejected")).singleElement()
                .satisfies(e -> {
                    assertThat(e.get("who")).isEqualTo("dr-reject");
                    assertThat(e.get("target")).isEqualTo("athlete/" + athleteId + "/adjustment/" + rejected);
                    assertThat(e.get("before")).isEqualTo(Map.of("status", "PENDING"));
                    assertThat(e.get("after")).isEqualTo(Map.of("status", "REJECTED"));
                });
        assertThat(entries).filteredOn(e -> e.get("what").equals("plan.referral-cleared")).singleElement()
                .satisfies(e -> {
                    assertThat(e.get("who")).isEqualTo("dr-clear");
                    assertThat(e.get("after")).isEqualTo(Map.of("urgentReferral", false));
                    assertThat(Instant.parse((String) e.get("at"))).isBefore(Instant.now().plusSeconds(1));
                });

        // Another clinic's admin sees none of it.
        given().auth().oauth2(Tokens.issue("other-" + clinic, "clinic-admin")).get("/api/v1/audit").then()
                .statusCode(200).body("entries.size()", org.hamcrest.Matchers.equalTo(0));
    }

    @Test
    void the_load_monitors_settings_changes_arrive_from_its_audit_topic_once_however_often_delivered() throws Exception {
        Instant at = Instant.now();
        EventEnvelope<AuditRecorded> event = EventEnvelope.of(EventType.CLINIC_RULES_CHANGED, "load-monitor-service", at,
                clinic, "clinic", new AuditRecorded(clinic, "clinic-admin@" + clinic, "clinic.rules-changed",
                        "clinic/" + clinic, null, JsonNodeFactory.instance.objectNode().put("flareUpPainDelta", 3), at));
        try (KafkaProducer<String, byte[]> producer = KafkaProducers.durable(KafkaResource.bootstrapServers(),
                "audit-test", 10_000, 30_000)) {
            producer.send(EventCodec.toRecord(event)).get();
            producer.send(EventCodec.toRecord(event)).get(); // redelivered
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonPath log = given().auth().oauth2(admin()).get("/api/v1/audit").then().statusCode(200).extract().jsonPath();
            assertThat(log.getList("entries")).hasSize(1);
            assertThat(log.getString("entries[0].what")).isEqualTo("clinic.rules-changed");
            assertThat(log.getString("entries[0].source")).isEqualTo("load-monitor-service");
            assertThat(log.getInt("entries[0].after.flareUpPainDelta")).isEqualTo(3);
        });
    }

    @Test
    void no_entry_can_be_changed_or_removed() throws SQLException {
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("policy", "REVIEW"))
                .put("/api/v1/clinic/policy").then().statusCode(200);
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate("UPDATE audit_entry SET who = 'someone else' WHERE clinic_id = '"
                    + clinic + "'")).hasMessageContaining("append-only");
            assertThatThrownBy(() -> st.executeUpdate("DELETE FROM audit_entry WHERE clinic_id = '" + clinic + "'"))
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> st.executeUpdate("TRUNCATE audit_entry")).hasMessageContaining("append-only");
        }
        given().auth().oauth2(admin()).get("/api/v1/audit").then().statusCode(200)
                .body("entries[0].who", org.hamcrest.Matchers.equalTo("clinic-admin@" + clinic));
    }

    private String admin() {
        return Tokens.issue(clinic, "clinic-admin");
    }

    private String clinician(String subject) {
        return Tokens.issue(io.strideback.testing.LocalKeys.loadOrCreate(io.strideback.testing.LocalKeys.defaultDir())
                .getPrivate(), subject, clinic, List.of("clinician"), Duration.ofHours(1));
    }

    private String enrolled() {
        String athleteId = "athlete-" + UUID.randomUUID();
        plans.execute(clinic, athleteId, (plan, policy) -> new CreatePlan(athleteId, clinic,
                Diagnosis.CALF_STRAIN_SOLEUS, Side.LEFT, LocalDate.parse("2026-03-20"), 3.0, Instant.now()), null, null);
        return athleteId;
    }

    private void propose(String athleteId, String adjustmentId) {
        Adjustment cap = new Adjustment(adjustmentId, AdjustmentType.CAP_RUN_DISTANCE,
                PatternKind.RUNNING_TRIGGERED_DISTANCE, "distance", Map.of("maxDistanceKm", 2.0),
                List.of("evt-" + adjustmentId), "Two flare-ups followed runs longer than that.");
        plans.execute(clinic, athleteId, (plan, policy) -> new ApplyAdjustment(cap, policy, Instant.now()), null, null);
    }

    private String lastPending(String athleteId) {
        List<String> pending = given().auth().oauth2(clinician("reader")).get("/api/v1/adjustments?status=PENDING")
                .then().statusCode(200).extract().jsonPath().getList("adjustments.adjustment.adjustmentId");
        assertThat(pending).as("the proposal waits for approval (policy REVIEW)").hasSize(1).doesNotContainNull();
        return pending.get(0);
    }

    private void redFlag(String athleteId) {
        String id = "adj-red-" + UUID.randomUUID();
        Adjustment referral = new Adjustment(id, AdjustmentType.URGENT_REFERRAL, PatternKind.RED_FLAG, "red-flag",
                Map.of("redFlags", List.of("SWELLING")), List.of("evt-" + id), "Calf swelling was reported.");
        plans.execute(clinic, athleteId, (plan, policy) -> new ApplyAdjustment(referral, policy, Instant.now()), null, null);
    }
}
