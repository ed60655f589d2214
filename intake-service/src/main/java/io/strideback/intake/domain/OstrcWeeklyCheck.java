package io.strideback.intake.domain;

import io.strideback.events.vocabulary.OstrcExtent;
import io.strideback.events.vocabulary.OstrcParticipation;
import io.strideback.events.vocabulary.OstrcPain;

import java.util.ArrayList;
import java.util.List;

/**
 * The OSTRC-O2 weekly check of the calf (Clarsen et al., BJSM 2013, "Development and validation of a new method
 * for the registration of overuse injuries in sports injury epidemiology"; Clarsen et al., BJSM 2020, the OSTRC-O2
 * update). Four questions about the past week; each answer scores 0-25 and the sum is the severity score 0-100.
 * Plain Java.
 */
public final class OstrcWeeklyCheck {

    private OstrcWeeklyCheck() {
    }

    /** The four answers as the athlete gave them; a skipped question is null. */
    public record Answers(OstrcParticipation participation, OstrcExtent trainingModified,
                          OstrcExtent performanceAffected, OstrcPain pain) {
    }

    /** A question that cannot be scored as answered, by its field name. */
    public record AnswerProblem(String question, String message) {
    }

    /** Complete answers, their severity score and whether the week counts as a substantial problem. */
    public record Scored(Answers answers, int score, boolean substantialProblem) {
    }

    /**
     * What keeps the answers from being scored. The questionnaire's own skips are allowed: "full participation
     * without problems" ends it (the rest is "none"), and "could not participate" answers questions 2 and 3 with
     * "could not participate" (Clarsen 2013, methods: the electronic form filled them); anything that contradicts
     * those is a problem, as is a question left out otherwise.
     */
    public static List<AnswerProblem> problems(Answers given) {
        List<AnswerProblem> problems = new ArrayList<>();
        if (given.participation() == null) {
            problems.add(new AnswerProblem("participation", "is required"));
            return problems;
        }
        switch (given.participation()) {
            case FULL_WITHOUT_PROBLEMS -> {
                noneOrSkipped(problems, "trainingModified", given.trainingModified() == null
                        || given.trainingModified() == OstrcExtent.NONE);
                noneOrSkipped(problems, "performanceAffected", given.performanceAffected() == null
                        || given.performanceAffected() == OstrcExtent.NONE);
                noneOrSkipped(problems, "pain", given.pain() == null || given.pain() == OstrcPain.NONE);
            }
            case CANNOT_PARTICIPATE -> {
                cannotParticipateOrSkipped(problems, "trainingModified", given.trainingModified());
                cannotParticipateOrSkipped(problems, "performanceAffected", given.performanceAffected());
                required(problems, "pain", given.pain());
            }
            default -> {
                required(problems, "trainingModified", given.trainingModified());
                required(problems, "performanceAffected", given.performanceAffected());
                required(problems, "pain", given.pain());
                if (given.trainingModified() == OstrcExtent.CANNOT_PARTICIPATE
                        || given.performanceAffected() == OstrcExtent.CANNOT_PARTICIPATE) {
                    problems.add(new AnswerProblem("participation",
                            "must be CANNOT_PARTICIPATE when a later answer says the athlete could not participate"));
                }
            }
        }
        return problems;
    }

    /** The score of answers {@link #problems} found nothing wrong with, the questionnaire's skips filled in. */
    public static Scored score(Answers given) {
        if (!problems(given).isEmpty()) {
            throw new IllegalArgumentException("OSTRC-O2 answers with problems: " + problems(given));
        }
        Answers a = switch (given.participation()) {
            case FULL_WITHOUT_PROBLEMS -> new Answers(given.participation(), OstrcExtent.NONE, OstrcExtent.NONE,
                    OstrcPain.NONE);
            case CANNOT_PARTICIPATE -> new Answers(given.participation(), OstrcExtent.CANNOT_PARTICIPATE,
                    OstrcExtent.CANNOT_PARTICIPATE, given.pain());
            default -> given;
        };
        int score = participationScore(a.participation()) + extentScore(a.trainingModified())
                + extentScore(a.performanceAffected()) + painScore(a.pain());
        return new Scored(a, score, substantial(a));
    }

    /**
     * A substantial problem: a moderate or greater reduction in training volume or in performance, or not being
     * able to participate at all (Clarsen 2013; kept by the 2020 update as "moderate or severe reductions in
     * training volume or performance, or complete inability to participate").
     */
    static boolean substantial(Answers a) {
        return a.participation() == OstrcParticipation.CANNOT_PARTICIPATE
                || atLeastModerate(a.trainingModified()) || atLeastModerate(a.performanceAffected());
    }

    // The answer scores of Clarsen 2013, table 1: question 1 and 4 in four steps, questions 2 and 3 in five.
    static int participationScore(OstrcParticipation p) {
        return switch (p) {
            case FULL_WITHOUT_PROBLEMS -> 0;
            case FULL_WITH_PROBLEMS -> 8;
            case REDUCED -> 17;
            case CANNOT_PARTICIPATE -> 25;
        };
    }

    static int extentScore(OstrcExtent e) {
        return switch (e) {
            case NONE -> 0;
            case MINOR -> 6;
            case MODERATE -> 13;
            case MAJOR -> 19;
            case CANNOT_PARTICIPATE -> 25;
        };
    }

    static int painScore(OstrcPain p) {
        return switch (p) {
            case NONE -> 0;
            case MILD -> 8;
            case MODERATE -> 17;
            case SEVERE -> 25;
        };
    }

    private static boolean atLeastModerate(OstrcExtent e) {
        return e == OstrcExtent.MODERATE || e == OstrcExtent.MAJOR || e == OstrcExtent.CANNOT_PARTICIPATE;
    }

    private static void required(List<AnswerProblem> problems, String question, Object answer) {
        if (answer == null) {
            problems.add(new AnswerProblem(question, "is required"));
        }
    }

    private static void noneOrSkipped(List<AnswerProblem> problems, String question, boolean ok) {
        if (!ok) {
            problems.add(new AnswerProblem(question,
                    "must be NONE or left out when participation is FULL_WITHOUT_PROBLEMS"));
        }
    }

    private static void cannotParticipateOrSkipped(List<AnswerProblem> problems, String question, OstrcExtent answer) {
        if (answer != null && answer != OstrcExtent.CANNOT_PARTICIPATE) {
            problems.add(new AnswerProblem(question,
                    "must be CANNOT_PARTICIPATE or left out when participation is CANNOT_PARTICIPATE"));
        }
    }
}
