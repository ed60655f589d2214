package io.strideback.loadmonitor.streams;

import io.strideback.loadmonitor.domain.AthleteTimeline;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The timelines of the athletes a stream task analysed lately, unpacked and growing in place (issue #14): a new
 * event is added to the held timeline by binary search, so an analysis neither reads the athlete's whole history
 * from the store nor copies it. Bounded by an estimate of their bytes, least recently used out first; an athlete
 * not held is read from the {@value MonitorTopology#ATHLETE_EVENTS} store once (a restart, a moved partition, an
 * athlete quiet for long). The store is the truth: this may forget anything at any time without changing a finding.
 * Not thread-safe: the task's thread owns it.
 */
final class HeldTimelines {

    /**
     * What an event costs here, roughly, on a 64-bit JVM with compressed references: the record with its instant,
     * boxed numbers and ids (about 200 bytes), its place in a list and in the id set (about 60).
     */
    static final long BYTES_PER_EVENT = 260;

    private final long budgetBytes;
    private final LinkedHashMap<String, AthleteTimeline.Growing> held = new LinkedHashMap<>(256, 0.75f, true);
    private long events;

    HeldTimelines(long budgetBytes) {
        this.budgetBytes = budgetBytes;
    }

    /** The athlete's held timeline, or null. */
    AthleteTimeline.Growing get(String athleteKey) {
        return held.get(athleteKey);
    }

    /** Holds the athlete's timeline (read from the store), letting the least recently used go past the budget. */
    void hold(String athleteKey, AthleteTimeline.Growing timeline) {
        AthleteTimeline.Growing before = held.put(athleteKey, timeline);
        events += timeline.size() - (before == null ? 0 : before.size());
        shrink(athleteKey);
    }

    /** Counts an event added to a held timeline. */
    void added(String athleteKey) {
        events++;
        shrink(athleteKey);
    }

    void forget(String athleteKey) {
        AthleteTimeline.Growing out = held.remove(athleteKey);
        if (out != null) {
            events -= out.size();
        }
    }

    void clear() {
        held.clear();
        events = 0;
    }

    long approximateBytes() {
        return events * BYTES_PER_EVENT;
    }

    private void shrink(String keep) {
        Iterator<Map.Entry<String, AthleteTimeline.Growing>> eldest = held.entrySet().iterator();
        while (approximateBytes() > budgetBytes && held.size() > 1 && eldest.hasNext()) {
            Map.Entry<String, AthleteTimeline.Growing> e = eldest.next();
            if (e.getKey().equals(keep)) {
                continue;
            }
            events -= e.getValue().size();
            eldest.remove();
        }
    }
}
