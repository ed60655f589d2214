package io.strideback.plan.domain;

import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.Phase;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static io.strideback.plan.domain.PlanFixtures.*;
import static io.strideback.plan.domain.PlanScenario.given;
import static org.junit.jupiter.api.Assertions.*;

/** Seed 004 red flags: URGENT_REFERRAL applies at once, even in a reviewing clinic, and holds until a clinician clears it. */
class UrgentReferralTest {

    private final Adjustment referral = urgentReferral("adj-red");

    @Test
    void an_urgent_referral_applies_at_once_even_when_the_clinic_reviews_adjustments() {
        given(created())
                .when(underReview(referral, day(10)))
                .then(new AdjustmentApplied(referral, null, day(10), "Running and all calf loading stopped for an urgent referral, "
                        + "until a clinician clears the plan, because of swelling and discolouration: swelling and discolouration were "
                        + "reported (load monitor, pattern RED_FLAG; applied at once, as red flags never wait for approval)."))
                .thenPlan(plan -> {
                    assertTrue(plan.flags().urgentReferral());
                    assertTrue(plan.constraints().runningPaused());
                    assertEquals(List.of(), plan.pendingAdjustments());
                });
    }

    @Test
    void the_referral_holds_through_later_adjustments_assessments_and_the_end_of_a_pause() {
        List<PlanEvent> h = history(created(), overriding(Phase.RETURN_TO_RUN, day(14)),
                autoApply(referral, day(20)),
                autoApply(adjustment("adj-pause", AdjustmentType.PAUSE_RUNNING, params("days", 2)), day(21)),
                autoApply(relaxRunCap("adj-relax", 10), day(30)),
                new RecordAssessment(assessment("as-1", day(31), 30, 30, 0, true, true, 1.0, 1.5), day(31)));
        RehabPlan plan = RehabPlan.fold(h);
        assertTrue(plan.flags().urgentReferral());
        assertTrue(plan.constraints().runningPaused(), "the 2-day pause is over but the referral still stops running");
        assertTrue(plan.constraintsOn(LocalDate.parse("2026-06-01")).runningPaused());
        assertTrue(plan.exercises().stream().filter(e -> RehabTemplate.loadsTheCalf(e.name())).allMatch(PrescribedExercise::suspended));
    }

    @Test
    void walking_and_neural_glides_are_not_suspended() {
        given(history(created(io.strideback.events.vocabulary.Diagnosis.NEURAL_TENSION, 3.0), autoApply(referral, day(3))))
                .thenPlan(plan -> {
                    assertFalse(plan.exercises().stream().filter(e -> e.name().equals(RehabTemplate.NEURAL_GLIDES)).findFirst().orElseThrow().suspended());
                    assertFalse(plan.exercises().stream().filter(e -> e.name().equals(RehabTemplate.WALKING)).findFirst().orElseThrow().suspended());
                    assertTrue(plan.exercises().stream().filter(e -> e.name().equals(RehabTemplate.CALF_ISOMETRIC_HOLD)).findFirst().orElseThrow().suspended());
                });
    }

    @Test
    void a_clinicians_clearance_ends_the_referral_and_lets_running_resume() {
        // Rules v2: a phase change no longer clears a referral; only an explicit clearance does (ReferralClearanceTest).
        given(history(created(), overriding(Phase.RETURN_TO_RUN, day(14)), autoApply(referral, day(20))))
                .when(new ClearReferral(CLINICIAN, "Scan was clear, no DVT.", day(23)))
                .thenOne(ReferralCleared.class, e -> assertTrue(e.reason().startsWith(
                        "Urgent referral cleared by dr-okafor: scan was clear, no DVT; now runs up to 5.0 km"), e.reason()))
                .thenPlan(plan -> {
                    assertFalse(plan.flags().urgentReferral());
                    assertFalse(plan.constraints().runningPaused());
                    assertTrue(plan.exercises().stream().noneMatch(PrescribedExercise::suspended));
                });
    }

    @Test
    void running_stays_paused_after_the_referral_is_cleared_while_a_pause_still_runs() {
        given(history(created(), overriding(Phase.RETURN_TO_RUN, day(14)), autoApply(referral, day(20)),
                autoApply(adjustment("adj-pause", AdjustmentType.PAUSE_RUNNING, params("days", 10)), day(20))))
                .when(clearReferral(day(23)))
                .thenOne(ReferralCleared.class, e -> assertTrue(e.reason().contains("now running paused until 2026-05-01"), e.reason()))
                .thenPlan(plan -> {
                    assertFalse(plan.flags().urgentReferral());
                    assertTrue(plan.constraints().runningPaused());
                    assertEquals(LocalDate.parse("2026-05-01"), plan.constraints().pausedUntil());
                    assertFalse(plan.constraintsOn(LocalDate.parse("2026-05-01")).runningPaused());
                });
    }
}
