package io.strideback.loadmonitor.domain;

/**
 * A single-run spike: a run more than 10% longer than the longest run of the previous 30 days (Frandsen 2025:
 * +10-30% HR 1.64, >100% HR 2.28). Needs a previous run to compare with.
 */
final class Spike {

    private Spike() {
    }

    /** This run's distance over the longest run that started in the 30 days before it; null when not comparable. */
    static Double ratio(TrainingSession run, History history) {
        Double km = run.runKm();
        if (km == null) {
            return null;
        }
        Double longestBefore = null;
        for (TrainingSession previous : history.runsStarting(run.startedAt().minus(history.rules.spikeWindow()),
                run.startedAt())) {
            Double p = previous.runKm();
            if (p != null && p > 0 && (longestBefore == null || p > longestBefore)) {
                longestBefore = p;
            }
        }
        return longestBefore == null ? null : km / longestBefore;
    }

    static boolean isSpike(Double ratio, ClinicRules rules) {
        // "More than 10% longer": exactly +10% is not a spike (the epsilon absorbs binary rounding of km values).
        return ratio != null && ratio > 1.0 + rules.spikeIncrease() + Km.EPSILON;
    }
}
