package io.strideback.plan.store;

import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

/**
 * The erased athletes a rebuild keeps out (CONTRACT v2 erasure): {@code erased_athlete} (V23), written by
 * {@code AthleteErasure} in the erasure's own transaction, ids and a time only.
 */
@ApplicationScoped
public class ErasedAthleteTable implements ErasedAthletes {

    @Override
    public Set<PlanProjection.PlanRef> erased(Connection c) throws SQLException {
        Set<PlanProjection.PlanRef> erased = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT clinic_id, athlete_id FROM erased_athlete");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                erased.add(new PlanProjection.PlanRef(rs.getString(1), rs.getString(2)));
            }
        }
        return erased;
    }
}
