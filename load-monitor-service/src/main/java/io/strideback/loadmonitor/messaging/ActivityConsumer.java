package io.strideback.loadmonitor.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.Topic;
import io.strideback.loadmonitor.service.FindingsTransaction;
import io.strideback.loadmonitor.service.FindingsTransaction.Arrived;
import io.strideback.support.kafka.ConsumerLoops;
import io.strideback.support.kafka.EventConsumerLoop;
import io.strideback.support.outbox.OutboxRelay;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Reads {@code strideback.athlete-activity.v1} into {@link FindingsTransaction}. */
@ApplicationScoped
public class ActivityConsumer {

    /** A poll this full means the consumer is catching up (a replay, a backlog), not following live. */
    static final int CATCHING_UP = 400;

    /** A new group id replays the whole activity log into a fresh database (the bench's replay). */
    @ConfigProperty(name = "strideback.consumer.group-id", defaultValue = "load-monitor-service")
    String groupId;
    /** While catching up, how long findings may lag the stored events. */
    @ConfigProperty(name = "strideback.load-monitor.catch-up-analysis-every", defaultValue = "PT2S")
    Duration catchUpAnalysisEvery;
    @Inject
    FindingsTransaction findings;
    @Inject
    OutboxRelay relay;
    @Inject
    ConsumerLoops loops;
    @Inject
    MeterRegistry metrics;

    private EventConsumerLoop loop;
    // Only the consumer thread touches these.
    private final List<Arrived> batch = new ArrayList<>();
    /** Marks may be left from before a restart: analyse them at the first poll. */
    private boolean analysisPending = true;
    private long lastAnalysis;
    private long rebalancesSeen;

    void start(@Observes StartupEvent e) {
        // A poll batch is stored in one transaction, then each athlete it touched is analysed once
        // (profiled: one commit per event bounded a replay at the disk's fsync rate, and one analysis
        // per event repeated the same work hundreds of times for one athlete). Offsets are committed
        // only after both, so a crash in between redelivers the batch, and stored ids are skipped.
        loop = loops.start("activity", groupId, List.of(Topic.ATHLETE_ACTIVITY),
                (event, record) -> batch.add(new Arrived(event, dataJson(event, record.value(),
                        EventCodec.header(record.headers(), EventCodec.SCHEMA_VERSION)))),
                this::afterPoll);
    }

    private void afterPoll() throws Exception {
        if (loop.rebalances() != rebalancesSeen) {
            // Partitions moved: another instance may have stored events for athletes held here.
            rebalancesSeen = loop.rebalances();
            findings.forgetHeldTimelines();
        }
        int polled = batch.size();
        if (polled > 0) {
            long start = System.nanoTime();
            findings.hold(findings.remember(batch));
            batch.clear();
            analysisPending = true;
            metrics.timer("strideback.activity.batch", "step", "store").record(System.nanoTime() - start,
                    TimeUnit.NANOSECONDS);
        }
        // Catching up (a replay, a backlog after an outage), analyse every few seconds rather than
        // after every poll: each athlete once for many of their events, not once per 500 records.
        // The marks are in the database, so nothing is lost if the service stops meanwhile.
        boolean catchingUp = polled >= CATCHING_UP;
        if (analysisPending && (!catchingUp || System.nanoTime() - lastAnalysis >= catchUpAnalysisEvery.toNanos())) {
            long start = System.nanoTime();
            lastAnalysis = start;
            if (findings.analyseTouchedAthletes() > 0) {
                relay.wake();
            }
            analysisPending = false;
            metrics.timer("strideback.activity.batch", "step", "analyse").record(System.nanoTime() - start,
                    TimeUnit.NANOSECONDS);
        }
    }

    /** The data's JSON to store: the record's own bytes, unless an older schema version was upcast. */
    private static String dataJson(EventEnvelope<?> event, byte[] value, String schemaVersion) {
        if (Integer.toString(EventType.CURRENT_SCHEMA_VERSION).equals(schemaVersion)) {
            return new String(value, StandardCharsets.UTF_8);
        }
        return new String(EventCodec.writeData(event.data()), StandardCharsets.UTF_8);
    }

    void stop(@Observes ShutdownEvent e) {
        if (loop != null) {
            loop.close();
        }
    }

    public EventConsumerLoop loop() {
        return loop;
    }
}
