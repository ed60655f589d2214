package io.strideback.plan.domain;

import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.Phase;
import io.strideback.events.vocabulary.RunIntensity;
import io.strideback.events.vocabulary.Side;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.strideback.plan.domain.PlanFixtures.*;
import static io.strideback.plan.domain.PlanScenario.given;
import static io.strideback.plan.domain.PlanScenario.givenNoPlan;
import static io.strideback.plan.domain.RehabTemplate.*;
import static org.junit.jupiter.api.Assertions.*;

/** Enrolment makes the plan from the template for the diagnosis (DOMAIN.md "The plan"); one test per diagnosis. */
class CreatePlanTest {

    private static List<String> names(List<PrescribedExercise> exercises) {
        return exercises.stream().map(PrescribedExercise::name).toList();
    }

    private static RehabPlan planIn(Diagnosis diagnosis, Double km, Phase phase) {
        List<PlanEvent> h = history(created(diagnosis, km));
        if (phase != Phase.PROTECT) {
            h = after(h, overriding(phase, day(7)));
        }
        return RehabPlan.fold(h);
    }

    @Test
    void enrolment_creates_the_plan_in_protect_with_a_reason_anyone_can_read() {
        givenNoPlan()
                .when(new CreatePlan(ATHLETE, CLINIC, Diagnosis.CALF_STRAIN_SOLEUS, Side.LEFT, INJURY, 3.0, ENROLLED))
                .then(new PlanCreated(ATHLETE, CLINIC, Diagnosis.CALF_STRAIN_SOLEUS, Side.LEFT, INJURY, 3.0, ENROLLED,
                        "Plan made from the CALF_STRAIN_SOLEUS template for the left calf, starting with a week of relative "
                                + "rest (PROTECT) with walking and isometrics if pain-free, then runs up to 3.0 km, the "
                                + "distance run before symptoms (seed 001), never on consecutive days."))
                .thenPlan(plan -> {
                    assertEquals(1, plan.version());
                    assertEquals(Phase.PROTECT, plan.phase());
                    assertEquals(ATHLETE, plan.athleteId());
                    assertEquals(CLINIC, plan.clinicId());
                    assertEquals(Side.LEFT, plan.side());
                    assertEquals(new RunConstraints(3.0, RunIntensity.EASY, 1, false, null, true, null, null), plan.constraints());
                    assertEquals(PlanFlags.NONE, plan.flags());
                    assertEquals(List.of(), plan.adjustments());
                });
    }

    @ParameterizedTest
    @EnumSource(Diagnosis.class)
    void every_diagnosis_starts_with_a_week_of_relative_rest(Diagnosis diagnosis) {
        given(created(diagnosis, 4.0)).thenPlan(plan -> {
            assertEquals(Phase.PROTECT, plan.phase());
            assertTrue(plan.constraints().runningPaused(), "relative rest: no running in PROTECT");
            assertEquals(4.0, plan.constraints().maxDistanceKm(), "seed 001: the distance run before symptoms");
            assertTrue(names(plan.exercises()).containsAll(List.of(WALKING, CALF_ISOMETRIC_HOLD)));
        });
    }

    @ParameterizedTest
    @EnumSource(Diagnosis.class)
    void every_diagnosis_has_a_prescription_in_every_phase_without_duplicates(Diagnosis diagnosis) {
        for (Phase phase : Phase.values()) {
            List<PrescribedExercise> exercises = RehabTemplate.exercises(diagnosis, phase);
            assertFalse(exercises.isEmpty(), diagnosis + " " + phase);
            Set<String> seen = new HashSet<>();
            for (PrescribedExercise e : exercises) {
                assertTrue(seen.add(e.name()), "duplicate " + e.name() + " in " + diagnosis + " " + phase);
                assertFalse(e.why().isBlank(), e.name() + " says why");
                assertTrue(e.why().matches(".*\\((seed|Goldman|Green|Silbernagel|Frandsen|Heiderscheit).*\\)\\.$"),
                        e.name() + " cites its source: " + e.why());
            }
        }
    }

    @Test
    void template_calf_strain_gastrocnemius() {
        RehabPlan restore = planIn(Diagnosis.CALF_STRAIN_GASTROCNEMIUS, 5.0, Phase.RESTORE_CAPACITY);
        assertEquals(List.of(SINGLE_LEG_CALF_RAISE_STRAIGHT_KNEE, SINGLE_LEG_CALF_RAISE_BENT_KNEE, SEATED_CALF_RAISE,
                SOLEUS_SQUAT, TOE_FLEXOR_ISOMETRIC, ANKLE_INVERSION_EVERSION_BAND, SPLIT_SQUAT, ROMANIAN_DEADLIFT, HIP_THRUST),
                names(restore.exercises()));
        PrescribedExercise straightKnee = restore.exercises().get(0);
        assertEquals("15RM, progressing to 8-12RM", straightKnee.reps(), "seed 001: 15RM towards 8-12RM");
        assertTrue(straightKnee.load().contains("RPE 7"));
        assertTrue(straightKnee.load().contains("4/10"), "Silbernagel 2007: pain up to 4/10 acceptable");
        assertTrue(straightKnee.why().startsWith("The strained gastrocnemius"));
        assertTrue(restore.exercises().get(4).reps().contains("3 s"), "Goldman 2012: 3-s heavy isometrics");
        assertEquals(0, restore.constraints().minRestDaysBetweenRuns());
        assertFalse(names(restore.exercises()).contains(NEURAL_GLIDES));
    }

    @Test
    void template_calf_strain_soleus_never_runs_on_consecutive_days() {
        for (Phase phase : List.of(Phase.PROTECT, Phase.RESTORE_CAPACITY, Phase.RETURN_TO_RUN, Phase.BUILD)) {
            assertEquals(1, planIn(Diagnosis.CALF_STRAIN_SOLEUS, 3.0, phase).constraints().minRestDaysBetweenRuns(), phase.name());
        }
        RehabPlan restore = planIn(Diagnosis.CALF_STRAIN_SOLEUS, 3.0, Phase.RESTORE_CAPACITY);
        assertTrue(restore.exercises().get(1).why().startsWith("The strained soleus"));
        RehabPlan returnToRun = planIn(Diagnosis.CALF_STRAIN_SOLEUS, 3.0, Phase.RETURN_TO_RUN);
        assertEquals("every other day, never on consecutive days (soleus)", returnToRun.exercises().get(0).frequency());
    }

    @Test
    void template_silent_soleus_strain_is_treated_as_a_soleus_strain() {
        RehabPlan plan = planIn(Diagnosis.SILENT_SOLEUS_STRAIN, null, Phase.PROTECT);
        assertEquals(1, plan.constraints().minRestDaysBetweenRuns());
        assertNull(plan.constraints().maxDistanceKm(), "no symptom-free distance known");
        RehabPlan restore = planIn(Diagnosis.SILENT_SOLEUS_STRAIN, null, Phase.RESTORE_CAPACITY);
        assertTrue(restore.exercises().stream().anyMatch(e -> e.name().equals(SOLEUS_SQUAT) && e.why().contains("silent strain")));
    }

    @Test
    void template_neural_tension_has_neural_glides_from_the_start_and_in_every_phase() {
        for (Phase phase : Phase.values()) {
            List<PrescribedExercise> exercises = planIn(Diagnosis.NEURAL_TENSION, 5.0, phase).exercises();
            assertEquals(NEURAL_GLIDES, exercises.get(0).name(), phase.name());
            assertTrue(exercises.get(0).frequency().contains("several times a day"), "seed 001: short and often");
            assertTrue(exercises.get(0).why().contains("15-20 min"), "seed 001: irritation settles in 15-20 min");
        }
        assertEquals(0, planIn(Diagnosis.NEURAL_TENSION, 5.0, Phase.PROTECT).constraints().minRestDaysBetweenRuns());
    }

    @Test
    void template_tibialis_posterior_has_heel_raises_with_a_ball_once_loading_starts() {
        assertFalse(names(planIn(Diagnosis.TIBIALIS_POSTERIOR, 5.0, Phase.PROTECT).exercises())
                .contains(MODIFIED_HEEL_RAISE_WITH_BALL), "PROTECT keeps to walking and isometrics");
        RehabPlan restore = planIn(Diagnosis.TIBIALIS_POSTERIOR, 5.0, Phase.RESTORE_CAPACITY);
        assertEquals(MODIFIED_HEEL_RAISE_WITH_BALL, restore.exercises().get(0).name());
        assertTrue(restore.exercises().get(0).load().contains("ball between the heels"), "seed 000");
    }

    @Test
    void template_calf_pain_unspecified_without_a_symptom_free_distance_starts_walk_run_at_two_km() {
        RehabPlan protect = planIn(Diagnosis.CALF_PAIN_UNSPECIFIED, null, Phase.PROTECT);
        assertNull(protect.constraints().maxDistanceKm());
        RehabPlan returnToRun = planIn(Diagnosis.CALF_PAIN_UNSPECIFIED, null, Phase.RETURN_TO_RUN);
        assertEquals(WALK_RUN_START_KM, returnToRun.constraints().maxDistanceKm());
        assertEquals(WALK_RUN, returnToRun.exercises().get(0).name());
        assertTrue(names(returnToRun.exercises()).containsAll(List.of(ROMANIAN_DEADLIFT, HIP_THRUST)), "seed 000: hinge work");
    }

    @Test
    void a_symptom_free_distance_of_zero_starts_walk_run_short_rather_than_never() {
        RehabPlan protect = planIn(Diagnosis.CALF_STRAIN_GASTROCNEMIUS, 0.0, Phase.PROTECT);
        assertNull(protect.constraints().maxDistanceKm());
        assertEquals(WALK_RUN_START_KM, planIn(Diagnosis.CALF_STRAIN_GASTROCNEMIUS, 0.0, Phase.RETURN_TO_RUN).constraints().maxDistanceKm());
    }

    @Test
    void a_second_enrolment_is_refused() {
        given(created())
                .when(new CreatePlan(ATHLETE, CLINIC, Diagnosis.NEURAL_TENSION, Side.RIGHT, INJURY, null, day(1)))
                .thenViolation(PlanRuleViolation.Kind.PLAN_EXISTS, "already has a rehab plan");
    }

    @Test
    void an_enrolment_without_diagnosis_or_with_a_negative_distance_is_refused() {
        givenNoPlan()
                .when(new CreatePlan(ATHLETE, CLINIC, null, Side.LEFT, INJURY, 3.0, ENROLLED))
                .thenViolation(PlanRuleViolation.Kind.INVALID_COMMAND, "diagnosis");
        givenNoPlan()
                .when(new CreatePlan(ATHLETE, CLINIC, Diagnosis.CALF_STRAIN_SOLEUS, Side.LEFT, INJURY, -1.0, ENROLLED))
                .thenViolation(PlanRuleViolation.Kind.INVALID_COMMAND, "kilometres");
        givenNoPlan()
                .when(new CreatePlan(ATHLETE, CLINIC, Diagnosis.CALF_STRAIN_SOLEUS, Side.LEFT, INJURY, 3.0, null))
                .thenViolation(PlanRuleViolation.Kind.INVALID_COMMAND, "time");
    }

    @Test
    void nothing_can_be_done_to_a_plan_that_does_not_exist() {
        givenNoPlan().when(autoApply(capRunDistance("adj-1", 3.0), day(1)))
                .thenViolation(PlanRuleViolation.Kind.NO_PLAN, "no rehab plan");
        givenNoPlan().when(changePhase(Phase.RETURN_TO_RUN, day(1)))
                .thenViolation(PlanRuleViolation.Kind.NO_PLAN, "no rehab plan");
        givenNoPlan().when(new ApproveAdjustment("adj-1", CLINICIAN, day(1)))
                .thenViolation(PlanRuleViolation.Kind.NO_PLAN, "no rehab plan");
        assertEquals(List.of(), RehabPlan.empty().exercises());
        assertNull(RehabPlan.empty().gates());
        assertFalse(RehabPlan.empty().exists());
    }
}
