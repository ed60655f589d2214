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
import io.strideback.support.messaging.Failures;
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
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes committed outbox rows to Kafka in transaction order (never overtaking a row still in
 * flight, {@link #RELAYABLE}), then marks them published. A crash
 * after sending and before marking sends the rows again with the same {@code ce_id}: consumers
 * deduplicate on it, so the effect stays exactly once. A row that can never be published (larger
 * than the producer's {@code max.request.size}, unserialisable) is parked in
 * {@code outbox_dead_letter} with the reason and the rows after it go on (issue 12); a transient
 * failure (broker down) is retried from that row.
 *
 * <p>Hand-written rather than a SmallRye {@code @Outgoing} channel on purpose: it publishes only
 * committed rows, in transaction order, one relay per database at a time (an advisory lock), each with
 * the trace context of the transaction that wrote it, and marks a row only once the broker
 * acknowledged it (docs/architecture.md "Outbox").
 *
 * <p>Each record is sent in a PRODUCER span whose parent is the trace context stored with its row
 * (the transaction that wrote it), so the trace goes on across the outbox.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int BATCH = 500;
    /** How often an idle or blocked relay counts the rows waiting and parked (for the gauges and the ops status). */
    private static final long COUNT_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
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

    /**
     * How soon the relay looks again when rows are waiting but none may go yet (an older transaction of the
     * cluster is still in flight, {@link #RELAYABLE}): it doubles up to {@code poll-ms} while they stay blocked.
     * Issue 15: a row woken for and blocked by a moment's in-flight transaction otherwise waited a whole poll.
     */
    @ConfigProperty(name = "strideback.outbox.blocked-poll-ms", defaultValue = "2")
    long blockedPollMs;

    @ConfigProperty(name = "quarkus.application.name")
    String applicationName;

    /** Off for a read-only replica (the bench's replay), which must not announce anything again. */
    @ConfigProperty(name = "strideback.outbox.enabled", defaultValue = "true")
    boolean enabled;

    private final Semaphore wakeUp = new Semaphore(0);
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private volatile String lastDeadLetter;
    private volatile boolean running;
    /** The last round found rows to publish, none of them relayable yet. */
    private volatile boolean blocked;
    private volatile Instant lastPublished;
    /** When {@link #refreshCounts} last ran (System.nanoTime); the relay thread's own. */
    private long countedAt = System.nanoTime() - COUNT_EVERY_NANOS;
    private Thread thread;
    private KafkaProducer<String, byte[]> producer;

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        producer = KafkaProducers.durable(bootstrapServers, applicationName + "-outbox", 10_000, 30_000);
        metrics.gauge("strideback.outbox.pending", pending);
        io.micrometer.core.instrument.Gauge.builder("strideback.outbox.dead.letters", deadLetters, AtomicLong::get)
                .description("outbox rows that could not be published, parked in outbox_dead_letter")
                .register(metrics);
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

    /** Rows parked in {@code outbox_dead_letter} because they can never be published. */
    public long deadLetters() {
        return deadLetters.get();
    }

    /** The last parked row: "event id, type: reason" (null when none). */
    public String lastDeadLetter() {
        return lastDeadLetter;
    }

    private void loop() {
        long backoffMs = 100;
        long blockedWaitMs = blockedPollMs;
        while (running) {
            try {
                int published = publishBatch();
                backoffMs = 100;
                if (published < BATCH) {
                    long waitMs = pollMs;
                    if (blocked && published == 0) {
                        waitMs = Math.min(pollMs, blockedWaitMs);
                        blockedWaitMs = Math.min(pollMs, blockedWaitMs * 2);
                    } else {
                        blockedWaitMs = blockedPollMs;
                    }
                    wakeUp.tryAcquire(waitMs, TimeUnit.MILLISECONDS);
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

    /** One outbox row on its way: its id, type and the broker's answer (or why it never got one). */
    private record Sending(long id, String eventId, String type, Future<RecordMetadata> ack, Span span,
                           Exception unsendable) {
    }

    private int publishBatch() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            // Issue 15: most rounds find nothing to send (no row waiting, or the first one behind a transaction still
            // in flight); one statement outside a transaction says so, where a round took six in one.
            Boolean first = firstRowRelayable(c);
            if (first == null || !first) {
                blocked = first != null;
                if (first == null) {
                    pending.set(0);
                }
                refreshCountsNowAndThen(c);
                return 0;
            }
            c.setAutoCommit(false);
            String settled;
            try (PreparedStatement lock = c.prepareStatement(
                    "SELECT pg_try_advisory_xact_lock(?), pg_snapshot_xmin(pg_current_snapshot())::text")) {
                // The oldest transaction in flight is read with the lock, before this round's transaction has an
                // id of its own (neither gives it one).
                lock.setLong(1, PUBLISHER_LOCK);
                try (ResultSet rs = lock.executeQuery()) {
                    if (!rs.next() || !rs.getBoolean(1)) {
                        c.rollback();
                        blocked = false;
                        return 0; // another replica's relay is publishing
                    }
                    settled = rs.getString(2);
                }
            }
            List<Sending> sending = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(RELAYABLE)) {
                ps.setString(1, settled);
                ps.setInt(2, BATCH);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sending.add(send(rs));
                    }
                }
            } catch (Exception e) {
                endAll(sending.stream().map(Sending::span).toList(), e);
                throw e;
            }
            if (sending.isEmpty()) {
                // Another replica's relay took them between the look and the lock.
                c.rollback();
                refreshCounts(c);
                blocked = pending.get() > 0;
                return 0;
            }
            blocked = false;
            // In order: acknowledged rows are marked, a row the broker or the producer refuses for good
            // (larger than max.request.size, unserialisable) is parked with its reason, and the first
            // transient failure ends the round: that row and the rest are sent again next round.
            List<Long> published = new ArrayList<>();
            List<String> publishedTypes = new ArrayList<>();
            int parked = 0;
            Exception transientFailure = null;
            for (Sending s : sending) {
                if (transientFailure != null) {
                    s.span().setStatus(StatusCode.ERROR, "not acknowledged: resent next round");
                    s.span().end();
                    continue;
                }
                try {
                    if (s.unsendable() != null) {
                        throw s.unsendable();
                    }
                    s.ack().get(30, TimeUnit.SECONDS);
                    s.span().end();
                    published.add(s.id());
                    publishedTypes.add(s.type());
                } catch (Exception e) {
                    Throwable failure = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
                            ? e.getCause() : e;
                    s.span().setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
                    s.span().end();
                    if (Failures.isTransient(failure)) {
                        transientFailure = e;
                    } else {
                        park(c, s, Failures.reason(failure));
                        parked++;
                    }
                }
            }
            if (!published.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET published_at = now() WHERE id = ANY(?)")) {
                    Array array = c.createArrayOf("bigint", published.toArray());
                    ps.setArray(1, array);
                    ps.executeUpdate();
                }
            }
            c.commit();
            publishedTypes.forEach(t -> metrics.counter("strideback.events.out", "type", t).increment());
            if (!published.isEmpty()) {
                lastPublished = Instant.now();
            }
            if (parked > 0) {
                refreshCounts(c);
            }
            if (transientFailure != null) {
                throw transientFailure;
            }
            return published.size() + parked;
        }
    }

    /**
     * The rows the relay may publish now, in the order it publishes them. A bigserial id is taken at
     * insert, not at commit: with two writers (two replicas) a transaction that inserted id 5 can
     * commit after one that inserted id 6 was relayed. So a row goes only once every transaction
     * older than its own has ended ({@code xact_id} below the xmin of a snapshot taken before this
     * query; in READ COMMITTED this query's newer snapshot sees all of them), in (transaction, id)
     * order: what is published is always a prefix of that order, and a row still in flight can never
     * be overtaken by a younger one. A writer that serialises per athlete before its first write (plan's
     * advisory lock) thereby also gets its athlete's events out in commit order (issue 14).
     */
    static final String RELAYABLE = """
            SELECT id, event_id, ce_type, ce_source, ce_time, ce_subject, ce_clinic, schema_version, payload,
                   traceparent
            FROM outbox WHERE published_at IS NULL AND xact_id < ?::xid8
            ORDER BY xact_id, id LIMIT ? FOR UPDATE SKIP LOCKED""";

    /**
     * Whether the first row in publishing order may go now ({@link #RELAYABLE}'s test), on the index of waiting rows;
     * null when no row waits. Autocommit: it takes no lock and leaves no transaction open.
     */
    static Boolean firstRowRelayable(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT xact_id < pg_snapshot_xmin(pg_current_snapshot()) FROM outbox WHERE published_at IS NULL
                ORDER BY xact_id, id LIMIT 1""");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getBoolean(1) : null;
        }
    }

    /** Builds and sends one row's record; a row that cannot even be built is unsendable, not fatal. */
    private Sending send(ResultSet rs) throws SQLException {
        long id = rs.getLong(1);
        String eventId = rs.getString(2);
        String ceType = rs.getString(3);
        try {
            EventType type = EventType.fromCeType(ceType)
                    .orElseThrow(() -> new IllegalArgumentException("unknown ce_type '" + ceType + "'"));
            ProducerRecord<String, byte[]> record = EventCodec.toRecord(eventId, type, rs.getString(4),
                    rs.getTimestamp(5).toInstant(), rs.getString(6), rs.getString(7), rs.getInt(8), rs.getBytes(9));
            Span span = tracing.startSend(record, KafkaTracing.fromTraceparent(rs.getString(10)));
            Future<RecordMetadata> ack;
            try {
                ack = producer.send(record);
            } catch (RuntimeException e) {
                ack = java.util.concurrent.CompletableFuture.failedFuture(e);
            }
            return new Sending(id, eventId, ceType, ack, span, null);
        } catch (RuntimeException e) {
            return new Sending(id, eventId, ceType, null, Span.getInvalid(), e);
        }
    }

    /**
     * Moves a row the relay can never publish to {@code outbox_dead_letter} with the reason, in the
     * round's transaction: the rows after it are published in order, and an operator sees it in
     * {@code /api/v1/ops/status} and {@code strideback_outbox_dead_letters}.
     */
    private void park(Connection c, Sending s, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO outbox_dead_letter (outbox_id, event_id, ce_type, ce_source, ce_time, ce_subject, ce_clinic,
                                                schema_version, payload, traceparent, created_at, reason)
                SELECT id, event_id, ce_type, ce_source, ce_time, ce_subject, ce_clinic, schema_version, payload,
                       traceparent, created_at, ? FROM outbox WHERE id = ?""");
             PreparedStatement delete = c.prepareStatement("DELETE FROM outbox WHERE id = ?")) {
            ps.setString(1, reason);
            ps.setLong(2, s.id());
            ps.executeUpdate();
            delete.setLong(1, s.id());
            delete.executeUpdate();
        }
        metrics.counter("strideback.outbox.parked", "type", s.type()).increment();
        LOG.errorf("outbox row %d (%s %s) cannot be published (%s): parked in outbox_dead_letter; the rows after it go on",
                s.id(), s.type(), s.eventId(), reason);
    }

    private static void endAll(List<Span> spans, Exception failure) {
        for (Span span : spans) {
            span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
            span.end();
        }
    }

    /**
     * {@link #refreshCounts} at most once a second when nothing was sent: the counts are for the gauges and the ops
     * status, and counting them every empty round was most of an idle relay's statements.
     */
    private void refreshCountsNowAndThen(Connection c) throws SQLException {
        long now = System.nanoTime();
        if (now - countedAt >= COUNT_EVERY_NANOS) {
            refreshCounts(c);
        }
    }

    /** The rows still to publish and the rows parked, for the gauges and the ops status. */
    private void refreshCounts(Connection c) throws SQLException {
        countedAt = System.nanoTime();
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM outbox WHERE published_at IS NULL");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            pending.set(rs.getLong(1));
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT (SELECT count(*) FROM outbox_dead_letter),
                       (SELECT event_id || ' ' || ce_type || ': ' || reason FROM outbox_dead_letter
                        ORDER BY parked_at DESC, id DESC LIMIT 1)""");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            deadLetters.set(rs.getLong(1));
            lastDeadLetter = rs.getString(2);
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
