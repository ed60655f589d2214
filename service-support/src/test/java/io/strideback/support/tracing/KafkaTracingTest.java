package io.strideback.support.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.strideback.events.EventCodec;
import io.strideback.events.EventType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trace context rides the Kafka headers from the request that wrote an event, through the
 * consumer that read it and the outbox row its handler wrote, to the record the relay sends. The
 * consumer's span is the connector's (quarkus-opentelemetry); here it is made the same way, from
 * the headers, to check what our producers write and what the outbox stores.
 */
class KafkaTracingTest {

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private OpenTelemetrySdk otel;
    private KafkaTracing tracing;

    @BeforeEach
    void sdk() {
        otel = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        tracing = new KafkaTracing(otel);
    }

    @AfterEach
    void close() {
        otel.close();
    }

    @Test
    void a_symptom_post_the_load_monitor_and_its_outbox_share_one_trace() {
        // intake: the request's span, and the PRODUCER span of the symptom record under it.
        Span request = otel.getTracer("test").spanBuilder("POST /symptoms").setSpanKind(SpanKind.SERVER).startSpan();
        ProducerRecord<String, byte[]> symptom = record(EventType.SYMPTOM_REPORTED, "e-1");
        try (Scope ignored = request.makeCurrent()) {
            tracing.startSend(symptom).end();
        }
        request.end();
        assertThat(EventCodec.header(symptom.headers(), KafkaTracing.TRACEPARENT))
                .contains(request.getSpanContext().getTraceId());

        // load monitor: the CONSUMER span is a child of intake's PRODUCER span ...
        Span process = consume(received(symptom));
        String stored;
        try (Scope ignored = process.makeCurrent()) {
            // ... and the outbox row written in its transaction keeps its context.
            stored = KafkaTracing.currentTraceparent();
        }
        process.end();
        assertThat(stored).isEqualTo("00-" + process.getSpanContext().getTraceId() + "-"
                + process.getSpanContext().getSpanId() + "-01");

        // the relay, later, on another thread: the proposal's PRODUCER span continues the trace.
        ProducerRecord<String, byte[]> proposal = record(EventType.PLAN_ADJUSTMENT_PROPOSED, "adj-1");
        tracing.startSend(proposal, KafkaTracing.fromTraceparent(stored)).end();

        // plan-service: its CONSUMER span is in the same trace again.
        consume(received(proposal)).end();

        SpanData send = span("send strideback.athlete-activity.v1");
        SpanData consume = span("process strideback.athlete-activity.v1");
        SpanData relay = span("send strideback.plan-adjustments.v1");
        SpanData plan = span("process strideback.plan-adjustments.v1");
        String trace = request.getSpanContext().getTraceId();
        assertThat(send.getTraceId()).isEqualTo(trace);
        assertThat(send.getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
        assertThat(send.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(consume.getTraceId()).isEqualTo(trace);
        assertThat(consume.getParentSpanId()).isEqualTo(send.getSpanId());
        assertThat(consume.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(relay.getTraceId()).isEqualTo(trace);
        assertThat(relay.getParentSpanId()).isEqualTo(consume.getSpanId());
        assertThat(plan.getTraceId()).isEqualTo(trace);
        assertThat(plan.getParentSpanId()).isEqualTo(relay.getSpanId());
        assertThat(send.getAttributes().asMap().toString())
                .contains("messaging.destination.name=strideback.athlete-activity.v1")
                .contains("messaging.message.id=e-1")
                .contains("cloudevents.event_type=symptom.reported");
    }

    @Test
    void a_resent_record_carries_its_own_context_not_a_stale_one() {
        ProducerRecord<String, byte[]> r = record(EventType.SESSION_LOGGED, "e-2");
        Span first = tracing.startSend(r, Context.root());
        first.end();
        Span second = tracing.startSend(r, Context.root());
        second.end();
        assertThat(r.headers().headers(KafkaTracing.TRACEPARENT)).hasSize(1);
        assertThat(EventCodec.header(r.headers(), KafkaTracing.TRACEPARENT))
                .contains(second.getSpanContext().getSpanId());
    }

    @Test
    void with_tracing_off_an_incoming_context_is_passed_on_unchanged() {
        Span upstream = otel.getTracer("test").spanBuilder("upstream").startSpan();
        ProducerRecord<String, byte[]> in = record(EventType.SYMPTOM_REPORTED, "e-3");
        tracing.startSend(in, Context.root().with(upstream)).end();
        SpanContext sent = span("send strideback.athlete-activity.v1").getSpanContext();

        // With the SDK off, the record sent under that context still carries it on.
        KafkaTracing off = KafkaTracing.noop();
        try (Scope ignored = Context.root().with(Span.wrap(sent)).makeCurrent()) {
            assertThat(KafkaTracing.currentTraceparent()).contains(sent.getTraceId());
            ProducerRecord<String, byte[]> out = record(EventType.FLAREUP_DETECTED, "f-1");
            off.startSend(out).end();
            assertThat(EventCodec.header(out.headers(), KafkaTracing.TRACEPARENT)).contains(sent.getTraceId());
        }
    }

    @Test
    void no_trace_no_traceparent() {
        assertThat(KafkaTracing.currentTraceparent()).isNull();
        assertThat(Span.fromContext(KafkaTracing.fromTraceparent(null)).getSpanContext().isValid()).isFalse();
        assertThat(Span.fromContext(KafkaTracing.fromTraceparent("not-a-traceparent")).getSpanContext().isValid())
                .isFalse();
        ProducerRecord<String, byte[]> r = record(EventType.SESSION_LOGGED, "e-4");
        KafkaTracing.noop().startSend(r).end();
        assertThat(r.headers().lastHeader(KafkaTracing.TRACEPARENT)).isNull();
    }

    private SpanData span(String name) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans.getFinishedSpanItems()));
    }

    private static ProducerRecord<String, byte[]> record(EventType type, String id) {
        return EventCodec.toRecord(id, type, "/test", Instant.parse("2026-04-03T07:30:00Z"), "athlete-1", "clinic-1", 1,
                "{}".getBytes(StandardCharsets.UTF_8));
    }

    /**
     * What the consumer side does (quarkus-opentelemetry's messaging instrumentation in the Kafka
     * connector): a CONSUMER span whose parent is the context the producer wrote into the headers.
     */
    private Span consume(ConsumerRecord<String, byte[]> record) {
        Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), record.headers(),
                new io.opentelemetry.context.propagation.TextMapGetter<org.apache.kafka.common.header.Headers>() {
                    @Override
                    public Iterable<String> keys(org.apache.kafka.common.header.Headers headers) {
                        return java.util.Arrays.stream(headers.toArray()).map(h -> h.key()).toList();
                    }

                    @Override
                    public String get(org.apache.kafka.common.header.Headers headers, String key) {
                        return headers == null ? null : EventCodec.header(headers, key);
                    }
                });
        return otel.getTracer("connector").spanBuilder("process " + record.topic()).setSpanKind(SpanKind.CONSUMER)
                .setParent(parent).startSpan();
    }

    private static ConsumerRecord<String, byte[]> received(ProducerRecord<String, byte[]> sent) {
        RecordHeaders headers = new RecordHeaders(sent.headers().toArray());
        return new ConsumerRecord<>(sent.topic(), 3, 42L, 0L, TimestampType.CREATE_TIME, 0, 0, sent.key(),
                sent.value(), headers, Optional.empty());
    }
}
