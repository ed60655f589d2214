package io.strideback.plan.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * The live views' {@code updated_at}, read beside the rebuild's scan as two cursors in the scan's plan order
 * (clinic, athlete) and merged with the fresh rows as the writer reaches them: a client-side merge join instead of
 * a primary-key probe per fresh row (issue 15 item 3; h2 round 13: the probes were 3.5 s of the writer's 8.0 s in a
 * cold pass of ~100,000 events, ~14,000 keys a chunk). The approval queue has no index on the athlete, so its cursor
 * is one sort of the live table's keys (PostgreSQL's), read once.
 * <p>
 * Both cursors are ordered by PostgreSQL under the database's collation, as the scan is; this class steps over the
 * live rows with Java's code point order ({@link #compare}), which is the order of the {@code C.UTF-8} and {@code C}
 * collations. A fresh row the merge does not find (its live row missing, under another athlete, or the two orders
 * disagreeing) is not guessed: it is answered {@link #UNKNOWN} and the caller probes it by key as before, so the
 * answer is always the live row's, whatever the collation; only the speed depends on the order agreeing.
 * <p>
 * The cursors' snapshot is taken at their first read, after the scan's: a plan that moved on in between has a live
 * version the fresh one does not have, so its row gets the rebuild's time here and the catch-up folds it again and
 * looks its time up by key (as when a probe saw the plan moved on).
 */
final class LiveTimesInScanOrder implements AutoCloseable {

    /** Not found by the merge: look it up by key. */
    static final long UNKNOWN = Long.MIN_VALUE;
    /** Rows per round trip of each cursor. */
    private static final int FETCH = 2_000;

    private final Connection c;
    private final String micros;
    private PreparedStatement viewsQuery;
    private PreparedStatement queueQuery;
    private ResultSet views;
    private ResultSet queue;
    private boolean viewsAt;
    private boolean queueAt;
    /** The queue cursor's current row. */
    private String queueClinic;
    private String queueAthlete;
    /** The live approval-queue rows of the plan last asked for: adjustment id -> status and time. */
    private final Map<String, Row> plan = new HashMap<>();
    private long merged;
    private long unknown;
    /** The cursors' opening: their first rows, after PostgreSQL's sort of the approval queue. */
    private long openNanos;

    private record Row(String status, long micros) {
    }

    /**
     * On a connection of its own with autocommit off (a cursor streams only inside a transaction), which the caller
     * rolls back and closes after the scan; {@code micros} turns a timestamptz column into microseconds.
     */
    LiveTimesInScanOrder(Connection c, String micros) {
        this.c = c;
        this.micros = micros;
    }

    private void open() throws SQLException {
        if (views != null) {
            return;
        }
        long from = System.nanoTime();
        try (Statement st = c.createStatement()) {
            // The primary key's order, as the scan's; not a sort of the whole table planned for all its rows.
            st.execute("SET LOCAL enable_sort = off");
        }
        viewsQuery = c.prepareStatement("SELECT clinic_id, athlete_id, version, " + micros.formatted("updated_at")
                + " FROM " + FreshPlanViews.VIEWS + " ORDER BY clinic_id, athlete_id");
        viewsQuery.setFetchSize(FETCH);
        views = viewsQuery.executeQuery();
        viewsAt = views.next();
        try (Statement st = c.createStatement()) {
            st.execute("SET LOCAL enable_sort = DEFAULT");
            // The approval queue's sort in memory (~100,000 rows, ~20 MB of keys: past the default 4 MB it spills),
            // for this transaction only: opening this cursor was 1.0-1.3 s of the merge's 1.6-2.3 s (h2 round 14).
            st.execute("SET LOCAL work_mem = '64MB'");
        }
        // Sorted under "C" (bytes, abbreviated keys; the database's libc C.UTF-8 compares through strcoll, round 13: text
        // sorts 25% slower): the same order as C.UTF-8's and as {@link #compare}; where it were not, rows fall to the
        // look-up by key, never to a wrong time.
        queueQuery = c.prepareStatement("SELECT clinic_id, athlete_id, adjustment_id, status, "
                + micros.formatted("updated_at") + " FROM " + FreshPlanViews.ADJUSTMENTS
                + " ORDER BY clinic_id COLLATE \"C\", athlete_id COLLATE \"C\"");
        queueQuery.setFetchSize(FETCH);
        queue = queueQuery.executeQuery();
        nextQueued();
        openNanos = System.nanoTime() - from;
    }

    /**
     * The live plan view's time if its (clinic, athlete) is at {@code version}, {@code otherwise} if it is at
     * another; {@link #UNKNOWN} if the merge has no row for it. Asked plan by plan in the scan's order.
     */
    long plan(String clinicId, String athleteId, long version, long otherwise) throws SQLException {
        open();
        while (viewsAt && compare(views.getString(1), views.getString(2), clinicId, athleteId) < 0) {
            viewsAt = views.next();
        }
        if (!viewsAt || !clinicId.equals(views.getString(1)) || !athleteId.equals(views.getString(2))) {
            unknown++;
            return UNKNOWN;
        }
        long at = views.getLong(3) == version ? views.getLong(4) : otherwise;
        viewsAt = views.next();
        merged++;
        return at;
    }

    /** Reads the live approval-queue rows of this plan; {@link #queued} answers from them. Plan by plan, in order. */
    void planQueue(String clinicId, String athleteId) throws SQLException {
        open();
        plan.clear();
        while (queueAt && compare(queueClinic, queueAthlete, clinicId, athleteId) < 0) {
            nextQueued();
        }
        while (queueAt && clinicId.equals(queueClinic) && athleteId.equals(queueAthlete)) {
            plan.put(queue.getString(3), new Row(queue.getString(4), queue.getLong(5)));
            nextQueued();
        }
    }

    /**
     * The live time of an adjustment of the plan last read by {@link #planQueue} if it is at {@code status},
     * {@code otherwise} if it is at another (the primary key is (clinic, adjustment): that row is the only one);
     * {@link #UNKNOWN} if this plan has no live row of it.
     */
    long queued(String adjustmentId, String status, long otherwise) {
        Row row = plan.get(adjustmentId);
        if (row == null) {
            unknown++;
            return UNKNOWN;
        }
        merged++;
        return row.status().equals(status) ? row.micros() : otherwise;
    }

    private void nextQueued() throws SQLException {
        queueAt = queue.next();
        if (queueAt) {
            queueClinic = queue.getString(1);
            queueAthlete = queue.getString(2);
        }
    }

    /** Rows answered by the merge, and rows left to a look-up by key (for the rebuild's log). */
    String counts() {
        return merged + " merged (the cursors' first rows after " + openNanos / 1_000_000 + " ms), " + unknown
                + " looked up by key";
    }

    /** (clinic, athlete) against (clinic, athlete), each text in code point order. */
    static int compare(String clinicA, String athleteA, String clinicB, String athleteB) {
        int clinic = compare(clinicA, clinicB);
        return clinic != 0 ? clinic : compare(athleteA, athleteB);
    }

    /**
     * Code point order (the UTF-8 bytes' order, as the {@code C} collations compare), not {@link String#compareTo}'s
     * UTF-16 order, which puts a character beyond U+FFFF (a surrogate pair) before U+E000-U+FFFF.
     */
    static int compare(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                return rank(x) - rank(y);
            }
        }
        return a.length() - b.length();
    }

    private static int rank(char ch) {
        if (ch >= 0xD800 && ch <= 0xDFFF) {
            return ch + 0x2000;
        }
        return ch >= 0xE000 ? ch - 0x800 : ch;
    }

    @Override
    public void close() throws SQLException {
        SQLException failed = null;
        for (AutoCloseable r : new AutoCloseable[]{views, viewsQuery, queue, queueQuery}) {
            try {
                if (r != null) {
                    r.close();
                }
            } catch (Exception e) {
                if (failed == null) {
                    failed = e instanceof SQLException s ? s : new SQLException(e);
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
    }
}
