package io.strideback.plan.domain;

import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.Phase;
import io.strideback.events.vocabulary.RunIntensity;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

/**
 * What each adjustment type does to a plan, and the words that say so. One function serves both
 * {@link RehabPlan#decide} (for the event's reason) and {@link RehabPlan#apply} (for the new state),
 * so the reason can never describe something other than what happened.
 *
 * <p>Caps never loosen here except by RELAX_RUN_CAP: a tighter cap already in force stays, and the
 * adjustment is still recorded as applied with a reason that says so. Missing or odd parameters fall
 * back to the DOMAIN.md default and the reason says which.
 */
final class AdjustmentRules {

    /** Seed 002: "rest for a week" when a pause comes without a number of days. */
    static final int DEFAULT_PAUSE_DAYS = 7;

    /** Heiderscheit 2011: a step rate +5-10% lowers the load per step; +5% when only the current rate is known. */
    static final double CADENCE_STEP_UP = 0.05;
    static final double CADENCE_MOST = 0.10;

    /** The change in words ("Runs capped at 3.0 km") and the plan's terms after it. */
    record Effect(String what, PlanTerms after) {
    }

    private AdjustmentRules() {
    }

    /**
     * {@code at} is when the plan takes the adjustment in (its "today", a day in the athlete's {@code zone});
     * time-bound ones run from their own evidence.
     */
    static Effect effectOf(Adjustment adjustment, PlanTerms before, Diagnosis diagnosis, Phase phase, Instant at,
                           ZoneId zone) {
        AdjustmentParameters p = new AdjustmentParameters(adjustment.parameters());
        LocalDate day = RehabPlan.dayOf(at, zone);
        return switch (adjustment.type()) {
            case CAP_RUN_DISTANCE -> capRunDistance(p, before);
            case LIMIT_PROGRESSION -> limitProgression(p, before);
            case REDUCE_RUN_INTENSITY -> reduceRunIntensity(p, before);
            case ADD_RECOVERY_DAY_BEFORE_INTENSE -> addRecoveryDay(before);
            case PAUSE_RUNNING -> pauseRunning(p, before, day, zone);
            case GAIT_RETRAINING -> gaitRetraining(p, before);
            case ADD_EXERCISE -> addExercise(p, before, diagnosis, phase, at);
            case CLINICIAN_REVIEW -> clinicianReview(p, before);
            case RELAX_RUN_CAP -> relaxRunCap(p, before);
            case URGENT_REFERRAL -> urgentReferral(p, before);
            // Only a clinician's approval moves the plan (RehabPlan handles an approved ADVANCE_PHASE itself).
            case ADVANCE_PHASE -> new Effect("A move to the next phase is noted; only a clinician moves the plan on", before);
        };
    }

    /** Seed 001: the longest run is the distance the athlete can run before symptoms. */
    private static Effect capRunDistance(AdjustmentParameters p, PlanTerms before) {
        Double km = p.positive("maxDistanceKm");
        Double current = before.capKm();
        if (km == null) {
            // Nothing to cap with: keep the plan as it is and put it in front of a clinician.
            String what = (current == null ? "Runs stay uncapped" : "Run cap stays at " + PlainWords.km(current))
                    + " because the proposal came without a distance, so a clinician should set one";
            return new Effect(what, before.withFlags(before.flags().withClinicianReview()));
        }
        PlanTerms after = before.withImposed(before.imposed().withMaxDistanceKm(PlanTerms.lower(before.imposed().maxDistanceKm(), km)));
        // Compared as a physio reads them, to 0.1 km: never "kept at 1.6 km, tighter than the proposed 1.6 km".
        boolean same = current != null && PlainWords.km(current).equals(PlainWords.km(km));
        String what = same ? "Run cap stays at " + PlainWords.km(km) + ", as proposed"
                : current != null && current < km
                ? "Run cap kept at " + PlainWords.km(current) + ", tighter than the proposed " + PlainWords.km(km)
                : "Runs capped at " + PlainWords.km(km);
        return new Effect(what, after);
    }

    /** DOMAIN.md spike: no run more than 10% longer than the longest of 30 days (Frandsen 2025). */
    private static Effect limitProgression(AdjustmentParameters p, PlanTerms before) {
        Integer asked = p.positiveWhole("maxIncreasePercent");
        int percent = asked != null ? asked : RehabTemplate.PROGRESSION_PERCENT;
        Double longest = p.positive("longestRun30dKm");
        Double km = p.positive("maxDistanceKm");
        if (km == null && longest != null) {
            km = PlainWords.roundedKm(longest * (1 + percent / 100.0));
        }
        ImposedLimits imposed = before.imposed()
                .withMaxProgressionPercent(PlanTerms.lower(before.imposed().maxProgressionPercent(), percent));
        if (km != null) {
            imposed = imposed.withMaxDistanceKm(PlanTerms.lower(imposed.maxDistanceKm(), km));
        }
        PlanTerms after = before.withImposed(imposed);
        int inForce = after.constraintsOn(null).maxProgressionPercent();

        StringBuilder what = new StringBuilder("Each run limited to +").append(inForce)
                .append("% over the longest run of 30 days");
        if (longest != null) {
            what.append(" (").append(PlainWords.km(longest)).append(')');
        }
        if (asked == null) {
            what.append(", the usual 10% as the proposal gave no percent");
        } else if (inForce < percent) {
            what.append(", tighter than the proposed +").append(percent).append('%');
        }
        Double current = before.capKm();
        if (km == null) {
            what.append(current == null ? "" : ", and the " + PlainWords.km(current) + " cap stays");
        } else if (current != null && current <= km) {
            what.append(", and the tighter ").append(PlainWords.km(current)).append(" cap stays");
        } else {
            what.append(", so runs are capped at ").append(PlainWords.km(km));
        }
        return new Effect(what.toString(), after);
    }

    /** Seed 001: when speed is the trigger, lower the intensity and keep the volume. */
    private static Effect reduceRunIntensity(AdjustmentParameters p, PlanTerms before) {
        String asked = p.code("maxIntensity");
        RunIntensity intensity = parseIntensity(asked);
        String fallback = "";
        if (intensity == null) {
            intensity = RunIntensity.EASY;
            fallback = asked == null ? ", as the proposal named no intensity" : ", as \"" + asked + "\" is not an intensity";
        }
        RunIntensity current = before.constraintsOn(null).maxIntensity();
        PlanTerms after = before.withImposed(before.imposed().withMaxIntensity(PlanTerms.lower(before.imposed().maxIntensity(), intensity)));
        String what = current != null && current.compareTo(intensity) <= 0
                ? "Runs already kept to " + current + " or easier" + fallback + ", with the same volume"
                : "Runs kept to " + intensity + " intensity" + fallback + ", with the same volume";
        return new Effect(what, after);
    }

    /** Seed 001: a recovery day before a high-intensity run limits the influence of fatigue. */
    private static Effect addRecoveryDay(PlanTerms before) {
        boolean already = before.constraintsOn(null).recoveryDayBeforeIntense();
        PlanTerms after = before.withImposed(before.imposed().withRecoveryDayBeforeIntense());
        return new Effect(already ? "A recovery day already comes before every intense run, and now stays"
                : "A recovery day now comes before every intense run", after);
    }

    /**
     * DOMAIN.md repeated pattern: pause running, strength first. The pause runs in event time, from the
     * day of its latest evidence ({@code startsAt}), days being the athlete's calendar days: a pause whose days passed before it reached the plan
     * (late data) is recorded and changes nothing (DOMAIN.md "Time-bound adjustments live in event time").
     */
    private static Effect pauseRunning(AdjustmentParameters p, PlanTerms before, LocalDate today, ZoneId zone) {
        Integer asked = p.positiveWhole("days");
        int days = asked != null ? asked : DEFAULT_PAUSE_DAYS;
        Instant startsAt = p.instant("startsAt");
        LocalDate from = startsAt != null ? RehabPlan.dayOf(startsAt, zone) : today;
        LocalDate until = from.plusDays(days);
        if (!until.isAfter(today)) {
            return new Effect("Running pause of " + days + " days from " + from + " recorded but not applied: it ended on "
                    + until + ", before the data reached the plan, so running is not paused now", before);
        }
        LocalDate existing = before.pauseRunsOn(today) ? before.imposed().pausedUntil() : null;
        if (existing != null && !existing.isBefore(until)) {
            return new Effect("Running stays paused until " + existing + ", a pause already longer than the proposed "
                    + days + " days", before);
        }
        String what = "Running paused for " + days + " days" + (startsAt != null ? " from " + from : "") + ", until " + until
                + (asked == null ? " (a week, as the proposal gave no number of days)" : "")
                + ", with strength work first";
        return new Effect(what, before.withImposed(before.imposed().withPausedUntil(until)));
    }

    /** Seed 001 gait retraining; Heiderscheit 2011: step rate up by 5-10%. */
    private static Effect gaitRetraining(AdjustmentParameters p, PlanTerms before) {
        Integer target = p.positiveWhole("cadenceTargetSpm");
        Integer now = p.positiveWhole("currentCadenceSpm");
        String note = "";
        if (now != null) {
            int least = (int) Math.round(now * (1 + CADENCE_STEP_UP));
            int most = (int) Math.round(now * (1 + CADENCE_MOST));
            if (target == null || target <= now) {
                note = target == null ? ", +5% as the proposal gave no target" : ", +5% as the proposed target was not above the current rate";
                target = least;
            } else if (target > most) {
                note = ", held to +10% (Heiderscheit 2011)";
                target = most;
            }
        }
        if (target == null) {
            Integer kept = before.imposed().cadenceTargetSpm();
            return new Effect((kept == null ? "No step-rate target set" : "Step-rate target stays at " + kept + " steps/min")
                    + " because the proposal gave no cadence", before);
        }
        String what = "Step-rate target set to " + target + " steps/min" + (now != null ? " from " + now : "") + note
                + ", to lower the load on the calf with each step";
        return new Effect(what, before.withImposed(before.imposed().withCadenceTargetSpm(target)));
    }

    /**
     * DOMAIN.md random pattern: neural glides (seed 002) or heel raises with a ball and a screen (seed 000).
     * DOMAIN.md flare-up while loading: calf isometric holds in place of loaded raises for {@code hours}
     * (seed 000: "isometrics if you get a flare up"), only from {@code fromPhase} on, as the monitor does
     * not know the phase; the window runs from {@code startsAt} in event time.
     */
    private static Effect addExercise(AdjustmentParameters p, PlanTerms before, Diagnosis diagnosis, Phase phase, Instant at) {
        String name = p.code("exercise");
        String screen = p.code("screen");
        Phase fromPhase = parsePhase(p.code("fromPhase"));
        if (fromPhase != null && phase.compareTo(fromPhase) < 0) {
            return new Effect("Recorded without a change: the plan is in " + phase + ", before " + fromPhase
                    + (name == null ? "" : ", so the plan does not add " + RehabTemplate.spoken(name).toLowerCase(Locale.ROOT)
                    + " yet"), before);
        }
        Integer hours = p.positiveWhole("hours");
        if (hours != null && RehabTemplate.CALF_ISOMETRIC_HOLD.equals(name)) {
            Instant startsAt = p.instant("startsAt");
            Instant start = startsAt != null ? startsAt : at;
            Instant until = start.plus(Duration.ofHours(hours));
            if (!until.isAfter(at)) {
                return new Effect("Calf isometric holds for " + hours + " h from " + start + " recorded but not applied: the "
                        + hours + " h ended at " + until + ", before the data reached the plan", before);
            }
            Instant kept = before.isometricsUntil() != null && before.isometricsUntil().isAfter(until) ? before.isometricsUntil() : until;
            return new Effect("Calf isometric holds in place of loaded calf raises until " + kept + " (" + hours
                    + " h), to calm the flare-up before loading again", before.withIsometricsUntil(kept));
        }
        PlanTerms after = before;
        String what;
        if (name == null) {
            after = after.withFlags(after.flags().withClinicianReview());
            what = "No exercise added because the proposal named none, so a clinician should choose one";
        } else {
            String spoken = RehabTemplate.spoken(name);
            boolean inPhase = RehabTemplate.exercises(diagnosis, phase).stream().anyMatch(e -> e.name().equals(name));
            if (before.addedExercises().contains(name)) {
                what = spoken + " already in the plan";
            } else if (RehabTemplate.library(name).isEmpty()) {
                after = after.withExerciseAdded(name).withFlags(after.flags().withClinicianReview());
                what = spoken + " added, with the dose left to a clinician as it is not in the exercise library";
            } else {
                after = after.withExerciseAdded(name);
                what = spoken + (inPhase ? " already in this phase, now kept in every phase" : " added to the plan");
            }
        }
        if (screen != null) {
            after = after.withScreenDue(screen).withFlags(after.flags().withClinicianReview());
            what += ", and a " + PlainWords.spokenCode(screen) + " screen is due with a clinician";
        }
        return new Effect(what, after);
    }

    private static Effect clinicianReview(AdjustmentParameters p, PlanTerms before) {
        String concern = p.text("concern");
        return new Effect("Flagged for a clinician's review" + (concern == null ? "" : " of " + PlainWords.spokenCode(concern)),
                before.withFlags(before.flags().withClinicianReview()));
    }

    /**
     * DOMAIN.md settled pattern (rules v2): the plan's current cap x (1 + percent/100), never above
     * {@code ceilingKm} (the longest run of 30 days x 1.10). The proposal carries no absolute target (a
     * v1 {@code maxDistanceKm} is ignored). The one way an adjustment loosens a cap, and never while an
     * urgent referral is in force (DOMAIN.md "Red flags always escalate").
     */
    private static Effect relaxRunCap(AdjustmentParameters p, PlanTerms before) {
        Double current = before.capKm();
        if (current == null) {
            return new Effect("Nothing to relax as runs have no distance cap", before);
        }
        if (before.flags().urgentReferral()) {
            return new Effect("Run cap stays at " + PlainWords.km(current) + " while an urgent referral is in force, as nothing "
                    + "loosens the plan until a clinician clears it", before);
        }
        Integer asked = p.positiveWhole("percent");
        int percent = asked != null ? asked : RehabTemplate.PROGRESSION_PERCENT;
        Double ceiling = p.positive("ceilingKm");
        if (ceiling != null && PlainWords.roundedKm(ceiling) <= current) {
            return new Effect("Run cap stays at " + PlainWords.km(current) + " as the longest run of 30 days + 10% ("
                    + PlainWords.km(ceiling) + ") is not above it", before);
        }
        double stepped = PlainWords.roundedKm(current * (1 + percent / 100.0));
        double raised = ceiling != null ? Math.min(stepped, PlainWords.roundedKm(ceiling)) : stepped;
        if (raised <= current) {
            return new Effect("Run cap stays at " + PlainWords.km(current) + " as a " + percent + "% step is less than 0.1 km", before);
        }
        String how = " (+" + percent + "%" + (asked == null ? ", the usual step as the proposal gave none" : "")
                + (raised < stepped ? ", held to " + PlainWords.km(raised) + ", the longest run of 30 days + 10%" : "") + ")";
        // Raise every layer that caps below the new distance, so the tighter layer does not keep it down.
        RunConstraints phase = before.phaseLimits();
        RunConstraints phaseRaised = new RunConstraints(PlanTerms.raisedTo(phase.maxDistanceKm(), raised), phase.maxIntensity(),
                phase.minRestDaysBetweenRuns(), phase.recoveryDayBeforeIntense(), phase.cadenceTargetSpm(),
                phase.runningPaused(), phase.maxProgressionPercent(), phase.pausedUntil());
        PlanTerms after = before.withPhaseLimits(phaseRaised)
                .withImposed(before.imposed().withMaxDistanceKm(PlanTerms.raisedTo(before.imposed().maxDistanceKm(), raised)));
        return new Effect("Run cap raised from " + PlainWords.km(current) + " to " + PlainWords.km(raised) + how, after);
    }

    /** Seed 004: discolouration, shiny skin, severe tenderness, swelling or a gradual onset need a doctor first. */
    private static Effect urgentReferral(AdjustmentParameters p, PlanTerms before) {
        List<String> redFlags = p.texts("redFlags");
        if (before.flags().urgentReferral()) {
            // DOMAIN.md "Red flags always escalate": one referral at a time; a new report while it stands is kept.
            return new Effect("Urgent referral already in force, so nothing changes; "
                    + (redFlags.isEmpty() ? "the new report is" : "the red flags (" + PlainWords.spokenCodes(redFlags) + ") are")
                    + " recorded for the clinician who clears it", before);
        }
        String what = "Running and all calf loading stopped for an urgent referral, until a clinician clears the plan"
                + (redFlags.isEmpty() ? "" : ", because of " + PlainWords.spokenCodes(redFlags));
        return new Effect(what, before.withFlags(before.flags().withUrgentReferral()));
    }

    static Phase parsePhase(String code) {
        if (code == null) {
            return null;
        }
        try {
            return Phase.valueOf(code.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static RunIntensity parseIntensity(String code) {
        if (code == null) {
            return null;
        }
        try {
            return RunIntensity.valueOf(code.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** How an adjustment type reads in a sentence about a pending or rejected proposal. */
    static String spoken(AdjustmentType type) {
        return switch (type) {
            case CAP_RUN_DISTANCE -> "Run distance cap";
            case LIMIT_PROGRESSION -> "Progression limit";
            case REDUCE_RUN_INTENSITY -> "Lower run intensity";
            case ADD_RECOVERY_DAY_BEFORE_INTENSE -> "Recovery day before intense runs";
            case PAUSE_RUNNING -> "Running pause";
            case GAIT_RETRAINING -> "Gait retraining";
            case ADD_EXERCISE -> "Added exercise";
            case CLINICIAN_REVIEW -> "Clinician review";
            case RELAX_RUN_CAP -> "Relaxed run cap";
            case URGENT_REFERRAL -> "Urgent referral";
            case ADVANCE_PHASE -> "Move on to the next phase";
        };
    }
}
