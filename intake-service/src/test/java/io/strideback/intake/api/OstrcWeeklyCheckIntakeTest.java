package io.strideback.intake.api;

import io.quarkus.test.junit.QuarkusTest;
import io.strideback.events.ActivityEvents.AssessmentRecorded;
import io.strideback.events.EventCodec;
import io.strideback.events.vocabulary.AssessmentKind;
import io.strideback.events.vocabulary.OstrcExtent;
import io.strideback.events.vocabulary.OstrcParticipation;
import io.strideback.events.vocabulary.OstrcPain;
import io.strideback.intake.support.IntakeTest;
import io.strideback.intake.support.TestClinic;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static io.strideback.intake.support.Problems.INVALID_REQUEST;
import static io.strideback.intake.support.Problems.VALIDATION;
import static io.strideback.intake.support.TestClinic.CLINICIAN;
import static io.strideback.intake.support.TestClinic.DEVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;

/**
 * Issue 17: the OSTRC-O2 weekly check is an assessment kind. Its answers are scored at the door and the event
 * carries answers, score and the substantial-problem flag; answers that cannot be scored are a 400 per question.
 */
@QuarkusTest
class OstrcWeeklyCheckIntakeTest extends IntakeTest {

    private static final String RECORDED_AT = Instant.now().minus(1, ChronoUnit.HOURS).toString();

    @Test
    void a_weekly_check_is_published_with_its_score_and_flag() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();

        String eventId = clinic.as(DEVICE).body("""
                        {"recordedAt": "%s", "kind": "OSTRC_O2", "answers": {"participation": "REDUCED",
                         "trainingModified": "MODERATE", "performanceAffected": "MINOR", "pain": "MILD"}}"""
                        .formatted(RECORDED_AT))
                .when().post("/api/v1/athletes/{id}/assessments", athleteId)
                .then().statusCode(202).extract().path("eventId");

        AssessmentRecorded recorded = (AssessmentRecorded) EventCodec.fromRecord(
                topic().awaitRecord(clinic.id(), eventId)).data();
        assertThat(recorded.kind()).isEqualTo(AssessmentKind.OSTRC_O2);
        assertThat(recorded.ostrcO2().participation()).isEqualTo(OstrcParticipation.REDUCED);
        assertThat(recorded.ostrcO2().trainingModified()).isEqualTo(OstrcExtent.MODERATE);
        assertThat(recorded.ostrcO2().pain()).isEqualTo(OstrcPain.MILD);
        assertThat(recorded.ostrcO2().score()).isEqualTo(17 + 13 + 6 + 8);
        assertThat(recorded.ostrcO2().substantialProblem()).isTrue();
        assertThat(recorded.singleLegCalfRaises()).isNull();
    }

    @Test
    void a_week_without_problems_needs_only_its_first_answer() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();

        String eventId = clinic.as(CLINICIAN).body("""
                        {"recordedAt": "%s", "kind": "OSTRC_O2", "answers": {"participation": "FULL_WITHOUT_PROBLEMS"}}"""
                        .formatted(RECORDED_AT))
                .when().post("/api/v1/athletes/{id}/assessments", athleteId)
                .then().statusCode(202).extract().path("eventId");

        AssessmentRecorded recorded = (AssessmentRecorded) EventCodec.fromRecord(
                topic().awaitRecord(clinic.id(), eventId)).data();
        assertThat(recorded.ostrcO2().score()).isZero();
        assertThat(recorded.ostrcO2().pain()).isEqualTo(OstrcPain.NONE);
        assertThat(recorded.ostrcO2().substantialProblem()).isFalse();
    }

    @Test
    void answers_that_cannot_be_scored_are_refused_question_by_question() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();

        isProblem(clinic.as(CLINICIAN).body("""
                        {"recordedAt": "%s", "kind": "OSTRC_O2", "singleLegCalfRaises": {"left": 20, "right": 25},
                         "answers": {"participation": "REDUCED", "trainingModified": "SOMEWHAT"}}"""
                        .formatted(RECORDED_AT))
                .when().post("/api/v1/athletes/{id}/assessments", athleteId).then(), 400, VALIDATION, INVALID_REQUEST)
                .body("errors.field", containsInAnyOrder("answers.trainingModified", "singleLegCalfRaises"));

        isProblem(clinic.as(CLINICIAN).body("""
                        {"recordedAt": "%s", "kind": "OSTRC_O2", "answers": {"participation": "REDUCED",
                         "trainingModified": "MINOR", "performanceAffected": "MINOR"}}"""
                        .formatted(RECORDED_AT))
                .when().post("/api/v1/athletes/{id}/assessments", athleteId).then(), 400, VALIDATION, INVALID_REQUEST)
                .body("errors.field", containsInAnyOrder("answers.pain"));

        isProblem(clinic.as(CLINICIAN).body("""
                        {"recordedAt": "%s", "kind": "OSTRC_O2"}""".formatted(RECORDED_AT))
                .when().post("/api/v1/athletes/{id}/assessments", athleteId).then(), 400, VALIDATION, INVALID_REQUEST)
                .body("errors.field", containsInAnyOrder("answers"));
    }
}
