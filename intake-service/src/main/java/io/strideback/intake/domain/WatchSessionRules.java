package io.strideback.intake.domain;

import io.strideback.events.vocabulary.SessionType;

import java.util.Set;

/**
 * How a watch's recorded session (a FIT file's session message) reads as a Strideback session.
 * Plain Java: the FIT names arrive as the SDK's enum names ("RUNNING", "HIKING", ...).
 */
public final class WatchSessionRules {

    /** FIT "sport" values that are a run on the calf; trail and treadmill are FIT sub-sports of RUNNING. */
    private static final Set<String> RUN = Set.of("RUNNING", "WHEELCHAIR_PUSH_RUN");
    private static final Set<String> WALK = Set.of("WALKING", "HIKING", "WHEELCHAIR_PUSH_WALK");
    /** FIT TRAINING holds strength training (sub-sport STRENGTH_TRAINING) and gym work. */
    private static final Set<String> STRENGTH = Set.of("TRAINING");

    private WatchSessionRules() {
    }

    /** Run, walk, strength; anything else (cycling, swimming, ...) loads the calf less: cross-training. */
    public static SessionType sessionType(String fitSport) {
        if (fitSport == null) {
            return SessionType.CROSS_TRAINING;
        }
        if (RUN.contains(fitSport)) {
            return SessionType.RUN;
        }
        if (WALK.contains(fitSport)) {
            return SessionType.WALK;
        }
        return STRENGTH.contains(fitSport) ? SessionType.STRENGTH : SessionType.CROSS_TRAINING;
    }

    /**
     * Steps per minute from FIT's cadence: FIT counts a running cadence in strides (one foot's
     * steps) a minute, with the fraction in a field of its own (FIT profile, session.avg_cadence /
     * avg_running_cadence and avg_fractional_cadence), so steps a minute are twice both. Null when
     * the watch recorded none.
     */
    public static Integer stepsPerMinute(Short strideCadence, Float fractionalCadence) {
        if (strideCadence == null) {
            return null;
        }
        double strides = strideCadence + (fractionalCadence == null ? 0 : fractionalCadence);
        return (int) Math.round(2 * strides);
    }

    /** FIT distances are metres; sessions are logged in kilometres. */
    public static Double kilometres(Float metres) {
        return metres == null ? null : metres / 1000.0;
    }

    /** FIT's total timer time (moving time, pauses left out) is seconds; sessions last minutes. */
    public static Double minutes(Float seconds) {
        return seconds == null ? null : seconds / 60.0;
    }
}
