package io.strideback.loadmonitor.streams;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Round 20: the analysis tick slows down only while a task has no work, and a mark wakes it at once. */
class AnalysisCadenceTest {

    private static final Duration BUSY = Duration.ofMillis(10);
    private static final Duration IDLE = Duration.ofSeconds(5);
    private static final Duration IDLE_AFTER = Duration.ofSeconds(1);

    private final AnalysisCadence cadence = new AnalysisCadence(BUSY, IDLE, IDLE_AFTER, 0);

    @Test
    void a_task_starts_at_the_analysis_interval() {
        assertThat(cadence.initial()).isEqualTo(BUSY);
        assertThat(cadence.idle()).isFalse();
    }

    @Test
    void a_task_keeps_the_analysis_interval_while_it_has_work_and_for_idle_after_its_last_work() {
        // given work at 500 ms
        assertThat(cadence.ticked(500, true)).isNull();
        // when ticks find nothing until just before idle-after has passed
        for (long t = 510; t < 1_500; t += 10) {
            assertThat(cadence.ticked(t, false)).as("tick at %d ms", t).isNull();
        }
        // then the task still ticks at the analysis interval
        assertThat(cadence.idle()).isFalse();
    }

    @Test
    void a_task_with_no_work_for_idle_after_ticks_at_the_idle_interval() {
        assertThat(cadence.ticked(500, true)).isNull();
        assertThat(cadence.ticked(1_500, false)).isEqualTo(IDLE);
        assertThat(cadence.idle()).isTrue();
        assertThat(cadence.ticked(6_500, false)).as("stays idle: no change").isNull();
    }

    @Test
    void a_mark_made_while_idle_wakes_the_task_at_once_and_its_next_tick_returns_to_the_analysis_interval() {
        // given an idle task
        cadence.ticked(1_000, false);
        assertThat(cadence.idle()).isTrue();
        // when an event marks an athlete
        Duration next = cadence.marked(3_000);
        // then the next tick comes at once, and from it on the analysis interval again
        assertThat(next).isEqualTo(AnalysisCadence.WAKE);
        assertThat(cadence.ticked(3_001, true)).isEqualTo(BUSY);
        assertThat(cadence.idle()).isFalse();
        // and a second mark while busy changes nothing
        assertThat(cadence.marked(3_005)).isNull();
    }

    @Test
    void a_mark_while_busy_keeps_the_tick_and_defers_idling() {
        assertThat(cadence.marked(900)).isNull();
        assertThat(cadence.ticked(1_500, false)).as("work 600 ms ago").isNull();
        assertThat(cadence.ticked(1_900, false)).isEqualTo(IDLE);
    }

    @Test
    void a_timer_found_due_on_an_idle_tick_brings_back_the_analysis_interval() {
        cadence.ticked(1_000, false);
        assertThat(cadence.ticked(6_000, true)).isEqualTo(BUSY);
        assertThat(cadence.idle()).isFalse();
    }

    @Test
    void an_idle_interval_no_longer_than_the_analysis_interval_never_changes_the_tick() {
        AnalysisCadence fixed = new AnalysisCadence(BUSY, BUSY, Duration.ZERO, 0);
        for (long t = 10; t < 10_000; t += 10) {
            assertThat(fixed.ticked(t, false)).isNull();
        }
        assertThat(fixed.marked(10_000)).isNull();
        assertThat(fixed.idle()).isFalse();
    }
}
