package io.strideback.tools;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./strideback demo}: enrols the seed-000 runner, posts the story as a watch would (one
 * batch), waits until the platform has concluded, and prints the flare-ups with their
 * classification and the plan changes with their reasons.
 */
public final class Seed000Demo {

    public static final String CLINIC = "demo-clinic";

    /** What the platform concluded about one athlete. */
    public record Outcome(String athleteId, JsonNode episodes, JsonNode patterns, JsonNode plan, JsonNode history,
                          JsonNode load) {
    }

    private Seed000Demo() {
    }

    public static Outcome replay(ApiClient api, String athleteId, Instant now) {
        Seed000Story story = new Seed000Story(now);
        ApiClient.Answer enrolled = api.postIntake("/api/v1/athletes", story.enrolment(athleteId));
        if (enrolled.status() != 201) {
            throw new IllegalStateException("enrolment answered " + enrolled.status() + ": " + enrolled.body());
        }
        List<Map<String, Object>> items = new ArrayList<>();
        for (Seed000Story.Fact f : story.facts()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("athleteId", athleteId);
            item.put("kind", f.kind());
            item.put("body", f.body());
            items.add(item);
        }
        ApiClient.Answer batch = api.postIntake("/api/v1/events/batch", Map.of("items", items));
        if (batch.status() != 200) {
            throw new IllegalStateException("batch answered " + batch.status() + ": " + batch.body());
        }
        for (JsonNode r : batch.body().get("results")) {
            if (r.get("status").asInt() != 202) {
                throw new IllegalStateException("item " + r.get("index") + " answered " + r);
            }
        }
        return awaitConclusions(api, athleteId, story.facts().size());
    }

    /**
     * Polls the read APIs until the load monitor holds all {@code factCount} facts and the findings and the plan
     * stop changing (at most 90 s). Stable reads alone are not enough: on a busy machine the monitor can pause
     * for longer than a few polls halfway through the batch.
     */
    public static Outcome awaitConclusions(ApiClient api, String athleteId, int factCount) {
        long deadline = System.currentTimeMillis() + 90_000;
        String last = null;
        int stable = 0;
        Outcome outcome = null;
        while (System.currentTimeMillis() < deadline) {
            ApiClient.Answer episodes = api.getLoadMonitor("/api/v1/athletes/" + athleteId + "/flare-ups");
            ApiClient.Answer patterns = api.getLoadMonitor("/api/v1/athletes/" + athleteId + "/patterns");
            ApiClient.Answer load = api.getLoadMonitor("/api/v1/athletes/" + athleteId + "/load");
            ApiClient.Answer timeline = api.getLoadMonitor("/api/v1/athletes/" + athleteId + "/timeline");
            ApiClient.Answer plan = api.getPlan("/api/v1/athletes/" + athleteId + "/plan");
            ApiClient.Answer history = api.getPlan("/api/v1/athletes/" + athleteId + "/plan/history");
            if (episodes.status() == 200 && plan.status() == 200 && history.status() == 200) {
                outcome = new Outcome(athleteId, episodes.body().get("episodes"), patterns.body().get("patterns"),
                        plan.body(), history.body().get("events"), load.body());
                String now = episodes.body().toString() + plan.body().toString();
                boolean seenAll = load.body().path("days").size() > 0 && timeline.status() == 200
                        && timeline.body().path("sessions").size() + timeline.body().path("symptoms").size() >= factCount;
                stable = now.equals(last) && seenAll ? stable + 1 : 0;
                last = now;
                if (stable >= 3) {
                    return outcome;
                }
            }
            sleep(700);
        }
        if (outcome == null) {
            throw new IllegalStateException("the platform drew no conclusion about " + athleteId + " within 90 s");
        }
        return outcome;
    }

    public static void print(Outcome o, String pageUrl) {
        DateTimeFormatter day = DateTimeFormatter.ofPattern("MMM d HH:mm").withZone(ZoneOffset.UTC);
        System.out.println("Seed 000: the runner with a six-month recurring calf injury (athlete " + o.athleteId() + ")");
        System.out.println();
        System.out.println("Flare-ups (" + o.episodes().size() + "):");
        for (JsonNode e : o.episodes()) {
            JsonNode ev = e.path("evidence");
            String evidence = ev.hasNonNull("triggeringRunKm")
                    ? " after a " + ev.get("triggeringRunKm").asDouble() + " km " + ev.path("intensity").asText("").toLowerCase()
                    + " run" + (ev.hasNonNull("spikeRatio") ? String.format(" (%.2fx the longest of 30 days)", ev.get("spikeRatio").asDouble()) : "")
                    : "";
            System.out.printf("  %-12s peak %2d/10  %-17s %s%s%n", day.format(Instant.parse(e.get("startedAt").asText())),
                    e.get("peakPain").asInt(), e.get("classification").asText(), e.get("rule").asText(), evidence);
        }
        System.out.println();
        System.out.println("Patterns:");
        for (JsonNode p : o.patterns()) {
            System.out.printf("  %-28s since %s (%d episodes)%n", p.get("kind").asText(),
                    day.format(Instant.parse(p.get("since").asText())), p.path("episodeIds").size());
        }
        System.out.println();
        System.out.println("Plan changes:");
        for (JsonNode h : o.history()) {
            JsonNode adj = h.path("adjustment");
            String what = adj.isMissingNode() ? h.get("type").asText()
                    : h.get("type").asText() + " " + adj.path("type").asText("") + " [" + adj.path("status").asText("") + "]";
            System.out.printf("  v%-3d %-45s %s%n", h.get("sequence").asLong(), what, h.path("reason").asText());
        }
        JsonNode c = o.plan().path("constraints");
        System.out.println();
        System.out.println("Plan now (version " + o.plan().path("version").asLong() + ", phase " + o.plan().path("phase").asText()
                + "): max run " + c.path("maxDistanceKm").asText("none") + " km, max intensity "
                + c.path("maxIntensity").asText("any") + ", running paused " + c.path("runningPaused").asBoolean()
                + ", clinician review " + o.plan().path("flags").path("clinicianReview").asBoolean()
                + ", urgent referral " + o.plan().path("flags").path("urgentReferral").asBoolean());
        System.out.print("Exercises:");
        for (JsonNode e : o.plan().path("exercises")) {
            System.out.print(" " + e.path("name").asText() + ";");
        }
        System.out.println();
        JsonNode acwr = o.load().path("acwr");
        System.out.println("Symptom-free distance: " + o.load().path("symptomFreeDistanceKm").asText("unknown") + " km; ACWR "
                + (acwr.isNumber() ? String.format(java.util.Locale.ROOT, "%.2f", acwr.asDouble()) : "n/a")
                + " (context only, never a trigger: Impellizzeri 2020)");
        if (pageUrl != null) {
            System.out.println();
            System.out.println("Timeline page: " + pageUrl);
        }
    }

    public static void main(String[] args) {
        String intake = args.length > 0 ? args[0] : "http://127.0.0.1:8081";
        String loadMonitor = args.length > 1 ? args[1] : "http://127.0.0.1:8083";
        String plan = args.length > 2 ? args[2] : "http://127.0.0.1:8082";
        ApiClient api = ApiClient.forClinic(intake, loadMonitor, plan, CLINIC, "clinician");
        String athleteId = "seed000-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC)
                .format(Instant.now());
        System.out.println("Replaying the seed-000 story through the public API ...");
        Outcome outcome = replay(api, athleteId, Instant.now());
        print(outcome, plan + "/athletes/" + athleteId);
        System.out.println("Clinic overview: " + plan + "/");
        System.out.println("Sign in there with a clinician token of " + CLINIC + ":");
        System.out.println("  ./strideback token --clinic " + CLINIC + " --role clinician");
        System.out.println();
        // Issue 18: the runner's own page, signed in with a token of the athlete role for this runner only.
        System.out.println("The runner's own page (Today, how the calf feels, log a session, flare-ups): " + plan + "/me/" + athleteId);
        System.out.println("Sign in there as that runner with their own token:");
        System.out.println("  ./strideback token --clinic " + CLINIC + " --role athlete --athlete " + athleteId);
        System.out.println("or open the link a clinic would hand the runner (the token rides in the #fragment, never sent to a server):");
        System.out.println("  " + plan + "/me/" + athleteId + "#token=" + io.strideback.testing.Tokens.issueAthlete(CLINIC, athleteId));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
