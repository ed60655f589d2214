package io.strideback.plan.domain;

import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.PatternKind;
import io.strideback.events.vocabulary.Phase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static io.strideback.plan.domain.PlanFixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * DOMAIN.md "Convergence", as a property of the plan alone: the monitor's proposals and withdrawals, taken one
 * at a time in random orders (late syncs, re-proposals after a withdrawal), with the same clinician decisions at
 * the same times, give the same plan constraints whenever they end with the same adjustments in force, and the
 * plan those adjustments would have given had each been proposed once, in time order. Plain Java, seeded, so a
 * failure names its seed and replays.
 */
class ConvergencePropertyTest {

    private static final int TRIALS = 100;
    /** Arrivals start here, one a minute, all on one day (so "today" is the same in every order). */
    private static final Instant ARRIVALS = day(40);
    /** The clinician's decisions, at fixed times among the arrivals. */
    private static final Instant TO_RETURN_TO_RUN = ARRIVALS.plus(Duration.ofMinutes(4)).plusSeconds(30);
    private static final Instant TO_BUILD = ARRIVALS.plus(Duration.ofMinutes(11)).plusSeconds(30);

    private static Adjustment due(String id, AdjustmentType type, Map<String, Object> parameters, int dueDay) {
        return new Adjustment(id, type, PatternKind.RUNNING_TRIGGERED_DISTANCE, "rule-" + id, parameters,
                List.of("evt-" + id), "The load monitor saw a pattern.", day(dueDay));
    }

    /** What the monitor may propose: caps, limits, intensity, pauses, gait, relaxes, reviews, exercises. */
    private static final List<Adjustment> POOL = List.of(
            due("cap-32", AdjustmentType.CAP_RUN_DISTANCE, params("maxDistanceKm", 3.2), 12),
            due("cap-41", AdjustmentType.CAP_RUN_DISTANCE, params("maxDistanceKm", 4.1), 18),
            due("cap-27", AdjustmentType.CAP_RUN_DISTANCE, params("maxDistanceKm", 2.7), 30),
            due("limit", AdjustmentType.LIMIT_PROGRESSION, params("maxIncreasePercent", 10, "longestRun30dKm", 3.5), 18),
            due("easy", AdjustmentType.REDUCE_RUN_INTENSITY, params("maxIntensity", "EASY"), 25),
            due("steady", AdjustmentType.REDUCE_RUN_INTENSITY, params("maxIntensity", "STEADY"), 41),
            due("recovery", AdjustmentType.ADD_RECOVERY_DAY_BEFORE_INTENSE, params(), 25),
            due("pause-old", AdjustmentType.PAUSE_RUNNING, params("days", 5, "startsAt", day(20).toString()), 20),
            due("pause-now", AdjustmentType.PAUSE_RUNNING, params("days", 3, "startsAt", day(39).toString()), 39),
            due("gait-a", AdjustmentType.GAIT_RETRAINING, params("currentCadenceSpm", 158, "cadenceTargetSpm", 168), 22),
            due("gait-b", AdjustmentType.GAIT_RETRAINING, params("currentCadenceSpm", 160, "cadenceTargetSpm", 172), 36),
            due("relax-1", AdjustmentType.RELAX_RUN_CAP, params("percent", 10, "ceilingKm", 6.0), 34),
            due("relax-2", AdjustmentType.RELAX_RUN_CAP, params("percent", 10, "ceilingKm", 4.0), 42),
            due("review", AdjustmentType.CLINICIAN_REVIEW, params("concern", "NEURAL_TENSION"), 28),
            due("glides", AdjustmentType.ADD_EXERCISE, params("exercise", "NEURAL_GLIDES"), 28),
            due("heel", AdjustmentType.ADD_EXERCISE, params("exercise", "MODIFIED_HEEL_RAISE_WITH_BALL",
                    "screen", "TIBIALIS_POSTERIOR"), 33));

    private sealed interface Op permits Propose, Withdraw {
    }

    private record Propose(Adjustment adjustment) implements Op {
    }

    private record Withdraw(String adjustmentId) implements Op {
    }

    @Test
    void the_same_adjustments_in_force_give_the_same_constraints_in_any_order() {
        for (long seed = 1; seed <= TRIALS; seed++) {
            Random random = new Random(seed);
            Set<Adjustment> inForce = new LinkedHashSet<>();
            POOL.stream().filter(a -> random.nextInt(3) > 0).forEach(inForce::add);

            RehabPlan reference = play(inTimeOrder(inForce));
            for (int order = 0; order < 3; order++) {
                RehabPlan shuffled = play(randomOrder(inForce, random));
                String trial = "seed " + seed + ", order " + order + ", in force " + inForce.stream().map(Adjustment::adjustmentId).toList();
                assertEquals(reference.constraints(), shuffled.constraints(), trial);
                assertEquals(reference.flags(), shuffled.flags(), trial);
                assertEquals(reference.phase(), shuffled.phase(), trial);
                assertEquals(reference.exercises(), shuffled.exercises(), trial);
                for (int d = 38; d <= 50; d++) {
                    assertEquals(reference.constraintsOn(RehabPlan.dayOf(day(d), null)),
                            shuffled.constraintsOn(RehabPlan.dayOf(day(d), null)), trial + ", day " + d);
                }
            }
        }
    }

    /** Each adjustment in force proposed once, in the order its findings made it due. */
    private static List<Op> inTimeOrder(Set<Adjustment> inForce) {
        return inForce.stream().sorted(Comparator.comparing(Adjustment::dueAt).thenComparing(Adjustment::adjustmentId))
                .<Op>map(Propose::new).toList();
    }

    /**
     * Every adjustment of the pool goes through its own story (proposed, withdrawn, proposed again...) ending in
     * force or not as {@code inForce} says; the stories are interleaved at random, each kept in its own order.
     */
    private static List<Op> randomOrder(Set<Adjustment> inForce, Random random) {
        List<List<Op>> stories = new ArrayList<>();
        for (Adjustment a : POOL) {
            int rounds = random.nextInt(3);
            List<Op> story = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                story.add(new Propose(a));
                story.add(new Withdraw(a.adjustmentId()));
            }
            if (inForce.contains(a)) {
                story.add(new Propose(a));
            } else if (random.nextBoolean()) {
                story.add(new Withdraw(a.adjustmentId())); // a withdrawal of something the plan never had
            }
            stories.add(story);
        }
        List<Op> out = new ArrayList<>();
        int[] next = new int[stories.size()];
        int left = stories.stream().mapToInt(List::size).sum();
        while (left > 0) {
            int pick = random.nextInt(stories.size());
            if (next[pick] < stories.get(pick).size()) {
                out.add(stories.get(pick).get(next[pick]++));
                left--;
            }
        }
        return out;
    }

    /** The operations arrive a minute apart; the clinician's two phase changes come at their own fixed times. */
    private static RehabPlan play(List<Op> ops) {
        List<PlanEvent> history = new ArrayList<>(List.of(created()));
        RehabPlan plan = RehabPlan.fold(history);
        boolean returned = false;
        boolean built = false;
        for (int i = 0; i < ops.size(); i++) {
            Instant at = ARRIVALS.plus(Duration.ofMinutes(i));
            if (!returned && at.isAfter(TO_RETURN_TO_RUN)) {
                plan = take(plan, history, overriding(Phase.RETURN_TO_RUN, TO_RETURN_TO_RUN));
                returned = true;
            }
            if (!built && at.isAfter(TO_BUILD)) {
                plan = take(plan, history, overriding(Phase.BUILD, TO_BUILD));
                built = true;
            }
            Op op = ops.get(i);
            plan = take(plan, history, op instanceof Propose p ? autoApply(p.adjustment(), at)
                    : new WithdrawAdjustment(((Withdraw) op).adjustmentId(), null, "No longer supported.", at));
        }
        if (!returned) {
            plan = take(plan, history, overriding(Phase.RETURN_TO_RUN, TO_RETURN_TO_RUN));
        }
        if (!built) {
            plan = take(plan, history, overriding(Phase.BUILD, TO_BUILD));
        }
        assertEquals(plan, RehabPlan.fold(history), "the plan built event by event is the fold of its history");
        return plan;
    }

    /** Decides a command against the plan and applies what it caused, one event at a time (the incremental path). */
    private static RehabPlan take(RehabPlan plan, List<PlanEvent> history, PlanCommand command) {
        RehabPlan p = plan;
        for (PlanEvent e : plan.decide(command)) {
            history.add(e);
            p = p.apply(e);
        }
        return p;
    }
}
