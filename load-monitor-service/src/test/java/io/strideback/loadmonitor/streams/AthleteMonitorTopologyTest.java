package io.strideback.loadmonitor.streams;

import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.FindingEvents;
import io.strideback.events.Topic;
import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.PatternKind;
import io.strideback.events.vocabulary.RedFlag;
import io.strideback.loadmonitor.domain.ClinicRules;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.strideback.events.vocabulary.PainCharacter.ACHE;
import static io.strideback.events.vocabulary.PainCharacter.CRAMP;
import static io.strideback.events.vocabulary.RunIntensity.EASY;
import static io.strideback.events.vocabulary.RunIntensity.TEMPO;
import static io.strideback.events.vocabulary.SymptomContext.AFTER_RUN;
import static io.strideback.events.vocabulary.SymptomContext.AT_REST;
import static io.strideback.events.vocabulary.SymptomContext.NIGHT;
import static io.strideback.events.vocabulary.SymptomContext.WALKING;
import static io.strideback.loadmonitor.streams.MonitorDriver.day;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load monitor's topology given events, then what it announces (TopologyTestDriver, no broker): only what
 * changed, withdrawals when late events take findings away (DOMAIN.md "Convergence"), the same end whatever the
 * arrival order, poison parked on the DLQ with its reason, erasure.
 */
class AthleteMonitorTopologyTest {

    @TempDir
    Path stateDir;

    private MonitorDriver monitor() {
        return new MonitorDriver(stateDir, "clinic-1", "ath-1");
    }

    @Test
    void a_red_flag_is_announced_once_in_cloud_events_binary_mode_and_a_redelivery_announces_nothing() {
        try (MonitorDriver m = monitor()) {
            var enrolment = m.enrolment(3.0);
            var flag = m.redFlag("swelling", day(0, "10:00"), RedFlag.SWELLING);

            m.pipe(enrolment, flag);

            assertThat(m.findings()).anySatisfy(e -> {
                assertThat(e.type()).isEqualTo(EventType.PATTERN_DETECTED);
                assertThat(e.dataAs(FindingEvents.PatternDetected.class).kind()).isEqualTo(PatternKind.RED_FLAG);
            });
            assertThat(m.adjustments()).anySatisfy(e -> {
                assertThat(e.type()).isEqualTo(EventType.PLAN_ADJUSTMENT_PROPOSED);
                var proposal = e.dataAs(FindingEvents.AdjustmentProposed.class);
                assertThat(proposal.type()).isEqualTo(AdjustmentType.URGENT_REFERRAL);
                // the first proposal's ce_id is its content-derived adjustment id
                assertThat(e.id()).isEqualTo(proposal.adjustmentId());
                assertThat(e.key()).isEqualTo("clinic-1/ath-1");
                assertThat(e.source()).isEqualTo("/strideback/load-monitor-service");
            });
            assertThat(m.currentPatterns()).anySatisfy(p -> assertThat(p).startsWith("RED_FLAG|"));
            int announced = m.announced().size();

            m.pipe(flag, enrolment);

            assertThat(m.announced()).hasSize(announced);
        }
    }

    @Test
    void a_late_run_reclassifies_the_walking_flare_up_withdraws_the_review_and_both_orders_end_the_same() {
        try (MonitorDriver inTime = monitor(); MonitorDriver late = monitor()) {
            var enrolment = inTime.enrolment(3.0);
            var tempo = inTime.run("late-tempo", day(0, "07:00"), 5.0, TEMPO);
            var walking = inTime.report("walking", day(0, "12:00"), 5, WALKING, ACHE);
            var settled = inTime.report("settled", day(2, "13:00"), 1, AT_REST);
            var night = inTime.report("night", day(5, "03:00"), 6, NIGHT, CRAMP);

            inTime.pipe(enrolment, tempo, walking, settled, night);
            late.pipe(enrolment, walking, settled, night);
            // two random flare-ups: a clinician's review
            assertThat(late.adjustments()).extracting(e -> e.dataAs(FindingEvents.AdjustmentProposed.class).type())
                    .contains(AdjustmentType.CLINICIAN_REVIEW);

            // when the morning's tempo run syncs late
            late.pipe(tempo);

            // then the walking flare-up came from running and the review is withdrawn, with a reason
            assertThat(late.findings()).anySatisfy(e -> assertThat(e.type()).isEqualTo(EventType.FLAREUP_RECLASSIFIED));
            assertThat(late.adjustments()).filteredOn(e -> e.type() == EventType.PLAN_ADJUSTMENT_WITHDRAWN)
                    .extracting(e -> e.dataAs(FindingEvents.AdjustmentWithdrawn.class))
                    .anySatisfy(w -> {
                        assertThat(w.type()).isEqualTo(AdjustmentType.CLINICIAN_REVIEW);
                        assertThat(w.reason()).contains("no longer support");
                    });
            assertSameEnd(inTime, late);
        }
    }

    @Test
    void the_meters_count_each_announced_flare_up_reclassification_and_proposal_once() {
        // The dashboard's "Flare-ups by classification" and proposal panels read these counters (README "Operate").
        List<String> detected = new ArrayList<>();
        List<String> reclassified = new ArrayList<>();
        List<String> proposed = new ArrayList<>();
        MonitorMeters meters = new MonitorMeters() {
            @Override
            public void flareUpDetected(String classification) {
                detected.add(classification);
            }

            @Override
            public void flareUpReclassified(String classification) {
                reclassified.add(classification);
            }

            @Override
            public void adjustmentProposed(String type) {
                proposed.add(type);
            }
        };
        try (MonitorDriver m = new MonitorDriver(stateDir, "clinic-1", "ath-1", meters)) {
            var enrolment = m.enrolment(3.0);
            var tempo = m.run("late-tempo", day(0, "07:00"), 5.0, TEMPO);
            var walking = m.report("walking", day(0, "12:00"), 5, WALKING, ACHE);
            var settled = m.report("settled", day(2, "13:00"), 1, AT_REST);
            var night = m.report("night", day(5, "03:00"), 6, NIGHT, CRAMP);

            m.pipe(enrolment, walking, settled, night);
            m.pipe(tempo);
            // a redelivery announces nothing, so counts nothing
            m.pipe(walking, night);

            assertThat(detected).isNotEmpty().containsExactlyInAnyOrderElementsOf(m.findings().stream()
                    .filter(e -> e.type() == EventType.FLAREUP_DETECTED)
                    .map(e -> e.dataAs(FindingEvents.FlareUpDetected.class).episode().classification().name()).toList());
            assertThat(reclassified).isNotEmpty().containsExactlyInAnyOrderElementsOf(m.findings().stream()
                    .filter(e -> e.type() == EventType.FLAREUP_RECLASSIFIED)
                    .map(e -> e.dataAs(FindingEvents.FlareUpReclassified.class).episode().classification().name()).toList());
            assertThat(proposed).isNotEmpty().containsExactlyInAnyOrderElementsOf(m.adjustments().stream()
                    .filter(e -> e.type() == EventType.PLAN_ADJUSTMENT_PROPOSED)
                    .map(e -> e.dataAs(FindingEvents.AdjustmentProposed.class).type().name()).toList());
        }
    }

    @Test
    void late_reports_that_join_two_flare_ups_withdraw_the_pause_and_the_end_is_the_same_in_any_order() {
        try (MonitorDriver inTime = monitor(); MonitorDriver late = monitor()) {
            var events = new ArrayList<EventEnvelope<?>>();
            events.add(inTime.enrolment(3.0));
            for (int d : new int[]{0, 5, 10}) {
                events.add(inTime.run("run-d" + d, day(d, "07:00"), 2.0, EASY));
                events.add(inTime.report("flare-d" + d, day(d, "08:00"), 5, AFTER_RUN, ACHE));
                events.add(inTime.report("settled-d" + d, day(d + 2, "09:00"), 1, AT_REST));
            }
            // the evening reports between the second and the third flare-up, synced a week late: one flare-up
            // from day 5 to day 10, so two from running in 14 days, not three
            var lateReports = List.<EventEnvelope<?>>of(
                    inTime.report("evening-d6", day(6, "20:00"), 5, AFTER_RUN, ACHE),
                    inTime.report("noon-d8", day(8, "12:00"), 5, AFTER_RUN, ACHE));
            List<EventEnvelope<?>> timeOrder = new ArrayList<>(events);
            timeOrder.addAll(lateReports);
            timeOrder.sort(java.util.Comparator.comparing(EventEnvelope<?>::time));

            inTime.pipe(timeOrder);
            late.pipe(events);
            var pauseBefore = pause(late);

            late.pipe(lateReports);

            assertThat(late.currentAdjustments()).doesNotContain(pauseBefore);
            assertThat(late.adjustments()).filteredOn(e -> e.type() == EventType.PLAN_ADJUSTMENT_WITHDRAWN)
                    .extracting(e -> e.dataAs(FindingEvents.AdjustmentWithdrawn.class))
                    .anySatisfy(w -> {
                        assertThat(w.adjustmentId()).isEqualTo(pauseBefore);
                        assertThat(w.type()).isEqualTo(AdjustmentType.PAUSE_RUNNING);
                    });
            assertThat(late.findings()).anySatisfy(e -> assertThat(e.type()).isEqualTo(EventType.FLAREUP_WITHDRAWN));
            assertSameEnd(inTime, late);
        }
    }

    /**
     * Round 19: the phone's reports first, the watch's runs after them. The pause proposed from the reports is the
     * one the runs give: the plan hears no withdrawal and no second proposal (before, the pause's id held the runs,
     * and a clinic that reviews adjustments saw its approval gone and the same pause pending again).
     */
    @Test
    void runs_that_sync_after_the_reports_announce_no_withdrawal_and_no_second_pause() {
        try (MonitorDriver inTime = monitor(); MonitorDriver late = monitor()) {
            var reports = new ArrayList<EventEnvelope<?>>();
            var runs = new ArrayList<EventEnvelope<?>>();
            reports.add(inTime.enrolment(3.0));
            for (int d : new int[]{0, 5, 10}) {
                runs.add(inTime.run("run-d" + d, day(d, "07:00"), 2.0, EASY));
                reports.add(inTime.report("flare-d" + d, day(d, "08:00"), 5, AFTER_RUN, ACHE));
                reports.add(inTime.report("settled-d" + d, day(d + 2, "09:00"), 1, AT_REST));
            }
            List<EventEnvelope<?>> timeOrder = new ArrayList<>(reports);
            timeOrder.addAll(runs);
            timeOrder.sort(java.util.Comparator.comparing(EventEnvelope<?>::time));

            inTime.pipe(timeOrder);
            late.pipe(reports);
            String pauseBefore = pause(late);
            late.pipe(runs);

            assertThat(late.adjustments()).filteredOn(e -> e.type() == EventType.PLAN_ADJUSTMENT_WITHDRAWN).isEmpty();
            assertThat(late.adjustments()).filteredOn(e -> e.type() == EventType.PLAN_ADJUSTMENT_PROPOSED)
                    .extracting(e -> e.dataAs(FindingEvents.AdjustmentProposed.class))
                    .filteredOn(p -> p.type() == AdjustmentType.PAUSE_RUNNING)
                    .singleElement().satisfies(p -> assertThat(p.adjustmentId()).isEqualTo(pauseBefore));
            assertSameEnd(inTime, late);
        }
    }

    @Test
    void a_late_run_on_the_morning_of_a_flare_up_ends_the_same_as_in_time() {
        try (MonitorDriver inTime = monitor(); MonitorDriver late = monitor()) {
            var events = new ArrayList<EventEnvelope<?>>();
            events.add(inTime.enrolment(3.0));
            for (int d : new int[]{0, 5, 10}) {
                events.add(inTime.run("run-d" + d, day(d, "07:00"), 2.0, EASY));
                events.add(inTime.report("flare-d" + d, day(d, "08:00"), 5, AFTER_RUN, ACHE));
                events.add(inTime.report("settled-d" + d, day(d + 2, "09:00"), 1, AT_REST));
            }
            var lateRun = inTime.run("late-run", day(10, "06:00"), 6.0, TEMPO);
            List<EventEnvelope<?>> timeOrder = new ArrayList<>(events);
            timeOrder.add(lateRun);
            timeOrder.sort(java.util.Comparator.comparing(EventEnvelope<?>::time));

            inTime.pipe(timeOrder);
            late.pipe(events).pipe(lateRun);

            assertSameEnd(inTime, late);
        }
    }

    @Test
    void a_withdrawn_adjustment_proposed_again_is_announced_again_under_a_new_ce_id() {
        try (MonitorDriver m = monitor()) {
            m.pipe(m.enrolment(3.0), m.report("walking", day(0, "12:00"), 5, WALKING, ACHE),
                    m.report("settled", day(2, "13:00"), 1, AT_REST), m.report("night", day(5, "03:00"), 6, NIGHT, CRAMP));
            String review = reviewId(m);

            // a setting that takes the random pattern away, then the defaults again
            m.settings(ClinicRules.builder().randomMinEpisodes(3).build());
            assertThat(m.currentAdjustments()).doesNotContain(review);
            m.settings(ClinicRules.defaults());

            assertThat(m.currentAdjustments()).contains(review);
            var proposals = m.adjustments().stream().filter(e -> e.type() == EventType.PLAN_ADJUSTMENT_PROPOSED
                    && review.equals(e.dataAs(FindingEvents.AdjustmentProposed.class).adjustmentId())).toList();
            assertThat(proposals).hasSize(2);
            assertThat(proposals.get(0).id()).isNotEqualTo(proposals.get(1).id());
        }
    }

    @Test
    void a_settings_change_that_changes_no_adjustment_announces_nothing_and_keeps_the_ids() {
        try (MonitorDriver m = monitor()) {
            m.pipe(m.enrolment(3.0), m.report("walking", day(0, "12:00"), 5, WALKING, ACHE),
                    m.report("settled", day(2, "13:00"), 1, AT_REST), m.report("night", day(5, "03:00"), 6, NIGHT, CRAMP));
            var before = m.currentAdjustments();
            int announced = m.announced().size();

            m.settings(ClinicRules.builder().settledMinRuns(50).build());

            assertThat(m.announced()).hasSize(announced);
            assertThat(m.currentAdjustments()).isEqualTo(before);
        }
    }

    @Test
    void unreadable_records_are_parked_with_their_reason_and_the_next_record_is_still_analysed() {
        try (MonitorDriver m = monitor()) {
            m.pipe(m.enrolment(3.0));
            RecordHeaders headers = new RecordHeaders(EventCodec.toRecord(m.report("x", day(0, "09:00"), 6, AT_REST))
                    .headers().toArray());
            m.pipeRaw(m.key(), "{not json".getBytes(StandardCharsets.UTF_8), headers);
            RecordHeaders unknown = new RecordHeaders(headers.toArray());
            unknown.remove(EventCodec.TYPE);
            unknown.add(EventCodec.TYPE, "symptom.imagined".getBytes(StandardCharsets.UTF_8));
            m.pipeRaw(m.key(), "{}".getBytes(StandardCharsets.UTF_8), unknown);
            // readable JSON the rules cannot take, and an event under another athlete's key
            m.pipe(m.report("pain-11", day(0, "10:00"), 11, AT_REST));
            var misrouted = EventCodec.toRecord(m.report("misrouted", day(0, "11:00"), 6, AT_REST));
            m.pipeRaw("clinic-1/someone-else", misrouted.value(), misrouted.headers());

            m.pipe(m.redFlag("tender", day(1, "10:00"), RedFlag.SEVERE_TENDERNESS));

            assertThat(m.deadLetters()).extracting(r -> EventCodec.header(r.headers(), Topic.DLQ_REASON_HEADER))
                    .satisfiesExactly(
                            reason -> assertThat(reason).contains("not valid JSON"),
                            reason -> assertThat(reason).contains("unknown ce_type 'symptom.imagined'"),
                            reason -> assertThat(reason).contains("pain-11 refused").contains("pain must be 0-10"),
                            reason -> assertThat(reason).contains("not its athlete's 'clinic-1/ath-1'"));
            assertThat(m.currentPatterns()).anySatisfy(p -> assertThat(p).startsWith("RED_FLAG|"));
        }
    }

    /**
     * Round 15, from outside: a plan or finding type written on the activity log was read, matched nothing and was
     * counted as taken: dropped without a trace. It is parked with its reason, where it came from, and counted
     * against the topic it was read from.
     */
    @Test
    void an_event_of_another_topic_on_the_activity_log_is_parked_saying_where_it_came_from() {
        List<String> parkedFrom = new ArrayList<>();
        MonitorMeters meters = new MonitorMeters() {
            @Override
            public void deadLettered(String sourceTopic) {
                parkedFrom.add(sourceTopic);
            }
        };
        try (MonitorDriver m = new MonitorDriver(stateDir, "clinic-1", "ath-1", meters)) {
            m.pipe(m.enrolment(3.0));
            RecordHeaders headers = new RecordHeaders(EventCodec.toRecord(m.report("x", day(0, "09:00"), 6, AT_REST))
                    .headers().toArray());
            headers.remove(EventCodec.TYPE);
            headers.add(EventCodec.TYPE, "plan.adjustment.withdrawn".getBytes(StandardCharsets.UTF_8));
            m.pipeRaw(m.key(), "{\"adjustmentId\": \"a-1\", \"athleteId\": \"ath-1\", \"clinicId\": \"clinic-1\"}"
                    .getBytes(StandardCharsets.UTF_8), headers);
            m.pipeRawPlan(m.key(), "{not json".getBytes(StandardCharsets.UTF_8), headers);

            assertThat(m.deadLetters()).singleElement().satisfies(r -> {
                assertThat(EventCodec.header(r.headers(), Topic.DLQ_REASON_HEADER))
                        .endsWith("is not an event of strideback.athlete-activity.v1");
                assertThat(EventCodec.header(r.headers(), "dead-letter-topic"))
                        .isEqualTo(Topic.ATHLETE_ACTIVITY.topicName());
                assertThat(EventCodec.header(r.headers(), "dead-letter-offset")).isNotNull();
            });
            assertThat(parkedFrom).containsExactly(Topic.ATHLETE_ACTIVITY.topicName(), Topic.PLAN_EVENTS.topicName());
        }
    }

    @Test
    void an_athlete_whose_analysis_fails_is_recorded_on_the_dlq_keeps_the_event_and_the_others_go_on() {
        try (MonitorDriver m = monitor()) {
            m.pipe(m.enrolment(3.0));
            // an event at the end of time: the rules' windows overflow on it
            m.pipe(m.report("end-of-time", Instant.MAX, 6, AT_REST));

            assertThat(m.deadLetters()).singleElement().satisfies(r -> {
                assertThat(r.key()).isEqualTo("clinic-1/ath-1");
                assertThat(EventCodec.header(r.headers(), Topic.DLQ_REASON_HEADER))
                        .startsWith("analysis of athlete clinic-1/ath-1 failed");
            });
            assertThat(m.storedTimeline().orElseThrow().symptoms()).hasSize(1);
        }
    }

    @Test
    void erasure_deletes_the_athletes_view_and_leaves_only_the_erased_marker() {
        try (MonitorDriver m = monitor()) {
            m.pipe(m.enrolment(3.0), m.redFlag("swelling", day(0, "10:00"), RedFlag.SWELLING));
            assertThat(m.view()).isNotNull();

            m.pipe(m.erasure(day(1, "10:00")));

            assertThat(m.view()).isNull();
            // Only the erased marker stays: no data, it keeps late events out (ErasedAthleteTest).
            assertThat(m.athletes().get(m.key())).isEqualTo(AthleteState.ERASED);
            assertThat(m.storedTimeline()).isEmpty();
            try (var left = m.events().all()) {
                assertThat(left.hasNext()).as("the athlete's events").isFalse();
            }
            assertThat(m.toAnalyse().get(m.key())).isNull();
        }
    }

    private static String pause(MonitorDriver m) {
        return m.adjustments().stream().filter(e -> e.type() == EventType.PLAN_ADJUSTMENT_PROPOSED)
                .map(e -> e.dataAs(FindingEvents.AdjustmentProposed.class))
                .filter(p -> p.type() == AdjustmentType.PAUSE_RUNNING)
                .map(FindingEvents.AdjustmentProposed::adjustmentId).reduce((a, b) -> b).orElseThrow();
    }

    private static String reviewId(MonitorDriver m) {
        return m.adjustments().stream().filter(e -> e.type() == EventType.PLAN_ADJUSTMENT_PROPOSED)
                .map(e -> e.dataAs(FindingEvents.AdjustmentProposed.class))
                .filter(p -> p.type() == AdjustmentType.CLINICIAN_REVIEW && p.pattern() == PatternKind.RANDOM)
                .map(FindingEvents.AdjustmentProposed::adjustmentId).findFirst().orElseThrow();
    }

    static void assertSameEnd(MonitorDriver a, MonitorDriver b) {
        // round 16: an analysis may name a due instant the wall clock has passed already; its timer fires at the
        // next tick, so both are compared after one
        a.analyse();
        b.analyse();
        assertThat(b.currentEpisodes()).as("episodes").isEqualTo(a.currentEpisodes());
        assertThat(b.currentPatterns()).as("patterns").isEqualTo(a.currentPatterns());
        assertThat(b.currentAdjustments()).as("adjustments the monitor stands behind")
                .isEqualTo(a.currentAdjustments());
        assertThat(b.view()).as("the read API's view").isEqualTo(a.view());
    }
}
