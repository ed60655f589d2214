package io.strideback.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.strideback.events.EventCodec;
import io.strideback.events.EventType;
import io.strideback.events.FindingEvents.PatternDetected;
import io.strideback.events.Topic;
import io.strideback.events.vocabulary.PatternKind;
import io.strideback.tools.ApiClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * DOMAIN.md "over the plan", end to end on the packaged services and the real broker: plan-service publishes its
 * constraint schedule on strideback.plan-events.v1, the load monitor reads it beside the activity log and notes a run
 * over the cap in force for the clinician; the plan does not change because of it.
 */
class OverThePlanIT {

    private final Stack stack = Stack.get();

    @Test
    void a_run_over_the_cap_is_an_adherence_finding_and_no_plan_change() {
        String clinicId = "clinic-" + UUID.randomUUID();
        ApiClient clinician = stack.client(clinicId, "clinician");
        String athleteId = clinician.postIntake("/api/v1/athletes", Map.of(
                "displayName", "Adherence runner", "diagnosis", "CALF_STRAIN_GASTROCNEMIUS", "side", "LEFT",
                "injuryDate", "2026-10-01", "symptomFreeRunKm", 3.0)).body().get("athleteId").asText();
        await().atMost(Duration.ofSeconds(60)).until(
                () -> clinician.getPlan("/api/v1/athletes/" + athleteId + "/plan"), a -> a.status() == 200);
        // Before the plan existed there was nothing to keep to: this run is not judged.
        clinician.postIntake("/api/v1/athletes/" + athleteId + "/sessions", run(Instant.now().minusSeconds(86_400), 9.0));
        ApiClient.Answer moved = clinician.postPlan("/api/v1/athletes/" + athleteId + "/plan/phase", Map.of(
                "phase", "RETURN_TO_RUN", "reason", "walk-run progression from today", "overrideGates", true));
        assertThat(moved.status()).isEqualTo(200);
        long version = moved.body().get("version").asLong();
        assertThat(moved.body().get("constraints").get("maxDistanceKm").asDouble()).isEqualTo(3.0);

        String runId = clinician.postIntake("/api/v1/athletes/" + athleteId + "/sessions",
                run(Instant.now().plusSeconds(5), 6.2)).body().get("eventId").asText();

        JsonNode findings = await().atMost(Duration.ofSeconds(60)).until(
                () -> clinician.getLoadMonitor("/api/v1/athletes/" + athleteId + "/adherence"),
                a -> a.status() == 200 && a.body().get("findings").size() > 0).body().get("findings");
        assertThat(findings).hasSize(1);
        JsonNode f = findings.get(0);
        assertThat(f.get("breach").asText()).isEqualTo("OVER_DISTANCE_CAP");
        assertThat(f.get("sessionEventId").asText()).isEqualTo(runId);
        assertThat(f.get("capKm").asDouble()).isEqualTo(3.0);
        assertThat(f.get("reason").asText()).startsWith("Ran 6.2 km easy on ").contains("over the 3.0 km cap");

        // CONTRACT v2 pattern kind OVER_THE_PLAN: the same breach on the patterns read, the run as its evidence
        // (another read than the adherence findings awaited above: awaited too, not read once)
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(clinician
                .getLoadMonitor("/api/v1/athletes/" + athleteId + "/patterns").body().get("patterns"))
                .filteredOn(p -> p.get("kind").asText().equals("OVER_THE_PLAN")).singleElement()
                .satisfies(p -> assertThat(p.get("evidenceEventIds").get(0).asText()).isEqualTo(runId)));
        // ... and on the findings topic, for whoever reads it there: a pattern.detected of that kind, the run its evidence
        List<ConsumerRecord<String, byte[]>> announced = Topics.read(stack.kafkaBootstrap(),
                Topic.LOAD_FINDINGS.topicName(), clinicId, recs -> recs.stream().anyMatch(OverThePlanIT::overThePlan));
        assertThat(announced.stream().filter(OverThePlanIT::overThePlan)
                .map(r -> (PatternDetected) EventCodec.fromParts(r.headers(), r.value()).data()))
                .singleElement().satisfies(p -> {
                    assertThat(p.athleteId()).isEqualTo(athleteId);
                    assertThat(p.evidenceEventIds()).containsExactly(runId);
                    assertThat(p.episodeIds()).isEmpty();
                });

        JsonNode plan = clinician.getPlan("/api/v1/athletes/" + athleteId + "/plan").body();
        assertThat(plan.get("version").asLong()).as("the finding changes no plan").isEqualTo(version);
        assertThat(plan.get("constraints").get("maxDistanceKm").asDouble()).isEqualTo(3.0);
    }

    private static boolean overThePlan(ConsumerRecord<String, byte[]> r) {
        return EventType.PATTERN_DETECTED.ceType().equals(EventCodec.header(r.headers(), EventCodec.TYPE))
                && ((PatternDetected) EventCodec.fromParts(r.headers(), r.value()).data()).kind()
                == PatternKind.OVER_THE_PLAN;
    }

    private static Map<String, Object> run(Instant at, double km) {
        return Map.of("type", "RUN", "startedAt", at.toString(), "durationMin", (int) (km * 6), "rpe", 4,
                "run", Map.of("distanceKm", km, "intensity", "EASY"));
    }
}
