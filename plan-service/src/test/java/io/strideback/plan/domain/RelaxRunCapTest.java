package io.strideback.plan.domain;

import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.PatternKind;
import io.strideback.events.vocabulary.Phase;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.strideback.plan.domain.PlanFixtures.*;
import static io.strideback.plan.domain.PlanScenario.given;
import static org.junit.jupiter.api.Assertions.*;

/**
 * DOMAIN.md "settled" (rules v2): RELAX_RUN_CAP raises the plan's current cap by {@code percent} (10 by
 * default), never above {@code ceilingKm} (the longest run of 30 days x 1.10); no absolute target.
 */
class RelaxRunCapTest {

    private static Adjustment relax(String id, Object... parameters) {
        return adjustment(id, AdjustmentType.RELAX_RUN_CAP, PatternKind.SETTLED, params(parameters),
                "Fourteen days without a flare-up while running under the cap.");
    }

    private final List<PlanEvent> cappedAtTwo = history(created(), overriding(Phase.RETURN_TO_RUN, day(14)),
            autoApply(capRunDistance("adj-cap", 2.0), day(15)));

    @Test
    void a_plan_capped_at_two_km_goes_to_two_point_two_not_to_the_monitors_own_distance() {
        // The v1 defect: 2.0 km went to 4.4 km while the reason said "raise by 10%".
        given(cappedAtTwo)
                .when(autoApply(relax("adj-relax", "percent", 10, "ceilingKm", 6.6, "maxDistanceKm", 4.4), day(30)))
                .thenOne(AdjustmentApplied.class, e -> assertTrue(e.reason().startsWith("Run cap raised from 2.0 km to 2.2 km (+10%)"), e.reason()))
                .thenPlan(plan -> assertEquals(2.2, plan.constraints().maxDistanceKm()));
    }

    @Test
    void the_ceiling_holds_the_raise_to_the_longest_run_of_thirty_days_plus_ten_percent() {
        given(cappedAtTwo)
                .when(autoApply(relax("adj-relax", "percent", 10, "ceilingKm", 2.1), day(30)))
                .thenOne(AdjustmentApplied.class, e -> assertTrue(e.reason().startsWith(
                        "Run cap raised from 2.0 km to 2.1 km (+10%, held to 2.1 km, the longest run of 30 days + 10%)"), e.reason()))
                .thenPlan(plan -> assertEquals(2.1, plan.constraints().maxDistanceKm()));
    }

    @Test
    void a_ceiling_at_or_below_the_cap_changes_nothing_and_says_so() {
        given(cappedAtTwo)
                .when(autoApply(relax("adj-relax", "percent", 10, "ceilingKm", 1.5), day(30)))
                .thenOne(AdjustmentApplied.class, e -> assertTrue(e.reason().startsWith(
                        "Run cap stays at 2.0 km as the longest run of 30 days + 10% (1.5 km) is not above it"), e.reason()))
                .thenPlan(plan -> assertEquals(2.0, plan.constraints().maxDistanceKm()));
    }

    @Test
    void without_a_percent_the_step_is_ten_percent() {
        given(cappedAtTwo)
                .when(autoApply(relax("adj-relax", "ceilingKm", 9.0), day(30)))
                .thenOne(AdjustmentApplied.class, e -> assertTrue(e.reason().contains("(+10%, the usual step as the proposal gave none)"), e.reason()))
                .thenPlan(plan -> assertEquals(2.2, plan.constraints().maxDistanceKm()));
    }

    @Test
    void no_cap_in_force_means_nothing_to_relax() {
        given(created(Diagnosis.CALF_PAIN_UNSPECIFIED, null))
                .when(autoApply(relax("adj-relax", "percent", 10, "ceilingKm", 5.5), day(30)))
                .thenOne(AdjustmentApplied.class, e -> assertTrue(e.reason().startsWith("Nothing to relax as runs have no distance cap"), e.reason()))
                .thenPlan(plan -> assertNull(plan.constraints().maxDistanceKm()));
    }
}
