package io.strideback.support.messaging;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The key serializer of every channel's dead-letter producer ({@code dead-letter-queue.key.serializer}, checked by
 * {@link ConsumerChannels}): the key as read, cut when it is too long for the DLQ ({@link DeadLetterBounds}).
 */
public class DeadLetterKeySerializer implements Serializer<String> {

    private final StringSerializer strings = new StringSerializer();

    @Override
    public byte[] serialize(String topic, String data) {
        return strings.serialize(topic, data);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, String data) {
        return strings.serialize(topic, DeadLetterBounds.key(headers, data));
    }
}
