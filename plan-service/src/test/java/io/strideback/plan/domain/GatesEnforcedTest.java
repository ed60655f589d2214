package io.strideback.plan.domain;

import io.strideback.events.vocabulary.Phase;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.strideback.plan.domain.PlanFixtures.*;
import static io.strideback.plan.domain.PlanScenario.given;
import static org.junit.jupiter.api.Assertions.*;

/**
 * DOMAIN.md "Gates are enforced": a phase change into RETURN_TO_RUN or RETURN_TO_SPORT whose gate the
 * latest assessment does not meet is refused with the unmet criteria, unless the clinician overrides
 * it with a reason; the override and the unmet criteria are recorded in the plan's history.
 */
class GatesEnforcedTest {

    @Test
    void protect_to_return_to_sport_on_day_one_with_no_assessment_is_refused_with_every_unmet_criterion() {
        given(created())
                .when(changePhase(Phase.RETURN_TO_SPORT, day(1)))
                .thenViolation(PlanRuleViolation.Kind.GATE_NOT_MET, "gate into RETURN_TO_SPORT")
                .thenViolation(PlanRuleViolation.Kind.GATE_NOT_MET, "gate into RETURN_TO_RUN");
        PlanRuleViolation v = assertThrows(PlanRuleViolation.class,
                () -> RehabPlan.fold(List.of(created())).decide(changePhase(Phase.RETURN_TO_SPORT, day(1))));
        // Both gates lie on the way (4 criteria into RETURN_TO_RUN, 5 into RETURN_TO_SPORT), none measured.
        assertEquals(List.of(Phase.RETURN_TO_RUN, Phase.RETURN_TO_SPORT), v.unmetGates().stream().map(GateReport::gateFor).toList());
        assertEquals(9, v.unmetGates().stream().mapToInt(g -> g.missing().size()).sum());
        assertTrue(v.unmetGates().stream().flatMap(g -> g.missing().stream()).allMatch(c -> c.observed().equals("not recorded")));
    }

    @Test
    void into_return_to_run_with_raises_short_is_refused_naming_what_is_missing() {
        given(history(created(), changePhase(Phase.RESTORE_CAPACITY, day(7)),
                new RecordAssessment(assessment("as-1", day(28), 22, 30, 1, true, true, null, null), day(28))))
                .when(changePhase(Phase.RETURN_TO_RUN, day(29)))
                .thenViolation(PlanRuleViolation.Kind.GATE_NOT_MET, "single-leg calf raises on the affected side: at least 25 on the left side, measured 22");
    }

    @Test
    void a_met_gate_lets_the_clinician_move_on_and_nothing_is_overridden() {
        given(history(created(), changePhase(Phase.RESTORE_CAPACITY, day(7)),
                new RecordAssessment(meetsReturnToRunOnly("as-1", day(28)), day(28))))
                .when(changePhase(Phase.RETURN_TO_RUN, day(29)))
                .thenPlan(plan -> assertEquals(Phase.RETURN_TO_RUN, plan.phase()))
                .decided().stream().filter(PhaseChanged.class::isInstance).map(PhaseChanged.class::cast).forEach(e -> {
                    assertFalse(e.gatesOverridden());
                    assertEquals(List.of(), e.unmetGates());
                    assertFalse(e.reason().contains("overrid"), e.reason());
                });
    }

    @Test
    void an_override_with_a_reason_moves_the_plan_and_records_the_unmet_criteria() {
        given(history(created(), changePhase(Phase.RESTORE_CAPACITY, day(7)), changePhase(Phase.RESTORE_CAPACITY, day(8)),
                new RecordAssessment(meetsReturnToRunOnly("as-1", day(40)), day(40))))
                .when(new ChangePhase(Phase.RETURN_TO_RUN, CLINICIAN, "why", day(41), true))
                .thenPlan(plan -> assertEquals(Phase.RETURN_TO_RUN, plan.phase()))
                .decided().stream().filter(PhaseChanged.class::isInstance).map(PhaseChanged.class::cast)
                .forEach(e -> assertFalse(e.gatesOverridden(), "the gate is met: there is nothing to override"));

        List<PlanEvent> inBuild = history(created(), overriding(Phase.BUILD, day(30)),
                new RecordAssessment(meetsReturnToRunOnly("as-2", day(60)), day(60)));
        given(inBuild)
                .when(new ChangePhase(Phase.RETURN_TO_SPORT, CLINICIAN, "Cup final in a week, the athlete accepts the risk.", day(61), true))
                .thenOne(PhaseChanged.class, e -> {
                    assertTrue(e.gatesOverridden());
                    assertEquals(Phase.RETURN_TO_SPORT, e.unmetGates().get(0).gateFor());
                    assertEquals(List.of("No pain", "Single-leg calf raises on the affected side", "Loaded calf raise with a straight knee",
                            "Loaded calf raise with a bent knee"), e.unmetGates().get(0).missing().stream().map(GateCriterion::name).toList());
                    assertTrue(e.reason().startsWith("Moved from BUILD to RETURN_TO_SPORT by dr-okafor, overriding the gate into "
                            + "RETURN_TO_SPORT with 4 criteria unmet (no pain: 0/10, measured 1/10;"), e.reason());
                    assertTrue(e.reason().contains(": cup final in a week, the athlete accepts the risk; now"), e.reason());
                })
                .thenPlan(plan -> assertEquals(Phase.RETURN_TO_SPORT, plan.phase()));
    }

    @Test
    void an_override_needs_a_reason() {
        given(created())
                .when(new ChangePhase(Phase.RETURN_TO_RUN, CLINICIAN, "  ", day(3), true))
                .thenViolation(PlanRuleViolation.Kind.INVALID_COMMAND, "reason");
    }

    @Test
    void moving_back_or_into_an_ungated_phase_needs_no_gate() {
        given(created()).when(changePhase(Phase.RESTORE_CAPACITY, day(7)))
                .thenOne(PhaseChanged.class, e -> assertFalse(e.gatesOverridden()));
        given(history(created(), overriding(Phase.BUILD, day(30))))
                .when(changePhase(Phase.RETURN_TO_RUN, day(31)))
                .thenOne(PhaseChanged.class, e -> assertEquals(Phase.RETURN_TO_RUN, e.to()));
        given(history(created(), overriding(Phase.RETURN_TO_RUN, day(30))))
                .when(changePhase(Phase.BUILD, day(31)))
                .thenOne(PhaseChanged.class, e -> assertEquals(Phase.BUILD, e.to()));
    }

    @Test
    void skipping_a_phase_does_not_skip_its_gate() {
        given(history(created(), new RecordAssessment(meetsReturnToRunOnly("as-1", day(5)), day(5))))
                .when(changePhase(Phase.BUILD, day(6)))
                .thenPlan(plan -> assertEquals(Phase.BUILD, plan.phase()));
        given(created())
                .when(changePhase(Phase.BUILD, day(6)))
                .thenViolation(PlanRuleViolation.Kind.GATE_NOT_MET, "gate into RETURN_TO_RUN");
    }
}
