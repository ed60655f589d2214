package io.strideback.loadmonitor.domain;

import io.strideback.events.vocabulary.FlareUpClassification;
import io.strideback.events.vocabulary.SymptomContext;

import java.time.Instant;

/**
 * Classifies a flare-up report on its own (DOMAIN.md rules v2 "Classification"); an episode takes its first
 * report's class, and a report joins only an open episode of its own class ({@link FlareUpDetector}):
 * <ul>
 *   <li>onset DURING_RUN or AFTER_RUN: RUNNING_TRIGGERED (ONSET_DURING_RUN, ONSET_AFTER_RUN); the triggering run is
 *       the latest run that started before the report and ended at most 24 h before it, when one is logged;</li>
 *   <li>any other onset within 24 h after the end of a qualifying run, one longer than the symptom-free distance
 *       (as it stood when the run started), faster than EASY, or a spike: RUNNING_TRIGGERED, rule
 *       WITHIN_24H_OF_LONGER_THAN_SYMPTOM_FREE_RUN, ..._FASTER_THAN_EASY_RUN or ..._SPIKE_RUN (first that holds, in
 *       that order, for the latest qualifying run);</li>
 *   <li>a NIGHT onset qualifies only after a run earlier the same calendar day, the athlete's day
 *       (NIGHT_AFTER_RUN_SAME_DAY). Seed 000: the night cramp came first, the pulling on the next day's run after;
 *       a run the evening before does not make a cramp after midnight running-triggered;</li>
 *   <li>every other onset is RANDOM, and the rule names its context (RANDOM_WALKING, RANDOM_AT_REST, RANDOM_NIGHT,
 *       RANDOM_MORNING, RANDOM_DURING_STRENGTH) so a strength-work onset is visible as such.</li>
 * </ul>
 * Only runs before the report matter, so a classification never changes as later time passes; it changes only when
 * a late event (a run synced days later) lands before the report.
 */
final class FlareUpClassifier {

    static final String ONSET_DURING_RUN = "ONSET_DURING_RUN";
    static final String ONSET_AFTER_RUN = "ONSET_AFTER_RUN";
    static final String NIGHT_AFTER_RUN_SAME_DAY = "NIGHT_AFTER_RUN_SAME_DAY";

    /** One report's class, the rule that fired, its evidence and the triggering run (null when none). */
    record Classification(FlareUpClassification classification, String rule, ClassificationEvidence evidence,
                          TrainingSession run) {
    }

    private final History history;
    private final SymptomFreeDistance symptomFree;

    FlareUpClassifier(History history, SymptomFreeDistance symptomFree) {
        this.history = history;
        this.symptomFree = symptomFree;
    }

    static ClassifiedEpisode classified(EpisodeTrace trace) {
        Classification c = trace.classification;
        return new ClassifiedEpisode(DeterministicIds.episodeId(trace.onset.eventId()), trace,
                c.classification(), c.rule(), c.evidence(), c.run());
    }

    Classification classify(SymptomReport report) {
        Instant t = report.observedAt();
        SymptomContext context = report.context();
        ClinicRules rules = history.rules;

        if (context == SymptomContext.DURING_RUN || context == SymptomContext.AFTER_RUN) {
            TrainingSession run = latestRunBefore(t);
            return new Classification(FlareUpClassification.RUNNING_TRIGGERED,
                    context == SymptomContext.DURING_RUN ? ONSET_DURING_RUN : ONSET_AFTER_RUN,
                    evidence(run, context), run);
        }

        String window = "WITHIN_" + rules.qualifyingRunWindow().toHours() + "H_OF_";
        // Latest run first: the run closest before the onset is the one that explains it.
        for (TrainingSession run : history.runsMaybeEndingThrough(t.minus(rules.qualifyingRunWindow()), t)) {
            Instant end = run.endedAt();
            if (run.startedAt().isAfter(t) || end.isAfter(t) || end.plus(rules.qualifyingRunWindow()).isBefore(t)) {
                continue;
            }
            if (context == SymptomContext.NIGHT && !history.dateOf(run.startedAt()).equals(history.dateOf(t))) {
                continue;
            }
            String qualifies = qualifyingReason(run);
            if (qualifies != null) {
                String rule = context == SymptomContext.NIGHT ? NIGHT_AFTER_RUN_SAME_DAY : window + qualifies;
                return new Classification(FlareUpClassification.RUNNING_TRIGGERED, rule, evidence(run, context), run);
            }
        }
        return new Classification(FlareUpClassification.RANDOM, randomRule(context),
                ClassificationEvidence.noRun(context), null);
    }

    /** Why a run qualifies as a trigger, or null: longer than symptom-free, faster than EASY, or a spike. */
    String qualifyingReason(TrainingSession run) {
        Double km = run.runKm();
        if (km != null && SymptomFreeDistance.longerThan(km, symptomFree.asOf(run.startedAt()))) {
            return "LONGER_THAN_SYMPTOM_FREE_RUN";
        }
        if (run.fasterThanEasy()) {
            return "FASTER_THAN_EASY_RUN";
        }
        if (Spike.isSpike(Spike.ratio(run, history), history.rules)) {
            return "SPIKE_RUN";
        }
        return null;
    }

    private TrainingSession latestRunBefore(Instant t) {
        for (TrainingSession run : history.runsMaybeEndingThrough(t.minus(history.rules.qualifyingRunWindow()), t)) {
            if (!run.endedAt().plus(history.rules.qualifyingRunWindow()).isBefore(t)) {
                return run;
            }
        }
        return null;
    }

    private ClassificationEvidence evidence(TrainingSession run, SymptomContext context) {
        if (run == null) {
            return ClassificationEvidence.noRun(context);
        }
        return new ClassificationEvidence(run.sessionId(), run.eventId(), run.runKm(), run.intensity(),
                Spike.ratio(run, history), context);
    }

    private static String randomRule(SymptomContext context) {
        return context == null ? "RANDOM_CONTEXT_NOT_REPORTED" : "RANDOM_" + context.name();
    }
}
