package io.strideback.plan.domain;

/**
 * One exercise of the current phase's prescription, with why it is there (and its source).
 * {@code suspended} is true while an urgent referral stops loading (seed 004), or while calf isometric
 * holds replace loaded raises after a flare-up (seed 000): the exercise stays visible so nobody has to
 * rebuild the plan afterwards.
 */
public record PrescribedExercise(String name, int sets, String reps, String load, String frequency, String why,
                                 boolean suspended) {

    public PrescribedExercise(String name, int sets, String reps, String load, String frequency, String why) {
        this(name, sets, reps, load, frequency, why, false);
    }

    PrescribedExercise replacedByIsometricsUntil(java.time.Instant until) {
        return new PrescribedExercise(name, sets, reps, load,
                "replaced by calf isometric holds until " + until + " after a flare-up (seed 000)", why, true);
    }

    PrescribedExercise suspendedForReferral() {
        return new PrescribedExercise(name, sets, reps, load,
                "suspended until a clinician clears the urgent referral", why, true);
    }
}
