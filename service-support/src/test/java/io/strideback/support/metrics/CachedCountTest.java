package io.strideback.support.metrics;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 16: a scrape storm costs one count per period, not one per scrape. */
class CachedCountTest {

    @Test
    void a_hundred_scrapes_within_the_period_count_once() {
        AtomicInteger counted = new AtomicInteger();
        CachedCount backlog = CachedCount.of(() -> 40 + counted.incrementAndGet(), Duration.ofHours(1));
        for (int i = 0; i < 100; i++) {
            assertThat(backlog.get()).isEqualTo(41.0);
        }
        assertThat(counted).hasValue(1);
    }

    @Test
    void after_the_period_the_next_scrape_counts_again_and_a_failed_count_keeps_the_last_value() {
        AtomicInteger counted = new AtomicInteger();
        CachedCount backlog = CachedCount.of(() -> {
            if (counted.incrementAndGet() == 2) {
                throw new IllegalStateException("database away");
            }
            return counted.get();
        }, Duration.ZERO);
        assertThat(backlog.get()).isEqualTo(1.0);
        assertThat(backlog.get()).as("the count failed: last value").isEqualTo(1.0);
        assertThat(backlog.get()).isEqualTo(3.0);
        assertThat(counted).hasValue(3);
    }
}
