package io.strideback.plan.personal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.strideback.events.EventCodec;
import io.strideback.events.SealedText;
import io.strideback.plan.personal.PersonalData.OpenAnswer;
import io.strideback.plan.personal.PersonalData.OpenItem;
import io.strideback.plan.personal.PersonalData.OpenRequest;
import io.strideback.plan.personal.PersonalData.SealAnswer;
import io.strideback.plan.personal.PersonalData.SealRequest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Intake's personal-data endpoints for plan-service's tests (issue 16), on a JDK HTTP server: {@code seal} seals with
 * real AES-GCM under a key made from the athlete id, {@code open} opens what it sealed. Athletes are told apart by
 * their id: {@code intake-down-...} answers 503 (intake failing), {@code erased-...} answers 410 to a seal and null to
 * an open (an erased athlete), and an athlete whose id starts with {@code unknown-} is 404. Every {@code @QuarkusTest}
 * of the module runs with it ({@code @QuarkusTestResource} on {@code ClinicianWordsSealedTest} applies to all), so a
 * clinician's command that seals its words works as against a real intake.
 */
public class StandInIntake implements QuarkusTestResourceLifecycleManager {

    public static final String DOWN = "intake-down-";
    public static final String ERASED = "erased-";
    public static final String UNKNOWN = "unknown-";

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/api/v1/personal-data/seal", exchange -> {
            SealRequest request = EventCodec.JSON.readValue(exchange.getRequestBody().readAllBytes(), SealRequest.class);
            String athleteId = request.athleteId();
            if (athleteId.startsWith(DOWN)) {
                answer(exchange, 503, null);
            } else if (athleteId.startsWith(ERASED)) {
                answer(exchange, 410, null);
            } else if (athleteId.startsWith(UNKNOWN)) {
                answer(exchange, 404, null);
            } else {
                answer(exchange, 200, new SealAnswer(athleteId, request.texts().stream()
                        .map(t -> SealedText.seal(t, key(athleteId), athleteId)).toList()));
            }
        });
        server.createContext("/api/v1/personal-data/open", exchange -> {
            OpenRequest request = EventCodec.JSON.readValue(exchange.getRequestBody().readAllBytes(), OpenRequest.class);
            if (request.items().stream().anyMatch(i -> i.athleteId().startsWith(DOWN))) {
                answer(exchange, 503, null);
                return;
            }
            List<OpenItem> out = new ArrayList<>();
            for (OpenItem item : request.items()) {
                out.add(new OpenItem(item.athleteId(), item.athleteId().startsWith(ERASED) ? null
                        : SealedText.open(item.value(), key(item.athleteId()), item.athleteId()).orElse(null)));
            }
            answer(exchange, 200, new OpenAnswer(out));
        });
        server.start();
        return Map.of("strideback.intake.url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** The stand-in's data key of an athlete (a test can seal as intake would). */
    public static byte[] key(String athleteId) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(("stand-in intake|" + athleteId).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void answer(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : EventCodec.JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }
}
