package io.strideback.plan.domain;

import io.strideback.events.vocabulary.AdjustmentStatus;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.strideback.plan.domain.PlanFixtures.*;
import static io.strideback.plan.domain.PlanScenario.given;
import static org.junit.jupiter.api.Assertions.*;

/** A clinic that reviews adjustments: proposed -> pending -> approved (applied) or rejected. */
class ApprovalFlowTest {

    private final Adjustment cap = capRunDistance("adj-cap", 3.0);

    @Test
    void under_review_an_adjustment_waits_for_a_clinician_and_changes_nothing_yet() {
        given(created())
                .when(underReview(cap, day(10)))
                .then(new AdjustmentPending(cap, day(10), "Run distance cap waiting for a clinician's approval (if approved: runs capped at 3.0 km): "
                        + "two flare-ups followed runs longer than that (load monitor, pattern RUNNING_TRIGGERED_DISTANCE)."))
                .thenPlan(plan -> {
                    assertEquals(5.0, plan.constraints().maxDistanceKm(), "nothing changes before approval");
                    PlanAdjustment shown = plan.adjustment("adj-cap").orElseThrow();
                    assertEquals(AdjustmentStatus.PENDING, shown.status());
                    assertNull(shown.decidedAt());
                    assertEquals(List.of(cap), plan.pendingAdjustments());
                    assertTrue(plan.knowsAdjustment("adj-cap"));
                });
    }

    @Test
    void approving_a_pending_adjustment_applies_it_with_the_approver() {
        given(history(created(), underReview(cap, day(10))))
                .when(new ApproveAdjustment("adj-cap", CLINICIAN, day(11)))
                .then(new AdjustmentApplied(cap, CLINICIAN, day(11), "Runs capped at 3.0 km: two flare-ups followed runs longer "
                        + "than that (load monitor, pattern RUNNING_TRIGGERED_DISTANCE; approved by dr-okafor)."))
                .thenPlan(plan -> {
                    assertEquals(3.0, plan.constraints().maxDistanceKm());
                    PlanAdjustment shown = plan.adjustment("adj-cap").orElseThrow();
                    assertEquals(AdjustmentStatus.APPLIED, shown.status());
                    assertEquals(day(11), shown.decidedAt());
                    assertEquals(List.of(), plan.pendingAdjustments());
                });
    }

    @Test
    void rejecting_a_pending_adjustment_leaves_the_plan_as_it_was() {
        given(history(created(), underReview(cap, day(10))))
                .when(new RejectAdjustment("adj-cap", CLINICIAN, "She ran 5 km pain-free at today's visit.", day(11)))
                .then(new AdjustmentRejected("adj-cap", CLINICIAN, day(11), "Run distance cap rejected by dr-okafor, "
                        + "so the plan stays as it was: she ran 5 km pain-free at today's visit."))
                .thenPlan(plan -> {
                    assertEquals(5.0, plan.constraints().maxDistanceKm());
                    PlanAdjustment shown = plan.adjustment("adj-cap").orElseThrow();
                    assertEquals(AdjustmentStatus.REJECTED, shown.status());
                    assertEquals(day(11), shown.decidedAt());
                    assertEquals(List.of("evt-adj-cap"), shown.evidenceEventIds());
                    assertEquals(List.of(), plan.pendingAdjustments());
                });
    }

    @Test
    void an_approval_applies_the_adjustment_to_the_plan_as_it_is_then() {
        given(history(created(), underReview(capRunDistance("adj-4", 4.0), day(10)), autoApply(cap, day(11))))
                .when(new ApproveAdjustment("adj-4", CLINICIAN, day(12)))
                .thenOne(AdjustmentApplied.class, e -> assertTrue(e.reason().startsWith("Run cap kept at 3.0 km, tighter than the proposed 4.0 km")))
                .thenPlan(plan -> assertEquals(3.0, plan.constraints().maxDistanceKm()));
    }

    @Test
    void only_a_pending_adjustment_can_be_approved_or_rejected() {
        given(created()).when(new ApproveAdjustment("adj-nope", CLINICIAN, day(11)))
                .thenViolation(PlanRuleViolation.Kind.UNKNOWN_ADJUSTMENT, "no adjustment adj-nope");
        given(history(created(), autoApply(cap, day(10)))).when(new ApproveAdjustment("adj-cap", CLINICIAN, day(11)))
                .thenViolation(PlanRuleViolation.Kind.NOT_PENDING, "already applied, so it cannot be approved");
        given(history(created(), autoApply(cap, day(10)))).when(new RejectAdjustment("adj-cap", CLINICIAN, "no", day(11)))
                .thenViolation(PlanRuleViolation.Kind.NOT_PENDING, "already applied, so it cannot be rejected");
        List<PlanEvent> rejected = history(created(), underReview(cap, day(10)), new RejectAdjustment("adj-cap", CLINICIAN, null, day(11)));
        given(rejected).when(new ApproveAdjustment("adj-cap", CLINICIAN, day(12)))
                .thenViolation(PlanRuleViolation.Kind.NOT_PENDING, "already rejected");
        List<PlanEvent> approved = history(created(), underReview(cap, day(10)), new ApproveAdjustment("adj-cap", CLINICIAN, day(11)));
        given(approved).when(new ApproveAdjustment("adj-cap", CLINICIAN, day(12)))
                .thenViolation(PlanRuleViolation.Kind.NOT_PENDING, "already applied");
        given(history(created(), underReview(cap, day(10)))).when(new ApproveAdjustment("adj-cap", " ", day(11)))
                .thenViolation(PlanRuleViolation.Kind.INVALID_COMMAND, "clinician");
    }

    @Test
    void a_rejection_without_a_why_is_still_one_plain_sentence() {
        given(history(created(), underReview(cap, day(10))))
                .when(new RejectAdjustment("adj-cap", CLINICIAN, null, day(11)))
                .thenOne(AdjustmentRejected.class, e -> assertEquals(
                        "Run distance cap rejected by dr-okafor, so the plan stays as it was.", e.reason()));
    }
}
