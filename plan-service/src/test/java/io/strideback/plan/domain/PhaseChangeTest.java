package io.strideback.plan.domain;

import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.Phase;
import io.strideback.events.vocabulary.RunIntensity;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.strideback.plan.domain.PlanFixtures.*;
import static io.strideback.plan.domain.PlanScenario.given;
import static org.junit.jupiter.api.Assertions.*;

/** A clinician moves the plan through PROTECT -> RESTORE_CAPACITY -> RETURN_TO_RUN -> BUILD -> RETURN_TO_SPORT, or to any phase. */
class PhaseChangeTest {

    @Test
    void a_clinician_moves_the_plan_on_and_the_event_says_from_where_to_where_and_why() {
        given(created())
                .when(new ChangePhase(Phase.RESTORE_CAPACITY, CLINICIAN, "A week of rest is over and walking is pain-free.", day(7)))
                .then(new PhaseChanged(Phase.PROTECT, Phase.RESTORE_CAPACITY, CLINICIAN, day(7),
                        "Moved from PROTECT to RESTORE_CAPACITY by dr-okafor: a week of rest is over and walking is pain-free; "
                                + "now running paused, then runs up to 5.0 km, at most EASY."))
                .thenPlan(plan -> {
                    assertEquals(Phase.RESTORE_CAPACITY, plan.phase());
                    assertTrue(plan.constraints().runningPaused(), "capacity before running (seed 001)");
                    assertEquals(RehabTemplate.SINGLE_LEG_CALF_RAISE_STRAIGHT_KNEE, plan.exercises().get(0).name());
                });
    }

    @Test
    void return_to_run_brings_walk_run_capped_at_the_symptom_free_distance() {
        given(history(created(Diagnosis.CALF_STRAIN_SOLEUS, 3.0), changePhase(Phase.RESTORE_CAPACITY, day(7))))
                .when(overriding(Phase.RETURN_TO_RUN, day(35)))
                .thenPlan(plan -> {
                    assertEquals(new RunConstraints(3.0, RunIntensity.EASY, 1, false, null, false, 10, null), plan.constraints());
                    assertEquals(RehabTemplate.WALK_RUN, plan.exercises().get(0).name());
                });
    }

    @Test
    void build_brings_intervals_back_with_a_recovery_day_and_grows_from_the_cap_it_starts_with() {
        given(history(created(), overriding(Phase.RETURN_TO_RUN, day(14))))
                .when(overriding(Phase.BUILD, day(42)))
                .thenPlan(plan -> {
                    assertEquals(new RunConstraints(5.0, RunIntensity.INTERVALS, 0, true, null, false, 10, null), plan.constraints());
                    assertTrue(plan.exercises().stream().anyMatch(e -> e.name().equals(RehabTemplate.SHORT_INTERVALS)));
                });
    }

    @Test
    void return_to_sport_lifts_the_phase_limits_but_keeps_the_ten_percent_rule() {
        given(history(created(Diagnosis.SILENT_SOLEUS_STRAIN, 3.0), overriding(Phase.BUILD, day(42))))
                .when(overriding(Phase.RETURN_TO_SPORT, day(70)))
                .thenPlan(plan -> {
                    assertEquals(new RunConstraints(null, null, 0, true, null, false, 10, null), plan.constraints());
                    assertEquals(RehabTemplate.SPRINTS_AND_CHANGE_OF_DIRECTION, plan.exercises().get(0).name());
                    assertNull(plan.gates());
                    assertEquals(List.of(), plan.gatesAhead());
                });
    }

    @Test
    void a_clinician_may_move_the_plan_back() {
        given(history(created(), overriding(Phase.BUILD, day(42))))
                .when(new ChangePhase(Phase.PROTECT, CLINICIAN, "Re-strained on a hill run.", day(50)))
                .thenOne(PhaseChanged.class, e -> {
                    assertEquals(Phase.BUILD, e.from());
                    assertEquals(Phase.PROTECT, e.to());
                    assertTrue(e.reason().startsWith("Moved from BUILD to PROTECT by dr-okafor: re-strained on a hill run; now running paused"));
                })
                .thenPlan(plan -> {
                    assertEquals(Phase.PROTECT, plan.phase());
                    assertTrue(plan.constraints().runningPaused());
                });
    }

    @Test
    void moving_into_build_lifts_an_intensity_limit_and_says_so_while_the_cap_stays() {
        List<PlanEvent> h = history(created(), overriding(Phase.BUILD, day(30)),
                autoApply(adjustment("adj-easy", AdjustmentType.REDUCE_RUN_INTENSITY, params("maxIntensity", "EASY")), day(35)),
                autoApply(capRunDistance("adj-cap", 4.0), day(35)));
        assertEquals(RunIntensity.EASY, RehabPlan.fold(h).constraints().maxIntensity());
        given(h).when(overriding(Phase.RETURN_TO_RUN, day(40)))
                .thenPlan(plan -> assertEquals(RunIntensity.EASY, plan.constraints().maxIntensity()));
        given(after(h, overriding(Phase.RETURN_TO_RUN, day(40))))
                .when(new ChangePhase(Phase.BUILD, CLINICIAN, "Easy runs settled; time for short intervals.", day(60)))
                .thenOne(PhaseChanged.class, e -> {
                    assertTrue(e.reason().contains("the EASY limit from an earlier adjustment is lifted as intervals bring intensity back (seed 001)"), e.reason());
                    assertTrue(e.reason().contains("still in force from earlier adjustments: a 4.0 km run cap"), e.reason());
                })
                .thenPlan(plan -> {
                    assertEquals(RunIntensity.INTERVALS, plan.constraints().maxIntensity());
                    assertEquals(4.0, plan.constraints().maxDistanceKm());
                });
    }

    @Test
    void a_phase_change_is_a_clinicians_review_so_the_review_flag_clears() {
        given(history(created(), autoApply(adjustment("adj-rev", AdjustmentType.CLINICIAN_REVIEW, params("concern", "random flare-ups")), day(5))))
                .when(changePhase(Phase.PROTECT, day(6)))
                .thenPlan(plan -> assertEquals(PlanFlags.NONE, plan.flags()));
    }

    @Test
    void a_phase_change_needs_a_phase_and_a_clinician() {
        given(created()).when(new ChangePhase(null, CLINICIAN, "why", day(3)))
                .thenViolation(PlanRuleViolation.Kind.INVALID_COMMAND, "phase");
        given(created()).when(new ChangePhase(Phase.BUILD, null, "why", day(3)))
                .thenViolation(PlanRuleViolation.Kind.INVALID_COMMAND, "clinician");
    }
}
