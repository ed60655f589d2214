package io.strideback.support.messaging;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.strideback.events.Topic;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How a consumer's work ends (issue 12, item 2): a transient failure is retried from the same
 * record until it succeeds, a deterministic one is refused at once, and once the service stops
 * nothing is refused or applied any more: the record stays unacknowledged and comes again.
 */
class ConsumerChannelsAttemptTest {

    private ConsumerChannels channels;
    private ConsumerChannel channel;

    @BeforeEach
    void channels() {
        channels = new ConsumerChannels();
        channels.metrics = new SimpleMeterRegistry();
        channels.maxBackoff = Duration.ofMillis(200);
        channel = new ConsumerChannel("activity", "load-monitor-service", Topic.ATHLETE_ACTIVITY);
    }

    @Test
    void a_database_outage_is_retried_from_the_same_record_until_it_is_applied() {
        AtomicInteger calls = new AtomicInteger();
        Attempt<String> attempt = channels.attempt(channel, "store", () -> {
            if (calls.incrementAndGet() < 4) {
                throw new SQLException("Connection refused", "08001");
            }
            return "stored";
        });
        assertThat(attempt.applied()).isTrue();
        assertThat(attempt.value()).isEqualTo("stored");
        assertThat(calls).hasValue(4);
        assertThat(channel.retryingSince()).as("flowing again").isEmpty();
        assertThat(channels.metrics.counter("strideback.consumer.retries", "consumer", "activity").count()).isEqualTo(3);
    }

    @Test
    void what_the_database_refuses_is_refused_at_once_with_its_reason() {
        AtomicInteger calls = new AtomicInteger();
        Attempt<String> attempt = channels.attempt(channel, "store", () -> {
            calls.incrementAndGet();
            throw new SQLException("ERROR: unsupported Unicode escape sequence", "22P05");
        });
        assertThat(attempt.refused()).isTrue();
        assertThat(calls).hasValue(1);
        assertThat(attempt.reason()).contains("SQLState 22P05");
    }

    @Test
    void a_record_being_retried_when_the_service_stops_is_neither_applied_nor_refused() throws Exception {
        CompletableFuture<Attempt<String>> result = CompletableFuture.supplyAsync(() ->
                channels.attempt(channel, "store", () -> {
                    throw new SQLException("terminating connection due to administrator command", "57P01");
                }));
        await().atMost(Duration.ofSeconds(10)).until(() -> channel.retryingSince().isPresent());
        channels.stop(new ShutdownEvent());
        assertThat(result.get(10, TimeUnit.SECONDS).stopped()).isTrue();
    }

    @Test
    void while_stopping_even_a_failure_that_looks_deterministic_parks_nothing() {
        Attempt<String> attempt = channels.attempt(channel, "store", () -> {
            channels.stop(new ShutdownEvent()); // the service starts stopping while the handler runs
            throw new IllegalStateException("container is shutting down");
        });
        assertThat(attempt.stopped()).isTrue();
    }
}
