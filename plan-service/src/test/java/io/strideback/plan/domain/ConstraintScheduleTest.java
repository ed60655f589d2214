package io.strideback.plan.domain;

import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.PatternKind;
import io.strideback.events.vocabulary.Phase;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static io.strideback.plan.domain.PlanFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The schedule of run constraints a plan publishes (DOMAIN.md "over the plan": the load monitor judges each run
 * against the constraints in force at its time). The schedule follows the plan's timeline: decisions at their time,
 * monitor adjustments at their due event time, a withdrawal replays, a pause ends on its day.
 */
class ConstraintScheduleTest {

    private static Adjustment capDueAt(String id, double km, Instant dueAt) {
        Adjustment a = capRunDistance(id, km);
        return new Adjustment(a.adjustmentId(), a.type(), a.pattern(), a.rule(), a.parameters(), a.evidenceEventIds(),
                a.reason(), dueAt);
    }

    /** The constraints the schedule says were in force at an instant. */
    private static RunConstraints inForceAt(RehabPlan plan, Instant t) {
        RunConstraints in = null;
        for (ConstraintPeriod p : plan.constraintSchedule()) {
            if (!p.from().isAfter(t)) {
                in = p.constraints();
            }
        }
        return in;
    }

    @Test
    void before_enrolment_there_is_no_schedule() {
        assertEquals(List.of(), RehabPlan.empty().constraintSchedule());
    }

    @Test
    void given_a_new_plan_then_the_schedule_starts_at_enrolment_with_protect_pausing_runs() {
        RehabPlan plan = RehabPlan.fold(List.of(created()));
        List<ConstraintPeriod> schedule = plan.constraintSchedule();
        assertEquals(1, schedule.size());
        assertEquals(ENROLLED, schedule.get(0).from());
        assertTrue(schedule.get(0).constraints().runningPaused(), "PROTECT is a week of relative rest");
        assertEquals(plan.constraints(), schedule.get(0).constraints());
    }

    @Test
    void given_a_phase_change_and_a_cap_then_each_run_time_sees_what_stood_then() {
        RehabPlan plan = RehabPlan.fold(history(created(), overriding(Phase.RETURN_TO_RUN, day(7)),
                autoApply(capDueAt("adj-cap", 3.0, day(20)), day(21))));
        assertTrue(inForceAt(plan, day(3)).runningPaused());
        assertFalse(inForceAt(plan, day(10)).runningPaused());
        assertEquals(5.0, inForceAt(plan, day(10)).maxDistanceKm(), "the symptom-free distance before the cap");
        assertEquals(3.0, inForceAt(plan, day(20)).maxDistanceKm(), "the cap from its due event time, not its arrival");
        assertEquals(3.0, inForceAt(plan, day(40)).maxDistanceKm());
        assertEquals(plan.constraints(), plan.constraintSchedule().get(plan.constraintSchedule().size() - 1)
                .constraints(), "the last period is the plan's constraints now");
    }

    @Test
    void given_a_cap_due_before_enrolment_then_it_counts_from_enrolment() {
        RehabPlan plan = RehabPlan.fold(history(created(), autoApply(capDueAt("adj-cap", 3.0, day(-30)), day(1))));
        assertEquals(ENROLLED, plan.constraintSchedule().get(0).from(), "no plan to keep to before it was made");
        assertNull(inForceAt(plan, day(-10)));
        assertEquals(3.0, inForceAt(plan, day(0)).maxDistanceKm());
    }

    @Test
    void given_a_cap_then_its_withdrawal_then_the_schedule_is_as_if_it_never_applied() {
        List<PlanEvent> capped = history(created(), overriding(Phase.RETURN_TO_RUN, day(7)),
                autoApply(capDueAt("adj-cap", 3.0, day(20)), day(21)));
        List<PlanEvent> withdrawn = after(capped, new WithdrawAdjustment("adj-cap", AdjustmentType.CAP_RUN_DISTANCE,
                "a late report changed the episodes", day(30)));
        RehabPlan never = RehabPlan.fold(history(created(), overriding(Phase.RETURN_TO_RUN, day(7))));
        assertEquals(never.constraintSchedule(), RehabPlan.fold(withdrawn).constraintSchedule());
        assertEquals(5.0, inForceAt(RehabPlan.fold(withdrawn), day(25)).maxDistanceKm());
    }

    @Test
    void given_adjustments_in_either_arrival_order_then_the_same_schedule() {
        Adjustment early = capDueAt("adj-a", 4.0, day(12));
        Adjustment late = capDueAt("adj-b", 3.0, day(18));
        List<PlanEvent> start = history(created(), overriding(Phase.RETURN_TO_RUN, day(7)));
        RehabPlan inOrder = RehabPlan.fold(after(after(start, autoApply(early, day(19))), autoApply(late, day(19))));
        RehabPlan reversed = RehabPlan.fold(after(after(start, autoApply(late, day(19))), autoApply(early, day(20))));
        assertEquals(inOrder.constraintSchedule(), reversed.constraintSchedule());
        assertEquals(4.0, inForceAt(reversed, day(15)).maxDistanceKm());
        assertEquals(3.0, inForceAt(reversed, day(18)).maxDistanceKm());
    }

    @Test
    void given_a_running_pause_then_it_ends_at_the_start_of_its_resume_day() {
        Adjustment pause = adjustment("adj-pause", AdjustmentType.PAUSE_RUNNING, PatternKind.RUNNING_TRIGGERED_REPEATED,
                params("days", 7, "startsAt", day(10).toString()), "Three running flare-ups in 14 days.");
        RehabPlan plan = RehabPlan.fold(history(created(), overriding(Phase.RETURN_TO_RUN, day(7)),
                autoApply(pause, day(10))));
        Instant resume = LocalDate.parse("2026-04-18").atStartOfDay(ZoneOffset.UTC).toInstant();
        assertTrue(inForceAt(plan, day(12)).runningPaused());
        assertTrue(inForceAt(plan, resume.minusSeconds(1)).runningPaused());
        assertFalse(inForceAt(plan, resume).runningPaused(), "runs may resume on the pause's last day + 1");
        List<Instant> starts = new ArrayList<>();
        plan.constraintSchedule().forEach(p -> starts.add(p.from()));
        assertTrue(starts.contains(resume), () -> "a period starts when the pause ends: " + starts);
    }
}
