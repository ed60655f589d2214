package io.strideback.loadmonitor.streams;

import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.FindingEvents;
import io.strideback.events.vocabulary.AdjustmentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.strideback.events.vocabulary.PainCharacter.ACHE;
import static io.strideback.events.vocabulary.RunIntensity.EASY;
import static io.strideback.events.vocabulary.SymptomContext.AT_REST;
import static io.strideback.events.vocabulary.SymptomContext.WALKING;
import static io.strideback.loadmonitor.streams.MonitorDriver.day;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Round 16: what time alone makes due reaches the plan and the read API with no later event. The wall clock only
 * decides which due instants have passed; each is analysed as of its own instant, from a due instant kept in a
 * changelogged store, and proposes as an event would, with the same ids.
 */
class TimerTopologyTest {

    @TempDir
    Path stateDir;

    /** Capped at 3.0 km on day 6, the second flare-up settled by day 8, 10:30; five runs under the cap to day 18. */
    private static List<EventEnvelope<?>> cappedThenFiveRuns(MonitorDriver m) {
        List<EventEnvelope<?>> events = new ArrayList<>(List.of(m.enrolment(3.0),
                m.run("3k", day(0, "07:00"), 3.0, EASY),
                m.run("5.2k", day(2, "07:00"), 5.2, EASY),
                m.report("flare-1", day(2, "10:30"), 6, WALKING, ACHE),
                m.report("settled-1", day(4, "11:00"), 1, AT_REST),
                m.run("6k", day(6, "07:00"), 6.0, EASY),
                m.report("flare-2", day(6, "10:30"), 6, WALKING, ACHE),
                m.report("settled-2", day(8, "11:00"), 1, AT_REST)));
        for (int d = 10; d <= 18; d += 2) {
            events.add(m.run("capped-" + d, day(d, "07:00"), 3.0, EASY));
        }
        return events;
    }

    private static final Instant SETTLED_DUE = day(22, "10:30");

    private static List<FindingEvents.AdjustmentProposed> relaxations(MonitorDriver m) {
        return m.adjustments().stream().filter(e -> e.type() == EventType.PLAN_ADJUSTMENT_PROPOSED)
                .map(e -> e.dataAs(FindingEvents.AdjustmentProposed.class))
                .filter(p -> p.type() == AdjustmentType.RELAX_RUN_CAP).toList();
    }

    @Test
    void the_settled_cap_is_relaxed_when_the_wall_clock_passes_its_due_time_with_no_later_event() {
        try (MonitorDriver m = new MonitorDriver(stateDir, "clinic-1", "ath-1", day(0, "00:00"));
             MonitorDriver laterRun = new MonitorDriver(stateDir, "clinic-1", "ath-1", day(0, "00:00"))) {
            m.pipe(cappedThenFiveRuns(m));
            assertThat(relaxations(m)).isEmpty();
            // the due instant is state: in a changelogged store, where the next owner of the task reads it at init
            assertThat(AthleteTimers.fromBytes(m.timers().get(m.key()))[0]).isEqualTo(SETTLED_DUE);
            assertThat(new AthleteTimers(m.timers()).dueOf(m.key())).isEqualTo(SETTLED_DUE);

            m.wallClockTo(SETTLED_DUE.minusSeconds(60));
            assertThat(relaxations(m)).as("a timer not yet due changes nothing").isEmpty();

            m.wallClockTo(SETTLED_DUE);

            EventEnvelope<?> proposed = m.adjustments().stream()
                    .filter(e -> e.type() == EventType.PLAN_ADJUSTMENT_PROPOSED
                            && e.dataAs(FindingEvents.AdjustmentProposed.class).type() == AdjustmentType.RELAX_RUN_CAP)
                    .findFirst().orElseThrow();
            var relax = proposed.dataAs(FindingEvents.AdjustmentProposed.class);
            // at its due (event) time, however late the clock: the plan applies it then
            assertThat(relax.proposedAt()).isEqualTo(SETTLED_DUE);
            assertThat(proposed.time()).isEqualTo(SETTLED_DUE);
            assertThat(proposed.id()).isEqualTo(relax.adjustmentId());
            assertThat(m.currentPatterns()).contains("SETTLED|" + SETTLED_DUE);
            assertThat(new AthleteTimers(m.timers()).dueOf(m.key())).as("nothing more is due without an event").isNull();

            // the same proposal, same id, as a later event would have brought: a replay or the other replica that
            // sees the run of day 24 proposes nothing twice
            laterRun.pipe(cappedThenFiveRuns(laterRun));
            laterRun.pipe(laterRun.run("capped-24", day(24, "07:00"), 3.0, EASY));
            assertThat(relaxations(laterRun)).extracting(FindingEvents.AdjustmentProposed::adjustmentId)
                    .containsExactly(relax.adjustmentId());
            int announced = m.announced().size();
            m.pipe(m.run("capped-24", day(24, "07:00"), 3.0, EASY));
            assertThat(relaxations(m)).hasSize(1);
            assertThat(m.announced()).hasSize(announced);
        }
    }

    @Test
    void an_episode_that_calmed_is_shown_ended_once_nothing_can_join_it_with_no_later_event() {
        try (MonitorDriver m = new MonitorDriver(stateDir, "clinic-1", "ath-1", day(0, "00:00"))) {
            m.pipe(m.enrolment(3.0), m.report("flare", day(0, "10:30"), 6, WALKING, ACHE),
                    m.report("calm", day(1, "09:00"), 1, AT_REST));
            assertThat(m.view().findings().episodes()).singleElement()
                    .satisfies(e -> assertThat(e.endedAt()).isNull());
            int announced = m.announced().size();

            m.wallClockTo(day(4, "08:59"));
            assertThat(m.view().findings().episodes().get(0).endedAt()).as("a report could still join it").isNull();

            m.wallClockTo(day(4, "09:01"));
            // 48 h after its last pain, known once 72 h passed with no report (FlareUpDetector)
            assertThat(m.view().findings().episodes().get(0).endedAt()).isEqualTo(day(2, "10:30"));
            assertThat(m.announced()).as("the end is the read API's (the contract has no event for it)")
                    .hasSize(announced);
            assertThat(new AthleteTimers(m.timers()).dueOf(m.key())).isNull();
        }
    }

    @Test
    void a_history_still_coming_in_stays_as_of_its_latest_event_and_moves_to_the_present_once_it_has_stopped() {
        // A backfill posted on day 30 in two batches; the second holds a flare-up of day 16. Had the first batch's
        // findings moved to the present, the cap would have been relaxed (14 quiet days by day 22) and withdrawn again.
        AnalysisPace quietMinute = AnalysisPace.every(MonitorTopology.DEFAULT_ANALYSIS_INTERVAL)
                .timersAfterQuiet(Duration.ofMinutes(1));
        Instant present = day(30, "12:00");
        try (MonitorDriver m = new MonitorDriver(stateDir, "clinic-1", "ath-1", quietMinute, present)) {
            List<EventEnvelope<?>> history = cappedThenFiveRuns(m);
            m.pipe(history.subList(0, history.size() - 2)); // to the run of day 14
            assertThat(new AthleteTimers(m.timers()).dueOf(m.key())).as("due once the records have stopped a minute")
                    .isAfter(present);
            m.wallClockTo(present.plusSeconds(30));
            assertThat(relaxations(m)).as("still coming in: as of its latest event").isEmpty();

            m.pipe(history.subList(history.size() - 2, history.size()));
            m.pipe(m.report("walking", day(16, "10:00"), 5, WALKING, ACHE));
            m.wallClockTo(present.plusSeconds(100));
            assertThat(relaxations(m)).isEmpty();

            m.wallClockTo(present.plusSeconds(160));
            assertThat(relaxations(m)).as("no 14 quiet days since the flare-up of day 16").isEmpty();
            assertThat(m.adjustments()).noneMatch(e -> e.type() == EventType.PLAN_ADJUSTMENT_WITHDRAWN);
            // moved to the present: the walking flare-up's episode is shown ended (nothing could join it after day 19)
            assertThat(m.view().findings().episodes()).last()
                    .satisfies(e -> assertThat(e.endedAt()).isNotNull());
        }
    }

    @Test
    void an_event_after_a_timer_fired_is_analysed_as_of_the_present_the_timer_reached() {
        try (MonitorDriver m = new MonitorDriver(stateDir, "clinic-1", "ath-1", day(0, "00:00"))) {
            m.pipe(cappedThenFiveRuns(m));
            m.wallClockTo(day(23, "00:00"));
            assertThat(relaxations(m)).hasSize(1);

            // a calm report of day 12 syncs on day 23: the 14 quiet days stand, and so does the relax (as of the
            // latest event, day 18, it would not be due yet: withdrawn, then proposed again by the next timer)
            m.pipe(m.report("late-calm", day(12, "18:00"), 1, AT_REST));

            assertThat(m.adjustments()).noneMatch(e -> e.type() == EventType.PLAN_ADJUSTMENT_WITHDRAWN);
            assertThat(m.currentPatterns()).contains("SETTLED|" + SETTLED_DUE);
        }
    }

    @Test
    void a_late_report_after_the_timer_fired_ends_as_if_it_had_arrived_before() {
        try (MonitorDriver late = new MonitorDriver(stateDir, "clinic-1", "ath-1", day(0, "00:00"));
             MonitorDriver inTime = new MonitorDriver(stateDir, "clinic-1", "ath-1", day(0, "00:00"))) {
            var walking = late.report("walking", day(16, "10:00"), 5, WALKING, ACHE);
            late.pipe(cappedThenFiveRuns(late));
            late.wallClockTo(day(23, "00:00"));
            assertThat(relaxations(late)).hasSize(1);

            // a flare-up of day 16 syncs on day 23: there were no 14 quiet days, the relaxing is withdrawn
            late.pipe(walking);
            assertThat(late.adjustments()).filteredOn(e -> e.type() == EventType.PLAN_ADJUSTMENT_WITHDRAWN)
                    .extracting(e -> e.dataAs(FindingEvents.AdjustmentWithdrawn.class).type())
                    .containsExactly(AdjustmentType.RELAX_RUN_CAP);

            List<EventEnvelope<?>> all = new ArrayList<>(cappedThenFiveRuns(inTime));
            all.add(walking);
            inTime.pipe(all);
            inTime.wallClockTo(day(23, "00:00"));
            late.analyse();
            assertThat(relaxations(inTime)).isEmpty();
            AthleteMonitorTopologyTest.assertSameEnd(inTime, late);
        }
    }
}
