package io.strideback.loadmonitor.streams;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether the instance is analysing, per stream thread (round 11: the monitor runs several stream threads, issue 15).
 * Each thread's tasks report the athletes they mark and the analysis steps they run from that thread; a thread whose
 * athletes wait with no step of its own is stalled even while another thread's steps go on (one instance-wide "last
 * step" would hide it: its athletes' findings would be stale with readiness UP). Thread-safe: the stream threads write,
 * the health check and the gauge read.
 */
final class AnalysisProgress {

    /** One stream thread's athletes waiting for analysis, since when some have waited, and its last step (ms). */
    private static final class OfThread {
        long awaiting;
        /** Round 17: its tasks' timers due and not yet taken. */
        long overdue;
        long waitingSince;
        long lastStep;
    }

    private final Map<Thread, OfThread> threads = new ConcurrentHashMap<>();
    private volatile long lastStep;

    /** {@code change} more (or fewer) athletes waiting on the calling stream thread's tasks, at {@code nowMs}. */
    void awaiting(int change, long nowMs) {
        OfThread t = threads.computeIfAbsent(Thread.currentThread(), k -> new OfThread());
        synchronized (t) {
            if (t.awaiting <= 0 && change > 0) {
                t.waitingSince = nowMs;
            }
            t.awaiting += change;
        }
    }

    /** Round 17: {@code change} more (or fewer) timers due and not yet taken on the calling stream thread's tasks. */
    void overdue(int change) {
        OfThread t = threads.computeIfAbsent(Thread.currentThread(), k -> new OfThread());
        synchronized (t) {
            t.overdue += change;
        }
    }

    /**
     * Timers due and not yet taken on this instance, the live threads together: a thread that died is not counted (its
     * tasks move to its replacement, which reports their timers anew).
     */
    long overdue() {
        long sum = 0;
        for (Map.Entry<Thread, OfThread> e : threads.entrySet()) {
            if (e.getKey().isAlive()) {
                synchronized (e.getValue()) {
                    sum += Math.max(0, e.getValue().overdue);
                }
            }
        }
        return sum;
    }

    /** An analysis step ran on the calling stream thread at {@code nowMs}. */
    void stepped(long nowMs) {
        OfThread t = threads.computeIfAbsent(Thread.currentThread(), k -> new OfThread());
        synchronized (t) {
            t.lastStep = nowMs;
        }
        lastStep = nowMs;
    }

    /** Athletes waiting for analysis on this instance, all threads together. */
    long awaiting() {
        long sum = 0;
        for (OfThread t : threads.values()) {
            synchronized (t) {
                sum += Math.max(0, t.awaiting);
            }
        }
        return sum;
    }

    /**
     * The longest any live stream thread's athletes have waited with no analysis step on that thread (zero when none
     * waits or each thread with waiting athletes stepped since they began waiting). A thread that died is forgotten:
     * its tasks closed (their marks stay in the store) and move to its replacement, which reports them anew.
     */
    Duration stalledFor(long nowMs) {
        long longest = 0;
        for (Map.Entry<Thread, OfThread> e : threads.entrySet()) {
            if (!e.getKey().isAlive()) {
                threads.remove(e.getKey());
                continue;
            }
            OfThread t = e.getValue();
            synchronized (t) {
                if (t.awaiting > 0) {
                    longest = Math.max(longest, nowMs - Math.max(t.waitingSince, t.lastStep));
                }
            }
        }
        return Duration.ofMillis(Math.max(0, longest));
    }

    /** When the last analysis step ran on any thread (ms); 0 before the first. */
    long lastStep() {
        return lastStep;
    }
}
