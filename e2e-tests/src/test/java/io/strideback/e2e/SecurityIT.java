package io.strideback.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.strideback.testing.LocalKeys;
import io.strideback.testing.Tokens;
import io.strideback.tools.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 16 on the packaged services: a token revoked on intake is refused by every service within
 * seconds; metrics are served on the management port only; a clinic-admin's change of the load
 * monitor's rules reaches plan-service's audit log through Kafka.
 */
class SecurityIT {

    private final Stack stack = Stack.get();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void a_revoked_token_is_401_on_every_service_within_seconds() throws Exception {
        String clinic = "clinic-" + UUID.randomUUID();
        String token = Tokens.issue(LocalKeys.loadOrCreate(LocalKeys.defaultDir()).getPrivate(), "physio-" + UUID.randomUUID(),
                clinic, List.of("clinician"), Duration.ofHours(1));
        for (String service : Stack.SERVICES) {
            assertThat(status(service, token)).as("%s before the revocation", service).isNotIn(401, 403);
        }

        ApiClient ops = stack.client(clinic, "ops");
        ApiClient.Answer revoked = ops.send("POST", stack.url("intake-service") + "/api/v1/ops/revocations",
                Map.of("tokenId", Tokens.claim(token, "jti"), "reason", "phone lost"), null);
        assertThat(revoked.status()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String service : Stack.SERVICES) {
                assertThat(status(service, token)).as("%s after the revocation", service).isEqualTo(401);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"intake-service", "load-monitor-service", "plan-service"})
    void metrics_are_not_on_the_api_port_but_on_the_management_port(String service) throws Exception {
        assertThat(get(stack.url(service) + "/q/metrics", null).statusCode()).isEqualTo(404);
        assertThat(get(stack.url(service) + "/q/metrics", Tokens.issue("any", "ops")).statusCode()).isEqualTo(404);
        HttpResponse<String> metrics = get(stack.managementUrl(service) + "/q/metrics", null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("application=\"" + service + "\"");
        // Probes and the API's description stay on the service port (CONTRACT.md).
        assertThat(get(stack.url(service) + "/q/health/ready", null).statusCode()).isEqualTo(200);
        assertThat(get(stack.url(service) + "/q/openapi", null).statusCode()).isEqualTo(200);
    }

    @Test
    void a_change_of_the_load_monitors_rules_is_in_the_audit_log_of_plan_service() {
        String clinic = "clinic-" + UUID.randomUUID();
        ApiClient admin = stack.client(clinic, "clinic-admin");
        assertThat(admin.send("PUT", stack.url("load-monitor-service") + "/api/v1/clinic/rules",
                Map.of("progressionPercent", 5), null).status()).isEqualTo(200);
        assertThat(stack.client(clinic, "clinician").getPlan("/api/v1/audit").status()).isEqualTo(403);

        JsonNode entry = await().atMost(Duration.ofSeconds(60)).until(() -> admin.getPlan("/api/v1/audit").body(),
                b -> b.path("entries").size() > 0).path("entries").get(0);
        assertThat(entry.path("what").asText()).isEqualTo("clinic.rules-changed");
        assertThat(entry.path("who").asText()).isEqualTo("clinic-admin@" + clinic);
        assertThat(entry.path("after").path("progressionPercent").asInt()).isEqualTo(5);
        assertThat(entry.path("source").asText()).isEqualTo("load-monitor-service");
        assertThat(Instant.parse(entry.path("at").asText())).isBefore(Instant.now().plusSeconds(1));
    }

    private int status(String service, String token) throws Exception {
        String url = stack.url(service) + "/api/v1/athletes/nobody" + switch (service) {
            case "intake-service" -> "/symptoms";
            case "load-monitor-service" -> "/flare-ups";
            default -> "/plan";
        };
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(10));
        if (service.equals("intake-service")) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
