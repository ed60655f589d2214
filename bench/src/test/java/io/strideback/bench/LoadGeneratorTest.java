package io.strideback.bench;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the load generator keeps of refused answers: a figure's 422 says which problem and which request (round 21:
 * figure 4's 422s were only counted, for six rounds).
 */
class LoadGeneratorTest {

    private static final String CONFLICT = "{\"type\":\"https://strideback.io/problems/unprocessable\",\"title\":"
            + "\"Idempotency-Key reused\",\"status\":422,\"detail\":\"this Idempotency-Key was first used with a "
            + "different request\",\"errors\":[{\"field\":\"Idempotency-Key\",\"message\":\"was first used with a different request\"}]}";
    private static final String BUSY = "{\"type\":\"https://strideback.io/problems/unavailable\",\"title\":"
            + "\"Service unavailable\",\"status\":503,\"detail\":\"intake is saturated; retry shortly\"}";

    private HttpServer server;
    private final AtomicInteger seen = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            int n = seen.getAndIncrement();
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            // Every fifth post is refused 422, every seventh 503 (chunked: no length given), the rest accepted.
            int status = n % 5 == 1 ? 422 : n % 7 == 2 ? 503 : 202;
            byte[] body = (status == 422 ? CONFLICT : status == 503 ? BUSY : "{\"eventId\":\"" + key + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", status == 202 ? "application/json" : "application/problem+json");
            exchange.sendResponseHeaders(status, status == 503 ? 0 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void refusalsAreKeptByProblemWithTheirFirstRequest() throws InterruptedException {
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/athletes/a1/symptoms";
        LoadGenerator.Result r = new LoadGenerator().run(n -> new LoadGenerator.Post(url,
                ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8), "token", "key-" + n), 1, Duration.ofMillis(300), 200);

        long refused422 = r.ok(422);
        long refused503 = r.ok(503);
        assertThat(refused422).isPositive();
        assertThat(refused503).isPositive();
        assertThat(r.refusals()).extracting(LoadGenerator.Refusal::status).containsExactly(422, 503);
        LoadGenerator.Refusal conflict = r.refusals().get(0);
        assertThat(conflict.count()).isEqualTo(refused422);
        assertThat(conflict.type()).isEqualTo("https://strideback.io/problems/unprocessable");
        assertThat(conflict.title()).isEqualTo("Idempotency-Key reused");
        assertThat(conflict.detail()).isEqualTo("this Idempotency-Key was first used with a different request");
        // The first request refused so: the second post (n = 1), its key and body.
        assertThat(conflict.firstRequest()).isEqualTo("POST /api/v1/athletes/a1/symptoms (Idempotency-Key key-1) {\"n\":1}");
        assertThat(conflict.firstAnswer()).isEqualTo(CONFLICT);
        LoadGenerator.Refusal busy = r.refusals().get(1);
        assertThat(busy.count()).isEqualTo(refused503);
        assertThat(busy.detail()).isEqualTo("intake is saturated; retry shortly");
        assertThat(busy.firstAnswer()).isEqualTo(BUSY);
        assertThat(r.refusalsSaid()).contains("× 422 Idempotency-Key reused", "key-1", "× 503 Service unavailable");
        // The accepted answers' bodies were skipped as before, and the connection stayed in step throughout.
        assertThat(r.errors()).isZero();
        assertThat(r.ok(202) + refused422 + refused503).isEqualTo(r.requests());
    }
}
