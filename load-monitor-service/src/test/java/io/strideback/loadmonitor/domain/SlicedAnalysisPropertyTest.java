package io.strideback.loadmonitor.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Round 9: a long history is analysed in slices (the load monitor's punctuation is bounded). Taking an athlete's
 * timeline in slices of at most n events ({@link AthleteTimeline#sliceEnd}, {@link AthleteTimeline#before}) through
 * {@link IncrementalAnalysis#next} ends with the findings of {@link LoadMonitor#analyse} on the whole set, whatever n,
 * from the first event or from a later one; a slice never splits one event time and always moves on.
 */
class SlicedAnalysisPropertyTest {

    @Test
    void slices_of_any_size_end_with_the_findings_of_a_full_analysis() {
        Random random = new Random(909);
        for (int h = 0; h < 4; h++) {
            RandomHistory history = RandomHistory.generate(random, "ath-" + h);
            AthleteTimeline timeline = history.sortedTimeline();
            Findings whole = LoadMonitor.analyse(timeline, ClinicRules.defaults());
            for (int n : List.of(1, 2, 7, 40, timeline.size())) {
                IncrementalAnalysis analysis = new IncrementalAnalysis();
                Instant from = null;
                int slices = 0;
                Findings last;
                while (true) {
                    Instant end = timeline.sliceEnd(from, n);
                    slices++;
                    if (end == null) {
                        last = analysis.next(timeline, from, ClinicRules.defaults());
                        break;
                    }
                    assertThat(from == null || end.isAfter(from)).as("a slice moves on").isTrue();
                    AthleteTimeline slice = timeline.before(end);
                    assertThat(slice.size() - (from == null ? 0 : timeline.before(from).size()))
                            .as("history %d, slice of at most %d events (one time never split)", h, n)
                            .isLessThanOrEqualTo(Math.max(n, sameTimeEvents(timeline)));
                    analysis.next(slice, from, ClinicRules.defaults());
                    from = end;
                }
                assertThat(last).as("history %d in %d slices of %d", h, slices, n).isEqualTo(whole);
                assertThat(slices).as("sliced when longer than a slice").isEqualTo(n >= timeline.size() ? 1
                        : Math.max(slices, 2));
            }
        }
    }

    @Test
    void events_at_one_time_go_in_one_slice_and_a_slice_always_moves_on() {
        RandomHistory history = RandomHistory.generate(new Random(3), "ath-tie");
        TrainingSession first = history.sessions.get(0);
        List<TrainingSession> sessions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sessions.add(new TrainingSession("tie-" + i, "s-" + i, first.type(), first.startedAt(),
                    first.durationMin(), first.rpe(), first.distanceKm(), first.intensity(), first.cadenceSpm(),
                    first.exercises()));
        }
        TrainingSession later = history.sessions.get(history.sessions.size() - 1);
        sessions.add(later);
        AthleteTimeline timeline = AthleteTimeline.of(history.profile, sessions, List.of());

        assertThat(timeline.sliceEnd(null, 2)).as("the five at one time, then the next").isEqualTo(later.startedAt());
        assertThat(timeline.before(later.startedAt()).size()).isEqualTo(5);
        assertThat(timeline.sliceEnd(later.startedAt(), 1)).as("what is left fits").isNull();
        assertThat(timeline.sliceEnd(null, 6)).isNull();
        assertThatThrownBy(() -> timeline.sliceEnd(null, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static int sameTimeEvents(AthleteTimeline timeline) {
        java.util.Map<Instant, Integer> byTime = new java.util.HashMap<>();
        timeline.sessions().forEach(s -> byTime.merge(s.startedAt(), 1, Integer::sum));
        timeline.symptoms().forEach(r -> byTime.merge(r.observedAt(), 1, Integer::sum));
        return byTime.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }
}
