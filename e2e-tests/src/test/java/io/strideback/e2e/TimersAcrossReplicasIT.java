package io.strideback.e2e;

import io.strideback.events.ActivityEvents.AthleteEnrolled;
import io.strideback.events.ActivityEvents.SessionLogged;
import io.strideback.events.ActivityEvents.SymptomReported;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.FindingEvents.AdjustmentProposed;
import io.strideback.events.FindingEvents.AdjustmentWithdrawn;
import io.strideback.events.Topic;
import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.loadmonitor.domain.AthleteProfile;
import io.strideback.loadmonitor.domain.AthleteTimeline;
import io.strideback.loadmonitor.domain.ClinicRules;
import io.strideback.loadmonitor.domain.LoadMonitor;
import io.strideback.loadmonitor.domain.ProposedAdjustment;
import io.strideback.loadmonitor.domain.SymptomReport;
import io.strideback.loadmonitor.domain.TrainingSession;
import io.strideback.loadmonitor.mapping.FindingsMapping;
import io.strideback.testing.PlatformStack;
import io.strideback.testing.TopicRecords;
import io.strideback.tools.ApiClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Round 17: the load monitor's timers (round 16: the settled cap relaxed when 14 quiet days have passed, with no later
 * event) when the instance holding them dies with {@code kill -9} while they come due, and when a replica joins while
 * they come due (a rebalance moves their tasks). Each athlete's history is dated so that its settled cap is due a
 * minute or two after the test posts it (the clinic's rules as they ship, the service's own 30 s quiet time: no
 * clock or setting of the service is touched); the due instants are spread over 40 s, and the kill or the new replica
 * comes while they pass. Afterwards, read from the proposals topic as plan-service reads it (read_committed), every
 * athlete's proposals stand as the domain's own analysis of the same events (read back from the activity topic) says
 * as of now: the same adjustment ids, the RELAX_RUN_CAP at its due instant; and no proposal's ce_id is there twice.
 */
class TimersAcrossReplicasIT {

    private static final String MONITOR = "load-monitor-service";
    private static final int ATHLETES = 40;
    /** The first athlete's cap is due this long after the cohort's first post; the others a second apart. */
    private static final Duration FIRST_DUE = Duration.ofSeconds(75);
    private static final Duration ALL_FIRED_WITHIN = Duration.ofSeconds(240);

    private final Stack stack = Stack.get();
    private final PlatformStack platform = stack.platform();

    @Test
    void timers_due_while_a_replica_dies_or_joins_fire_once_each_as_one_analysis_of_the_events_says() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String killedClinic = "clinic-timers-kill-" + run;
        String joinedClinic = "clinic-timers-join-" + run;
        try {
            platform.scaleTo(2);
            await("both load monitors own partitions").atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> stack.loadMonitorMembersWithPartitions() >= 2);

            // given 40 athletes whose settled caps come due one a second, held by two load monitors
            Map<String, Instant> killedDue = cohort(stack.client(killedClinic, "clinician", 1, 1, 1), "kill-" + run);
            // when one dies (kill -9) after the first timers fired and while the others come due
            awaitFirstRelax(killedClinic);
            long pid = platform.pid(MONITOR, 1);
            platform.kill(MONITOR, 1);
            assertThat(platform.alive(MONITOR, 1)).as("load monitor 1 (pid " + pid + ") was killed").isFalse();
            assertThat(Instant.now()).as("killed while caps were still due").isBefore(latest(killedDue));
            // then the survivor fires every timer the dead one held: each proposal once, as the domain says
            assertProposalsAsTheDomainSays(killedClinic, killedDue);

            // given 40 more athletes, held by the survivor alone
            Map<String, Instant> joinedDue = cohort(stack.client(joinedClinic, "clinician", 2, 2, 2), "join-" + run);
            // when a replica joins while their caps come due (the rebalance moves half the tasks to it)
            awaitFirstRelax(joinedClinic);
            platform.restart(MONITOR, 1);
            await("both load monitors own partitions again").atMost(Duration.ofSeconds(150))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> stack.loadMonitorMembersWithPartitions() >= 2);
            // then the same
            assertProposalsAsTheDomainSays(joinedClinic, joinedDue);
            // and, minutes later, neither clinic has a proposal announced twice
            assertProposalsAsTheDomainSays(killedClinic, killedDue);
        } finally {
            if (!platform.alive(MONITOR, 1)) {
                platform.restart(MONITOR, 1);
            }
            stack.scaleBackToOne();
        }
    }

    /**
     * Enrols 40 athletes and posts each one's history in one batch: two flare-ups after runs longer than the 3 km
     * they declared (DOMAIN "running-triggered, distance": runs capped at 3 km), then five runs under the cap, every
     * other day, and nothing after. Settled (14 quiet days since the second flare-up ended, >= 3 runs under the cap) is
     * due 22 days and 10:30 after the history's first day, which is placed so that athlete i's is due
     * {@link #FIRST_DUE} plus i seconds from now. Returns each athlete's due instant.
     */
    private static Map<String, Instant> cohort(ApiClient intake, String prefix) {
        Instant first = Instant.now().plus(FIRST_DUE).truncatedTo(ChronoUnit.SECONDS);
        Map<String, Instant> due = new LinkedHashMap<>();
        for (int i = 0; i < ATHLETES; i++) {
            String athlete = prefix + "-" + i;
            ApiClient.Answer a = intake.postIntake("/api/v1/athletes", Map.of("athleteId", athlete,
                    "displayName", "Runner " + i, "diagnosis", "CALF_STRAIN_SOLEUS", "side", "LEFT",
                    "injuryDate", "2026-08-01", "symptomFreeRunKm", 3.0));
            assertThat(a.status()).as("enrolment of " + athlete + ": " + a.body()).isEqualTo(201);
            due.put(athlete, first.plusSeconds(i));
        }
        for (Map.Entry<String, Instant> athlete : due.entrySet()) {
            Instant day0 = athlete.getValue().minus(Duration.ofDays(22)).minus(Duration.ofMinutes(10 * 60 + 30));
            String id = athlete.getKey();
            List<Map<String, Object>> items = new ArrayList<>(List.of(
                    run(id, "3k", day0, 0, 3.0), run(id, "5.2k", day0, 2, 5.2),
                    symptom(id, day0, 2, "10:30", 6, "WALKING"), symptom(id, day0, 4, "11:00", 1, "AT_REST"),
                    run(id, "6k", day0, 6, 6.0),
                    symptom(id, day0, 6, "10:30", 6, "WALKING"), symptom(id, day0, 8, "11:00", 1, "AT_REST")));
            for (int d = 10; d <= 18; d += 2) {
                items.add(run(id, "capped-" + d, day0, d, 3.0));
            }
            Stack.postBatch(intake, items);
        }
        assertThat(Instant.now()).as("the histories were all posted before the first cap came due")
                .isBefore(first);
        return due;
    }

    private static Map<String, Object> run(String athlete, String session, Instant day0, int day, double km) {
        return item(athlete, "session", Map.of("sessionId", session, "type", "RUN",
                "startedAt", day0.plus(Duration.ofDays(day)).plus(Duration.ofHours(7)).toString(),
                "durationMin", (int) (km * 6), "rpe", 4, "run", Map.of("distanceKm", km, "intensity", "EASY")));
    }

    private static Map<String, Object> symptom(String athlete, Instant day0, int day, String hhmm, int pain,
                                               String context) {
        String[] t = hhmm.split(":");
        Instant at = day0.plus(Duration.ofDays(day)).plus(Duration.ofHours(Integer.parseInt(t[0])))
                .plus(Duration.ofMinutes(Integer.parseInt(t[1])));
        return item(athlete, "symptom", Map.of("observedAt", at.toString(), "pain", pain, "context", context,
                "side", "LEFT", "location", "MID_CALF", "character", List.of("ACHE")));
    }

    private static Map<String, Object> item(String athleteId, String kind, Map<String, Object> body) {
        return Map.of("athleteId", athleteId, "kind", kind, "body", body);
    }

    /** Waits until the first of the clinic's settled caps is relaxed: its timers are firing. */
    private void awaitFirstRelax(String clinic) {
        TopicRecords.readCommitted(stack.kafkaBootstrap(), Topic.PLAN_ADJUSTMENTS.topicName(), ofClinic(clinic),
                found -> found.stream().anyMatch(r -> isRelax(EventCodec.fromRecord(r))), ALL_FIRED_WITHIN);
    }

    private static Instant latest(Map<String, Instant> due) {
        return due.values().stream().max(Instant::compareTo).orElseThrow();
    }

    /**
     * Reads the clinic's proposals (read_committed) until every athlete's cap was relaxed, then compares them with the
     * domain's analysis of the athlete's events as of now: the adjustments in force (proposed and not withdrawn since)
     * are the domain's, by id; the RELAX_RUN_CAP's ce_id and {@code proposedAt} are the domain's; no ce_id twice.
     */
    private void assertProposalsAsTheDomainSays(String clinic, Map<String, Instant> due) {
        List<ConsumerRecord<String, byte[]>> proposals = TopicRecords.readCommitted(stack.kafkaBootstrap(),
                Topic.PLAN_ADJUSTMENTS.topicName(), ofClinic(clinic),
                found -> found.stream().map(EventCodec::fromRecord).filter(TimersAcrossReplicasIT::isRelax)
                        .map(EventEnvelope::subject).distinct().count() >= due.size(), ALL_FIRED_WITHIN);
        Map<String, Integer> ceIds = new HashMap<>();
        Map<String, Map<String, AdjustmentProposed>> inForce = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> r : proposals) {
            EventEnvelope<?> event = EventCodec.fromRecord(r);
            ceIds.merge(event.id(), 1, Integer::sum);
            Map<String, AdjustmentProposed> athlete = inForce.computeIfAbsent(event.subject(), a -> new TreeMap<>());
            if (event.data() instanceof AdjustmentProposed p) {
                athlete.put(p.adjustmentId(), p);
            } else if (event.data() instanceof AdjustmentWithdrawn w) {
                athlete.remove(w.adjustmentId());
            }
        }
        assertThat(ceIds).as("proposals announced more than once (ce_id: times)")
                .allSatisfy((id, times) -> assertThat(times).as(id).isEqualTo(1));

        Map<String, AthleteTimeline> timelines = timelines(clinic);
        Instant now = Instant.now();
        for (String athlete : due.keySet()) {
            assertThat(timelines).as("events of " + athlete).containsKey(athlete);
            List<ProposedAdjustment> expected = LoadMonitor.analyse(timelines.get(athlete), ClinicRules.defaults(), now)
                    .findings().adjustments();
            ProposedAdjustment relax = expected.stream().filter(p -> p.type() == AdjustmentType.RELAX_RUN_CAP)
                    .findFirst().orElseThrow(() -> new AssertionError("the domain relaxes no cap for " + athlete));
            assertThat(relax.proposedAt()).as("the domain's due instant of " + athlete).isEqualTo(due.get(athlete));
            Map<String, AdjustmentProposed> actual = inForce.getOrDefault(athlete, Map.of());
            assertThat(actual.keySet()).as("the adjustments in force for " + athlete)
                    .containsExactlyInAnyOrderElementsOf(expected.stream().map(ProposedAdjustment::adjustmentId).toList());
            assertThat(actual.get(relax.adjustmentId()).proposedAt()).as("RELAX_RUN_CAP of " + athlete)
                    .isEqualTo(relax.proposedAt());
            assertThat(ceIds).as("the first proposal's ce_id is its adjustment id: " + athlete)
                    .containsKey(relax.adjustmentId());
        }
    }

    /** The clinic's athletes' timelines, from the activity topic as the load monitor reads it. */
    private Map<String, AthleteTimeline> timelines(String clinic) {
        List<ConsumerRecord<String, byte[]>> records = TopicRecords.readCommitted(stack.kafkaBootstrap(),
                Topic.ATHLETE_ACTIVITY.topicName(), ofClinic(clinic),
                found -> found.size() >= ATHLETES * 13, // each athlete's enrolment and 12 events
                Duration.ofSeconds(60));
        Map<String, AthleteProfile> profiles = new HashMap<>();
        Map<String, List<TrainingSession>> sessions = new HashMap<>();
        Map<String, List<SymptomReport>> reports = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            EventEnvelope<?> event = EventCodec.fromRecord(r);
            String athlete = event.subject();
            if (event.data() instanceof AthleteEnrolled a) {
                profiles.put(athlete, new AthleteProfile(a.athleteId(), a.clinicId(), a.diagnosis(), a.injuryDate(),
                        a.symptomFreeRunKm()));
            } else if (event.data() instanceof SessionLogged s) {
                sessions.computeIfAbsent(athlete, k -> new ArrayList<>()).add(FindingsMapping.session(event.id(), s));
            } else if (event.data() instanceof SymptomReported s) {
                reports.computeIfAbsent(athlete, k -> new ArrayList<>()).add(FindingsMapping.symptom(event.id(), s));
            }
        }
        Map<String, AthleteTimeline> out = new HashMap<>();
        profiles.forEach((athlete, profile) -> out.put(athlete, AthleteTimeline.of(profile,
                sessions.getOrDefault(athlete, List.of()), reports.getOrDefault(athlete, List.of()))));
        return out;
    }

    private static Predicate<ConsumerRecord<String, byte[]>> ofClinic(String clinic) {
        return r -> clinic.equals(EventCodec.header(r.headers(), EventCodec.CLINIC));
    }

    private static boolean isRelax(EventEnvelope<?> event) {
        return event.data() instanceof AdjustmentProposed p && p.type() == AdjustmentType.RELAX_RUN_CAP;
    }
}
