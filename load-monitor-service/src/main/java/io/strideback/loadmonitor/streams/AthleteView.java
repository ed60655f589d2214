package io.strideback.loadmonitor.streams;

import io.strideback.events.EventCodec;
import io.strideback.loadmonitor.mapping.FindingsMapping.FindingsView;
import io.strideback.support.rest.ViewJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * One athlete's entry in the {@value MonitorTopology#FINDINGS_VIEW} store: who they are and the findings the read
 * API serves (episodes, patterns, adjustments, load), as of the latest analysis.
 */
public record AthleteView(String athleteId, String clinicId, String diagnosis, FindingsView findings) {

    byte[] toBytes() {
        return ViewJson.write(this).getBytes(StandardCharsets.UTF_8);
    }

    public static AthleteView fromBytes(byte[] value) {
        try {
            return EventCodec.JSON.readValue(value, AthleteView.class);
        } catch (IOException e) {
            throw new UncheckedIOException("an athlete's findings view is unreadable", e);
        }
    }
}
