package io.strideback.plan.store;

import io.agroal.api.AgroalDataSource;
import io.strideback.plan.mapping.PlanView;
import io.strideback.support.rest.ViewJson;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The read models of plans, written in the transaction of the events they follow. */
@ApplicationScoped
public class PlanProjection {

    /** A plan's view, written whole at its new version (the one-plan path and the per-poll batch alike). */
    private static final String UPSERT_VIEW = """
            INSERT INTO plan_view (clinic_id, athlete_id, version, view, protect_since, updated_at)
            VALUES (?, ?, ?, ?::json, ?, now())
            ON CONFLICT (clinic_id, athlete_id) DO UPDATE SET version = EXCLUDED.version, view = EXCLUDED.view,
            protect_since = EXCLUDED.protect_since, updated_at = now()""";
    /** An approval-queue row; its time moves only when its status does. */
    private static final String UPSERT_QUEUE_ROW = """
            INSERT INTO plan_adjustment_view (clinic_id, adjustment_id, athlete_id, status, view, updated_at)
            VALUES (?, ?, ?, ?, ?::json, now())
            ON CONFLICT (clinic_id, adjustment_id) DO UPDATE SET status = EXCLUDED.status, view = EXCLUDED.view,
            updated_at = now() WHERE plan_adjustment_view.status <> EXCLUDED.status""";

    @Inject
    AgroalDataSource dataSource;

    public void save(Connection c, PlanView view) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPSERT_VIEW)) {
            bindView(ps, view);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(UPSERT_QUEUE_ROW)) {
            for (PlanView.Adjustment a : view.adjustments()) {
                bindQueueRow(ps, view, a);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * The views of the plans a poll batch changed, in two JDBC batches (issue 15): each plan's view once, at its
     * state after the batch, and only the adjustments whose view differs from {@code before}'s (new ones and
     * changed ones), instead of every adjustment the plan ever had.
     */
    public void saveChanged(Connection c, List<Changed> changed) throws SQLException {
        if (changed.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(UPSERT_VIEW)) {
            for (Changed ch : changed) {
                bindView(ps, ch.after());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement(UPSERT_QUEUE_ROW)) {
            boolean any = false;
            for (Changed ch : changed) {
                java.util.Map<String, PlanView.Adjustment> was = new java.util.HashMap<>();
                ch.before().forEach(a -> was.put(a.adjustmentId(), a));
                for (PlanView.Adjustment a : ch.after().adjustments()) {
                    if (a.equals(was.get(a.adjustmentId()))) {
                        continue;
                    }
                    bindQueueRow(ps, ch.after(), a);
                    ps.addBatch();
                    any = true;
                }
            }
            if (any) {
                ps.executeBatch();
            }
        }
    }

    /** A plan's view row, its {@code protect_since} (V26) beside it: when its PROTECT began, null in any other phase. */
    private static void bindView(PreparedStatement ps, PlanView view) throws SQLException {
        ps.setString(1, view.clinicId());
        ps.setString(2, view.athleteId());
        ps.setLong(3, view.version());
        ps.setString(4, ViewJson.write(view));
        java.time.Instant since = view.protectSince();
        ps.setTimestamp(5, since == null ? null : java.sql.Timestamp.from(since));
    }

    /** One adjustment's row of the clinic's approval queue. */
    private static void bindQueueRow(PreparedStatement ps, PlanView view, PlanView.Adjustment a) throws SQLException {
        ps.setString(1, view.clinicId());
        ps.setString(2, a.adjustmentId());
        ps.setString(3, view.athleteId());
        ps.setString(4, a.status());
        ps.setString(5, ViewJson.write(new AdjustmentInQueue(view.athleteId(), a)));
    }

    /** A plan's adjustments as they were shown before a batch, and its view after it. */
    public record Changed(List<PlanView.Adjustment> before, PlanView after) {
    }

    /** An adjustment as the clinic's approval queue lists it. */
    public record AdjustmentInQueue(String athleteId, PlanView.Adjustment adjustment) {
    }

    /** The plan as the API serves it, with the athlete's display name from enrolment ({@code displayName}, or null). */
    public Optional<String> viewJson(String clinicId, String athleteId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT (v.view::jsonb || jsonb_build_object('displayName', n.display_name))::text FROM plan_view v
                     LEFT JOIN athlete_name n ON n.clinic_id = v.clinic_id AND n.athlete_id = v.athlete_id
                     WHERE v.clinic_id = ? AND v.athlete_id = ?""")) {
            ps.setString(1, clinicId);
            ps.setString(2, athleteId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read plan view", e);
        }
    }

    public List<String> adjustmentsJson(String clinicId, String status) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT view::text FROM plan_adjustment_view WHERE clinic_id = ?"
                     + (status != null ? " AND status = ?" : "") + " ORDER BY updated_at, adjustment_id")) {
            ps.setString(1, clinicId);
            if (status != null) {
                ps.setString(2, status);
            }
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read adjustments", e);
        }
    }

    /** A plan of the clinic's overview: its view, how many of its adjustments wait for approval, the athlete's name. */
    public record ClinicPlan(String viewJson, int pendingAdjustments, java.time.Instant updatedAt, String displayName) {
    }

    public List<ClinicPlan> clinicPlans(String clinicId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT v.view::text, v.updated_at,
                            (SELECT count(*) FROM plan_adjustment_view a
                             WHERE a.clinic_id = v.clinic_id AND a.athlete_id = v.athlete_id AND a.status = 'PENDING'),
                            n.display_name
                     FROM plan_view v
                     LEFT JOIN athlete_name n ON n.clinic_id = v.clinic_id AND n.athlete_id = v.athlete_id
                     WHERE v.clinic_id = ? ORDER BY v.athlete_id""")) {
            ps.setString(1, clinicId);
            List<ClinicPlan> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ClinicPlan(rs.getString(1), rs.getInt(3), rs.getTimestamp(2).toInstant(), rs.getString(4)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read plans", e);
        }
    }

    /** The athlete an adjustment of this clinic belongs to. */
    public Optional<String> athleteOfAdjustment(String clinicId, String adjustmentId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT athlete_id FROM plan_adjustment_view WHERE clinic_id = ? AND adjustment_id = ?")) {
            ps.setString(1, clinicId);
            ps.setString(2, adjustmentId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read adjustments", e);
        }
    }

    /**
     * The athlete's display name from enrolment (issue 18: pages show names, ids second), as the event carried it:
     * sealed by intake (issue 16), opened only to answer a request ({@code PersonalData}). A redelivered or repeated
     * enrolment writes the same row again; an erased athlete's (a replay) none.
     */
    public void rememberName(String clinicId, String athleteId, String displayName) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     INSERT INTO athlete_name (clinic_id, athlete_id, display_name)
                     SELECT ?, ?, ? WHERE NOT EXISTS
                         (SELECT 1 FROM erased_athlete e WHERE e.clinic_id = ? AND e.athlete_id = ?)
                     ON CONFLICT (clinic_id, athlete_id) DO UPDATE SET display_name = EXCLUDED.display_name, updated_at = now()
                     """)) {
            ps.setString(1, clinicId);
            ps.setString(2, athleteId);
            ps.setString(3, displayName);
            ps.setString(4, clinicId);
            ps.setString(5, athleteId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store the athlete's name", e);
        }
    }

    public record PlanRef(String clinicId, String athleteId) {
    }

    /**
     * Plans in PROTECT since {@code before} or earlier: the ones whose week of relative rest may be over.
     * A view written before it carried {@code phaseSince} is included; the plan itself decides.
     */
    public List<PlanRef> inProtectSince(java.time.Instant before) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT clinic_id, athlete_id FROM plan_view
                     WHERE protect_since IS NOT NULL AND protect_since <= ?
                     ORDER BY clinic_id, athlete_id""")) {
            ps.setTimestamp(1, java.sql.Timestamp.from(before));
            List<PlanRef> out = new java.util.ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new PlanRef(rs.getString(1), rs.getString(2)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read plans", e);
        }
    }

}
