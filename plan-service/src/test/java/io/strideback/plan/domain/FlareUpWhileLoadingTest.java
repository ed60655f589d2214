package io.strideback.plan.domain;

import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.Phase;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.strideback.plan.domain.PlanFixtures.*;
import static io.strideback.plan.domain.PlanScenario.given;
import static org.junit.jupiter.api.Assertions.*;

/**
 * DOMAIN.md "flare-up while loading": a flare-up in RESTORE_CAPACITY or later puts calf isometric holds
 * in place of loaded raises for 72 h (seed 000: "isometrics if you get a flare up"). The monitor does
 * not know the phase, so it proposes for every flare-up and the plan applies it only from {@code fromPhase}.
 */
class FlareUpWhileLoadingTest {

    private static Adjustment flareUp(String id, Object startsAt) {
        return adjustment(id, AdjustmentType.ADD_EXERCISE, null,
                params("exercise", "CALF_ISOMETRIC_HOLD", "hours", 72, "fromPhase", "RESTORE_CAPACITY", "startsAt", startsAt),
                "A flare-up at 6/10 during calf raises.");
    }

    private static boolean loadedRaise(PrescribedExercise e) {
        return e.name().equals(RehabTemplate.SINGLE_LEG_CALF_RAISE_STRAIGHT_KNEE) || e.name().equals(RehabTemplate.SINGLE_LEG_CALF_RAISE_BENT_KNEE)
                || e.name().equals(RehabTemplate.SEATED_CALF_RAISE) || e.name().equals(RehabTemplate.SOLEUS_SQUAT);
    }

    private final List<PlanEvent> restoring = history(created(), changePhase(Phase.RESTORE_CAPACITY, day(7)));

    @Test
    void in_restore_capacity_isometric_holds_replace_loaded_raises_for_72_hours() {
        given(restoring)
                .when(autoApply(flareUp("adj-flare", day(20).toString()), day(20)))
                .thenOne(AdjustmentApplied.class, e -> assertTrue(e.reason().startsWith(
                        "Calf isometric holds in place of loaded calf raises until 2026-04-24T08:00:00Z (72 h)"), e.reason()))
                .thenPlan(plan -> {
                    assertTrue(plan.exercises().stream().anyMatch(e -> e.name().equals(RehabTemplate.CALF_ISOMETRIC_HOLD) && !e.suspended()));
                    assertTrue(plan.exercises().stream().filter(FlareUpWhileLoadingTest::loadedRaise).allMatch(PrescribedExercise::suspended));
                    assertFalse(plan.flags().clinicianReview(), "the holds are in the exercise library: no clinician needed for the dose");
                });
    }

    @Test
    void after_72_hours_the_loaded_raises_come_back() {
        given(after(restoring, autoApply(flareUp("adj-flare", day(20).toString()), day(20))))
                .when(new RecordAssessment(assessment("as-1", day(24), 20, 30, 2, true, false, null, null), day(24)))
                .thenPlan(plan -> {
                    assertTrue(plan.exercises().stream().filter(FlareUpWhileLoadingTest::loadedRaise).noneMatch(PrescribedExercise::suspended));
                    assertTrue(plan.exercises().stream().noneMatch(e -> e.name().equals(RehabTemplate.CALF_ISOMETRIC_HOLD)));
                });
    }

    @Test
    void in_protect_the_proposal_is_recorded_and_changes_nothing() {
        given(created())
                .when(autoApply(flareUp("adj-flare", day(3).toString()), day(3)))
                .thenOne(AdjustmentApplied.class, e -> assertTrue(e.reason().startsWith(
                        "Recorded without a change: the plan is in PROTECT, before RESTORE_CAPACITY"), e.reason()))
                .thenPlan(plan -> assertEquals(RehabPlan.fold(List.of(created())).exercises(), plan.exercises()));
    }

    @Test
    void in_a_reviewing_clinic_the_proposal_waits_for_approval_only_when_it_would_change_something() {
        given(created())
                .when(underReview(flareUp("adj-flare", day(3).toString()), day(3)))
                .thenOne(AdjustmentApplied.class, e -> assertTrue(e.reason().startsWith("Recorded without a change"), e.reason()));
        given(restoring)
                .when(underReview(flareUp("adj-flare", day(20).toString()), day(20)))
                .thenOne(AdjustmentPending.class, e -> assertTrue(e.reason().startsWith("Added exercise waiting for a clinician's approval"), e.reason()));
    }

    @Test
    void in_a_reviewing_clinic_a_proposal_recorded_without_a_change_is_not_called_a_red_flag() {
        // Round 21, from outside: its reason ended "applied at once, as red flags never wait for approval".
        given(created())
                .when(underReview(flareUp("adj-flare", day(3).toString()), day(3)))
                .thenOne(AdjustmentApplied.class, e -> {
                    assertFalse(e.reason().contains("red flag"), e.reason());
                    assertTrue(e.reason().contains("recorded at once: it changes nothing in this phase, so there is "
                            + "nothing to approve"), e.reason());
                });
    }

    @Test
    void a_flare_up_synced_after_its_72_hours_changes_nothing() {
        given(restoring)
                .when(autoApply(flareUp("adj-flare", day(10).toString()), day(20)))
                .thenPlan(plan -> assertTrue(plan.exercises().stream().filter(FlareUpWhileLoadingTest::loadedRaise).noneMatch(PrescribedExercise::suspended)));
    }

    @Test
    void a_flare_up_of_protect_days_that_syncs_after_the_move_on_is_told_as_changing_nothing() {
        // given a plan moved to RESTORE_CAPACITY on day 7
        // when the proposal for a flare-up of day 3 (PROTECT days), as the monitor sends it (no startsAt), arrives on day 8
        Adjustment late = new Adjustment("adj-late-flare", AdjustmentType.ADD_EXERCISE, null, "FLARE_UP_WHILE_LOADING",
                params("exercise", "CALF_ISOMETRIC_HOLD", "hours", 72, "fromPhase", "RESTORE_CAPACITY"),
                List.of("evt-late"), "A flare-up at 5/10 during a run.", day(3));
        given(restoring)
                .when(autoApply(late, day(8)))
                // then the plan replays it in PROTECT, where it changes nothing, and its reason says so
                .thenOne(AdjustmentApplied.class, e -> assertTrue(e.reason().startsWith(
                        "Recorded without a change: the plan is in PROTECT, before RESTORE_CAPACITY"), e.reason()))
                .thenPlan(plan -> assertTrue(plan.exercises().stream().noneMatch(e -> e.name().equals(RehabTemplate.CALF_ISOMETRIC_HOLD))));
    }
}
