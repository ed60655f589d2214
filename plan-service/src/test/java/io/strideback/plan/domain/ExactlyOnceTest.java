package io.strideback.plan.domain;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.strideback.plan.domain.PlanFixtures.*;
import static io.strideback.plan.domain.PlanScenario.given;
import static org.junit.jupiter.api.Assertions.*;

/** A redelivered or re-proposed adjustment changes the plan once (STYLE.md: we test duplicates instead of claiming). */
class ExactlyOnceTest {

    private final Adjustment cap = capRunDistance("adj-cap", 3.0);

    @Test
    void the_same_adjustment_proposed_three_times_gives_one_event() {
        List<PlanEvent> h = List.of(created());
        int events = 0;
        for (int i = 0; i < 3; i++) {
            List<PlanEvent> decided = RehabPlan.fold(h).decide(autoApply(cap, day(10 + i)));
            events += decided.size();
            h = after(h, autoApply(cap, day(10 + i)));
        }
        assertEquals(1, events);
        assertEquals(2, RehabPlan.fold(h).version());
        assertEquals(1, RehabPlan.fold(h).adjustments().size());
    }

    @Test
    void an_applied_adjustment_proposed_again_decides_nothing() {
        given(history(created(), autoApply(cap, day(10)))).when(autoApply(cap, day(11))).thenNothing();
        given(history(created(), autoApply(cap, day(10)))).when(underReview(cap, day(11))).thenNothing();
    }

    @Test
    void a_pending_adjustment_proposed_again_decides_nothing() {
        given(history(created(), underReview(cap, day(10)))).when(underReview(cap, day(11))).thenNothing();
        given(history(created(), underReview(cap, day(10)))).when(autoApply(cap, day(11))).thenNothing();
    }

    @Test
    void a_rejected_adjustment_proposed_again_decides_nothing() {
        given(history(created(), underReview(cap, day(10)), new RejectAdjustment("adj-cap", CLINICIAN, "Not now.", day(11))))
                .when(underReview(cap, day(12)))
                .thenNothing();
    }

    @Test
    void an_urgent_referral_proposed_again_decides_nothing() {
        given(history(created(), underReview(urgentReferral("adj-red"), day(10))))
                .when(underReview(urgentReferral("adj-red"), day(11)))
                .thenNothing();
    }

    @Test
    void the_same_assessment_noted_twice_gives_one_event() {
        Assessment a = assessment("as-1", day(20), 25, 26, 1, true, true, null, null);
        given(history(created(), new RecordAssessment(a, day(20))))
                .when(new RecordAssessment(a, day(21)))
                .thenNothing();
    }
}
