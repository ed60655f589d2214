package io.strideback.loadmonitor.domain;

import java.util.Locale;

/**
 * One exercise of a logged strength session, as the athlete logged it (CONTRACT.md session body): any field but the
 * name may be missing. Seed 000: calf strength needs "<12 reps and RPE >7" to load the calf enough.
 *
 * @param name   e.g. SINGLE_LEG_CALF_RAISE_STRAIGHT_KNEE (free text from the client)
 * @param sets   sets done
 * @param reps   repetitions per set
 * @param loadKg added load
 * @param rpe    the exercise's rating of perceived exertion, 0-10
 */
public record StrengthExercise(String name, Integer sets, Integer reps, Double loadKg, Integer rpe) {

    /**
     * Calf work: raises (straight- and bent-knee, seated, heel raises) and soleus work, the calf-complex exercises
     * of the RESTORE_CAPACITY phase (DOMAIN.md "The plan"; seeds 001, 002, 004).
     */
    public boolean calfWork() {
        if (name == null) {
            return false;
        }
        String n = name.toUpperCase(Locale.ROOT);
        return n.contains("CALF") || n.contains("SOLEUS") || n.contains("HEEL_RAISE") || n.contains("HEEL RAISE");
    }
}
