package io.strideback.plan.domain;

import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.Phase;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.strideback.plan.domain.PlanFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/** The plan is the fold of its events, nothing else; an asOf view is the fold of a prefix. */
class FoldTest {

    /** A plan's life: enrolment, adjustments, a review, an approval, phase changes, assessments. */
    static List<PlanEvent> aPlansLife() {
        return history(created(),
                autoApply(capRunDistance("adj-cap", 3.0), day(10)),
                underReview(adjustment("adj-rec", AdjustmentType.ADD_RECOVERY_DAY_BEFORE_INTENSE, params()), day(11)),
                new ApproveAdjustment("adj-rec", CLINICIAN, day(12)),
                underReview(adjustment("adj-pause", AdjustmentType.PAUSE_RUNNING, params("days", 3)), day(12)),
                new RejectAdjustment("adj-pause", CLINICIAN, "Symptoms already settled.", day(13)),
                changePhase(Phase.RESTORE_CAPACITY, day(14)),
                new RecordAssessment(assessment("as-1", day(30), 26, 27, 0, true, true, null, null), day(30)),
                changePhase(Phase.RETURN_TO_RUN, day(31)),
                autoApply(urgentReferral("adj-red"), day(40)),
                new ClearReferral(CLINICIAN, "Doctor cleared it.", day(43)),
                autoApply(relaxRunCap("adj-relax", 10), day(60)),
                changePhase(Phase.BUILD, day(61)));
    }

    @Test
    void fold_equals_applying_the_events_one_by_one() {
        List<PlanEvent> history = aPlansLife();
        RehabPlan oneByOne = RehabPlan.empty();
        for (PlanEvent e : history) {
            oneByOne = oneByOne.apply(e);
        }
        assertEquals(oneByOne, RehabPlan.fold(history));
        assertEquals(history.size(), RehabPlan.fold(history).version());
        assertEquals(15, history.size(), "the assessment of day 30 meets the gate, so the plan proposes the advance, "
                + "and the clinician's move on fulfils it");
        RehabPlan plan = RehabPlan.fold(history);
        assertEquals(Phase.BUILD, plan.phase());
        assertEquals(3.3, plan.constraints().maxDistanceKm());
        assertTrue(plan.constraints().recoveryDayBeforeIntense());
        assertEquals(PlanFlags.NONE, plan.flags());
    }

    @Test
    void as_of_an_instant_is_the_fold_of_the_events_that_had_occurred_by_then() {
        List<PlanEvent> history = aPlansLife();
        for (int k = 1; k <= history.size(); k++) {
            Instant at = history.get(k - 1).occurredAt();
            RehabPlan asOf = RehabPlan.asOf(history, at);
            long sameTime = history.stream().filter(e -> !e.occurredAt().isAfter(at)).count();
            assertEquals(RehabPlan.fold(history.subList(0, (int) sameTime)), asOf, "as of " + at);
        }
        RehabPlan beforeUrgent = RehabPlan.asOf(history, day(39));
        assertEquals(Phase.RETURN_TO_RUN, beforeUrgent.phase());
        assertEquals(3.0, beforeUrgent.constraints().maxDistanceKm());
        assertFalse(beforeUrgent.flags().urgentReferral());
        assertTrue(RehabPlan.asOf(history, day(41)).flags().urgentReferral());
        assertEquals(RehabPlan.empty(), RehabPlan.asOf(history, ENROLLED.minusSeconds(1)));
    }

    @Test
    void deciding_never_changes_the_plan() {
        RehabPlan plan = RehabPlan.fold(aPlansLife());
        RehabPlan copy = RehabPlan.fold(aPlansLife());
        plan.decide(autoApply(capRunDistance("adj-new", 2.0), day(70)));
        plan.decide(overriding(Phase.RETURN_TO_SPORT, day(70)));
        assertEquals(copy, plan);
        assertEquals(15, plan.version());
    }

    @Test
    void a_history_must_start_with_the_plan_being_made() {
        Adjustment cap = capRunDistance("adj-cap", 3.0);
        assertThrows(IllegalStateException.class,
                () -> RehabPlan.empty().apply(new AdjustmentApplied(cap, null, day(1), "Runs capped at 3.0 km.")));
        assertThrows(IllegalStateException.class, () -> RehabPlan.fold(List.of(created(), created())));
    }
}
