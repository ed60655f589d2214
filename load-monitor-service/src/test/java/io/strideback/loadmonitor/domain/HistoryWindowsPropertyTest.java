package io.strideback.loadmonitor.domain;

import io.strideback.events.vocabulary.SymptomContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15 (JFR of the load monitor in figure 1): a window of reports is no longer sorted whole, and a baseline is
 * counted by pain instead of sorted. On random histories crowded with reports that share an instant, both give
 * exactly what the full sort gave: the window in {@link History#SAME_INSTANT} order, the median of the 7 days before.
 */
class HistoryWindowsPropertyTest {

    private static final ClinicRules RULES = ClinicRules.defaults();

    @Test
    void a_window_of_reports_comes_in_the_order_a_full_sort_by_same_instant_gives() {
        for (int seed = 0; seed < 60; seed++) {
            Random random = new Random(seed);
            List<SymptomReport> reports = new ArrayList<>();
            History history = crowdedHistory(random, "w" + seed, reports);
            for (int k = 0; k < 40; k++) {
                Instant from = reports.get(random.nextInt(reports.size())).observedAt();
                Instant to = random.nextInt(5) == 0 ? from
                        : from.plus(Duration.ofHours(random.nextInt(24 * 14)));
                assertThat(history.reportsThrough(from, to)).as("seed %d [%s, %s]", seed, from, to)
                        .containsExactlyElementsOf(sortedWindow(reports, from, to, true));
                assertThat(history.reportsBetween(from, to)).as("seed %d [%s, %s)", seed, from, to)
                        .containsExactlyElementsOf(sortedWindow(reports, from, to, false));
            }
        }
    }

    @Test
    void a_baseline_is_the_median_pain_of_the_reports_in_the_seven_days_before() {
        int baselines = 0;
        for (int seed = 0; seed < 60; seed++) {
            Random random = new Random(seed);
            List<SymptomReport> reports = new ArrayList<>();
            History history = crowdedHistory(random, "b" + seed, reports);
            for (SymptomReport report : reports) {
                OptionalDouble expected = sortedMedian(reports, report);
                assertThat(FlareUpOnset.baseline(report, history)).as("seed %d %s", seed, report.eventId())
                        .isEqualTo(expected);
                baselines += expected.isPresent() ? 1 : 0;
            }
        }
        assertThat(baselines).as("reports that have a baseline").isGreaterThan(1_000);
    }

    /** A random history plus, at a third of its reports' instants, one to three more reports at that instant. */
    private static History crowdedHistory(Random random, String athleteId, List<SymptomReport> reports) {
        RandomHistory h = RandomHistory.generate(random, athleteId);
        reports.addAll(h.reports);
        int n = 0;
        for (SymptomReport r : h.reports) {
            if (random.nextInt(3) == 0) {
                for (int k = 1 + random.nextInt(3); k > 0; k--) {
                    // Ids drawn at random, so an id's order is not the clinical order at that instant.
                    reports.add(new SymptomReport(Integer.toHexString(random.nextInt()) + "-" + n++, r.observedAt(),
                            random.nextInt(SymptomReport.MAX_PAIN + 1), r.location(), r.character(),
                            SymptomContext.values()[random.nextInt(SymptomContext.values().length)], r.redFlags()));
                }
            }
        }
        return new History(AthleteTimeline.of(h.profile, h.sessions, reports), RULES);
    }

    /** What {@code History} answered before: every report in the window, sorted whole by {@link History#SAME_INSTANT}. */
    private static List<SymptomReport> sortedWindow(List<SymptomReport> reports, Instant from, Instant to,
                                                    boolean toInclusive) {
        List<SymptomReport> out = new ArrayList<>();
        for (SymptomReport r : reports) {
            Instant t = r.observedAt();
            if (!t.isBefore(from) && (toInclusive ? !t.isAfter(to) : t.isBefore(to))) {
                out.add(r);
            }
        }
        out.sort(History.SAME_INSTANT);
        return out;
    }

    /** The baseline as it was computed before: the pains of the 7 days before, sorted, their median. */
    private static OptionalDouble sortedMedian(List<SymptomReport> reports, SymptomReport report) {
        List<Integer> pains = new ArrayList<>();
        for (SymptomReport r : sortedWindow(reports, report.observedAt().minus(RULES.baselineWindow()),
                report.observedAt(), false)) {
            pains.add(r.pain());
        }
        if (pains.size() < RULES.baselineMinReports()) {
            return OptionalDouble.empty();
        }
        pains.sort(null);
        int n = pains.size();
        return OptionalDouble.of(n % 2 == 1 ? pains.get(n / 2) : (pains.get(n / 2 - 1) + pains.get(n / 2)) / 2.0);
    }
}
