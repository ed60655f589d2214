package io.strideback.loadmonitor.domain;

import io.strideback.events.vocabulary.PainCharacter;
import io.strideback.events.vocabulary.RedFlag;
import io.strideback.events.vocabulary.SymptomContext;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The one plain sentence every adjustment carries (DOMAIN.md), naming its numbers so a clinician and an athlete
 * can check it against what happened.
 */
final class Reasons {

    private static final String[] WORDS = {"no", "one", "two", "three", "four", "five", "six", "seven", "eight",
            "nine", "ten", "eleven", "twelve"};
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH);

    private final History history;
    private final ClinicRules rules;

    Reasons(History history) {
        this.history = history;
        this.rules = history.rules;
    }

    String cap(List<ClassifiedEpisode> triggering, SymptomFreeDistance.Measured sfd, double cap) {
        String runs = distances(triggering);
        String came = capitalise(count(triggering.size(), "flare-up", "flare-ups")) + " came within "
                + hours() + " h of " + (triggering.size() == 1 ? "a run" : "runs");
        if (sfd == null) {
            return came + " of " + runs + " and no run in the last " + days(rules.symptomFreeWindow().toDays())
                    + " was free of a flare-up; cap runs at " + Km.text(cap) + ", "
                    + Math.round(rules.capFallbackFraction() * 100) + "% of the shortest of them.";
        }
        String basis = sfd.declared()
                ? "the symptom-free distance declared at enrolment"
                : "the longest run not followed by a flare-up in " + rules.symptomFreeWindow().toDays() + " days";
        return came + " longer than " + Km.text(sfd.km()) + " (" + runs + "); cap runs at " + Km.text(cap) + ", "
                + basis + ".";
    }

    String limitProgression(double longest, double max) {
        return "Distance has brought on flare-ups, so build run distance by at most " + rules.progressionPercent()
                + "% over the longest run of the last " + rules.progressionWindow().toDays() + " days ("
                + Km.text(longest) + "), no run longer than " + Km.text(max) + ", and never past the cap.";
    }

    /** The easy runs are not listed: a late one would change the sentence and not what is asked (round 19). */
    String reduceIntensity(List<ClassifiedEpisode> triggering, boolean easyContrast) {
        List<String> runs = new ArrayList<>();
        for (ClassifiedEpisode e : triggering) {
            TrainingSession run = e.triggeringRun();
            runs.add(run.intensity().name().toLowerCase(Locale.ROOT) + " " + Km.text(run.runKm()));
        }
        String sentence = capitalise(count(triggering.size(), "flare-up", "flare-ups")) + " came within " + hours()
                + " h of " + (triggering.size() == 1 ? "a run" : "runs") + " faster than easy (" + join(runs) + ")";
        if (easyContrast) {
            sentence += " while easy runs of similar length were symptom-free";
        }
        return sentence + "; keep the distance and run at an easy pace.";
    }

    String recoveryDay() {
        return "Faster runs have brought on flare-ups, so plan a recovery day before every intense run to keep "
                + "fatigue from adding to the load on the calf.";
    }

    String pauseAfterRepeated(List<ClassifiedEpisode> cluster) {
        List<String> dates = new ArrayList<>();
        for (ClassifiedEpisode e : cluster) {
            dates.add(day(e.onsetAt()));
        }
        return capitalise(count(cluster.size(), "flare-up", "flare-ups")) + " came from running within "
                + days(rules.repeatedWindow().toDays()) + " (" + join(dates) + "); pause running for "
                + days(rules.pauseRunningDays()) + " and put strength work first.";
    }

    String pauseAfterSevere(ClassifiedEpisode severe, Instant asOf) {
        return "A flare-up from running reached " + severe.trace().peakPainAsOf(asOf) + "/10 (started "
                + day(severe.onsetAt()) + "); pause running for " + days(rules.pauseRunningDays())
                + " and put strength work first.";
    }

    String gaitRetraining(int current, int target) {
        return "Step rate is " + current + " steps per minute, below " + rules.lowCadenceSpm() + "; raise it by "
                + rules.cadenceIncreasePercent() + "% to " + target
                + " when running resumes, to lower the peak load on the calf.";
    }

    String reviewRandom(List<ClassifiedEpisode> random) {
        List<String> when = new ArrayList<>();
        for (ClassifiedEpisode e : random) {
            when.add(context(e.evidence().onsetContext()) + " on " + day(e.onsetAt()));
        }
        return capitalise(count(random.size(), "flare-up", "flare-ups")) + " came with no run to explain "
                + (random.size() == 1 ? "it" : "them") + " (" + join(when) + "); a clinician should look beyond "
                + "the calf: neural tension, tibialis posterior, or a red flag.";
    }

    String reviewMixed(int all, int running, int random) {
        return capitalise(count(all, "flare-up", "flare-ups")) + " in " + rules.patternWindow().toDays()
                + " days, " + count(running, "", "").trim() + " from running and " + count(random, "", "").trim()
                + " with no run to explain " + (random == 1 ? "it" : "them")
                + "; a clinician should review both the running load and causes beyond the calf.";
    }

    String neuralGlides(List<SymptomReport> reports) {
        Set<PainCharacter> signs = EnumSet.noneOf(PainCharacter.class);
        for (SymptomReport r : reports) {
            for (PainCharacter c : r.character()) {
                if (PatternWatch.NEURAL_SIGNS.contains(c)) {
                    signs.add(c);
                }
            }
        }
        List<String> words = new ArrayList<>();
        for (PainCharacter c : signs) {
            words.add(c.name().toLowerCase(Locale.ROOT));
        }
        return capitalise(joinAnd(words)) + " in the calf " + (words.size() == 1 ? "was" : "were")
                + " reported " + when(reports) + ", a sign of neural tension; add neural glides, little and often.";
    }

    String heelRaiseWithBall(List<SymptomReport> reports) {
        return "Pain on the inside of the calf along the shin bone was reported " + when(reports)
                + ", which points at tibialis posterior; add modified heel raises with a ball between the heels and "
                + "screen the tibialis posterior.";
    }

    String isometrics(ClassifiedEpisode episode) {
        return "A flare-up started on " + day(episode.onsetAt()) + "; for the next "
                + rules.isometricsAfterFlareUp().toHours() + " h do calf isometric holds in place of loaded raises "
                + "(once the plan has reached restoring capacity).";
    }

    String boneStressScreen(List<SymptomReport> reports) {
        return "Pain on the inside of the calf along the shin bone at night, at rest or with a gradual onset was "
                + "reported " + when(reports) + "; a clinician should screen for a bone stress injury before any "
                + "more loading.";
    }

    /** "(on 5 Mar)" or "(3 reports, the latest on 9 Mar)". */
    private String when(List<SymptomReport> reports) {
        String latest = day(reports.get(reports.size() - 1).observedAt());
        return reports.size() == 1 ? "(on " + latest + ")"
                : "(" + count(reports.size(), "report", "reports") + ", the latest on " + latest + ")";
    }

    String relaxCap(double ceiling, int runs) {
        return "No flare-up for " + days(rules.settledWindow().toDays()) + " while running under the cap ("
                + count(runs, "run", "runs") + "); raise the cap by " + rules.relaxCapPercent() + "%, to no more than "
                + Km.text(ceiling) + " (" + (100 + rules.relaxCapPercent()) + "% of the longest run of the last "
                + rules.progressionWindow().toDays() + " days).";
    }

    String urgentReferral(SymptomReport report) {
        List<String> flags = new ArrayList<>();
        for (RedFlag f : report.redFlags()) {
            flags.add(redFlag(f));
        }
        return capitalise(joinAnd(flags)) + " reported on " + day(report.observedAt())
                + ": see a doctor urgently, and stop running and calf loading until a clinician clears it.";
    }

    private String distances(List<ClassifiedEpisode> episodes) {
        List<String> km = new ArrayList<>();
        for (ClassifiedEpisode e : episodes) {
            km.add(Km.text(e.triggeringRunKm()));
        }
        return join(km);
    }

    private long hours() {
        return rules.qualifyingRunWindow().toHours();
    }

    private String day(Instant t) {
        return DAY.format(t.atZone(history.zone()));
    }

    private static String days(long n) {
        return n == 1 ? "1 day" : n + " days";
    }

    private static String context(SymptomContext c) {
        if (c == null) {
            return "context not reported";
        }
        return switch (c) {
            case WALKING -> "walking";
            case AT_REST -> "at rest";
            case NIGHT -> "at night";
            case MORNING -> "in the morning";
            case DURING_STRENGTH -> "during strength work";
            case DURING_RUN -> "during a run";
            case AFTER_RUN -> "after a run";
        };
    }

    private static String redFlag(RedFlag f) {
        return switch (f) {
            case DISCOLOURATION -> "discolouration";
            case SHINY_SKIN -> "shiny skin";
            case SEVERE_TENDERNESS -> "severe tenderness to touch";
            case SWELLING -> "calf swelling";
            case GRADUAL_ONSET -> "gradual onset with no injury moment";
        };
    }

    static String count(int n, String singular, String plural) {
        String number = n < WORDS.length ? WORDS[n] : String.valueOf(n);
        return (number + " " + (n == 1 ? singular : plural)).trim();
    }

    static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String join(List<String> items) {
        return String.join(", ", items);
    }

    private static String joinAnd(List<String> items) {
        if (items.size() <= 1) {
            return String.join("", items);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }
}
