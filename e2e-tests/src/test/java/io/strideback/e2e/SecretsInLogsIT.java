package io.strideback.e2e;

import io.strideback.tools.ApiClient;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 16 item 5: secrets and personal data never reach a log. The test drives an athlete through
 * every service (enrolment, a symptom with a note, reads, refused and malformed requests carrying the
 * same data and token, a token revocation) and then reads every log the e2e run's services wrote:
 * none holds the bearer token (nor its signature alone), the athlete's display name or the note, nor
 * the master key that wraps the athletes' data keys (item 3), in base64 or hex. (The SCRAM passwords
 * are checked by KafkaSaslIT on its own stack.)
 */
class SecretsInLogsIT {

    private final Stack stack = Stack.get();

    @Test
    void no_log_holds_a_token_a_display_name_a_note_or_the_master_key() throws Exception {
        String clinic = "clinic-" + UUID.randomUUID();
        String token = io.strideback.testing.Tokens.issue(clinic, "clinician");
        ApiClient clinician = new ApiClient(stack.url("intake-service"), stack.url("load-monitor-service"),
                stack.url("plan-service"), token);
        String name = "Ingrid Secretname-" + UUID.randomUUID().toString().substring(0, 8);
        String note = "Private note " + UUID.randomUUID();
        ApiClient.Answer enrolled = clinician.postIntake("/api/v1/athletes", Map.of("displayName", name,
                "diagnosis", "CALF_STRAIN_SOLEUS", "side", "LEFT", "injuryDate", "2026-10-01"));
        assertThat(enrolled.status()).isEqualTo(201);
        String athleteId = enrolled.body().get("athleteId").asText();
        assertThat(clinician.postIntake("/api/v1/athletes/" + athleteId + "/symptoms", Map.of(
                "observedAt", Instant.now().minusSeconds(600).toString(), "pain", 4, "side", "LEFT",
                "location", "MID_CALF", "character", List.of("PULLING"), "context", "AFTER_RUN",
                "redFlags", List.of(), "note", note)).status()).isEqualTo(202);
        // Refused requests carry the same data: the error paths must not log it either.
        assertThat(clinician.postIntake("/api/v1/athletes", Map.of("displayName", name, "diagnosis", "NOT_A_DIAGNOSIS"))
                .status()).isEqualTo(400);
        assertThat(clinician.postIntake("/api/v1/athletes/" + athleteId + "/symptoms", Map.of("pain", 99, "note", note))
                .status()).isEqualTo(400);
        assertThat(stack.client("other-" + clinic, "clinician").getPlan("/api/v1/athletes/" + athleteId + "/plan").status())
                .isEqualTo(404);
        await().atMost(Duration.ofSeconds(60)).until(
                () -> clinician.getLoadMonitor("/api/v1/athletes/" + athleteId + "/timeline").status(), s -> s == 200);
        await().atMost(Duration.ofSeconds(60)).until(
                () -> clinician.getPlan("/api/v1/athletes/" + athleteId + "/plan").status(), s -> s == 200);

        assertThat(stack.client(clinic, "ops").send("POST", stack.url("intake-service") + "/api/v1/ops/revocations",
                Map.of("tokenId", io.strideback.testing.Tokens.claim(token, "jti")), null).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(
                () -> clinician.getPlan("/api/v1/athletes/" + athleteId + "/plan").status(), s -> s == 401);

        String signature = token.substring(token.lastIndexOf('.') + 1);
        String masterKey = stack.platform().personalDataMasterKey();
        String masterKeyHex = java.util.HexFormat.of().formatHex(java.util.Base64.getDecoder().decode(masterKey));
        List<Path> files;
        try (Stream<Path> listed = Files.list(stack.logs())) {
            files = listed.filter(Files::isRegularFile).toList();
        }
        assertThat(files).as("the services' logs").hasSizeGreaterThanOrEqualTo(3);
        for (Path f : files) {
            String text = Files.readString(f);
            assertThat(text).as("%s holds the token", f.getFileName()).doesNotContain(signature);
            assertThat(text).as("%s holds the display name", f.getFileName()).doesNotContain(name);
            assertThat(text).as("%s holds the note", f.getFileName()).doesNotContain(note);
            assertThat(text).as("%s holds the personal-data master key", f.getFileName())
                    .doesNotContain(masterKey, masterKey.substring(0, 24), masterKeyHex);
        }
    }
}
