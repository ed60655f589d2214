package io.strideback.intake.security;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.strideback.intake.support.Bodies;
import io.strideback.testing.JwksServer;
import io.strideback.testing.KafkaResource;
import io.strideback.testing.LocalKeys;
import io.strideback.testing.PostgresResource;
import io.strideback.testing.Tokens;
import org.junit.jupiter.api.Test;

import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16 item 1: tokens from a clinic's OpenID Connect provider. With
 * {@code mp.jwt.verify.publickey.location} set to the provider's JWKS URL (here a tiny key set served by
 * the test, in Keycloak's path) instead of a PEM file, the service fetches the key set and verifies
 * tokens signed with a key in it; a token signed with any other key is 401.
 */
@QuarkusTest
@TestProfile(JwksVerificationTest.FromJwks.class)
class JwksVerificationTest {

    static JwksServer jwks;

    /** Serves the local key's public half as a JWKS and points the service at its URL (no PEM file at all). */
    public static class Jwks implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            jwks = JwksServer.start((RSAPublicKey) LocalKeys.loadOrCreate(LocalKeys.defaultDir()).getPublic());
            return Map.of("mp.jwt.verify.publickey.location", jwks.url());
        }

        @Override
        public void stop() {
            jwks.close();
        }
    }

    public static class FromJwks implements QuarkusTestProfile {
        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KafkaResource.class),
                    new TestResourceEntry(PostgresResource.class, Map.of("database", "intake")),
                    new TestResourceEntry(Jwks.class));
        }
    }

    @Test
    void a_token_signed_with_a_key_of_the_providers_set_is_accepted_and_any_other_is_refused() throws Exception {
        String clinic = "clinic-jwks";
        String good = Tokens.issue(clinic, "clinician");
        post(good, 404); // authenticated: no athlete "nobody" in this clinic

        var foreign = KeyPairGenerator.getInstance("RSA");
        foreign.initialize(2048);
        String forged = Tokens.issue(foreign.generateKeyPair().getPrivate(), "clinician@" + clinic, clinic,
                List.of("clinician"), Duration.ofHours(1));
        post(forged, 401);

        assertThat(jwks.requests()).as("the key set was fetched from the provider's URL").isPositive();
    }

    private static void post(String token, int status) {
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Bodies.symptom().toString())
                .post("/api/v1/athletes/nobody/symptoms").then().statusCode(status);
    }
}
