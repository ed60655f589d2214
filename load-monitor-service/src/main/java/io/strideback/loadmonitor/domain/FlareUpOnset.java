package io.strideback.loadmonitor.domain;

import io.strideback.events.vocabulary.PainCharacter;
import io.strideback.events.vocabulary.SymptomContext;

import java.time.LocalDate;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The four ways a symptom report starts a flare-up (DOMAIN.md "Flare-up"). When more than one holds, the rule
 * named is the first in this order: pain, baseline, pulling/sharp, morning. Rule names carry the clinic's
 * numbers, so with the defaults they read PAIN_AT_LEAST_5, BASELINE_PLUS_2, PULLING_OR_SHARP_AT_LEAST_3.
 */
final class FlareUpOnset {

    static final String MORNING_NOT_SETTLED = "MORNING_NOT_SETTLED";

    private FlareUpOnset() {
    }

    static Optional<String> trigger(SymptomReport report, History history) {
        ClinicRules rules = history.rules;
        // Above the acceptable band of the pain-monitoring model (Silbernagel 2007; seed 000: up to ~4/10 is fine).
        if (report.pain() >= rules.flareUpPain()) {
            return Optional.of("PAIN_AT_LEAST_" + rules.flareUpPain());
        }
        // A jump over the athlete's own recent level, which for a low-pain athlete matters before 5/10.
        OptionalDouble baseline = baseline(report, history);
        // Rules v2: and at least 3, so 2/10 over a baseline of 0 stays in the acceptable band.
        if (baseline.isPresent() && report.pain() >= baseline.getAsDouble() + rules.baselineMargin()
                && report.pain() >= rules.onsetMinPain()) {
            return Optional.of("BASELINE_PLUS_" + rules.baselineMargin());
        }
        // Seed 000: "I felt a slight pulling sensation" was the injury, at low pain.
        if ((report.has(PainCharacter.PULLING) || report.has(PainCharacter.SHARP))
                && report.pain() >= rules.pullingOrSharpPain()) {
            return Optional.of("PULLING_OR_SHARP_AT_LEAST_" + rules.pullingOrSharpPain());
        }
        // Pain that has not settled by the next morning (Silbernagel 2007 pain-monitoring model); rules v2: at 3 or
        // more, so a 1/10 morning after a 0/10 evening is not a flare-up. "The day before" is the athlete's day.
        if (report.context() == SymptomContext.MORNING && report.pain() >= rules.onsetMinPain()) {
            OptionalDouble lowestDayBefore = lowestPainOnDayBefore(report, history);
            if (lowestDayBefore.isPresent() && report.pain() > lowestDayBefore.getAsDouble()) {
                return Optional.of(MORNING_NOT_SETTLED);
            }
        }
        return Optional.empty();
    }

    /**
     * Median pain of the athlete's reports in the 7 days before; empty with fewer than 3 reports. Counted by pain
     * (a 0-10 scale), not sorted: the same median, at the cost of a count per report in the window (issue 15).
     */
    static OptionalDouble baseline(SymptomReport report, History history) {
        ClinicRules rules = history.rules;
        int[] counts = history.painCountsBetween(report.observedAt().minus(rules.baselineWindow()), report.observedAt());
        int n = 0;
        for (int c : counts) {
            n += c;
        }
        if (n < rules.baselineMinReports()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(n % 2 == 1 ? painAtRank(counts, n / 2)
                : (painAtRank(counts, n / 2 - 1) + painAtRank(counts, n / 2)) / 2.0);
    }

    /** The pain at {@code rank} (0 = the lowest) of the reports {@code counts} counts by pain. */
    private static int painAtRank(int[] counts, int rank) {
        int seen = 0;
        for (int pain = 0; pain < counts.length; pain++) {
            seen += counts[pain];
            if (seen > rank) {
                return pain;
            }
        }
        throw new IllegalArgumentException("rank " + rank + " of " + seen + " reports");
    }

    private static OptionalDouble lowestPainOnDayBefore(SymptomReport report, History history) {
        LocalDate dayBefore = history.dateOf(report.observedAt()).minusDays(1);
        int[] counts = history.painCountsBetween(history.startOf(dayBefore), history.startOf(dayBefore.plusDays(1)));
        for (int pain = 0; pain < counts.length; pain++) {
            if (counts[pain] > 0) {
                return OptionalDouble.of(pain);
            }
        }
        return OptionalDouble.empty();
    }
}
