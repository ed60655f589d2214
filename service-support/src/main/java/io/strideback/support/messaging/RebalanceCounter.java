package io.strideback.support.messaging;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;

/**
 * Counts each channel's rebalances ({@link ConsumerChannel#rebalances()}), for handlers that hold
 * state per key. Named by every channel's {@code consumer-rebalance-listener.name}; the connector
 * still runs its own commit handling on a rebalance (what was acknowledged is committed first).
 */
@ApplicationScoped
@Identifier(ConsumerChannels.REBALANCE_LISTENER)
public class RebalanceCounter implements KafkaConsumerRebalanceListener {

    @Inject
    ConsumerChannels channels;

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        channels.rebalanced(consumer.groupMetadata().groupId());
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        channels.rebalanced(consumer.groupMetadata().groupId());
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        channels.rebalanced(consumer.groupMetadata().groupId());
    }
}
