package io.strideback.plan.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/**
 * The hook that keeps erased athletes out of a rebuilt plan projection (issue 16, erasure): a rebuild
 * reads it once before its scan (their events are skipped) and once more under the swap's lock (a plan
 * erased while the rebuild ran is dropped from the fresh tables before they go live). Its bean,
 * {@link ErasedAthleteTable}, reads the erasure's own table.
 */
public interface ErasedAthletes {

    /** The plans of erased athletes, read on {@code c} (inside the caller's transaction). */
    Set<PlanProjection.PlanRef> erased(Connection c) throws SQLException;
}
