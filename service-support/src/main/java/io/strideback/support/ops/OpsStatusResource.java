package io.strideback.support.ops;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.strideback.support.messaging.ConsumerChannel;
import io.strideback.support.messaging.ConsumerChannels;
import io.strideback.support.outbox.OutboxRelay;
import io.strideback.support.security.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What an operator needs to see of one running service, for the {@code ops} role only: its build,
 * which partitions its consumers hold and how far behind they are, when they last processed an
 * event, and what its outbox still has to publish. No athlete data.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "operations")
public class OpsStatusResource {

    @ConfigProperty(name = "quarkus.application.name")
    String application;
    @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown")
    String version;
    @Inject
    ConsumerChannels channels;
    /** Absent where the service has no outbox (intake publishes directly). */
    @Inject
    Instance<OutboxRelay> outbox;

    @GET
    @Path("/ops/status")
    @RolesAllowed(Caller.OPS)
    @Operation(summary = "This service's build, consumer partitions, lag, last processed event and outbox (ops)")
    public Status status() {
        List<Consumer> consumers = channels.all().stream().map(this::consumer).toList();
        Outbox relay = null;
        if (outbox.isResolvable()) {
            OutboxRelay r = outbox.get();
            relay = new Outbox(r.pending(), r.lastPublished(), r.deadLetters(), r.lastDeadLetter());
        }
        return new Status(application, version, Instant.now(), consumers, relay);
    }

    private Consumer consumer(ConsumerChannel channel) {
        Map<String, Long> partitions = channel.lagByPartition();
        String failure = channels.failure(channel).orElse(null);
        return new Consumer(channel.name(), channel.groupId(), List.of(channel.topic().topicName()), failure == null,
                failure, partitions, partitions.values().stream().mapToLong(Long::longValue).sum(),
                channel.lastEventTime().orElse(null), channel.lastProcessedAt().orElse(null),
                channel.retryingSince().orElse(null), channel.retryReason().orElse(null), channel.parked(),
                channel.lastParked().orElse(null), channel.stepFailures(), channel.lastStepFailure().orElse(null));
    }

    /** The answer of {@code GET /api/v1/ops/status}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Status(String application, String version, Instant at, List<Consumer> consumers, Outbox outbox) {
    }

    /**
     * One incoming channel. {@code partitions}: "topic-partition" → lag (records behind the end) for
     * the partitions assigned to this replica; {@code lastEventTime} is the CloudEvents time of the
     * last event applied, {@code lastProcessedAt} when that was. {@code retryingSince}: the channel
     * is retrying a transient failure ({@code retryReason}) from the same record. {@code parked}:
     * records sent to the DLQ since the start, the last with its reason. {@code stepFailures}: work
     * after storing that failed for good and was recorded (the load monitor's analysis of one
     * athlete), the others going on.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Consumer(String name, String groupId, List<String> topics, boolean running, String stoppedBecause,
                           Map<String, Long> partitions, long lag, Instant lastEventTime, Instant lastProcessedAt,
                           Instant retryingSince, String retryReason, long parked, String lastParked,
                           long stepFailures, String lastStepFailure) {
    }

    /**
     * Rows committed but not yet acknowledged by the broker, when the relay last published, and the
     * rows it could not publish at all (parked in {@code outbox_dead_letter} with their reason).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Outbox(long pending, Instant lastPublished, long deadLetters, String lastDeadLetter) {
    }
}
