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
        // One scan of the window's sessions: a list of its runs walked with boxed distances made C2 run out of nodes
        // on this method and on FlareUpClassifier.evidence, which inlines it (2.3-4.9 s of a compiler thread each,
        // wasted, during figure 4 in every run measured; round 19, README "Speed").
        double longestBefore = history.longestRunKmBefore(run.startedAt().minus(history.rules.spikeWindow()),
                run.startedAt());
        return longestBefore > 0 ? km / longestBefore : null;
    }

    static boolean isSpike(Double ratio, ClinicRules rules) {
        // "More than 10% longer": exactly +10% is not a spike (the epsilon absorbs binary rounding of km values).
        return ratio != null && ratio > 1.0 + rules.spikeIncrease() + Km.EPSILON;
    }
}
