package io.strideback.browser;

import com.fasterxml.jackson.databind.JsonNode;
import io.strideback.testing.PlatformStack;
import io.strideback.testing.Tokens;
import io.strideback.tools.ApiClient;
import io.strideback.tools.Seed000Demo;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The data every browser test looks at, made once per JVM through the public API only: a clinic
 * that reviews proposed changes (so adjustments wait for approval), the seed-000 runner replayed
 * into it, and a second athlete of the same clinic with nothing to worry about.
 */
final class SeedClinic {

    static final String ATHLETE = "seed000";
    static final String QUIET_ATHLETE = "quiet-runner";

    private static SeedClinic instance;

    final PlatformStack stack;
    final String clinicId;
    final String token;
    final ApiClient api;
    final Seed000Demo.Outcome outcome;

    private SeedClinic() {
        Chromium.requireInstalled(); // fail before minutes of platform start-up when the browser is missing
        stack = PlatformStack.get("browser-tests/target/stack-logs");
        clinicId = "browser-clinic-" + UUID.randomUUID();
        token = Tokens.issue(clinicId, "clinician");
        api = client(token);
        // The approval policy is the clinic-admin's to set (CONTRACT v2).
        ApiClient.Answer policy = client(Tokens.issue(clinicId, "clinic-admin")).putPlan("/api/v1/clinic/policy", Map.of("policy", "REVIEW"));
        if (policy.status() != 200) {
            throw new IllegalStateException("policy answered " + policy.status() + ": " + policy.body());
        }
        ApiClient.Answer quiet = api.postIntake("/api/v1/athletes", Map.of("athleteId", QUIET_ATHLETE,
                "displayName", "Quiet runner", "diagnosis", "CALF_STRAIN_SOLEUS", "side", "RIGHT",
                "injuryDate", "2026-01-10", "symptomFreeRunKm", 5.0));
        if (quiet.status() != 201) {
            throw new IllegalStateException("enrolment answered " + quiet.status() + ": " + quiet.body());
        }
        outcome = Seed000Demo.replay(api, ATHLETE, Instant.now());
    }

    static synchronized SeedClinic get() {
        if (instance == null) {
            instance = new SeedClinic();
        }
        return instance;
    }

    ApiClient client(String bearer) {
        return new ApiClient(stack.url("intake-service"), stack.url("load-monitor-service"), stack.url("plan-service"),
                bearer);
    }

    String page(String path) {
        return stack.url("plan-service") + path;
    }

    JsonNode get(String service, String path) {
        ApiClient.Answer a = "plan".equals(service) ? api.getPlan(path) : api.getLoadMonitor(path);
        if (a.status() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + a.status() + ": " + a.body());
        }
        return a.body();
    }
}
