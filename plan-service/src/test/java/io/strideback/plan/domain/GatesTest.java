package io.strideback.plan.domain;

import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.Phase;
import io.strideback.events.vocabulary.Side;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.strideback.plan.domain.PlanFixtures.*;
import static io.strideback.plan.domain.PlanScenario.given;
import static org.junit.jupiter.api.Assertions.*;

/** The gates of DOMAIN.md, read from the latest assessment; missing data counts as missing. */
class GatesTest {

    private static List<String> names(List<GateCriterion> criteria) {
        return criteria.stream().map(GateCriterion::name).toList();
    }

    @Test
    void without_an_assessment_every_criterion_of_both_gates_is_missing() {
        given(created()).thenPlan(plan -> {
            assertEquals(List.of(Phase.RETURN_TO_RUN, Phase.RETURN_TO_SPORT), plan.gatesAhead().stream().map(GateReport::gateFor).toList());
            GateReport toRun = plan.gates();
            assertEquals(List.of(), toRun.met());
            assertEquals(List.of("Pain-free walking", "Single-leg calf raises on the affected side", "Calf raise symmetry", "Pain-free hops"),
                    names(toRun.missing()));
            assertTrue(toRun.missing().stream().allMatch(c -> c.observed().equals("not recorded")));
            assertFalse(toRun.passed());
        });
    }

    @Test
    void return_to_run_gate_met() {
        PlanScenario scenario = given(history(created(), changePhase(Phase.RESTORE_CAPACITY, day(7))))
                .when(new RecordAssessment(assessment("as-1", day(30), 27, 29, 1, true, true, null, null), day(30)));
        // Rules v2: a met gate also makes the plan propose the advance (AdvanceProposalTest).
        assertEquals(2, scenario.decided().size());
        assertEquals("Assessment of 2026-05-01 noted; gate into RETURN_TO_RUN: 4 of 4 criteria met, ready for a clinician "
                + "to move the plan on.", assertInstanceOf(AssessmentNoted.class, scenario.decided().get(0)).reason());
        assertInstanceOf(AdjustmentPending.class, scenario.decided().get(1));
        scenario.thenPlan(plan -> {
                    GateReport toRun = plan.gates();
                    assertEquals(Phase.RETURN_TO_RUN, toRun.gateFor());
                    assertTrue(toRun.passed());
                    assertEquals(new GateCriterion("Calf raise symmetry", "LEFT side within 10% of the other side",
                            "left 27, other side 29 (7% apart)"), toRun.met().get(2));
                    assertEquals(Phase.RESTORE_CAPACITY, plan.phase(), "a met gate proposes the advance; only a clinician moves the plan");
                });
    }

    @Test
    void return_to_run_gate_missing_raises_symmetry_and_hops() {
        given(history(created(), changePhase(Phase.RESTORE_CAPACITY, day(7))))
                .when(new RecordAssessment(assessment("as-1", day(30), 22, 30, 2, true, false, null, null), day(30)))
                .thenOne(AssessmentNoted.class, e -> assertEquals("Assessment of 2026-05-01 noted; gate into RETURN_TO_RUN: 1 of 4 "
                        + "criteria met (missing: single-leg calf raises on the affected side, calf raise symmetry, pain-free hops).", e.reason()))
                .thenPlan(plan -> {
                    GateReport toRun = plan.gates();
                    assertEquals(List.of("Pain-free walking"), names(toRun.met()));
                    assertEquals(List.of(
                            new GateCriterion("Single-leg calf raises on the affected side", "at least 25 on the left side", "22"),
                            new GateCriterion("Calf raise symmetry", "LEFT side within 10% of the other side", "left 22, other side 30 (27% apart)"),
                            new GateCriterion("Pain-free hops", "hopping on the left leg without pain", "no")), toRun.missing());
                });
    }

    @Test
    void twenty_five_raises_exactly_ten_percent_apart_pass_the_return_to_run_gate() {
        Assessment a = assessment("as-1", day(30), 27, 30, 0, true, true, null, null);
        assertTrue(Gates.into(Phase.RETURN_TO_RUN, a, Side.LEFT).passed());
        Assessment b = assessment("as-2", day(30), 24, 24, 0, true, true, null, null);
        assertEquals(List.of("Single-leg calf raises on the affected side"), names(Gates.into(Phase.RETURN_TO_RUN, b, Side.LEFT).missing()));
    }

    @Test
    void return_to_sport_gate_met_green_2022() {
        given(history(created(), overriding(Phase.BUILD, day(40))))
                .when(new RecordAssessment(assessment("as-1", day(60), 31, 32, 0, true, true, 1.1, 1.6), day(60)))
                .thenPlan(plan -> {
                    assertEquals(1, plan.gatesAhead().size());
                    GateReport toSport = plan.gates();
                    assertEquals(Phase.RETURN_TO_SPORT, toSport.gateFor());
                    assertEquals(List.of("No pain", "Single-leg calf raises on the affected side", "Calf raise asymmetry",
                            "Loaded calf raise with a straight knee", "Loaded calf raise with a bent knee"), names(toSport.met()));
                    assertTrue(toSport.passed());
                });
    }

    @Test
    void return_to_sport_gate_missing_pain_and_loaded_raises() {
        given(history(created(), overriding(Phase.RETURN_TO_RUN, day(30))))
                .when(new RecordAssessment(assessment("as-1", day(50), 30, 35, 1, true, true, null, 1.4), day(50)))
                .thenPlan(plan -> {
                    GateReport toSport = plan.gates();
                    assertEquals(List.of("Single-leg calf raises on the affected side"), names(toSport.met()));
                    assertEquals(List.of(
                            new GateCriterion("No pain", "0/10", "1/10"),
                            new GateCriterion("Calf raise asymmetry", "at most 10% between sides", "left 30, other side 35 (14% apart)"),
                            new GateCriterion("Loaded calf raise with a straight knee", "at least 1.0 x bodyweight", "not recorded"),
                            new GateCriterion("Loaded calf raise with a bent knee", "at least 1.5 x bodyweight", "1.4 x bodyweight")),
                            toSport.missing());
                });
    }

    @Test
    void the_affected_side_is_the_plans_side() {
        PlanCreated right = (PlanCreated) RehabPlan.empty().decide(new CreatePlan(ATHLETE, CLINIC, Diagnosis.CALF_STRAIN_SOLEUS,
                Side.RIGHT, INJURY, 3.0, ENROLLED)).get(0);
        given(right)
                .when(new RecordAssessment(assessment("as-1", day(30), 30, 20, 0, true, true, null, null), day(30)))
                .thenPlan(plan -> assertEquals(new GateCriterion("Single-leg calf raises on the affected side", "at least 25 on the right side", "20"),
                        plan.gates().missing().get(0)));
    }

    @Test
    void the_latest_assessment_by_when_it_was_measured_counts_not_the_latest_to_arrive() {
        Assessment newer = assessment("as-new", day(30), 27, 28, 0, true, true, null, null);
        Assessment olderArrivingLate = assessment("as-old", day(20), 10, 28, 3, false, false, null, null);
        given(history(created(), new RecordAssessment(newer, day(30))))
                .when(new RecordAssessment(olderArrivingLate, day(31)))
                .thenPlan(plan -> {
                    assertEquals(newer, plan.latestAssessment().orElseThrow());
                    assertTrue(plan.gates().passed());
                    assertTrue(plan.knowsAssessment("as-old"));
                });
    }
}
