package io.strideback.loadmonitor.messaging;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.strideback.events.Topic;
import io.strideback.loadmonitor.service.FindingsTransaction;
import io.strideback.support.kafka.ConsumerLoops;
import io.strideback.support.kafka.EventConsumerLoop;
import io.strideback.support.outbox.OutboxRelay;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Reads {@code strideback.athlete-activity.v1} into {@link FindingsTransaction}. */
@ApplicationScoped
public class ActivityConsumer {

    /** A new group id replays the whole activity log into a fresh database (the bench's replay). */
    @ConfigProperty(name = "strideback.consumer.group-id", defaultValue = "load-monitor-service")
    String groupId;
    @Inject
    FindingsTransaction findings;
    @Inject
    OutboxRelay relay;
    @Inject
    ConsumerLoops loops;

    private EventConsumerLoop loop;
    /** The poll batch being read; only the consumer thread touches it. */
    private final java.util.List<io.strideback.events.EventEnvelope<?>> batch = new java.util.ArrayList<>();

    void start(@Observes StartupEvent e) {
        // A poll batch is stored in one transaction, then each athlete it touched is analysed once
        // (profiled: one commit per event bounded a replay at the disk's fsync rate, and one analysis
        // per event repeated the same work hundreds of times for one athlete). Offsets are committed
        // only after both, so a crash in between redelivers the batch, and stored ids are skipped.
        loop = loops.start("activity", groupId, java.util.List.of(Topic.ATHLETE_ACTIVITY),
                (event, record) -> batch.add(event),
                () -> {
                    if (!batch.isEmpty()) {
                        findings.remember(batch);
                        batch.clear();
                    }
                    if (findings.analyseTouchedAthletes() > 0) {
                        relay.wake();
                    }
                });
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
