package io.strideback.loadmonitor.domain;

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Every number of DOMAIN.md "Rules v2", as one clinic's settings. {@link #defaults()} gives the documented
 * values; {@link #toBuilder()} changes some of them.
 *
 * @param flareUpPain            pain at or above which a report is a flare-up: 5, above the "acceptable" band of
 *                               the pain-monitoring model (Silbernagel 2007; seed 000 accepts about 4/10)
 * @param baselineMargin         a report at baseline + 2 or more is a flare-up
 * @param baselineMinReports     the baseline needs at least 3 reports...
 * @param baselineWindow         ...in the 7 days before the report
 * @param onsetMinPain           the baseline and MORNING triggers need pain 3 or more (rules v2: a 2/10 over a
 *                               baseline of 0, or a 1/10 morning, is within the acceptable band, Silbernagel 2007)
 * @param pullingOrSharpPain     PULLING or SHARP at pain 3 or more is a flare-up (seed 000's "slight pulling")
 * @param joinWindow             reports within 72 h of an open episode join it
 * @param settleAfter            an episode ends after 48 h...
 * @param settledPain            ...with every report at pain 2 or less
 * @param qualifyingRunWindow    an onset within 24 h after a qualifying run is running-triggered
 * @param symptomFreeWindow      symptom-free distance: the longest run in the last 42 days...
 * @param symptomFreeFollowUp    ...not followed by a flare-up within 24 h
 * @param spikeWindow            a spike compares a run with the longest run of the previous 30 days...
 * @param spikeIncrease          ...and is more than 10% longer (Frandsen 2025: +10-30% HR 1.64)
 * @param acuteEwmaDays          acute load EWMA, N = 7 (Williams 2017)
 * @param chronicEwmaDays        chronic load EWMA, N = 28 (Williams 2017)
 * @param patternWindow          patterns look at the trailing 42 days
 * @param distanceMinEpisodes    distance pattern: at least 2 running-triggered episodes after longer runs
 * @param capFallbackFraction    cap at 80% of the shortest triggering run when there is no symptom-free distance
 * @param progressionPercent     LIMIT_PROGRESSION: at most +10% over the longest run of...
 * @param progressionWindow      ...the last 30 days
 * @param intensityMinEpisodes   intensity pattern: episodes after faster-than-easy runs needed (DOMAIN.md gives no
 *                               number; 1, because the symptom-free easy runs of similar length are the contrast)
 * @param similarRunLength       "easy runs of similar length": within +/-20% of the triggering run's distance
 * @param repeatedMinEpisodes    repeated pattern: at least 3 running-triggered episodes...
 * @param repeatedWindow         ...within 14 days...
 * @param severePain             ...or any at pain 7 or more
 * @param pauseRunningDays       PAUSE_RUNNING length (DOMAIN.md says "days"; 7, a week of relative rest as in
 *                               the PROTECT phase, seeds 002 and 004)
 * @param lowCadenceSpm          a step rate below 170 spm counts as low for GAIT_RETRAINING
 * @param cadenceIncreasePercent GAIT_RETRAINING target: +5% step rate (Heiderscheit 2011: +5-10%)
 * @param randomMinEpisodes      random pattern: at least 2 random episodes
 * @param mixedMinEpisodes       mixed pattern: both kinds present and at least 3 episodes
 * @param settledWindow          settled pattern: 14 days with no episode while running under a cap...
 * @param settledMinRuns         ...with runs logged in that time (DOMAIN.md: "runs", so at least 2)
 * @param relaxCapPercent        RELAX_RUN_CAP raises the cap by 10%
 * @param isometricsAfterFlareUp flare-up while loading: calf isometric holds in place of loaded raises for 72 h
 *                               (seed 000: "isometrics if you get a flare up")
 * @param strengthDoseWindow     strength under-dosed: 3 weeks of logged calf work...
 * @param strengthMaxReps        ...where every set is more than 12 reps...
 * @param strengthMinRpe         ...or below RPE 7 (seed 000: "<12 reps and RPE >7")
 * @param clinicZone             the clinic's time zone: calendar days (NIGHT and MORNING rules, daily loads) for
 *                               athletes enrolled without a zone of their own
 */
public record ClinicRules(
        int flareUpPain,
        int baselineMargin,
        int baselineMinReports,
        Duration baselineWindow,
        int onsetMinPain,
        int pullingOrSharpPain,
        Duration joinWindow,
        Duration settleAfter,
        int settledPain,
        Duration qualifyingRunWindow,
        Duration symptomFreeWindow,
        Duration symptomFreeFollowUp,
        Duration spikeWindow,
        double spikeIncrease,
        int acuteEwmaDays,
        int chronicEwmaDays,
        Duration patternWindow,
        int distanceMinEpisodes,
        double capFallbackFraction,
        int progressionPercent,
        Duration progressionWindow,
        int intensityMinEpisodes,
        double similarRunLength,
        int repeatedMinEpisodes,
        Duration repeatedWindow,
        int severePain,
        int pauseRunningDays,
        int lowCadenceSpm,
        int cadenceIncreasePercent,
        int randomMinEpisodes,
        int mixedMinEpisodes,
        Duration settledWindow,
        int settledMinRuns,
        int relaxCapPercent,
        Duration isometricsAfterFlareUp,
        Duration strengthDoseWindow,
        int strengthMaxReps,
        int strengthMinRpe,
        ZoneId clinicZone) {

    public ClinicRules {
        for (Duration d : new Duration[]{baselineWindow, joinWindow, settleAfter, qualifyingRunWindow,
                symptomFreeWindow, symptomFreeFollowUp, spikeWindow, patternWindow, progressionWindow,
                repeatedWindow, settledWindow, isometricsAfterFlareUp, strengthDoseWindow}) {
            Objects.requireNonNull(d, "every window must be set");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("windows must be positive: " + d);
            }
        }
        Objects.requireNonNull(clinicZone, "clinicZone");
        if (acuteEwmaDays < 1 || chronicEwmaDays < 1) {
            throw new IllegalArgumentException("EWMA spans must be >= 1 day");
        }
        if (baselineMinReports < 1 || distanceMinEpisodes < 1 || intensityMinEpisodes < 1
                || repeatedMinEpisodes < 1 || randomMinEpisodes < 1 || mixedMinEpisodes < 1 || settledMinRuns < 1) {
            throw new IllegalArgumentException("episode and run counts must be >= 1");
        }
        if (!(capFallbackFraction > 0 && capFallbackFraction <= 1)) {
            throw new IllegalArgumentException("capFallbackFraction must be in (0, 1]: " + capFallbackFraction);
        }
        if (spikeIncrease < 0 || similarRunLength < 0 || progressionPercent < 0 || relaxCapPercent < 0
                || cadenceIncreasePercent < 0 || pauseRunningDays < 1) {
            throw new IllegalArgumentException("percentages must be >= 0 and pauses at least a day");
        }
    }

    // DOMAIN.md "Settings": every number is a clinic setting within bounds; one outside them is
    // refused, never stored (issue 12: a progression window of 2.5e15 hours once stalled the pipeline).
    private static final Bound WINDOW = new Bound.Window(Duration.ofHours(1), Duration.ofDays(365));
    /** A window counted in whole days (EWMA spans, a pause): the same 1 h - 365 days, in days. */
    private static final Bound DAYS = new Bound.Whole(1, 365, "days");
    private static final Bound PERCENT = new Bound.Whole(1, 100, "percent");
    /** A percentage written as a fraction (0.10 for 10%). */
    private static final Bound FRACTION = new Bound.Fraction(0.01, 1.00);
    private static final Bound PAIN = new Bound.Whole(1, 10, "on the 0-10 pain scale");
    private static final Bound COUNT = new Bound.Whole(1, 50, "");
    /** Steps per minute: the cadence range intake accepts for a run. */
    private static final Bound CADENCE = new Bound.Whole(100, 260, "steps per minute");

    private static final Map<String, Bound> BOUNDS = Map.ofEntries(
            Map.entry("flareUpPain", PAIN), Map.entry("baselineMargin", PAIN),
            Map.entry("baselineMinReports", COUNT), Map.entry("baselineWindow", WINDOW),
            Map.entry("onsetMinPain", PAIN), Map.entry("pullingOrSharpPain", PAIN), Map.entry("joinWindow", WINDOW), Map.entry("settleAfter", WINDOW),
            Map.entry("settledPain", PAIN), Map.entry("qualifyingRunWindow", WINDOW),
            Map.entry("symptomFreeWindow", WINDOW), Map.entry("symptomFreeFollowUp", WINDOW),
            Map.entry("spikeWindow", WINDOW), Map.entry("spikeIncrease", FRACTION),
            Map.entry("acuteEwmaDays", DAYS), Map.entry("chronicEwmaDays", DAYS), Map.entry("patternWindow", WINDOW),
            Map.entry("distanceMinEpisodes", COUNT), Map.entry("capFallbackFraction", FRACTION),
            Map.entry("progressionPercent", PERCENT), Map.entry("progressionWindow", WINDOW),
            Map.entry("intensityMinEpisodes", COUNT), Map.entry("similarRunLength", FRACTION),
            Map.entry("repeatedMinEpisodes", COUNT), Map.entry("repeatedWindow", WINDOW),
            Map.entry("severePain", PAIN), Map.entry("pauseRunningDays", DAYS), Map.entry("lowCadenceSpm", CADENCE),
            Map.entry("cadenceIncreasePercent", PERCENT), Map.entry("randomMinEpisodes", COUNT),
            Map.entry("mixedMinEpisodes", COUNT), Map.entry("settledWindow", WINDOW),
            Map.entry("settledMinRuns", COUNT), Map.entry("relaxCapPercent", PERCENT),
            Map.entry("isometricsAfterFlareUp", WINDOW), Map.entry("strengthDoseWindow", WINDOW),
            // Reps per set are a count; RPE is on the same 0-10 scale as pain (Foster 2001).
            Map.entry("strengthMaxReps", COUNT), Map.entry("strengthMinRpe", PAIN));

    /** The bounds of one kind of setting. */
    private sealed interface Bound {
        Optional<String> problem(Object value);

        record Window(Duration shortest, Duration longest) implements Bound {
            public Optional<String> problem(Object value) {
                Duration d = (Duration) value;
                return d.compareTo(shortest) < 0 || d.compareTo(longest) > 0
                        ? Optional.of("must be a window between 1 hour (PT1H) and 365 days (P365D)") : Optional.empty();
            }
        }

        record Whole(long min, long max, String unit) implements Bound {
            public Optional<String> problem(Object value) {
                long v = ((Number) value).longValue();
                return v < min || v > max
                        ? Optional.of(("must be between " + min + " and " + max + " " + unit).trim()) : Optional.empty();
            }
        }

        record Fraction(double min, double max) implements Bound {
            public Optional<String> problem(Object value) {
                double v = ((Number) value).doubleValue();
                return !(v >= min && v <= max)
                        ? Optional.of("must be a percentage written as a fraction, between " + min + " and " + max)
                        : Optional.empty();
            }
        }
    }

    /** The setting names that carry a number (every one but {@code clinicZone}). */
    public static Set<String> boundedSettings() {
        return BOUNDS.keySet();
    }

    /**
     * Why {@code value} is outside DOMAIN.md's bounds for {@code setting}, if it is (a window of
     * 1 h - 365 days, a percentage 1-100, a pain threshold 1-10, a count 1-50).
     */
    public static Optional<String> boundsProblem(String setting, Object value) {
        Bound bound = BOUNDS.get(setting);
        return bound == null || value == null ? Optional.empty() : bound.problem(value);
    }

    /** Every setting outside its bounds, by name, with the reason; empty when all are within. */
    public Map<String, String> outOfBounds() {
        Map<String, String> out = new LinkedHashMap<>();
        for (RecordComponent c : ClinicRules.class.getRecordComponents()) {
            Object value;
            try {
                value = c.getAccessor().invoke(this);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            boundsProblem(c.getName(), value).ifPresent(p -> out.put(c.getName(), p));
        }
        return out;
    }

    /**
     * The settings that are each within bounds but together make a rule meaningless, each named with the other
     * (DOMAIN.md "Settings": refused, never stored); empty when none contradict. Only two pairs do:
     * <ul>
     *   <li>{@code settledPain} at or above {@code flareUpPain}: an episode ends on reports at the settled pain or
     *       less, while a report at the flare-up pain starts or joins one ("Flare-up": ends at <= 2, starts at
     *       >= 5); one report cannot be both;</li>
     *   <li>{@code acuteEwmaDays} at or above {@code chronicEwmaDays}: the acute:chronic ratio compares a short span
     *       with a longer one ("Loads": N = 7 and 28, Williams 2017); with the spans equal or swapped it says
     *       nothing.</li>
     * </ul>
     */
    public Map<String, String> contradictions() {
        Map<String, String> out = new LinkedHashMap<>();
        if (settledPain >= flareUpPain) {
            out.put("settledPain", "must be below flareUpPain (" + settledPain + " >= " + flareUpPain
                    + "): an episode cannot settle at the pain that starts one");
            out.put("flareUpPain", "must be above settledPain (" + flareUpPain + " <= " + settledPain
                    + "): an episode cannot settle at the pain that starts one");
        }
        if (acuteEwmaDays >= chronicEwmaDays) {
            out.put("acuteEwmaDays", "must be shorter than chronicEwmaDays (" + acuteEwmaDays + " >= "
                    + chronicEwmaDays + "): the acute:chronic ratio compares a short span with a longer one");
            out.put("chronicEwmaDays", "must be longer than acuteEwmaDays (" + chronicEwmaDays + " <= "
                    + acuteEwmaDays + "): the acute:chronic ratio compares a short span with a longer one");
        }
        return out;
    }

    /** What makes these settings refused: every setting out of bounds, then every contradiction; empty when none. */
    public Map<String, String> refusals() {
        Map<String, String> out = new LinkedHashMap<>(outOfBounds());
        contradictions().forEach(out::putIfAbsent);
        return out;
    }

    /** DOMAIN.md "Rules v2" defaults. */
    public static ClinicRules defaults() {
        return new Builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Session-RPE EWMA decay, lambda = 2 / (N + 1) (Williams 2017). */
    public double acuteLambda() {
        return 2.0 / (acuteEwmaDays + 1);
    }

    public double chronicLambda() {
        return 2.0 / (chronicEwmaDays + 1);
    }

    public static final class Builder {
        private int flareUpPain = 5;
        private int baselineMargin = 2;
        private int baselineMinReports = 3;
        private Duration baselineWindow = Duration.ofDays(7);
        private int onsetMinPain = 3;
        private int pullingOrSharpPain = 3;
        private Duration joinWindow = Duration.ofHours(72);
        private Duration settleAfter = Duration.ofHours(48);
        private int settledPain = 2;
        private Duration qualifyingRunWindow = Duration.ofHours(24);
        private Duration symptomFreeWindow = Duration.ofDays(42);
        private Duration symptomFreeFollowUp = Duration.ofHours(24);
        private Duration spikeWindow = Duration.ofDays(30);
        private double spikeIncrease = 0.10;
        private int acuteEwmaDays = 7;
        private int chronicEwmaDays = 28;
        private Duration patternWindow = Duration.ofDays(42);
        private int distanceMinEpisodes = 2;
        private double capFallbackFraction = 0.80;
        private int progressionPercent = 10;
        private Duration progressionWindow = Duration.ofDays(30);
        private int intensityMinEpisodes = 1;
        private double similarRunLength = 0.20;
        private int repeatedMinEpisodes = 3;
        private Duration repeatedWindow = Duration.ofDays(14);
        private int severePain = 7;
        private int pauseRunningDays = 7;
        private int lowCadenceSpm = 170;
        private int cadenceIncreasePercent = 5;
        private int randomMinEpisodes = 2;
        private int mixedMinEpisodes = 3;
        private Duration settledWindow = Duration.ofDays(14);
        private int settledMinRuns = 2;
        private int relaxCapPercent = 10;
        private Duration isometricsAfterFlareUp = Duration.ofHours(72);
        private Duration strengthDoseWindow = Duration.ofDays(21);
        private int strengthMaxReps = 12;
        private int strengthMinRpe = 7;
        private ZoneId clinicZone = ZoneOffset.UTC;

        private Builder() {
        }

        private Builder(ClinicRules r) {
            flareUpPain = r.flareUpPain;
            baselineMargin = r.baselineMargin;
            baselineMinReports = r.baselineMinReports;
            baselineWindow = r.baselineWindow;
            onsetMinPain = r.onsetMinPain;
            pullingOrSharpPain = r.pullingOrSharpPain;
            joinWindow = r.joinWindow;
            settleAfter = r.settleAfter;
            settledPain = r.settledPain;
            qualifyingRunWindow = r.qualifyingRunWindow;
            symptomFreeWindow = r.symptomFreeWindow;
            symptomFreeFollowUp = r.symptomFreeFollowUp;
            spikeWindow = r.spikeWindow;
            spikeIncrease = r.spikeIncrease;
            acuteEwmaDays = r.acuteEwmaDays;
            chronicEwmaDays = r.chronicEwmaDays;
            patternWindow = r.patternWindow;
            distanceMinEpisodes = r.distanceMinEpisodes;
            capFallbackFraction = r.capFallbackFraction;
            progressionPercent = r.progressionPercent;
            progressionWindow = r.progressionWindow;
            intensityMinEpisodes = r.intensityMinEpisodes;
            similarRunLength = r.similarRunLength;
            repeatedMinEpisodes = r.repeatedMinEpisodes;
            repeatedWindow = r.repeatedWindow;
            severePain = r.severePain;
            pauseRunningDays = r.pauseRunningDays;
            lowCadenceSpm = r.lowCadenceSpm;
            cadenceIncreasePercent = r.cadenceIncreasePercent;
            randomMinEpisodes = r.randomMinEpisodes;
            mixedMinEpisodes = r.mixedMinEpisodes;
            settledWindow = r.settledWindow;
            settledMinRuns = r.settledMinRuns;
            relaxCapPercent = r.relaxCapPercent;
            isometricsAfterFlareUp = r.isometricsAfterFlareUp;
            strengthDoseWindow = r.strengthDoseWindow;
            strengthMaxReps = r.strengthMaxReps;
            strengthMinRpe = r.strengthMinRpe;
            clinicZone = r.clinicZone;
        }

        public Builder flareUpPain(int v) { flareUpPain = v; return this; }
        public Builder baselineMargin(int v) { baselineMargin = v; return this; }
        public Builder baselineMinReports(int v) { baselineMinReports = v; return this; }
        public Builder baselineWindow(Duration v) { baselineWindow = v; return this; }
        public Builder onsetMinPain(int v) { onsetMinPain = v; return this; }
        public Builder pullingOrSharpPain(int v) { pullingOrSharpPain = v; return this; }
        public Builder joinWindow(Duration v) { joinWindow = v; return this; }
        public Builder settleAfter(Duration v) { settleAfter = v; return this; }
        public Builder settledPain(int v) { settledPain = v; return this; }
        public Builder qualifyingRunWindow(Duration v) { qualifyingRunWindow = v; return this; }
        public Builder symptomFreeWindow(Duration v) { symptomFreeWindow = v; return this; }
        public Builder symptomFreeFollowUp(Duration v) { symptomFreeFollowUp = v; return this; }
        public Builder spikeWindow(Duration v) { spikeWindow = v; return this; }
        public Builder spikeIncrease(double v) { spikeIncrease = v; return this; }
        public Builder acuteEwmaDays(int v) { acuteEwmaDays = v; return this; }
        public Builder chronicEwmaDays(int v) { chronicEwmaDays = v; return this; }
        public Builder patternWindow(Duration v) { patternWindow = v; return this; }
        public Builder distanceMinEpisodes(int v) { distanceMinEpisodes = v; return this; }
        public Builder capFallbackFraction(double v) { capFallbackFraction = v; return this; }
        public Builder progressionPercent(int v) { progressionPercent = v; return this; }
        public Builder progressionWindow(Duration v) { progressionWindow = v; return this; }
        public Builder intensityMinEpisodes(int v) { intensityMinEpisodes = v; return this; }
        public Builder similarRunLength(double v) { similarRunLength = v; return this; }
        public Builder repeatedMinEpisodes(int v) { repeatedMinEpisodes = v; return this; }
        public Builder repeatedWindow(Duration v) { repeatedWindow = v; return this; }
        public Builder severePain(int v) { severePain = v; return this; }
        public Builder pauseRunningDays(int v) { pauseRunningDays = v; return this; }
        public Builder lowCadenceSpm(int v) { lowCadenceSpm = v; return this; }
        public Builder cadenceIncreasePercent(int v) { cadenceIncreasePercent = v; return this; }
        public Builder randomMinEpisodes(int v) { randomMinEpisodes = v; return this; }
        public Builder mixedMinEpisodes(int v) { mixedMinEpisodes = v; return this; }
        public Builder settledWindow(Duration v) { settledWindow = v; return this; }
        public Builder settledMinRuns(int v) { settledMinRuns = v; return this; }
        public Builder relaxCapPercent(int v) { relaxCapPercent = v; return this; }
        public Builder isometricsAfterFlareUp(Duration v) { isometricsAfterFlareUp = v; return this; }
        public Builder strengthDoseWindow(Duration v) { strengthDoseWindow = v; return this; }
        public Builder strengthMaxReps(int v) { strengthMaxReps = v; return this; }
        public Builder strengthMinRpe(int v) { strengthMinRpe = v; return this; }
        public Builder clinicZone(ZoneId v) { clinicZone = v; return this; }

        public ClinicRules build() {
            return new ClinicRules(flareUpPain, baselineMargin, baselineMinReports, baselineWindow, onsetMinPain,
                    pullingOrSharpPain, joinWindow, settleAfter, settledPain, qualifyingRunWindow, symptomFreeWindow,
                    symptomFreeFollowUp, spikeWindow, spikeIncrease, acuteEwmaDays, chronicEwmaDays, patternWindow,
                    distanceMinEpisodes, capFallbackFraction, progressionPercent, progressionWindow,
                    intensityMinEpisodes, similarRunLength, repeatedMinEpisodes, repeatedWindow, severePain,
                    pauseRunningDays, lowCadenceSpm, cadenceIncreasePercent, randomMinEpisodes, mixedMinEpisodes,
                    settledWindow, settledMinRuns, relaxCapPercent, isometricsAfterFlareUp, strengthDoseWindow,
                    strengthMaxReps, strengthMinRpe, clinicZone);
        }
    }
}
