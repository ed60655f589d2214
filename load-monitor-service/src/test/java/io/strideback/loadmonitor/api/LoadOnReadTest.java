package io.strideback.loadmonitor.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.strideback.events.ActivityEvents.AthleteEnrolled;
import io.strideback.events.ActivityEvents.Run;
import io.strideback.events.ActivityEvents.SessionLogged;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.RunIntensity;
import io.strideback.events.vocabulary.SessionType;
import io.strideback.events.vocabulary.Side;
import io.strideback.loadmonitor.domain.AthleteProfile;
import io.strideback.loadmonitor.domain.AthleteTimeline;
import io.strideback.loadmonitor.domain.LoadMonitor;
import io.strideback.loadmonitor.domain.LoadSummary;
import io.strideback.loadmonitor.mapping.FindingsMapping;
import io.strideback.testing.KafkaResource;
import io.strideback.testing.LocalKeysResource;
import io.strideback.testing.Tokens;
import io.strideback.testing.TopicRecords;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Issue #15: the findings view written at every analysis no longer carries the days of load (they grow with the
 * athlete's history); {@code GET .../load} computes them on read from the stored events, and answers what the rules
 * give on the athlete's whole timeline.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(LocalKeysResource.class)
class LoadOnReadTest {

    @Test
    void the_load_read_is_the_rules_load_of_every_stored_session() {
        String clinic = "clinic-" + UUID.randomUUID();
        String athlete = "athlete-" + UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant enrolledAt = now.minus(Duration.ofDays(10));
        AthleteEnrolled enrolment = new AthleteEnrolled(athlete, clinic, "Runner", Diagnosis.CALF_STRAIN_SOLEUS,
                Side.LEFT, LocalDate.now().minusDays(40), 3.0, enrolledAt);
        List<EventEnvelope<SessionLogged>> sessions = List.of(
                session(clinic, athlete, now.minus(Duration.ofDays(6)), 40, 5, 6.0),
                session(clinic, athlete, now.minus(Duration.ofDays(3)), 30, 4, 4.0),
                session(clinic, athlete, now.minus(Duration.ofDays(1)), 50, 6, 8.0));
        TopicRecords.send(KafkaResource.bootstrapServers(), EventCodec.toRecord(EventEnvelope.of(
                EventType.ATHLETE_ENROLLED, "/test", enrolledAt, clinic, athlete, enrolment)));
        sessions.forEach(s -> TopicRecords.send(KafkaResource.bootstrapServers(), EventCodec.toRecord(s)));

        LoadSummary expected = LoadMonitor.analyse(AthleteTimeline.of(
                new AthleteProfile(athlete, clinic, Diagnosis.CALF_STRAIN_SOLEUS, enrolment.injuryDate(), 3.0, null),
                sessions.stream().map(s -> FindingsMapping.session(s.id(), s.data())).toList(), List.of())).load();
        String clinician = Tokens.issue(clinic, "clinician");
        JsonPath load = await().atMost(Duration.ofSeconds(90)).until(() -> {
            var answer = given().auth().oauth2(clinician).get("/api/v1/athletes/" + athlete + "/load");
            return answer.statusCode() == 200 ? answer.jsonPath() : null;
        }, l -> l != null && l.getList("days").size() == expected.days().size()
                && sum(l, "days.sessionRpeLoad") == 40 * 5 + 30 * 4 + 50 * 6);

        assertThat(expected.days()).hasSizeGreaterThanOrEqualTo(6);
        for (int i = 0; i < expected.days().size(); i++) {
            assertThat(load.getString("days[" + i + "].date")).isEqualTo(expected.days().get(i).date().toString());
            assertThat(load.getDouble("days[" + i + "].sessionRpeLoad"))
                    .isCloseTo(expected.days().get(i).sessionRpeLoad(), within(1e-6));
            assertThat(load.getDouble("days[" + i + "].runKm")).isCloseTo(expected.days().get(i).runKm(), within(1e-6));
        }
        assertThat(load.getDouble("acuteLoad")).isCloseTo(expected.acuteLoad(), within(1e-6));
        assertThat(load.getDouble("chronicLoad")).isCloseTo(expected.chronicLoad(), within(1e-6));
        assertThat(load.getDouble("longestRunLast30DaysKm")).isCloseTo(8.0, within(1e-6));
    }

    @Test
    void an_athlete_the_monitor_does_not_hold_is_404() {
        String clinic = "clinic-" + UUID.randomUUID();
        given().auth().oauth2(Tokens.issue(clinic, "clinician")).get("/api/v1/athletes/nobody/load").then()
                .statusCode(404);
    }

    private static double sum(JsonPath load, String path) {
        return load.<Object>getList(path).stream().mapToDouble(v -> ((Number) v).doubleValue()).sum();
    }

    private static EventEnvelope<SessionLogged> session(String clinic, String athlete, Instant at, int minutes, int rpe,
                                                       double km) {
        return EventEnvelope.of(EventType.SESSION_LOGGED, "/test", at, clinic, athlete,
                new SessionLogged(athlete, clinic, UUID.randomUUID().toString(), SessionType.RUN, at, minutes, rpe,
                        new Run(km, RunIntensity.EASY, null), null, null));
    }
}
