package io.strideback.support.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.strideback.events.Topic;
import io.strideback.support.tracing.KafkaTracing;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The service's consumer loops, made and started here so each one gets the broker, the metrics and
 * the trace propagation, and is known to the ops endpoint and the health check. A service's
 * consumer class calls {@link #start} at startup and closes its loops at shutdown.
 */
@ApplicationScoped
public class ConsumerLoops {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @Inject
    MeterRegistry metrics;
    @Inject
    KafkaTracing tracing;

    private final List<EventConsumerLoop> loops = new CopyOnWriteArrayList<>();

    /** Creates, registers and starts a loop reading {@code topics} in consumer group {@code groupId}. */
    public EventConsumerLoop start(String name, String groupId, List<Topic> topics, EventConsumerLoop.Handler handler) {
        return register(new EventConsumerLoop(name, bootstrapServers, groupId, topics, handler, metrics, tracing))
                .start();
    }

    /** As {@link #start}, with work done once per poll batch before offsets are committed. */
    public EventConsumerLoop start(String name, String groupId, List<Topic> topics, EventConsumerLoop.Handler handler,
                                   EventConsumerLoop.BatchEnd batchEnd) {
        return register(new EventConsumerLoop(name, bootstrapServers, groupId, topics, handler, metrics, tracing))
                .onBatchEnd(batchEnd).start();
    }

    /** Makes a loop created elsewhere known to the ops endpoint and the health check. */
    public EventConsumerLoop register(EventConsumerLoop loop) {
        loops.add(loop);
        return loop;
    }

    public List<EventConsumerLoop> all() {
        return List.copyOf(loops);
    }
}
