package io.strideback.loadmonitor.streams;

import io.strideback.loadmonitor.domain.ClinicRules;

import java.time.Instant;

/**
 * A clinic's rule settings as a clinic-admin set them (DOMAIN.md "Settings"): DOMAIN.md's defaults with the
 * clinic's overrides, on {@value MonitorTopology#SETTINGS_TOPIC}, written to every partition so each stream task
 * holds them and re-analyses its own athletes of the clinic. {@code revision} names this change, so the writer can
 * wait until it is readable (read-your-writes for {@code PUT} then {@code GET}).
 */
public record ClinicSettingsChange(String clinicId, String revision, ClinicRules rules, Instant changedAt) {

    /** A change is about 1.5 KiB; one over this is not one the API wrote, and is parked, not kept (round 19). */
    public static final int MAX_BYTES = 64 * 1024;
}
