package io.strideback.loadmonitor.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #14: the incremental analysis is an optimisation, never a second opinion. For generated histories, events
 * are added one at a time through {@link IncrementalAnalysis#next} and after EVERY step its findings equal
 * {@link LoadMonitor#analyse} on the same set of events: the same episodes, patterns, adjustments with their ids
 * and the same load summary. Three arrival patterns: a shuffled order (mostly events older than the checkpoint,
 * so mostly full replays), a wearable's order (time order with a third of the events synced hours to days late,
 * mostly resumed from the checkpoint) and plain time order (always resumed); and four checkpoint lags, from none
 * to a year.
 */
class IncrementalAnalysisPropertyTest {

    private static final int HISTORIES = 4;
    private static final List<Duration> LAGS =
            List.of(Duration.ZERO, Duration.ofDays(2), Duration.ofDays(10), Duration.ofDays(365));

    @Test
    void events_added_one_at_a_time_give_after_every_step_the_findings_of_a_full_analysis() {
        Random random = new Random(1414);
        long resumed = 0;
        long steps = 0;
        for (int h = 0; h < HISTORIES; h++) {
            // given a generated history, in the athlete's zone or the clinic's, with default or other windows
            RandomHistory history = RandomHistory.generate(random, "ath-" + h);
            AthleteProfile p = history.profile;
            AthleteProfile profile = h % 3 == 0 ? new AthleteProfile(p.athleteId(), p.clinicId(), p.diagnosis(),
                    p.injuryDate(), p.declaredSymptomFreeRunKm(), ZoneId.of("Australia/Sydney")) : p;
            ClinicRules rules = switch (h % 4) {
                case 1 -> ClinicRules.defaults().toBuilder().clinicZone(ZoneId.of("America/New_York")).build();
                case 2 -> ClinicRules.defaults().toBuilder().patternWindow(Duration.ofDays(20))
                        .settledWindow(Duration.ofDays(5)).settledMinRuns(2).joinWindow(Duration.ofHours(30))
                        .build();
                default -> ClinicRules.defaults();
            };
            List<Object> events = history.events();
            Duration lag = LAGS.get(h % LAGS.size());

            for (String order : List.of("shuffled", "wearable", "time")) {
                List<Object> arriving = arrival(order, events, random);
                // when they are added one at a time (with a few redeliveries) through the incremental path
                IncrementalAnalysis analysis = new IncrementalAnalysis(lag);
                AthleteTimeline timeline = AthleteTimeline.of(profile);
                for (int i = 0; i < arriving.size(); i++) {
                    Object event = arriving.get(i);
                    timeline = RandomHistory.add(timeline, event);
                    Findings incremental = analysis.next(timeline, timeOf(event), rules);
                    // then after every step the findings are those of the whole set analysed at once
                    assertThat(incremental).as("history %d, %s order, lag %s, step %d", h, order, lag, i)
                            .isEqualTo(LoadMonitor.analyse(timeline, rules));
                    steps++;
                    resumed += analysis.lastWasFull() ? 0 : 1;
                }
                assertThat(analysis.approximateBytes()).isPositive();
            }
        }
        // the property has to have exercised the incremental path, not only full replays (the shuffled order is
        // mostly full replays, the wearable's and time order mostly resumed)
        assertThat(resumed).as("steps resumed from a checkpoint of %d", steps).isGreaterThan(steps / 3);
    }

    /**
     * Round 16, analysed as of a later instant: a wall clock runs along a wearable's arrivals, and whenever the
     * previous findings named a due instant the clock has passed, a call with no new event (a timer) comes first, as
     * the monitor's punctuation makes it. After every call the findings equal a full analysis as of that clock; and
     * they are the same at any instant before the next due one (time changes them only at due instants).
     */
    @Test
    void with_a_clock_and_timers_in_between_every_step_gives_the_findings_as_of_its_clock() {
        Random random = new Random(1616);
        long timersFired = 0;
        for (int h = 0; h < HISTORIES; h++) {
            RandomHistory history = RandomHistory.generate(random, "ath-clock-" + h);
            ClinicRules rules = h % 2 == 0 ? ClinicRules.defaults()
                    : ClinicRules.defaults().toBuilder().settledWindow(Duration.ofDays(5)).settledMinRuns(2)
                    .joinWindow(Duration.ofHours(30)).build();
            List<Object[]> arrivals = new ArrayList<>();
            for (Object e : history.events()) {
                Instant arrives = timeOf(e);
                if (random.nextInt(3) == 0) {
                    arrives = arrives.plus(Duration.ofMinutes(random.nextInt(20 * 24 * 60)));
                }
                arrivals.add(new Object[]{arrives, e});
            }
            arrivals.sort(Comparator.comparing(a -> (Instant) a[0]));
            // the clock runs on after the last arrival too: what the quiet end of the history makes due
            Instant end = ((Instant) arrivals.get(arrivals.size() - 1)[0]).plus(Duration.ofDays(60));
            arrivals.add(new Object[]{end, null});

            IncrementalAnalysis analysis = new IncrementalAnalysis(LAGS.get(h % LAGS.size()));
            AthleteTimeline timeline = AthleteTimeline.of(history.profile);
            FindingsAsOf last = null;
            for (int i = 0; i < arrivals.size(); i++) {
                Instant clock = (Instant) arrivals.get(i)[0];
                while (last != null && last.nextChangeAt() != null && !last.nextChangeAt().isAfter(clock)) {
                    Instant due = last.nextChangeAt();
                    last = analysis.next(timeline, Instant.MAX, rules, due);
                    assertThat(last).as("history %d, timer at %s", h, due)
                            .isEqualTo(LoadMonitor.analyse(timeline, rules, due));
                    timersFired++;
                }
                Object event = arrivals.get(i)[1];
                if (event == null) {
                    continue;
                }
                timeline = RandomHistory.add(timeline, event);
                last = analysis.next(timeline, timeOf(event), rules, clock);
                assertThat(last).as("history %d, step %d", h, i).isEqualTo(LoadMonitor.analyse(timeline, rules, clock));
                // the same findings at any instant before the next due one
                Instant upTo = last.nextChangeAt() == null ? clock.plus(Duration.ofDays(400)) : last.nextChangeAt();
                Instant between = clock.plusMillis((long) (random.nextDouble() * Duration.between(clock, upTo).toMillis()));
                if (between.isBefore(upTo)) {
                    assertThat(LoadMonitor.analyse(timeline, rules, between).findings()).as("history %d, step %d", h, i)
                            .isEqualTo(last.findings());
                }
            }
            // and a clock at the latest event is the engine without one
            Instant latest = timeline.latestEventTime().orElseThrow();
            assertThat(LoadMonitor.analyse(timeline, rules, latest).findings())
                    .isEqualTo(LoadMonitor.analyse(timeline, rules));
        }
        assertThat(timersFired).as("timers that fired").isPositive();
    }

    @Test
    void an_event_older_than_the_checkpoint_or_new_rules_replay_the_whole_timeline_with_the_same_result() {
        Random random = new Random(7);
        RandomHistory history = RandomHistory.generate(random, "ath-late");
        List<Object> events = new ArrayList<>(history.events());
        events.sort(Comparator.comparing(IncrementalAnalysisPropertyTest::timeOf));
        Object oldest = events.remove(0);
        IncrementalAnalysis analysis = new IncrementalAnalysis(Duration.ofDays(2));
        AthleteTimeline timeline = AthleteTimeline.of(history.profile);
        for (Object e : events) {
            timeline = RandomHistory.add(timeline, e);
            analysis.next(timeline, timeOf(e), ClinicRules.defaults());
        }
        assertThat(analysis.lastWasFull()).isFalse();

        // an event older than everything: a full replay
        timeline = RandomHistory.add(timeline, oldest);
        assertThat(analysis.next(timeline, timeOf(oldest), ClinicRules.defaults()))
                .isEqualTo(LoadMonitor.analyse(timeline, ClinicRules.defaults()));
        assertThat(analysis.lastWasFull()).isTrue();

        // the clinic changes a setting: a full replay under the new rules
        ClinicRules stricter = ClinicRules.defaults().toBuilder().flareUpPain(4).build();
        Instant latest = timeline.latestEventTime().orElseThrow();
        assertThat(analysis.next(timeline, latest, stricter)).isEqualTo(LoadMonitor.analyse(timeline, stricter));
        assertThat(analysis.lastWasFull()).isTrue();

        // and the latest event again (a redelivery) resumes from the checkpoint
        assertThat(analysis.next(timeline, latest, stricter)).isEqualTo(LoadMonitor.analyse(timeline, stricter));
        assertThat(analysis.lastWasFull()).isFalse();
    }

    private static List<Object> arrival(String order, List<Object> events, Random random) {
        List<Object> out = new ArrayList<>(events);
        switch (order) {
            case "shuffled" -> Collections.shuffle(out, random);
            case "time" -> out.sort(Comparator.comparing(IncrementalAnalysisPropertyTest::timeOf));
            default -> {
                // a wearable's sync: each event arrives at its time, a third of them hours to days later
                List<Object[]> withArrival = new ArrayList<>();
                for (Object e : out) {
                    Instant arrives = timeOf(e);
                    if (random.nextInt(3) == 0) {
                        arrives = arrives.plus(Duration.ofMinutes(random.nextInt(4 * 24 * 60)));
                    }
                    withArrival.add(new Object[]{arrives, e});
                }
                withArrival.sort(Comparator.comparing(a -> (Instant) a[0]));
                out.clear();
                withArrival.forEach(a -> out.add(a[1]));
            }
        }
        for (int redelivery = 0; redelivery < 3; redelivery++) {
            out.add(random.nextInt(out.size()), events.get(random.nextInt(events.size())));
        }
        return out;
    }

    static Instant timeOf(Object event) {
        return event instanceof TrainingSession s ? s.startedAt() : ((SymptomReport) event).observedAt();
    }
}
