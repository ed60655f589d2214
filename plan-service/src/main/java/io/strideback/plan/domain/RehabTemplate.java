package io.strideback.plan.domain;

import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.Phase;
import io.strideback.events.vocabulary.RunIntensity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The starting prescription and run limits for each diagnosis and phase (DOMAIN.md "The plan",
 * seeds 000-004). Calf pain in runners is a load problem until proven otherwise: the template
 * raises the calf complex's capacity, then brings running back within what the calf tolerates.
 * Doses are defaults a clinic can change; every exercise says why it is there.
 */
public final class RehabTemplate {

    public static final String WALKING = "WALKING";
    public static final String CALF_ISOMETRIC_HOLD = "CALF_ISOMETRIC_HOLD";
    public static final String NEURAL_GLIDES = "NEURAL_GLIDES";
    public static final String MODIFIED_HEEL_RAISE_WITH_BALL = "MODIFIED_HEEL_RAISE_WITH_BALL";
    public static final String SINGLE_LEG_CALF_RAISE_STRAIGHT_KNEE = "SINGLE_LEG_CALF_RAISE_STRAIGHT_KNEE";
    public static final String SINGLE_LEG_CALF_RAISE_BENT_KNEE = "SINGLE_LEG_CALF_RAISE_BENT_KNEE";
    public static final String SEATED_CALF_RAISE = "SEATED_CALF_RAISE";
    public static final String SOLEUS_SQUAT = "SOLEUS_SQUAT";
    public static final String TOE_FLEXOR_ISOMETRIC = "TOE_FLEXOR_ISOMETRIC";
    public static final String ANKLE_INVERSION_EVERSION_BAND = "ANKLE_INVERSION_EVERSION_BAND";
    public static final String SPLIT_SQUAT = "SPLIT_SQUAT";
    public static final String ROMANIAN_DEADLIFT = "ROMANIAN_DEADLIFT";
    public static final String HIP_THRUST = "HIP_THRUST";
    public static final String WALK_RUN = "WALK_RUN";
    public static final String EASY_RUN = "EASY_RUN";
    public static final String SHORT_INTERVALS = "SHORT_INTERVALS";
    public static final String POGO_HOPS = "POGO_HOPS";
    public static final String SPRINTS_AND_CHANGE_OF_DIRECTION = "SPRINTS_AND_CHANGE_OF_DIRECTION";

    /** Walk-run starting distance when the athlete could not say how far they run before symptoms (a clinic setting). */
    public static final double WALK_RUN_START_KM = 2.0;

    /** A run at most this much longer than the longest of 30 days (DOMAIN.md spike; Frandsen 2025). */
    public static final int PROGRESSION_PERCENT = 10;

    /** Loaded calf raises, which calf isometric holds replace for a while after a flare-up (seed 000). */
    private static final Set<String> LOADED_CALF_RAISES = Set.of(SINGLE_LEG_CALF_RAISE_STRAIGHT_KNEE,
            SINGLE_LEG_CALF_RAISE_BENT_KNEE, SEATED_CALF_RAISE, SOLEUS_SQUAT, MODIFIED_HEEL_RAISE_WITH_BALL);

    /** Exercises that do not load the calf, so an urgent referral does not suspend them. */
    private static final Set<String> NOT_LOADING = Set.of(WALKING, NEURAL_GLIDES);

    private static final String PAIN_RULE = "pain up to 4/10 during the set is acceptable (Silbernagel 2007)";
    private static final String EVERY_OTHER_DAY = "every other day";

    private RehabTemplate() {
    }

    /** Soleus strains, acute or silent, get no runs on consecutive days (DOMAIN.md RETURN_TO_RUN). */
    public static boolean soleus(Diagnosis diagnosis) {
        return diagnosis == Diagnosis.CALF_STRAIN_SOLEUS || diagnosis == Diagnosis.SILENT_SOLEUS_STRAIN;
    }

    /** Whether an exercise is a loaded calf raise, which isometric holds replace after a flare-up (seed 000). */
    public static boolean loadedCalfRaise(String exercise) {
        return LOADED_CALF_RAISES.contains(exercise);
    }

    /** Whether an exercise loads the calf, so an urgent referral suspends it (seed 004). */
    public static boolean loadsTheCalf(String exercise) {
        return !NOT_LOADING.contains(exercise);
    }

    /**
     * The run limits a phase brings by itself, before any adjustment.
     *
     * @param carriedCapKm the plan's run cap when it enters the phase; BUILD starts from it and grows it
     *                     by at most 10% at a time (RELAX_RUN_CAP), rather than dropping it
     */
    public static RunConstraints phaseLimits(Diagnosis diagnosis, Phase phase, Double symptomFreeRunKm,
                                             Double carriedCapKm) {
        int restDays = soleus(diagnosis) && phase != Phase.RETURN_TO_SPORT ? 1 : 0;
        // 0 km ("symptoms from the first step") gives no distance to start from: walk-run starts short instead.
        Double symptomFree = symptomFreeRunKm != null && symptomFreeRunKm > 0 ? symptomFreeRunKm : null;
        return switch (phase) {
            // Relative rest, then capacity before running (seed 001: "increase load capacity before
            // gradually reintroducing running"); the symptom-free distance is kept for when runs resume.
            case PROTECT, RESTORE_CAPACITY -> new RunConstraints(symptomFree, RunIntensity.EASY, restDays,
                    false, null, true, null, null);
            // Seed 001: the longest run is the distance the athlete can run before symptoms; walk-run, easy.
            case RETURN_TO_RUN -> new RunConstraints(symptomFree != null ? symptomFree : WALK_RUN_START_KM,
                    RunIntensity.EASY, restDays, false, null, false, PROGRESSION_PERCENT, null);
            // Seed 001: short intervals bring intensity back, with a recovery day before them.
            // DOMAIN.md: in BUILD the cap grows with the athlete (each settled step +10%), so BUILD always has one
            // to grow: the cap it is entered with, else the symptom-free distance, else the walk-run start.
            case BUILD -> new RunConstraints(carriedCapKm != null ? carriedCapKm : symptomFree != null ? symptomFree
                    : WALK_RUN_START_KM, RunIntensity.INTERVALS, restDays, true, null, false, PROGRESSION_PERCENT, null);
            // Green 2022 criteria met: no phase cap; the 10% progression rule and the recovery day stay.
            case RETURN_TO_SPORT -> new RunConstraints(null, null, restDays, true, null, false,
                    PROGRESSION_PERCENT, null);
        };
    }

    /** The prescription of a phase for a diagnosis, diagnosis-specific work first. */
    public static List<PrescribedExercise> exercises(Diagnosis diagnosis, Phase phase) {
        List<PrescribedExercise> list = new ArrayList<>();
        if (diagnosis == Diagnosis.NEURAL_TENSION) {
            // Seed 001: neural mobility belongs in the initial stages; seed 002 keeps it throughout.
            list.add(library(NEURAL_GLIDES).orElseThrow());
        }
        if (diagnosis == Diagnosis.TIBIALIS_POSTERIOR && phase != Phase.PROTECT) {
            list.add(library(MODIFIED_HEEL_RAISE_WITH_BALL).orElseThrow());
        }
        switch (phase) {
            case PROTECT -> {
                list.add(new PrescribedExercise(WALKING, 1, "short walks, as comfortable", "bodyweight",
                        "daily", "A week of relative rest keeps you moving while the calf deloads (seed 002)."));
                list.add(new PrescribedExercise(CALF_ISOMETRIC_HOLD, 5, "30-45 s holds, straight and bent knee",
                        "bodyweight, only if pain-free", "daily",
                        "Isometrics keep the calf working when full-range raises are too uncomfortable (seed 000)."));
            }
            case RESTORE_CAPACITY -> {
                list.addAll(calfComplex(diagnosis, "15RM, progressing to 8-12RM",
                        "as heavy as RPE 7 or more allows; " + PAIN_RULE, EVERY_OTHER_DAY));
                list.add(toeFlexors());
                list.add(new PrescribedExercise(ANKLE_INVERSION_EVERSION_BAND, 3, "15 each way", "resistance band",
                        EVERY_OTHER_DAY, "Invertors and evertors share the load around the ankle (seed 001 Clinical Edge)."));
                list.addAll(kineticChain(diagnosis, "twice a week"));
            }
            case RETURN_TO_RUN -> {
                list.add(new PrescribedExercise(WALK_RUN, 1, "walk-run, e.g. 1 min run / 1 min walk, up to the run cap",
                        "EASY; pain up to 4/10 that settles by the next morning (Silbernagel 2007)",
                        soleus(diagnosis) ? "every other day, never on consecutive days (soleus)" : "3 times a week",
                        "Running comes back slowly, within the distance the calf tolerates (seed 001; seed 002)."));
                list.addAll(calfComplex(diagnosis, "8-12RM", "RPE 7 or more, add load as able; " + PAIN_RULE,
                        "on days without a run"));
                list.add(toeFlexors());
                list.addAll(kineticChain(diagnosis, "twice a week"));
            }
            case BUILD -> {
                list.add(new PrescribedExercise(EASY_RUN, 1, "up to the run cap, at most +10% over the longest run of 30 days",
                        "EASY", soleus(diagnosis) ? "3 times a week, never on consecutive days (soleus)" : "3-4 times a week",
                        "Volume grows by small steps; spikes over 10% raise injury risk (Frandsen 2025)."));
                list.add(new PrescribedExercise(SHORT_INTERVALS, 6, "1 min efforts, 2 min easy between",
                        "INTERVALS, after a recovery day", "once a week",
                        "Short intervals bring intensity back as load tolerance improves (seed 001 Clinical Edge)."));
                list.addAll(calfComplex(diagnosis, "8-12RM",
                        "loaded towards 1.0 x bodyweight straight-knee and 1.5 x bent-knee (Green 2022)", "twice a week"));
                list.add(new PrescribedExercise(POGO_HOPS, 3, "20 s", "bodyweight, pain-free", "twice a week",
                        "Springy, pain-free hops come before sport (seed 004 plyometric ability; Green 2022)."));
                list.addAll(kineticChain(diagnosis, "twice a week"));
            }
            case RETURN_TO_SPORT -> {
                list.add(new PrescribedExercise(SPRINTS_AND_CHANGE_OF_DIRECTION, 6, "short sprints and cuts",
                        "building to full speed", "once or twice a week",
                        "A fast game loads the calf differently from a steady 5 km (seed 002)."));
                list.add(new PrescribedExercise(SINGLE_LEG_CALF_RAISE_STRAIGHT_KNEE, 3, "8-12RM", "loaded", "twice a week",
                        "Keep the calf strong to prevent the next strain (seed 002 prevention)."));
                list.add(new PrescribedExercise(SINGLE_LEG_CALF_RAISE_BENT_KNEE, 3, "8-12RM", "loaded", "twice a week",
                        "Keep the soleus strong; it is most of the re-injuries (Green 2020)."));
                list.add(new PrescribedExercise(POGO_HOPS, 3, "20 s", "bodyweight", "twice a week",
                        "Keep the spring in the calf (seed 004)."));
                list.addAll(kineticChain(diagnosis, "once or twice a week"));
            }
        }
        return List.copyOf(list);
    }

    /**
     * An exercise the load monitor may add with ADD_EXERCISE, at its usual dose; empty for a name the
     * library does not know.
     */
    public static Optional<PrescribedExercise> library(String name) {
        if (CALF_ISOMETRIC_HOLD.equals(name)) {
            return Optional.of(new PrescribedExercise(CALF_ISOMETRIC_HOLD, 5, "30-45 s holds, straight and bent knee",
                    "bodyweight, pain up to 4/10 (Silbernagel 2007)", "daily",
                    "Isometrics if you get a flare-up: they keep the calf working while it settles (seed 000)."));
        }
        if (NEURAL_GLIDES.equals(name)) {
            return Optional.of(new PrescribedExercise(NEURAL_GLIDES, 1, "10-15 sliders or gliders", "no load",
                    "short bouts, several times a day",
                    "Neural mobility for neural tension: short and often, any irritation should settle within 15-20 min "
                            + "(seed 001 Clinical Edge; seed 002)."));
        }
        if (MODIFIED_HEEL_RAISE_WITH_BALL.equals(name)) {
            return Optional.of(new PrescribedExercise(MODIFIED_HEEL_RAISE_WITH_BALL, 3, "fewer than 12, RPE above 7",
                    "a ball between the heels, add load if you can", EVERY_OTHER_DAY,
                    "A ball between the heels makes tibialis posterior work, for medial calf pain along the shin (seed 000)."));
        }
        return Optional.empty();
    }

    /** An exercise the library does not know: kept by name, dose left to the clinician. */
    static PrescribedExercise unlisted(String name) {
        return new PrescribedExercise(name, 0, "as your clinician sets", "as your clinician sets",
                "as your clinician sets", "Added by the load monitor; not in the exercise library, so a clinician sets the dose.");
    }

    /** Seed 001 Clinical Edge: straight- and bent-knee raises, seated raises and soleus squats, 15RM to 8-12RM. */
    private static List<PrescribedExercise> calfComplex(Diagnosis diagnosis, String reps, String load, String frequency) {
        boolean soleus = soleus(diagnosis);
        boolean gastrocnemius = diagnosis == Diagnosis.CALF_STRAIN_GASTROCNEMIUS;
        return List.of(
                new PrescribedExercise(SINGLE_LEG_CALF_RAISE_STRAIGHT_KNEE, 3, reps, load, frequency,
                        (gastrocnemius ? "The strained gastrocnemius" : "The gastrocnemius")
                                + " needs high loads because running loads it highly (seed 001 Clinical Edge)."),
                new PrescribedExercise(SINGLE_LEG_CALF_RAISE_BENT_KNEE, 3, reps, load, frequency,
                        (soleus ? "The strained soleus" : "The soleus")
                                + " works hardest with the knee bent (seed 001 Clinical Edge)."),
                new PrescribedExercise(SEATED_CALF_RAISE, 3, reps, load, frequency,
                        "Heavy soleus loading with the gastrocnemius slack (seed 001 Clinical Edge)."),
                new PrescribedExercise(SOLEUS_SQUAT, 3, reps, load, frequency,
                        soleus ? "Soleus endurance for the deep strain that keeps coming back (seed 001; seed 002 silent strain)."
                                : "Soleus endurance in a bent-knee stance (seed 001 Clinical Edge)."));
    }

    /** Goldman 2012 via seed 001: toe-flexor weakness is common with calf pain; 3-s heavy isometrics. */
    private static PrescribedExercise toeFlexors() {
        return new PrescribedExercise(TOE_FLEXOR_ISOMETRIC, 3, "6 x 3 s holds", "heavy, stop before the foot cramps",
                EVERY_OTHER_DAY, "Weak toe flexors often come with calf pain; 3-s heavy isometrics build them "
                + "(Goldman 2012 via seed 001 Clinical Edge).");
    }

    /** Quads, glutes and hinge take landing load off the calf (seed 001 kinetic chain; seed 000 RDL and hip thrust). */
    private static List<PrescribedExercise> kineticChain(Diagnosis diagnosis, String frequency) {
        boolean neural = diagnosis == Diagnosis.NEURAL_TENSION;
        return List.of(
                new PrescribedExercise(SPLIT_SQUAT, 3, "8-12", "RPE 7 or more", frequency,
                        "Strong quadriceps absorb landing load that would otherwise reach the calf (seed 001; seed 004)."),
                new PrescribedExercise(ROMANIAN_DEADLIFT, 3, "8-12", "RPE 7 or more", frequency,
                        neural ? "Strong lower back, glutes and hamstrings keep the nerve free (seed 002)."
                                : "Hinge work for hamstrings and glutes, a premium on hinge movements (seed 000)."),
                new PrescribedExercise(HIP_THRUST, 3, "8-12", "RPE 7 or more", frequency,
                        "Glutes share the load absorption with the calf (seed 001 kinetic chain; seed 000)."));
    }

    /** "NEURAL_GLIDES" -> "Neural glides", for sentences. */
    static String spoken(String exerciseName) {
        if (MODIFIED_HEEL_RAISE_WITH_BALL.equals(exerciseName)) {
            return "Heel raises with a ball between the heels";
        }
        return PlainWords.capitalised(exerciseName.replace('_', ' ').toLowerCase(Locale.ROOT));
    }
}
