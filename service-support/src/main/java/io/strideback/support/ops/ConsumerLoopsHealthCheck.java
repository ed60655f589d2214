package io.strideback.support.ops;

import io.strideback.support.kafka.ConsumerLoops;
import io.strideback.support.kafka.EventConsumerLoop;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * DOWN when a consumer loop's thread has died: the service still answers HTTP but no longer reads
 * its topics (its partitions went to the other replicas when the consumer closed). Readiness takes
 * the pod out of the Service; liveness has it restarted, which is the only cure.
 */
@Readiness
@Liveness
@ApplicationScoped
public class ConsumerLoopsHealthCheck implements HealthCheck {

    @Inject
    ConsumerLoops loops;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Kafka consumer loops").up();
        for (EventConsumerLoop loop : loops.all()) {
            boolean alive = loop.isAlive();
            response.withData(loop.name(), alive ? "running" : "stopped" + loop.stoppedBecause().map(r -> ": " + r).orElse(""));
            if (!alive) {
                response.down();
            }
        }
        return response.build();
    }
}
