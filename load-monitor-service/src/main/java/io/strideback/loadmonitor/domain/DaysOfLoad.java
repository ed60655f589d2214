package io.strideback.loadmonitor.domain;

import java.time.LocalDate;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * The days of a {@link LoadSummary}, one per calendar day from the first session on: the days a checkpoint will
 * not see change again packed in columns of numbers, the latest few as {@link DailyLoad} records. Immutable.
 *
 * <p>Why: a runner's history is a day per day (3,000 days for 5,000 events), and the incremental analysis hands
 * out the whole list after every event (issue #14). Packed, a day costs 32 bytes instead of about 96, and the
 * next findings share the columns instead of copying them: the columns only ever grow at the end, and a list
 * reads only the days it was made with, which never change.
 */
final class DaysOfLoad extends AbstractList<DailyLoad> implements RandomAccess {

    /** Append-only columns shared by every list made from them. */
    private static final class Columns {
        final long firstDay;
        double[] load = new double[8];
        double[] km = new double[8];
        double[] acute = new double[8];
        double[] chronic = new double[8];
        int written;

        Columns(long firstDay) {
            this.firstDay = firstDay;
        }

        void append(DailyLoad d) {
            if (written == load.length) {
                int capacity = written + Math.max(8, written / 2);
                load = java.util.Arrays.copyOf(load, capacity);
                km = java.util.Arrays.copyOf(km, capacity);
                acute = java.util.Arrays.copyOf(acute, capacity);
                chronic = java.util.Arrays.copyOf(chronic, capacity);
            }
            load[written] = d.sessionRpeLoad();
            km[written] = d.runKm();
            acute[written] = d.acuteEwma();
            chronic[written] = d.chronicEwma();
            written++;
        }
    }

    private static final DaysOfLoad NONE = new DaysOfLoad(null, 0, List.of());

    private final Columns columns;
    private final int packed;
    private final List<DailyLoad> latest;

    private DaysOfLoad(Columns columns, int packed, List<DailyLoad> latest) {
        this.columns = columns;
        this.packed = packed;
        this.latest = latest;
    }

    static DaysOfLoad none() {
        return NONE;
    }

    /** These days, then {@code next} (the days that follow, in order). */
    DaysOfLoad followedBy(List<DailyLoad> next) {
        if (next.isEmpty()) {
            return latest.isEmpty() ? this : new DaysOfLoad(columns, packed, latest);
        }
        List<DailyLoad> all = latest.isEmpty() ? List.copyOf(next) : concat(latest, next);
        return new DaysOfLoad(columns, packed, all);
    }

    /** The first {@code n} days, all packed: what a checkpoint keeps. */
    DaysOfLoad firstDays(int n) {
        if (n <= packed) {
            return new DaysOfLoad(columns, n, List.of());
        }
        Columns target = columns;
        if (target == null) {
            target = new Columns(get(0).date().toEpochDay());
        } else if (target.written != packed) {
            // another list already wrote past our days: start columns of our own
            Columns own = new Columns(target.firstDay);
            for (int i = 0; i < packed; i++) {
                own.append(get(i));
            }
            target = own;
        }
        for (int i = packed; i < n; i++) {
            target.append(latest.get(i - packed));
        }
        return new DaysOfLoad(target, n, List.of());
    }

    @Override
    public DailyLoad get(int i) {
        if (i < 0 || i >= size()) {
            throw new IndexOutOfBoundsException(i);
        }
        if (i >= packed) {
            return latest.get(i - packed);
        }
        double a = columns.acute[i];
        double c = columns.chronic[i];
        return new DailyLoad(LocalDate.ofEpochDay(columns.firstDay + i), columns.load[i], columns.km[i], a, c,
                c > 0 ? a / c : null);
    }

    @Override
    public int size() {
        return packed + latest.size();
    }

    /** The heap these days hold of their own (the columns are shared with the lists made from them). */
    long approximateBytes() {
        long bytes = 24 + 16 + 4L * latest.size() + (48 + 24 + 16) * (long) latest.size();
        if (columns != null) {
            bytes += 32 + 4 * (16 + 8L * columns.load.length);
        }
        return bytes;
    }

    private static List<DailyLoad> concat(List<DailyLoad> a, List<DailyLoad> b) {
        DailyLoad[] all = new DailyLoad[a.size() + b.size()];
        for (int i = 0; i < a.size(); i++) {
            all[i] = a.get(i);
        }
        for (int i = 0; i < b.size(); i++) {
            all[a.size() + i] = b.get(i);
        }
        return List.of(all);
    }
}
