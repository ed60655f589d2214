package io.strideback.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strideback.events.EventCodec;
import io.strideback.events.Topic;
import io.strideback.tools.ApiClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.*;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A short chaos run: under a steady stream of posts, each service in turn is killed (-9) and
 * restarted; the client retries like a watch. Afterwards every accepted event is on the topic once, every proposal is
 * applied exactly once, no proposal was re-emitted under another id, and no request got a 500.
 */
class CrashRestartIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Stack stack = Stack.get();

    @Test
    void killing_services_mid_stream_loses_nothing_and_applies_nothing_twice() throws Exception {
        String clinic = "clinic-chaos-" + UUID.randomUUID();
        ApiClient clinician = stack.client(clinic, "clinician");
        List<String> athletes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            athletes.add(clinician.postIntake("/api/v1/athletes", Map.of("displayName", "Chaos " + i,
                    "diagnosis", "CALF_STRAIN_SOLEUS", "side", "LEFT", "injuryDate", "2026-08-01",
                    "symptomFreeRunKm", 4.0)).body().get("athleteId").asText());
        }
        // The stream's first day, fixed once: the last day awaited below is counted from it, not from the clock,
        // which may pass midnight UTC while the services restart.
        Instant day0 = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(22));
        List<Object[]> posts = stream(athletes, day0);
        ConcurrentLinkedQueue<String> accepted = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
        CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < posts.size(); i++) {
                Object[] p = posts.get(i);
                // A client like a watch: the same request (same Idempotency-Key) until it gets an answer for good.
                ApiClient.Answer a = null;
                for (int attempt = 0; attempt < 600 && (a == null || a.status() == 503); attempt++) {
                    try {
                        a = clinician.postIntake((String) p[0], p[1], "chaos-" + clinic + "-" + i);
                        statuses.add(a.status());
                        if (a.status() == 503) {
                            sleep(100); // as a watch obeying Retry-After would, a little sooner
                        }
                    } catch (IllegalStateException intakeIsRestarting) {
                        sleep(100);
                    }
                }
                if (a != null && a.status() == 202) {
                    accepted.add(a.body().get("eventId").asText());
                }
                sleep(15);
            }
        });
        sleep(800);
        stack.crashAndRestart("intake-service");
        stack.crashAndRestart("load-monitor-service");
        stack.crashAndRestart("plan-service");
        load.get();

        assertThat(statuses).as("no request failed with a 5xx other than 503").allMatch(s -> s < 500 || s == 503);
        assertThat(accepted).hasSize(posts.size());

        // Every accepted event is on the activity topic exactly once (by ce_id).
        Set<String> expected = new HashSet<>(accepted);
        List<ConsumerRecord<String, byte[]>> onTopic = Topics.read(stack.kafkaBootstrap(),
                Topic.ATHLETE_ACTIVITY.topicName(), clinic, recs -> recs.stream()
                        .map(r -> EventCodec.header(r.headers(), EventCodec.ID)).filter(expected::contains)
                        .distinct().count() == expected.size());
        Map<String, Long> copies = new HashMap<>();
        onTopic.forEach(r -> copies.merge(EventCodec.header(r.headers(), EventCodec.ID), 1L, Long::sum));
        assertThat(copies.values()).allMatch(c -> c == 1L);

        // Wait until the load monitor has seen the last event of every athlete, then read the proposals.
        String lastDay = java.time.LocalDate.ofInstant(day0.plus(Duration.ofDays(20)), java.time.ZoneOffset.UTC).toString();
        for (String athleteId : athletes) {
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                JsonNode days = clinician.getLoadMonitor("/api/v1/athletes/" + athleteId + "/load").body().path("days");
                return days.size() > 0 && days.get(days.size() - 1).path("date").asText().compareTo(lastDay) >= 0;
            });
        }
        List<ConsumerRecord<String, byte[]>> proposals = Topics.read(stack.kafkaBootstrap(),
                Topic.PLAN_ADJUSTMENTS.topicName(), clinic, recs -> !recs.isEmpty());
        Map<String, String> idByContent = new HashMap<>();
        Set<String> proposalIds = new HashSet<>();
        for (ConsumerRecord<String, byte[]> r : proposals) {
            if (!"plan.adjustment.proposed".equals(EventCodec.header(r.headers(), EventCodec.TYPE))) {
                continue; // a withdrawal (DOMAIN.md "Convergence") carries no rule or evidence
            }
            JsonNode p = JSON.readTree(r.value());
            proposalIds.add(p.get("adjustmentId").asText());
            String content = p.get("athleteId").asText() + p.get("type").asText() + p.get("rule").asText()
                    + p.get("parameters") + p.get("evidenceEventIds");
            String previous = idByContent.putIfAbsent(content, p.get("adjustmentId").asText());
            assertThat(previous == null || previous.equals(p.get("adjustmentId").asText()))
                    .as("the same proposal never comes back under another id").isTrue();
        }
        assertThat(proposalIds).isNotEmpty();

        // Every proposal is applied exactly once, once the plans have caught up.
        await().atMost(Duration.ofSeconds(90)).until(() -> appliedCounts(clinician, athletes).keySet().containsAll(proposalIds));
        Map<String, Integer> applied = appliedCounts(clinician, athletes);
        for (String id : proposalIds) {
            assertThat(applied.get(id)).as("adjustment " + id + " applied once").isEqualTo(1);
        }
    }

    private static Map<String, Integer> appliedCounts(ApiClient clinician, List<String> athletes) {
        Map<String, Integer> applied = new HashMap<>();
        for (String athleteId : athletes) {
            JsonNode history = clinician.getPlan("/api/v1/athletes/" + athleteId + "/plan/history").body().path("events");
            for (JsonNode e : history) {
                if (e.get("type").asText().equals("plan.adjusted")) {
                    applied.merge(e.path("adjustment").path("adjustmentId").asText(), 1, Integer::sum);
                }
            }
        }
        return applied;
    }

    /** Three weeks per athlete: runs that grow past the symptom-free 4 km, flare-ups after the long ones. */
    private static List<Object[]> stream(List<String> athletes, Instant day0) {
        Random random = new Random(42);
        List<Object[]> posts = new ArrayList<>();
        for (int d = 0; d < 21; d++) {
            for (String a : athletes) {
                Instant runAt = day0.plus(Duration.ofDays(d)).plus(Duration.ofHours(7));
                double km = 3 + (d % 7) + random.nextInt(2);
                posts.add(new Object[]{"/api/v1/athletes/" + a + "/sessions", Map.of("type", "RUN",
                        "startedAt", runAt.toString(), "durationMin", (int) (km * 6), "rpe", 4 + random.nextInt(3),
                        "run", Map.of("distanceKm", km, "intensity", random.nextInt(4) == 0 ? "TEMPO" : "EASY"))});
                int pain = km > 6 ? 5 + random.nextInt(2) : random.nextInt(3);
                posts.add(new Object[]{"/api/v1/athletes/" + a + "/symptoms", Map.of(
                        "observedAt", runAt.plus(Duration.ofHours(2)).toString(), "pain", pain, "context", "AFTER_RUN",
                        "location", "MID_CALF", "character", List.of(pain >= 5 ? "PULLING" : "TIGHTNESS"))});
            }
        }
        return posts;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
