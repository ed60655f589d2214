package io.strideback.intake.support;

import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.function.Supplier;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.blankOrNullString;
import static org.hamcrest.Matchers.startsWith;

/**
 * What every intake test shares: the reader of the real activity topic of the broker the running
 * service writes to, and the check of an RFC 9457 answer.
 */
public abstract class IntakeTest {

    public static final String PROBLEM_JSON = "application/problem+json";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @jakarta.inject.Inject
    io.strideback.intake.store.PersonalDataKeys dataKeys;

    protected ActivityTopic topic() {
        return ActivityTopic.of(bootstrapServers);
    }

    /**
     * A personal field as it lies on the topic, opened with the athlete's data key (issue 16: names, notes and
     * source ids travel sealed); null when it does not open (the athlete was erased, or it is not theirs).
     */
    protected String opened(String clinicId, String athleteId, String onTopic) {
        byte[] key = dataKeys.forOpening(clinicId, java.util.List.of(athleteId)).get(athleteId);
        return key == null ? null : io.strideback.events.SealedText.open(onTopic, key, athleteId).orElse(null);
    }

    /**
     * The post sent again, as a client obeying Retry-After would, until it is answered 202 (at most 90 s):
     * the event id of its acceptance.
     */
    public static String retriedUntilAccepted(Supplier<Response> post) {
        return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    Response retry = post.get();
                    return retry.statusCode() == 202 ? retry.<String>path("eventId") : null;
                }, id -> id != null);
    }

    /** An RFC 9457 body with every member CONTRACT.md "Errors" names. */
    public static ValidatableResponse isProblem(ValidatableResponse answer, int status, String type, String title) {
        return answer.statusCode(status)
                .contentType(startsWith(PROBLEM_JSON))
                .body("type", equalTo(type))
                .body("title", equalTo(title))
                .body("status", equalTo(status))
                .body("detail", not(blankOrNullString()));
    }
}
