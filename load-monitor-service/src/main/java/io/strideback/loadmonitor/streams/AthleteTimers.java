package io.strideback.loadmonitor.streams;

import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
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

    private static final byte FORMAT = 2;

    private final KeyValueStore<String, byte[]> store;
    private final TreeMap<Instant, Set<String>> byDue = new TreeMap<>();
    private final Map<String, Instant> dueOf = new HashMap<>();
    /**
     * Per athlete, the present its latest timer analysed up to ({@link #reached(String, Instant)}): the events that
     * come after it are analysed as of it too, so a late event does not take back what time had already brought (a
     * relax withdrawn, then proposed again once its timer fires anew).
     */
    private final Map<String, Instant> reachedOf = new HashMap<>();

    AthleteTimers(KeyValueStore<String, byte[]> store) {
        this.store = store;
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            it.forEachRemaining(t -> {
                Instant[] dueAndReached = fromBytes(t.value);
                if (dueAndReached[0] != null) {
                    index(t.key, dueAndReached[0]);
                }
                if (dueAndReached[1] != null) {
                    reachedOf.put(t.key, dueAndReached[1]);
                }
            });
        }
    }

    /** The athlete's next due instant, or none ({@code due} null). */
    void set(String athlete, Instant due) {
        if (due == null ? !dueOf.containsKey(athlete) : due.equals(dueOf.get(athlete))) {
            return;
        }
        unindex(athlete);
        if (due != null) {
            index(athlete, due);
        }
        persist(athlete);
    }

    /** The present the athlete's latest timer analysed up to; null if no timer has fired for it. */
    Instant reached(String athlete) {
        return reachedOf.get(athlete);
    }

    /** A timer analysed the athlete up to {@code clock}: later analyses of its events are as of it at least. */
    void reached(String athlete, Instant clock) {
        Instant before = reachedOf.get(athlete);
        if (before == null || clock.isAfter(before)) {
            reachedOf.put(athlete, clock);
            persist(athlete);
        }
    }

    /** The athlete is gone (erased): no timer, nothing reached. */
    void clear(String athlete) {
        boolean held = unindex(athlete) != null;
        if (reachedOf.remove(athlete) != null || held) {
            store.delete(athlete);
        }
    }

    private void persist(String athlete) {
        Instant due = dueOf.get(athlete);
        Instant reached = reachedOf.get(athlete);
        if (due == null && reached == null) {
            store.delete(athlete);
        } else {
            store.put(athlete, toBytes(due, reached));
        }
    }

    /**
     * Takes out the earliest athlete due at or before {@code now}, or null when none is; the caller analyses it in the
     * same transaction, which names its next due instant. One at a time (round 17): the others stay here, in the
     * store, until a tick has time for them, instead of joining the line ahead of what events bring.
     */
    String takeFirstDue(Instant now) {
        if (!anyDue(now)) {
            return null;
        }
        Map.Entry<Instant, Set<String>> first = byDue.firstEntry();
        java.util.Iterator<String> at = first.getValue().iterator();
        String athlete = at.next();
        at.remove();
        if (first.getValue().isEmpty()) {
            byDue.remove(first.getKey());
        }
        dueOf.remove(athlete);
        persist(athlete);
        return athlete;
    }

    /** Whether any athlete is due at or before {@code now}. */
    boolean anyDue(Instant now) {
        return !byDue.isEmpty() && !byDue.firstKey().isAfter(now);
    }

    /** How many athletes are due at or before {@code now} and not taken yet: the timers a busy task is behind on. */
    int overdue(Instant now) {
        int n = 0;
        for (Set<String> at : byDue.headMap(now, true).values()) {
            n += at.size();
        }
        return n;
    }

    Instant dueOf(String athlete) {
        return dueOf.get(athlete);
    }

    /** Heap only: the store stays, for whichever instance takes the task next. */
    void forgetHeld() {
        byDue.clear();
        dueOf.clear();
        reachedOf.clear();
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

    /** The athlete's next due instant and the present its latest timer reached, either or both. */
    static byte[] toBytes(Instant due, Instant reached) {
        ByteBuffer out = ByteBuffer.allocate(1 + 2 * (1 + 8 + 4)).put(FORMAT);
        for (Instant t : new Instant[] {due, reached}) {
            out.put((byte) (t == null ? 0 : 1)).putLong(t == null ? 0 : t.getEpochSecond()).putInt(t == null ? 0 : t.getNano());
        }
        return out.array();
    }

    /** {due, reached}, either null. */
    static Instant[] fromBytes(byte[] value) {
        ByteBuffer in = ByteBuffer.wrap(value);
        byte format = in.get();
        if (format != FORMAT) {
            throw new IllegalStateException("athlete timer format " + format + " is not " + FORMAT);
        }
        Instant[] out = new Instant[2];
        for (int i = 0; i < 2; i++) {
            boolean present = in.get() == 1;
            long seconds = in.getLong();
            int nanos = in.getInt();
            out[i] = present ? Instant.ofEpochSecond(seconds, nanos) : null;
        }
        return out;
    }
}
