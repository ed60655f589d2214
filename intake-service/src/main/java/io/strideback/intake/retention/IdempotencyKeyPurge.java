package io.strideback.intake.retention;

import io.quarkus.scheduler.Scheduled;
import io.strideback.support.retention.ExpiringRows;
import io.strideback.support.retention.RowPurge;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/**
 * Intake's housekeeping (issue 12: nothing grows for ever), on the Quarkus scheduler: publishes the
 * {@code athlete.erased} events still owed (issue 16), settles
 * the PENDING keys no retry came back for, then removes answered keys older than
 * {@code strideback.purge.idempotency-key.retention} (8 days: a retry is answered its first answer for
 * at least a week). A PENDING key is never purged unsettled: its event may be on the topic, and a
 * retry after the purge would publish it again.
 */
@ApplicationScoped
public class IdempotencyKeyPurge {

    static final ExpiringRows ANSWERED = new ExpiringRows("idempotency_key", "created_at", "status <> 0");

    @Inject
    PendingKeys pendingKeys;
    @Inject
    RowPurge purge;
    @Inject
    io.strideback.intake.service.ErasureService erasures;

    @ConfigProperty(name = "strideback.purge.idempotency-key.retention", defaultValue = "P8D")
    Duration retention;

    @Scheduled(identity = "idempotency-key-purge", every = "${strideback.purge.every:15m}",
            delayed = "${strideback.purge.delayed:1m}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void run() {
        // Issue 16: an erasure whose athlete.erased a crash or an outage left unpublished is published now.
        erasures.publishUnpublished();
        pendingKeys.settleStale();
        purge.purge(ANSWERED, retention);
    }
}
