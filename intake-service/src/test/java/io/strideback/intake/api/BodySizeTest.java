package io.strideback.intake.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.strideback.events.EventCodec;
import io.strideback.intake.support.Bodies;
import io.strideback.intake.support.IntakeTest;
import io.strideback.intake.support.Json;
import io.strideback.intake.support.TestClinic;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.strideback.intake.support.TestClinic.DEVICE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * CONTRACT.md "Errors": a body over 1 MiB is 413, and (issue 12) answered with a problem+json body,
 * whether its size is declared ({@code Content-Length}) or only counted as it arrives (chunked).
 * A body of exactly 1 MiB is taken. Sent with the JDK's client, which says which framing it uses.
 */
@QuarkusTest
class BodySizeTest extends IntakeTest {

    private static final int MIB = 1024 * 1024;
    private static final String TOO_LARGE = "https://strideback.io/problems/too-large";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void a_declared_body_over_1_MiB_is_413_with_a_problem_and_nothing_is_published() throws Exception {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();

        HttpResponse<String> answer = send(clinic, athleteId,
                HttpRequest.BodyPublishers.ofByteArray(symptomOfSize(MIB + 1)));

        assertTooLarge(answer);
        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(athleteId), "athlete.enrolled");
    }

    @Test
    void a_chunked_body_over_1_MiB_is_counted_and_refused_with_a_problem() throws Exception {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        byte[] body = symptomOfSize(MIB + 1);

        HttpResponse<String> answer = send(clinic, athleteId,
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));

        assertTooLarge(answer);
        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(athleteId), "athlete.enrolled");
    }

    @Test
    void a_body_of_exactly_1_MiB_is_taken_declared_or_chunked() throws Exception {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        byte[] body = symptomOfSize(MIB);

        HttpResponse<String> declared = send(clinic, athleteId, HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<String> chunked = send(clinic, athleteId,
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));

        assertThat(declared.statusCode()).as(declared.body()).isEqualTo(202);
        assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(202);
        String chunkedEvent = EventCodec.JSON.readTree(chunked.body()).path("eventId").asText();
        // The counted chunked body reached the resource whole: its event carries the symptom's note.
        assertThat(opened(clinic.id(), athleteId, EventCodec.JSON.readTree(topic().awaitRecord(clinic.id(), chunkedEvent)
                .value()).path("note").asText())).isEqualTo("tight at km 4");
    }

    @Test
    void over_http2_bodies_are_taken_and_an_oversize_declared_one_is_refused_with_a_problem() throws Exception {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build(); // h2c upgrade
        byte[] symptom = symptomOfSize(1000);

        // The first request upgrades the connection; the next ones are HTTP/2 streams.
        HttpResponse<String> health = h2.send(HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port
                + "/q/health/live")).GET().build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> taken = h2.send(request(clinic, athleteId, HttpRequest.BodyPublishers.ofByteArray(symptom)),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> refused = h2.send(request(clinic, athleteId,
                HttpRequest.BodyPublishers.ofByteArray(symptomOfSize(MIB + 1))), HttpResponse.BodyHandlers.ofString());

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(taken.statusCode()).as(taken.body()).isEqualTo(202);
        assertTooLarge(refused);
    }

    private HttpResponse<String> send(TestClinic clinic, String athleteId, HttpRequest.BodyPublisher body)
            throws Exception {
        return http.send(request(clinic, athleteId, body), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(TestClinic clinic, String athleteId, HttpRequest.BodyPublisher body) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port
                        + "/api/v1/athletes/" + athleteId + "/symptoms"))
                .header("Authorization", "Bearer " + clinic.token(DEVICE))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .POST(body).build();
    }

    /** A valid symptom padded with JSON whitespace to exactly {@code size} bytes. */
    private static byte[] symptomOfSize(int size) {
        String json = Json.with(Bodies.symptom(), "note", "tight at km 4").toString();
        byte[] start = json.getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[size];
        System.arraycopy(start, 0, body, 0, start.length - 1);
        java.util.Arrays.fill(body, start.length - 1, size - 1, (byte) ' ');
        body[size - 1] = '}';
        return body;
    }

    private static void assertTooLarge(HttpResponse<String> answer) throws Exception {
        assertThat(answer.statusCode()).isEqualTo(413);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith(PROBLEM_JSON));
        var problem = EventCodec.JSON.readTree(answer.body());
        assertThat(problem.path("type").asText()).isEqualTo(TOO_LARGE);
        assertThat(problem.path("title").asText()).isEqualTo("Payload too large");
        assertThat(problem.path("status").asInt()).isEqualTo(413);
        assertThat(problem.path("detail").asText()).contains("1 MiB");
    }
}
