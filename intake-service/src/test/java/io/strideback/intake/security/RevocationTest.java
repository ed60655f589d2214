package io.strideback.intake.security;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.strideback.intake.support.Bodies;
import io.strideback.intake.support.IntakeTest;
import io.strideback.intake.support.TestClinic;
import io.strideback.testing.LocalKeys;
import io.strideback.testing.Tokens;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.strideback.intake.support.TestClinic.CLINICIAN;
import static io.strideback.intake.support.TestClinic.OPS;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Issue 16 item 1: an operator revokes one token (its jti) or every token of a subject issued until
 * now; the service refuses it (401) within seconds, although it had verified and remembered it
 * before, and keeps accepting every other token.
 */
@QuarkusTest
class RevocationTest extends IntakeTest {

    private static final String REVOCATIONS = "/api/v1/ops/revocations";
    /** An athlete no clinic has: an accepted token gets 404, a refused one 401; nothing is written. */
    private static final String SYMPTOMS_OF_NOBODY = "/api/v1/athletes/nobody/symptoms";

    @Test
    void only_ops_revokes_and_a_revocation_names_exactly_one_thing() {
        TestClinic clinic = new TestClinic();
        clinic.as(CLINICIAN).body("{\"subject\":\"someone\"}").post(REVOCATIONS).then().statusCode(403);
        clinic.as(OPS).body("{}").post(REVOCATIONS).then().statusCode(400);
        clinic.as(OPS).body("{\"tokenId\":\"a\",\"subject\":\"b\"}").post(REVOCATIONS).then().statusCode(400);
        // Round 21: an id of invisible characters alone names no token (it was 202 and revoked nothing).
        clinic.as(OPS).body("{\"tokenId\":\"\\u200B\\u2060\"}").post(REVOCATIONS).then().statusCode(400);
        clinic.as(OPS).body("{\"subject\":\"\\uFEFF\"}").post(REVOCATIONS).then().statusCode(400);
        given().contentType(ContentType.JSON).body("{\"subject\":\"b\"}").post(REVOCATIONS).then().statusCode(401);
    }

    @Test
    void a_revoked_token_is_refused_although_it_was_verified_before_and_other_tokens_still_pass() {
        TestClinic clinic = new TestClinic();
        String subject = "physio-" + UUID.randomUUID();
        String stolen = token(clinic, subject, Instant.now());
        String other = token(clinic, subject, Instant.now());
        accepted(stolen); // verified, and remembered by the token cache
        accepted(other);

        clinic.as(OPS).body("{\"tokenId\":\"" + Tokens.claim(stolen, "jti") + "\",\"reason\":\"laptop stolen\"}")
                .post(REVOCATIONS).then().statusCode(202).body("kind", equalTo("TOKEN_ID"));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> refused(stolen));
        accepted(other);
    }

    @Test
    void a_revoked_subject_loses_every_token_issued_until_then_and_a_later_one_passes() {
        TestClinic clinic = new TestClinic();
        String subject = "physio-" + UUID.randomUUID();
        String first = token(clinic, subject, Instant.now());
        String second = token(clinic, subject, Instant.now());
        String bystander = token(clinic, "colleague-" + UUID.randomUUID(), Instant.now());
        accepted(first);

        String revokedAt = clinic.as(OPS).body("{\"subject\":\"" + subject + "\"}").post(REVOCATIONS)
                .then().statusCode(202).body("kind", equalTo("SUBJECT")).extract().path("revokedAt");

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            refused(first);
            refused(second);
        });
        accepted(bystander);
        // The identity provider's next token (issued after the revocation's second) is accepted again.
        Instant after = Instant.parse(revokedAt).plusSeconds(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(after));
        accepted(token(clinic, subject, Instant.now()));
    }

    private static String token(TestClinic clinic, String subject, Instant issuedAt) {
        return Tokens.issue(LocalKeys.loadOrCreate(LocalKeys.defaultDir()).getPrivate(), subject, clinic.id(),
                List.of(CLINICIAN), issuedAt, issuedAt.plus(Duration.ofHours(1)));
    }

    private static void accepted(String token) {
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Bodies.symptom().toString())
                .post(SYMPTOMS_OF_NOBODY).then().statusCode(404);
    }

    private static void refused(String token) {
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Bodies.symptom().toString())
                .post(SYMPTOMS_OF_NOBODY).then().statusCode(401);
    }
}
