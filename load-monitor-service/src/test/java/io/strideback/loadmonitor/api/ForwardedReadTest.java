package io.strideback.loadmonitor.api;

import com.sun.net.httpserver.HttpServer;
import io.strideback.events.EventCodec;
import io.strideback.events.vocabulary.PainCharacter;
import io.strideback.events.vocabulary.PainLocation;
import io.strideback.events.vocabulary.RedFlag;
import io.strideback.events.vocabulary.SymptomContext;
import io.strideback.support.rest.Problem;
import io.strideback.support.rest.ProblemException;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * CONTRACT v2: every replica answers every read for its clinic's athletes, and the same read the same. Round 18's
 * outside check read one athlete's timeline from two replicas: the one that forwarded it answered the symptom's
 * {@code character} in another order ({@code ["HEAT","NUMBNESS"]} beside the owner's {@code ["NUMBNESS","HEAT"]}: the
 * forwarder read the owner's JSON into a hash set of enums, whose order is each JVM's own), and a 404 without the
 * athlete's id. Here the owner is a plain HTTP server answering what the owning instance answers.
 */
class ForwardedReadTest {

    private HttpServer owner;

    @AfterEach
    void stop() {
        if (owner != null) {
            owner.stop(0);
        }
    }

    @Test
    void a_forwarded_timeline_reads_as_the_owner_wrote_it() throws Exception {
        MonitorViews.Timeline atOwner = new MonitorViews.Timeline("runner-1", List.of(), List.of(
                new MonitorViews.SymptomView("e1", Instant.parse("2026-11-21T08:00:00Z"), 8, PainLocation.WHOLE_CALF,
                        EnumSet.allOf(PainCharacter.class), SymptomContext.AT_REST, EnumSet.allOf(RedFlag.class))));
        String written = EventCodec.JSON.writeValueAsString(atOwner);
        HostInfo host = serve(200, "application/json", written);

        MonitorViews.Timeline forwarded = new MonitorQueries().forward(host, "/api/v1/athletes/runner-1/timeline",
                "Bearer t", MonitorViews.Timeline.class);

        assertThat(EventCodec.JSON.writeValueAsString(forwarded)).isEqualTo(written);
    }

    @Test
    void a_forwarded_404_says_what_the_owners_says() throws Exception {
        HostInfo host = serve(404, Problem.MEDIA_TYPE, EventCodec.JSON.writeValueAsString(
                ProblemException.notFound("athlete runner-1").problem()));

        ProblemException refused = catchThrowableOfType(ProblemException.class, () -> new MonitorQueries()
                .forward(host, "/api/v1/athletes/runner-1/flare-ups", "Bearer t", MonitorViews.FlareUps.class));

        assertThat(refused.problem()).isEqualTo(ProblemException.notFound("athlete runner-1").problem());
    }

    private HostInfo serve(int status, String type, String body) throws IOException {
        owner = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        owner.createContext("/", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", type);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        owner.start();
        return new HostInfo("127.0.0.1", owner.getAddress().getPort());
    }
}
