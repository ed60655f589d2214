package io.strideback.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.strideback.events.EventCodec;
import io.strideback.testing.Tokens;
import io.strideback.tools.ApiClient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 17 on the packaged services: what a clinic posts to intake (an enrolment, a symptom, a run, an OSTRC-O2
 * weekly check) comes out of plan-service's FHIR export as a Bundle with the Patient, the Condition, the pain and
 * session Observations, the QuestionnaireResponse and the CarePlan; another clinic gets 404.
 */
class FhirExportIT {

    private final Stack stack = Stack.get();

    @Test
    void what_intake_took_is_in_the_fhir_bundle_of_plan_service() throws Exception {
        String clinic = "clinic-" + UUID.randomUUID();
        ApiClient clinician = stack.client(clinic, "clinician");
        ApiClient.Answer enrolled = clinician.postIntake("/api/v1/athletes", Map.of(
                "displayName", "EHR runner", "diagnosis", "CALF_STRAIN_GASTROCNEMIUS", "side", "RIGHT",
                "injuryDate", LocalDate.now(ZoneOffset.UTC).minusDays(30).toString()));
        assertThat(enrolled.status()).isEqualTo(201);
        String athleteId = enrolled.body().get("athleteId").asText();
        Instant at = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
        String athlete = "/api/v1/athletes/" + athleteId;
        assertThat(clinician.postIntake(athlete + "/sessions", Map.of("type", "RUN", "startedAt", at.toString(),
                "durationMin", 30, "rpe", 4, "run", Map.of("distanceKm", 4.0, "intensity", "EASY"))).status()).isEqualTo(202);
        assertThat(clinician.postIntake(athlete + "/symptoms", Map.of("observedAt", at.plusSeconds(3600).toString(),
                "pain", 3, "side", "RIGHT", "location", "MID_CALF", "character", List.of("TIGHTNESS"),
                "context", "AFTER_RUN")).status()).isEqualTo(202);
        assertThat(clinician.postIntake(athlete + "/assessments", Map.of("recordedAt", at.plusSeconds(7200).toString(),
                "kind", "OSTRC_O2", "answers", Map.of("participation", "FULL_WITH_PROBLEMS", "trainingModified", "MINOR",
                        "performanceAffected", "NONE", "pain", "MILD"))).status()).isEqualTo(202);

        JsonNode bundle = await().atMost(Duration.ofSeconds(90)).until(() -> fhir(clinic, athleteId),
                b -> b != null && types(b).contains("QuestionnaireResponse") && types(b).contains("CarePlan")
                        && types(b).stream().filter("Observation"::equals).count() == 2);
        assertThat(bundle.path("resourceType").asText()).isEqualTo("Bundle");
        assertThat(types(bundle)).contains("Patient", "Condition");
        JsonNode pain = resource(bundle, "Observation", "72514-3");
        assertThat(pain.path("valueInteger").asInt()).isEqualTo(3);
        assertThat(resource(bundle, "Observation", "73985-4").path("valueCodeableConcept").path("coding").get(0)
                .path("code").asText()).isEqualTo("RUN");
        JsonNode ostrc = resource(bundle, "QuestionnaireResponse", null);
        assertThat(ostrc.path("item").get(4).path("answer").get(0).path("valueInteger").asInt()).isEqualTo(8 + 6 + 0 + 8);

        HttpResponse<String> other = get(Tokens.issue("other-" + clinic, "clinician"), athleteId);
        assertThat(other.statusCode()).isEqualTo(404);
    }

    private JsonNode fhir(String clinic, String athleteId) throws Exception {
        HttpResponse<String> res = get(Tokens.issue(clinic, "clinician"), athleteId);
        if (res.statusCode() != 200) {
            return null;
        }
        assertThat(res.headers().firstValue("Content-Type").orElse("")).startsWith("application/fhir+json");
        return EventCodec.JSON.readTree(res.body());
    }

    private HttpResponse<String> get(String token, String athleteId) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(stack.url("plan-service") + "/api/v1/athletes/" + athleteId + "/fhir"))
                .header("Authorization", "Bearer " + token).header("Accept", "application/fhir+json").GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> types(JsonNode bundle) {
        List<String> out = new ArrayList<>();
        bundle.path("entry").forEach(e -> out.add(e.path("resource").path("resourceType").asText()));
        return out;
    }

    private static JsonNode resource(JsonNode bundle, String type, String code) {
        for (JsonNode e : bundle.path("entry")) {
            JsonNode r = e.path("resource");
            if (r.path("resourceType").asText().equals(type)
                    && (code == null || code.equals(r.path("code").path("coding").get(0).path("code").asText()))) {
                return r;
            }
        }
        throw new AssertionError("no " + type + " " + code + " in the bundle");
    }
}
