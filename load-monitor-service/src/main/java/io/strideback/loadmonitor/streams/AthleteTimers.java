package io.strideback.loadmonitor.streams;

import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The task's athletes whose findings time alone will change (round 16): per athlete, the next due instant the last
 * analysis named ({@code FindingsAsOf.nextChangeAt}: an episode's end shown, the settled cap relaxed). Kept in the
 * {@value MonitorTopology#ATHLETE_TIMERS} store, written in the same exactly-once transaction as the analysis that
 * named it, so a restart, a rebalance or a kill -9 loses none (the next owner of the task reads them at init); and
 * in heap ordered by due instant, so a tick finds the athletes due without scanning every athlete or opening a
 * store iterator (issue #14: an iterator every 20 ms cost a fifth of the stream thread).
 */
final class AthleteTimers {

    private static final byte FORMAT = 1;

    private final KeyValueStore<String, byte[]> store;
    private final TreeMap<Instant, Set<String>> byDue = new TreeMap<>();
    private final Map<String, Instant> dueOf = new HashMap<>();

    AthleteTimers(KeyValueStore<String, byte[]> store) {
        this.store = store;
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            it.forEachRemaining(t -> index(t.key, fromBytes(t.value)));
        }
    }

    /** The athlete's next due instant, or none ({@code due} null). */
    void set(String athlete, Instant due) {
        if (due == null) {
            clear(athlete);
            return;
        }
        if (due.equals(dueOf.get(athlete))) {
            return;
        }
        unindex(athlete);
        index(athlete, due);
        store.put(athlete, toBytes(due));
    }

    void clear(String athlete) {
        if (unindex(athlete) != null) {
            store.delete(athlete);
        }
    }

    /**
     * Takes out the athletes due at or before {@code now}, earliest first, with their due instants; the caller marks
     * them for analysis (in the same transaction), which names their next due instant.
     */
    List<Map.Entry<String, Instant>> takeDue(Instant now) {
        List<Map.Entry<String, Instant>> out = new ArrayList<>();
        while (!byDue.isEmpty() && !byDue.firstKey().isAfter(now)) {
            Map.Entry<Instant, Set<String>> first = byDue.pollFirstEntry();
            for (String athlete : first.getValue()) {
                dueOf.remove(athlete);
                store.delete(athlete);
                out.add(Map.entry(athlete, first.getKey()));
            }
        }
        return out;
    }

    Instant dueOf(String athlete) {
        return dueOf.get(athlete);
    }

    int size() {
        return dueOf.size();
    }

    /** Heap only: the store stays, for whichever instance takes the task next. */
    void forgetHeld() {
        byDue.clear();
        dueOf.clear();
    }

    private void index(String athlete, Instant due) {
        dueOf.put(athlete, due);
        byDue.computeIfAbsent(due, d -> new LinkedHashSet<>()).add(athlete);
    }

    private Instant unindex(String athlete) {
        Instant before = dueOf.remove(athlete);
        if (before != null) {
            Set<String> at = byDue.get(before);
            at.remove(athlete);
            if (at.isEmpty()) {
                byDue.remove(before);
            }
        }
        return before;
    }

    static byte[] toBytes(Instant due) {
        return ByteBuffer.allocate(1 + 8 + 4).put(FORMAT).putLong(due.getEpochSecond()).putInt(due.getNano()).array();
    }

    static Instant fromBytes(byte[] value) {
        ByteBuffer in = ByteBuffer.wrap(value);
        byte format = in.get();
        if (format != FORMAT) {
            throw new IllegalStateException("athlete timer format " + format + " is not " + FORMAT);
        }
        return Instant.ofEpochSecond(in.getLong(), in.getInt());
    }
}
