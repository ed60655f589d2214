package io.strideback.support.outbox;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.strideback.events.EventCodec;
import io.strideback.events.EventType;
import io.strideback.support.kafka.KafkaProducers;
import io.strideback.support.tracing.KafkaTracing;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes committed outbox rows to Kafka in commit order, then marks them published. A crash
 * after sending and before marking sends the rows again with the same {@code ce_id}: consumers
 * deduplicate on it, so the effect stays exactly once.
 *
 * <p>Each record is sent in a PRODUCER span whose parent is the trace context stored with its row
 * (the transaction that wrote it), so the trace goes on across the outbox.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int BATCH = 500;
    /**
     * One relay publishes at a time per database, whatever the number of replicas: two relays
     * sending different batches at once could reorder one athlete's events (a transaction-scoped
     * PostgreSQL advisory lock, released at commit or rollback, even if the replica dies).
     */
    private static final long PUBLISHER_LOCK = 0x5374726964654f42L;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MeterRegistry metrics;

    @Inject
    KafkaTracing tracing;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "strideback.outbox.poll-ms", defaultValue = "50")
    long pollMs;

    @ConfigProperty(name = "quarkus.application.name")
    String applicationName;

    /** Off for a read-only replica (the bench's replay), which must not announce anything again. */
    @ConfigProperty(name = "strideback.outbox.enabled", defaultValue = "true")
    boolean enabled;

    private final Semaphore wakeUp = new Semaphore(0);
    private final AtomicLong pending = new AtomicLong();
    private volatile boolean running;
    private volatile Instant lastPublished;
    private Thread thread;
    private KafkaProducer<String, byte[]> producer;

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        producer = KafkaProducers.durable(bootstrapServers, applicationName + "-outbox", 10_000, 30_000);
        metrics.gauge("strideback.outbox.pending", pending);
        running = true;
        thread = new Thread(this::loop, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        wakeUp.release();
        try {
            if (thread != null) {
                thread.join(5_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
        }
    }

    /** Call after a commit that wrote outbox rows: publishes now instead of at the next poll. */
    public void wake() {
        wakeUp.release();
    }

    public Instant lastPublished() {
        return lastPublished;
    }

    public long pending() {
        return pending.get();
    }

    private void loop() {
        long backoffMs = 100;
        while (running) {
            try {
                int published = publishBatch();
                backoffMs = 100;
                if (published < BATCH) {
                    wakeUp.tryAcquire(pollMs, TimeUnit.MILLISECONDS);
                    wakeUp.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.warnf("outbox relay could not publish (%s); retrying in %d ms", e.getMessage(), backoffMs);
                sleep(backoffMs);
                backoffMs = Math.min(5_000, backoffMs * 2);
            }
        }
    }

    private int publishBatch() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
                lock.setLong(1, PUBLISHER_LOCK);
                try (ResultSet rs = lock.executeQuery()) {
                    if (!rs.next() || !rs.getBoolean(1)) {
                        c.rollback();
                        return 0; // another replica's relay is publishing
                    }
                }
            }
            List<Long> ids = new ArrayList<>();
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            List<String> types = new ArrayList<>();
            List<Span> spans = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT id, event_id, ce_type, ce_source, ce_time, ce_subject, ce_clinic, schema_version, payload,
                           traceparent
                    FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED""")) {
                ps.setInt(1, BATCH);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        EventType type = EventType.fromCeType(rs.getString(3)).orElseThrow();
                        ProducerRecord<String, byte[]> record = EventCodec.toRecord(rs.getString(2), type,
                                rs.getString(4), rs.getTimestamp(5).toInstant(), rs.getString(6), rs.getString(7),
                                rs.getInt(8), rs.getBytes(9));
                        spans.add(tracing.startSend(record, KafkaTracing.fromTraceparent(rs.getString(10))));
                        ids.add(rs.getLong(1));
                        types.add(type.ceType());
                        acks.add(producer.send(record));
                    }
                }
            } catch (Exception e) {
                endAll(spans, e);
                throw e;
            }
            if (ids.isEmpty()) {
                c.rollback();
                pending.set(countPending(c));
                return 0;
            }
            int acknowledged = 0;
            try {
                for (; acknowledged < acks.size(); acknowledged++) {
                    acks.get(acknowledged).get(30, TimeUnit.SECONDS);
                    spans.get(acknowledged).end();
                }
            } catch (Exception e) {
                endAll(spans.subList(acknowledged, spans.size()), e);
                throw e;
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET published_at = now() WHERE id = ANY(?)")) {
                Array array = c.createArrayOf("bigint", ids.toArray());
                ps.setArray(1, array);
                ps.executeUpdate();
            }
            c.commit();
            types.forEach(t -> metrics.counter("strideback.events.out", "type", t).increment());
            lastPublished = Instant.now();
            return ids.size();
        }
    }

    private static void endAll(List<Span> spans, Exception failure) {
        for (Span span : spans) {
            span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
            span.end();
        }
    }

    private long countPending(Connection c) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM outbox WHERE published_at IS NULL");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
