package io.strideback.loadmonitor.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.strideback.events.Topic;
import io.strideback.loadmonitor.service.FindingsTransaction;
import io.strideback.support.kafka.EventConsumerLoop;
import io.strideback.support.outbox.OutboxRelay;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Reads {@code strideback.athlete-activity.v1}; every event runs through {@link FindingsTransaction}. */
@ApplicationScoped
public class ActivityConsumer {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @Inject
    FindingsTransaction findings;
    @Inject
    OutboxRelay relay;
    @Inject
    MeterRegistry metrics;

    private EventConsumerLoop loop;

    void start(@Observes StartupEvent e) {
        loop = new EventConsumerLoop("activity", bootstrapServers, "load-monitor-service",
                java.util.List.of(Topic.ATHLETE_ACTIVITY), (event, record) -> {
            if (findings.handle(event)) {
                relay.wake();
            }
        }, metrics).start();
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
