package io.strideback.intake.domain;

import io.strideback.events.vocabulary.SessionType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 17: how a FIT session reads as a Strideback session, in the watch's units and sports. */
class WatchSessionRulesTest {

    @ParameterizedTest(name = "FIT sport {0} is a {1}")
    @CsvSource({
            "RUNNING, RUN", "WALKING, WALK", "HIKING, WALK", "TRAINING, STRENGTH",
            "CYCLING, CROSS_TRAINING", "SWIMMING, CROSS_TRAINING", "GENERIC, CROSS_TRAINING"})
    void sport_to_session_type(String fitSport, SessionType expected) {
        assertThat(WatchSessionRules.sessionType(fitSport)).isEqualTo(expected);
    }

    @Test
    void a_session_without_a_sport_is_cross_training() {
        assertThat(WatchSessionRules.sessionType(null)).isEqualTo(SessionType.CROSS_TRAINING);
    }

    @Test
    void running_cadence_counts_one_foot_so_steps_are_twice_it_with_its_fraction() {
        // given 82 strides a minute and a fractional part of 0.5 / when converted / then 165 steps a minute
        assertThat(WatchSessionRules.stepsPerMinute((short) 82, 0.5f)).isEqualTo(165);
        assertThat(WatchSessionRules.stepsPerMinute((short) 85, null)).isEqualTo(170);
    }

    @Test
    void no_recorded_cadence_stays_unrecorded() {
        assertThat(WatchSessionRules.stepsPerMinute(null, 0.5f)).isNull();
    }

    @Test
    void metres_become_kilometres_and_seconds_minutes() {
        assertThat(WatchSessionRules.kilometres(5234f)).isEqualTo(5.234);
        assertThat(WatchSessionRules.minutes(1830f)).isEqualTo(30.5);
        assertThat(WatchSessionRules.kilometres(null)).isNull();
    }
}
