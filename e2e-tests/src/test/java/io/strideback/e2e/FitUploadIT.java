package io.strideback.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.garmin.fit.DateTime;
import com.garmin.fit.File;
import com.garmin.fit.FileEncoder;
import com.garmin.fit.FileIdMesg;
import com.garmin.fit.Manufacturer;
import com.garmin.fit.SessionMesg;
import com.garmin.fit.Sport;
import io.strideback.events.EventCodec;
import io.strideback.testing.Tokens;
import io.strideback.tools.ApiClient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 17's "shows up" check on the packaged services: a FIT activity file from a watch (encoded
 * here with Garmin's SDK), uploaded to intake as a device, is on the load monitor's timeline as a
 * run with its distance, time and cadence.
 */
class FitUploadIT {

    private final Stack stack = Stack.get();

    @Test
    void an_uploaded_fit_run_shows_up_on_the_timeline_with_its_distance() throws Exception {
        String clinic = "clinic-" + UUID.randomUUID();
        ApiClient clinician = stack.client(clinic, "clinician");
        ApiClient.Answer enrolled = clinician.postIntake("/api/v1/athletes", Map.of(
                "displayName", "Watch runner", "diagnosis", "CALF_STRAIN_SOLEUS", "side", "LEFT",
                "injuryDate", LocalDate.now(ZoneOffset.UTC).minusDays(30).toString()));
        assertThat(enrolled.status()).isEqualTo(201);
        String athleteId = enrolled.body().get("athleteId").asText();
        Instant start = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);

        HttpResponse<String> uploaded = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(stack.url("intake-service") + "/api/v1/athletes/" + athleteId + "/sessions/fit"))
                .header("Authorization", "Bearer " + Tokens.issue(clinic, "device"))
                .header("Content-Type", "application/vnd.ant.fit")
                .POST(HttpRequest.BodyPublishers.ofByteArray(fitRun(start))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(202);
        String eventId = EventCodec.JSON.readTree(uploaded.body()).get("eventIds").get(0).asText();

        JsonNode run = await().atMost(Duration.ofSeconds(60)).until(
                () -> session(clinician.getLoadMonitor("/api/v1/athletes/" + athleteId + "/timeline"), eventId),
                s -> s != null);
        assertThat(run.path("type").asText()).isEqualTo("RUN");
        assertThat(run.path("run").path("distanceKm").asDouble()).isEqualTo(6.4);
        assertThat(run.path("run").path("cadenceSpm").asInt()).isEqualTo(167);
        assertThat(run.path("durationMin").asDouble()).isEqualTo(36.0);
        assertThat(Instant.parse(run.path("startedAt").asText())).isEqualTo(start);
    }

    private static JsonNode session(ApiClient.Answer timeline, String eventId) {
        if (timeline.status() != 200) {
            return null;
        }
        for (JsonNode s : timeline.body().path("sessions")) {
            if (eventId.equals(s.path("eventId").asText())) {
                return s;
            }
        }
        return null;
    }

    /** A 6.4 km run of 36 minutes at 83.5 strides (167 steps) a minute, as a watch writes it. */
    private static byte[] fitRun(Instant start) throws Exception {
        Path path = Files.createTempFile("run", ".fit");
        try {
            FileEncoder encoder = new FileEncoder(path.toFile());
            FileIdMesg fileId = new FileIdMesg();
            fileId.setType(File.ACTIVITY);
            fileId.setManufacturer(Manufacturer.GARMIN);
            fileId.setSerialNumber(3_900_000_000L + (long) (Math.random() * 90_000_000));
            fileId.setTimeCreated(new DateTime(Date.from(start)));
            encoder.write(fileId);
            SessionMesg session = new SessionMesg();
            session.setMessageIndex(0);
            session.setSport(Sport.RUNNING);
            session.setStartTime(new DateTime(Date.from(start)));
            session.setTimestamp(new DateTime(Date.from(start.plusSeconds(2160))));
            session.setTotalDistance(6400f);
            session.setTotalTimerTime(2160f);
            session.setTotalElapsedTime(2160f);
            session.setAvgCadence((short) 83);
            session.setAvgFractionalCadence(0.5f);
            session.setAvgHeartRate((short) 146);
            encoder.write(session);
            encoder.close();
            return Files.readAllBytes(path);
        } finally {
            Files.deleteIfExists(path);
        }
    }
}
