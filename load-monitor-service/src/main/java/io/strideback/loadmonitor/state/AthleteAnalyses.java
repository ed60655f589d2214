package io.strideback.loadmonitor.state;

import io.strideback.loadmonitor.domain.AthleteTimeline;
import io.strideback.loadmonitor.domain.ClinicRules;
import io.strideback.loadmonitor.domain.Findings;
import io.strideback.loadmonitor.domain.FindingsAsOf;
import io.strideback.loadmonitor.domain.IncrementalAnalysis;

import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The adapter's one call for an athlete's findings after new events (issue #14): in place of
 * {@code LoadMonitor.analyse(timeline, rules)}, {@code analyses.update(timeline, earliestNewEventTime, rules)} gives
 * the same findings at a cost per event that does not grow with the athlete's history. It holds one
 * {@link IncrementalAnalysis} per athlete, least recently updated first out once the byte budget is spent; an
 * athlete it does not hold (new, evicted, after a restart or a rebalance) simply gets a full analysis, which is
 * the same result, only slower. So the cache may forget anything at any time without changing a finding.
 *
 * <p>The caller's promise: every event of {@code timeline} before {@code earliestNewEventTime} was in the timeline
 * of the previous update for this athlete (events are only added; pass the earliest event time of a batch, or null
 * when unsure: a full analysis). Call {@link #forget} when an athlete is erased or its partition moves away. Not
 * thread-safe: the thread that owns the athlete's partition owns it.
 */
public final class AthleteAnalyses {

    private static final class Held {
        final IncrementalAnalysis analysis = new IncrementalAnalysis();
        long bytes;
    }

    private final long budgetBytes;
    private final LinkedHashMap<String, Held> held = new LinkedHashMap<>(1024, 0.75f, true);
    private long bytes;

    public AthleteAnalyses(long budgetBytes) {
        this.budgetBytes = budgetBytes;
    }

    /** The athlete's findings, as {@code LoadMonitor.analyse(timeline, rules)} gives them. */
    public Findings update(AthleteTimeline timeline, Instant earliestNewEventTime, ClinicRules rules) {
        return update(timeline, earliestNewEventTime, rules, null).findings();
    }

    /**
     * The athlete's findings as of {@code clock}, as {@code LoadMonitor.analyse(timeline, rules, clock)} gives them
     * (null: as of the latest event), and when time alone would next change them.
     */
    public FindingsAsOf update(AthleteTimeline timeline, Instant earliestNewEventTime, ClinicRules rules,
                               Instant clock) {
        String key = key(timeline.profile().clinicId(), timeline.profile().athleteId());
        Held h = held.get(key);
        if (h == null) {
            h = new Held();
            held.put(key, h);
        }
        FindingsAsOf findings = h.analysis.next(timeline, earliestNewEventTime, rules, clock);
        long now = h.analysis.approximateBytes();
        bytes += now - h.bytes;
        h.bytes = now;
        Iterator<Map.Entry<String, Held>> eldest = held.entrySet().iterator();
        while (bytes > budgetBytes && held.size() > 1 && eldest.hasNext()) {
            Held out = eldest.next().getValue();
            if (out == h) {
                continue;
            }
            bytes -= out.bytes;
            eldest.remove();
        }
        return findings;
    }

    /** Drops what is held for the athlete (erasure, or its partition moved to another instance). */
    public void forget(String clinicId, String athleteId) {
        Held out = held.remove(key(clinicId, athleteId));
        if (out != null) {
            bytes -= out.bytes;
        }
    }

    public void clear() {
        held.clear();
        bytes = 0;
    }

    public int size() {
        return held.size();
    }

    public long bytes() {
        return bytes;
    }

    private static String key(String clinicId, String athleteId) {
        return clinicId + '\u0000' + athleteId;
    }
}
