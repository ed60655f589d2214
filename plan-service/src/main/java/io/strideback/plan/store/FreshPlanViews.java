package io.strideback.plan.store;

import io.strideback.plan.mapping.PlanView;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fresh tables a rebuild of the plan projection fills ({@code plan_view_next},
 * {@code plan_adjustment_view_next}, shaped as the live ones: {@code LIKE ... INCLUDING ALL}) and
 * the short swap that puts them in place of the live tables (issue 15 item 3). One instance per
 * rebuild, on the rebuild's own connection; the live tables are only read until the swap, so the
 * consumers' transactions never wait on a rebuild except for the swap's few milliseconds.
 */
public final class FreshPlanViews {

    static final String VIEWS = "plan_view";
    static final String ADJUSTMENTS = "plan_adjustment_view";
    static final String NEXT = "_next";

    /** The statistics target of the fresh tables' ANALYZE ({@link #finishLoading}): 300 x 10 rows sampled. */
    static final int STATISTICS_TARGET = 10;

    /** A plan whose live view is not at the version of its fresh one (or exists on one side only). */
    public record Difference(PlanProjection.PlanRef plan, Long liveVersion) {
    }

    private final Connection c;
    private final CopyManager copy;
    /** Where the scan's approval-queue rows go ({@link #copy}): a second connection, or {@code c}'s own. */
    private final Connection queue;
    private final CopyManager queueCopy;
    /** The adjustment ids of the clinic being copied: the live table keeps one row per (clinic, adjustment). */
    private String copyingClinic;
    private final Set<String> clinicAdjustments = new HashSet<>();
    /** The rows being written, their buffers reused (one COPY at a time on each connection). */
    private final CopyRow viewRow = new CopyRow();
    /** A timestamptz in microseconds from 1970 (exact: {@code extract} answers a numeric), as binary COPY takes it. */
    private static final String MICROS = "(extract(epoch FROM %s) * 1000000)::int8";
    /** The COPY statements of {@link #copy}. */
    private final String copyViews;
    private final String copyQueue;
    private final CopyRow queueRow = new CopyRow();
    private final ViewRows json = new ViewRows();
    /**
     * Nanoseconds in the live {@code updated_at} look-ups and in the COPY streams so far: the rebuild logs them
     * (h2 round 13: the look-ups were 3.5 s of the writer's 8.0 s in a cold pass, 2.3 of 5.4 warm).
     */
    private long probeNanos;
    private long copyNanos;

    public FreshPlanViews(Connection c) throws SQLException {
        this(c, c);
    }

    /**
     * With a second connection for the approval queue's rows while the scan copies ({@link #copy}): both tables load
     * at once, each on its own PostgreSQL backend (issue 15 item 3: parsing the views' jsonb is most of the COPY, and
     * one backend is one core). The caller commits both; everything else runs on {@code c}.
     */
    public FreshPlanViews(Connection c, Connection queue) throws SQLException {
        this.copyViews = "COPY " + VIEWS + NEXT + " (clinic_id, athlete_id, version, updated_at, protect_since, view) FROM STDIN"
                + CopyRow.OPTIONS;
        this.copyQueue = "COPY " + ADJUSTMENTS + NEXT + " (clinic_id, adjustment_id, athlete_id, status, updated_at, view)"
                + " FROM STDIN" + CopyRow.OPTIONS;
        this.c = c;
        this.copy = c.unwrap(PGConnection.class).getCopyAPI();
        this.queue = queue;
        this.queueCopy = queue.unwrap(PGConnection.class).getCopyAPI();
    }

    /**
     * Empty fresh tables with the live tables' columns, defaults and constraints but no index yet ({@link
     * #finishLoading} builds them after the scan's COPY: one sorted build instead of an index insert per row).
     * The views are stored uncompressed while the rebuild writes them (PostgreSQL's pglz took about 40% of the
     * views' COPY in the round 6 measurement); the live setting is put back before they go live. A crashed
     * rebuild's tables are dropped.
     */
    public void create() throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + VIEWS + NEXT + ", " + ADJUSTMENTS + NEXT);
            for (String table : List.of(VIEWS, ADJUSTMENTS)) {
                st.execute("CREATE TABLE " + table + NEXT + " (LIKE " + table + " INCLUDING ALL EXCLUDING INDEXES)");
                st.execute("ALTER TABLE " + table + NEXT + " ALTER COLUMN view SET STORAGE EXTERNAL");
            }
        }
    }

    /**
     * After the scan: the live tables' indexes and constraints built on the filled fresh tables, the live tables'
     * storage of the views put back (later writes are stored as the live ones are: plan_view uncompressed since
     * V25), and planner statistics of the key columns the catch-up joins on (the views' JSON is left to
     * autovacuum: reading it back is most of an ANALYZE's time and no query plans on it).
     */
    public void finishLoading() throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String table : List.of(VIEWS, ADJUSTMENTS)) {
                for (String definition : constraintsWithIndexes(table)) {
                    st.execute("ALTER TABLE " + table + NEXT + " ADD " + definition);
                }
                for (String definition : otherIndexes(table)) {
                    st.execute(definition.replaceFirst("INDEX \\S+ ON \\S+ ", "INDEX ON " + table + NEXT + " "));
                }
                st.execute("ALTER TABLE " + table + NEXT + " ALTER COLUMN view SET STORAGE " + storage(table, "view"));
            }
            // A small sample: at the default target (100, 30,000 rows) the ANALYZE of the approval queue's ~13 rows a
            // plan was ~0.6 s of the ~1.1 s "indexes" step of a 100,000-event rebuild (h2 round 11: 620-640 ms against
            // 57 ms for both tables at 10, psql on the bench's own data); the catch-up's joins and the live look-ups by
            // key plan the same on 3,000 rows, and autovacuum analyzes the live tables as they change.
            st.execute("SET LOCAL default_statistics_target = " + STATISTICS_TARGET);
            st.execute("ANALYZE " + VIEWS + NEXT + " (clinic_id, athlete_id, version), "
                    + ADJUSTMENTS + NEXT + " (clinic_id, adjustment_id, athlete_id, status)");
            st.execute("SET LOCAL default_statistics_target = DEFAULT");
        }
    }

    /** The primary key and the unique and exclusion constraints of a table, as {@code ADD} takes them. */
    private List<String> constraintsWithIndexes(String table) throws SQLException {
        return strings("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = ?::regclass"
                + " AND contype IN ('p', 'u', 'x') ORDER BY conname", table);
    }

    /** The definitions of a table's indexes that no constraint owns. */
    private List<String> otherIndexes(String table) throws SQLException {
        return strings("SELECT pg_get_indexdef(x.indexrelid) FROM pg_index x WHERE x.indrelid = ?::regclass"
                + " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)"
                + " ORDER BY x.indexrelid", table);
    }

    private String storage(String table, String column) throws SQLException {
        List<String> s = strings("SELECT attstorage::text FROM pg_attribute WHERE attrelid = ?::regclass AND attname = '"
                + column + "'", table);
        return switch (s.isEmpty() ? "x" : s.get(0)) {
            case "p" -> "PLAIN";
            case "e" -> "EXTERNAL";
            case "m" -> "MAIN";
            default -> "EXTENDED";
        };
    }

    private List<String> strings(String sql, String parameter) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    public void discard() throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + VIEWS + NEXT + ", " + ADJUSTMENTS + NEXT);
        }
    }

    /**
     * Appends views with COPY, in the order the scan folds them (clinic by clinic), the approval queue's rows on the
     * second connection if there is one. The caller commits. An adjustment id the clinic already has keeps its first
     * row, as the live upsert does.
     */
    public void copy(List<PlanView> views) throws SQLException {
        copyRows(views, (clinic, adjustmentId) -> {
            if (!clinic.equals(copyingClinic)) {
                copyingClinic = clinic;
                clinicAdjustments.clear();
            }
            return clinicAdjustments.add(adjustmentId);
        }, queue);
    }

    /** Whether an adjustment row is the first of its (clinic, adjustment id) in what is being copied. */
    @FunctionalInterface
    private interface FirstOf {
        boolean test(String clinicId, String adjustmentId);
    }


    /**
     * Two COPY streams, side by side on two connections or one after the other on one, each written row by row:
     * the heap holds the chunk's views and one row of each table, never the chunk's text (a 4,000-plan catch-up
     * built as one COPY text ran plan-service out of heap in the bench). Each row carries its {@code updated_at}: the
     * live row's where the live row says the same (plan at the same version, adjustment at the same status), so a
     * rebuild changes no plan's "last changed" and no order of the approval queue; this transaction's time
     * otherwise. (An UPDATE of every fresh row after the scan did the same in 20-23 s of a 105 s rebuild.)
     */
    private void copyRows(List<PlanView> views, FirstOf first, Connection queueOn) throws SQLException {
        // Every loop of a chunk is a small method of its own, and a plan's rows are written by one (Rows.plan), called
        // per plan, so C2 compiles that once (h2 round 16, JFR of figure 6: as one method with six loops, this one was
        // compiled by C2 up to five times in a run's two rebuilds, once per hot loop by on-stack replacement and once
        // whole, 50-70 KB of machine code and ~1 s of C2 each; now Rows.plan once, 26 KB, 0.4 s). The rebuild's rate did
        // not move with it: C2 stays busy through the cold pass on the rest of its queue (README "Speed").
        Queued queued = queued(views, first);
        long probesFrom = System.nanoTime();
        long now = now();
        long[] planTimes = liveTimes(PLAN_TIMES, now, planKeys(views));
        long[] queueTimes = liveTimes(QUEUE_TIMES, now, queued.keys(views));
        Rows rows = new Rows(views, queued, planTimes, queueTimes);
        long copyFrom = System.nanoTime();
        probeNanos += copyFrom - probesFrom;
        try {
            if (queueOn != c) {
                CopyIn viewsIn = copy.copyIn(copyViews);
                CopyIn queueIn = queueCopy.copyIn(copyQueue);
                try {
                    CopyRow.begin(viewsIn);
                    CopyRow.begin(queueIn);
                    rows.all(viewsIn, queueIn);
                    CopyRow.end(viewsIn);
                    CopyRow.end(queueIn);
                    viewsIn.endCopy();
                    queueIn.endCopy();
                } finally {
                    cancelIfActive(viewsIn, queueIn);
                }
            } else {
                CopyIn viewsIn = copy.copyIn(copyViews);
                try {
                    CopyRow.begin(viewsIn);
                    rows.all(viewsIn, null);
                    CopyRow.end(viewsIn);
                    viewsIn.endCopy();
                } finally {
                    cancelIfActive(viewsIn);
                }
                CopyIn queueIn = copy.copyIn(copyQueue);
                try {
                    CopyRow.begin(queueIn);
                    rows.all(null, queueIn);
                    CopyRow.end(queueIn);
                    queueIn.endCopy();
                } finally {
                    cancelIfActive(queueIn);
                }
            }
        } catch (IOException e) {
            throw new SQLException("cannot write the plan views' JSON", e);
        } finally {
            copyNanos += System.nanoTime() - copyFrom;
        }
    }

    /** The live plan views' {@code updated_at} by (clinic, athlete, version): {@link #liveTimes}. */
    private static final String PLAN_TIMES = "SELECT k.i, (SELECT " + MICROS.formatted("l.updated_at") + " FROM " + VIEWS
            + " l WHERE l.clinic_id = k.clinic_id AND l.athlete_id = k.athlete_id AND l.version = k.version::bigint)"
            + " FROM unnest(?::text[], ?::text[], ?::text[]) WITH ORDINALITY AS k(clinic_id, athlete_id, version, i)";
    /** The live approval queue's {@code updated_at} by (clinic, adjustment, status): {@link #liveTimes}. */
    private static final String QUEUE_TIMES = "SELECT k.i, (SELECT " + MICROS.formatted("l.updated_at") + " FROM "
            + ADJUSTMENTS + " l WHERE l.clinic_id = k.clinic_id AND l.adjustment_id = k.adjustment_id"
            + " AND l.status = k.status)"
            + " FROM unnest(?::text[], ?::text[], ?::text[]) WITH ORDINALITY AS k(clinic_id, adjustment_id, status, i)";

    /** A chunk's rows of the approval queue: each plan's first ones ({@link FirstOf}), plan {@code i}'s from {@code from[i]}. */
    private record Queued(List<PlanView.Adjustment> rows, int[] from, int[] planOf) {

        /** Their keys for {@link #QUEUE_TIMES}: clinic, adjustment id, status. */
        String[][] keys(List<PlanView> views) {
            String[][] keys = new String[3][rows.size()];
            for (int k = 0; k < rows.size(); k++) {
                keys[0][k] = views.get(planOf[k]).clinicId();
                keys[1][k] = rows.get(k).adjustmentId();
                keys[2][k] = rows.get(k).status();
            }
            return keys;
        }
    }

    private static Queued queued(List<PlanView> views, FirstOf first) {
        List<PlanView.Adjustment> rows = new ArrayList<>();
        int[] planOf = new int[64];
        int[] from = new int[views.size() + 1];
        for (int i = 0; i < views.size(); i++) {
            PlanView v = views.get(i);
            from[i] = rows.size();
            for (PlanView.Adjustment a : v.adjustments()) {
                if (first.test(v.clinicId(), a.adjustmentId())) {
                    if (rows.size() == planOf.length) {
                        planOf = java.util.Arrays.copyOf(planOf, planOf.length * 2);
                    }
                    planOf[rows.size()] = i;
                    rows.add(a);
                }
            }
        }
        from[views.size()] = rows.size();
        return new Queued(rows, from, planOf);
    }

    /** The plans' keys for {@link #PLAN_TIMES}: clinic, athlete, version. */
    private static String[][] planKeys(List<PlanView> views) {
        String[][] keys = new String[3][views.size()];
        for (int i = 0; i < views.size(); i++) {
            keys[0][i] = views.get(i).clinicId();
            keys[1][i] = views.get(i).athleteId();
            keys[2][i] = Long.toString(views.get(i).version());
        }
        return keys;
    }

    /** This transaction's time, in microseconds from 1970: the time of a row the live tables do not have as it is. */
    private long now() throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT " + MICROS.formatted("now()"))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Milliseconds spent in the live {@code updated_at} look-ups so far. */
    public long probeMillis() {
        return probeNanos / 1_000_000;
    }

    /** Milliseconds spent writing the COPY streams (the views' JSON included) so far. */
    public long copyMillis() {
        return copyNanos / 1_000_000;
    }

    /** The rows of one chunk: the views, each plan's approval-queue rows, and their times. */
    private final class Rows {
        private final List<PlanView> views;
        private final Queued queued;
        private final long[] planTimes;
        private final long[] queueTimes;

        Rows(List<PlanView> views, Queued queued, long[] planTimes, long[] queueTimes) {
            this.views = views;
            this.queued = queued;
            this.planTimes = planTimes;
            this.queueTimes = queueTimes;
        }

        /** Every plan's rows, into either stream or both (null: not this time). */
        void all(CopyIn viewsIn, CopyIn queueIn) throws IOException, SQLException {
            for (int i = 0; i < views.size(); i++) {
                plan(i, viewsIn, queueIn);
            }
        }

        /** Plan {@code i}'s view row and approval-queue rows, its adjustments serialized once for both. */
        void plan(int i, CopyIn viewsIn, CopyIn queueIn) throws IOException, SQLException {
            PlanView v = views.get(i);
            int from = queued.from()[i];
            int to = queued.from()[i + 1];
            if (viewsIn == null && from == to) {
                return;
            }
            json.plan(v);
            if (viewsIn != null) {
                viewRow.start().text(v.clinicId()).text(v.athleteId()).number(v.version()).timestamp(planTimes[i])
                        .timestampOrNull(v.protectSince());
                json.view(v, viewRow.json());
                viewRow.writeTo(viewsIn);
            }
            if (queueIn != null) {
                for (int k = from; k < to; k++) {
                    PlanView.Adjustment a = queued.rows().get(k);
                    queueRow.start().text(v.clinicId()).text(a.adjustmentId()).text(v.athleteId()).text(a.status())
                            .timestamp(queueTimes[k]);
                    json.queued(v.athleteId(), a, queueRow.json());
                    queueRow.writeTo(queueIn);
                }
            }
        }
    }

    /** Cancels the streams a failure left open (each of them, whatever the first one's cancel throws). */
    private static void cancelIfActive(CopyIn... streams) throws SQLException {
        SQLException failed = null;
        for (CopyIn in : streams) {
            try {
                if (in.isActive()) {
                    in.cancelCopy();
                }
            } catch (SQLException e) {
                if (failed == null) {
                    failed = e;
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    /**
     * The {@code updated_at} (in microseconds from 1970, exactly: {@link #MICROS}) of each key ({@code keys} holds
     * one array per key column): the live row's where the query's scalar subquery finds it (one answer per key, by
     * its 1-based position in the arrays; NULL where the live table has no such row), else {@code otherwise}; one
     * round trip per chunk.
     * <p>
     * A look-up by primary key per key, never a join (h2 round 12, pg_stat_statements of figure 6): as a join, the
     * first executions on a connection were custom plans that knew a chunk's ~6,400 approval-queue keys and chose a
     * hash join over a sequential scan of the whole live approval queue (92,000 rows, spilled to disk at work_mem):
     * 180 ms a chunk on a quiet machine against 18-22 ms as index probes; 6.4 s of the cold rebuild's 16.4 s against
     * 1.8 s warm (by then the connection's statement had switched to the generic plan, a nested loop), and 2.7 s
     * against 1.7 s as probes (figure 6, ~101,000 events, instrumented both times); and a scan of
     * the whole live table per chunk grows with the store squared. A correlated scalar subquery is always run as a
     * probe of the primary key per key (at most one row each: the keys are the primary key's or the plan's).
     */
    private long[] liveTimes(String sql, long otherwise, String[][] keys) throws SQLException {
        int rows = keys[0].length;
        long[] out = new long[rows];
        java.util.Arrays.fill(out, otherwise);
        if (rows == 0) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int col = 0; col < keys.length; col++) {
                ps.setArray(col + 1, c.createArrayOf("text", keys[col]));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long live = rs.getLong(2);
                    if (!rs.wasNull()) {
                        out[rs.getInt(1) - 1] = live;
                    }
                }
            }
        }
        return out;
    }

    /**
     * Replaces the fresh rows of {@code plans} with {@code views} (the plans folded again; a plan with
     * no view left, its events gone, loses its rows).
     */
    public void replace(Collection<PlanProjection.PlanRef> plans, List<PlanView> views) throws SQLException {
        if (plans.isEmpty()) {
            return;
        }
        try (Statement st = c.createStatement()) {
            st.execute("SET LOCAL enable_nestloop = off");
        }
        for (String table : List.of(VIEWS + NEXT, ADJUSTMENTS + NEXT)) {
            // A hashed semi-join: the adjustments have no index on the athlete, and a nested loop over
            // thousands of caught-up plans would scan the table once per plan.
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table
                    + " WHERE (clinic_id, athlete_id) IN (SELECT * FROM unnest(?::text[], ?::text[]))")) {
                bindPlans(ps, plans);
                ps.executeUpdate();
            }
        }
        // The folded plans' adjustments take their (clinic, id) from whichever plan had it, then everything
        // goes by COPY (batched INSERTs were ten times slower in the bench's profile).
        List<String[]> ids = new ArrayList<>();
        views.forEach(v -> v.adjustments().forEach(a -> ids.add(new String[]{v.clinicId(), a.adjustmentId()})));
        if (!ids.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + ADJUSTMENTS + NEXT
                    + " WHERE (clinic_id, adjustment_id) IN (SELECT * FROM unnest(?::text[], ?::text[]))")) {
                ps.setArray(1, c.createArrayOf("text", ids.stream().map(k -> k[0]).toArray()));
                ps.setArray(2, c.createArrayOf("text", ids.stream().map(k -> k[1]).toArray()));
                ps.executeUpdate();
            }
        }
        Set<String> seen = new HashSet<>();
        copyRows(views, (clinic, adjustmentId) -> seen.add(clinic + '\u0000' + adjustmentId), c);
    }

    /**
     * The plans whose live view is at another version than the fresh one, or on one side only. The live
     * view is written in the transaction of the events it follows, so its version is the plan's
     * committed version: these are the plans that moved on during the rebuild (or whose live view was
     * missing or stale). One join of the two tables' primary keys.
     */
    public List<Difference> differingFromLive() throws SQLException {
        List<Difference> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT coalesce(l.clinic_id, n.clinic_id),"
                + " coalesce(l.athlete_id, n.athlete_id), l.version FROM " + VIEWS + " l FULL JOIN " + VIEWS + NEXT + " n"
                + " ON n.clinic_id = l.clinic_id AND n.athlete_id = l.athlete_id"
                + " WHERE l.version IS DISTINCT FROM n.version")) {
            while (rs.next()) {
                long live = rs.getLong(3);
                out.add(new Difference(new PlanProjection.PlanRef(rs.getString(1), rs.getString(2)),
                        rs.wasNull() ? null : live));
            }
        }
        return out;
    }

    /** Drops the fresh rows of these plans (erased athletes). */
    public void drop(Collection<PlanProjection.PlanRef> plans) throws SQLException {
        replace(plans, List.of());
    }

    /**
     * Takes the live tables for the swap, waiting at most {@code lockTimeoutMs} (or a little longer than the server's
     * {@code deadlock_timeout}: see below): false when a long reader or writer holds them (the caller rolls back and
     * tries again). A waiting ACCESS EXCLUSIVE request queues every later reader and writer behind it, hence the short
     * wait.
     * <p>
     * Autovacuum is no such holder (h1 round 20, figure 6's warm pass waited 1-3 s in its swap): the live tables were
     * filled by the last rebuild a moment ago, so autovacuum comes to vacuum and analyze them, throttled, for seconds,
     * holding SHARE UPDATE EXCLUSIVE on them (or on their TOAST tables, which the DROP of the swap needs). The tables
     * are about to be dropped, so that work is wasted: {@link #stopAutovacuumOfLive} cancels it first. Where this role
     * may not cancel autovacuum workers, the server does it for a lock waiter after {@code deadlock_timeout}, but only
     * if the waiter is still waiting then: with a lock timeout equal to it (1 s both, the defaults) the timeout won
     * every time on PostgreSQL 18 (4 of 4, psql against a worker on a table), so the swap retried until the worker was
     * done. Hence the wait is never shorter than {@code deadlock_timeout} and a half second.
     * <p>
     * The fresh tables are taken here too, when they exist (review of round 20): filled and committed before the
     * catch-up, they are autovacuum's next work, and the swap's rename of them waited for a worker with no lock timeout
     * left while holding the live tables.
     */
    public boolean lockLive(long lockTimeoutMs) throws SQLException {
        stopAutovacuumOfLive();
        try (Statement st = c.createStatement()) {
            st.execute("SELECT set_config('lock_timeout', greatest(" + lockTimeoutMs + ", extract(epoch FROM"
                    + " current_setting('deadlock_timeout')::interval) * 1000 + 500)::bigint || 'ms', true)");
            st.execute("LOCK TABLE " + VIEWS + ", " + ADJUSTMENTS + " IN ACCESS EXCLUSIVE MODE");
            if (freshTablesExist(st)) {
                st.execute("LOCK TABLE " + VIEWS + NEXT + ", " + ADJUSTMENTS + NEXT + " IN ACCESS EXCLUSIVE MODE");
            }
            st.execute("SET LOCAL lock_timeout = 0");
            return true;
        } catch (SQLException e) {
            if ("55P03".equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    private static boolean freshTablesExist(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT to_regclass('" + VIEWS + NEXT + "') IS NOT NULL AND to_regclass('"
                + ADJUSTMENTS + NEXT + "') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /**
     * Cancels the autovacuum workers that hold a lock on a live or a fresh table or its TOAST table (see
     * {@link #lockLive}), where this role may (superuser, or a member of PostgreSQL 18's
     * {@code pg_signal_autovacuum_worker}); otherwise cancels nothing. Answers how many it asked to stop. A cancelled
     * worker's table is vacuumed again by a later autovacuum round; the live ones are dropped by the swap.
     */
    public int stopAutovacuumOfLive() throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT count(pg_cancel_backend(a.pid)) FROM pg_stat_activity a
                WHERE a.backend_type = 'autovacuum worker' AND a.datname = current_database()
                  AND EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = 'pg_signal_autovacuum_worker'
                              AND pg_has_role(r.oid, 'USAGE'))
                  AND EXISTS (SELECT 1 FROM pg_locks l JOIN pg_class t ON l.relation IN (t.oid, t.reltoastrelid)
                              WHERE l.pid = a.pid AND l.locktype = 'relation' AND l.database = a.datid
                                AND t.oid IN ('%1$s'::regclass, '%2$s'::regclass, to_regclass('%1$s%3$s'),
                                              to_regclass('%2$s%3$s')))""".formatted(VIEWS, ADJUSTMENTS, NEXT))) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * Puts the fresh tables in place of the live ones, under the lock of {@link #lockLive}: the live tables
     * are dropped, the fresh ones renamed, and each fresh index takes the name of the live index of the same
     * definition (so migrations that name an index or the primary key keep working after any rebuild).
     */
    public void swap() throws SQLException {
        Map<String, String> names = new HashMap<>();
        for (String table : List.of(VIEWS, ADJUSTMENTS)) {
            Map<String, String> live = indexes(table);
            indexes(table + NEXT).forEach((definition, name) -> {
                String liveName = live.get(definition);
                if (liveName != null) {
                    names.put(name, liveName);
                }
            });
        }
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE " + VIEWS + ", " + ADJUSTMENTS);
            st.execute("ALTER TABLE " + VIEWS + NEXT + " RENAME TO " + VIEWS);
            st.execute("ALTER TABLE " + ADJUSTMENTS + NEXT + " RENAME TO " + ADJUSTMENTS);
            for (Map.Entry<String, String> n : names.entrySet()) {
                st.execute("ALTER INDEX " + n.getKey() + " RENAME TO " + n.getValue());
            }
        }
    }

    /** Index definitions without their own and their table's names, mapped to the index's name. */
    private Map<String, String> indexes(String table) throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                WHERE x.indrelid = ?::regclass""")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(2).replaceFirst("INDEX \\S+ ON \\S+ ", "INDEX ON "), rs.getString(1));
                }
            }
        }
        return out;
    }

    private void bindPlans(PreparedStatement ps, Collection<PlanProjection.PlanRef> plans) throws SQLException {
        ps.setArray(1, c.createArrayOf("text", plans.stream().map(PlanProjection.PlanRef::clinicId).toArray()));
        ps.setArray(2, c.createArrayOf("text", plans.stream().map(PlanProjection.PlanRef::athleteId).toArray()));
    }
}
