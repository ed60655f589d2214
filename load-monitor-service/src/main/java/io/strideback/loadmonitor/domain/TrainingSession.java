package io.strideback.loadmonitor.domain;

import io.strideback.events.vocabulary.RunIntensity;
import io.strideback.events.vocabulary.SessionType;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A logged session. {@code distanceKm}, {@code intensity} and {@code cadenceSpm} describe a RUN and are ignored
 * for every other type. {@code rpe} is the session's rating of perceived exertion, 0-10 (Foster 2001).
 * {@code exercises} are a strength session's exercises, sets, reps, load and RPE (empty when none were logged): the
 * "strength under-dosed" pattern reads them (DOMAIN.md rules v2).
 */
public record TrainingSession(String eventId, String sessionId, SessionType type, Instant startedAt, double durationMin,
                              Integer rpe, Double distanceKm, RunIntensity intensity, Integer cadenceSpm,
                              List<StrengthExercise> exercises) {

    /** A session with no strength exercises logged. */
    public TrainingSession(String eventId, String sessionId, SessionType type, Instant startedAt, double durationMin,
                           Integer rpe, Double distanceKm, RunIntensity intensity, Integer cadenceSpm) {
        this(eventId, sessionId, type, startedAt, durationMin, rpe, distanceKm, intensity, cadenceSpm, List.of());
    }

    public TrainingSession {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(startedAt, "startedAt");
        if (!(durationMin >= 0)) {
            throw new IllegalArgumentException("durationMin must be >= 0: " + durationMin);
        }
        if (rpe != null && (rpe < 0 || rpe > 10)) {
            throw new IllegalArgumentException("rpe must be 0-10: " + rpe);
        }
        if (distanceKm != null && !(distanceKm >= 0)) {
            throw new IllegalArgumentException("distanceKm must be >= 0: " + distanceKm);
        }
        exercises = exercises == null ? List.of() : List.copyOf(exercises);
    }

    public boolean countsAsRun() {
        return type == SessionType.RUN;
    }

    /** When the session finished: the "24 h after the end of a run" windows count from here. */
    public Instant endedAt() {
        return startedAt.plus(Duration.ofMillis(Math.round(durationMin * 60_000)));
    }

    /** Session-RPE load, RPE x minutes (Foster 2001); a session logged without RPE adds no load. */
    public double sessionRpeLoad() {
        return rpe == null ? 0.0 : rpe * durationMin;
    }

    /** The run's distance, or null when this is not a run or the distance was not logged. */
    public Double runKm() {
        return countsAsRun() ? distanceKm : null;
    }

    public boolean fasterThanEasy() {
        return countsAsRun() && intensity != null && intensity.fasterThanEasy();
    }
}
