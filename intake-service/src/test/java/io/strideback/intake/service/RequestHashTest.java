package io.strideback.intake.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keys stored before a release must still match their retries after it (8 days of retention): the
 * request hash stays SHA-256 of "what|body", however it is computed (issue 15 reuses one digest per thread).
 */
class RequestHashTest {

    private static String expected(String what, String body) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest((what + "|" + new ObjectMapper().readTree(body)).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest);
    }

    @Test
    void given_the_same_body_when_hashed_again_and_on_another_thread_then_the_hash_is_sha256_of_what_and_body() throws Exception {
        String body = "{\"observedAt\":\"2026-06-01T07:00:00Z\",\"pain\":3,\"note\":\"sore 🏃 après\",\"character\":[\"TIGHTNESS\"]}";
        JsonNode node = new ObjectMapper().readTree(body);
        String what = "symptom.reported|athlete-1";

        String first = IntakeService.requestHash(what, node);
        String again = IntakeService.requestHash(what, node);
        String elsewhere = CompletableFuture.supplyAsync(() -> IntakeService.requestHash(what, node)).join();

        assertThat(first).isEqualTo(expected(what, body)).isEqualTo(again).isEqualTo(elsewhere);
    }

    @Test
    void given_escapes_numbers_nesting_and_no_body_then_the_hash_is_still_of_the_body_as_json_text() throws Exception {
        // Written straight into the digest (issue 15, h5): the bytes must stay JsonNode.toString's.
        String body = "{\"note\":\"line\\nnext \\\"quoted\\\" tab\\t \\u0001 / \\\\ <\u00e9>\","
                + "\"n\":12345678901234567890,\"x\":1.50,\"e\":-2.5E-7,\"t\":true,\"z\":null,"
                + "\"deep\":{\"a\":[1,[2,{\"b\":\"\ud83c\udfc3\"}]],\"empty\":{}}}";
        JsonNode node = new ObjectMapper().readTree(body);

        assertThat(IntakeService.requestHash("session.logged|a", node)).isEqualTo(expected("session.logged|a", body));
        byte[] none = MessageDigest.getInstance("SHA-256").digest("symptom.reported|a|null".getBytes(StandardCharsets.UTF_8));
        assertThat(IntakeService.requestHash("symptom.reported|a", null)).isEqualTo(HexFormat.of().formatHex(none));
    }

    @Test
    void given_two_bodies_then_each_hash_is_of_its_own_body_only() throws Exception {
        String a = "{\"pain\":1}";
        String b = "{\"pain\":2}";

        String hashA = IntakeService.requestHash("symptom.reported|x", new ObjectMapper().readTree(a));
        String hashB = IntakeService.requestHash("symptom.reported|x", new ObjectMapper().readTree(b));

        assertThat(hashA).isEqualTo(expected("symptom.reported|x", a));
        assertThat(hashB).isEqualTo(expected("symptom.reported|x", b)).isNotEqualTo(hashA);
    }
}
