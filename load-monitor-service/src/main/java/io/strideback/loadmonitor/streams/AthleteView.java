package io.strideback.loadmonitor.streams;

import io.strideback.events.EventCodec;
import io.strideback.loadmonitor.mapping.FindingsMapping.FindingsView;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One athlete's entry in the {@value MonitorTopology#FINDINGS_VIEW} store: who they are and the findings the read
 * API serves (episodes, patterns, adjustments; the load is computed on read), as of the latest analysis.
 */
public record AthleteView(String athleteId, String clinicId, String diagnosis, FindingsView findings) {

    /** Straight to bytes (issue #15: through a String it was a second copy at every analysis); nulls read back null. */
    byte[] toBytes() {
        try {
            return EventCodec.JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write an athlete's findings view", e);
        }
    }

    public static AthleteView fromBytes(byte[] value) {
        try {
            return EventCodec.JSON.readValue(value, AthleteView.class);
        } catch (IOException e) {
            throw new UncheckedIOException("an athlete's findings view is unreadable", e);
        }
    }
}
