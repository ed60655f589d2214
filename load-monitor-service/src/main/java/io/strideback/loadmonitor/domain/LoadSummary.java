package io.strideback.loadmonitor.domain;

import java.util.List;

/**
 * Training load as of the latest event. ACWR is context for the clinician, never a trigger on its own
 * (Impellizzeri 2020; Frandsen 2025 found no predictive value).
 *
 * @param days                   one entry per calendar day (clinic zone) from the first session to the latest event
 * @param acuteLoad              7-day EWMA of session-RPE load on the last day (Williams 2017)
 * @param chronicLoad            28-day EWMA on the last day
 * @param acwr                   acute / chronic; null while chronic load is 0
 * @param symptomFreeDistanceKm  the longest run in the last 42 days not followed by a flare-up within 24 h;
 *                               null when unknown
 * @param longestRunLast30DaysKm null when no run in the last 30 days
 */
public record LoadSummary(List<DailyLoad> days, double acuteLoad, double chronicLoad, Double acwr,
                          Double symptomFreeDistanceKm, Double longestRunLast30DaysKm) {

    public LoadSummary {
        days = days instanceof DaysOfLoad ? days : List.copyOf(days); // immutable already, shared columns
    }
}
