package io.strideback.plan.store;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.strideback.support.retention.ExpiringRows;
import io.strideback.support.retention.RowPurge;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Removes consumed event ids ({@code processed_message}) older than their retention (issue 12).
 *
 * <p>An id may come again while its record's offset is not committed (the 100 ms commit interval,
 * a rebalance, an outage: the id is days old at most), and, after the consumer group's committed
 * offsets expired (Kafka keeps them 7 days once the group is empty), whenever the group restarts from
 * the earliest offset: then the whole activity log (kept for ever) and 30 days of proposals come
 * again. The retention (45 days) is longer than everything still on the proposals' topic can be old
 * (30 days of retention, plus up to 7 days until its segment rolls and can be deleted), so an id is
 * never purged while a proposal carrying it can still be redelivered. An enrolment or an assessment
 * replayed later than that is dropped by the plan aggregate itself: a plan that exists refuses
 * CreatePlan, and an adjustment or assessment id the plan knows decides nothing (ProcessedIdPurgeTest).
 */
@ApplicationScoped
public class ProcessedMessagePurge {

    private static final Logger LOG = Logger.getLogger(ProcessedMessagePurge.class);

    /** The proposals topic's retention (30 days) plus a segment's life (7 days) plus a day. */
    public static final Duration SHORTEST_RETENTION = Duration.ofDays(38);

    static final ExpiringRows PROCESSED = new ExpiringRows("processed_message", "processed_at");

    @Inject
    RowPurge purge;

    @ConfigProperty(name = "strideback.purge.processed-message.retention", defaultValue = "P45D")
    Duration retention;

    void checkRetention(@Observes StartupEvent e) {
        if (retention.compareTo(SHORTEST_RETENTION) < 0) {
            LOG.warnf("strideback.purge.processed-message.retention %s is shorter than a proposal can be redelivered; "
                    + "%s is kept instead", retention, SHORTEST_RETENTION);
        }
    }

    /** The retention applied: never shorter than {@link #SHORTEST_RETENTION}. */
    public Duration retention() {
        return applied(retention);
    }

    static Duration applied(Duration configured) {
        return configured.compareTo(SHORTEST_RETENTION) < 0 ? SHORTEST_RETENTION : configured;
    }

    @Scheduled(identity = "processed-message-purge", every = "${strideback.purge.every:15m}",
            delayed = "${strideback.purge.delayed:1m}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void run() {
        purge.purge(PROCESSED, retention());
    }
}
