package io.strideback.plan.domain;

import io.strideback.events.vocabulary.Phase;
import io.strideback.events.vocabulary.Side;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The two gates of DOMAIN.md, read from an assessment: into RETURN_TO_RUN (pain-free walking, at
 * least 25 single-leg calf raises on the affected side within 10% of the other, pain-free hops) and
 * into RETURN_TO_SPORT (Green 2022: 0/10 pain, at least 30 raises, at most 10% asymmetry, loaded
 * raises of 1.0 x bodyweight straight-knee and 1.5 x bent-knee). A value not measured counts as missing.
 * Gates are enforced (DOMAIN.md rules v2): a phase change past an unmet gate is refused unless a clinician
 * overrides it with a reason; a met gate makes the plan propose the advance, and a clinician approves it.
 */
public final class Gates {

    static final int RAISES_TO_RUN = 25;
    static final int RAISES_TO_SPORT = 30;
    static final double MOST_ASYMMETRY_PERCENT = 10.0;
    static final double STRAIGHT_KNEE_BODYWEIGHT = 1.0;
    static final double BENT_KNEE_BODYWEIGHT = 1.5;
    private static final String NOT_RECORDED = "not recorded";

    private Gates() {
    }

    /** The phases that have a gate, in order. */
    static final List<Phase> GATED = List.of(Phase.RETURN_TO_RUN, Phase.RETURN_TO_SPORT);

    /** The report for the gate into {@code phase} (RETURN_TO_RUN or RETURN_TO_SPORT), from an assessment that may be null. */
    public static GateReport into(Phase phase, Assessment assessment, Side affected) {
        return switch (phase) {
            case RETURN_TO_RUN -> intoReturnToRun(assessment, affected);
            case RETURN_TO_SPORT -> intoReturnToSport(assessment, affected);
            default -> throw new IllegalArgumentException(phase + " has no gate");
        };
    }

    private static GateReport intoReturnToRun(Assessment a, Side affected) {
        Criteria c = new Criteria();
        Boolean walking = a == null ? null : a.painFreeWalking();
        c.add(Boolean.TRUE.equals(walking), "Pain-free walking", "walking without calf pain", yesNo(walking));
        raises(c, a, affected, RAISES_TO_RUN);
        symmetry(c, a, affected, "Calf raise symmetry",
                affected + " side within " + percent(MOST_ASYMMETRY_PERCENT) + " of the other side");
        Boolean hops = a == null ? null : a.painFreeHops();
        c.add(Boolean.TRUE.equals(hops), "Pain-free hops", "hopping on the " + side(affected) + " leg without pain", yesNo(hops));
        return c.report(Phase.RETURN_TO_RUN);
    }

    private static GateReport intoReturnToSport(Assessment a, Side affected) {
        Criteria c = new Criteria();
        Integer pain = a == null ? null : a.painNow();
        c.add(pain != null && pain == 0, "No pain", "0/10", pain == null ? NOT_RECORDED : pain + "/10");
        raises(c, a, affected, RAISES_TO_SPORT);
        symmetry(c, a, affected, "Calf raise asymmetry", "at most " + percent(MOST_ASYMMETRY_PERCENT) + " between sides");
        loaded(c, a == null ? null : a.loadedRaiseStraightKneeBodyweight(), "Loaded calf raise with a straight knee",
                STRAIGHT_KNEE_BODYWEIGHT);
        loaded(c, a == null ? null : a.loadedRaiseBentKneeBodyweight(), "Loaded calf raise with a bent knee",
                BENT_KNEE_BODYWEIGHT);
        return c.report(Phase.RETURN_TO_SPORT);
    }

    private static void raises(Criteria c, Assessment a, Side affected, int least) {
        Integer count = raisesOn(a, affected);
        c.add(count != null && count >= least, "Single-leg calf raises on the affected side",
                "at least " + least + " on the " + side(affected) + " side", count == null ? NOT_RECORDED : String.valueOf(count));
    }

    private static void symmetry(Criteria c, Assessment a, Side affected, String name, String requirement) {
        Integer mine = raisesOn(a, affected);
        Integer other = raisesOn(a, affected == Side.LEFT ? Side.RIGHT : Side.LEFT);
        if (mine == null || other == null) {
            c.add(false, name, requirement, NOT_RECORDED);
            return;
        }
        double apart = asymmetryPercent(mine, other);
        c.add(apart <= MOST_ASYMMETRY_PERCENT, name, requirement,
                side(affected) + " " + mine + ", other side " + other + " (" + percent(apart) + " apart)");
    }

    private static void loaded(Criteria c, Double bodyweights, String name, double least) {
        c.add(bodyweights != null && bodyweights >= least, name,
                "at least " + times(least) + " bodyweight", bodyweights == null ? NOT_RECORDED : times(bodyweights) + " bodyweight");
    }

    /** The difference between the sides as a share of the stronger side; 0 when both are 0. */
    static double asymmetryPercent(int a, int b) {
        int stronger = Math.max(a, b);
        return stronger == 0 ? 0.0 : 100.0 * Math.abs(a - b) / stronger;
    }

    private static Integer raisesOn(Assessment a, Side side) {
        if (a == null || side == null) {
            return null;
        }
        return side == Side.LEFT ? a.calfRaisesLeft() : a.calfRaisesRight();
    }

    private static String yesNo(Boolean b) {
        return b == null ? NOT_RECORDED : b ? "yes" : "no";
    }

    private static String side(Side side) {
        return side == null ? "affected" : side.name().toLowerCase(Locale.ROOT);
    }

    private static String percent(double p) {
        return Math.round(p) + "%";
    }

    private static String times(double x) {
        return PlainWords.oneDecimal(x) + " x"; // not String.format: a rebuild folds every gate again (issue 15 item 3)
    }

    /** Collects criteria into met and missing, keeping their order. */
    private static final class Criteria {
        private final List<GateCriterion> met = new ArrayList<>();
        private final List<GateCriterion> missing = new ArrayList<>();

        void add(boolean ok, String name, String requirement, String observed) {
            (ok ? met : missing).add(new GateCriterion(name, requirement, observed));
        }

        GateReport report(Phase phase) {
            return new GateReport(phase, met, missing);
        }
    }
}
