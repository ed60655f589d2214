package io.strideback.loadmonitor.api;

import io.strideback.events.EventCodec;
import io.strideback.loadmonitor.streams.MonitorStreams;
import io.strideback.support.rest.Problem;
import io.strideback.support.rest.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Interactive queries on the monitor's stores, wherever they are: a key's store on this instance is read here;
 * on another instance (its {@code application.server}) the same GET is forwarded there with the caller's
 * Authorization header. While partitions move (a rebalance, a start) the answer is 503 with Retry-After rather
 * than a stale or empty one.
 */
@ApplicationScoped
public class MonitorQueries {

    /** Marks a forwarded request: the instance it reaches must own the key, never forward it again. */
    public static final String FORWARDED = "X-Strideback-Forwarded";
    private static final int RETRY_AFTER_SECONDS = 2;
    private static final StringSerializer KEYS = new StringSerializer();

    @Inject
    MonitorStreams monitor;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Where a key's store is: on this instance (which partition) or on another one. */
    public sealed interface Owner permits Here, There {
    }

    public record Here(int partition) implements Owner {
    }

    public record There(HostInfo host) implements Owner {
    }

    public Owner ownerOf(String store, String key) {
        KeyQueryMetadata metadata;
        try {
            metadata = running().queryMetadataForKey(store, key, KEYS);
        } catch (RuntimeException e) {
            throw moving();
        }
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)) {
            throw moving();
        }
        return metadata.activeHost().equals(monitor.self()) ? new Here(metadata.partition())
                : new There(metadata.activeHost());
    }

    /** The key's value in this instance's store of that partition. */
    public <T> Optional<T> local(String store, String key, int partition, Function<byte[], T> read) {
        try {
            ReadOnlyKeyValueStore<String, byte[]> kv = running().store(StoreQueryParameters
                    .fromNameAndType(store, QueryableStoreTypes.<String, byte[]>keyValueStore())
                    .withPartition(partition));
            byte[] value = kv.get(key);
            return value == null ? Optional.empty() : Optional.of(read.apply(value));
        } catch (InvalidStateStoreException e) {
            throw moving();
        }
    }

    /** Every value under {@code prefix} in this instance's active partitions of the store. */
    public <T> List<T> localPrefix(String store, String prefix, Function<byte[], T> read) {
        List<T> out = new ArrayList<>();
        try {
            ReadOnlyKeyValueStore<String, byte[]> kv = running().store(StoreQueryParameters
                    .fromNameAndType(store, QueryableStoreTypes.<String, byte[]>keyValueStore()));
            try (var it = prefix.isEmpty() ? kv.all() : kv.prefixScan(prefix, KEYS)) {
                it.forEachRemaining(entry -> out.add(read.apply(entry.value)));
            }
        } catch (InvalidStateStoreException e) {
            throw moving();
        }
        return out;
    }

    /** Every value under {@code prefix} in this instance's store of that partition, in key order. */
    public <T> List<T> localPrefix(String store, String prefix, int partition, Function<byte[], T> read) {
        List<T> out = new ArrayList<>();
        try {
            ReadOnlyKeyValueStore<String, byte[]> kv = running().store(StoreQueryParameters
                    .fromNameAndType(store, QueryableStoreTypes.<String, byte[]>keyValueStore())
                    .withPartition(partition));
            try (var it = kv.prefixScan(prefix, KEYS)) {
                it.forEachRemaining(entry -> out.add(read.apply(entry.value)));
            }
        } catch (InvalidStateStoreException e) {
            throw moving();
        }
        return out;
    }

    /** The other instances that hold active partitions of the store. */
    public List<HostInfo> otherHosts(String store) {
        List<HostInfo> out = new ArrayList<>();
        for (StreamsMetadata m : running().metadataForAllStreamsClients()) {
            if (!m.hostInfo().equals(monitor.self()) && m.stateStoreNames().contains(store)
                    && !m.topicPartitions().isEmpty()) {
                out.add(m.hostInfo());
            }
        }
        return out;
    }

    /** GETs {@code path} (with its query) from another instance as the caller; its 404 is ours, any other failure 503. */
    public <T> T forward(HostInfo host, String path, String authorization, Class<T> type) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port()
                        + path)).timeout(Duration.ofSeconds(10)).header(FORWARDED, "true")
                .header("Accept", "application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw ProblemException.unavailable("the instance holding this data (" + host + ") does not answer",
                    RETRY_AFTER_SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw moving();
        }
        if (response.statusCode() == 404) {
            // The owner's own words (which athlete), so a forwarded 404 reads as the owner's (round 18).
            throw new ProblemException(Problem.of(404, "Not found", notFoundDetail(response.body())));
        }
        if (response.statusCode() != 200) {
            throw ProblemException.unavailable("the instance holding this data answered " + response.statusCode(),
                    RETRY_AFTER_SECONDS);
        }
        try {
            return EventCodec.JSON.readValue(response.body(), type);
        } catch (IOException e) {
            throw ProblemException.unavailable("the instance holding this data answered unreadably",
                    RETRY_AFTER_SECONDS);
        }
    }

    private static String notFoundDetail(String body) {
        try {
            String detail = EventCodec.JSON.readTree(body).path("detail").asText("");
            return detail.isBlank() ? "athlete was not found" : detail;
        } catch (IOException | RuntimeException e) {
            return "athlete was not found";
        }
    }

    private KafkaStreams running() {
        KafkaStreams streams = monitor.streams();
        if (streams == null || monitor.state() != KafkaStreams.State.RUNNING) {
            throw moving();
        }
        return streams;
    }

    static ProblemException moving() {
        return ProblemException.unavailable("the load monitor's partitions are moving between instances; try again",
                RETRY_AFTER_SECONDS);
    }
}
