package io.strideback.loadmonitor.streams;

import io.strideback.events.vocabulary.RedFlag;
import io.strideback.events.vocabulary.RunIntensity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #14, the replay's pace: while the monitor reads records written long before (a replay, a fresh instance),
 * marked athletes wait the catch-up interval rather than 20 ms, so a backlog's events are analysed in batches; caught
 * up, every 20 ms again. Issue #15: "behind" is the age of the records the task reads (the driver's wall clock minus
 * the record's timestamp), so live traffic never waits the catch-up interval, however busy the input. Nothing marked
 * is ever left: the athletes waiting are counted for /q/metrics (the bench's replay waits for none).
 */
class CatchUpPaceTest {

    @TempDir
    Path stateDir;

    private final AtomicInteger awaiting = new AtomicInteger();
    private final MonitorMeters meters = new MonitorMeters() {
        @Override
        public void awaitingAnalysis(int change) {
            awaiting.addAndGet(change);
        }
    };
    private final AnalysisPace pace = new AnalysisPace(MonitorTopology.DEFAULT_ANALYSIS_INTERVAL,
            Duration.ofSeconds(1), Duration.ofSeconds(2));

    @Test
    void a_red_flag_read_as_it_is_written_is_analysed_at_the_next_tick() {
        try (MonitorDriver m = new MonitorDriver(stateDir, "clinic-1", "ath-1", meters, pace)) {
            m.pipe(m.enrolment(3.0));

            // written now (the driver's wall clock starts at the real one): a live report
            m.pipe(m.redFlag("swelling", Instant.now(), RedFlag.SWELLING));

            assertThat(m.currentPatterns()).anySatisfy(p -> assertThat(p).startsWith("RED_FLAG|"));
            assertThat(m.adjustments()).isNotEmpty();
            assertThat(awaiting).hasValue(0);
        }
    }

    @Test
    void reading_old_records_the_marked_athletes_wait_the_catch_up_interval_then_are_analysed_once() {
        try (MonitorDriver m = new MonitorDriver(stateDir, "clinic-1", "ath-1", meters, pace)) {
            m.pipe(m.enrolment(3.0));

            // written months ago (MonitorDriver's days are in March 2026): a replay
            m.pipe(m.redFlag("swelling", MonitorDriver.day(0, "10:00"), RedFlag.SWELLING));
            m.pipe(m.run("r1", MonitorDriver.day(1, "18:00"), 5.0, RunIntensity.EASY));

            assertThat(m.currentPatterns()).as("behind: not analysed at the next 20 ms tick").isEmpty();
            assertThat(m.toAnalyse().get(m.key())).isNotNull();
            assertThat(awaiting).hasValue(1);

            m.wallClock(Duration.ofSeconds(1));

            assertThat(m.currentPatterns()).anySatisfy(p -> assertThat(p).startsWith("RED_FLAG|"));
            // round 16: the red flag's episode was due to be shown ended in March (72 h after the report); the wall
            // clock has passed that, and this pace has no quiet time, so its timer is due as soon as the analysis
            // names it; round 17: a tick takes due timers with what it has left after the marked athletes, the same tick
            assertThat(m.view().findings().episodes().get(0).endedAt()).isNotNull();
            assertThat(m.toAnalyse().get(m.key())).isNull();
            assertThat(awaiting).hasValue(0);
        }
    }

    @Test
    void once_the_records_read_are_fresh_again_the_waiting_athletes_are_analysed_at_the_next_tick() {
        try (MonitorDriver m = new MonitorDriver(stateDir, "clinic-1", "ath-1", meters, pace)) {
            m.pipe(m.enrolment(3.0));
            m.pipe(m.redFlag("swelling", MonitorDriver.day(0, "10:00"), RedFlag.SWELLING));
            assertThat(m.toAnalyse().get(m.key())).isNotNull();

            // one tick (20 ms) after a record written now was read
            m.pipe(m.run("r1", Instant.now(), 5.0, RunIntensity.EASY));

            assertThat(m.toAnalyse().get(m.key())).as("analysed, its mark deleted").isNull();
            assertThat(m.findings()).isNotEmpty();
            assertThat(awaiting).hasValue(0);
        }
    }

    @Test
    void behind_is_the_age_of_the_record_read_against_the_threshold() {
        AnalysisPace twoSeconds = new AnalysisPace(Duration.ofMillis(20), Duration.ofSeconds(1), Duration.ofSeconds(2));

        assertThat(twoSeconds.catchingUp(150)).as("live: read 150 ms after it was written").isFalse();
        assertThat(twoSeconds.catchingUp(2_000)).isFalse();
        assertThat(twoSeconds.catchingUp(2_001)).isTrue();
        assertThat(AnalysisPace.every(Duration.ofMillis(20)).catchingUp(Long.MAX_VALUE - 1)).isFalse();
    }
}
