package io.strideback.loadmonitor.streams;

import io.strideback.events.EventType;
import io.strideback.events.FindingEvents;
import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.RedFlag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static io.strideback.events.vocabulary.PainCharacter.ACHE;
import static io.strideback.events.vocabulary.SymptomContext.AT_REST;
import static io.strideback.events.vocabulary.SymptomContext.WALKING;
import static io.strideback.loadmonitor.streams.MonitorDriver.day;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Round 20 (issue 15, idle cost): a task idle for a while ticks every few seconds ({@link AnalysisCadence}), and still
 * analyses a new event within one analysis interval and still fires the timers that come due while it idles.
 */
class IdleCadenceTopologyTest {

    @TempDir
    Path stateDir;

    private static final Duration IDLE_INTERVAL = Duration.ofSeconds(5);

    private static AnalysisPace idling() {
        return AnalysisPace.every(MonitorTopology.DEFAULT_ANALYSIS_INTERVAL)
                .idlingAfter(Duration.ofSeconds(1), IDLE_INTERVAL);
    }

    @Test
    void a_red_flag_reaching_a_task_idle_for_minutes_is_proposed_within_one_analysis_interval() {
        Instant start = day(0, "09:00");
        try (MonitorDriver m = new MonitorDriver(stateDir, "clinic-1", "ath-1", idling(), start)) {
            // given an enrolled athlete and a task that has had nothing to do for minutes
            m.pipe(m.enrolment(3.0));
            m.wallClock(Duration.ofSeconds(2));
            m.wallClockTo(start.plus(Duration.ofMinutes(3)));
            assertThat(m.adjustments()).isEmpty();

            // when a red flag arrives (pipe lets one analysis interval pass, 20 ms)
            m.pipe(m.redFlag("swelling", day(0, "09:03"), RedFlag.SWELLING));

            // then it is proposed within it, as on a busy task
            assertThat(m.adjustments()).anySatisfy(e -> {
                assertThat(e.type()).isEqualTo(EventType.PLAN_ADJUSTMENT_PROPOSED);
                assertThat(e.dataAs(FindingEvents.AdjustmentProposed.class).type())
                        .isEqualTo(AdjustmentType.URGENT_REFERRAL);
            });
        }
    }

    @Test
    void an_episode_that_calmed_while_the_task_idled_is_shown_ended_by_the_next_idle_tick() {
        try (MonitorDriver m = new MonitorDriver(stateDir, "clinic-1", "ath-1", idling(), day(0, "00:00"))) {
            // given an episode that calmed, and a task idle since
            m.pipe(m.enrolment(3.0), m.report("flare", day(0, "10:30"), 6, WALKING, ACHE),
                    m.report("calm", day(1, "09:00"), 1, AT_REST));
            m.wallClock(Duration.ofSeconds(2));
            assertThat(m.view().findings().episodes()).singleElement()
                    .satisfies(e -> assertThat(e.endedAt()).isNull());

            // when the wall clock passes the timer's due instant (day 4, 09:00) and one idle interval more
            m.wallClockTo(day(4, "09:00").plus(IDLE_INTERVAL));

            // then the episode is ended as of its own time, as by a busy task
            assertThat(m.view().findings().episodes().get(0).endedAt()).isEqualTo(day(2, "10:30"));
            assertThat(new AthleteTimers(m.timers()).dueOf(m.key())).isNull();
        }
    }
}
