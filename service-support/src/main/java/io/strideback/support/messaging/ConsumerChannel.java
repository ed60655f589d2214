package io.strideback.support.messaging;

import io.strideback.events.Topic;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the service knows of one incoming channel while it runs, for the ops status, the metrics
 * and the stuck check: its partitions and their lag, the last event it applied, how many records
 * it parked, and whether it is retrying a transient failure (and since when).
 */
public final class ConsumerChannel {

    private final String name;
    private final String groupId;
    private final Topic topic;
    final Map<String, Long> lag = new ConcurrentHashMap<>();
    final AtomicLong rebalances = new AtomicLong();
    final AtomicLong parked = new AtomicLong();
    final AtomicLong stepFailures = new AtomicLong();
    private volatile Instant lastEventTime;
    private volatile Instant lastProcessedAt;
    private volatile Instant retryingSince;
    private volatile String retryReason;
    private volatile String lastParked;
    private volatile String lastStepFailure;

    ConsumerChannel(String name, String groupId, Topic topic) {
        this.name = name;
        this.groupId = groupId;
        this.topic = topic;
    }

    public String name() {
        return name;
    }

    public String groupId() {
        return groupId;
    }

    public Topic topic() {
        return topic;
    }

    /**
     * "topic-partition" → records behind the end not yet applied and committed (commits run every
     * second), for the partitions this replica holds.
     */
    public Map<String, Long> lagByPartition() {
        return new TreeMap<>(lag);
    }

    public long totalLag() {
        return lag.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * How many times partitions were assigned or revoked: a handler holding state per key compares
     * it to know when keys may have been handled elsewhere meanwhile.
     */
    public long rebalances() {
        return rebalances.get();
    }

    public Optional<Instant> lastEventTime() {
        return Optional.ofNullable(lastEventTime);
    }

    public Optional<Instant> lastProcessedAt() {
        return Optional.ofNullable(lastProcessedAt);
    }

    /** Since when the channel has been retrying a transient failure; empty while it flows. */
    public Optional<Instant> retryingSince() {
        return Optional.ofNullable(retryingSince);
    }

    public Optional<String> retryReason() {
        return Optional.ofNullable(retryReason);
    }

    public long parked() {
        return parked.get();
    }

    public Optional<String> lastParked() {
        return Optional.ofNullable(lastParked);
    }

    /** Work after a record was stored that failed for good (the load monitor's analysis of one athlete). */
    public long stepFailures() {
        return stepFailures.get();
    }

    public Optional<String> lastStepFailure() {
        return Optional.ofNullable(lastStepFailure);
    }

    void applied(Instant eventTime) {
        if (eventTime != null) {
            lastEventTime = eventTime;
        }
        lastProcessedAt = Instant.now();
    }

    void retrying(String reason) {
        if (retryingSince == null) {
            retryingSince = Instant.now();
        }
        retryReason = reason;
    }

    void flowing() {
        retryingSince = null;
        retryReason = null;
    }

    void parked(String what) {
        parked.incrementAndGet();
        lastParked = what;
    }

    void stepFailed(String what) {
        stepFailures.incrementAndGet();
        lastStepFailure = what;
    }
}
