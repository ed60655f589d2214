package io.strideback.intake.retention;

import io.micrometer.core.instrument.MeterRegistry;
import io.strideback.intake.store.IdempotencyStore;
import io.strideback.intake.store.IdempotencyStore.FirstAnswer;
import io.strideback.intake.store.IdempotencyStore.PendingKey;
import io.strideback.intake.store.StoreUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.common.KafkaException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;

/**
 * Settles keys left PENDING (intake died after the broker's acknowledgement, or the broker answered
 * after the bound) from the activity log, once: found, the key is answered 202 with its event id;
 * not found, nothing was accepted under it and its next request publishes the event under the same
 * id. A retry settles its own key ({@link #settleForRetry}); the scheduled job settles the keys no
 * client came back for ({@link #settleStale}), so no key answers 503 for ever and none outlives its
 * retention unsettled.
 */
@ApplicationScoped
public class PendingKeys {

    private static final Logger LOG = Logger.getLogger(PendingKeys.class);

    /** What a retry does with a PENDING key. */
    public enum Settlement {
        /** The event is on the topic: the key now answers 202 with its event id. */
        ON_TOPIC,
        /** Not on the topic and this retry took the key over: it publishes the event under the same id. */
        RECLAIMED,
        /** Not on the topic and a concurrent retry or the job took it first: 503, retry shortly. */
        TAKEN
    }

    /** What one run of the job did. */
    public record Run(int onTopic, int released, int left) {
    }

    @Inject
    IdempotencyStore idempotency;
    @Inject
    ActivityLogSearch log;
    @Inject
    MeterRegistry metrics;

    /**
     * How old a PENDING key must be before the job settles it: well past the longest a first request
     * may still be publishing (waiting for metadata, then for the acknowledgement, each up to the
     * publish timeout), so the job never races a request that is still running.
     */
    @ConfigProperty(name = "strideback.intake.pending-settle-after", defaultValue = "PT1M")
    Duration settleAfter;

    /** Keys the job settles per run; the rest at the next run. */
    @ConfigProperty(name = "strideback.intake.pending-settle-batch", defaultValue = "200")
    int batch;

    /**
     * A retry found its key PENDING, older than the settle window.
     *
     * @param recordKey the event's record key ({@code clinicId/athleteId}): only its partition is read
     * @throws IllegalStateException      when the log cannot be read (the caller answers 503)
     * @throws StoreUnavailableException  when the store cannot be written (the caller answers 503)
     */
    public Settlement settleForRetry(String clinicId, String key, FirstAnswer first, String recordKey) {
        boolean found;
        try (ActivityLogSearch.Session search = log.open()) {
            found = search.contains(first.response(), recordKey, first.createdAt());
        } catch (KafkaException e) {
            throw new IllegalStateException("the activity log could not be read: " + e.getMessage(), e);
        }
        if (found) {
            idempotency.complete(clinicId, List.of(key));
            count("on_topic");
            return Settlement.ON_TOPIC;
        }
        if (idempotency.reclaim(clinicId, key, first.createdAt())) {
            count("republished");
            return Settlement.RECLAIMED;
        }
        return Settlement.TAKEN;
    }

    /** The scheduled job's part: settles up to a batch of PENDING keys older than {@code settleAfter}. */
    public Run settleStale() {
        List<PendingKey> stale;
        try {
            stale = idempotency.pendingOlderThan(settleAfter, batch);
        } catch (StoreUnavailableException e) {
            LOG.warnf("pending keys: not settled (%s); the next run tries again", e.getMessage());
            return new Run(0, 0, 0);
        }
        int onTopic = 0;
        int released = 0;
        int left = 0;
        if (!stale.isEmpty()) {
            try (ActivityLogSearch.Session search = log.open()) {
                for (PendingKey k : stale) {
                    try {
                        if (search.contains(k.eventId(), null, k.claimedAt())) {
                            idempotency.complete(k.clinicId(), List.of(k.key()));
                            onTopic++;
                            count("on_topic");
                        } else if (idempotency.release(k.clinicId(), k.key(), k.claimedAt())) {
                            released++;
                            count("released");
                        }
                    } catch (IllegalStateException | StoreUnavailableException e) {
                        left++; // the broker or the store is down: this key waits for the next run
                    }
                }
            } catch (RuntimeException e) {
                left = stale.size() - onTopic - released;
                LOG.warnf("pending keys: the activity log could not be searched (%s)", e.getMessage());
            }
        }
        LOG.infof("pending keys: %d older than %s settled (%d on the topic, answered 202; %d not on it, released); %d left",
                onTopic + released, settleAfter, onTopic, released, left);
        return new Run(onTopic, released, left);
    }

    private void count(String outcome) {
        metrics.counter("strideback.intake.pending.settled", "outcome", outcome).increment();
    }
}
