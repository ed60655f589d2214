package io.strideback.loadmonitor.domain;

import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.PainCharacter;
import io.strideback.events.vocabulary.PainLocation;
import io.strideback.events.vocabulary.RedFlag;
import io.strideback.events.vocabulary.RunIntensity;
import io.strideback.events.vocabulary.SessionType;
import io.strideback.events.vocabulary.SymptomContext;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Random but realistic athlete histories from a seeded {@link Random}: runs most days with distances that
 * progress and sometimes spike, mixed intensities and cadences, strength and cross-training, symptom reports in
 * every context (mostly low, some flare-ups, the odd red flag), reports during and after runs, and events that
 * share an instant so ties are broken by event id.
 */
public final class RandomHistory {

    public final AthleteProfile profile;
    public final List<TrainingSession> sessions = new ArrayList<>();
    public final List<SymptomReport> reports = new ArrayList<>();

    private final Random random;
    private int next;
    private Instant last;

    private RandomHistory(Random random, String athleteId) {
        this.random = random;
        Double declared = random.nextInt(3) == 0 ? null : Km.round(1.5 + random.nextDouble() * 3);
        this.profile = new AthleteProfile(athleteId, "clinic-" + random.nextInt(3),
                Diagnosis.values()[random.nextInt(Diagnosis.values().length)], Story.DAY_0.minusDays(20), declared);
    }

    public static RandomHistory generate(Random random, String athleteId) {
        RandomHistory h = new RandomHistory(random, athleteId);
        h.tell();
        return h;
    }

    public AthleteTimeline sortedTimeline() {
        return AthleteTimeline.of(profile, sessions, reports);
    }

    List<Object> events() {
        List<Object> all = new ArrayList<>(sessions);
        all.addAll(reports);
        return all;
    }

    static AthleteTimeline add(AthleteTimeline timeline, Object event) {
        return event instanceof TrainingSession s ? timeline.with(s) : timeline.with((SymptomReport) event);
    }

    private void tell() {
        int days = 30 + random.nextInt(70);
        double base = 1.5 + random.nextDouble() * 3;
        Integer cadence = random.nextBoolean() ? null : 155 + random.nextInt(30);
        // a calmer stretch (few symptoms) in some histories, so caps can settle and relax
        int calmFrom = random.nextBoolean() ? days / 2 : days + 1;
        for (int d = 0; d < days; d++) {
            boolean calm = d >= calmFrom;
            if (random.nextDouble() < 0.5) {
                double km = base * (0.8 + 0.4 * random.nextDouble());
                if (random.nextDouble() < 0.12) {
                    km *= 1.3 + random.nextDouble();
                }
                base *= 1.0 + 0.03 * random.nextDouble();
                RunIntensity intensity = random.nextDouble() < 0.6 ? RunIntensity.EASY
                        : RunIntensity.values()[random.nextInt(RunIntensity.values().length)];
                Instant at = time(d, 6 + random.nextInt(14), 15 * random.nextInt(4));
                double minutes = km * (5 + 2 * random.nextDouble());
                TrainingSession run = new TrainingSession(id("run"), random.nextInt(10) == 0 ? null : "s" + next,
                        SessionType.RUN, at, minutes, random.nextInt(10) == 0 ? null : 2 + random.nextInt(7),
                        Km.round(km), intensity,
                        cadence == null ? null : cadence + random.nextInt(7) - 3);
                sessions.add(run);
                if (random.nextDouble() < (calm ? 0.05 : 0.35)) {
                    SymptomContext ctx = random.nextBoolean() ? SymptomContext.DURING_RUN : SymptomContext.AFTER_RUN;
                    Instant when = ctx == SymptomContext.DURING_RUN
                            ? at.plus(Duration.ofMinutes(random.nextInt((int) Math.max(1, minutes))))
                            : run.endedAt().plus(Duration.ofMinutes(10 + random.nextInt(300)));
                    reports.add(report(when, ctx, calm));
                }
            }
            if (random.nextDouble() < 0.3) {
                Instant at = time(d, 16 + random.nextInt(5), 0);
                sessions.add(new TrainingSession(id("strength"), "s" + next, SessionType.STRENGTH, at,
                        20 + random.nextInt(40), 3 + random.nextInt(6), null, null, null, exercises()));
                if (random.nextDouble() < 0.15) {
                    reports.add(report(at.plus(Duration.ofMinutes(15)), SymptomContext.DURING_STRENGTH, calm));
                }
            }
            if (random.nextDouble() < 0.1) {
                SessionType type = random.nextBoolean() ? SessionType.CROSS_TRAINING : SessionType.WALK;
                sessions.add(new TrainingSession(id("other"), "s" + next, type, time(d, 12, 0),
                        20 + random.nextInt(60), random.nextInt(8), null, null, null));
            }
            int daily = calm ? random.nextInt(2) : random.nextInt(3);
            for (int k = 0; k < daily; k++) {
                SymptomContext ctx = SymptomContext.values()[random.nextInt(SymptomContext.values().length)];
                int hour = ctx == SymptomContext.NIGHT ? random.nextInt(5) : ctx == SymptomContext.MORNING
                        ? 6 + random.nextInt(3) : 9 + random.nextInt(14);
                reports.add(report(time(d, hour, random.nextInt(60)), ctx, calm));
            }
        }
    }

    /** Calf work, mostly light (15-20 reps, RPE 4-6) so some histories show the strength under-dosed pattern. */
    private List<StrengthExercise> exercises() {
        if (random.nextInt(4) == 0) {
            return List.of();
        }
        boolean heavy = random.nextInt(6) == 0;
        List<StrengthExercise> out = new ArrayList<>();
        out.add(new StrengthExercise("SINGLE_LEG_CALF_RAISE_STRAIGHT_KNEE", 3, heavy ? 8 + random.nextInt(5)
                : 15 + random.nextInt(6), random.nextBoolean() ? null : 5.0 * random.nextInt(4),
                heavy ? 7 + random.nextInt(3) : 4 + random.nextInt(3)));
        if (random.nextBoolean()) {
            out.add(new StrengthExercise("SOLEUS_SQUAT", 3, 15, null, null));
        }
        return out;
    }

    private SymptomReport report(Instant at, SymptomContext context, boolean calm) {
        double p = random.nextDouble();
        int pain = calm ? random.nextInt(3)
                : p < 0.55 ? random.nextInt(3) : p < 0.8 ? 3 + random.nextInt(2) : p < 0.95 ? 5 + random.nextInt(2)
                : 7 + random.nextInt(3);
        Set<PainCharacter> character = EnumSet.noneOf(PainCharacter.class);
        double[] chance = {0.15, 0.05, 0.1, 0.2, 0.3, 0.04, 0.03, 0.04};
        for (PainCharacter c : PainCharacter.values()) {
            if (random.nextDouble() < chance[c.ordinal()]) {
                character.add(c);
            }
        }
        PainLocation location = random.nextDouble() < 0.1 ? PainLocation.MEDIAL_CALF_ALONG_SHIN
                : PainLocation.values()[random.nextInt(PainLocation.values().length)];
        Set<RedFlag> flags = random.nextDouble() < 0.01
                ? EnumSet.of(RedFlag.values()[random.nextInt(RedFlag.values().length)]) : Set.of();
        return new SymptomReport(id("symptom"), at, pain, location, character, context, flags);
    }

    /** Day d at hh:mm, or now and then exactly the previous event's instant, to exercise event-id tie-breaks. */
    private Instant time(int d, int hour, int minute) {
        Instant t = Story.DAY_0.plusDays(d).atTime(Math.min(hour, 23), minute).toInstant(java.time.ZoneOffset.UTC);
        if (last != null && random.nextDouble() < 0.05) {
            t = last;
        }
        last = t;
        return t;
    }

    private String id(String kind) {
        // not in time order, so event-id order is not arrival order either
        return kind + "-" + Integer.toHexString((next++ * 0x9E3779B1) >>> 8);
    }
}
