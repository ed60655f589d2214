package io.strideback.plan.domain;

import io.strideback.events.vocabulary.AdjustmentStatus;
import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.PatternKind;
import io.strideback.events.vocabulary.Phase;
import io.strideback.events.vocabulary.RunIntensity;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static io.strideback.plan.domain.PlanFixtures.*;
import static io.strideback.plan.domain.PlanScenario.given;
import static org.junit.jupiter.api.Assertions.*;

/**
 * DOMAIN.md "Convergence": when a late event changes the findings, the monitor withdraws what its evidence no
 * longer supports, and the plan's constraints become what they would be had the withdrawn adjustment never
 * applied. Clinicians' decisions stay as made; an urgent referral ends only by a clinician's clearance.
 */
class WithdrawalTest {

    private static final String NO_LONGER = "A late run showed the flare-ups came after runs within the cap.";

    private static WithdrawAdjustment withdraw(String id, Instant at) {
        return new WithdrawAdjustment(id, null, NO_LONGER, at);
    }

    /** RETURN_TO_RUN for the 5 km gastrocnemius strain: the phase caps runs at 5.0 km, EASY. */
    private static List<PlanEvent> returningToRun(PlanCommand... more) {
        PlanCommand[] all = new PlanCommand[more.length + 1];
        all[0] = overriding(Phase.RETURN_TO_RUN, day(10));
        System.arraycopy(more, 0, all, 1, more.length);
        return history(created(), all);
    }

    @Test
    void a_withdrawn_cap_releases_the_plan_to_the_next_tightest_cap() {
        List<PlanEvent> h = returningToRun(autoApply(capRunDistance("adj-cap-3", 3.0), day(20)),
                autoApply(capRunDistance("adj-cap-4", 4.0), day(21)));
        assertEquals(3.0, RehabPlan.fold(h).constraints().maxDistanceKm());

        given(h).when(withdraw("adj-cap-3", day(22)))
                .thenOne(AdjustmentWithdrawn.class, e -> {
                    assertEquals("adj-cap-3", e.adjustmentId());
                    assertEquals(AdjustmentType.CAP_RUN_DISTANCE, e.type());
                    assertEquals("Run distance cap withdrawn by the load monitor, so the plan is as if it had never applied; "
                            + "now runs up to 4.0 km, at most EASY, at most +10% over the longest run of 30 days: a late run "
                            + "showed the flare-ups came after runs within the cap (load monitor).", e.reason());
                })
                .thenPlan(plan -> {
                    assertEquals(4.0, plan.constraints().maxDistanceKm());
                    PlanAdjustment cap = plan.adjustment("adj-cap-3").orElseThrow();
                    assertEquals(AdjustmentStatus.WITHDRAWN, cap.status());
                    assertTrue(cap.reason().contains("a late run showed"), cap.reason());
                    assertEquals(AdjustmentStatus.APPLIED, plan.adjustment("adj-cap-4").orElseThrow().status());
                });

        h = after(h, withdraw("adj-cap-3", day(22)));
        given(h).when(withdraw("adj-cap-4", day(23)))
                .thenPlan(plan -> assertEquals(5.0, plan.constraints().maxDistanceKm(), "back to the phase's own cap"));
    }

    @Test
    void a_withdrawn_pause_unpauses_running() {
        Adjustment pause = adjustment("adj-pause", AdjustmentType.PAUSE_RUNNING, params("days", 7));
        List<PlanEvent> h = returningToRun(autoApply(pause, day(20)));
        assertTrue(RehabPlan.fold(h).constraints().runningPaused());

        given(h).when(withdraw("adj-pause", day(21)))
                .thenPlan(plan -> {
                    assertFalse(plan.constraints().runningPaused());
                    assertNull(plan.constraints().pausedUntil());
                });
    }

    @Test
    void a_withdrawn_intensity_limit_gives_back_the_phase_intensity_and_its_recovery_day_stays_with_the_phase() {
        List<PlanEvent> h = history(created(), overriding(Phase.BUILD, day(10)),
                autoApply(adjustment("adj-easy", AdjustmentType.REDUCE_RUN_INTENSITY, params("maxIntensity", "EASY")), day(20)),
                autoApply(adjustment("adj-gait", AdjustmentType.GAIT_RETRAINING,
                        params("currentCadenceSpm", 160, "cadenceTargetSpm", 170)), day(20)));
        assertEquals(RunIntensity.EASY, RehabPlan.fold(h).constraints().maxIntensity());

        given(h).when(withdraw("adj-easy", day(21)))
                .thenPlan(plan -> {
                    assertEquals(RunIntensity.INTERVALS, plan.constraints().maxIntensity(), "BUILD's own intervals");
                    assertTrue(plan.constraints().recoveryDayBeforeIntense(), "BUILD's recovery day was never the adjustment's");
                    assertEquals(170, plan.constraints().cadenceTargetSpm(), "the gait retraining still in force stays");
                });
    }

    @Test
    void a_relaxed_cap_over_a_withdrawn_cap_is_recomputed_from_the_cap_that_remains() {
        // DOMAIN.md settled: the plan's current cap x 1.10. Without the 3.0 km cap the current cap was the phase's 5.0 km.
        List<PlanEvent> h = returningToRun(autoApply(capRunDistance("adj-cap", 3.0), day(20)),
                autoApply(relaxRunCap("adj-relax", 10), day(34)));
        assertEquals(3.3, RehabPlan.fold(h).constraints().maxDistanceKm());

        given(h).when(withdraw("adj-cap", day(35)))
                .thenPlan(plan -> assertEquals(5.5, plan.constraints().maxDistanceKm()));
    }

    @Test
    void a_withdrawn_review_flag_and_exercise_leave_the_plan() {
        List<PlanEvent> h = returningToRun(
                autoApply(adjustment("adj-review", AdjustmentType.CLINICIAN_REVIEW, params("concern", "NEURAL_TENSION")), day(20)),
                autoApply(adjustment("adj-glides", AdjustmentType.ADD_EXERCISE, params("exercise", "NEURAL_GLIDES")), day(20)));
        assertTrue(RehabPlan.fold(h).flags().clinicianReview());

        h = after(h, withdraw("adj-review", day(21)));
        h = after(h, withdraw("adj-glides", day(21)));
        RehabPlan plan = RehabPlan.fold(h);
        assertFalse(plan.flags().clinicianReview());
        assertTrue(plan.exercises().stream().noneMatch(e -> e.name().equals("NEURAL_GLIDES")));
    }

    @Test
    void a_pending_adjustment_withdrawn_leaves_the_approval_queue_and_can_no_longer_be_approved() {
        List<PlanEvent> h = returningToRun(underReview(capRunDistance("adj-cap", 3.0), day(20)));
        assertEquals(1, RehabPlan.fold(h).pendingAdjustments().size());

        given(h).when(withdraw("adj-cap", day(21)))
                .thenOne(AdjustmentWithdrawn.class, e -> assertTrue(e.reason().startsWith("Run distance cap withdrawn by the load "
                        + "monitor before a clinician decided it, so it leaves the approval queue and the plan stays as it was"),
                        e.reason()))
                .thenPlan(plan -> {
                    assertTrue(plan.pendingAdjustments().isEmpty());
                    assertEquals(AdjustmentStatus.WITHDRAWN, plan.adjustment("adj-cap").orElseThrow().status());
                    assertEquals(5.0, plan.constraints().maxDistanceKm());
                });
        given(after(h, withdraw("adj-cap", day(21))))
                .when(new ApproveAdjustment("adj-cap", CLINICIAN, day(22)))
                .thenViolation(PlanRuleViolation.Kind.NOT_PENDING, "already withdrawn");
    }

    @Test
    void an_approved_adjustment_withdrawn_stops_shaping_the_plan_and_the_approval_stays_in_the_history() {
        List<PlanEvent> h = returningToRun(underReview(capRunDistance("adj-cap", 3.0), day(20)),
                new ApproveAdjustment("adj-cap", CLINICIAN, day(21)));
        assertEquals(3.0, RehabPlan.fold(h).constraints().maxDistanceKm());

        List<PlanEvent> withdrawn = after(h, withdraw("adj-cap", day(22)));
        assertEquals(5.0, RehabPlan.fold(withdrawn).constraints().maxDistanceKm());
        assertTrue(withdrawn.stream().anyMatch(e -> e instanceof AdjustmentApplied a && CLINICIAN.equals(a.approvedBy())));
    }

    @Test
    void a_rejection_stands_as_the_clinician_made_it() {
        List<PlanEvent> h = returningToRun(underReview(capRunDistance("adj-cap", 3.0), day(20)),
                new RejectAdjustment("adj-cap", CLINICIAN, "Runs are going well.", day(21)));
        given(h).when(withdraw("adj-cap", day(22))).thenNothing();
    }

    @Test
    void a_withdrawal_of_an_adjustment_the_plan_never_had_or_already_withdrew_changes_nothing() {
        List<PlanEvent> h = returningToRun(autoApply(capRunDistance("adj-cap", 3.0), day(20)));
        given(h).when(withdraw("adj-unknown", day(21))).thenNothing();
        given(after(h, withdraw("adj-cap", day(21)))).when(withdraw("adj-cap", day(22))).thenNothing();
    }

    @Test
    void a_withdrawn_adjustment_proposed_again_applies_again() {
        List<PlanEvent> h = returningToRun(autoApply(capRunDistance("adj-cap", 3.0), day(20)));
        h = after(h, withdraw("adj-cap", day(21)));
        given(h).when(autoApply(capRunDistance("adj-cap", 3.0), day(22)))
                .thenOne(AdjustmentApplied.class, e -> assertEquals("adj-cap", e.adjustment().adjustmentId()))
                .thenPlan(plan -> {
                    assertEquals(3.0, plan.constraints().maxDistanceKm());
                    assertEquals(AdjustmentStatus.APPLIED, plan.adjustment("adj-cap").orElseThrow().status());
                });
    }

    @Test
    void an_urgent_referral_withdrawn_by_the_monitor_stays_in_force_until_a_clinician_clears_it() {
        List<PlanEvent> h = returningToRun(autoApply(urgentReferral("adj-referral"), day(20)));

        given(h).when(withdraw("adj-referral", day(21)))
                .thenOne(AdjustmentWithdrawn.class, e -> assertTrue(e.reason().startsWith("Urgent referral withdrawn by the load "
                        + "monitor, but the referral stays in force until a clinician clears it"), e.reason()))
                .thenPlan(plan -> {
                    assertTrue(plan.flags().urgentReferral());
                    assertTrue(plan.constraints().runningPaused());
                    assertEquals(AdjustmentStatus.APPLIED, plan.adjustment("adj-referral").orElseThrow().status());
                });

        h = after(h, withdraw("adj-referral", day(21)));
        given(h).when(changePhase(Phase.BUILD, day(22)))
                .thenViolation(PlanRuleViolation.Kind.REFERRAL_IN_FORCE, "urgent referral is in force");
        given(h).when(clearReferral(day(22)))
                .thenPlan(plan -> {
                    assertFalse(plan.flags().urgentReferral());
                    assertFalse(plan.constraints().runningPaused());
                });
    }

    @Test
    void a_phase_change_the_clinician_made_stays_when_an_earlier_adjustment_is_withdrawn() {
        List<PlanEvent> h = history(created(), autoApply(capRunDistance("adj-cap", 3.0), day(5)),
                overriding(Phase.RETURN_TO_RUN, day(10)));
        given(h).when(withdraw("adj-cap", day(11)))
                .thenPlan(plan -> {
                    assertEquals(Phase.RETURN_TO_RUN, plan.phase());
                    assertEquals(5.0, plan.constraints().maxDistanceKm());
                    assertFalse(plan.constraints().runningPaused());
                });
    }

    @Test
    void an_adjustment_due_earlier_that_arrives_later_gives_the_plan_it_would_have_had_in_time_order() {
        // Two gait retrainings: the one due on day 25 (target 176) is the later finding, whatever the arrival order.
        Adjustment earlier = new Adjustment("adj-gait-a", AdjustmentType.GAIT_RETRAINING, PatternKind.RUNNING_TRIGGERED_REPEATED,
                "gait", params("currentCadenceSpm", 160, "cadenceTargetSpm", 168), List.of("evt-a"), "Low cadence.", day(15));
        Adjustment later = new Adjustment("adj-gait-b", AdjustmentType.GAIT_RETRAINING, PatternKind.RUNNING_TRIGGERED_REPEATED,
                "gait", params("currentCadenceSpm", 160, "cadenceTargetSpm", 176), List.of("evt-b"), "Low cadence.", day(25));
        RehabPlan inOrder = RehabPlan.fold(returningToRun(autoApply(earlier, day(26)), autoApply(later, day(27))));
        RehabPlan reversed = RehabPlan.fold(returningToRun(autoApply(later, day(26)), autoApply(earlier, day(27))));
        assertEquals(176, inOrder.constraints().cadenceTargetSpm());
        assertEquals(inOrder.constraints(), reversed.constraints());
        PlanEvent late = returningToRun(autoApply(later, day(26)), autoApply(earlier, day(27))).get(3);
        assertTrue(late.reason().contains("Placed at " + day(15) + ", when the findings made it due, as if it had arrived "
                + "then; now "), late.reason());
        assertTrue(late.reason().contains("a step rate of 176 steps/min"), late.reason());
    }

    @Test
    void the_withdrawal_is_in_the_history_with_its_reason_and_a_fold_gives_the_same_plan() {
        List<PlanEvent> h = after(returningToRun(autoApply(capRunDistance("adj-cap", 3.0), day(20))), withdraw("adj-cap", day(21)));
        PlanEvent last = h.get(h.size() - 1);
        assertInstanceOf(AdjustmentWithdrawn.class, last);
        assertTrue(last.reason().contains("a late run showed the flare-ups came after runs within the cap"));
        assertEquals(RehabPlan.fold(h), RehabPlan.fold(List.copyOf(h)));
        assertEquals(LocalDate.parse("2026-04-22"), RehabPlan.dayOf(last.occurredAt(), null));
    }
}
