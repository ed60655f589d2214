package io.strideback.loadmonitor.streams;

import io.strideback.events.vocabulary.RedFlag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.strideback.events.vocabulary.RunIntensity.EASY;
import static io.strideback.loadmonitor.streams.MonitorDriver.day;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * CONTRACT v2 erasure in the athlete monitor (issue 16 item 3): {@code athlete.erased} leaves no state and no view
 * of the athlete, only a one-byte erased marker under their ids; a late enrolment, run or red flag of the athlete
 * (a replay, a record published just before the erasure took effect) makes no state, no view and no announcement.
 */
class ErasedAthleteTest {

    @TempDir
    Path stateDir;

    @Test
    void an_erased_athlete_keeps_only_the_marker_and_late_events_make_nothing_again() {
        try (MonitorDriver m = new MonitorDriver(stateDir, "clinic-1", "ath-erased")) {
            m.pipe(m.enrolment(3.0), m.run("r1", day(0, "07:00"), 4.0, EASY), m.redFlag("s1", day(0, "19:00"),
                    RedFlag.SWELLING));
            assertThat(m.views().get(m.key())).isNotNull();
            int announcedBefore = m.announced().size();
            assertThat(announcedBefore).as("the red flag was announced").isPositive();

            m.pipe(m.erasure(day(1, "09:00")));
            assertThat(AthleteState.isErased(m.athletes().get(m.key()))).isTrue();
            assertThat(m.views().get(m.key())).isNull();
            assertThat(m.storedTimeline()).isEmpty();
            try (var left = m.events().all()) {
                assertThat(left.hasNext()).as("the athlete's events").isFalse();
            }

            m.pipe(m.enrolment(3.0), m.run("r2", day(2, "07:00"), 9.0, EASY), m.redFlag("s2", day(2, "19:00"),
                    RedFlag.DISCOLOURATION));
            assertThat(AthleteState.isErased(m.athletes().get(m.key()))).as("still only the marker").isTrue();
            assertThat(m.views().get(m.key())).isNull();
            try (var left = m.events().all()) {
                assertThat(left.hasNext()).as("no event of the erased athlete kept again").isFalse();
            }
            assertThat(m.announced()).as("nothing announced for the erased athlete").hasSize(announcedBefore);
            assertThat(m.deadLetters()).isEmpty();
        }
    }
}
