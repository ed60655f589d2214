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
 * DOMAIN.md "The plan": in BUILD the distance cap grows with the athlete (each settled step +10%);
 * leaving BUILD removes the cap only through the RETURN_TO_SPORT gate.
 */
class BuildCapTest {

    private static Adjustment settled(String id) {
        return adjustment(id, AdjustmentType.RELAX_RUN_CAP, PatternKind.SETTLED, params("percent", 10, "ceilingKm", 20.0),
                "Fourteen days without a flare-up while running under the cap.");
    }

    @Test
    void each_settled_step_in_build_grows_the_cap_by_ten_percent_of_the_current_cap() {
        List<PlanEvent> h = history(created(), new RecordAssessment(meetsReturnToRunOnly("as-1", day(20)), day(20)),
                changePhase(Phase.RETURN_TO_RUN, day(21)), changePhase(Phase.BUILD, day(42)));
        assertEquals(5.0, RehabPlan.fold(h).constraints().maxDistanceKm(), "BUILD starts from the cap it is entered with");
        h = after(h, autoApply(settled("adj-settled-1"), day(56)));
        assertEquals(5.5, RehabPlan.fold(h).constraints().maxDistanceKm());
        h = after(h, autoApply(settled("adj-settled-2"), day(70)));
        assertEquals(6.1, RehabPlan.fold(h).constraints().maxDistanceKm());
        h = after(h, autoApply(settled("adj-settled-3"), day(84)));
        assertEquals(6.7, RehabPlan.fold(h).constraints().maxDistanceKm());
    }

    @Test
    void build_entered_without_any_cap_starts_from_the_walk_run_distance_so_it_can_grow() {
        given(history(created(Diagnosis.CALF_PAIN_UNSPECIFIED, null), overriding(Phase.BUILD, day(30))))
                .thenPlan(plan -> assertEquals(RehabTemplate.WALK_RUN_START_KM, plan.constraints().maxDistanceKm()));
        given(history(created(Diagnosis.CALF_PAIN_UNSPECIFIED, null), overriding(Phase.BUILD, day(30))))
                .when(autoApply(settled("adj-settled"), day(44)))
                .thenPlan(plan -> assertEquals(2.2, plan.constraints().maxDistanceKm()));
    }

    @Test
    void leaving_build_for_return_to_sport_without_the_gate_is_refused_and_the_cap_stays() {
        List<PlanEvent> inBuild = history(created(), overriding(Phase.BUILD, day(30)), autoApply(settled("adj-settled"), day(44)));
        given(inBuild)
                .when(changePhase(Phase.RETURN_TO_SPORT, day(60)))
                .thenViolation(PlanRuleViolation.Kind.GATE_NOT_MET, "gate into RETURN_TO_SPORT");
        assertEquals(5.5, RehabPlan.fold(inBuild).constraints().maxDistanceKm());
    }

    @Test
    void through_the_return_to_sport_gate_the_phase_cap_is_removed() {
        given(history(created(), overriding(Phase.BUILD, day(30)), autoApply(settled("adj-settled"), day(44)),
                new RecordAssessment(meetsEveryGate("as-1", day(60)), day(60))))
                .when(changePhase(Phase.RETURN_TO_SPORT, day(61)))
                .thenPlan(plan -> {
                    assertEquals(Phase.RETURN_TO_SPORT, plan.phase());
                    assertNull(plan.constraints().maxDistanceKm());
                });
    }
}
