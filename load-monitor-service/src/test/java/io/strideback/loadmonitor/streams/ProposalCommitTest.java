package io.strideback.loadmonitor.streams;

import io.strideback.events.ActivityEvents;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.Topic;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.PainLocation;
import io.strideback.events.vocabulary.RedFlag;
import io.strideback.events.vocabulary.Side;
import io.strideback.events.vocabulary.SymptomContext;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #15: under exactly_once_v2 plan-service sees a proposal only once the monitor's transaction commits. The
 * analysis that forwards a proposal (or a withdrawal) asks Kafka Streams to commit right after it, instead of leaving it
 * to wait for the commit interval; an analysis that proposes nothing leaves the commit to the interval.
 */
class ProposalCommitTest {

    @TempDir
    Path stateDir;

    private MockProcessorContext<String, byte[]> context;
    private final List<KeyValueStore<String, byte[]>> stores = new ArrayList<>();
    private AthleteMonitor monitor;

    @BeforeEach
    void monitor() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "proposal-commit");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        context = new MockProcessorContext<>(props, new TaskId(0, 0), stateDir.toFile());
        context.setCurrentSystemTimeMs(System.currentTimeMillis());
        for (String name : List.of(MonitorTopology.ATHLETES, MonitorTopology.ATHLETE_EVENTS, MonitorTopology.TO_ANALYSE,
                MonitorTopology.CLINIC_SETTINGS, MonitorTopology.FINDINGS_VIEW, MonitorTopology.ADHERENCE)) {
            KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name),
                    Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().withCachingDisabled().build();
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
            stores.add(store);
        }
        monitor = new AthleteMonitor(MonitorMeters.NONE, true, AnalysisPace.every(Duration.ofMillis(20)));
        monitor.init(context);
        context.setRecordMetadata(Topic.ATHLETE_ACTIVITY.topicName(), 0, 0);
    }

    @AfterEach
    void close() {
        monitor.close();
        stores.forEach(KeyValueStore::close);
    }

    @Test
    void an_analysis_that_proposes_nothing_leaves_the_commit_to_the_interval() {
        Instant now = Instant.now();
        monitor.process(record(enrolment(now)));
        monitor.process(record(symptom("s1", now, 3, List.of())));

        tick();

        assertThat(context.forwarded()).noneSatisfy(f -> assertThat(f.childName())
                .hasValue(MonitorTopology.ADJUSTMENTS_SINK));
        assertThat(context.committed()).isFalse();
    }

    @Test
    void an_analysis_that_forwards_a_proposal_asks_for_the_commit_at_once() {
        Instant now = Instant.now();
        monitor.process(record(enrolment(now)));
        tick();
        context.resetForwards();
        context.resetCommit();

        monitor.process(record(symptom("swelling", now, 6, List.of(RedFlag.SWELLING))));
        tick();

        assertThat(context.forwarded()).anySatisfy(f -> {
            assertThat(f.childName()).hasValue(MonitorTopology.ADJUSTMENTS_SINK);
            assertThat(EventCodec.header(f.record().headers(), EventCodec.TYPE))
                    .isEqualTo(EventType.PLAN_ADJUSTMENT_PROPOSED.ceType());
        });
        assertThat(context.committed()).isTrue();
    }

    /** The analysis punctuation, as the stream thread runs it every 20 ms. */
    private void tick() {
        context.setCurrentSystemTimeMs(context.currentSystemTimeMs() + 20);
        context.scheduledPunctuators().forEach(p -> p.getPunctuator().punctuate(System.currentTimeMillis()));
    }

    private static Record<String, byte[]> record(EventEnvelope<?> event) {
        ProducerRecord<String, byte[]> r = EventCodec.toRecord(event);
        return new Record<>(r.key(), r.value(), System.currentTimeMillis(), r.headers());
    }

    private static EventEnvelope<?> enrolment(Instant at) {
        return new EventEnvelope<>("enrol-ath-1", EventType.ATHLETE_ENROLLED, "/test", at, "ath-1", "clinic-1", 1,
                new ActivityEvents.AthleteEnrolled("ath-1", "clinic-1", "Runner", Diagnosis.CALF_STRAIN_SOLEUS,
                        Side.LEFT, LocalDate.now().minusDays(20), 3.0, at));
    }

    private static EventEnvelope<?> symptom(String id, Instant at, int pain, List<RedFlag> redFlags) {
        return new EventEnvelope<>(id, EventType.SYMPTOM_REPORTED, "/test", at, "ath-1", "clinic-1", 1,
                new ActivityEvents.SymptomReported("ath-1", "clinic-1", at, pain, Side.LEFT, PainLocation.MID_CALF,
                        List.of(), SymptomContext.AT_REST, redFlags, null));
    }
}
