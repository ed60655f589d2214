package io.strideback.support.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.strideback.events.EventCodec;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Carries the OpenTelemetry context through Kafka record headers, by hand: our producers and
 * consumers are plain kafka-clients (acks=all producers, {@code EventConsumerLoop}), which no
 * instrumentation wraps. A PRODUCER span is started for every record sent and its context written
 * into the headers (W3C {@code traceparent}/{@code tracestate}); a consumer starts a CONSUMER span
 * whose parent is read back from them. So one symptom's trace runs intake → load monitor → plan.
 *
 * <p>The outbox sends later, from another thread: {@link #currentTraceparent()} is stored with the
 * row in the transaction that wrote it and {@link #fromTraceparent(String)} restores it when the
 * relay sends. Spans carry topic, partition, offset, group and CloudEvents id and type: never an
 * athlete's data.
 *
 * <p>With the SDK disabled (the default where no collector runs) spans do not record, and an
 * incoming context is passed on unchanged.
 */
@Singleton
public class KafkaTracing {

    public static final String TRACEPARENT = "traceparent";
    /** At most this many processed records are linked from a batch span. */
    public static final int MAX_LINKS = 128;
    private static final String SCOPE = "io.strideback.kafka";

    private static final TextMapSetter<Headers> HEADER_SETTER = (headers, key, value) -> {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    };

    private static final TextMapGetter<Headers> HEADER_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            for (Header h : headers) {
                keys.add(h.key());
            }
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            return headers == null ? null : EventCodec.header(headers, key);
        }
    };

    private static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    /**
     * False when tracing is off: spans then only carry the incoming context on, and their attributes
     * (header look-ups, profiled at about 8% of the load monitor's CPU) are not computed at all.
     */
    private final boolean recording;

    @Inject
    public KafkaTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer(SCOPE);
        this.recording = openTelemetry.getTracerProvider() != io.opentelemetry.api.trace.TracerProvider.noop();
        TextMapPropagator configured = openTelemetry.getPropagators().getTextMapPropagator();
        // A no-op SDK has no propagator: still pass the W3C context on, so a trace is not cut here.
        this.propagator = configured.fields().isEmpty() ? W3CTraceContextPropagator.getInstance() : configured;
    }

    /** Tracing that records nothing but still passes an incoming context on. */
    public static KafkaTracing noop() {
        return new KafkaTracing(OpenTelemetry.noop());
    }

    /**
     * Starts the PRODUCER span of a record about to be sent, as a child of {@code parent}, and writes
     * its context into the record's headers. The caller ends the span once the broker acknowledged.
     */
    public Span startSend(ProducerRecord<String, byte[]> record, Context parent) {
        if (!recording) {
            propagator.inject(parent, record.headers(), HEADER_SETTER); // the incoming context, passed on
            return Span.fromContext(parent);
        }
        Span span = tracer.spanBuilder("send " + record.topic())
                .setSpanKind(SpanKind.PRODUCER)
                .setParent(parent)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "send")
                .setAttribute("messaging.destination.name", record.topic())
                .setAttribute("messaging.message.id", nullToEmpty(EventCodec.header(record.headers(), EventCodec.ID)))
                .setAttribute("cloudevents.event_type", nullToEmpty(EventCodec.header(record.headers(), EventCodec.TYPE)))
                .startSpan();
        propagator.inject(parent.with(span), record.headers(), HEADER_SETTER);
        return span;
    }

    /** {@link #startSend(ProducerRecord, Context)} under the current context (a request, a handler). */
    public Span startSend(ProducerRecord<String, byte[]> record) {
        return startSend(record, Context.current());
    }

    /** Starts the CONSUMER span of a received record: a child of the context its producer wrote. */
    public Span startProcess(ConsumerRecord<String, byte[]> record, String consumerGroup) {
        if (!recording) {
            return Span.fromContext(extract(record.headers())); // the producer's context, passed on unchanged
        }
        return tracer.spanBuilder("process " + record.topic())
                .setSpanKind(SpanKind.CONSUMER)
                .setParent(extract(record.headers()))
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "process")
                .setAttribute("messaging.destination.name", record.topic())
                .setAttribute("messaging.destination.partition.id", Integer.toString(record.partition()))
                .setAttribute("messaging.kafka.offset", record.offset())
                .setAttribute("messaging.consumer.group.name", consumerGroup)
                .setAttribute("messaging.message.id", nullToEmpty(EventCodec.header(record.headers(), EventCodec.ID)))
                .setAttribute("cloudevents.event_type", nullToEmpty(EventCodec.header(record.headers(), EventCodec.TYPE)))
                .startSpan();
    }

    /**
     * Starts the span of work a consumer defers to the end of a poll batch: a child of the last
     * record's CONSUMER span, linked to the batch's other records.
     */
    public Span startBatch(String consumer, String consumerGroup, List<SpanContext> processed) {
        SpanBuilder builder = tracer.spanBuilder("process batch " + consumer)
                .setSpanKind(SpanKind.INTERNAL)
                .setAttribute("messaging.consumer.group.name", consumerGroup)
                .setAttribute("messaging.batch.message_count", (long) processed.size());
        if (processed.isEmpty()) {
            builder.setNoParent();
        } else {
            SpanContext last = processed.get(processed.size() - 1);
            builder.setParent(Context.root().with(Span.wrap(last)));
            processed.subList(0, processed.size() - 1).forEach(builder::addLink);
        }
        return builder.startSpan();
    }

    /** The context a producer wrote into these headers (the root context when there is none). */
    public Context extract(Headers headers) {
        return propagator.extract(Context.root(), headers, HEADER_GETTER);
    }

    /**
     * The current span's context as a W3C {@code traceparent}, for an outbox row written in this
     * transaction; null when no valid span is current (tracing off, or no trace came in).
     */
    public static String currentTraceparent() {
        SpanContext current = Span.current().getSpanContext();
        if (!current.isValid()) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>();
        W3CTraceContextPropagator.getInstance().inject(Context.current(), carrier, Map::put);
        return carrier.get(TRACEPARENT);
    }

    /** The context of a stored {@code traceparent}; the root context for null or garbage. */
    public static Context fromTraceparent(String traceparent) {
        if (traceparent == null || traceparent.isBlank()) {
            return Context.root();
        }
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), Map.of(TRACEPARENT, traceparent),
                MAP_GETTER);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
