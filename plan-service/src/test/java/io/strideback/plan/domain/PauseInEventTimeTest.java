package io.strideback.plan.domain;

import io.strideback.events.vocabulary.AdjustmentStatus;
import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.PatternKind;
import io.strideback.events.vocabulary.Phase;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static io.strideback.plan.domain.PlanFixtures.*;
import static io.strideback.plan.domain.PlanScenario.given;
import static org.junit.jupiter.api.Assertions.*;

/**
 * DOMAIN.md "Time-bound adjustments live in event time": a PAUSE_RUNNING of N days runs from its latest
 * evidence's time ({@code startsAt}), so a pause whose days have passed before it reached the plan is
 * recorded but changes no constraint.
 */
class PauseInEventTimeTest {

    private static Adjustment pause(String id, int days, Object startsAt) {
        return adjustment(id, AdjustmentType.PAUSE_RUNNING, PatternKind.RUNNING_TRIGGERED_REPEATED,
                params("days", days, "startsAt", startsAt), "Three running flare-ups in 14 days.");
    }

    private final List<PlanEvent> running = history(created(), overriding(Phase.RETURN_TO_RUN, day(7)));

    @Test
    void a_run_synced_forty_days_late_does_not_pause_running_today() {
        Adjustment late = pause("adj-pause", 7, day(10).toString());
        given(running)
                .when(autoApply(late, day(50)))
                .thenOne(AdjustmentApplied.class, e -> assertTrue(e.reason().startsWith(
                        "Running pause of 7 days from 2026-04-11 recorded but not applied: it ended on 2026-04-18, before the data "
                                + "reached the plan"), e.reason()))
                .thenPlan(plan -> {
                    assertFalse(plan.constraints().runningPaused());
                    assertNull(plan.constraints().pausedUntil());
                    assertEquals(AdjustmentStatus.APPLIED, plan.adjustment("adj-pause").orElseThrow().status());
                });
    }

    @Test
    void a_pause_that_arrives_two_days_late_runs_only_its_remaining_days() {
        given(running)
                .when(autoApply(pause("adj-pause", 7, day(48).toString()), day(50)))
                .thenOne(AdjustmentApplied.class, e -> assertTrue(e.reason().startsWith(
                        "Running paused for 7 days from 2026-05-19, until 2026-05-26, with strength work first"), e.reason()))
                .thenPlan(plan -> assertEquals(LocalDate.parse("2026-05-26"), plan.constraints().pausedUntil()));
    }

    @Test
    void the_pause_runs_from_its_evidence_not_from_an_approval_days_later() {
        List<PlanEvent> pending = after(running, underReview(pause("adj-pause", 7, day(20).toString()), day(20)));
        given(pending)
                .when(new ApproveAdjustment("adj-pause", CLINICIAN, day(23)))
                .thenPlan(plan -> assertEquals(LocalDate.parse("2026-04-28"), plan.constraints().pausedUntil()));
    }

    @Test
    void a_pause_ending_on_the_day_it_arrives_changes_nothing() {
        given(running)
                .when(autoApply(pause("adj-pause", 3, day(47).toString()), day(50)))
                .thenPlan(plan -> assertFalse(plan.constraints().runningPaused()));
    }

    @Test
    void a_pause_without_its_start_runs_from_the_day_it_arrives() {
        given(running)
                .when(autoApply(adjustment("adj-pause", AdjustmentType.PAUSE_RUNNING, params("days", 5)), day(13)))
                .thenPlan(plan -> assertEquals(LocalDate.parse("2026-04-19"), plan.constraints().pausedUntil()));
    }
}
