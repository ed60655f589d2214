package io.strideback.plan.domain;

import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.Phase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.strideback.plan.domain.PlanFixtures.*;
import static io.strideback.plan.domain.PlanScenario.given;
import static org.junit.jupiter.api.Assertions.*;

/**
 * DOMAIN.md "The plan": PROTECT moves to RESTORE_CAPACITY by itself after 7 days with no flare-up in
 * the last 72 h; never while an urgent referral is in force. The plan hears of each flare-up episode
 * through the monitor's flare-up-while-loading proposal, which it records in PROTECT without a change.
 */
class ProtectEndsByItselfTest {

    private static Adjustment flareUp(String id, Object startsAt) {
        return adjustment(id, AdjustmentType.ADD_EXERCISE, null,
                params("exercise", "CALF_ISOMETRIC_HOLD", "hours", 72, "fromPhase", "RESTORE_CAPACITY", "startsAt", startsAt),
                "A flare-up at 5/10 while walking.");
    }

    @Test
    void after_seven_quiet_days_protect_ends_by_itself() {
        given(created())
                .when(new EndProtectIfDue(day(7)))
                .thenOne(PhaseChanged.class, e -> {
                    assertEquals(Phase.PROTECT, e.from());
                    assertEquals(Phase.RESTORE_CAPACITY, e.to());
                    assertEquals(RehabPlan.BY_ITSELF, e.changedBy());
                    assertTrue(e.reason().startsWith("Moved from PROTECT to RESTORE_CAPACITY by itself after 7 days of relative rest "
                            + "with no flare-up in the last 72 h"), e.reason());
                })
                .thenPlan(plan -> assertEquals(Phase.RESTORE_CAPACITY, plan.phase()));
    }

    @Test
    void before_seven_days_nothing_happens() {
        given(created()).when(new EndProtectIfDue(day(7).minus(Duration.ofMinutes(1)))).thenNothing();
    }

    @Test
    void a_flare_up_in_the_last_72_hours_keeps_the_plan_in_protect_until_it_is_72_hours_old() {
        List<PlanEvent> h = history(created(), autoApply(flareUp("adj-flare", day(6).toString()), day(6)));
        assertEquals(Phase.PROTECT, RehabPlan.fold(h).phase(), "the proposal is recorded in PROTECT, nothing else");
        given(h).when(new EndProtectIfDue(day(8))).thenNothing();
        given(h).when(new EndProtectIfDue(day(9))).thenOne(PhaseChanged.class, e -> assertEquals(Phase.RESTORE_CAPACITY, e.to()));
    }

    @Test
    void a_flare_up_reported_late_counts_at_its_own_time() {
        // Synced on day 7 but it happened on day 2: the last 72 h before day 7 were quiet.
        given(history(created(), autoApply(flareUp("adj-flare", day(2).toString()), day(7))))
                .when(new EndProtectIfDue(day(7)))
                .thenOne(PhaseChanged.class, e -> assertEquals(Phase.RESTORE_CAPACITY, e.to()));
    }

    @Test
    void not_while_an_urgent_referral_stands_and_not_outside_protect() {
        given(history(created(), autoApply(urgentReferral("adj-red"), day(3)))).when(new EndProtectIfDue(day(10))).thenNothing();
        given(history(created(), changePhase(Phase.RESTORE_CAPACITY, day(2)))).when(new EndProtectIfDue(day(10))).thenNothing();
    }

    @Test
    void moving_back_into_protect_starts_its_week_again() {
        List<PlanEvent> h = history(created(), changePhase(Phase.RESTORE_CAPACITY, day(7)),
                new ChangePhase(Phase.PROTECT, CLINICIAN, "Re-strained on the stairs.", day(20)));
        given(h).when(new EndProtectIfDue(day(26))).thenNothing();
        given(h).when(new EndProtectIfDue(day(27))).thenOne(PhaseChanged.class, e -> assertEquals(Phase.RESTORE_CAPACITY, e.to()));
    }
}
