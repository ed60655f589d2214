package io.strideback.support.ops;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.strideback.events.ActivityEvents.SymptomReported;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.Topic;
import io.strideback.events.vocabulary.PainLocation;
import io.strideback.events.vocabulary.Side;
import io.strideback.events.vocabulary.SymptomContext;
import io.strideback.support.kafka.ConsumerLoops;
import io.strideback.support.kafka.EventConsumerLoop;
import io.strideback.support.kafka.KafkaProducers;
import io.strideback.support.tracing.KafkaTracing;
import io.strideback.testing.LocalKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The consumer loop on a real KRaft broker: the handler runs inside a CONSUMER span continuing the
 * producer's trace (so an outbox row written there continues it too), the loop reports its
 * partitions, lag and last event for the ops endpoint, and the health check goes DOWN when the
 * loop's thread is gone.
 */
class ConsumerLoopOnARealBrokerTest {

    private static LocalKafka kafka;
    private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    private static OpenTelemetrySdk otel;

    @BeforeAll
    static void start() {
        kafka = LocalKafka.start(0, null);
        otel = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(SPANS)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
    }

    @AfterAll
    static void stop() {
        otel.close();
        kafka.close();
    }

    @Test
    void the_handler_runs_in_the_producers_trace_and_the_loop_reports_what_ops_needs() throws Exception {
        KafkaTracing tracing = new KafkaTracing(otel);
        BlockingQueue<SpanContext> handled = new LinkedBlockingQueue<>();
        BlockingQueue<String> outboxContext = new LinkedBlockingQueue<>();
        BlockingQueue<String> batchEndContext = new LinkedBlockingQueue<>();
        ConsumerLoops loops = new ConsumerLoops();
        ConsumerLoopsHealthCheck health = new ConsumerLoopsHealthCheck();
        health.loops = loops;
        String group = "test-" + UUID.randomUUID();
        EventConsumerLoop loop = loops.register(new EventConsumerLoop("activity", kafka.bootstrapServers(), group,
                List.of(Topic.ATHLETE_ACTIVITY), (event, record) -> {
            handled.add(Span.current().getSpanContext());
            String traceparent = KafkaTracing.currentTraceparent();
            outboxContext.add(traceparent == null ? "none" : traceparent);
        }, new SimpleMeterRegistry(), tracing)).onBatchEnd(() -> {
            // Work deferred to the end of the poll batch (the load monitor's analysis) writes its
            // outbox rows here: they must continue the trace too. (It also runs after empty polls,
            // with no record and so no context: those are not what this test is about.)
            String traceparent = KafkaTracing.currentTraceparent();
            if (traceparent != null) {
                batchEndContext.add(traceparent);
            }
        }).start();

        Instant observedAt = Instant.parse("2026-04-03T21:00:00Z");
        EventEnvelope<SymptomReported> symptom = EventEnvelope.of(EventType.SYMPTOM_REPORTED, "/test", observedAt,
                "clinic-1", "athlete-1", new SymptomReported("athlete-1", "clinic-1", observedAt, 6, Side.LEFT,
                        PainLocation.MID_CALF, List.of(), SymptomContext.NIGHT, List.of(), null));
        Span request = otel.getTracer("test").spanBuilder("POST symptoms").setSpanKind(SpanKind.SERVER).startSpan();
        ProducerRecord<String, byte[]> record = EventCodec.toRecord(symptom);
        Span send = tracing.startSend(record, Context.root().with(request));
        try (KafkaProducer<String, byte[]> producer = KafkaProducers.durable(kafka.bootstrapServers(), "test", 10_000,
                30_000)) {
            producer.send(record).get(30, TimeUnit.SECONDS);
        }
        send.end();
        request.end();

        SpanContext inHandler = handled.poll(60, TimeUnit.SECONDS);
        assertThat(inHandler).as("the loop handled the symptom").isNotNull();
        String trace = request.getSpanContext().getTraceId();
        assertThat(inHandler.getTraceId()).isEqualTo(trace);
        assertThat(outboxContext.poll(1, TimeUnit.SECONDS)).contains(trace).contains(inHandler.getSpanId());
        assertThat(batchEndContext.poll(10, TimeUnit.SECONDS)).contains(trace);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(SPANS.getFinishedSpanItems())
                .anyMatch(s -> s.getKind() == SpanKind.CONSUMER));
        SpanData consumer = SPANS.getFinishedSpanItems().stream().filter(s -> s.getKind() == SpanKind.CONSUMER)
                .findFirst().orElseThrow();
        assertThat(consumer.getParentSpanId()).isEqualTo(send.getSpanContext().getSpanId());
        assertThat(consumer.getSpanId()).isEqualTo(inHandler.getSpanId());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(SPANS.getFinishedSpanItems())
                .anyMatch(s -> s.getName().equals("process batch activity")));
        SpanData batch = SPANS.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("process batch activity")).findFirst().orElseThrow();
        assertThat(batch.getTraceId()).isEqualTo(trace);
        assertThat(batch.getParentSpanId()).isEqualTo(consumer.getSpanId());

        // What GET /api/v1/ops/status shows of this loop.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(loop.lagByPartition())
                .hasSize(LocalKafka.LOCAL_PARTITIONS)
                .allSatisfy((partition, lag) -> assertThat(lag).isZero()));
        assertThat(loop.lastEventTime()).contains(observedAt);
        assertThat(loop.lastProcessedAt()).isPresent();
        assertThat(loop.groupId()).isEqualTo(group);
        assertThat(health.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);

        loop.close();
        HealthCheckResponse afterwards = health.call();
        assertThat(afterwards.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(afterwards.getData()).isPresent();
        assertThat(afterwards.getData().get()).containsEntry("activity", "stopped");
    }
}
