package io.strideback.intake.domain;

import io.strideback.events.vocabulary.OstrcExtent;
import io.strideback.events.vocabulary.OstrcParticipation;
import io.strideback.events.vocabulary.OstrcPain;
import io.strideback.intake.domain.OstrcWeeklyCheck.AnswerProblem;
import io.strideback.intake.domain.OstrcWeeklyCheck.Answers;
import io.strideback.intake.domain.OstrcWeeklyCheck.Scored;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 17: the OSTRC-O2 weekly check of the calf, scored as Clarsen et al. (BJSM 2013; 2020 update) score it. */
class OstrcWeeklyCheckTest {

    @ParameterizedTest(name = "{0} / {1} / {2} / {3} scores {4}, substantial {5}")
    @CsvSource({
            // every answer at its lowest and highest step
            "FULL_WITHOUT_PROBLEMS, NONE,    NONE,     NONE,     0,  false",
            "CANNOT_PARTICIPATE,    CANNOT_PARTICIPATE, CANNOT_PARTICIPATE, SEVERE, 100, true",
            // each question's steps (Clarsen 2013 table 1: 0/8/17/25 and 0/6/13/19/25)
            "FULL_WITH_PROBLEMS,    NONE,    NONE,     MILD,     16, false",
            "FULL_WITH_PROBLEMS,    MINOR,   MINOR,    MILD,     28, false",
            "REDUCED,               MINOR,   NONE,     MODERATE, 40, false",
            "REDUCED,               MODERATE, MINOR,   MODERATE, 53, true",
            "REDUCED,               MINOR,   MODERATE, MILD,     44, true",
            "REDUCED,               MAJOR,   MAJOR,    SEVERE,   80, true",
            "CANNOT_PARTICIPATE,    CANNOT_PARTICIPATE, CANNOT_PARTICIPATE, NONE, 75, true"})
    void a_week_scores_the_sum_of_its_four_answers(OstrcParticipation participation, OstrcExtent training,
                                                   OstrcExtent performance, OstrcPain pain, int score,
                                                   boolean substantial) {
        // given the athlete's answers for the week / when scored
        Scored scored = OstrcWeeklyCheck.score(new Answers(participation, training, performance, pain));
        // then the severity score and the substantial-problem flag
        assertThat(scored.score()).isEqualTo(score);
        assertThat(scored.substantialProblem()).isEqualTo(substantial);
    }

    @Test
    void full_participation_without_problems_ends_the_questionnaire_and_scores_zero() {
        // given only the first answer, as the form skips the rest
        Scored scored = OstrcWeeklyCheck.score(new Answers(OstrcParticipation.FULL_WITHOUT_PROBLEMS, null, null, null));
        // then the rest reads "none" and the week scores 0
        assertThat(scored.answers()).isEqualTo(new Answers(OstrcParticipation.FULL_WITHOUT_PROBLEMS, OstrcExtent.NONE,
                OstrcExtent.NONE, OstrcPain.NONE));
        assertThat(scored.score()).isZero();
        assertThat(scored.substantialProblem()).isFalse();
    }

    @Test
    void could_not_participate_answers_training_and_performance_for_the_athlete() {
        // given "could not participate" and the pain, questions 2 and 3 skipped
        Scored scored = OstrcWeeklyCheck.score(new Answers(OstrcParticipation.CANNOT_PARTICIPATE, null, null,
                OstrcPain.MODERATE));
        // then both read "could not participate": 25 + 25 + 25 + 17, a substantial problem
        assertThat(scored.answers().trainingModified()).isEqualTo(OstrcExtent.CANNOT_PARTICIPATE);
        assertThat(scored.answers().performanceAffected()).isEqualTo(OstrcExtent.CANNOT_PARTICIPATE);
        assertThat(scored.score()).isEqualTo(92);
        assertThat(scored.substantialProblem()).isTrue();
    }

    @Test
    void a_reduced_week_with_a_question_left_out_is_not_scored() {
        // given reduced participation and no answer about pain
        Answers answers = new Answers(OstrcParticipation.REDUCED, OstrcExtent.MINOR, OstrcExtent.MINOR, null);
        // then the missing question is named, and scoring refuses
        assertThat(OstrcWeeklyCheck.problems(answers)).containsExactly(new AnswerProblem("pain", "is required"));
        assertThatThrownBy(() -> OstrcWeeklyCheck.score(answers)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void answers_that_contradict_each_other_are_named() {
        // given "no problems" and yet moderate pain
        assertThat(OstrcWeeklyCheck.problems(new Answers(OstrcParticipation.FULL_WITHOUT_PROBLEMS, null, null,
                OstrcPain.MODERATE))).extracting(AnswerProblem::question).containsExactly("pain");
        // given "could not participate" and yet a minor change in training
        assertThat(OstrcWeeklyCheck.problems(new Answers(OstrcParticipation.CANNOT_PARTICIPATE, OstrcExtent.MINOR,
                null, OstrcPain.MILD))).extracting(AnswerProblem::question).containsExactly("trainingModified");
        // given full participation and yet "could not participate" in training
        assertThat(OstrcWeeklyCheck.problems(new Answers(OstrcParticipation.FULL_WITH_PROBLEMS,
                OstrcExtent.CANNOT_PARTICIPATE, OstrcExtent.MAJOR, OstrcPain.MILD)))
                .extracting(AnswerProblem::question).containsExactly("participation");
        // given no first answer at all
        assertThat(OstrcWeeklyCheck.problems(new Answers(null, OstrcExtent.NONE, OstrcExtent.NONE, OstrcPain.NONE)))
                .extracting(AnswerProblem::question).containsExactly("participation");
    }
}
