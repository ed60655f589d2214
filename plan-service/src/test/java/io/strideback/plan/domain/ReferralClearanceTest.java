package io.strideback.plan.domain;

import io.strideback.events.vocabulary.AdjustmentStatus;
import io.strideback.events.vocabulary.Phase;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.strideback.plan.domain.PlanFixtures.*;
import static io.strideback.plan.domain.PlanScenario.given;
import static org.junit.jupiter.api.Assertions.*;

/**
 * DOMAIN.md "Red flags always escalate": a red-flag URGENT_REFERRAL applies whenever no referral is in
 * force, however recent the last one; it ends only by a clinician's explicit clearance with a reason,
 * never by a phase change; while it is in force nothing loosens the plan.
 */
class ReferralClearanceTest {

    private final List<PlanEvent> referred = history(created(), overriding(Phase.RETURN_TO_RUN, day(14)),
            autoApply(urgentReferral("adj-red-1"), day(20)));

    @Test
    void a_phase_change_no_longer_clears_the_referral() {
        given(referred)
                .when(new ChangePhase(Phase.RETURN_TO_RUN, CLINICIAN, "Scan was clear, no DVT.", day(23)))
                .thenOne(PhaseChanged.class, e -> assertFalse(e.reason().contains("referral is cleared"), e.reason()))
                .thenPlan(plan -> {
                    assertTrue(plan.flags().urgentReferral());
                    assertTrue(plan.constraints().runningPaused());
                });
    }

    @Test
    void a_clinician_clears_the_referral_explicitly_with_a_reason_and_running_resumes() {
        given(referred)
                .when(clearReferral(day(23)))
                .then(new ReferralCleared(CLINICIAN, day(23), "Urgent referral cleared by dr-okafor: ultrasound clear, no DVT; "
                        + "now runs up to 5.0 km, at most EASY, at most +10% over the longest run of 30 days."))
                .thenPlan(plan -> {
                    assertFalse(plan.flags().urgentReferral());
                    assertFalse(plan.constraints().runningPaused());
                    assertTrue(plan.exercises().stream().noneMatch(PrescribedExercise::suspended));
                    assertEquals(Phase.RETURN_TO_RUN, plan.phase(), "a clearance is not a phase change");
                });
    }

    @Test
    void a_clearance_needs_a_reason_and_a_referral_in_force() {
        given(referred).when(new ClearReferral(CLINICIAN, " ", day(23)))
                .thenViolation(PlanRuleViolation.Kind.INVALID_COMMAND, "reason");
        given(created()).when(clearReferral(day(23)))
                .thenViolation(PlanRuleViolation.Kind.NO_REFERRAL, "no urgent referral");
    }

    @Test
    void the_same_red_flag_a_week_after_a_clearance_escalates_again() {
        List<PlanEvent> cleared = after(referred, clearReferral(day(23)));
        Adjustment again = urgentReferral("adj-red-2");
        given(cleared)
                .when(underReview(again, day(30)))
                .thenOne(AdjustmentApplied.class, e -> assertTrue(e.reason().startsWith("Running and all calf loading stopped"), e.reason()))
                .thenPlan(plan -> {
                    assertTrue(plan.flags().urgentReferral());
                    assertTrue(plan.constraints().runningPaused());
                });
    }

    @Test
    void a_second_red_flag_while_the_referral_stands_is_recorded_and_changes_nothing() {
        Adjustment again = urgentReferral("adj-red-2");
        given(referred)
                .when(autoApply(again, day(21)))
                .thenOne(AdjustmentApplied.class, e -> assertTrue(e.reason().startsWith(
                        "Urgent referral already in force, so nothing changes; the red flags (swelling and discolouration) are recorded"),
                        e.reason()))
                .thenPlan(plan -> {
                    assertEquals(RehabPlan.fold(referred).constraints(), plan.constraints());
                    assertEquals(AdjustmentStatus.APPLIED, plan.adjustment("adj-red-2").orElseThrow().status());
                });
    }

    @Test
    void while_the_referral_stands_a_settled_pattern_does_not_relax_the_cap() {
        Adjustment relax = relaxRunCap("adj-relax", 10);
        given(referred)
                .when(autoApply(relax, day(40)))
                .thenOne(AdjustmentApplied.class, e -> assertTrue(e.reason().startsWith(
                        "Run cap stays at 5.0 km while an urgent referral is in force"), e.reason()))
                .thenPlan(plan -> assertEquals(5.0, plan.constraints().maxDistanceKm()));
    }

    @Test
    void while_the_referral_stands_the_plan_does_not_move_on_even_with_an_override() {
        given(referred)
                .when(overriding(Phase.BUILD, day(30)))
                .thenViolation(PlanRuleViolation.Kind.REFERRAL_IN_FORCE, "urgent referral");
        given(referred)
                .when(new ChangePhase(Phase.RESTORE_CAPACITY, CLINICIAN, "Back to capacity work until the scan.", day(21)))
                .thenPlan(plan -> {
                    assertEquals(Phase.RESTORE_CAPACITY, plan.phase(), "moving back tightens, so it is allowed");
                    assertTrue(plan.flags().urgentReferral());
                });
    }
}
