package io.strideback.loadmonitor.streams;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * An athlete waiting for analysis, in the {@value MonitorTopology#TO_ANALYSE} store (issue #14, analysis per batch):
 * the monitor stores each new event and marks its athlete here; a punctuation analyses each marked athlete once,
 * from the earliest event time marked, and deletes the mark. The mark is written in the same exactly-once
 * transaction as the event it stands for, so a crash between the two never loses an analysis: a restored task
 * finds the mark and analyses the athlete then.
 *
 * @param from        the earliest event time added since the last analysis; null: analyse the whole timeline
 *                    (an enrolment or a profile change, the clinic's settings, events read from an old value);
 *                    {@link Instant#MAX}: no event, a timer ({@link #timer})
 * @param recordTime  the latest record's timestamp (epoch ms): the time of what the analysis announces, as when
 *                    each record was analysed on its own (deterministic on a replay); a timer's is the tick's
 *                    wall clock, the present its findings are analysed as of (round 16)
 * @param lastEventId the latest event marked, named on the DLQ if the analysis fails
 */
record AnalysisMark(Instant from, long recordTime, String lastEventId) {

    private static final byte FORMAT = 1;

    static AnalysisMark whole(long recordTime, String lastEventId) {
        return new AnalysisMark(null, recordTime, lastEventId);
    }

    /**
     * A timer's mark (round 16): no event changed, analyse as of {@code nowMs}, the tick that found the athlete's due
     * instant passed ({@link AthleteTimers}). Every change time alone made due by then is taken at its own due
     * instant (so its id and time are the ones a later event would give, whichever instance fires it, however late);
     * the clock only decides which of them have passed.
     */
    static AnalysisMark timer(long nowMs) {
        return new AnalysisMark(Instant.MAX, nowMs, null);
    }

    /** A timer's mark and no event since: analysed as of its record time. */
    boolean isTimer() {
        return Instant.MAX.equals(from);
    }

    /** This mark and one more event: the earlier start (the whole timeline wins), the later record. */
    AnalysisMark and(AnalysisMark next) {
        Instant earliest = from == null || next.from == null ? null : (next.from.isBefore(from) ? next.from : from);
        return next.recordTime >= recordTime ? new AnalysisMark(earliest, next.recordTime, next.lastEventId)
                : new AnalysisMark(earliest, recordTime, lastEventId);
    }

    byte[] toBytes() {
        byte[] id = lastEventId == null ? new byte[0] : lastEventId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(1 + 1 + 8 + 4 + 8 + id.length);
        out.put(FORMAT);
        out.put((byte) (from == null ? 0 : 1));
        out.putLong(from == null ? 0 : from.getEpochSecond());
        out.putInt(from == null ? 0 : from.getNano());
        out.putLong(recordTime);
        out.put(id);
        return out.array();
    }

    static AnalysisMark fromBytes(byte[] value) {
        ByteBuffer in = ByteBuffer.wrap(value);
        byte format = in.get();
        if (format != FORMAT) {
            throw new IllegalStateException("analysis mark format " + format + " is not " + FORMAT);
        }
        boolean hasFrom = in.get() == 1;
        long seconds = in.getLong();
        int nanos = in.getInt();
        long recordTime = in.getLong();
        byte[] id = new byte[in.remaining()];
        in.get(id);
        return new AnalysisMark(hasFrom ? Instant.ofEpochSecond(seconds, nanos) : null, recordTime,
                id.length == 0 ? null : new String(id, StandardCharsets.UTF_8));
    }
}
