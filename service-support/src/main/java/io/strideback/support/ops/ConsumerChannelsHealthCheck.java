package io.strideback.support.ops;

import io.strideback.support.messaging.ConsumerChannel;
import io.strideback.support.messaging.ConsumerChannels;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;
import java.time.Instant;

/**
 * DOWN when a channel is stuck: it has retried a transient failure (database or broker down) for
 * longer than {@code strideback.consumer.stuck-after}, or the connector says it failed. The
 * connector's own checks (SmallRye Reactive Messaging liveness/readiness) cover a failed channel
 * too; this one adds the stuck case, which the connector cannot see while a handler is retrying.
 * Readiness only: a stuck channel recovers by itself once the database is back, and a restart
 * would not bring the database back sooner.
 */
@Readiness
@ApplicationScoped
public class ConsumerChannelsHealthCheck implements HealthCheck {

    public static final String NAME = "Kafka consumers";

    @Inject
    ConsumerChannels channels;
    @ConfigProperty(name = "strideback.consumer.stuck-after", defaultValue = "PT30S")
    Duration stuckAfter;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).up();
        Instant now = Instant.now();
        for (ConsumerChannel channel : channels.all()) {
            var failure = channels.failure(channel);
            var retrying = channel.retryingSince();
            if (failure.isPresent()) {
                response.withData(channel.name(), "failed: " + failure.get()).down();
            } else if (retrying.isPresent() && Duration.between(retrying.get(), now).compareTo(stuckAfter) > 0) {
                response.withData(channel.name(), "stuck since " + retrying.get() + ": "
                        + channel.retryReason().orElse("")).down();
            } else {
                response.withData(channel.name(), retrying.isPresent() ? "retrying" : "running");
            }
        }
        return response.build();
    }
}
