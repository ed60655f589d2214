package io.strideback.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;

/**
 * The one load generator of every HTTP figure: {@code concurrency} threads send requests for a fixed
 * time, closed loop (each thread sends its next request when the previous answered) or paced at a
 * fixed total rate. Latency goes into an HdrHistogram in microseconds.
 */
public final class LoadGenerator {

    public record Result(long requests, double seconds, Histogram latencyMicros, Map<Integer, Long> statuses,
                         long errors) {
        public double perSecond() {
            return requests / seconds;
        }

        public long ok(int status) {
            return statuses.getOrDefault(status, 0L);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    /**
     * @param request      makes request number n
     * @param ratePerSecond 0 for closed loop; otherwise the total rate across threads
     */
    public Result run(LongFunction<HttpRequest> request, int concurrency, Duration duration, double ratePerSecond)
            throws InterruptedException {
        Recorder recorder = new Recorder(3);
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        LongAdder errors = new LongAdder();
        AtomicLong sequence = new AtomicLong();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        double intervalNanos = ratePerSecond > 0 ? 1e9 / ratePerSecond : 0;
        CountDownLatch done = new CountDownLatch(concurrency);
        for (int t = 0; t < concurrency; t++) {
            Thread worker = new Thread(() -> {
                try {
                    while (true) {
                        long n = sequence.getAndIncrement();
                        long due = intervalNanos > 0 ? start + (long) (n * intervalNanos) : System.nanoTime();
                        if (due >= end) {
                            return;
                        }
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                        // Paced runs measure from the intended send time: no coordinated omission.
                        long sent = intervalNanos > 0 ? due : System.nanoTime();
                        try {
                            HttpResponse<Void> r = http.send(request.apply(n), HttpResponse.BodyHandlers.discarding());
                            statuses.computeIfAbsent(r.statusCode(), k -> new LongAdder()).increment();
                        } catch (java.io.IOException e) {
                            errors.increment();
                        }
                        recorder.recordValue(Math.max(1, (System.nanoTime() - sent) / 1000));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            }, "load-" + t);
            worker.setDaemon(true);
            worker.start();
        }
        done.await();
        double seconds = (System.nanoTime() - start) / 1e9;
        Histogram h = recorder.getIntervalHistogram();
        Map<Integer, Long> counts = new java.util.TreeMap<>();
        statuses.forEach((k, v) -> counts.put(k, v.sum()));
        return new Result(h.getTotalCount(), seconds, h, counts, errors.sum());
    }
}
