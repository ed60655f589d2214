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

    /** A red-flag report that synced late: due (event time) at {@code due}, taken in by the plan later. */
    private static Adjustment lateRedFlag(String id, java.time.Instant due) {
        Adjustment a = urgentReferral(id);
        return new Adjustment(a.adjustmentId(), a.type(), a.pattern(), a.rule(), a.parameters(), a.evidenceEventIds(),
                a.reason(), due);
    }

    @Test
    void a_red_flag_dated_before_the_clearance_but_arriving_after_it_escalates_again() {
        // given a referral (day 20) that a clinician cleared on day 23
        List<PlanEvent> cleared = after(referred, clearReferral(day(23)));
        // when a red-flag report of day 21, which the clinician had not seen, syncs on day 30
        given(cleared)
                .when(autoApply(lateRedFlag("adj-red-late", day(21)), day(30)))
                // then the referral is in force again: the clearance did not cover a report it never saw
                .thenOne(AdjustmentApplied.class, e -> assertTrue(e.reason().startsWith("Running and all calf loading stopped"), e.reason()))
                .thenPlan(plan -> {
                    assertTrue(plan.flags().urgentReferral());
                    assertTrue(plan.constraints().runningPaused());
                    assertTrue(plan.exercises().stream().anyMatch(PrescribedExercise::suspended));
                });
    }

    @Test
    void a_red_flag_the_clinician_had_when_clearing_stays_cleared() {
        // given a referral (day 20) and a second red flag of day 21 that reached the plan on day 22, while it stood
        List<PlanEvent> both = after(referred, autoApply(lateRedFlag("adj-red-2", day(21)), day(22)));
        // when the clinician clears the referral on day 23, with both reports before them
        given(both)
                .when(clearReferral(day(23)))
                // then nothing is in force: the clearance covered both
                .thenPlan(plan -> {
                    assertFalse(plan.flags().urgentReferral());
                    assertFalse(plan.constraints().runningPaused());
                });
    }
}
