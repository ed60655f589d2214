package io.strideback.intake.support;

import io.restassured.response.ValidatableResponse;
import org.eclipse.microprofile.config.inject.ConfigProperty;

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

    protected ActivityTopic topic() {
        return ActivityTopic.of(bootstrapServers);
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
