package io.strideback.loadmonitor.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * An athlete's findings as of a moment at or after the latest event, and when they would next change with no new
 * event. Time alone changes findings only at due instants the events fix (an episode's end becomes known 72 h after
 * its last report; a cap relaxes 14 quiet days after the last flare-up), so the findings are the same at every
 * moment from {@code asOf} until {@code nextChangeAt}: whichever instance evaluates them, however late.
 *
 * @param findings     the findings, with every change due at or before the clock taken at its own due instant
 * @param asOf         the latest of the latest event time and the due instants taken; null without events
 * @param nextChangeAt the first instant after {@code asOf} at which time alone changes the findings; null when only a
 *                     new event can
 */
public record FindingsAsOf(Findings findings, Instant asOf, Instant nextChangeAt) {

    public FindingsAsOf {
        Objects.requireNonNull(findings, "findings");
    }
}
