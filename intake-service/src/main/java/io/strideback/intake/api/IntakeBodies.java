package io.strideback.intake.api;

import io.strideback.events.vocabulary.*;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * The request bodies of CONTRACT.md's intake section, as OpenAPI shows them. Requests are read
 * field by field by {@link JsonBody} (to report every bad field at once); these records document
 * the shapes and are never deserialised into.
 */
final class IntakeBodies {
    private IntakeBodies() {
    }

    @Schema(name = "Enrolment")
    record Enrolment(@Schema(description = "optional; generated when absent, 1-64 of [A-Za-z0-9._:-]") String athleteId,
                     @Schema(required = true) String displayName, @Schema(required = true) Diagnosis diagnosis,
                     @Schema(required = true) Side side,
                     @Schema(required = true, description = "ISO date, not in the future", example = "2026-04-03") String injuryDate,
                     @Schema(description = "distance the athlete can run before symptoms, 0-300 km") Double symptomFreeRunKm) {
    }

    @Schema(name = "Session")
    record Session(@Schema(description = "client-chosen, optional; one that is empty, white space or invisible characters alone is none (intake names the session)") String sessionId,
                   @Schema(required = true) SessionType type,
                   @Schema(required = true, description = "ISO-8601 instant with offset; at most 1 day ahead, not before injury date minus 1 year") String startedAt,
                   @Schema(required = true, description = "> 0 and < 1440") double durationMin,
                   @Schema(description = "0-10") Integer rpe,
                   @Schema(description = "required for RUN") Run run,
                   @Schema(description = "required for STRENGTH") Strength strength, Source source,
                   @Schema(description = "average heart rate over the session, 20-250 beats per minute; optional") Integer avgHeartRateBpm) {
    }

    record Run(@Schema(required = true, description = "> 0 and <= 300") double distanceKm,
               @Schema(required = true) RunIntensity intensity, @Schema(description = "100-260") Integer cadenceSpm) {
    }

    record Strength(@Schema(required = true) List<Exercise> exercises) {
    }

    record Exercise(@Schema(required = true) String name, Integer sets, Integer reps, Double loadKg,
                    @Schema(description = "0-10") Integer rpe) {
    }

    @Schema(description = "provider + externalId identify one event of one kind for one athlete: a repeat of the same "
            + "body is answered with the first eventId and publishes nothing; another body under them is 422. Either one "
            + "empty, white space or invisible characters alone is none and identifies nothing")
    record Source(SourceKind kind, @Schema(description = "at most 200 characters") String provider,
                  @Schema(description = "at most 200 characters") String externalId) {
    }

    @Schema(name = "Symptom")
    record Symptom(@Schema(required = true) String observedAt, @Schema(required = true, description = "integer 0-10") int pain,
                   Side side, PainLocation location, List<PainCharacter> character,
                   @Schema(required = true) SymptomContext context, List<RedFlag> redFlags,
                   @Schema(description = "free text, at most 2,000 characters; tab and line breaks allowed, no other control characters") String note) {
    }

    @Schema(name = "Assessment")
    record Assessment(@Schema(required = true) String recordedAt, SideCounts singleLegCalfRaises,
                      @Schema(description = "0-10") Integer painNow, Boolean painFreeWalking, Boolean painFreeHops,
                      @Schema(description = "heaviest straight-knee calf raise as a multiple of bodyweight") Double loadedRaiseStraightKneeBodyweight,
                      @Schema(description = "heaviest bent-knee calf raise as a multiple of bodyweight") Double loadedRaiseBentKneeBodyweight,
                      String note,
                      @Schema(description = "CLINICAL_TESTS (the default: the clinic's calf tests above) or OSTRC_O2 (the "
                              + "athlete's weekly OSTRC-O2 questionnaire for the calf, in answers; no test measures then)")
                      AssessmentKind kind,
                      @Schema(description = "OSTRC_O2 only: the four answers about the past week") OstrcAnswers answers) {
    }

    @Schema(description = "OSTRC-O2 (Clarsen et al., BJSM 2013; 2020 update), scored 0-100 by intake. FULL_WITHOUT_PROBLEMS "
            + "may leave the rest out (read as NONE); CANNOT_PARTICIPATE may leave out questions 2 and 3")
    record OstrcAnswers(@Schema(required = true) OstrcParticipation participation, OstrcExtent trainingModified,
                        OstrcExtent performanceAffected, OstrcPain pain) {
    }

    record SideCounts(Integer left, Integer right) {
    }

    @Schema(name = "Batch")
    record Batch(@Schema(required = true, description = "at most 500") List<BatchItem> items) {
    }

    record BatchItem(@Schema(required = true) String athleteId,
                     @Schema(required = true, enumeration = {"session", "symptom", "assessment"}) String kind,
                     @Schema(required = true, description = "the single-post body of that kind") Object body) {
    }

    @Schema(name = "Accepted")
    record Accepted(String eventId) {
    }
}
