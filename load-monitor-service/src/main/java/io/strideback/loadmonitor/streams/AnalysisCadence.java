package io.strideback.loadmonitor.streams;

import java.time.Duration;

/**
 * How often a task's analysis punctuation fires (round 20, issue 15: what an idle stack burns). Kafka Streams marks a
 * task for commit after every wall-clock punctuation, whether it did anything or not, and under exactly_once_v2 a
 * task holding consumed offsets then commits a transaction each commit interval: an idle monitor that had read any
 * record committed ~25 transactions a second (TxnOffsetCommit, AddPartitionsToTxn, EndTxn, WriteTxnMarkers, and the
 * offsets and markers written to the log), measured on a stack left idle after the e2e bench.
 *
 * <p>So a task ticks at the analysis interval while it has work (athletes marked, timers due) and for
 * {@code idleAfter} after its last work, then at {@code idleInterval}: only its timers wait for that tick, and their
 * due instants are days apart. A mark made while idle wakes the task at once: the next tick fires {@link #WAKE}
 * later, then the analysis interval again, so an event's path is never longer than when the task was busy.
 * Plain state, no clock of its own: the caller passes the wall clock and applies the period returned.
 */
final class AnalysisCadence {

    /** The first tick after a mark woke an idle task: at once, as soon as the stream thread punctuates again. */
    static final Duration WAKE = Duration.ofMillis(1);

    private enum Pace { BUSY, IDLE, WAKING }

    private final Duration busy;
    private final Duration idle;
    private final long idleAfterMs;
    private final boolean adapts;
    private Pace pace = Pace.BUSY;
    private long lastWorkMs;

    /**
     * @param busy         the analysis interval, while there is work
     * @param idle         the interval once idle; equal to {@code busy}, the cadence never changes
     * @param idleAfter    how long without work before the task idles
     * @param nowMs        the wall clock now (a task starts busy: marks restored from the changelog are analysed first)
     */
    AnalysisCadence(Duration busy, Duration idle, Duration idleAfter, long nowMs) {
        this.busy = busy;
        this.idle = idle;
        this.idleAfterMs = idleAfter.toMillis();
        this.adapts = idle.compareTo(busy) > 0;
        this.lastWorkMs = nowMs;
    }

    /** The period the task ticks at when it starts. */
    Duration initial() {
        return busy;
    }

    /** An athlete was marked at {@code nowMs}: the period to tick at from now, or null to keep the current one. */
    Duration marked(long nowMs) {
        lastWorkMs = nowMs;
        if (pace == Pace.IDLE) {
            pace = Pace.WAKING;
            return WAKE;
        }
        return null;
    }

    /**
     * A tick ran at {@code nowMs}; {@code hadWork}: it found athletes marked or timers due. The period to tick at from
     * now, or null to keep the current one.
     */
    Duration ticked(long nowMs, boolean hadWork) {
        if (hadWork) {
            lastWorkMs = nowMs;
        }
        switch (pace) {
            case WAKING -> {
                pace = Pace.BUSY;
                return busy;
            }
            case IDLE -> {
                if (hadWork) {
                    pace = Pace.BUSY;
                    return busy;
                }
                return null;
            }
            default -> {
                if (adapts && !hadWork && nowMs - lastWorkMs >= idleAfterMs) {
                    pace = Pace.IDLE;
                    return idle;
                }
                return null;
            }
        }
    }

    boolean idle() {
        return pace == Pace.IDLE;
    }
}
