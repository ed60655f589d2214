package io.strideback.support.messaging;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorIncomingConfiguration;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.commit.ContextHolder;
import io.smallrye.reactive.messaging.kafka.commit.KafkaCommitHandler;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.function.BiConsumer;

/**
 * The connector's {@code throttled} commit strategy (an offset is committed once every record before it was
 * acknowledged) with the one retry it lacks. On the first record of a partition after an assignment it reads
 * the partition's committed offset from the broker; when that read fails (a {@code TimeoutException} after
 * {@code default.api.timeout.ms} while the broker is down or its group coordinator still loading) the
 * channel's stream ends for good: the connector retries a failed poll ({@code retry}, {@code retry-attempts})
 * but not this, so the channel never consumed again and its health stayed DOWN (the broker restart of
 * {@code ./strideback chaos}). Here a transient failure of that read ({@link Failures}) is retried, the same
 * record, with back-off, for as long as it lasts, and the channel shows it as any other retry (ops status
 * {@code retryingSince}, readiness after {@code strideback.consumer.stuck-after}). Everything else is the
 * connector's own strategy, unchanged. Every channel names it ({@code commit-strategy}, checked at start).
 */
public final class RetriedCommit extends ContextHolder implements KafkaCommitHandler {

    private static final Logger LOG = Logger.getLogger(RetriedCommit.class);

    /** Builds the connector's throttled strategy for a channel and wraps it. */
    @ApplicationScoped
    @Identifier(ConsumerChannels.COMMIT_STRATEGY)
    public static class Factory implements KafkaCommitHandler.Factory {

        @Inject
        @Identifier(KafkaCommitHandler.Strategy.THROTTLED)
        KafkaCommitHandler.Factory throttled;
        @Inject
        ConsumerChannels channels;

        @Override
        public KafkaCommitHandler create(KafkaConnectorIncomingConfiguration config, Vertx vertx,
                                         KafkaConsumer<?, ?> consumer, BiConsumer<Throwable, Boolean> reportFailure) {
            return new RetriedCommit(throttled.create(config, vertx, consumer, reportFailure), config.getChannel(),
                    channels, vertx);
        }
    }

    private final KafkaCommitHandler delegate;
    private final String channelName;
    private final ConsumerChannels channels;
    /** Whether this strategy put the channel in "retrying", so only it takes it out again. */
    private volatile boolean retrying;

    RetriedCommit(KafkaCommitHandler delegate, String channelName, ConsumerChannels channels, Vertx vertx) {
        super(vertx, 0);
        this.delegate = delegate;
        this.channelName = channelName;
        this.channels = channels;
    }

    @Override
    public <K, V> Uni<IncomingKafkaRecord<K, V>> received(IncomingKafkaRecord<K, V> record) {
        Duration max = channels.maxBackoff();
        return Uni.createFrom().deferred(() -> delegate.received(record))
                // A retry comes back on Mutiny's timer thread: the strategy's state is the event loop's.
                .runSubscriptionOn(this::onContext)
                .onFailure(this::retried).invoke(failure -> notRead(record, failure))
                .onFailure(this::retried).retry().withBackOff(Duration.ofMillis(Math.min(200, max.toMillis())), max)
                .indefinitely()
                .invoke(() -> {
                    if (retrying) {
                        retrying = false;
                        channels.find(channelName).ifPresent(ConsumerChannel::flowing);
                        LOG.infof("%s: the committed offset of %s-%d read; flowing again", channelName,
                                record.getTopic(), record.getPartition());
                    }
                });
    }

    /** Retried while the failure is the moment's (not the record's, not a stop). */
    private boolean retried(Throwable failure) {
        return !channels.stopping() && Failures.isTransient(failure);
    }

    private void notRead(IncomingKafkaRecord<?, ?> record, Throwable failure) {
        String reason = Failures.reason(failure);
        retrying = true;
        channels.find(channelName).ifPresent(c -> c.retrying("committed offset of " + record.getTopic() + "-"
                + record.getPartition() + " not read: " + reason));
        LOG.warnf("%s: the committed offset of %s-%d cannot be read (%s); retrying, nothing is skipped", channelName,
                record.getTopic(), record.getPartition(), reason);
    }

    private void onContext(Runnable task) {
        if (getContext() == null) {
            task.run();
        } else {
            runOnContext(task);
        }
    }

    @Override
    public <K, V> Multi<IncomingKafkaRecord<K, V>> decorateStream(Multi<IncomingKafkaRecord<K, V>> consumed) {
        return delegate.decorateStream(consumed);
    }

    @Override
    public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record) {
        return delegate.handle(record);
    }

    @Override
    public void partitionsAssigned(Collection<TopicPartition> partitions) {
        delegate.partitionsAssigned(partitions);
    }

    @Override
    public void partitionsRevoked(Collection<TopicPartition> partitions) {
        delegate.partitionsRevoked(partitions);
    }

    @Override
    public void terminate(boolean graceful) {
        delegate.terminate(graceful);
    }

    /** The connector hands its event loop context to a strategy that holds one: the wrapped one needs it too. */
    @Override
    public void capture(io.vertx.mutiny.core.Context context) {
        super.capture(context);
        if (delegate instanceof ContextHolder holder) {
            holder.capture(context);
        }
    }

    @Override
    public void capture(io.vertx.core.Context context) {
        super.capture(context);
        if (delegate instanceof ContextHolder holder) {
            holder.capture(context);
        }
    }
}
