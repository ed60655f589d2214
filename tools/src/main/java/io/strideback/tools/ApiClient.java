package io.strideback.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strideback.testing.Tokens;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A clinic's view of Strideback: the public HTTP API and nothing else. */
public final class ApiClient {

    public record Answer(int status, JsonNode body, Map<String, java.util.List<String>> headers) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String intake;
    private final String loadMonitor;
    private final String plan;
    private final String token;

    public ApiClient(String intake, String loadMonitor, String plan, String token) {
        this.intake = intake;
        this.loadMonitor = loadMonitor;
        this.plan = plan;
        this.token = token;
    }

    public static ApiClient forClinic(String intake, String loadMonitor, String plan, String clinicId, String role) {
        return new ApiClient(intake, loadMonitor, plan, Tokens.issue(clinicId, role));
    }

    public Answer postIntake(String path, Object body) {
        return send("POST", intake + path, body, null);
    }

    public Answer postIntake(String path, Object body, String idempotencyKey) {
        return send("POST", intake + path, body, idempotencyKey);
    }

    public Answer getLoadMonitor(String path) {
        return send("GET", loadMonitor + path, null, null);
    }

    public Answer getPlan(String path) {
        return send("GET", plan + path, null, null);
    }

    public Answer postPlan(String path, Object body) {
        return send("POST", plan + path, body, null);
    }

    public Answer putPlan(String path, Object body) {
        return send("PUT", plan + path, body, null);
    }

    public Answer send(String method, String url, Object body, String idempotencyKey) {
        try {
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token).header("Accept", "application/json");
            if (idempotencyKey != null) {
                req.header("Idempotency-Key", idempotencyKey);
            }
            if (body != null) {
                String text = body instanceof String s ? s : JSON.writeValueAsString(body);
                req.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(text));
            } else if ("POST".equals(method) || "PUT".equals(method)) {
                req.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString("{}"));
            } else {
                req.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> res = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = res.body() == null || res.body().isBlank() ? JSON.nullNode() : JSON.readTree(res.body());
            return new Answer(res.statusCode(), json, res.headers().map());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
