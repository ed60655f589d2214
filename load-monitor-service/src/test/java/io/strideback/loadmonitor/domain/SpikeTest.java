package io.strideback.loadmonitor.domain;

import io.strideback.events.vocabulary.SessionType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A single-run spike compares a run with the longest run that started in the 30 days before it (DOMAIN.md
 * "Spike"). Round 19: the ratio is read from a scan of the window's sessions (C2 ran out of nodes compiling the
 * list-of-runs shape); these pin the window's edges and check the scan against that definition on random histories.
 */
class SpikeTest {

    private static final ClinicRules RULES = ClinicRules.defaults();
    private static final Instant MONDAY = Story.DAY_0.atTime(7, 0).toInstant(ZoneOffset.UTC);

    @Test
    void a_run_is_compared_with_the_longest_run_of_the_30_days_before_not_the_latest() {
        // given a 10 km run 20 days before and a 6 km run yesterday
        List<TrainingSession> sessions = List.of(run("a", MONDAY.minus(Duration.ofDays(20)), 10.0),
                run("b", MONDAY.minus(Duration.ofDays(1)), 6.0));
        // when an 11.5 km run follows
        Double ratio = ratioOf(run("c", MONDAY, 11.5), sessions);
        // then it is 15% over the longest, a spike
        assertThat(ratio).isCloseTo(1.15, within(1e-9));
        assertThat(Spike.isSpike(ratio, RULES)).isTrue();
    }

    @Test
    void the_window_holds_a_run_exactly_30_days_before_but_not_one_started_at_the_same_instant() {
        // given a 5 km run exactly 30 days before, an 8 km run just over 30 days before, another 20 km run at the
        // same instant as the run judged
        List<TrainingSession> sessions = List.of(run("old", MONDAY.minus(Duration.ofDays(30)).minusSeconds(1), 8.0),
                run("edge", MONDAY.minus(Duration.ofDays(30)), 5.0), run("twin", MONDAY, 20.0));
        // when a 6 km run is judged
        Double ratio = ratioOf(run("now", MONDAY, 6.0), sessions);
        // then it is compared with the 5 km run only
        assertThat(ratio).isCloseTo(1.2, within(1e-9));
    }

    @Test
    void without_an_earlier_run_with_a_distance_there_is_nothing_to_compare_with() {
        // given cross-training with a distance, a run without one and a run of 0 km in the window
        List<TrainingSession> sessions = List.of(
                new TrainingSession("x", "x", SessionType.CROSS_TRAINING, MONDAY.minus(Duration.ofDays(3)), 60, 5,
                        30.0, null, null),
                run("no-distance", MONDAY.minus(Duration.ofDays(2)), null),
                run("zero", MONDAY.minus(Duration.ofDays(1)), 0.0));
        // when a run is judged, then there is no ratio; and a session that is not a run has none either
        assertThat(ratioOf(run("now", MONDAY, 5.0), sessions)).isNull();
        assertThat(ratioOf(run("earlier", MONDAY.minus(Duration.ofDays(5)), 5.0), sessions)).isNull();
        assertThat(ratioOf(run("without", MONDAY, null), List.of(run("a", MONDAY.minus(Duration.ofDays(1)), 4.0))))
                .isNull();
    }

    @Test
    void on_random_histories_the_ratio_is_the_run_over_the_longest_earlier_run_in_the_window() {
        int compared = 0;
        for (int seed = 0; seed < 80; seed++) {
            RandomHistory h = RandomHistory.generate(new Random(seed), "s" + seed);
            History history = new History(h.sortedTimeline(), RULES);
            for (TrainingSession run : h.sessions) {
                Double expected = byDefinition(run, h.sessions);
                assertThat(Spike.ratio(run, history)).as("seed %d %s", seed, run.eventId()).isEqualTo(expected);
                compared += expected != null ? 1 : 0;
            }
        }
        assertThat(compared).as("runs that had an earlier run to compare with").isGreaterThan(1_000);
    }

    /** The rule as written: the longest distance over 0 of the runs that started in [start - 30 days, start). */
    private static Double byDefinition(TrainingSession run, List<TrainingSession> sessions) {
        if (run.runKm() == null) {
            return null;
        }
        Instant from = run.startedAt().minus(RULES.spikeWindow());
        Double longest = null;
        for (TrainingSession s : sessions) {
            Double km = s.runKm();
            if (km != null && km > 0 && !s.startedAt().isBefore(from) && s.startedAt().isBefore(run.startedAt())
                    && (longest == null || km > longest)) {
                longest = km;
            }
        }
        return longest == null ? null : run.runKm() / longest;
    }

    private static Double ratioOf(TrainingSession run, List<TrainingSession> before) {
        List<TrainingSession> all = new ArrayList<>(before);
        all.add(run);
        AthleteTimeline timeline = AthleteTimeline.of(Story.profile("spike", null), all, List.of());
        return Spike.ratio(run, new History(timeline, RULES));
    }

    private static TrainingSession run(String id, Instant at, Double km) {
        return new TrainingSession(id, id, SessionType.RUN, at, 45, 5, km, null, null);
    }
}
