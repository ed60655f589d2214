package io.strideback.tools;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runner of seed 000 ("Reoccurring calf injury"), as the facts a clinic and a watch would log.
 * Jogs of about a mile every other day with bodyweight calf raises in between; a night cramp with no
 * run that day; "I tried running about a day later and felt another slight pulling sensation" (told in
 * that real order: rules v2 keep the run's flare-up out of the cramp's random episode); runs pushed
 * past the mile flare up; on other days it flares "at random" while walking, on the inside of the calf along the shin,
 * with tingling heat (tibialis posterior and neural tension are the replies' suspects).
 */
public final class Seed000Story {

    /** One fact to post: {@code kind} is session, symptom or assessment. */
    public record Fact(String kind, Map<String, Object> body, String says) {
    }

    private final Instant start;
    private final List<Fact> facts = new ArrayList<>();

    public Seed000Story(Instant now) {
        // The story's day 0 is 45 days ago, at midnight UTC; everything happens in the past.
        this.start = now.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(45));
        build();
    }

    public Map<String, Object> enrolment(String athleteId) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("athleteId", athleteId);
        b.put("displayName", "Seed 000 runner");
        b.put("diagnosis", "CALF_PAIN_UNSPECIFIED");
        b.put("side", "LEFT");
        b.put("injuryDate", LocalDate.ofInstant(start, ZoneOffset.UTC).minusDays(120).toString());
        b.put("symptomFreeRunKm", 1.6);
        return b;
    }

    public List<Fact> facts() {
        return facts;
    }

    private void build() {
        // Weeks 1-2: a mile every other day, calf raises on the days between; no trouble.
        for (int day = 0; day <= 12; day += 2) {
            run(day, 18, 1.6, "EASY", 11, "jogs about a mile");
            symptom(day, 19, 1, "AFTER_RUN", "MID_CALF", List.of("TIGHTNESS"), "a little tight after the jog");
            strength(day + 1, 18, "bodyweight calf raises 3x12 with a hold at the top");
        }
        // Day 14: woken at night by an intense cramp; no run that day.
        symptom(14, 3, 6, "NIGHT", "MID_CALF", List.of("CRAMP"), "woken by an intense calf cramp");
        symptom(14, 8, 2, "MORNING", "MID_CALF", List.of("ACHE"), "sore in the morning");
        symptom(15, 8, 1, "MORNING", "MID_CALF", List.of(), "settling");
        // Day 15 evening, about a day after the cramp: tries running again and feels the slight pulling.
        run(15, 18, 1.6, "EASY", 11, "tries running about a day later");
        symptom(15, 18, 4, "DURING_RUN", "MID_CALF", List.of("PULLING"), "a slight pulling sensation");
        symptom(16, 8, 2, "MORNING", "MID_CALF", List.of(), "sore");
        symptom(17, 8, 1, "MORNING", "MID_CALF", List.of(), "better");
        symptom(18, 8, 0, "MORNING", "MID_CALF", List.of(), "settled");
        strength(19, 18, "bodyweight calf raises, no pain after 3-4 days' rest");
        symptom(20, 8, 0, "MORNING", "MID_CALF", List.of(), "fine");
        // Day 22: walking around, a random flare on the inside of the calf along the shin, with heat.
        symptom(22, 13, 5, "WALKING", "MEDIAL_CALF_ALONG_SHIN", List.of("ACHE", "HEAT"), "flared while walking");
        symptom(23, 9, 2, "MORNING", "MEDIAL_CALF_ALONG_SHIN", List.of(), "easing");
        symptom(24, 9, 1, "MORNING", "MEDIAL_CALF_ALONG_SHIN", List.of(), "easing");
        symptom(25, 9, 0, "MORNING", "MEDIAL_CALF_ALONG_SHIN", List.of(), "calm");
        // Day 26: feeling stronger, pushes to a mile and a half; flares on the run.
        run(26, 18, 2.4, "EASY", 16, "a mile and a half");
        symptom(26, 18, 5, "DURING_RUN", "MEDIAL_CALF_ALONG_SHIN", List.of("PULLING"), "pulling again on the run");
        symptom(27, 9, 2, "MORNING", "MEDIAL_CALF_ALONG_SHIN", List.of(), "sore");
        symptom(28, 9, 1, "MORNING", "MEDIAL_CALF_ALONG_SHIN", List.of(), "easing");
        symptom(29, 9, 0, "MORNING", "MEDIAL_CALF_ALONG_SHIN", List.of(), "calm");
        // Day 30-31: a mile is fine.
        run(30, 18, 1.6, "EASY", 11, "a mile, fine");
        symptom(30, 19, 1, "AFTER_RUN", "MEDIAL_CALF_ALONG_SHIN", List.of(), "fine");
        strength(31, 18, "calf raises");
        // Day 32: two miles; flares after.
        run(32, 18, 3.2, "EASY", 21, "two miles");
        symptom(32, 20, 5, "AFTER_RUN", "MEDIAL_CALF_ALONG_SHIN", List.of("PULLING"), "flared after the run");
        symptom(33, 9, 2, "MORNING", "MEDIAL_CALF_ALONG_SHIN", List.of(), "sore");
        symptom(34, 9, 1, "MORNING", "MEDIAL_CALF_ALONG_SHIN", List.of(), "easing");
        symptom(35, 9, 0, "MORNING", "MEDIAL_CALF_ALONG_SHIN", List.of(), "calm");
        // Day 38: random again while walking, tingling heat.
        symptom(38, 12, 5, "WALKING", "MEDIAL_CALF_ALONG_SHIN", List.of("TINGLING", "HEAT"),
                "tingling heat while walking; just recently happened");
        symptom(39, 9, 2, "MORNING", "MEDIAL_CALF_ALONG_SHIN", List.of(), "easing");
        symptom(40, 9, 1, "MORNING", "MEDIAL_CALF_ALONG_SHIN", List.of(), "easing");
    }

    private Instant at(int day, int hour) {
        return start.plus(Duration.ofDays(day)).plus(Duration.ofHours(hour));
    }

    private void run(int day, int hour, double km, String intensity, int minutes, String says) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("distanceKm", km);
        run.put("intensity", intensity);
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("sessionId", "run-d" + day);
        b.put("type", "RUN");
        b.put("startedAt", at(day, hour).toString());
        b.put("durationMin", minutes);
        b.put("rpe", 4);
        b.put("run", run);
        b.put("source", Map.of("kind", "WEARABLE", "provider", "demo-watch", "externalId", "run-d" + day));
        facts.add(new Fact("session", b, "day " + day + ": runs " + km + " km " + intensity.toLowerCase() + " (" + says + ")"));
    }

    private void strength(int day, int hour, String says) {
        Map<String, Object> ex = new LinkedHashMap<>();
        ex.put("name", "SINGLE_LEG_CALF_RAISE_STRAIGHT_KNEE");
        ex.put("sets", 3);
        ex.put("reps", 12);
        ex.put("loadKg", 0);
        ex.put("rpe", 5);
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("sessionId", "strength-d" + day);
        b.put("type", "STRENGTH");
        b.put("startedAt", at(day, hour).toString());
        b.put("durationMin", 20);
        b.put("rpe", 5);
        b.put("strength", Map.of("exercises", List.of(ex)));
        b.put("source", Map.of("kind", "MANUAL"));
        facts.add(new Fact("session", b, "day " + day + ": " + says));
    }

    private void symptom(int day, int hour, int pain, String context, String location, List<String> character,
                         String says) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("observedAt", at(day, hour).toString());
        b.put("pain", pain);
        b.put("side", "LEFT");
        b.put("location", location);
        b.put("character", character);
        b.put("context", context);
        b.put("redFlags", List.of());
        facts.add(new Fact("symptom", b, "day " + day + ": pain " + pain + "/10 " + context.toLowerCase() + " (" + says + ")"));
    }
}
