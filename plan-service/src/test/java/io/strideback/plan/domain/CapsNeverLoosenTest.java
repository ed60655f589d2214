package io.strideback.plan.domain;

import io.strideback.events.vocabulary.AdjustmentStatus;
import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.Phase;
import io.strideback.events.vocabulary.RunIntensity;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.strideback.plan.domain.PlanFixtures.*;
import static io.strideback.plan.domain.PlanScenario.given;
import static org.junit.jupiter.api.Assertions.*;

/** Caps never loosen except by RELAX_RUN_CAP or a clinician, and a phase change never silently drops them. */
class CapsNeverLoosenTest {

    @Test
    void a_larger_cap_keeps_the_current_tighter_cap_and_is_still_recorded_as_applied() {
        Adjustment looser = capRunDistance("adj-cap-6", 6.0);
        given(history(created(), autoApply(capRunDistance("adj-cap-3", 3.0), day(9))))
                .when(autoApply(looser, day(12)))
                .then(new AdjustmentApplied(looser, null, day(12), "Run cap kept at 3.0 km, tighter than the proposed 6.0 km: "
                        + "two flare-ups followed runs longer than that (load monitor, pattern RUNNING_TRIGGERED_DISTANCE)."))
                .thenPlan(plan -> {
                    assertEquals(3.0, plan.constraints().maxDistanceKm());
                    assertEquals(AdjustmentStatus.APPLIED, plan.adjustment("adj-cap-6").orElseThrow().status());
                });
    }

    @Test
    void a_cap_larger_than_the_symptom_free_distance_keeps_the_symptom_free_distance() {
        given(created())
                .when(autoApply(capRunDistance("adj-cap-8", 8.0), day(9)))
                .thenOne(AdjustmentApplied.class, e -> assertTrue(e.reason().startsWith("Run cap kept at 5.0 km, tighter than the proposed 8.0 km")))
                .thenPlan(plan -> assertEquals(5.0, plan.constraints().maxDistanceKm()));
    }

    @Test
    void a_cap_equal_to_the_one_in_force_is_said_to_stay_as_proposed_never_tighter_than_itself() {
        given(created())
                .when(autoApply(capRunDistance("adj-cap-5", 5.04), day(9)))
                .thenOne(AdjustmentApplied.class, e -> assertTrue(e.reason().startsWith("Run cap stays at 5.0 km, as proposed"),
                        e.reason()))
                .thenPlan(plan -> assertEquals(5.0, plan.constraints().maxDistanceKm()));
    }

    @Test
    void no_sequence_of_tightening_adjustments_ever_raises_the_cap_or_the_intensity() {
        Random random = new Random(2026);
        for (int run = 0; run < 50; run++) {
            List<PlanEvent> h = history(created(), overriding(Phase.BUILD, day(1)));
            RunConstraints before = RehabPlan.fold(h).constraints();
            for (int i = 0; i < 12; i++) {
                Adjustment a = switch (random.nextInt(4)) {
                    case 0 -> capRunDistance("cap-" + run + "-" + i, 1 + random.nextInt(80) / 10.0);
                    case 1 -> adjustment("lim-" + run + "-" + i, AdjustmentType.LIMIT_PROGRESSION,
                            params("maxIncreasePercent", 5 + random.nextInt(20), "longestRun30dKm", 1 + random.nextInt(9)));
                    case 2 -> adjustment("int-" + run + "-" + i, AdjustmentType.REDUCE_RUN_INTENSITY,
                            params("maxIntensity", RunIntensity.values()[random.nextInt(5)].name()));
                    default -> adjustment("gait-" + run + "-" + i, AdjustmentType.GAIT_RETRAINING,
                            params("currentCadenceSpm", 150 + random.nextInt(30)));
                };
                h = after(h, autoApply(a, day(2 + i)));
                RunConstraints now = RehabPlan.fold(h).constraints();
                assertTrue(now.maxDistanceKm() <= before.maxDistanceKm(), "cap loosened by " + a);
                assertTrue(now.maxIntensity().compareTo(before.maxIntensity()) <= 0, "intensity loosened by " + a);
                assertTrue(before.maxProgressionPercent() == null || now.maxProgressionPercent() <= before.maxProgressionPercent());
                before = now;
            }
        }
    }

    @Test
    void an_adjustment_cap_survives_every_phase_change_and_each_change_says_so() {
        List<PlanEvent> h = history(created(), autoApply(capRunDistance("adj-cap", 3.0), day(3)));
        for (Phase phase : List.of(Phase.RESTORE_CAPACITY, Phase.RETURN_TO_RUN, Phase.BUILD, Phase.RETURN_TO_SPORT, Phase.PROTECT)) {
            h = after(h, overriding(phase, day(10 + phase.ordinal())));
            RehabPlan plan = RehabPlan.fold(h);
            assertEquals(3.0, plan.constraints().maxDistanceKm(), phase.name());
            PhaseChanged changed = (PhaseChanged) h.get(h.size() - 1);
            assertTrue(changed.reason().contains("still in force from earlier adjustments: a 3.0 km run cap"), changed.reason());
        }
    }

    @Test
    void the_return_to_run_cap_is_carried_into_build_and_lifted_in_return_to_sport() {
        List<PlanEvent> h = history(created(), overriding(Phase.RETURN_TO_RUN, day(14)), overriding(Phase.BUILD, day(40)));
        assertEquals(5.0, RehabPlan.fold(h).constraints().maxDistanceKm(), "BUILD grows from the cap it starts with");
        h = after(h, autoApply(relaxRunCap("adj-relax", 10), day(54)));
        assertEquals(5.5, RehabPlan.fold(h).constraints().maxDistanceKm());
        h = after(h, overriding(Phase.RETURN_TO_SPORT, day(80)));
        assertNull(RehabPlan.fold(h).constraints().maxDistanceKm(), "a clinician lifted the phase's cap; no adjustment imposed one");
    }

    @Test
    void relax_run_cap_raises_past_a_tighter_phase_cap_too() {
        List<PlanEvent> h = history(created(), overriding(Phase.RETURN_TO_RUN, day(14)),
                autoApply(capRunDistance("adj-cap", 8.0), day(15)));
        assertEquals(5.0, RehabPlan.fold(h).constraints().maxDistanceKm());
        given(h).when(autoApply(relaxRunCap("adj-relax", 10), day(30)))
                .thenPlan(plan -> assertEquals(5.5, plan.constraints().maxDistanceKm()));
    }

    @Test
    void a_run_cap_only_moves_up_through_relax_run_cap_or_a_clinician() {
        List<PlanEvent> h = new ArrayList<>(history(created(), autoApply(capRunDistance("adj-cap", 3.0), day(3))));
        for (AdjustmentType type : AdjustmentType.values()) {
            if (type == AdjustmentType.RELAX_RUN_CAP) {
                continue;
            }
            h = after(h, autoApply(adjustment("adj-" + type, type, params("maxDistanceKm", 9.0, "days", 1,
                    "maxIntensity", "SPRINT", "maxIncreasePercent", 50)), day(5)));
            assertEquals(3.0, RehabPlan.fold(h).constraints().maxDistanceKm(), type.name());
        }
    }
}
