package io.strideback.events;

import io.strideback.events.vocabulary.*;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Facts about an athlete, written by intake-service to {@link Topic#ATHLETE_ACTIVITY}. Every
 * record carries the athlete and clinic so a reader never needs the key to know whose it is.
 * Times are event time (when it happened), not arrival time.
 */
public final class ActivityEvents {
    private ActivityEvents() {
    }

    /**
     * An enrolment. {@code timeZone} (CONTRACT v2) is the athlete's IANA zone name, e.g. "Europe/London", or null
     * when not given: the rules' "day" is then the clinic's. Added as an optional field within schema version 1:
     * older readers ignore it, and records written before it read as null.
     */
    public record AthleteEnrolled(String athleteId, String clinicId, String displayName, Diagnosis diagnosis,
                                  Side side, LocalDate injuryDate, Double symptomFreeRunKm, Instant enrolledAt,
                                  String timeZone) implements AboutAthlete {

        /** An enrolment without a time zone of the athlete's own. */
        public AthleteEnrolled(String athleteId, String clinicId, String displayName, Diagnosis diagnosis, Side side,
                               LocalDate injuryDate, Double symptomFreeRunKm, Instant enrolledAt) {
            this(athleteId, clinicId, displayName, diagnosis, side, injuryDate, symptomFreeRunKm, enrolledAt, null);
        }
    }

    /**
     * {@code avgHeartRateBpm} (issue 17, from a watch's FIT file or a posted session) is optional and
     * left out of the JSON when absent: a reader that predates it ignores it, and one that has it
     * reads an older event as "not recorded".
     */
    public record SessionLogged(String athleteId, String clinicId, String sessionId, SessionType type,
                                Instant startedAt, double durationMin, Integer rpe, Run run, Strength strength,
                                Source source, Integer avgHeartRateBpm) implements AboutAthlete {

        /** A session without a recorded heart rate. */
        public SessionLogged(String athleteId, String clinicId, String sessionId, SessionType type, Instant startedAt,
                             double durationMin, Integer rpe, Run run, Strength strength, Source source) {
            this(athleteId, clinicId, sessionId, type, startedAt, durationMin, rpe, run, strength, source, null);
        }
    }

    public record Run(double distanceKm, RunIntensity intensity, Integer cadenceSpm) {
    }

    public record Strength(List<Exercise> exercises) {
    }

    public record Exercise(String name, Integer sets, Integer reps, Double loadKg, Integer rpe) {
    }

    public record Source(SourceKind kind, String provider, String externalId) {
    }

    public record SymptomReported(String athleteId, String clinicId, Instant observedAt, int pain, Side side,
                                  PainLocation location, List<PainCharacter> character, SymptomContext context,
                                  List<RedFlag> redFlags, String note) implements AboutAthlete {
    }

    /**
     * Clinical test results. The gate measures of DOMAIN.md (Green 2022) are optional: a clinic
     * records what it tested that day.
     */
    public record AssessmentRecorded(String athleteId, String clinicId, Instant recordedAt,
                                     SideCounts singleLegCalfRaises, Integer painNow, Boolean painFreeWalking,
                                     Boolean painFreeHops, Double loadedRaiseStraightKneeBodyweight,
                                     Double loadedRaiseBentKneeBodyweight, String note, AssessmentKind kind,
                                     OstrcO2 ostrcO2) implements AboutAthlete {

        /**
         * The clinic's calf tests. {@code kind} and {@code ostrcO2} (issue 17) are optional within schema version 1:
         * an older record reads as CLINICAL_TESTS with no questionnaire.
         */
        public AssessmentRecorded(String athleteId, String clinicId, Instant recordedAt, SideCounts singleLegCalfRaises,
                                  Integer painNow, Boolean painFreeWalking, Boolean painFreeHops,
                                  Double loadedRaiseStraightKneeBodyweight, Double loadedRaiseBentKneeBodyweight,
                                  String note) {
            this(athleteId, clinicId, recordedAt, singleLegCalfRaises, painNow, painFreeWalking, painFreeHops,
                    loadedRaiseStraightKneeBodyweight, loadedRaiseBentKneeBodyweight, note, null, null);
        }
    }

    /**
     * The athlete's OSTRC-O2 answers for the calf over the past week, with the severity score (0-100) and the
     * "substantial problem" flag intake computed from them (Clarsen et al., BJSM 2013; 2020 update).
     */
    public record OstrcO2(OstrcParticipation participation, OstrcExtent trainingModified,
                          OstrcExtent performanceAffected, OstrcPain pain, int score, boolean substantialProblem) {
    }

    public record SideCounts(Integer left, Integer right) {
    }

    /**
     * CONTRACT v2: the clinic erased the athlete (GDPR art. 17). Carries no personal data; every reader drops
     * its state for the athlete, and the athlete's data key is destroyed so earlier personal fields cannot be
     * read again (crypto-shredding). {@code erasedBy} is the clinic-admin's subject, for the audit log.
     */
    public record AthleteErased(String athleteId, String clinicId, Instant erasedAt, String erasedBy)
            implements AboutAthlete {
        /** An erasure recorded before v2 said who asked for it. */
        public AthleteErased(String athleteId, String clinicId, Instant erasedAt) {
            this(athleteId, clinicId, erasedAt, null);
        }
    }
}
