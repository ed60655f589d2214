package io.strideback.loadmonitor.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.UnreadableEventException;
import io.strideback.loadmonitor.service.FindingsTransaction;
import io.strideback.loadmonitor.service.FindingsTransaction.AnalysisRound;
import io.strideback.loadmonitor.service.FindingsTransaction.Arrived;
import io.strideback.support.messaging.Attempt;
import io.strideback.support.messaging.ConsumerChannel;
import io.strideback.support.messaging.ConsumerChannels;
import io.strideback.support.outbox.OutboxRelay;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads {@code strideback.athlete-activity.v1} (channel {@value #CHANNEL}, batch consumption) into
 * {@link FindingsTransaction}: a poll batch is stored in one transaction, then each athlete it
 * touched is analysed once, then the batch is acknowledged (profiled: one commit per event bounded
 * a replay at the disk's fsync rate, and one analysis per event repeated the same work hundreds of
 * times for one athlete). A crash before the acknowledgement redelivers the batch; stored ids are
 * skipped.
 *
 * <p>Poison-proof (issue 12): a batch the database refuses is stored again record by record, so
 * one refused record is parked on the DLQ with its reason and the other 499 are stored; an
 * athlete whose analysis fails for good is recorded and the others are analysed; a transient
 * failure is retried from the same batch, never acknowledged past.
 */
@ApplicationScoped
public class ActivityConsumer {

    public static final String CHANNEL = "activity";
    /** A poll this full means the consumer is catching up (a replay, a backlog), not following live. */
    static final int CATCHING_UP = 400;

    /** While catching up, how long findings may lag the stored events. */
    @ConfigProperty(name = "strideback.load-monitor.catch-up-analysis-every", defaultValue = "PT2S")
    Duration catchUpAnalysisEvery;
    @Inject
    FindingsTransaction findings;
    @Inject
    OutboxRelay relay;
    @Inject
    ConsumerChannels channels;
    @Inject
    MeterRegistry metrics;

    /** Storing and analysing never run at once: the timelines held in heap are not thread-safe. */
    private final Object lock = new Object();
    private ScheduledExecutorService idleAnalysis;
    // Guarded by lock.
    /** Marks may be left from before a restart: analyse them as soon as the service runs. */
    private boolean analysisPending = true;
    private long lastAnalysis;
    private long lastBatch;
    private long rebalancesSeen;

    void start(@Observes StartupEvent e) {
        // Work deferred while catching up (and marks left from before a restart) is done once the
        // channel is idle: the connector calls us only when records arrive.
        idleAnalysis = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "load-monitor-idle-analysis");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(200, catchUpAnalysisEvery.toMillis() / 2);
        idleAnalysis.scheduleWithFixedDelay(this::analyseWhenIdle, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent e) {
        if (idleAnalysis != null) {
            idleAnalysis.shutdownNow();
        }
    }

    /**
     * Runs on a worker thread, one batch at a time (ordered); acknowledges the batch itself, so the
     * returned stage is always complete: nothing here is nacked as a whole.
     */
    @Incoming(CHANNEL)
    @Blocking(ordered = true)
    public CompletionStage<Void> onBatch(KafkaRecordBatch<String, byte[]> batch) {
        consume(batch);
        return CompletableFuture.completedFuture(null);
    }

    private void consume(KafkaRecordBatch<String, byte[]> batch) {
        ConsumerChannel channel = channels.channel(CHANNEL);
        synchronized (lock) {
            if (channels.stopping()) {
                return; // not acknowledged: read again after the restart
            }
            lastBatch = System.nanoTime();
            if (channel.rebalances() != rebalancesSeen) {
                // Partitions moved: another instance may have stored events for athletes held here.
                rebalancesSeen = channel.rebalances();
                findings.forgetHeldTimelines();
            }
            List<Delivered> readable = new ArrayList<>();
            for (KafkaRecord<String, byte[]> record : batch) {
                try {
                    EventEnvelope<?> event = EventCodec.fromParts(record.getHeaders(), record.getPayload());
                    readable.add(new Delivered(record, new Arrived(event, dataJson(event, record.getPayload(),
                            EventCodec.header(record.getHeaders(), EventCodec.SCHEMA_VERSION)))));
                } catch (UnreadableEventException unreadable) {
                    if (!channels.park(channel, record, unreadable.getMessage())) {
                        return;
                    }
                }
            }
            if (!store(channel, readable)) {
                return;
            }
            analysisPending = true;
            // Catching up (a replay, a backlog after an outage), analyse every few seconds rather than
            // after every poll: each athlete once for many of their events, not once per 500 records.
            // The marks are in the database, so nothing is lost if the service stops meanwhile.
            boolean catchingUp = batch.getRecords().size() >= CATCHING_UP;
            if (!catchingUp || System.nanoTime() - lastAnalysis >= catchUpAnalysisEvery.toNanos()) {
                // The deferred analysis (the outbox rows it writes) continues the trace of the batch's last record.
                Context trace = batch.getRecords().isEmpty() ? Context.current()
                        : ConsumerChannels.traceOf(batch.getRecords().get(batch.getRecords().size() - 1));
                try (Scope ignored = trace.makeCurrent()) {
                    if (!analyse(channel)) {
                        return;
                    }
                }
            }
            channels.ack(channel, batch);
        }
    }

    /** A record of the batch and what it carries. */
    private record Delivered(KafkaRecord<String, byte[]> record, Arrived arrived) {
    }

    /**
     * Stores the batch in one transaction; if the database refuses it, record by record, parking
     * the refused ones. False when the service is stopping (nothing acknowledged).
     */
    private boolean store(ConsumerChannel channel, List<Delivered> readable) {
        if (readable.isEmpty()) {
            return true;
        }
        long start = System.nanoTime();
        Attempt<List<EventEnvelope<?>>> whole = channels.attempt(channel, "store " + readable.size() + " events",
                () -> findings.remember(readable.stream().map(Delivered::arrived).toList()));
        if (whole.stopped()) {
            return false;
        }
        List<Delivered> stored = readable;
        if (whole.applied()) {
            findings.hold(whole.value());
        } else {
            stored = new ArrayList<>();
            // One refused record must not hold the others (issue 12): store each on its own.
            for (Delivered one : readable) {
                Attempt<List<EventEnvelope<?>>> single = channels.attempt(channel,
                        "store " + one.arrived().event().id(), () -> findings.remember(List.of(one.arrived())));
                if (single.stopped()) {
                    return false;
                }
                if (single.applied()) {
                    findings.hold(single.value());
                    stored.add(one);
                } else if (!channels.park(channel, one.record(), one.arrived().event().type().ceType() + " "
                        + one.arrived().event().id() + " refused: " + single.reason())) {
                    return false;
                }
            }
        }
        long nanos = System.nanoTime() - start;
        metrics.timer("strideback.activity.batch", "step", "store").record(nanos, TimeUnit.NANOSECONDS);
        for (Delivered d : stored) {
            channels.applied(channel, d.arrived().event(), nanos / readable.size());
        }
        return true;
    }

    /** Analyses every marked athlete; false when the service is stopping. */
    private boolean analyse(ConsumerChannel channel) {
        long start = System.nanoTime();
        lastAnalysis = start;
        Attempt<AnalysisRound> round = channels.attempt(channel, "analysis", findings::analyseTouchedAthletes);
        if (round.stopped()) {
            return false;
        }
        if (round.applied()) {
            round.value().failed().forEach(f -> channels.stepFailed(channel, "analysis",
                    "athlete " + f.clinicId() + "/" + f.athleteId() + ": " + f.reason()));
            if (round.value().announced() > 0) {
                relay.wake();
            }
        } else {
            // Not one athlete's failure (those are recorded in the round): say so, and try again later.
            channels.stepFailed(channel, "analysis", "analysis round: " + round.reason());
            return true;
        }
        analysisPending = false;
        metrics.timer("strideback.activity.batch", "step", "analyse").record(System.nanoTime() - start,
                TimeUnit.NANOSECONDS);
        return true;
    }

    private void analyseWhenIdle() {
        try {
            synchronized (lock) {
                long idleFor = System.nanoTime() - lastBatch;
                if (analysisPending && !channels.stopping() && idleFor >= catchUpAnalysisEvery.toNanos() / 2) {
                    analyse(channels.channel(CHANNEL));
                }
            }
        } catch (RuntimeException e) {
            // The next tick tries again; the marks are in the database.
            org.jboss.logging.Logger.getLogger(ActivityConsumer.class).warnf("idle analysis failed (%s)", e.getMessage());
        }
    }

    /** The data's JSON to store: the record's own bytes, unless an older schema version was upcast. */
    private static String dataJson(EventEnvelope<?> event, byte[] value, String schemaVersion) {
        if (Integer.toString(EventType.CURRENT_SCHEMA_VERSION).equals(schemaVersion)) {
            return new String(value, StandardCharsets.UTF_8);
        }
        return new String(EventCodec.writeData(event.data()), StandardCharsets.UTF_8);
    }
}
