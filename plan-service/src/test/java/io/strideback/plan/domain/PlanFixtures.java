package io.strideback.plan.domain;

import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.PatternKind;
import io.strideback.events.vocabulary.Phase;
import io.strideback.events.vocabulary.Side;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Events and commands in the words of DOMAIN.md, at fixed times, for the given/when/then tests. */
final class PlanFixtures {

    static final String ATHLETE = "athlete-7";
    static final String CLINIC = "clinic-north";
    static final String CLINICIAN = "dr-okafor";
    static final LocalDate INJURY = LocalDate.parse("2026-03-20");
    static final Instant ENROLLED = Instant.parse("2026-04-01T08:00:00Z");

    private PlanFixtures() {
    }

    /** A time {@code days} after enrolment. */
    static Instant day(int days) {
        return ENROLLED.plus(Duration.ofDays(days));
    }

    static PlanCreated created(Diagnosis diagnosis, Double symptomFreeRunKm) {
        return (PlanCreated) RehabPlan.empty()
                .decide(new CreatePlan(ATHLETE, CLINIC, diagnosis, Side.LEFT, INJURY, symptomFreeRunKm, ENROLLED))
                .get(0);
    }

    /** A left calf strain of the gastrocnemius, runs 5 km before symptoms. */
    static PlanCreated created() {
        return created(Diagnosis.CALF_STRAIN_GASTROCNEMIUS, 5.0);
    }

    /** Parameters as JSON would give them: pairs of key and value. */
    static Map<String, Object> params(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    static Adjustment adjustment(String id, AdjustmentType type, PatternKind pattern, Map<String, Object> parameters,
                                 String reason) {
        return new Adjustment(id, type, pattern, rule(type), parameters, List.of("evt-" + id), reason);
    }

    static Adjustment adjustment(String id, AdjustmentType type, Map<String, Object> parameters) {
        return adjustment(id, type, patternOf(type), parameters, "The load monitor saw a pattern.");
    }

    static Adjustment capRunDistance(String id, double km) {
        return adjustment(id, AdjustmentType.CAP_RUN_DISTANCE, PatternKind.RUNNING_TRIGGERED_DISTANCE,
                params("maxDistanceKm", km), "Two flare-ups followed runs longer than that.");
    }

    static Adjustment relaxRunCap(String id, int percent) {
        return adjustment(id, AdjustmentType.RELAX_RUN_CAP, PatternKind.SETTLED, params("percent", percent),
                "Fourteen days without a flare-up while running under the cap.");
    }

    static Adjustment urgentReferral(String id) {
        return adjustment(id, AdjustmentType.URGENT_REFERRAL, PatternKind.RED_FLAG,
                params("redFlags", List.of("SWELLING", "DISCOLOURATION")), "Swelling and discolouration were reported.");
    }

    static ApplyAdjustment autoApply(Adjustment a, Instant at) {
        return new ApplyAdjustment(a, ClinicPolicy.AUTO_APPLY, at);
    }

    static ApplyAdjustment underReview(Adjustment a, Instant at) {
        return new ApplyAdjustment(a, ClinicPolicy.REVIEW, at);
    }

    /** The events deciding a command against a history gives; for building longer histories. */
    static List<PlanEvent> after(List<PlanEvent> history, PlanCommand command) {
        List<PlanEvent> all = new ArrayList<>(history);
        all.addAll(RehabPlan.fold(history).decide(command));
        return all;
    }

    /** A history made by deciding each command in turn after enrolment. */
    static List<PlanEvent> history(PlanCreated created, PlanCommand... commands) {
        List<PlanEvent> all = new ArrayList<>(List.of(created));
        for (PlanCommand c : commands) {
            all = after(all, c);
        }
        return all;
    }

    static ChangePhase changePhase(Phase to, Instant at) {
        return new ChangePhase(to, CLINICIAN, "Gate criteria met at today's visit.", at);
    }

    /** A clinician moving the plan on against its gates, explicitly and with a reason (DOMAIN.md "Gates are enforced"). */
    static ChangePhase overriding(Phase to, Instant at) {
        return new ChangePhase(to, CLINICIAN, "Clinical judgement at today's visit.", at, true);
    }

    /** An assessment that meets both gates: into RETURN_TO_RUN and into RETURN_TO_SPORT (Green 2022). */
    static Assessment meetsEveryGate(String id, Instant at) {
        return assessment(id, at, 31, 32, 0, true, true, 1.1, 1.6);
    }

    /** An assessment that meets the gate into RETURN_TO_RUN but not the one into RETURN_TO_SPORT (1/10 pain, no loaded raises). */
    static Assessment meetsReturnToRunOnly(String id, Instant at) {
        return assessment(id, at, 27, 29, 1, true, true, null, null);
    }

    static ClearReferral clearReferral(Instant at) {
        return new ClearReferral(CLINICIAN, "Ultrasound clear, no DVT.", at);
    }

    static Assessment assessment(String id, Instant at, Integer left, Integer right, Integer pain, Boolean walking,
                                 Boolean hops, Double straightKnee, Double bentKnee) {
        return new Assessment(id, at, left, right, pain, walking, hops, straightKnee, bentKnee);
    }

    private static String rule(AdjustmentType type) {
        return type.name().toLowerCase().replace('_', '-');
    }

    private static PatternKind patternOf(AdjustmentType type) {
        return switch (type) {
            case CAP_RUN_DISTANCE, LIMIT_PROGRESSION -> PatternKind.RUNNING_TRIGGERED_DISTANCE;
            case REDUCE_RUN_INTENSITY, ADD_RECOVERY_DAY_BEFORE_INTENSE -> PatternKind.RUNNING_TRIGGERED_INTENSITY;
            case PAUSE_RUNNING, GAIT_RETRAINING -> PatternKind.RUNNING_TRIGGERED_REPEATED;
            case ADD_EXERCISE, CLINICIAN_REVIEW -> PatternKind.RANDOM;
            case RELAX_RUN_CAP -> PatternKind.SETTLED;
            case URGENT_REFERRAL -> PatternKind.RED_FLAG;
            case ADVANCE_PHASE -> null;
        };
    }
}
