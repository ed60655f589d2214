package io.strideback.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.FindingEvents.AdjustmentProposed;
import io.strideback.events.Topic;
import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.PatternKind;
import io.strideback.tools.ApiClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Redelivery, late events and rebuilds, on the real broker and the packaged services. */
class ExactlyOnceIT {

    private final Stack stack = Stack.get();

    private static Map<String, Object> enrolment() {
        return Map.of("displayName", "Runner", "diagnosis", "CALF_STRAIN_GASTROCNEMIUS", "side", "LEFT",
                "injuryDate", "2026-09-01", "symptomFreeRunKm", 3.0);
    }

    private static EventEnvelope<AdjustmentProposed> proposal(String clinic, String athleteId, String id, double km) {
        AdjustmentProposed p = new AdjustmentProposed(id, athleteId, clinic, AdjustmentType.CAP_RUN_DISTANCE,
                PatternKind.RUNNING_TRIGGERED_DISTANCE, "TEST_CAP", Map.of("maxDistanceKm", km), List.of("ev-1"),
                "Runs capped at " + km + " km by a test.", Instant.now());
        return new EventEnvelope<>(id, EventType.PLAN_ADJUSTMENT_PROPOSED, "/test", Instant.now(), athleteId, clinic,
                1, p);
    }

    @Test
    void the_same_adjustment_delivered_three_times_changes_the_plan_once() {
        String clinic = "clinic-" + UUID.randomUUID();
        ApiClient clinician = stack.client(clinic, "clinician");
        String athleteId = clinician.postIntake("/api/v1/athletes", enrolment()).body().get("athleteId").asText();
        await().atMost(Duration.ofSeconds(60)).until(
                () -> clinician.getPlan("/api/v1/athletes/" + athleteId + "/plan").status() == 200);

        String id = "adj-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            Topics.publish(stack.kafkaBootstrap(), proposal(clinic, athleteId, id, 2.5));
        }
        String marker = "adj-marker-" + UUID.randomUUID();
        Topics.publish(stack.kafkaBootstrap(), proposal(clinic, athleteId, marker, 2.0));
        JsonNode history = await().atMost(Duration.ofSeconds(60)).until(
                () -> clinician.getPlan("/api/v1/athletes/" + athleteId + "/plan/history").body().get("events"),
                h -> h.toString().contains(marker));
        long applied = 0;
        for (JsonNode e : history) {
            if (id.equals(e.path("adjustment").path("adjustmentId").asText())) {
                applied++;
            }
        }
        assertThat(applied).isEqualTo(1);
        assertThat(clinician.getPlan("/api/v1/athletes/" + athleteId + "/plan").body()
                .get("constraints").get("maxDistanceKm").asDouble()).isEqualTo(2.0);
    }

    @Test
    void a_run_synced_late_reclassifies_a_flare_up_and_says_so() {
        String clinic = "clinic-" + UUID.randomUUID();
        ApiClient clinician = stack.client(clinic, "clinician");
        String athleteId = clinician.postIntake("/api/v1/athletes", enrolment()).body().get("athleteId").asText();
        Instant flare = Instant.now().minus(Duration.ofDays(2)).truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        assertThat(clinician.postIntake("/api/v1/athletes/" + athleteId + "/symptoms", Map.of(
                "observedAt", flare.toString(), "pain", 6, "context", "AT_REST", "location", "MID_CALF",
                "character", List.of("ACHE"))).status()).isEqualTo(202);
        JsonNode episodes = await().atMost(Duration.ofSeconds(60)).until(
                () -> clinician.getLoadMonitor("/api/v1/athletes/" + athleteId + "/flare-ups").body().get("episodes"),
                e -> e != null && e.size() == 1);
        assertThat(episodes.get(0).get("classification").asText()).isEqualTo("RANDOM");

        // The watch syncs two days late: a 6 km tempo run three hours before the flare-up.
        assertThat(clinician.postIntake("/api/v1/athletes/" + athleteId + "/sessions", Map.of(
                "type", "RUN", "startedAt", flare.minus(Duration.ofHours(3)).toString(), "durationMin", 30, "rpe", 7,
                "run", Map.of("distanceKm", 6.0, "intensity", "TEMPO"),
                "source", Map.of("kind", "WEARABLE", "provider", "watch", "externalId", "late-" + athleteId))).status())
                .isEqualTo(202);
        JsonNode after = await().atMost(Duration.ofSeconds(60)).until(
                () -> clinician.getLoadMonitor("/api/v1/athletes/" + athleteId + "/flare-ups").body().get("episodes"),
                e -> e.get(0).get("classification").asText().equals("RUNNING_TRIGGERED"));
        assertThat(after.get(0).get("evidence").get("triggeringRunKm").asDouble()).isEqualTo(6.0);

        var findings = Topics.read(stack.kafkaBootstrap(), Topic.LOAD_FINDINGS.topicName(), clinic,
                recs -> recs.stream().anyMatch(r -> "flareup.reclassified".equals(EventCodec.header(r.headers(), EventCodec.TYPE))));
        assertThat(findings).filteredOn(r -> "flareup.detected".equals(EventCodec.header(r.headers(), EventCodec.TYPE)))
                .hasSize(1);
    }

    @Test
    void a_rebuilt_projection_equals_the_live_one_and_as_of_folds_a_prefix() {
        String clinic = "clinic-" + UUID.randomUUID();
        ApiClient clinician = stack.client(clinic, "clinician");
        String athleteId = clinician.postIntake("/api/v1/athletes", enrolment()).body().get("athleteId").asText();
        await().atMost(Duration.ofSeconds(60)).until(
                () -> clinician.getPlan("/api/v1/athletes/" + athleteId + "/plan").status() == 200);
        String id = "adj-" + UUID.randomUUID();
        Topics.publish(stack.kafkaBootstrap(), proposal(clinic, athleteId, id, 2.5));
        JsonNode live = await().atMost(Duration.ofSeconds(60)).until(
                () -> clinician.getPlan("/api/v1/athletes/" + athleteId + "/plan").body(),
                p -> p.get("version").asLong() >= 2 && p.path("adjustments").toString().contains(id));
        JsonNode history = clinician.getPlan("/api/v1/athletes/" + athleteId + "/plan/history").body().get("events");

        ApiClient ops = stack.client("ops", "ops");
        ApiClient.Answer rebuilt = ops.postPlan("/api/v1/admin/rebuild-plans", null);
        assertThat(rebuilt.status()).isEqualTo(200);
        assertThat(rebuilt.body().get("rebuilt").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(clinician.getPlan("/api/v1/athletes/" + athleteId + "/plan").body()).isEqualTo(live);

        String firstAt = history.get(0).get("occurredAt").asText();
        JsonNode asOfFirst = clinician.getPlan("/api/v1/athletes/" + athleteId + "/plan?asOf=" + firstAt).body();
        assertThat(asOfFirst.get("version").asLong()).isEqualTo(1);
        assertThat(asOfFirst.get("adjustments")).isEmpty();
        assertThat(clinician.getPlan("/api/v1/athletes/" + athleteId + "/plan?asOf=2000-01-01T00:00:00Z").status())
                .isEqualTo(404);
    }
}
