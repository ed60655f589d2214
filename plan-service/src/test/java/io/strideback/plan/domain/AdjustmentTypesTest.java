package io.strideback.plan.domain;

import io.strideback.events.vocabulary.AdjustmentStatus;
import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.PatternKind;
import io.strideback.events.vocabulary.Phase;
import io.strideback.events.vocabulary.RunIntensity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.strideback.plan.domain.PlanFixtures.*;
import static io.strideback.plan.domain.PlanScenario.given;
import static org.junit.jupiter.api.Assertions.*;

/** Every adjustment type of DOMAIN.md's patterns table changes the plan as its name says. */
class AdjustmentTypesTest {

    @Test
    void cap_run_distance_caps_runs_at_the_proposed_distance() {
        Adjustment cap = capRunDistance("adj-cap", 3.0);
        given(created())
                .when(autoApply(cap, day(10)))
                .then(new AdjustmentApplied(cap, null, day(10),
                        "Runs capped at 3.0 km: two flare-ups followed runs longer than that "
                                + "(load monitor, pattern RUNNING_TRIGGERED_DISTANCE)."))
                .thenPlan(plan -> {
                    assertEquals(3.0, plan.constraints().maxDistanceKm());
                    assertEquals(2, plan.version());
                    PlanAdjustment shown = plan.adjustments().get(0);
                    assertEquals(AdjustmentStatus.APPLIED, shown.status());
                    assertEquals(AdjustmentType.CAP_RUN_DISTANCE, shown.type());
                    assertEquals(List.of("evt-adj-cap"), shown.evidenceEventIds());
                    assertEquals(day(10), shown.decidedAt());
                });
    }

    @Test
    void cap_run_distance_reads_integer_long_and_double_distances() {
        for (Object km : List.of(3, 3L, 3.0, "3")) {
            Adjustment cap = adjustment("adj-" + km.getClass().getSimpleName(), AdjustmentType.CAP_RUN_DISTANCE,
                    params("maxDistanceKm", km));
            given(created()).when(autoApply(cap, day(10)))
                    .thenPlan(plan -> assertEquals(3.0, plan.constraints().maxDistanceKm(), km.getClass().getName()));
        }
    }

    @Test
    void cap_run_distance_without_a_distance_keeps_the_cap_and_asks_a_clinician() {
        given(created())
                .when(autoApply(adjustment("adj-odd", AdjustmentType.CAP_RUN_DISTANCE, params("maxDistanceKm", "far")), day(10)))
                .thenOne(AdjustmentApplied.class, e -> assertTrue(e.reason().startsWith(
                        "Run cap stays at 5.0 km because the proposal came without a distance, so a clinician should set one")))
                .thenPlan(plan -> {
                    assertEquals(5.0, plan.constraints().maxDistanceKm());
                    assertTrue(plan.flags().clinicianReview());
                });
    }

    @Test
    void limit_progression_limits_each_run_to_ten_percent_over_the_longest_of_thirty_days() {
        Adjustment limit = adjustment("adj-limit", AdjustmentType.LIMIT_PROGRESSION,
                params("maxIncreasePercent", 10, "longestRun30dKm", 4.0, "maxDistanceKm", 4.4));
        given(created())
                .when(autoApply(limit, day(10)))
                .thenOne(AdjustmentApplied.class, e -> assertEquals(
                        "Each run limited to +10% over the longest run of 30 days (4.0 km), so runs are capped at 4.4 km: "
                                + "the load monitor saw a pattern (load monitor, pattern RUNNING_TRIGGERED_DISTANCE).", e.reason()))
                .thenPlan(plan -> {
                    assertEquals(10, plan.constraints().maxProgressionPercent());
                    assertEquals(4.4, plan.constraints().maxDistanceKm());
                });
    }

    @Test
    void limit_progression_never_raises_an_existing_cap() {
        Adjustment limit = adjustment("adj-limit", AdjustmentType.LIMIT_PROGRESSION,
                params("maxIncreasePercent", 10.0, "longestRun30dKm", 6L, "maxDistanceKm", 6.6));
        given(history(created(), autoApply(capRunDistance("adj-cap", 3.0), day(9))))
                .when(autoApply(limit, day(10)))
                .thenOne(AdjustmentApplied.class, e -> assertTrue(e.reason().contains("and the tighter 3.0 km cap stays")))
                .thenPlan(plan -> {
                    assertEquals(3.0, plan.constraints().maxDistanceKm());
                    assertEquals(10, plan.constraints().maxProgressionPercent());
                });
    }

    @Test
    void limit_progression_without_numbers_falls_back_to_ten_percent_and_says_so() {
        given(created(Diagnosis.CALF_PAIN_UNSPECIFIED, null))
                .when(autoApply(adjustment("adj-limit", AdjustmentType.LIMIT_PROGRESSION, Map.of()), day(10)))
                .thenOne(AdjustmentApplied.class, e -> assertTrue(e.reason().contains("the usual 10% as the proposal gave no percent")))
                .thenPlan(plan -> {
                    assertEquals(10, plan.constraints().maxProgressionPercent());
                    assertNull(plan.constraints().maxDistanceKm());
                });
    }

    @Test
    void reduce_run_intensity_keeps_runs_easy_and_keeps_the_volume() {
        given(history(created(), overriding(Phase.BUILD, day(30))))
                .when(autoApply(adjustment("adj-easy", AdjustmentType.REDUCE_RUN_INTENSITY, params("maxIntensity", "EASY")), day(40)))
                .thenOne(AdjustmentApplied.class, e -> assertTrue(e.reason().startsWith("Runs kept to EASY intensity, with the same volume:")))
                .thenPlan(plan -> {
                    assertEquals(RunIntensity.EASY, plan.constraints().maxIntensity());
                    assertEquals(5.0, plan.constraints().maxDistanceKm(), "seed 001: keep the volume");
                });
    }

    @Test
    void reduce_run_intensity_with_an_unknown_intensity_falls_back_to_easy() {
        given(history(created(), overriding(Phase.RETURN_TO_SPORT, day(30))))
                .when(autoApply(adjustment("adj-easy", AdjustmentType.REDUCE_RUN_INTENSITY, params("maxIntensity", "GENTLE")), day(40)))
                .thenOne(AdjustmentApplied.class, e -> assertTrue(e.reason().contains("as \"GENTLE\" is not an intensity")))
                .thenPlan(plan -> assertEquals(RunIntensity.EASY, plan.constraints().maxIntensity()));
    }

    @Test
    void add_recovery_day_before_intense_runs() {
        given(created())
                .when(autoApply(adjustment("adj-rec", AdjustmentType.ADD_RECOVERY_DAY_BEFORE_INTENSE, Map.of()), day(10)))
                .thenOne(AdjustmentApplied.class, e -> assertTrue(e.reason().startsWith("A recovery day now comes before every intense run:")))
                .thenPlan(plan -> assertTrue(plan.constraints().recoveryDayBeforeIntense()));
    }

    @Test
    void pause_running_pauses_runs_for_the_days_given_then_ends_by_itself() {
        LocalDate resume = LocalDate.parse("2026-04-19");
        given(history(created(), overriding(Phase.RETURN_TO_RUN, day(7))))
                .when(autoApply(adjustment("adj-pause", AdjustmentType.PAUSE_RUNNING, params("days", 5)), day(13)))
                .thenOne(AdjustmentApplied.class, e -> assertTrue(e.reason().startsWith(
                        "Running paused for 5 days, until 2026-04-19, with strength work first:"), e.reason()))
                .thenPlan(plan -> {
                    assertTrue(plan.constraints().runningPaused());
                    assertEquals(resume, plan.constraints().pausedUntil());
                    assertTrue(plan.constraintsOn(resume.minusDays(1)).runningPaused());
                    assertFalse(plan.constraintsOn(resume).runningPaused(), "pausedUntil is the first day runs resume");
                    assertNull(plan.constraintsOn(resume).pausedUntil());
                    assertEquals(5.0, plan.constraints().maxDistanceKm(), "a pause keeps the cap for later");
                });
    }

    @Test
    void pause_running_without_days_pauses_for_a_week() {
        given(history(created(), overriding(Phase.RETURN_TO_RUN, day(7))))
                .when(autoApply(adjustment("adj-pause", AdjustmentType.PAUSE_RUNNING, params("days", null)), day(13)))
                .thenOne(AdjustmentApplied.class, e -> assertTrue(e.reason().contains("a week, as the proposal gave no number of days")))
                .thenPlan(plan -> assertEquals(LocalDate.parse("2026-04-21"), plan.constraints().pausedUntil()));
    }

    @Test
    void gait_retraining_sets_a_step_rate_target_five_to_ten_percent_higher() {
        given(created())
                .when(autoApply(adjustment("adj-gait", AdjustmentType.GAIT_RETRAINING,
                        params("cadenceTargetSpm", 172, "currentCadenceSpm", 162)), day(10)))
                .thenOne(AdjustmentApplied.class, e -> assertTrue(e.reason().startsWith(
                        "Step-rate target set to 172 steps/min from 162, to lower the load on the calf with each step:")))
                .thenPlan(plan -> assertEquals(172, plan.constraints().cadenceTargetSpm()));
    }

    @Test
    void gait_retraining_holds_a_target_to_ten_percent_and_fills_in_five_percent_when_none_is_given() {
        given(created())
                .when(autoApply(adjustment("adj-gait", AdjustmentType.GAIT_RETRAINING,
                        params("cadenceTargetSpm", 190.0, "currentCadenceSpm", 160)), day(10)))
                .thenPlan(plan -> assertEquals(176, plan.constraints().cadenceTargetSpm(), "Heiderscheit 2011: at most +10%"));
        given(created())
                .when(autoApply(adjustment("adj-gait", AdjustmentType.GAIT_RETRAINING, params("currentCadenceSpm", 160)), day(10)))
                .thenPlan(plan -> assertEquals(168, plan.constraints().cadenceTargetSpm(), "+5%"));
        given(created())
                .when(autoApply(adjustment("adj-gait", AdjustmentType.GAIT_RETRAINING, Map.of()), day(10)))
                .thenOne(AdjustmentApplied.class, e -> assertTrue(e.reason().startsWith("No step-rate target set because the proposal gave no cadence")))
                .thenPlan(plan -> assertNull(plan.constraints().cadenceTargetSpm()));
    }

    @Test
    void add_exercise_adds_neural_glides_once() {
        Adjustment glides = adjustment("adj-glides", AdjustmentType.ADD_EXERCISE, PatternKind.RANDOM,
                params("exercise", "NEURAL_GLIDES"), "Tingling and heat came with two flare-ups at rest.");
        Adjustment again = adjustment("adj-glides-2", AdjustmentType.ADD_EXERCISE, params("exercise", "NEURAL_GLIDES"));
        PlanScenario scenario = given(history(created(), autoApply(glides, day(10))))
                .when(autoApply(again, day(12)))
                .thenOne(AdjustmentApplied.class, e -> assertTrue(e.reason().startsWith("Neural glides already in the plan")));
        RehabPlan plan = scenario.planAfter();
        assertEquals(1, plan.exercises().stream().filter(e -> e.name().equals(RehabTemplate.NEURAL_GLIDES)).count());
        RehabPlan restore = RehabPlan.fold(history(created(), autoApply(glides, day(10)),
                changePhase(Phase.RESTORE_CAPACITY, day(14))));
        assertTrue(restore.exercises().stream().anyMatch(e -> e.name().equals(RehabTemplate.NEURAL_GLIDES)),
                "an added exercise stays through phase changes");
    }

    @Test
    void add_exercise_heel_raises_with_a_ball_and_a_tibialis_posterior_screen() {
        given(created())
                .when(autoApply(adjustment("adj-tp", AdjustmentType.ADD_EXERCISE,
                        params("exercise", "MODIFIED_HEEL_RAISE_WITH_BALL", "screen", "TIBIALIS_POSTERIOR")), day(10)))
                .thenOne(AdjustmentApplied.class, e -> assertTrue(e.reason().startsWith(
                        "Heel raises with a ball between the heels added to the plan, and a tibialis posterior screen is due with a clinician:")))
                .thenPlan(plan -> {
                    assertTrue(plan.exercises().stream().anyMatch(e -> e.name().equals(RehabTemplate.MODIFIED_HEEL_RAISE_WITH_BALL)));
                    assertEquals(List.of("TIBIALIS_POSTERIOR"), plan.screensDue());
                    assertTrue(plan.flags().clinicianReview(), "a screen needs a clinician");
                });
    }

    @Test
    void add_exercise_of_an_unknown_exercise_keeps_it_by_name_for_a_clinician_to_dose() {
        given(created())
                .when(autoApply(adjustment("adj-x", AdjustmentType.ADD_EXERCISE, params("exercise", "foam_rolling")), day(10)))
                .thenPlan(plan -> {
                    PrescribedExercise added = plan.exercises().get(plan.exercises().size() - 1);
                    assertEquals("FOAM_ROLLING", added.name());
                    assertEquals("as your clinician sets", added.reps());
                    assertTrue(plan.flags().clinicianReview());
                });
    }

    @Test
    void clinician_review_flags_the_plan_with_the_concern() {
        given(created())
                .when(autoApply(adjustment("adj-rev", AdjustmentType.CLINICIAN_REVIEW, PatternKind.RANDOM,
                        params("concern", "RANDOM_FLARE_UPS"), "Two flare-ups came while walking, not from running."), day(10)))
                .thenOne(AdjustmentApplied.class, e -> assertEquals("Flagged for a clinician's review of random flare ups: "
                        + "two flare-ups came while walking, not from running (load monitor, pattern RANDOM).", e.reason()))
                .thenPlan(plan -> {
                    assertTrue(plan.flags().clinicianReview());
                    assertFalse(plan.flags().urgentReferral());
                });
    }

    @Test
    void relax_run_cap_raises_the_cap_by_the_percent() {
        Adjustment relax = relaxRunCap("adj-relax", 10);
        given(history(created(), autoApply(capRunDistance("adj-cap", 3.0), day(9))))
                .when(autoApply(relax, day(30)))
                .then(new AdjustmentApplied(relax, null, day(30), "Run cap raised from 3.0 km to 3.3 km (+10%): fourteen days "
                        + "without a flare-up while running under the cap (load monitor, pattern SETTLED)."))
                .thenPlan(plan -> assertEquals(3.3, plan.constraints().maxDistanceKm()));
    }

    @Test
    void relax_run_cap_is_relative_to_the_current_cap_and_ignores_an_absolute_distance() {
        // Rules v2 (DOMAIN.md settled): no absolute target; a v1 maxDistanceKm no longer sets the cap (RelaxRunCapTest).
        given(history(created(), autoApply(capRunDistance("adj-cap", 3.0), day(9))))
                .when(autoApply(adjustment("adj-relax", AdjustmentType.RELAX_RUN_CAP, params("percent", 10, "maxDistanceKm", 4)), day(30)))
                .thenPlan(plan -> assertEquals(3.3, plan.constraints().maxDistanceKm()));
        given(history(created(), autoApply(capRunDistance("adj-cap", 3.0), day(9))))
                .when(autoApply(adjustment("adj-relax", AdjustmentType.RELAX_RUN_CAP, params("percent", 10, "ceilingKm", 2.5)), day(30)))
                .thenOne(AdjustmentApplied.class, e -> assertTrue(e.reason().startsWith("Run cap stays at 3.0 km as the longest run of 30 days + 10% (2.5 km) is not above it"), e.reason()))
                .thenPlan(plan -> assertEquals(3.0, plan.constraints().maxDistanceKm()));
        given(created(Diagnosis.CALF_PAIN_UNSPECIFIED, null))
                .when(autoApply(relaxRunCap("adj-relax", 10), day(30)))
                .thenOne(AdjustmentApplied.class, e -> assertTrue(e.reason().startsWith("Nothing to relax as runs have no distance cap")))
                .thenPlan(plan -> assertNull(plan.constraints().maxDistanceKm()));
    }

    @Test
    void urgent_referral_stops_running_and_all_calf_loading() {
        Adjustment referral = urgentReferral("adj-red");
        given(history(created(), changePhase(Phase.RESTORE_CAPACITY, day(7))))
                .when(autoApply(referral, day(10)))
                .then(new AdjustmentApplied(referral, null, day(10), "Running and all calf loading stopped for an urgent referral, "
                        + "until a clinician clears the plan, because of swelling and discolouration: swelling and discolouration "
                        + "were reported (load monitor, pattern RED_FLAG)."))
                .thenPlan(plan -> {
                    assertTrue(plan.flags().urgentReferral());
                    assertTrue(plan.constraints().runningPaused());
                    assertTrue(plan.exercises().stream().allMatch(PrescribedExercise::suspended), "every RESTORE exercise loads the calf");
                    assertTrue(plan.exercises().get(0).frequency().contains("suspended until a clinician clears"));
                });
    }

    @ParameterizedTest
    @EnumSource(AdjustmentType.class)
    void every_adjustment_type_survives_missing_parameters_with_a_plain_reason(AdjustmentType type) {
        Map<String, Object> nothing = new HashMap<>();
        nothing.put("unexpected", null);
        for (Map<String, Object> parameters : Arrays.asList(null, nothing)) {
            given(created())
                    .when(autoApply(new Adjustment("adj-" + type, type, null, null, parameters, null, null), day(10)))
                    .thenOne(AdjustmentApplied.class, e -> {
                        assertTrue(e.reason().endsWith("(load monitor)."), e.reason());
                        assertFalse(e.reason().contains("null"), e.reason());
                    })
                    .thenPlan(plan -> assertEquals(AdjustmentStatus.APPLIED, plan.adjustments().get(0).status()));
        }
    }
}
