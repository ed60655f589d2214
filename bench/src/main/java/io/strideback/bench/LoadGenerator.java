package io.strideback.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
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
 *
 * <p>Each thread keeps one HTTP/1.1 keep-alive connection and writes the request bytes itself, like
 * wrk: the generator shares the two cores with the system it measures, and the JDK's HttpClient
 * cost about 1.5 ms of CPU per request, more than intake itself (measured with per-process CPU
 * counters during the end-to-end figure).
 */
public final class LoadGenerator {

    /**
     * {@code refusals}: the answers of 400 and over, by status, problem type, title and detail (at most
     * {@link #MAX_REFUSAL_KINDS} kinds, the first ones seen), each with the first request that got it.
     */
    public record Result(long requests, double seconds, Histogram latencyMicros, Map<Integer, Long> statuses,
                         long errors, List<Refusal> refusals) {
        public double perSecond() {
            return requests / seconds;
        }

        public long ok(int status) {
            return statuses.getOrDefault(status, 0L);
        }

        /** One line per kind of refusal, e.g. for a figure's note; empty when every answer was under 400. */
        public String refusalsSaid() {
            return refusals.stream().map(Refusal::toString).collect(java.util.stream.Collectors.joining("; "));
        }
    }

    /**
     * A kind of refusal (round 21: figure 4's 422s were counted for six rounds and never explained): how many
     * answers had this status and problem, and the first request answered so (path, Idempotency-Key, body).
     */
    public record Refusal(int status, String type, String title, String detail, long count, String firstRequest,
                          String firstAnswer) {
        @Override
        public String toString() {
            return count + " × " + status + " " + title + " (" + type + "): \"" + detail + "\"; the first to `"
                    + firstRequest + "`, answered `" + firstAnswer + "`";
        }
    }

    /** At most this many kinds of refusal are told apart; later kinds are counted in the statuses only. */
    static final int MAX_REFUSAL_KINDS = 8;
    /** A refused request's or answer's body is kept up to this many characters. */
    private static final int MAX_KEPT_CHARS = 600;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** One POST: the absolute URL, the JSON body, the bearer token and an optional Idempotency-Key. */
    public record Post(String url, byte[] body, String token, String idempotencyKey) {
    }

    /** Makes request number n, due at {@code dueNanos} (System.nanoTime): its intended send time when paced. */
    @FunctionalInterface
    public interface Scheduled {
        Post make(long n, long dueNanos);
    }

    /** Told of each answer: request number n, its status, and when it was read (System.nanoTime). */
    @FunctionalInterface
    public interface Answered {
        void at(long n, int status, long answeredNanos);
    }

    /**
     * @param request      makes request number n
     * @param ratePerSecond 0 for closed loop; otherwise the total rate across threads
     */
    public Result run(LongFunction<Post> request, int concurrency, Duration duration, double ratePerSecond)
            throws InterruptedException {
        return run((n, due) -> request.apply(n), concurrency, duration, ratePerSecond);
    }

    /**
     * As {@link #run(LongFunction, int, Duration, double)}, telling the request its due time: a probe
     * is timed from when it was due, not from when a generator thread was free to send it.
     */
    public Result run(Scheduled request, int concurrency, Duration duration, double ratePerSecond)
            throws InterruptedException {
        return run(request, (n, status, at) -> { }, concurrency, duration, ratePerSecond);
    }

    /**
     * As {@link #run(Scheduled, int, Duration, double)}, telling {@code answered} of each answer as it is read: a
     * probe's 202 is the moment intake has its event on the topic (it answers only after acks=all).
     */
    public Result run(Scheduled request, Answered answered, int concurrency, Duration duration, double ratePerSecond)
            throws InterruptedException {
        Recorder recorder = new Recorder(3);
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        Map<String, RefusalCount> refusals = new ConcurrentHashMap<>();
        LongAdder errors = new LongAdder();
        AtomicLong sequence = new AtomicLong();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        double intervalNanos = ratePerSecond > 0 ? 1e9 / ratePerSecond : 0;
        CountDownLatch done = new CountDownLatch(concurrency);
        for (int t = 0; t < concurrency; t++) {
            Thread worker = new Thread(() -> {
                Connection connection = new Connection();
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
                            Post post = request.make(n, sent);
                            int status = connection.post(post);
                            answered.at(n, status, System.nanoTime());
                            statuses.computeIfAbsent(status, k -> new LongAdder()).increment();
                            if (status >= 400) {
                                refused(refusals, status, post, connection.refusal);
                            }
                        } catch (IOException e) {
                            errors.increment();
                        }
                        recorder.recordValue(Math.max(1, (System.nanoTime() - sent) / 1000));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    connection.close();
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
        List<Refusal> kinds = refusals.values().stream().sorted(java.util.Comparator.comparingLong(RefusalCount::seenFirst))
                .map(RefusalCount::counted).toList();
        return new Result(h.getTotalCount(), seconds, h, counts, errors.sum(), kinds);
    }

    /** A kind of refusal as first seen (its count not yet known), when, and how many answers it had so far. */
    private record RefusalCount(Refusal first, long seenFirst, LongAdder count) {
        Refusal counted() {
            return new Refusal(first.status(), first.type(), first.title(), first.detail(), count.sum(),
                    first.firstRequest(), first.firstAnswer());
        }
    }

    /** Counts a refusal by its problem's status, type, title and detail; the first of each kind keeps its request. */
    private static void refused(Map<String, RefusalCount> refusals, int status, Post post, String answer) {
        com.fasterxml.jackson.databind.JsonNode problem;
        try {
            problem = answer.isEmpty() ? null : JSON.readTree(answer);
        } catch (IOException e) {
            problem = null;
        }
        boolean isProblem = problem != null && problem.isObject();
        String type = isProblem ? problem.path("type").asText("") : "";
        String title = isProblem ? problem.path("title").asText("") : "";
        String detail = isProblem ? problem.path("detail").asText("") : answer.isEmpty() ? "(no body)" : "(not a problem)";
        String kind = status + "|" + type + "|" + title + "|" + detail;
        RefusalCount c = refusals.get(kind);
        if (c == null) {
            if (refusals.size() >= MAX_REFUSAL_KINDS) {
                return;
            }
            String path = URI.create(post.url()).getRawPath();
            String firstRequest = "POST " + path + (post.idempotencyKey() == null ? "" : " (Idempotency-Key "
                    + post.idempotencyKey() + ")") + " " + kept(new String(post.body(), StandardCharsets.UTF_8));
            c = refusals.computeIfAbsent(kind, k -> new RefusalCount(new Refusal(status, type.isEmpty() ? "no type" : type,
                    title, detail, 0, firstRequest, kept(answer)), System.nanoTime(), new LongAdder()));
        }
        c.count().increment();
    }

    private static String kept(String s) {
        return s.length() <= MAX_KEPT_CHARS ? s : s.substring(0, MAX_KEPT_CHARS) + "…";
    }

    /**
     * A keep-alive HTTP/1.1 connection that posts and reads the answer's status, skipping its body unless the status
     * is 400 or over: then the body's first bytes (about {@link #MAX_KEPT_CHARS} characters) are in {@link #refusal}.
     */
    static final class Connection {
        /** The last answer's body when its status was 400 or over, else "". */
        String refusal = "";
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private String authority;

        int post(Post post) throws IOException {
            URI uri = URI.create(post.url());
            String target = uri.getHost() + ":" + uri.getPort();
            if (socket == null || !target.equals(authority)) {
                close();
                socket = new Socket();
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
                socket.setSoTimeout(30_000);
                in = new BufferedInputStream(socket.getInputStream(), 8192);
                out = new BufferedOutputStream(socket.getOutputStream(), 8192);
                authority = target;
            }
            try {
                StringBuilder head = new StringBuilder(256).append("POST ").append(uri.getRawPath())
                        .append(" HTTP/1.1\r\nHost: ").append(target)
                        .append("\r\nAuthorization: Bearer ").append(post.token())
                        .append("\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: ")
                        .append(post.body().length).append("\r\n");
                if (post.idempotencyKey() != null) {
                    head.append("Idempotency-Key: ").append(post.idempotencyKey()).append("\r\n");
                }
                out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
                out.write(post.body());
                out.flush();
                return readAnswer();
            } catch (IOException e) {
                close();
                throw e;
            }
        }

        private int readAnswer() throws IOException {
            String status = line();
            int code = Integer.parseInt(status.substring(9, 12));
            java.io.ByteArrayOutputStream kept = code >= 400 ? new java.io.ByteArrayOutputStream() : null;
            long length = -1;
            boolean chunked = false;
            boolean closes = false;
            for (String h = line(); !h.isEmpty(); h = line()) {
                String lower = h.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(h.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    closes = true;
                }
            }
            if (chunked) {
                for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0;
                     size = Long.parseLong(line().split(";")[0].trim(), 16)) {
                    skip(size, kept);
                    line();
                }
                line();
            } else if (length > 0) {
                skip(length, kept);
            }
            refusal = kept == null ? "" : kept.toString(StandardCharsets.UTF_8);
            if (closes) {
                close();
            }
            return code;
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder(64);
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed by the server");
                }
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            return b.toString();
        }

        /** Skips n bytes of the body, keeping the first ones in {@code kept} if it is not null. */
        private void skip(long n, java.io.ByteArrayOutputStream kept) throws IOException {
            while (kept != null && n > 0 && kept.size() < MAX_KEPT_CHARS * 4) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("connection closed mid-answer");
                }
                kept.write(b);
                n--;
            }
            while (n > 0) {
                long skipped = in.skip(n);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("connection closed mid-answer");
                    }
                    skipped = 1;
                }
                n -= skipped;
            }
        }

        void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            socket = null;
        }
    }
}
