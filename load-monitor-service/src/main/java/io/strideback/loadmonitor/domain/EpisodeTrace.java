package io.strideback.loadmonitor.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An episode as the reports built it, before classification: which reports belong to it, and when it ended
 * and from which event on that end is known.
 */
final class EpisodeTrace {

    final SymptomReport onset;
    final String onsetRule;
    /** The first report's classification: the episode's (DOMAIN.md: an episode takes its first report's class). */
    final FlareUpClassifier.Classification classification;
    private final List<SymptomReport> reports = new ArrayList<>();
    private Instant lastReportAt;
    private Instant lastFlaringAt;
    private Instant endedAt;
    private Instant endKnownAt;

    /** The finding made once the episode ended (it cannot change after that); null before. */
    FlareUpEpisode finding;

    EpisodeTrace(SymptomReport onset, String onsetRule, FlareUpClassifier.Classification classification) {
        this.onset = onset;
        this.onsetRule = onsetRule;
        this.classification = classification;
        this.reports.add(onset);
        this.lastReportAt = onset.observedAt();
        this.lastFlaringAt = onset.observedAt();
    }

    private EpisodeTrace(EpisodeTrace other) {
        this.onset = other.onset;
        this.onsetRule = other.onsetRule;
        this.classification = other.classification;
        this.reports.addAll(other.reports);
        this.lastReportAt = other.lastReportAt;
        this.lastFlaringAt = other.lastFlaringAt;
        this.endedAt = other.endedAt;
        this.endKnownAt = other.endKnownAt;
    }

    /** A copy that can go on growing without changing this one (a checkpoint's open episode). */
    EpisodeTrace copy() {
        return new EpisodeTrace(this);
    }

    /** A rough count of the heap this trace holds of its own (the reports are the timeline's). */
    long approximateBytes() {
        return 40 + 24 + 16 + 4L * reports.size();
    }

    void join(SymptomReport report, int settledPain) {
        reports.add(report);
        lastReportAt = report.observedAt();
        if (report.pain() > settledPain) {
            lastFlaringAt = report.observedAt();
        }
    }

    /**
     * A report that met no trigger, seen while the episode is open: not one of its reports, but it counts towards
     * ending it (DOMAIN.md rules v2): one above pain 2 keeps it going, and every report restarts the join window.
     */
    void countTowardsEnd(SymptomReport report, int settledPain) {
        lastReportAt = report.observedAt();
        if (report.pain() > settledPain) {
            lastFlaringAt = report.observedAt();
        }
    }

    void end(Instant endedAt, Instant knownAt) {
        this.endedAt = endedAt;
        this.endKnownAt = knownAt;
    }

    Instant onsetAt() {
        return onset.observedAt();
    }

    Instant lastReportAt() {
        return lastReportAt;
    }

    Instant lastFlaringAt() {
        return lastFlaringAt;
    }

    List<SymptomReport> reports() {
        return reports;
    }

    /** The end, or null while no event in the timeline shows it. */
    Instant endedAt() {
        return endedAt;
    }

    boolean endedAsOf(Instant t) {
        return endKnownAt != null && !endKnownAt.isAfter(t);
    }

    List<SymptomReport> reportsAsOf(Instant t) {
        List<SymptomReport> out = new ArrayList<>();
        for (SymptomReport r : reports) {
            if (!r.observedAt().isAfter(t)) {
                out.add(r);
            }
        }
        return out;
    }

    int peakPain() {
        return peakPainAsOf(Instant.MAX);
    }

    int peakPainAsOf(Instant t) {
        int peak = 0;
        for (SymptomReport r : reportsAsOf(t)) {
            peak = Math.max(peak, r.pain());
        }
        return peak;
    }
}
