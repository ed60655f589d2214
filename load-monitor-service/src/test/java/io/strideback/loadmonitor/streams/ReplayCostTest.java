package io.strideback.loadmonitor.streams;

import io.strideback.events.ActivityEvents;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.Topic;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.PainLocation;
import io.strideback.events.vocabulary.RunIntensity;
import io.strideback.events.vocabulary.SessionType;
import io.strideback.events.vocabulary.Side;
import io.strideback.events.vocabulary.SymptomContext;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Constructor;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;

/**
 * What a replay costs the load monitor's processor, its RocksDB stores included, per record (issue #14, bench figure 3
 * without the broker, the changelogs and the transactions): a fresh {@link AthleteMonitor} (announcing nothing, as the
 * bench's replay) reads {@code bench.replay-cost.athletes} runners' {@code bench.replay-cost.days} days of events in
 * time order, its punctuation run every {@code bench.replay-cost.chunk} records (about what 20 ms bring at the warm
 * consumer ceiling). Prints CPU time of the processing thread per record and records per CPU second. Not a test of behaviour: run on demand with
 * {@code -Dbench.replay-cost=true -Dtest=ReplayCostTest}.
 */
@EnabledIfSystemProperty(named = "bench.replay-cost", matches = "true")
class ReplayCostTest {

    @TempDir
    Path stateDir;

    @Test
    void replay_cost_per_record() throws Exception {
        int athletes = Integer.getInteger("bench.replay-cost.athletes", 140);
        int days = Integer.getInteger("bench.replay-cost.days", 400);
        int chunk = Integer.getInteger("bench.replay-cost.chunk", 500);
        List<EventEnvelope<?>> all = new ArrayList<>();
        Random random = new Random(7);
        for (int a = 0; a < athletes; a++) {
            all.addAll(runner(random, "clinic-" + (a % 4), "runner-" + a, days));
        }
        all.sort(Comparator.comparing(EventEnvelope<?>::time).thenComparing(EventEnvelope::id));
        List<Record<String, byte[]>> records = new ArrayList<>();
        for (EventEnvelope<?> e : all) {
            ProducerRecord<String, byte[]> r = EventCodec.toRecord(e);
            records.add(new Record<>(r.key(), r.value(), e.time().toEpochMilli(), r.headers()));
        }
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "replay-cost");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        MockProcessorContext<String, byte[]> context = new MockProcessorContext<>(props,
                new org.apache.kafka.streams.processor.TaskId(0, 0), stateDir.toFile());
        List<KeyValueStore<String, byte[]>> stores = new ArrayList<>();
        // the stores of the topology this build has (the same test measures the code before issue #14's batches)
        for (String field : List.of("ATHLETES", "ATHLETE_EVENTS", "TO_ANALYSE", "ATHLETE_TIMERS", "CLINIC_SETTINGS",
                "FINDINGS_VIEW", "ADHERENCE")) {
            String name;
            try {
                name = (String) MonitorTopology.class.getField(field).get(null);
            } catch (NoSuchFieldException absent) {
                continue;
            }
            KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name),
                    Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().withCachingDisabled().build();
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
            stores.add(store);
        }
        Processor<String, byte[], String, byte[]> monitor = null;
        for (Constructor<?> c : AthleteMonitor.class.getDeclaredConstructors()) {
            c.setAccessible(true);
            Class<?>[] types = c.getParameterTypes();
            monitor = types.length == 2 ? (AthleteMonitor) c.newInstance(MonitorMeters.NONE, false)
                    : (AthleteMonitor) c.newInstance(MonitorMeters.NONE, false, types[2] == Duration.class
                    ? Duration.ofMillis(20) : AnalysisPace.every(Duration.ofMillis(20)));
        }
        context.setCurrentSystemTimeMs(System.currentTimeMillis());
        monitor.init(context);
        context.setRecordMetadata(Topic.ATHLETE_ACTIVITY.topicName(), 0, 0);
        var cpu = ManagementFactory.getThreadMXBean();
        long wall = System.nanoTime();
        long spent = cpu.getCurrentThreadCpuTime();
        int punctuations = 0;
        for (int i = 0; i < records.size(); i++) {
            monitor.process(records.get(i));
            if (i % chunk == chunk - 1 || i == records.size() - 1) {
                for (var p : context.scheduledPunctuators()) {
                    p.getPunctuator().punctuate(System.currentTimeMillis());
                    punctuations++;
                }
            }
        }
        spent = cpu.getCurrentThreadCpuTime() - spent;
        wall = System.nanoTime() - wall;
        long dlq = context.forwarded().size();
        System.out.printf(Locale.ROOT, "REPLAY-COST %d athletes, %d records (%d per athlete), chunk %d, %d "
                        + "punctuations, %d forwarded: %.1f µs CPU per record, %.0f records per CPU second, %.0f "
                        + "records/s wall, load average %.1f%n",
                athletes, records.size(), records.size() / athletes, chunk, punctuations, dlq,
                spent / 1e3 / records.size(), records.size() / (spent / 1e9), records.size() / (wall / 1e9),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        monitor.close();
        for (KeyValueStore<String, byte[]> store : stores) {
            store.close();
        }
    }

    /** A runner's days: a morning report most days, a run every other day with a report after it, now and then a flare-up. */
    private static List<EventEnvelope<?>> runner(Random random, String clinicId, String athleteId, int days) {
        List<EventEnvelope<?>> out = new ArrayList<>();
        LocalDate day0 = LocalDate.of(2025, 1, 6);
        Instant enrolledAt = day0.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        out.add(new EventEnvelope<>("enrol-" + athleteId, EventType.ATHLETE_ENROLLED, "/test", enrolledAt, athleteId,
                clinicId, 1, new ActivityEvents.AthleteEnrolled(athleteId, clinicId, "Runner",
                Diagnosis.CALF_STRAIN_SOLEUS, Side.LEFT, day0.minusDays(20), 3.0, enrolledAt)));
        for (int d = 0; d < days; d++) {
            Instant day = day0.plusDays(d).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
            if (random.nextInt(10) < 8) {
                out.add(symptom(random, clinicId, athleteId, day.plusSeconds(25_000), random.nextInt(3),
                        SymptomContext.MORNING));
            }
            if (d % 2 == 0) {
                Instant at = day.plusSeconds(61_200 + random.nextInt(3600));
                double km = 3 + random.nextInt(6) + 0.5;
                out.add(new EventEnvelope<>(uuid(random), EventType.SESSION_LOGGED, "/test", at, athleteId, clinicId, 1,
                        new ActivityEvents.SessionLogged(athleteId, clinicId, "garmin-" + random.nextInt(1 << 30),
                                SessionType.RUN, at, km * 6, 4, new ActivityEvents.Run(km,
                                random.nextInt(5) == 0 ? RunIntensity.TEMPO : RunIntensity.EASY, 165), null, null)));
                int pain = random.nextInt(12) == 0 ? 5 + random.nextInt(3) : random.nextInt(3);
                out.add(symptom(random, clinicId, athleteId, at.plusSeconds(3_600), pain, SymptomContext.AFTER_RUN));
            }
        }
        return out;
    }

    private static EventEnvelope<?> symptom(Random random, String clinicId, String athleteId, Instant at, int pain,
                                            SymptomContext context) {
        return new EventEnvelope<>(uuid(random), EventType.SYMPTOM_REPORTED, "/test", at, athleteId, clinicId, 1,
                new ActivityEvents.SymptomReported(athleteId, clinicId, at, pain, Side.LEFT, PainLocation.MID_CALF,
                        List.of(), context, List.of(), null));
    }

    private static String uuid(Random random) {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }
}
