package io.strideback.loadmonitor.streams;

import io.strideback.events.ActivityEvents.SymptomReported;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.Topic;
import io.strideback.events.vocabulary.PainLocation;
import io.strideback.events.vocabulary.Side;
import io.strideback.loadmonitor.domain.SymptomReport;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static io.strideback.events.vocabulary.RunIntensity.EASY;
import static io.strideback.events.vocabulary.SymptomContext.AT_REST;
import static io.strideback.loadmonitor.streams.MonitorDriver.day;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Round 17: records only a rogue writer makes (anything producing to the activity log past intake), each parked on the
 * DLQ with its reason and never applied, while a true redelivery stays a quiet duplicate.
 */
class RogueWriterTopologyTest {

    @TempDir
    Path stateDir;

    private MonitorDriver monitor() {
        return new MonitorDriver(stateDir, "clinic-1", "ath-1");
    }

    private static List<String> reasons(MonitorDriver m) {
        return m.deadLetters().stream().map(r -> EventCodec.header(r.headers(), Topic.DLQ_REASON_HEADER)).toList();
    }

    @Test
    void an_id_taken_with_another_body_is_parked_naming_it_and_the_first_stands_while_a_redelivery_is_quiet() {
        try (MonitorDriver m = monitor()) {
            m.pipe(m.enrolment(3.0), m.report("r-1", day(0, "09:00"), 6, AT_REST));
            // held in heap after the analysis: the duplicate is found there
            m.pipe(m.report("r-1", day(0, "09:00"), 6, AT_REST));
            m.pipe(m.report("r-1", day(0, "09:00"), 2, AT_REST));
            // not held yet: found in the events store
            m.pipeBeforeAnalysis(List.of(m.run("s-1", day(1, "08:00"), 5.0, EASY), m.run("s-1", day(1, "08:00"), 5.0,
                    EASY), m.run("s-1", day(1, "08:00"), 9.0, EASY))).analyse();

            assertThat(reasons(m)).satisfiesExactly(
                    reason -> assertThat(reason).startsWith("symptom.reported r-1 refused: ce_id 'r-1' reused with"
                            + " another body"),
                    reason -> assertThat(reason).startsWith("session.logged s-1 refused: ce_id 's-1' reused with"
                            + " another body"));
            var timeline = m.storedTimeline().orElseThrow();
            assertThat(timeline.symptoms()).extracting(SymptomReport::pain).containsExactly(6);
            assertThat(timeline.sessions()).singleElement().satisfies(s -> assertThat(s.distanceKm()).isEqualTo(5.0));
        }
    }

    @Test
    void an_event_whose_data_names_another_athlete_than_its_headers_is_parked_and_not_applied_to_either() {
        try (MonitorDriver m = monitor()) {
            m.pipe(m.enrolment(3.0));
            EventEnvelope<SymptomReported> foreign = new EventEnvelope<>("r-2", EventType.SYMPTOM_REPORTED, "/test",
                    day(0, "09:00"), "ath-1", "clinic-1", EventType.CURRENT_SCHEMA_VERSION, new SymptomReported(
                    "ath-2", "clinic-1", day(0, "09:00"), 6, Side.LEFT, PainLocation.MID_CALF, List.of(), AT_REST,
                    List.of(), null));
            m.pipe(foreign);

            assertThat(reasons(m)).singleElement().asString()
                    .isEqualTo("symptom.reported r-2 names athlete 'ath-2' in its data, not its ce_subject 'ath-1'");
            assertThat(m.storedTimeline().orElseThrow().symptoms()).isEmpty();
        }
    }

    @Test
    void a_lone_surrogate_in_the_data_is_parked_naming_the_field_never_stored_altered() {
        try (MonitorDriver m = monitor()) {
            m.pipe(m.enrolment(3.0));
            ProducerRecord<String, byte[]> report = EventCodec.toRecord(m.run("s-2", day(0, "08:00"), 5.0, EASY));
            String json = new String(report.value(), StandardCharsets.UTF_8)
                    .replace("\"sessionId\":\"session-s-2\"", "\"sessionId\":\"session-\\ud800\"");
            m.pipeRaw(m.key(), json.getBytes(StandardCharsets.UTF_8), report.headers());

            assertThat(reasons(m)).singleElement().asString()
                    .isEqualTo("data of session.logged holds an unpaired UTF-16 surrogate in sessionId");
            assertThat(m.storedTimeline().orElseThrow().sessions()).isEmpty();
        }
    }
}
