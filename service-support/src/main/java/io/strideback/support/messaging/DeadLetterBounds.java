package io.strideback.support.messaging;

import io.strideback.events.EventCodec;
import io.strideback.events.Topic;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Keeps a dead-lettered record within what a DLQ can take (round 15: a 5 MB record, accepted by the broker because its
 * producer compressed it, could not be parked: the DLQ producer's {@code max.request.size} and the DLQ topic's
 * {@code max.message.bytes} are 1 MiB. plan-service retried the park for ever and the load monitor's stream thread died
 * on it again and again: one record stopped a consumer, against CONTRACT.md "Kafka": "it never stops a consumer").
 * Over the bounds, the value is left out, a long header or key is cut, and a header says what was left out and where the
 * whole record still is ({@code <topic>-<partition>@<offset>}, until the topic's retention removes it).
 * Plain Kafka types: plan-service's DLQ serializers ({@link DeadLetterValueSerializer}, {@link DeadLetterKeySerializer})
 * and the load monitor's dead-letter sink use it alike.
 */
public final class DeadLetterBounds {

    /** A parked value up to this size is kept whole: far below the DLQ's 1 MiB, with room for headers and key. */
    public static final int MAX_VALUE_BYTES = 256 * 1024;
    /** A header value longer than this is cut to {@link #KEPT_HEADER_BYTES}. */
    public static final int MAX_HEADER_BYTES = 16 * 1024;
    static final int KEPT_HEADER_BYTES = 1024;
    /** A key longer than this (in UTF-8) is cut to it. */
    public static final int MAX_KEY_BYTES = 1024;
    /** Says the value was left out, its size, and where the whole record is. */
    public static final String VALUE_OMITTED_HEADER = "dead-letter-value-omitted";
    /** Says the key was cut and its size. */
    public static final String KEY_CUT_HEADER = "dead-letter-key-cut";
    /** Names each header that was cut and its size. */
    public static final String HEADER_CUT_HEADER = "dead-letter-header-cut";
    /** Where the parked record came from: the connector's header names, the load monitor writes them too. */
    public static final String SOURCE_TOPIC_HEADER = "dead-letter-topic";
    public static final String SOURCE_PARTITION_HEADER = "dead-letter-partition";
    public static final String SOURCE_OFFSET_HEADER = "dead-letter-offset";

    private DeadLetterBounds() {
    }

    /**
     * The value to park: {@code value} itself, or null when it is over {@link #MAX_VALUE_BYTES} (then
     * {@value #VALUE_OMITTED_HEADER} says so). Long headers are cut in place (see {@link #cutHeaders}).
     */
    public static byte[] value(Headers headers, byte[] value) {
        cutHeaders(headers);
        if (value == null || value.length <= MAX_VALUE_BYTES) {
            return value;
        }
        headers.remove(VALUE_OMITTED_HEADER);
        headers.add(VALUE_OMITTED_HEADER, utf8(value.length + " bytes, over the dead-letter queue's " + MAX_VALUE_BYTES
                + "; the whole record is " + where(headers) + " while the topic keeps it"));
        return null;
    }

    /** The key to park: {@code key}, or its first {@link #MAX_KEY_BYTES} bytes ({@value #KEY_CUT_HEADER} says so). */
    public static String key(Headers headers, String key) {
        if (key == null) {
            return null;
        }
        byte[] bytes = utf8(key);
        if (bytes.length <= MAX_KEY_BYTES) {
            return key;
        }
        headers.remove(KEY_CUT_HEADER);
        headers.add(KEY_CUT_HEADER, utf8(bytes.length + " bytes, cut to " + MAX_KEY_BYTES));
        return new String(Arrays.copyOf(bytes, MAX_KEY_BYTES), StandardCharsets.UTF_8);
    }

    /**
     * Says why and where a record is parked: {@value Topic#DLQ_REASON_HEADER} (printable: a reason
     * is often an exception's message) and the three source headers, each replacing any the record carried.
     */
    public static void reasonAndSource(Headers headers, String reason, String topic, int partition, long offset) {
        reason(headers, reason);
        for (String name : List.of(SOURCE_TOPIC_HEADER, SOURCE_PARTITION_HEADER, SOURCE_OFFSET_HEADER)) {
            headers.remove(name);
        }
        headers.add(SOURCE_TOPIC_HEADER, utf8(topic));
        headers.add(SOURCE_PARTITION_HEADER, utf8(Integer.toString(partition)));
        headers.add(SOURCE_OFFSET_HEADER, utf8(Long.toString(offset)));
    }

    /**
     * Says why a record is parked, when it has no place of its own to name (the load monitor's failed analysis of an
     * athlete): {@value Topic#DLQ_REASON_HEADER}, printable, replacing any the record carried.
     */
    public static void reason(Headers headers, String reason) {
        headers.remove(Topic.DLQ_REASON_HEADER);
        // A reason is often an exception's message: keep it printable for the header and the ops tools.
        headers.add(Topic.DLQ_REASON_HEADER, utf8(Objects.toString(reason).replaceAll("\\p{Cntrl}", "?")));
    }

    /** Cuts every header value over {@link #MAX_HEADER_BYTES}, naming it in {@value #HEADER_CUT_HEADER}. */
    static void cutHeaders(Headers headers) {
        List<Header> cut = new ArrayList<>();
        for (Header h : headers) {
            if (h.value() != null && h.value().length > MAX_HEADER_BYTES) {
                cut.add(h);
            }
        }
        for (Header h : cut) {
            headers.remove(h.key());
        }
        for (Header h : cut) {
            headers.add(h.key(), Arrays.copyOf(h.value(), KEPT_HEADER_BYTES));
            headers.add(HEADER_CUT_HEADER, utf8(h.key() + ": " + h.value().length + " bytes, cut to " + KEPT_HEADER_BYTES));
        }
    }

    private static String where(Headers headers) {
        return text(headers, SOURCE_TOPIC_HEADER) + "-" + text(headers, SOURCE_PARTITION_HEADER) + "@"
                + text(headers, SOURCE_OFFSET_HEADER);
    }

    private static String text(Headers headers, String name) {
        return Objects.requireNonNullElse(EventCodec.header(headers, name), "?");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
