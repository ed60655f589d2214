package io.strideback.intake.domain;

import io.strideback.events.ActivityEvents.AssessmentRecorded;
import io.strideback.events.ActivityEvents.AthleteEnrolled;
import io.strideback.events.ActivityEvents.SessionLogged;
import io.strideback.events.ActivityEvents.Source;
import io.strideback.events.ActivityEvents.SymptomReported;
import io.strideback.events.SealedText;

import java.util.function.UnaryOperator;

/**
 * Which fields of an activity event are personal (issue 16 item 3, README "Security"): sealed with the athlete's
 * data key before the event is published, so erasing the key erases them on every topic. Personal: the display
 * name, the free-text notes of symptoms and assessments, and a wearable's {@code source.externalId} (a device's id
 * identifies its wearer). Not personal, so plain: ids, dates and times, enums and the clinical numbers the rules
 * count (pain, distances, durations, RPE, calf raise counts, OSTRC answers), the wearable's provider name, and
 * exercise names (a vocabulary such as SINGLE_LEG_CALF_RAISE_STRAIGHT_KNEE that the load monitor matches on).
 */
public final class PersonalFields {

    private PersonalFields() {
    }

    /** The event data with its personal fields sealed with {@code dataKey} for {@code athleteId}. */
    public static Object seal(Object data, byte[] dataKey, String athleteId) {
        return apply(data, plain -> SealedText.seal(plain, dataKey, athleteId));
    }

    /** The event data with {@code change} applied to each personal field that is present. */
    static Object apply(Object data, UnaryOperator<String> change) {
        if (data instanceof AthleteEnrolled a) {
            return new AthleteEnrolled(a.athleteId(), a.clinicId(), change.apply(a.displayName()), a.diagnosis(),
                    a.side(), a.injuryDate(), a.symptomFreeRunKm(), a.enrolledAt(), a.timeZone());
        }
        if (data instanceof SessionLogged s) {
            Source source = s.source() == null || s.source().externalId() == null ? s.source()
                    : new Source(s.source().kind(), s.source().provider(), change.apply(s.source().externalId()));
            return new SessionLogged(s.athleteId(), s.clinicId(), s.sessionId(), s.type(), s.startedAt(),
                    s.durationMin(), s.rpe(), s.run(), s.strength(), source, s.avgHeartRateBpm());
        }
        if (data instanceof SymptomReported s) {
            return new SymptomReported(s.athleteId(), s.clinicId(), s.observedAt(), s.pain(), s.side(), s.location(),
                    s.character(), s.context(), s.redFlags(), s.note() == null ? null : change.apply(s.note()));
        }
        if (data instanceof AssessmentRecorded a) {
            return new AssessmentRecorded(a.athleteId(), a.clinicId(), a.recordedAt(), a.singleLegCalfRaises(),
                    a.painNow(), a.painFreeWalking(), a.painFreeHops(), a.loadedRaiseStraightKneeBodyweight(),
                    a.loadedRaiseBentKneeBodyweight(), a.note() == null ? null : change.apply(a.note()), a.kind(),
                    a.ostrcO2());
        }
        return data;
    }
}
