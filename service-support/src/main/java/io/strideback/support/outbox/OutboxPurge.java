package io.strideback.support.outbox;

import io.quarkus.scheduler.Scheduled;
import io.strideback.support.retention.ExpiringRows;
import io.strideback.support.retention.RowPurge;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/**
 * Removes outbox rows the relay published more than {@code strideback.purge.outbox.retention} ago
 * (issue 12). A published row is only a record of what was sent (the topic holds the event, the
 * service's own tables its state), kept a while to look into a delivery. Rows not yet published are
 * never touched, whatever their age.
 */
@ApplicationScoped
public class OutboxPurge {

    static final ExpiringRows PUBLISHED = new ExpiringRows("outbox", "published_at", "published_at IS NOT NULL");

    @Inject
    RowPurge purge;

    @ConfigProperty(name = "strideback.purge.outbox.retention", defaultValue = "P7D")
    Duration retention;

    @Scheduled(identity = "outbox-purge", every = "${strideback.purge.every:15m}", delayed = "${strideback.purge.delayed:1m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void run() {
        purge.purge(PUBLISHED, retention);
    }
}
