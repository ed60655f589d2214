package io.strideback.plan.personal;

import com.sun.net.httpserver.HttpServer;
import io.strideback.events.EventCodec;
import io.strideback.events.SealedText;
import io.strideback.plan.personal.PersonalData.OpenAnswer;
import io.strideback.plan.personal.PersonalData.OpenItem;
import io.strideback.plan.personal.PersonalData.OpenRequest;
import io.strideback.plan.personal.PersonalData.SealAnswer;
import io.strideback.plan.personal.PersonalData.SealRequest;
import io.strideback.support.rest.ProblemException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client of intake's open endpoint (issue 16 item 3), against a stand-in intake on a JDK HTTP server: sealed
 * fields go in one call with the caller's bearer token and come back in order; plain (pre-sealing) values and nulls
 * need no call; intake refusing, or not there at all, gives null names instead of a failure.
 */
class PersonalDataTest {

    private static final String SEALED_ADA = SealedText.PREFIX + "ada";
    private static final String SEALED_NOTE = SealedText.PREFIX + "note";

    private HttpServer intake;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<OpenRequest> requests = new CopyOnWriteArrayList<>();
    private int status = 200;

    @AfterEach
    void stop() {
        if (intake != null) {
            intake.stop(0);
        }
    }

    @Test
    void sealed_fields_are_opened_in_one_call_with_the_callers_token_and_plain_ones_as_they_are() throws Exception {
        PersonalData personalData = client(startIntake());
        PersonalData.Batch batch = new PersonalData.Batch(personalData, "the-callers-token");
        Supplier<String> ada = batch.add("a-1", SEALED_ADA);
        Supplier<String> plain = batch.add("a-2", "Old Plain Name");
        Supplier<String> none = batch.add("a-3", null);
        Supplier<String> note = batch.add("a-1", SEALED_NOTE);
        batch.open();

        assertThat(List.of(ada.get(), plain.get(), note.get())).containsExactly("Ada", "Old Plain Name", "a note");
        assertThat(none.get()).isNull();
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).items()).containsExactly(new OpenItem("a-1", SEALED_ADA), new OpenItem("a-1", SEALED_NOTE));
        assertThat(authorizations).containsExactly("Bearer the-callers-token");
    }

    @Test
    void nothing_sealed_calls_nobody() throws Exception {
        PersonalData personalData = client(startIntake());
        PersonalData.Batch batch = new PersonalData.Batch(personalData, "token");
        Supplier<String> plain = batch.add("a-2", "Old Plain Name");
        batch.open();
        assertThat(plain.get()).isEqualTo("Old Plain Name");
        assertThat(requests).isEmpty();
    }

    @Test
    void a_refusal_or_an_unreachable_intake_gives_null_names_not_a_failure() throws Exception {
        status = 503;
        PersonalData refusing = client(startIntake());
        PersonalData.Batch batch = new PersonalData.Batch(refusing, "token");
        Supplier<String> ada = batch.add("a-1", SEALED_ADA);
        Supplier<String> plain = batch.add("a-2", "Old Plain Name");
        batch.open();
        assertThat(ada.get()).isNull();
        assertThat(plain.get()).isEqualTo("Old Plain Name");

        int port = intake.getAddress().getPort();
        intake.stop(0);
        intake = null;
        PersonalData.Batch unreachable = new PersonalData.Batch(client(port), "token");
        Supplier<String> again = unreachable.add("a-1", SEALED_ADA);
        unreachable.open();
        assertThat(again.get()).isNull();
    }

    @Test
    void sealed_parts_inside_a_reason_open_in_place_and_one_that_does_not_open_makes_the_reason_null() throws Exception {
        PersonalData personalData = client(startIntake());
        PersonalData.Batch batch = new PersonalData.Batch(personalData, "token");
        Supplier<String> reason = batch.addText("a-1", "Moved to BUILD by dr-a: " + SEALED_NOTE + "; now runs up to 5 km.");
        Supplier<String> unopened = batch.addText("a-1", "Cleared by dr-a: " + SealedText.PREFIX + "other; now 3 km.");
        Supplier<String> plain = batch.addText("a-1", "Moved to BUILD by dr-a: plain words.");
        com.fasterxml.jackson.databind.JsonNode tree = EventCodec.JSON.readTree("{\"adjustments\": [{\"reason\": \"Rejected: "
                + SEALED_NOTE + ".\"}], \"displayName\": \"" + SEALED_ADA + "\", \"why\": [\"" + SEALED_NOTE + "\"]}");
        batch.openIn("a-1", tree);
        batch.open();

        assertThat(reason.get()).isEqualTo("Moved to BUILD by dr-a: a note; now runs up to 5 km.");
        assertThat(unopened.get()).as("never shown with its sealed part").isNull();
        assertThat(plain.get()).isEqualTo("Moved to BUILD by dr-a: plain words.");
        assertThat(tree.toString()).isEqualTo("{\"adjustments\":[{\"reason\":\"Rejected: a note.\"}],\"displayName\":\"Ada\","
                + "\"why\":[\"a note\"]}");
        assertThat(requests).hasSize(1);
    }

    @Test
    void words_are_sealed_in_one_call_with_the_callers_token_and_never_passed_on_plain_when_intake_fails() throws Exception {
        PersonalData personalData = client(startIntake());
        assertThat(personalData.seal("a-1", List.of("his daughter's wedding"), "the-callers-token"))
                .containsExactly(SealedText.PREFIX + "sealed-his daughter's wedding");
        assertThat(authorizations).containsExactly("Bearer the-callers-token");

        for (int refusal : new int[]{503, 500, 401}) {
            status = refusal;
            assertThatThrownBy(() -> personalData.seal("a-1", List.of("words"), "token"))
                    .isInstanceOfSatisfying(ProblemException.class, e -> {
                        assertThat(e.problem().status()).isEqualTo(503);
                        assertThat(e.headers()).containsEntry("Retry-After", "5");
                    });
        }
        for (int gone : new int[]{404, 410}) {
            status = gone;
            assertThatThrownBy(() -> personalData.seal("a-1", List.of("words"), "token"))
                    .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(404));
        }
        int port = intake.getAddress().getPort();
        intake.stop(0);
        intake = null;
        assertThatThrownBy(() -> client(port).seal("a-1", List.of("words"), "token"))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(503));
    }

    private int startIntake() throws Exception {
        intake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        intake.createContext("/api/v1/personal-data/open", exchange -> {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            OpenRequest request = EventCodec.JSON.readValue(exchange.getRequestBody().readAllBytes(), OpenRequest.class);
            requests.add(request);
            List<OpenItem> out = new ArrayList<>();
            for (OpenItem item : request.items()) {
                out.add(new OpenItem(item.athleteId(), SEALED_ADA.equals(item.value()) ? "Ada"
                        : SEALED_NOTE.equals(item.value()) ? "a note" : null));
            }
            byte[] body = status == 200 ? EventCodec.JSON.writeValueAsBytes(new OpenAnswer(out)) : new byte[0];
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        intake.createContext("/api/v1/personal-data/seal", exchange -> {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            SealRequest request = EventCodec.JSON.readValue(exchange.getRequestBody().readAllBytes(), SealRequest.class);
            byte[] body = status == 200 ? EventCodec.JSON.writeValueAsBytes(new SealAnswer(request.athleteId(),
                    request.texts().stream().map(t -> SealedText.PREFIX + "sealed-" + t).toList())) : new byte[0];
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        intake.start();
        return intake.getAddress().getPort();
    }

    private static PersonalData client(int port) {
        PersonalData personalData = new PersonalData();
        personalData.intakeUrl = "http://127.0.0.1:" + port + "/";
        personalData.timeout = Duration.ofSeconds(3);
        return personalData;
    }
}
