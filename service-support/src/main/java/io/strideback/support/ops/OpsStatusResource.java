package io.strideback.support.ops;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.strideback.events.Topic;
import io.strideback.support.kafka.ConsumerLoops;
import io.strideback.support.kafka.EventConsumerLoop;
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
    ConsumerLoops loops;
    /** Absent where the service has no outbox (intake publishes directly). */
    @Inject
    Instance<OutboxRelay> outbox;

    @GET
    @Path("/ops/status")
    @RolesAllowed(Caller.OPS)
    @Operation(summary = "This service's build, consumer partitions, lag, last processed event and outbox (ops)")
    public Status status() {
        List<Consumer> consumers = loops.all().stream().map(OpsStatusResource::consumer).toList();
        Outbox relay = null;
        if (outbox.isResolvable()) {
            OutboxRelay r = outbox.get();
            relay = new Outbox(r.pending(), r.lastPublished());
        }
        return new Status(application, version, Instant.now(), consumers, relay);
    }

    private static Consumer consumer(EventConsumerLoop loop) {
        Map<String, Long> partitions = loop.lagByPartition();
        return new Consumer(loop.name(), loop.groupId(), loop.topics().stream().map(Topic::topicName).toList(),
                loop.isAlive(), loop.stoppedBecause().orElse(null), partitions,
                partitions.values().stream().mapToLong(Long::longValue).sum(),
                loop.lastEventTime().orElse(null), loop.lastProcessedAt().orElse(null));
    }

    /** The answer of {@code GET /api/v1/ops/status}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Status(String application, String version, Instant at, List<Consumer> consumers, Outbox outbox) {
    }

    /**
     * One consumer loop. {@code partitions}: "topic-partition" → lag (records behind the end) for
     * the partitions assigned to this replica; {@code lastEventTime} is the CloudEvents time of the
     * last event handled, {@code lastProcessedAt} when that was.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Consumer(String name, String groupId, List<String> topics, boolean running, String stoppedBecause,
                           Map<String, Long> partitions, long lag, Instant lastEventTime, Instant lastProcessedAt) {
    }

    /** Rows committed but not yet acknowledged by the broker, and when the relay last published. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Outbox(long pending, Instant lastPublished) {
    }
}
