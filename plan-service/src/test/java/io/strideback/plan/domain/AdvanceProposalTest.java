package io.strideback.plan.domain;

import io.strideback.events.vocabulary.AdjustmentStatus;
import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.Phase;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.strideback.plan.domain.PlanFixtures.*;
import static io.strideback.plan.domain.PlanScenario.given;
import static org.junit.jupiter.api.Assertions.*;

/**
 * DOMAIN.md "The plan": an assessment that meets the next phase's gate makes the plan propose the
 * advance, pending a clinician's approval (the usual approve call); only a clinician moves the plan.
 */
class AdvanceProposalTest {

    private final List<PlanEvent> restoring = history(created(), changePhase(Phase.RESTORE_CAPACITY, day(7)));

    private static Adjustment proposedAdvance(RehabPlan plan) {
        return plan.pendingAdjustments().stream().filter(a -> a.type() == AdjustmentType.ADVANCE_PHASE).findFirst().orElseThrow();
    }

    @Test
    void an_assessment_meeting_the_return_to_run_gate_proposes_the_advance_even_in_an_auto_applying_clinic() {
        given(restoring)
                .when(new RecordAssessment(meetsReturnToRunOnly("as-1", day(30)), day(30)))
                .thenPlan(plan -> {
                    assertEquals(Phase.RESTORE_CAPACITY, plan.phase(), "a gate met proposes; only a clinician moves the plan");
                    Adjustment advance = proposedAdvance(plan);
                    assertEquals("RETURN_TO_RUN", advance.parameters().get("phase"));
                    assertEquals(List.of("as-1"), advance.evidenceEventIds());
                    PlanAdjustment shown = plan.adjustment(advance.adjustmentId()).orElseThrow();
                    assertEquals(AdjustmentStatus.PENDING, shown.status());
                    assertTrue(shown.reason().startsWith("Move on to RETURN_TO_RUN waiting for a clinician's approval: the assessment "
                            + "of 2026-05-01 meets every criterion of the gate into RETURN_TO_RUN"), shown.reason());
                });
    }

    @Test
    void approving_the_proposal_moves_the_plan_on() {
        List<PlanEvent> h = after(restoring, new RecordAssessment(meetsReturnToRunOnly("as-1", day(30)), day(30)));
        String id = proposedAdvance(RehabPlan.fold(h)).adjustmentId();
        given(h)
                .when(new ApproveAdjustment(id, CLINICIAN, day(31)))
                .thenOne(AdjustmentApplied.class, e -> assertTrue(e.reason().startsWith(
                        "Moved from RESTORE_CAPACITY to RETURN_TO_RUN; now runs up to 5.0 km"), e.reason()))
                .thenPlan(plan -> {
                    assertEquals(Phase.RETURN_TO_RUN, plan.phase());
                    assertFalse(plan.constraints().runningPaused());
                    assertEquals(AdjustmentStatus.APPLIED, plan.adjustment(id).orElseThrow().status());
                });
    }

    @Test
    void a_clinicians_own_move_on_fulfils_the_proposal_so_it_leaves_the_approval_queue() {
        List<PlanEvent> h = after(restoring, new RecordAssessment(meetsReturnToRunOnly("as-1", day(30)), day(30)));
        String id = proposedAdvance(RehabPlan.fold(h)).adjustmentId();
        PlanScenario moved = given(h).when(changePhase(Phase.RETURN_TO_RUN, day(31)));
        assertEquals(2, moved.decided().size());
        assertInstanceOf(PhaseChanged.class, moved.decided().get(0));
        assertTrue(moved.decided().get(1).reason().startsWith("Move on to RETURN_TO_RUN done by dr-okafor's phase change to RETURN_TO_RUN"),
                moved.decided().get(1).reason());
        moved.thenPlan(plan -> {
            assertEquals(Phase.RETURN_TO_RUN, plan.phase());
            assertEquals(List.of(), plan.pendingAdjustments());
            assertEquals(AdjustmentStatus.APPLIED, plan.adjustment(id).orElseThrow().status());
        });
        given(h).when(new ChangePhase(Phase.PROTECT, CLINICIAN, "Re-strained.", day(31)))
                .thenPlan(plan -> assertEquals(1, plan.pendingAdjustments().size(), "moving back fulfils nothing"));
    }

    @Test
    void the_same_assessment_twice_proposes_once_and_a_failing_assessment_proposes_nothing() {
        List<PlanEvent> h = after(restoring, new RecordAssessment(meetsReturnToRunOnly("as-1", day(30)), day(30)));
        given(h).when(new RecordAssessment(meetsReturnToRunOnly("as-2", day(32)), day(32)))
                .thenOne(AssessmentNoted.class, e -> { });
        given(restoring).when(new RecordAssessment(assessment("as-3", day(30), 20, 30, 2, true, false, null, null), day(30)))
                .thenOne(AssessmentNoted.class, e -> { });
    }

    @Test
    void in_build_an_assessment_meeting_green_2022_proposes_return_to_sport() {
        given(history(created(), overriding(Phase.BUILD, day(30))))
                .when(new RecordAssessment(meetsEveryGate("as-1", day(60)), day(60)))
                .thenPlan(plan -> assertEquals("RETURN_TO_SPORT", proposedAdvance(plan).parameters().get("phase")));
    }

    @Test
    void no_advance_is_proposed_or_approved_while_an_urgent_referral_stands() {
        List<PlanEvent> referred = after(restoring, autoApply(urgentReferral("adj-red"), day(20)));
        given(referred)
                .when(new RecordAssessment(meetsReturnToRunOnly("as-1", day(30)), day(30)))
                .thenOne(AssessmentNoted.class, e -> { });

        List<PlanEvent> proposed = after(restoring, new RecordAssessment(meetsReturnToRunOnly("as-1", day(30)), day(30)));
        String id = proposedAdvance(RehabPlan.fold(proposed)).adjustmentId();
        given(after(proposed, autoApply(urgentReferral("adj-red"), day(31))))
                .when(new ApproveAdjustment(id, CLINICIAN, day(32)))
                .thenViolation(PlanRuleViolation.Kind.REFERRAL_IN_FORCE, "urgent referral");
    }

    @Test
    void an_approval_after_a_newer_failing_assessment_is_refused_with_the_unmet_gate() {
        List<PlanEvent> proposed = after(restoring, new RecordAssessment(meetsReturnToRunOnly("as-1", day(30)), day(30)));
        String id = proposedAdvance(RehabPlan.fold(proposed)).adjustmentId();
        given(after(proposed, new RecordAssessment(assessment("as-2", day(33), 20, 30, 3, false, false, null, null), day(33))))
                .when(new ApproveAdjustment(id, CLINICIAN, day(34)))
                .thenViolation(PlanRuleViolation.Kind.GATE_NOT_MET, "gate into RETURN_TO_RUN");
    }
}
