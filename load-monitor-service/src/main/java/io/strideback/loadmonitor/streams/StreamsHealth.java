package io.strideback.loadmonitor.streams;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;
import java.time.Instant;

/**
 * The load monitor's health, wired by hand from the Kafka Streams state: ready only while RUNNING (a rebalance
 * after running is allowed for {@code strideback.load-monitor.streams.rebalance-grace}: reads answer 503 meanwhile)
 * and analysing (round 9: athletes waiting with no analysis step for {@code analysis-stall} is DOWN, with how many
 * wait and since when: the findings it serves are stale), not live once the instance failed (ERROR,
 * PENDING_ERROR): a restart is what helps then.
 */
public final class StreamsHealth {

    public static final String NAME = "Kafka Streams (load monitor)";

    private StreamsHealth() {
    }

    @Readiness
    @ApplicationScoped
    public static class Ready implements HealthCheck {
        @Inject
        MonitorStreams streams;
        @ConfigProperty(name = "strideback.load-monitor.streams.rebalance-grace", defaultValue = "PT30S")
        Duration grace;
        @ConfigProperty(name = "strideback.load-monitor.streams.analysis-stall", defaultValue = "PT30S")
        Duration stall;

        @Override
        public HealthCheckResponse call() {
            KafkaStreams.State state = streams.state();
            boolean briefRebalance = state == KafkaStreams.State.REBALANCING && streams.everRunning()
                    && Duration.between(streams.stateSince(), Instant.now()).compareTo(grace) < 0;
            Duration stalled = streams.analysisStalledFor();
            boolean analysing = stalled.compareTo(stall) < 0;
            Instant last = streams.lastAnalysisStep();
            return HealthCheckResponse.named(NAME)
                    .status((state == KafkaStreams.State.RUNNING || briefRebalance) && analysing)
                    .withData("state", state.name()).withData("since", streams.stateSince().toString())
                    .withData("awaitingAnalysis", streams.awaitingAnalysis())
                    .withData("analysing", analysing)
                    .withData("lastAnalysis", last == null ? "never" : last.toString()).build();
        }
    }

    @Liveness
    @ApplicationScoped
    public static class Live implements HealthCheck {
        @Inject
        MonitorStreams streams;

        @Override
        public HealthCheckResponse call() {
            KafkaStreams.State state = streams.state();
            return HealthCheckResponse.named(NAME)
                    .status(state != KafkaStreams.State.ERROR && state != KafkaStreams.State.PENDING_ERROR)
                    .withData("state", state.name()).build();
        }
    }
}
