package io.strideback.loadmonitor.streams;

import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.FindingEvents.AdherenceNoted;
import io.strideback.events.FindingEvents.AdherenceWithdrawn;
import io.strideback.events.FindingEvents.PatternDetected;
import io.strideback.events.Topic;
import io.strideback.events.vocabulary.PatternKind;
import io.strideback.loadmonitor.domain.Breach;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static io.strideback.events.vocabulary.RunIntensity.EASY;
import static io.strideback.events.vocabulary.RunIntensity.TEMPO;
import static io.strideback.loadmonitor.streams.MonitorDriver.day;
import static io.strideback.loadmonitor.streams.MonitorDriver.period;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * DOMAIN.md "over the plan" through the topology: the monitor reads the plan's events beside the athlete's activity,
 * judges each run against the plan in force at its time, announces {@code adherence.noted} on the findings topic and
 * withdraws it when a later plan version no longer makes the run a breach. It never proposes a plan change.
 */
class AdherenceTopologyTest {

    @TempDir
    Path stateDir;

    /** Made on day 0 (PROTECT: no running), running up to 5 km easy from day 2, capped at 4 km from day 3. */
    private static EventEnvelope<?> capped(MonitorDriver m, long version) {
        return m.plan(version, day(3, "18:00"), List.of(
                period(day(0, "08:00"), 5.0, EASY, true),
                period(day(2, "09:00"), 5.0, EASY, false),
                period(day(3, "18:00"), 4.0, EASY, false)));
    }

    /** A later version in which the 4 km cap was withdrawn: 5 km easy from day 2 on. */
    private static EventEnvelope<?> capWithdrawn(MonitorDriver m, long version) {
        return m.plan(version, day(6, "10:00"), List.of(
                period(day(0, "08:00"), 5.0, EASY, true),
                period(day(2, "09:00"), 5.0, EASY, false)));
    }

    @Test
    void a_run_over_the_cap_in_force_is_noted_for_the_clinician_and_changes_no_plan() {
        try (MonitorDriver m = new MonitorDriver(stateDir, "clinic-1", "ath-1")) {
            m.pipe(m.enrolment(5.0)).pipe(capped(m, 3)).pipe(m.run("r1", day(5, "07:00"), 6.2, EASY));

            assertThat(m.findings()).filteredOn(e -> e.type() == EventType.ADHERENCE_NOTED).singleElement()
                    .satisfies(e -> {
                        AdherenceNoted n = (AdherenceNoted) e.data();
                        assertThat(n.breach()).isEqualTo(Breach.OVER_DISTANCE_CAP.name());
                        assertThat(n.runKm()).isEqualTo(6.2);
                        assertThat(n.capKm()).isEqualTo(4.0);
                        assertThat(n.sessionId()).isEqualTo("session-r1");
                        assertThat(n.sessionEventId()).isEqualTo("r1");
                        assertThat(n.planVersion()).isEqualTo(3L);
                        assertThat(n.reason()).isEqualTo("Ran 6.2 km easy on 7 Mar, over the 4.0 km cap in force"
                                + " since 5 Mar.");
                        assertThat(e.time()).isEqualTo(day(5, "07:00"));
                        assertThat(e.topic()).isEqualTo(Topic.LOAD_FINDINGS);
                    });
            assertThat(m.adjustments()).as("no plan change ever comes from adherence").isEmpty();
            assertThat(m.adherenceView()).extracting(f -> f.breach()).containsExactly(Breach.OVER_DISTANCE_CAP);
        }
    }

    /**
     * CONTRACT v2 pattern kind OVER_THE_PLAN on the findings topic, as the patterns read shows it: announced when the
     * first run breaks the plan, again under a new id when another run joins it, nothing for a redelivery; when no
     * run breaks the plan any more nothing is announced (no pattern has a withdrawal event: the adherence.withdrawn
     * say it), and its return is announced under a new id. Never a plan change.
     */
    @Test
    void the_over_the_plan_pattern_is_announced_on_the_findings_topic_and_again_when_its_runs_change() {
        try (MonitorDriver m = new MonitorDriver(stateDir, "clinic-1", "ath-1")) {
            m.pipe(m.enrolment(5.0)).pipe(capped(m, 3)).pipe(m.run("r1", day(5, "07:00"), 4.5, EASY));

            EventEnvelope<?> first = overThePlan(m).get(0);
            assertThat(overThePlan(m)).hasSize(1);
            PatternDetected p1 = (PatternDetected) first.data();
            assertThat(p1.kind()).isEqualTo(PatternKind.OVER_THE_PLAN);
            assertThat(p1.since()).isEqualTo(day(5, "07:00"));
            assertThat(p1.evidenceEventIds()).containsExactly("r1");
            assertThat(p1.episodeIds()).isEmpty();
            assertThat(first.topic()).isEqualTo(Topic.LOAD_FINDINGS);
            assertThat(first.time()).isEqualTo(day(5, "07:00"));
            // the row the patterns read shows (LoadMonitorResource: OverThePlan.pattern of the held findings)
            assertThat(io.strideback.loadmonitor.domain.OverThePlan.pattern(m.adherenceView())).hasValueSatisfying(
                    row -> assertThat(row.runEventIds()).isEqualTo(p1.evidenceEventIds()));

            m.pipe(m.run("r2", day(6, "07:00"), 4.8, EASY));
            assertThat(overThePlan(m)).hasSize(2);
            EventEnvelope<?> second = overThePlan(m).get(1);
            assertThat(second.id()).isNotEqualTo(first.id());
            assertThat(((PatternDetected) second.data()).since()).isEqualTo(day(5, "07:00"));
            assertThat(((PatternDetected) second.data()).evidenceEventIds()).containsExactly("r1", "r2");

            m.pipe(m.run("r2", day(6, "07:00"), 4.8, EASY)); // redelivered: the same pattern
            m.pipe(capped(m, 3)); // an older or equal plan version: nothing changes
            assertThat(overThePlan(m)).hasSize(2);

            m.pipe(capWithdrawn(m, 4)); // the cap goes: no run breaks the plan any more
            assertThat(m.currentAdherence()).isEmpty();
            assertThat(overThePlan(m)).as("a pattern that no longer holds has no event of its own").hasSize(2);

            m.pipe(capped(m, 5)); // the cap is back: the pattern returns, announced again under a new id
            assertThat(overThePlan(m)).hasSize(3);
            EventEnvelope<?> back = overThePlan(m).get(2);
            assertThat(back.id()).isNotIn(first.id(), second.id());
            assertThat(((PatternDetected) back.data()).evidenceEventIds()).containsExactly("r1", "r2");
            assertThat(m.adjustments()).as("no plan change ever comes from adherence").isEmpty();
        }
    }

    @Test
    void the_same_runs_and_plan_announce_the_same_over_the_plan_ids_on_a_replay() {
        try (MonitorDriver once = new MonitorDriver(stateDir, "clinic-1", "ath-1");
             MonitorDriver again = new MonitorDriver(stateDir, "clinic-1", "ath-1")) {
            for (MonitorDriver m : List.of(once, again)) {
                m.pipe(m.enrolment(5.0)).pipe(capped(m, 3)).pipe(m.run("r1", day(5, "07:00"), 4.5, EASY))
                        .pipe(m.run("r2", day(6, "07:00"), 6.0, TEMPO));
            }
            assertThat(overThePlan(again)).extracting(EventEnvelope::id)
                    .isEqualTo(overThePlan(once).stream().map(EventEnvelope::id).toList()).hasSize(2);
        }
    }

    static List<EventEnvelope<?>> overThePlan(MonitorDriver m) {
        return m.findings().stream().filter(e -> e.type() == EventType.PATTERN_DETECTED
                && ((PatternDetected) e.data()).kind() == PatternKind.OVER_THE_PLAN).toList();
    }

    @Test
    void a_run_before_the_plan_arrives_is_judged_when_it_comes_and_the_same_breach_keeps_its_id() {
        try (MonitorDriver inOrder = new MonitorDriver(stateDir, "clinic-1", "ath-1");
             MonitorDriver late = new MonitorDriver(stateDir, "clinic-1", "ath-1")) {
            inOrder.pipe(inOrder.enrolment(5.0)).pipe(capped(inOrder, 3))
                    .pipe(inOrder.run("r1", day(5, "07:00"), 6.2, TEMPO));
            late.pipe(late.enrolment(5.0)).pipe(late.run("r1", day(5, "07:00"), 6.2, TEMPO));
            assertThat(late.currentAdherence()).as("no plan yet: nothing to keep to").isEmpty();

            late.pipe(capped(late, 3));

            assertThat(late.currentAdherence()).hasSize(2).isEqualTo(inOrder.currentAdherence());
        }
    }

    @Test
    void a_later_plan_version_without_the_cap_withdraws_the_finding_and_an_older_one_changes_nothing() {
        try (MonitorDriver m = new MonitorDriver(stateDir, "clinic-1", "ath-1")) {
            m.pipe(m.enrolment(5.0)).pipe(capped(m, 3)).pipe(m.run("r1", day(5, "07:00"), 4.5, EASY));
            String id = m.currentAdherence().keySet().iterator().next();

            m.pipe(capWithdrawn(m, 4));

            assertThat(m.findings()).filteredOn(e -> e.type() == EventType.ADHERENCE_WITHDRAWN).singleElement()
                    .satisfies(e -> {
                        AdherenceWithdrawn w = (AdherenceWithdrawn) e.data();
                        assertThat(w.adherenceId()).isEqualTo(id);
                        assertThat(w.sessionEventId()).isEqualTo("r1");
                        assertThat(w.breach()).isEqualTo(Breach.OVER_DISTANCE_CAP.name());
                        assertThat(w.reason()).isEqualTo(AdherenceWatch.WITHDRAWN);
                    });
            assertThat(m.currentAdherence()).isEmpty();
            assertThat(m.adherenceView()).isEmpty();

            int announced = m.findings().size();
            m.pipe(capped(m, 3)); // the older version, redelivered or late: version order wins
            assertThat(m.findings()).hasSize(announced);
            assertThat(m.currentAdherence()).isEmpty();
        }
    }

    @Test
    void a_run_during_a_pause_is_one_finding_and_a_run_within_the_plan_none() {
        try (MonitorDriver m = new MonitorDriver(stateDir, "clinic-1", "ath-1")) {
            m.pipe(m.enrolment(5.0)).pipe(capped(m, 3))
                    .pipe(m.run("paused", day(1, "07:00"), 2.0, EASY))
                    .pipe(m.run("within", day(6, "07:00"), 4.0, EASY));

            assertThat(m.adherenceView()).singleElement().satisfies(f -> {
                assertThat(f.sessionEventId()).isEqualTo("paused");
                assertThat(f.breach()).isEqualTo(Breach.DURING_PAUSE);
            });
        }
    }

    @Test
    void an_unreadable_plan_record_is_parked_on_the_plan_topics_dlq_and_the_monitor_goes_on() {
        try (MonitorDriver m = new MonitorDriver(stateDir, "clinic-1", "ath-1")) {
            m.pipe(m.enrolment(5.0));
            RecordHeaders headers = new RecordHeaders();
            headers.add("ce_type", "plan.adjusted".getBytes(StandardCharsets.UTF_8));
            m.pipeRawPlan(m.key(), "{not json".getBytes(StandardCharsets.UTF_8), headers);

            assertThat(m.planDeadLetters()).singleElement().satisfies(r ->
                    assertThat(r.headers().lastHeader(Topic.DLQ_REASON_HEADER)).isNotNull());

            m.pipe(capped(m, 3)).pipe(m.run("r1", day(5, "07:00"), 6.2, EASY));
            assertThat(m.currentAdherence()).hasSize(1);
        }
    }

    @Test
    void erasure_leaves_nothing_of_the_athletes_plan_schedule() {
        try (MonitorDriver m = new MonitorDriver(stateDir, "clinic-1", "ath-1")) {
            m.pipe(m.enrolment(5.0)).pipe(capped(m, 3)).pipe(m.run("r1", day(5, "07:00"), 6.2, EASY));
            assertThat(m.adherenceStore().get(m.key())).isNotNull();

            m.pipe(m.erasure(day(8, "00:00")));

            assertThat(m.adherenceStore().get(m.key())).isNull();
        }
    }

    /**
     * Issue 12, the poison-proof pipeline: a buggy watch's run at the end of time reaches the adherence rule (it
     * cannot say the day of it). The run is kept or parked with its reason, never a stream thread that fails on it
     * again and again, and the next plan version and the next athlete still flow.
     */
    @Test
    void a_run_at_the_end_of_time_stops_neither_the_athlete_nor_the_next_plan_version() {
        try (MonitorDriver m = new MonitorDriver(stateDir, "clinic-1", "ath-1")) {
            m.pipe(m.enrolment(5.0)).pipe(capped(m, 3)).pipe(m.run("absurd", java.time.Instant.MAX, 9.0, EASY));
            m.pipe(m.run("r1", day(5, "07:00"), 6.2, EASY)).pipe(capped(m, 4));

            assertThat(m.adherenceView()).as("the real run is still judged")
                    .anySatisfy(f -> assertThat(f.sessionEventId()).isEqualTo("r1"));
            assertThat(m.planDeadLetters()).isEmpty();
        }
    }
}
