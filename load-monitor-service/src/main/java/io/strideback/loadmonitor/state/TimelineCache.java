package io.strideback.loadmonitor.state;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The athletes' timelines the load monitor holds in heap, least recently analysed first out once the
 * byte budget is spent. PostgreSQL stays the record: a timeline missing here is read from it, so the
 * cache may forget anything at any time (after a failed transaction, after a rebalance moved
 * partitions to another instance and back) without changing a finding.
 *
 * <p>Why: analysing an athlete used to read and parse their whole history from the database for
 * every poll batch; profiled, that dominated the load monitor's work per event (issue 7).
 * Not thread-safe: the activity consumer's thread owns it.
 */
public final class TimelineCache {

    /** A held timeline and a fingerprint of the findings last written for it, to skip rewriting equal ones. */
    public static final class Entry {
        private final CompactTimeline timeline;
        private long bytes;
        private long findingsFingerprint;

        private Entry(CompactTimeline timeline) {
            this.timeline = timeline;
        }

        public CompactTimeline timeline() {
            return timeline;
        }

        public long findingsFingerprint() {
            return findingsFingerprint;
        }

        public void findingsFingerprint(long fingerprint) {
            this.findingsFingerprint = fingerprint;
        }
    }

    private final long budgetBytes;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(1024, 0.75f, true);
    private long bytes;

    public TimelineCache(long budgetBytes) {
        this.budgetBytes = budgetBytes;
    }

    /** The held entry, or null. */
    public Entry get(String clinicId, String athleteId) {
        return entries.get(key(clinicId, athleteId));
    }

    public Entry put(String clinicId, String athleteId, CompactTimeline timeline) {
        Entry entry = new Entry(timeline);
        Entry replaced = entries.put(key(clinicId, athleteId), entry);
        if (replaced != null) {
            bytes -= replaced.bytes;
        }
        resized(entry);
        return entry;
    }

    /** Call after events were added to an entry's timeline: counts its new size, evicts if over budget. */
    public void resized(Entry entry) {
        long now = entry.timeline.approximateBytes();
        bytes += now - entry.bytes;
        entry.bytes = now;
        Iterator<Map.Entry<String, Entry>> eldest = entries.entrySet().iterator();
        while (bytes > budgetBytes && entries.size() > 1 && eldest.hasNext()) {
            Entry out = eldest.next().getValue();
            if (out == entry) {
                continue;
            }
            bytes -= out.bytes;
            eldest.remove();
        }
    }

    public void clear() {
        entries.clear();
        bytes = 0;
    }

    public int size() {
        return entries.size();
    }

    public long bytes() {
        return bytes;
    }

    private static String key(String clinicId, String athleteId) {
        return clinicId + '\u0000' + athleteId;
    }
}
