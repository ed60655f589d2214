package io.strideback.support.metrics;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A gauge's value that costs a query, read at most once per {@code maxAge} (issue 16): a gauge
 * backed by {@code count(*)} ran it on every scrape, so each Prometheus (and anyone who could reach
 * /q/metrics) made the database count a table as often as it liked. Scrapes in between see the last
 * count; a failed count keeps the last value instead of failing the scrape.
 */
public final class CachedCount {

    private final LongSupplier count;
    private final long maxAgeNanos;
    private volatile long value = -1;
    private volatile long readAt;
    private volatile boolean read;

    private CachedCount(LongSupplier count, Duration maxAge) {
        this.count = count;
        this.maxAgeNanos = maxAge.toNanos();
    }

    public static CachedCount of(LongSupplier count, Duration maxAge) {
        return new CachedCount(count, maxAge);
    }

    /** The count, read again only when the last reading is older than {@code maxAge}. */
    public synchronized double get() {
        long now = System.nanoTime();
        if (!read || now - readAt >= maxAgeNanos) {
            try {
                value = count.getAsLong();
            } catch (RuntimeException e) {
                // the last value stands (or -1: never read); the next scrape after maxAge tries again
            }
            readAt = now;
            read = true;
        }
        return value;
    }
}
