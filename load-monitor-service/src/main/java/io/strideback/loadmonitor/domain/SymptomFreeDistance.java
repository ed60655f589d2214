package io.strideback.loadmonitor.domain;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The symptom-free distance (DOMAIN.md): the longest run in the last 42 days not followed by a flare-up within
 * 24 h. Seed 001: "identify the distance that the patient can run before onset of symptoms. Use this distance
 * for the patient's longest run".
 *
 * <p>As of a moment {@code m}, a run counts only once it has shown it: its 24 h after the end have passed by
 * {@code m} with no report meeting a flare-up trigger between its start and then: an onset or a report joining an
 * open episode (rules v2; in v1 a report joining an episode went unseen and the run counted as symptom-free). A
 * flare-up of either classification excludes the run (the definition does not ask why). While no run in the 42 days has shown a symptom-free distance, the
 * distance the clinician declared at enrolment stands (before any run history, and also when every recent run
 * flared: the athlete's runs have not shown anything better); with nothing declared there is none (null).
 */
final class SymptomFreeDistance {

    /** The distance, and the run that showed it (null when it is the declared distance). */
    record Measured(double km, TrainingSession run) {
        boolean declared() {
            return run == null;
        }
    }

    private final History history;
    /** Asked for the same moments again and again (each event time, each run's start): worked out once each. */
    private final Map<Instant, Optional<Measured>> known = new HashMap<>();

    SymptomFreeDistance(History history) {
        this.history = history;
    }

    /** The symptom-free distance as of {@code m}, or null when none is known. */
    Measured asOf(Instant m) {
        Optional<Measured> measured = known.get(m);
        if (measured == null) {
            measured = Optional.ofNullable(measure(m));
            known.put(m, measured);
        }
        return measured.orElse(null);
    }

    private Measured measure(Instant m) {
        ClinicRules rules = history.rules;
        TrainingSession longest = null;
        for (TrainingSession run : history.runsStarting(m.minus(rules.symptomFreeWindow()), m)) {
            if (run.runKm() != null && shownSymptomFree(run, m)
                    && (longest == null || run.runKm() > longest.runKm())) {
                longest = run;
            }
        }
        if (longest != null) {
            return new Measured(longest.runKm(), longest);
        }
        Double declared = history.profile.declaredSymptomFreeRunKm();
        return declared == null ? null : new Measured(declared, null);
    }

    /** True when a report known before {@code m} met a trigger during the run or within 24 h after it. */
    boolean followedByFlareUp(TrainingSession run, Instant m) {
        Instant until = run.endedAt().plus(history.rules.symptomFreeFollowUp());
        // Onsets and reports joining an open episode alike: every report that met a trigger (rules v2).
        for (SymptomReport r : history.reportsThrough(run.startedAt(), until)) {
            if (r.observedAt().isBefore(m) && history.trigger(r).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /** True when, as of {@code m}, the run's 24 h follow-up is over and no flare-up started in it. */
    boolean shownSymptomFree(TrainingSession run, Instant m) {
        return !run.endedAt().plus(history.rules.symptomFreeFollowUp()).isAfter(m) && !followedByFlareUp(run, m);
    }

    /** "Longer than the symptom-free distance"; with none known, no distance has been shown safe, so any run is. */
    static boolean longerThan(double km, Measured sfd) {
        return sfd == null || km > sfd.km() + Km.EPSILON;
    }
}
