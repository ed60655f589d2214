package io.strideback.support.retention;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Duration;

/**
 * The one way services purge expired rows (issue 12: nothing grows for ever): a
 * {@link BatchedPurge} on the service's database, counted in {@code strideback_purged_rows_total{table}}
 * and logged once per run. A database that is down makes the run log and return; the next run
 * catches up.
 */
@ApplicationScoped
public class RowPurge {

    private static final Logger LOG = Logger.getLogger(RowPurge.class);

    @Inject
    AgroalDataSource dataSource;
    @Inject
    MeterRegistry metrics;

    /** Rows per delete statement (one short transaction each). */
    @ConfigProperty(name = "strideback.purge.batch-size", defaultValue = "1000")
    int batchSize;

    /** Batches per run per table; the rest waits for the next run. */
    @ConfigProperty(name = "strideback.purge.max-batches", defaultValue = "100")
    int maxBatches;

    /** Removes {@code rows} older than {@code retention}; answers how many went (0 when the store is down). */
    public long purge(ExpiringRows rows, Duration retention) {
        long start = System.nanoTime();
        try {
            BatchedPurge.Result r = BatchedPurge.run(dataSource, rows, retention, batchSize, maxBatches);
            metrics.counter("strideback.purged.rows", "table", rows.table()).increment(r.removed());
            LOG.infof("purge %s: %d rows older than %s removed in %d batches, %d ms%s", rows.table(), r.removed(),
                    retention, r.batches(), (System.nanoTime() - start) / 1_000_000,
                    r.moreLeft() ? "; more left for the next run" : "");
            return r.removed();
        } catch (SQLException e) {
            LOG.warnf("purge %s: not run (%s); the next run catches up", rows.table(), e.getMessage());
            return 0;
        }
    }
}
