package io.strideback.intake.service;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;

/**
 * The batcher's line, bounded in items, not in requests (a wearable batch of 500 weighs 500 posts).
 * Issue 15, "risks noted last round": one batcher thread behind an unbounded queue lets a burst grow
 * the heap and every answer's wait without limit; a full line refuses at the door instead (the caller
 * answers 503 with Retry-After, and nothing of a refused request was claimed or sent).
 *
 * <p>A request that would not fit is still taken when the line is empty, so a batch larger than the
 * bound is slow, never refused forever.
 */
final class WaitingLine<T> {

    private final LinkedBlockingQueue<T> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger items = new AtomicInteger();
    private final int maxItems;
    private final ToIntFunction<T> sizeOf;

    WaitingLine(int maxItems, ToIntFunction<T> sizeOf) {
        if (maxItems < 1) {
            throw new IllegalArgumentException("a line holds at least one item, not " + maxItems);
        }
        this.maxItems = maxItems;
        this.sizeOf = sizeOf;
    }

    /** Joins the line; false (and not queued) when its items would not fit behind those waiting. */
    boolean offer(T request) {
        int size = sizeOf.applyAsInt(request);
        int before = items.getAndAdd(size);
        if (before > 0 && before + size > maxItems) {
            items.addAndGet(-size);
            return false;
        }
        queue.add(request);
        return true;
    }

    /** The next request, waiting at most {@code timeout} for one; null if none came. */
    T poll(long timeout, TimeUnit unit) throws InterruptedException {
        return left(queue.poll(timeout, unit));
    }

    /** The next request if one is waiting, else null. */
    T poll() {
        return left(queue.poll());
    }

    /** Items waiting now. */
    int items() {
        return items.get();
    }

    private T left(T request) {
        if (request != null) {
            items.addAndGet(-sizeOf.applyAsInt(request));
        }
        return request;
    }
}
