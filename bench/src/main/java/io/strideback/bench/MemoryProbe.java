package io.strideback.bench;

import io.strideback.events.vocabulary.*;
import io.strideback.loadmonitor.domain.*;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import io.strideback.loadmonitor.state.CompactTimeline;
import io.strideback.loadmonitor.state.TimelineCache;

/**
 * Heap per athlete of the load monitor's state: the athlete's timeline of the trailing 42 days (runs
 * every other day, strength twice a week, a morning report most days, flare-up reports; intake's UUID
 * event ids, a watch's session ids) held the way the service holds it, packed in its
 * {@link TimelineCache}. {@code domainObjects} holds the same events as the rules' plain objects
 * instead, for comparison.
 */
final class MemoryProbe {

    record Result(long bytesPerAthlete, int eventsPerAthlete) {
    }

    private MemoryProbe() {
    }

    static Result measure(int athletes, boolean domainObjects) {
        return measure(athletes, domainObjects, false);
    }

    /**
     * With {@code timers}, the load monitor's timers index too (round 17, {@code AthleteTimers}), as after every
     * athlete's timer fired once and named a next one: per athlete the present it reached and its next due instant,
     * each its own (the index keeps a set per due instant).
     */
    static Result measure(int athletes, boolean domainObjects, boolean timers) {
        long before = usedAfterGc();
        List<AthleteTimeline> held = new ArrayList<>();
        List<String> timerKeys = new ArrayList<>();
        TimelineCache cache = new TimelineCache(Long.MAX_VALUE);
        Random random = new Random(3);
        Instant start = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(42));
        int events = 0;
        for (int a = 0; a < athletes; a++) {
            String id = "mem-" + a;
            List<TrainingSession> sessions = new ArrayList<>();
            List<SymptomReport> symptoms = new ArrayList<>();
            for (int d = 0; d < 42; d++) {
                Instant day = start.plus(Duration.ofDays(d));
                if (d % 2 == 0) {
                    sessions.add(new TrainingSession(uuid(random), "garmin-" + (9_000_000_000L + random.nextInt(1 << 30)), SessionType.RUN, day.plusSeconds(25_200),
                            30, 4, 3 + random.nextInt(5) + 0.5, RunIntensity.EASY, 165));
                }
                if (d % 7 == 1 || d % 7 == 4) {
                    sessions.add(new TrainingSession(uuid(random), "strength-" + a + "-" + d, SessionType.STRENGTH, day.plusSeconds(64_800),
                            25, 6, null, null, null));
                }
                if (random.nextInt(10) < 7) {
                    symptoms.add(new SymptomReport(uuid(random), day.plusSeconds(25_000), random.nextInt(3),
                            PainLocation.MID_CALF, Set.of(), SymptomContext.MORNING, Set.of()));
                }
                if (random.nextInt(10) == 0) {
                    symptoms.add(new SymptomReport(uuid(random), day.plusSeconds(30_000), 5, PainLocation.MID_CALF,
                            EnumSet.of(PainCharacter.PULLING), SymptomContext.AFTER_RUN, Set.of()));
                }
            }
            events = sessions.size() + symptoms.size();
            if (timers) {
                timerKeys.add("mem-clinic/" + id);
            }
            AthleteTimeline timeline = AthleteTimeline.of(new AthleteProfile(id, "mem-clinic", Diagnosis.CALF_STRAIN_SOLEUS,
                    LocalDate.now().minusDays(60), 3.0), sessions, symptoms);
            if (domainObjects) {
                held.add(timeline);
            } else {
                cache.put("mem-clinic", id, CompactTimeline.of(timeline));
            }
        }
        Instant present = start.plus(Duration.ofDays(42));
        Object timersHeld = timers ? io.strideback.loadmonitor.streams.TimersHeap.held(timerKeys,
                i -> present.plusMillis(i), i -> present.plus(Duration.ofDays(3)).plusMillis(7L * i)) : null;
        timerKeys = null; // the index holds its own references to the keys
        long after = usedAfterGc();
        java.lang.ref.Reference.reachabilityFence(timersHeld);
        if (held.size() + cache.size() != athletes) {
            throw new IllegalStateException();
        }
        return new Result((after - before) / athletes, events);
    }

    private static String uuid(Random random) {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
