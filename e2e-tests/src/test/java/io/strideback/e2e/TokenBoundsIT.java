package io.strideback.e2e;

import io.strideback.testing.LocalKeys;
import io.strideback.testing.Tokens;
import io.strideback.tools.ApiClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CONTRACT v2 "Roles and tokens": every service refuses (401) a token that does not name Strideback
 * in {@code aud}, or that was issued for more than 12 h, even when its signature is good.
 */
class TokenBoundsIT {

    private final Stack stack = Stack.get();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"intake-service", "load-monitor-service", "plan-service"})
    void a_token_for_another_audience_or_too_long_a_life_is_401(String service) {
        String clinic = "clinic-" + UUID.randomUUID();
        Instant now = Instant.now();
        String url = stack.url(service) + "/api/v1/athletes/nobody" + switch (service) {
            case "intake-service" -> "/symptoms";
            case "load-monitor-service" -> "/flare-ups";
            default -> "/plan";
        };
        String method = service.equals("intake-service") ? "POST" : "GET";

        assertThat(status(method, url, token(clinic, now, now.plus(Duration.ofHours(8)), null))).as("no aud").isEqualTo(401);
        assertThat(status(method, url, token(clinic, now, now.plus(Duration.ofHours(8)), "another-api"))).as("another aud")
                .isEqualTo(401);
        assertThat(status(method, url, token(clinic, now, now.plus(Duration.ofHours(13)), Tokens.AUDIENCE)))
                .as("13 h").isEqualTo(401);
        // The same signature and claims within the bounds get past authentication (404: nobody is enrolled).
        assertThat(status(method, url, token(clinic, now, now.plus(Duration.ofHours(12)), Tokens.AUDIENCE)))
                .as("12 h").isNotIn(401, 403);
    }

    @org.junit.jupiter.api.Test
    void the_clinic_settings_are_the_clinic_admins_who_may_also_do_what_a_clinician_does() {
        String clinic = "clinic-" + UUID.randomUUID();
        ApiClient clinician = stack.client(clinic, "clinician");
        ApiClient admin = stack.client(clinic, "clinic-admin");
        String rules = stack.url("load-monitor-service") + "/api/v1/clinic/rules";
        String policy = stack.url("plan-service") + "/api/v1/clinic/policy";

        assertThat(clinician.send("PUT", rules, "{\"progressionPercent\":5}", null).status()).isEqualTo(403);
        assertThat(clinician.send("PUT", policy, "{\"policy\":\"REVIEW\"}", null).status()).isEqualTo(403);
        assertThat(admin.send("PUT", rules, "{\"progressionPercent\":5}", null).status()).isEqualTo(200);
        assertThat(admin.send("PUT", policy, "{\"policy\":\"REVIEW\"}", null).status()).isEqualTo(200);
        assertThat(clinician.send("GET", rules, null, null).body().path("progressionPercent").asInt()).isEqualTo(5);

        // Everything a clinician may do: enrol, and read the plan.
        ApiClient.Answer enrolled = admin.postIntake("/api/v1/athletes", java.util.Map.of("displayName", "Sam",
                "diagnosis", "CALF_STRAIN_SOLEUS", "side", "LEFT", "injuryDate", "2026-10-01"));
        assertThat(enrolled.status()).isEqualTo(201);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> admin
                .getPlan("/api/v1/athletes/" + enrolled.body().path("athleteId").asText() + "/plan").status() == 200);
    }

    private static String token(String clinic, Instant issuedAt, Instant expiresAt, String audience) {
        return Tokens.issue(LocalKeys.loadOrCreate(LocalKeys.defaultDir()).getPrivate(), "clinician@" + clinic, clinic,
                List.of("clinician"), issuedAt, expiresAt, audience);
    }

    private int status(String method, String url, String token) {
        ApiClient client = new ApiClient(stack.url("intake-service"), stack.url("load-monitor-service"),
                stack.url("plan-service"), token);
        return client.send(method, url, method.equals("POST") ? "{}" : null, null).status();
    }
}
