package io.strideback.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.strideback.tools.ApiClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Clinics never see each other; roles do only what they may; REVIEW clinics approve changes. */
class TenancyAndReviewIT {

    private final Stack stack = Stack.get();

    private static Map<String, Object> enrolment() {
        return Map.of("displayName", "Runner", "diagnosis", "CALF_STRAIN_SOLEUS", "side", "LEFT",
                "injuryDate", "2026-09-01", "symptomFreeRunKm", 5.0);
    }

    @Test
    void another_clinic_sees_nothing_and_roles_are_enforced() {
        ApiClient clinicA = stack.client("clinic-a-" + UUID.randomUUID(), "clinician");
        ApiClient clinicB = stack.client("clinic-b-" + UUID.randomUUID(), "clinician");
        String athleteId = clinicA.postIntake("/api/v1/athletes", enrolment()).body().get("athleteId").asText();
        await().atMost(Duration.ofSeconds(60)).until(
                () -> clinicA.getPlan("/api/v1/athletes/" + athleteId + "/plan").status() == 200);
        await().atMost(Duration.ofSeconds(60)).until(
                () -> clinicA.getLoadMonitor("/api/v1/athletes/" + athleteId + "/flare-ups").status() == 200);

        assertThat(clinicB.getPlan("/api/v1/athletes/" + athleteId + "/plan").status()).isEqualTo(404);
        assertThat(clinicB.getPlan("/api/v1/athletes/" + athleteId + "/plan/history").status()).isEqualTo(404);
        assertThat(clinicB.getLoadMonitor("/api/v1/athletes/" + athleteId + "/flare-ups").status()).isEqualTo(404);
        assertThat(clinicB.getLoadMonitor("/api/v1/athletes/" + athleteId + "/load").status()).isEqualTo(404);
        assertThat(clinicB.postIntake("/api/v1/athletes/" + athleteId + "/symptoms",
                Map.of("observedAt", Instant.now().toString(), "pain", 3, "context", "AT_REST")).status()).isEqualTo(404);

        ApiClient deviceA = new ApiClient(stack.url("intake-service"), stack.url("load-monitor-service"),
                stack.url("plan-service"), io.strideback.testing.Tokens.issue(clinicAId(clinicA, athleteId), "device"));
        assertThat(deviceA.getPlan("/api/v1/athletes/" + athleteId + "/plan").status()).isEqualTo(403);
        ApiClient anonymous = new ApiClient(stack.url("intake-service"), stack.url("load-monitor-service"),
                stack.url("plan-service"), "not-a-token");
        assertThat(anonymous.getPlan("/api/v1/athletes/" + athleteId + "/plan").status()).isEqualTo(401);
        assertThat(anonymous.postIntake("/api/v1/athletes", enrolment()).status()).isEqualTo(401);
    }

    /** The clinic of a client is in its token; tests know it from how they made the client. */
    private static String clinicAId(ApiClient clinicA, String athleteId) {
        return clinicA.getPlan("/api/v1/athletes/" + athleteId + "/plan").body().get("clinicId").asText();
    }

    @Test
    void under_review_a_proposal_waits_for_approval_but_an_urgent_referral_applies_at_once() {
        String clinic = "clinic-r-" + UUID.randomUUID();
        ApiClient clinician = stack.client(clinic, "clinician");
        // Only the clinic-admin sets the approval policy (CONTRACT v2); a clinician gets 403.
        assertThat(clinician.putPlan("/api/v1/clinic/policy", Map.of("policy", "REVIEW")).status()).isEqualTo(403);
        assertThat(stack.client(clinic, "clinic-admin").putPlan("/api/v1/clinic/policy", Map.of("policy", "REVIEW"))
                .status()).isEqualTo(200);
        String athleteId = clinician.postIntake("/api/v1/athletes", enrolment()).body().get("athleteId").asText();
        await().atMost(Duration.ofSeconds(60)).until(
                () -> clinician.getPlan("/api/v1/athletes/" + athleteId + "/plan").status() == 200);

        // Two walking flare-ups with no run: the RANDOM pattern proposes a clinician review.
        Instant t0 = Instant.now().minus(Duration.ofDays(10));
        for (int i = 0; i < 2; i++) {
            assertThat(clinician.postIntake("/api/v1/athletes/" + athleteId + "/symptoms", Map.of(
                    "observedAt", t0.plus(Duration.ofDays(5L * i)).toString(), "pain", 6, "context", "WALKING",
                    "location", "MID_CALF", "character", List.of("ACHE"))).status()).isEqualTo(202);
        }
        JsonNode pending = await().atMost(Duration.ofSeconds(60)).until(
                () -> clinician.getPlan("/api/v1/adjustments?status=PENDING").body().get("adjustments"),
                a -> a.size() > 0);
        long before = clinician.getPlan("/api/v1/athletes/" + athleteId + "/plan").body().get("version").asLong();
        String adjustmentId = pending.get(0).get("adjustment").get("adjustmentId").asText();

        ApiClient.Answer approved = clinician.postPlan("/api/v1/adjustments/" + adjustmentId + "/approve", null);
        assertThat(approved.status()).isEqualTo(200);
        assertThat(approved.body().get("adjustment").get("status").asText()).isEqualTo("APPLIED");
        assertThat(approved.body().get("plan").get("version").asLong()).isGreaterThan(before);
        assertThat(clinician.postPlan("/api/v1/adjustments/" + adjustmentId + "/approve", null).status())
                .as("approving twice is refused").isEqualTo(409);

        clinician.postIntake("/api/v1/athletes/" + athleteId + "/symptoms", Map.of(
                "observedAt", Instant.now().toString(), "pain", 4, "context", "AT_REST", "redFlags", List.of("SHINY_SKIN")));
        JsonNode plan = await().atMost(Duration.ofSeconds(60)).until(
                () -> clinician.getPlan("/api/v1/athletes/" + athleteId + "/plan").body(),
                p -> p.path("flags").path("urgentReferral").asBoolean());
        assertThat(plan.get("constraints").get("runningPaused").asBoolean()).isTrue();

        // Rules v2 (DOMAIN.md "Red flags always escalate"): no phase advance while the referral stands, and
        // only an explicit clearance with a reason ends it.
        ApiClient.Answer refused = clinician.postPlan("/api/v1/athletes/" + athleteId + "/plan/phase",
                Map.of("phase", "RESTORE_CAPACITY", "reason", "seen in clinic: no DVT signs"));
        assertThat(refused.status()).isEqualTo(409);
        ApiClient.Answer cleared = clinician.postPlan("/api/v1/athletes/" + athleteId + "/plan/referral/clear",
                Map.of("reason", "seen in clinic: no DVT signs"));
        assertThat(cleared.status()).isEqualTo(200);
        assertThat(cleared.body().get("flags").get("urgentReferral").asBoolean()).isFalse();
        ApiClient.Answer moved = clinician.postPlan("/api/v1/athletes/" + athleteId + "/plan/phase",
                Map.of("phase", "RESTORE_CAPACITY", "reason", "a week of rest is over"));
        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.body().get("phase").asText()).isEqualTo("RESTORE_CAPACITY");
        assertThat(moved.body().get("flags").get("urgentReferral").asBoolean()).isFalse();
    }
}
