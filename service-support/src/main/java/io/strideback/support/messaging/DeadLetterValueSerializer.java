package io.strideback.support.messaging;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The value serializer of every channel's dead-letter producer ({@code dead-letter-queue.value.serializer}, checked by
 * {@link ConsumerChannels}): the parked value as read, or none when it is too large for the DLQ, with a header saying
 * so and where the record is ({@link DeadLetterBounds}). Without it a record the broker took compressed but the DLQ
 * cannot take was retried for ever and its channel stopped (round 15).
 */
public class DeadLetterValueSerializer implements Serializer<byte[]> {

    @Override
    public byte[] serialize(String topic, byte[] data) {
        return data; // the producer always calls the form with headers; without them nothing can be said
    }

    @Override
    public byte[] serialize(String topic, Headers headers, byte[] data) {
        return DeadLetterBounds.value(headers, data);
    }
}
