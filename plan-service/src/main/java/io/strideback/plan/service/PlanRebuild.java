package io.strideback.plan.service;

import io.agroal.api.AgroalDataSource;
import io.strideback.plan.domain.RehabPlan;
import io.strideback.plan.mapping.PlanView;
import io.strideback.plan.store.PlanEventStore;
import io.strideback.plan.store.PlanProjection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds every plan's read models from the event store as one stream (issue 15 item 3): one scan
 * of {@code plan_event} in (clinic, athlete, sequence) order read with a fetch size, each plan folded
 * as its events go by and forgotten once written; the views go in batches into fresh tables,
 * committed in chunks, with no transaction timeout at any size (no JTA transaction: plain local
 * ones). At the end, under a lock that holds off the writers of the read models, the plans whose
 * events moved on during the scan are folded again, and the fresh tables replace the live ones'
 * rows in one transaction; a writer that waited on the lock writes its view after the swap.
 */
@ApplicationScoped
public class PlanRebuild {

    @Inject
    AgroalDataSource dataSource;
    @Inject
    PlanEventStore store;
    @Inject
    PlanProjection projection;

    /** Plans per batch insert and commit. */
    @ConfigProperty(name = "strideback.plan.rebuild.chunk", defaultValue = "1000")
    int chunk;

    private static final String VIEWS = "plan_view_rebuild";
    private static final String ADJUSTMENTS = "plan_adjustment_view_rebuild";

    /** @return how many plans the read models now hold */
    public int rebuildAll() throws SQLException {
        try (Connection scan = dataSource.getConnection(); Connection write = dataSource.getConnection()) {
            try (Statement st = write.createStatement()) {
                st.execute("DROP TABLE IF EXISTS " + VIEWS + ", " + ADJUSTMENTS);
                // Scratch tables: unlogged and without indexes while they fill (their rows are copied at the end).
                st.execute("CREATE UNLOGGED TABLE " + VIEWS + " (LIKE plan_view INCLUDING DEFAULTS)");
                st.execute("CREATE UNLOGGED TABLE " + ADJUSTMENTS + " (LIKE plan_adjustment_view INCLUDING DEFAULTS)");
            }
            write.setAutoCommit(false);
            // PostgreSQL's driver streams with a fetch size only inside a transaction.
            scan.setAutoCommit(false);
            Map<String, Long> folded = new HashMap<>(); // plan -> the last sequence its view was built from
            List<PlanView> batch = new ArrayList<>();
            try (PreparedStatement ps = scan.prepareStatement("""
                    SELECT clinic_id, athlete_id, sequence, event_type, payload::text FROM plan_event
                    ORDER BY clinic_id, athlete_id, sequence""")) {
                ps.setFetchSize(Math.max(chunk, 500));
                try (ResultSet rs = ps.executeQuery()) {
                    String clinic = null;
                    String athlete = null;
                    RehabPlan plan = null;
                    long sequence = 0;
                    while (rs.next()) {
                        String c = rs.getString(1);
                        String a = rs.getString(2);
                        if (!c.equals(clinic) || !a.equals(athlete)) {
                            if (plan != null) {
                                written(write, batch, folded, plan, clinic, athlete, sequence);
                            }
                            clinic = c;
                            athlete = a;
                            plan = RehabPlan.empty();
                        }
                        plan = plan.apply(PlanEventStore.read(rs.getString(4), rs.getString(5)));
                        sequence = rs.getLong(3);
                    }
                    if (plan != null) {
                        written(write, batch, folded, plan, clinic, athlete, sequence);
                    }
                }
            }
            scan.commit();
            flush(write, batch);
            return swap(write, folded);
        }
    }

    private void written(Connection write, List<PlanView> batch, Map<String, Long> folded, RehabPlan plan,
                         String clinic, String athlete, long sequence) throws SQLException {
        batch.add(PlanView.of(plan));
        folded.put(clinic + "/" + athlete, sequence);
        if (batch.size() >= chunk) {
            flush(write, batch);
        }
    }

    private void flush(Connection write, List<PlanView> batch) throws SQLException {
        if (!batch.isEmpty()) {
            projection.insertAll(write, batch, VIEWS, ADJUSTMENTS);
            write.commit();
            batch.clear();
        }
    }

    /**
     * Brings the fresh tables up to date with what committed during the scan, then puts their rows in
     * place of the live ones, all in one transaction under EXCLUSIVE locks (reads go on; a command's
     * view write waits, and lands after the swap).
     */
    private int swap(Connection write, Map<String, Long> folded) throws SQLException {
        try (Statement st = write.createStatement()) {
            st.execute("LOCK TABLE plan_view, plan_adjustment_view IN EXCLUSIVE MODE");
            List<String[]> moved = new ArrayList<>();
            Map<String, Boolean> present = new HashMap<>();
            try (ResultSet rs = st.executeQuery(
                    "SELECT clinic_id, athlete_id, max(sequence) FROM plan_event GROUP BY clinic_id, athlete_id")) {
                while (rs.next()) {
                    String plan = rs.getString(1) + "/" + rs.getString(2);
                    present.put(plan, true);
                    Long at = folded.get(plan);
                    if (at == null || at != rs.getLong(3)) {
                        moved.add(new String[]{rs.getString(1), rs.getString(2)});
                    }
                }
            }
            List<PlanView> again = new ArrayList<>();
            try (PreparedStatement dropView = write.prepareStatement(
                    "DELETE FROM " + VIEWS + " WHERE clinic_id = ? AND athlete_id = ?");
                 PreparedStatement dropAdjustments = write.prepareStatement(
                         "DELETE FROM " + ADJUSTMENTS + " WHERE clinic_id = ? AND athlete_id = ?")) {
                List<String[]> stale = new ArrayList<>(moved);
                folded.keySet().stream().filter(p -> !present.containsKey(p))
                        .forEach(p -> stale.add(p.split("/", 2))); // events gone (an erased athlete): no view
                for (String[] p : stale) {
                    for (PreparedStatement ps : List.of(dropView, dropAdjustments)) {
                        ps.setString(1, p[0]);
                        ps.setString(2, p[1]);
                        ps.addBatch();
                    }
                }
                dropView.executeBatch();
                dropAdjustments.executeBatch();
            }
            for (String[] p : moved) {
                again.add(PlanView.of(RehabPlan.fold(store.load(write, p[0], p[1], null).stream()
                        .map(PlanEventStore.StoredEvent::event).toList())));
            }
            if (!again.isEmpty()) {
                projection.insertAll(write, again, VIEWS, ADJUSTMENTS);
            }
            st.execute("DELETE FROM plan_adjustment_view");
            st.execute("DELETE FROM plan_view");
            st.execute("INSERT INTO plan_view SELECT * FROM " + VIEWS);
            // As the live writes do, one row per (clinic, adjustment id).
            st.execute("INSERT INTO plan_adjustment_view SELECT * FROM " + ADJUSTMENTS + " ON CONFLICT DO NOTHING");
            st.execute("DROP TABLE " + VIEWS + ", " + ADJUSTMENTS);
            write.commit();
            return present.size();
        } catch (SQLException | RuntimeException e) {
            write.rollback();
            throw e;
        }
    }
}
