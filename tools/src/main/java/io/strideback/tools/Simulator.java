package io.strideback.tools;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Realistic multi-clinic athlete histories from a seed, following DOMAIN.md's mechanisms: runs that
 * progress and sometimes spike, faster sessions, strength work; flare-ups after runs past the
 * athlete's symptom-free distance, too fast or a spike (running-triggered); flare-ups while walking or
 * at night for some athletes (random), with tingling/heat (neural) or along the shin (tibialis
 * posterior); the rare red flag. Deliveries are wearable-like: some late, out of order, duplicated.
 * Same seed, same histories.
 */
public final class Simulator {

    public record Athlete(String clinicId, String athleteId, Map<String, Object> enrolment) {
    }

    /**
     * One post: {@code kind} is session, symptom or assessment; a repeat delivery has the same body and key, and no
     * two different bodies share a key or a source id ({@code SimulatorTest}).
     */
    public record Delivery(String clinicId, String athleteId, String kind, Map<String, Object> body,
                           String idempotencyKey, Instant eventTime, boolean duplicate, boolean late) {
        public String path() {
            return "/api/v1/athletes/" + athleteId + "/" + kind + "s";
        }
    }

    public record Simulation(List<Athlete> athletes, List<Delivery> deliveries) {
    }

    private enum Persona { LOAD_SENSITIVE, NEURAL, TIBIALIS_POSTERIOR, STEADY }

    private static final String[] DIAGNOSES = {"CALF_STRAIN_GASTROCNEMIUS", "CALF_STRAIN_SOLEUS",
            "SILENT_SOLEUS_STRAIN", "NEURAL_TENSION", "TIBIALIS_POSTERIOR", "CALF_PAIN_UNSPECIFIED"};

    private Simulator() {
    }

    public static Simulation generate(long seed, int clinics, int athletesPerClinic, int days, Instant end) {
        Random random = new Random(seed);
        List<Athlete> athletes = new ArrayList<>();
        List<Delivery> deliveries = new ArrayList<>();
        Instant start = end.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(days));
        for (int c = 0; c < clinics; c++) {
            String clinic = "sim-clinic-" + seed + "-" + c;
            for (int a = 0; a < athletesPerClinic; a++) {
                String athleteId = "sim-" + seed + "-" + c + "-" + a;
                Persona persona = Persona.values()[random.nextInt(Persona.values().length)];
                double symptomFreeKm = 2 + random.nextInt(7);
                Map<String, Object> enrol = new LinkedHashMap<>();
                enrol.put("athleteId", athleteId);
                enrol.put("displayName", "Simulated " + athleteId);
                enrol.put("diagnosis", DIAGNOSES[random.nextInt(DIAGNOSES.length)]);
                enrol.put("side", random.nextBoolean() ? "LEFT" : "RIGHT");
                enrol.put("injuryDate", LocalDate.ofInstant(start, ZoneOffset.UTC).minusDays(30).toString());
                enrol.put("symptomFreeRunKm", symptomFreeKm);
                athletes.add(new Athlete(clinic, athleteId, enrol));
                history(random, clinic, athleteId, persona, symptomFreeKm, start, days, deliveries);
            }
        }
        deliveries.sort(Comparator.comparing(Delivery::eventTime));
        return new Simulation(athletes, wearableOrder(random, deliveries));
    }

    private static void history(Random random, String clinic, String athleteId, Persona persona, double symptomFreeKm,
                                Instant start, int days, List<Delivery> out) {
        double usualKm = symptomFreeKm;
        boolean redFlag = random.nextInt(100) == 0;
        for (int d = 0; d < days; d++) {
            Instant day = start.plus(Duration.ofDays(d));
            if (random.nextInt(100) < 55) {
                boolean spike = random.nextInt(10) == 0;
                String intensity = random.nextInt(10) < 7 ? "EASY"
                        : new String[]{"STEADY", "TEMPO", "INTERVALS", "SPRINT"}[random.nextInt(4)];
                double km = Math.round((spike ? usualKm * (1.3 + random.nextDouble()) : usualKm * (0.8 + random.nextDouble() * 0.35)) * 10) / 10.0;
                usualKm = Math.min(25, usualKm * 1.01);
                Instant runAt = day.plus(Duration.ofHours(6 + random.nextInt(12)));
                int minutes = (int) Math.max(8, km * (intensity.equals("EASY") ? 6.5 : 5));
                Map<String, Object> run = new LinkedHashMap<>();
                run.put("distanceKm", km);
                run.put("intensity", intensity);
                run.put("cadenceSpm", 158 + random.nextInt(22));
                Map<String, Object> s = new LinkedHashMap<>();
                String externalId = athleteId + "-run-" + d;
                s.put("sessionId", externalId);
                s.put("type", "RUN");
                s.put("startedAt", runAt.toString());
                s.put("durationMin", minutes);
                s.put("rpe", intensity.equals("EASY") ? 3 + random.nextInt(2) : 6 + random.nextInt(3));
                s.put("run", run);
                s.put("source", Map.of("kind", "WEARABLE", "provider", "simwatch", "externalId", externalId));
                out.add(new Delivery(clinic, athleteId, "session", s, null, runAt, false, false));
                boolean provoking = km > symptomFreeKm * 1.1 || spike || !intensity.equals("EASY");
                int chance = persona == Persona.LOAD_SENSITIVE ? 70 : persona == Persona.STEADY ? 15 : 40;
                if (provoking && random.nextInt(100) < chance) {
                    boolean during = random.nextBoolean();
                    Instant at = runAt.plus(Duration.ofMinutes(during ? minutes / 2 : minutes + 60 + random.nextInt(240)));
                    out.add(symptom(clinic, athleteId, at, 5 + random.nextInt(3), during ? "DURING_RUN" : "AFTER_RUN",
                            location(persona), List.of(random.nextBoolean() ? "PULLING" : "TIGHTNESS"), List.of()));
                } else if (random.nextInt(4) == 0) {
                    out.add(symptom(clinic, athleteId, runAt.plus(Duration.ofMinutes(minutes + 30)), random.nextInt(3),
                            "AFTER_RUN", location(persona), List.of("TIGHTNESS"), List.of()));
                }
            }
            if (random.nextInt(100) < 30) {
                Instant at = day.plus(Duration.ofHours(18));
                Map<String, Object> ex = Map.of("name", "SEATED_CALF_RAISE", "sets", 3, "reps", 12,
                        "loadKg", 10 + random.nextInt(30), "rpe", 7);
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("type", "STRENGTH");
                s.put("startedAt", at.toString());
                s.put("durationMin", 25);
                s.put("rpe", 6);
                s.put("strength", Map.of("exercises", List.of(ex)));
                out.add(new Delivery(clinic, athleteId, "session", s, athleteId + "-str-" + d, at, false, false));
            }
            int randomChance = persona == Persona.NEURAL || persona == Persona.TIBIALIS_POSTERIOR ? 7 : 1;
            if (random.nextInt(100) < randomChance) {
                boolean night = random.nextBoolean();
                out.add(symptom(clinic, athleteId, day.plus(Duration.ofHours(night ? 2 : 13)), 5 + random.nextInt(2),
                        night ? "NIGHT" : "WALKING", location(persona),
                        persona == Persona.NEURAL ? List.of("TINGLING", "HEAT") : List.of("ACHE"), List.of()));
            }
            if (random.nextInt(100) < 50) {
                out.add(symptom(clinic, athleteId, day.plus(Duration.ofHours(7)), random.nextInt(3), "MORNING",
                        location(persona), List.of(), List.of()));
            }
            if (redFlag && d == days / 2) {
                out.add(symptom(clinic, athleteId, day.plus(Duration.ofHours(20)), 6, "AT_REST", "WHOLE_CALF",
                        List.of("ACHE"), List.of("SWELLING", "SEVERE_TENDERNESS")));
            }
        }
    }

    private static String location(Persona persona) {
        return persona == Persona.TIBIALIS_POSTERIOR ? "MEDIAL_CALF_ALONG_SHIN" : "MID_CALF";
    }

    private static Delivery symptom(String clinic, String athleteId, Instant at, int pain, String context, String location,
                                    List<String> character, List<String> redFlags) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("observedAt", at.toString());
        b.put("pain", pain);
        b.put("location", location);
        b.put("character", character);
        b.put("context", context);
        b.put("redFlags", redFlags);
        // One report per context at a time: a run's after-run or during-run report can fall on the very minute of the
        // morning check (a 06:00 run of 30 min, reported 30 min after) or of a walk's flare-up, two facts that the
        // time alone gave one key, which intake refuses 422 (bench figure 4's 422s until round 21).
        return new Delivery(clinic, athleteId, "symptom", b, athleteId + "-sym-" + at.toEpochMilli() + "-" + context, at,
                false, false);
    }

    /** Watches sync late and twice: ~10% of runs arrive a few deliveries later, ~3% of deliveries come again. */
    private static List<Delivery> wearableOrder(Random random, List<Delivery> inEventTime) {
        List<Delivery> out = new ArrayList<>(inEventTime.size() + inEventTime.size() / 20);
        List<Delivery> held = new ArrayList<>();
        for (Delivery d : inEventTime) {
            if (d.kind().equals("session") && d.body().containsKey("run") && random.nextInt(10) == 0) {
                held.add(new Delivery(d.clinicId(), d.athleteId(), d.kind(), d.body(), d.idempotencyKey(),
                        d.eventTime(), false, true));
                continue;
            }
            out.add(d);
            if (!held.isEmpty() && random.nextInt(8) == 0) {
                out.addAll(held);
                held.clear();
            }
            if (random.nextInt(100) < 3) {
                out.add(new Delivery(d.clinicId(), d.athleteId(), d.kind(), d.body(), d.idempotencyKey(), d.eventTime(),
                        true, d.late()));
            }
        }
        out.addAll(held);
        return out;
    }
}
