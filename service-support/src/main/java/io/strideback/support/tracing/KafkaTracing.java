package io.strideback.support.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
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
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The producer half of tracing through Kafka, for the two producers that are plain kafka-clients
 * (intake's acks=all publisher and the outbox relay): a PRODUCER span for every record sent, its
 * context written into the headers (W3C {@code traceparent}/{@code tracestate}). The consumers are
 * SmallRye Reactive Messaging channels: quarkus-opentelemetry's messaging instrumentation starts
 * their CONSUMER spans from these headers. So one symptom's trace runs intake → load monitor → plan.
 *
 * <p>The outbox sends later, from another thread: {@link #currentTraceparent()} is stored with the
 * row in the transaction that wrote it and {@link #fromTraceparent(String)} restores it when the
 * relay sends. Spans carry topic and CloudEvents id and type: never an athlete's data.
 *
 * <p>With the SDK disabled (the default where no collector runs) spans do not record, and an
 * incoming context is passed on unchanged.
 */
@Singleton
public class KafkaTracing {

    public static final String TRACEPARENT = "traceparent";
    private static final String SCOPE = "io.strideback.kafka";

    private static final TextMapSetter<Headers> HEADER_SETTER = (headers, key, value) -> {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
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

    /**
     * {@code quarkus.otel.sdk.disabled=true} still hands out an SDK (no exporter), not the no-op
     * provider: issue 15's profile of intake found every record's span built, ids drawn and ended
     * for nobody on its one batcher thread. So the setting decides, not the provider's class.
     */
    @Inject
    public KafkaTracing(OpenTelemetry openTelemetry,
                        @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.otel.sdk.disabled",
                                defaultValue = "false") boolean sdkDisabled) {
        this(!sdkDisabled && openTelemetry.getTracerProvider() != io.opentelemetry.api.trace.TracerProvider.noop(),
                openTelemetry);
    }

    public KafkaTracing(OpenTelemetry openTelemetry) {
        this(openTelemetry.getTracerProvider() != io.opentelemetry.api.trace.TracerProvider.noop(), openTelemetry);
    }

    private KafkaTracing(boolean recording, OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer(SCOPE);
        this.recording = recording;
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
