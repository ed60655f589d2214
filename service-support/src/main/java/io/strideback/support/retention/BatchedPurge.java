package io.strideback.support.retention;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Deletes expired rows in bounded batches, never in one large DELETE: each batch is its own short
 * transaction of at most {@code batchSize} rows, so a purge holds few row locks for a few
 * milliseconds and never blocks the writers for long. Rows another transaction holds (a relay
 * marking them, a request settling them) are skipped and taken by a later run. A run stops after
 * {@code maxBatches}: the work per run is bounded too, and what is left goes at the next run.
 *
 * <p>The cut-off is the database's {@code now()} minus the retention, the clock the rows' times
 * were written with.
 */
public final class BatchedPurge {

    /** What one run removed, and whether it stopped at its bound with expired rows left. */
    public record Result(long removed, int batches, boolean moreLeft) {
    }

    private BatchedPurge() {
    }

    public static Result run(DataSource dataSource, ExpiringRows rows, Duration retention, int batchSize,
                             int maxBatches) throws SQLException {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("a retention must be positive: " + retention);
        }
        if (batchSize < 1 || maxBatches < 1) {
            throw new IllegalArgumentException("batch size and batches per run must be at least 1");
        }
        // ctid: any table, whatever its key; = ANY(ARRAY(...)) makes the outer delete a TID scan.
        String sql = "DELETE FROM " + rows.table() + " WHERE ctid = ANY(ARRAY(SELECT ctid FROM " + rows.table()
                + " WHERE " + rows.ageColumn() + " < now() - make_interval(secs => ?) AND (" + rows.condition()
                + ") LIMIT ? FOR UPDATE SKIP LOCKED))";
        long removed = 0;
        int batches = 0;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true); // each batch commits on its own
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setDouble(1, retention.toMillis() / 1000.0);
                ps.setInt(2, batchSize);
                while (batches < maxBatches) {
                    int n = ps.executeUpdate();
                    batches++;
                    removed += n;
                    if (n < batchSize) {
                        return new Result(removed, batches, false);
                    }
                }
            }
        }
        return new Result(removed, batches, true);
    }
}
