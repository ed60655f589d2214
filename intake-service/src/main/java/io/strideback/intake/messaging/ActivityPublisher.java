package io.strideback.intake.messaging;


import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.support.kafka.KafkaProducers;
import io.strideback.support.tracing.KafkaTracing;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Writes athlete activity to Kafka and waits for the broker's acknowledgement (acks=all): intake
 * answers 202 only for events that are durably on the topic. A send that is not acknowledged within
 * the bound counts as failed and the caller answers 503. Each record is sent in a PRODUCER span under
 * the request's trace, whose context travels in the record's headers to every reader.
 */
@ApplicationScoped
public class ActivityPublisher {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    /** How long a request may wait for the broker before it gets 503 + Retry-After. */
    @ConfigProperty(name = "strideback.intake.publish-timeout", defaultValue = "PT5S")
    Duration publishTimeout;

    @Inject
    MeterRegistry metrics;

    @Inject
    KafkaTracing tracing;

    private KafkaProducer<String, byte[]> producer;
    private Timer publishLatency;
    /** {@code strideback.events.out} by type, looked up once (the registry's look-up builds and sorts tags per call). */
    private final java.util.Map<io.strideback.events.EventType, io.micrometer.core.instrument.Counter> out =
            new java.util.concurrent.ConcurrentHashMap<>();

    void start(@Observes StartupEvent e) {
        int bound = (int) publishTimeout.toMillis();
        producer = KafkaProducers.durable(bootstrapServers, "intake-service", bound, Math.max(bound, 2000));
        publishLatency = Timer.builder("strideback.intake.publish.latency")
                .description("time from send to the broker's acks=all acknowledgement")
                .publishPercentiles(0.5, 0.99).register(metrics);
    }

    void stop(@Observes ShutdownEvent e) {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /**
     * Sends one event without waiting: {@code onResult} gets true once the broker acknowledged it
     * (acks=all), false when it could not be sent or was not acknowledged within the delivery
     * timeout ({@code strideback.intake.publish-timeout}). It runs on the producer's I/O thread (or on
     * the caller's, when the send fails at once), so it must only hand the answer over.
     */
    public void send(EventEnvelope<?> event, java.util.function.Consumer<Boolean> onResult) {
        long start = System.nanoTime();
        Span span = null;
        try {
            ProducerRecord<String, byte[]> record = EventCodec.toRecord(event);
            span = tracing.startSend(record);
            Span sent = span;
            producer.send(record, (metadata, error) -> {
                boolean durable = error == null;
                if (durable) {
                    published(event.type());
                }
                if (sent != null) {
                    if (!durable) {
                        sent.setStatus(StatusCode.ERROR, "not acknowledged in time");
                    }
                    sent.end();
                }
                publishLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                onResult.accept(durable);
            });
        } catch (RuntimeException notSent) {
            if (span != null) {
                span.setStatus(StatusCode.ERROR, "not sent");
                span.end();
            }
            onResult.accept(false);
        }
    }

    /** Sends all, then waits for each; result i says whether event i is durably on its topic. */
    public List<Boolean> publish(List<EventEnvelope<?>> events) {
        long start = System.nanoTime();
        long deadline = start + publishTimeout.toNanos();
        List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
        List<Span> spans = new ArrayList<>(events.size());
        for (EventEnvelope<?> event : events) {
            Span span = null;
            try {
                ProducerRecord<String, byte[]> record = EventCodec.toRecord(event);
                span = tracing.startSend(record);
                acks.add(producer.send(record));
            } catch (RuntimeException notSent) {
                acks.add(null);
            }
            spans.add(span);
        }
        List<Boolean> results = new ArrayList<>(events.size());
        for (int i = 0; i < acks.size(); i++) {
            boolean durable = acks.get(i) != null && acknowledged(acks.get(i), deadline);
            results.add(durable);
            if (durable) {
                published(events.get(i).type());
            }
            Span span = spans.get(i);
            if (span != null) {
                if (!durable) {
                    span.setStatus(StatusCode.ERROR, "not acknowledged in time");
                }
                span.end();
            }
        }
        publishLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return results;
    }

    private void published(io.strideback.events.EventType type) {
        out.computeIfAbsent(type, t -> metrics.counter("strideback.events.out", "type", t.ceType())).increment();
    }

    private static boolean acknowledged(Future<RecordMetadata> ack, long deadlineNanos) {
        try {
            ack.get(Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }
}
