package io.strideback.intake.support;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** Valid request bodies of CONTRACT.md's intake section; tests break them one field at a time. */
public final class Bodies {

    /** Every athlete enrolled by the tests was injured this long ago. */
    public static final int INJURED_DAYS_AGO = 30;

    private Bodies() {
    }

    public static LocalDate injuryDate() {
        return LocalDate.now(ZoneOffset.UTC).minusDays(INJURED_DAYS_AGO);
    }

    /** An instant {@code ago} before now, to the second, as the contract writes instants. */
    public static String ago(Duration ago) {
        return Instant.now().minus(ago).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    public static ObjectNode enrolment() {
        return Json.parse("""
                {"displayName": "Test Runner", "diagnosis": "CALF_STRAIN_SOLEUS", "side": "LEFT",
                 "injuryDate": "%s", "symptomFreeRunKm": 3.0}""".formatted(injuryDate()));
    }

    public static ObjectNode run() {
        return Json.parse("""
                {"type": "RUN", "startedAt": "%s", "durationMin": 34, "rpe": 4,
                 "run": {"distanceKm": 5.2, "intensity": "EASY", "cadenceSpm": 164},
                 "source": {"kind": "MANUAL"}}""".formatted(ago(Duration.ofHours(3))));
    }

    public static ObjectNode strength() {
        return Json.parse("""
                {"type": "STRENGTH", "startedAt": "%s", "durationMin": 40, "rpe": 7,
                 "strength": {"exercises": [{"name": "SINGLE_LEG_CALF_RAISE_STRAIGHT_KNEE", "sets": 3,
                              "reps": 12, "loadKg": 10, "rpe": 7}]}}""".formatted(ago(Duration.ofHours(5))));
    }

    public static ObjectNode symptom() {
        return Json.parse("""
                {"observedAt": "%s", "pain": 6, "side": "LEFT", "location": "MEDIAL_CALF_ALONG_SHIN",
                 "character": ["PULLING"], "context": "DURING_RUN", "redFlags": [], "note": "tight at km 4"}"""
                .formatted(ago(Duration.ofHours(2))));
    }

    public static ObjectNode assessment() {
        return Json.parse("""
                {"recordedAt": "%s", "singleLegCalfRaises": {"left": 22, "right": 30}, "painNow": 1,
                 "painFreeWalking": true}""".formatted(ago(Duration.ofHours(1))));
    }

    /** A wearable's run, identified by its provider's own id. */
    public static ObjectNode wearableRun(String provider, String externalId) {
        return Json.with(run(), "source", Json.parse("""
                {"kind": "WEARABLE", "provider": "%s", "externalId": "%s"}""".formatted(provider, externalId)));
    }
}
