package io.strideback.plan.domain;

import io.strideback.events.vocabulary.AdjustmentStatus;
import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.PatternKind;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.strideback.plan.domain.PlanFixtures.*;
import static io.strideback.plan.domain.PlanScenario.given;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Round 19, DOMAIN.md "Convergence": a clinic reviews adjustments; the load monitor proposes a pause from the phone's
 * reports and a clinician approves it; then the watch syncs the runs behind those reports. The monitor now keeps the
 * pause's id (it rests on the flare-ups, not their runs), so the plan hears nothing more. Before, and once on the
 * upgrade that changed how such ids are derived, it withdrew the pause and proposed the same request under a new id:
 * the approval was lost and the same pause waited in the queue again. The plan now keeps a clinician's approval for
 * the very same request (type, pattern, rule, parameters, due time), and so a rejection of it.
 */
class ApprovalSurvivesALateRunTest {

    private static final Instant DUE = day(10);

    /** The pause as proposed from the reports alone, and as proposed again once the runs were in. */
    private static Adjustment pause(String id, List<String> evidence) {
        return new Adjustment(id, AdjustmentType.PAUSE_RUNNING, PatternKind.RUNNING_TRIGGERED_REPEATED,
                "AT_LEAST_3_RUNNING_TRIGGERED_IN_14_DAYS", params("days", 7, "startsAt", DUE.toString()), evidence,
                "Three flare-ups came from running within 14 days; pause running for 7 days.", DUE);
    }

    private static final Adjustment FROM_THE_REPORTS = pause("adj-pause-reports", List.of("flare-1", "flare-2", "flare-3"));
    private static final Adjustment WITH_THE_RUNS = pause("adj-pause-runs",
            List.of("run-1", "flare-1", "run-2", "flare-2", "run-3", "flare-3"));

    private static List<PlanEvent> approvedThenWithdrawn() {
        return history(created(), underReview(FROM_THE_REPORTS, day(10)),
                new ApproveAdjustment("adj-pause-reports", CLINICIAN, day(11)),
                new WithdrawAdjustment("adj-pause-reports", null, "A late run changed the findings.", day(12)));
    }

    @Test
    void the_same_pause_proposed_again_after_a_withdrawal_applies_with_the_clinicians_approval() {
        given(approvedThenWithdrawn())
                .when(underReview(WITH_THE_RUNS, day(12)))
                .thenOne(AdjustmentApplied.class, e -> {
                    assertEquals(CLINICIAN, e.approvedBy());
                    assertEquals(day(11), e.occurredAt(), "as approved then, at the same place on the timeline");
                    assertTrue(e.reason().contains("proposed again unchanged after the load monitor withdrew adjustment "
                            + "adj-pause-reports, so the approval stands as given"), e.reason());
                    // Round 20: the audit entry written from this event names the id the clinician approved.
                    assertEquals("adj-pause-reports", e.carriedOverFrom());
                })
                .thenPlan(plan -> {
                    RehabPlan approved = RehabPlan.fold(history(created(), underReview(FROM_THE_REPORTS, day(10)),
                            new ApproveAdjustment("adj-pause-reports", CLINICIAN, day(11))));
                    assertEquals(approved.constraints(), plan.constraints(), "the plan as the clinician approved it");
                    assertNotNull(plan.constraints().pausedUntil());
                    assertEquals(AdjustmentStatus.APPLIED, plan.adjustment("adj-pause-runs").orElseThrow().status());
                    assertEquals(AdjustmentStatus.WITHDRAWN, plan.adjustment("adj-pause-reports").orElseThrow().status());
                    assertEquals(List.of(), plan.pendingAdjustments(), "nothing waits for a decision already made");
                });
    }

    @Test
    void another_request_after_the_withdrawal_waits_for_a_clinician_as_ever() {
        Adjustment longer = new Adjustment("adj-pause-10", AdjustmentType.PAUSE_RUNNING,
                PatternKind.RUNNING_TRIGGERED_REPEATED, "AT_LEAST_3_RUNNING_TRIGGERED_IN_14_DAYS",
                params("days", 10, "startsAt", DUE.toString()), List.of("flare-1"), "Pause for 10 days.", DUE);
        given(approvedThenWithdrawn())
                .when(underReview(longer, day(12)))
                .thenOne(AdjustmentPending.class, e -> assertEquals("adj-pause-10", e.adjustment().adjustmentId()));
    }

    @Test
    void the_same_request_a_clinician_rejected_is_rejected_again_as_it_was() {
        // The monitor's withdrawal leaves a rejected adjustment rejected; its successor under a new id (the upgrade)
        // must not ask the clinician again.
        List<PlanEvent> h = history(created(), underReview(FROM_THE_REPORTS, day(10)),
                new RejectAdjustment("adj-pause-reports", CLINICIAN, "She is racing on Sunday.", day(11)),
                new WithdrawAdjustment("adj-pause-reports", null, "A late run changed the findings.", day(12)));
        given(h).when(underReview(WITH_THE_RUNS, day(12)))
                .thenEvents(events -> {
                    assertEquals(2, events.size(), events::toString);
                    AdjustmentPending recorded = assertInstanceOf(AdjustmentPending.class, events.get(0));
                    assertTrue(recorded.reason().contains("under a new id after adjustment adj-pause-reports, and "
                            + "rejected as " + CLINICIAN), recorded.reason());
                    AdjustmentRejected e = assertInstanceOf(AdjustmentRejected.class, events.get(1));
                    assertEquals(CLINICIAN, e.rejectedBy());
                    assertEquals(day(11), e.occurredAt());
                    // Round 20: the decision was made on the first id; the event, and so the audit entry, say so.
                    assertEquals("adj-pause-runs", e.adjustmentId());
                    assertEquals("adj-pause-reports", e.carriedOverFrom());
                })
                .thenPlan(plan -> {
                    assertEquals(AdjustmentStatus.REJECTED, plan.adjustment("adj-pause-runs").orElseThrow().status());
                    assertEquals(day(11), plan.adjustment("adj-pause-runs").orElseThrow().decidedAt());
                    assertEquals(RehabPlan.fold(List.of(created())).constraints(), plan.constraints());
                    assertEquals(List.of(), plan.pendingAdjustments());
                });
    }

    /** Review of round 20: a decision carried over twice still names the id the clinician decided on. */
    @Test
    void an_approval_carried_over_twice_names_the_id_approved() {
        Adjustment third = pause("adj-pause-third", List.of("flare-1", "flare-2", "flare-3", "flare-4"));
        given(after(after(approvedThenWithdrawn(), underReview(WITH_THE_RUNS, day(12))),
                new WithdrawAdjustment("adj-pause-runs", null, "The findings moved again.", day(13))))
                .when(underReview(third, day(13)))
                .thenOne(AdjustmentApplied.class, e -> {
                    assertEquals(CLINICIAN, e.approvedBy());
                    assertEquals(day(11), e.occurredAt());
                    assertEquals("adj-pause-reports", e.carriedOverFrom());
                });
    }

    @Test
    void a_rejection_carried_over_twice_names_the_id_rejected() {
        Adjustment third = pause("adj-pause-third", List.of("flare-1", "flare-2", "flare-3", "flare-4"));
        List<PlanEvent> h = history(created(), underReview(FROM_THE_REPORTS, day(10)),
                new RejectAdjustment("adj-pause-reports", CLINICIAN, "She is racing on Sunday.", day(11)),
                new WithdrawAdjustment("adj-pause-reports", null, "A late run changed the findings.", day(12)),
                underReview(WITH_THE_RUNS, day(12)),
                new WithdrawAdjustment("adj-pause-runs", null, "The findings moved again.", day(13)));
        given(h).when(underReview(third, day(13)))
                .thenEvents(events -> {
                    assertEquals(2, events.size(), events::toString);
                    assertTrue(assertInstanceOf(AdjustmentPending.class, events.get(0)).reason()
                            .contains("under a new id after adjustment adj-pause-reports,"), events::toString);
                    AdjustmentRejected e = assertInstanceOf(AdjustmentRejected.class, events.get(1));
                    assertEquals("adj-pause-third", e.adjustmentId());
                    assertEquals("adj-pause-reports", e.carriedOverFrom());
                });
    }

    @Test
    void a_pending_one_withdrawn_carries_no_decision_over() {
        List<PlanEvent> h = history(created(), underReview(FROM_THE_REPORTS, day(10)),
                new WithdrawAdjustment("adj-pause-reports", null, "A late run changed the findings.", day(12)));
        given(h).when(underReview(WITH_THE_RUNS, day(12))).thenOne(AdjustmentPending.class, e -> { });
    }
}
