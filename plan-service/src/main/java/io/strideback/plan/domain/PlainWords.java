package io.strideback.plan.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How the plan puts numbers and codes into the one plain sentence every event carries. */
public final class PlainWords {

    private PlainWords() {
    }

    /**
     * "3.5 km", as {@code String.format(Locale.ROOT, "%.1f km", km)} writes it (half up from the shortest decimal
     * that reads back as the double), without parsing a format on every call: a rebuild's fold replays timelines
     * and words every cap again (issue 15 item 3: String.format was 9% of the rebuild's profile).
     */
    static String km(double km) {
        return oneDecimal(km) + " km";
    }

    /** A number as {@code String.format(Locale.ROOT, "%.1f", x)} writes it, without parsing a format on every call. */
    static String oneDecimal(double x) {
        if (!Double.isFinite(x) || x == 0 && 1 / x < 0) {
            return String.format(Locale.ROOT, "%.1f", x);
        }
        return BigDecimal.valueOf(x).setScale(1, RoundingMode.HALF_UP).toPlainString();
    }

    /** Distances the plan computes (a percent over a cap) are shown and kept to 0.1 km. */
    static double roundedKm(double km) {
        return Math.round(km * 10.0) / 10.0;
    }

    static String capitalised(String s) {
        return s == null || s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** "SHINY_SKIN" -> "shiny skin"; anything that is not a code stays as written. */
    static String spokenCode(String s) {
        if (s == null) {
            return "";
        }
        return s.matches("[A-Z0-9_]+") ? s.replace('_', ' ').toLowerCase(Locale.ROOT) : s;
    }

    /** "a", "a and b", "a, b and c". */
    static String spokenCodes(List<String> codes) {
        List<String> words = codes.stream().map(PlainWords::spokenCode).toList();
        if (words.size() <= 1) {
            return String.join("", words);
        }
        return String.join(", ", words.subList(0, words.size() - 1)) + " and " + words.get(words.size() - 1);
    }

    /**
     * Someone else's sentence made into a clause of ours: trimmed, without its final full stop, and
     * lower-cased at the start unless it starts with an acronym ("ACWR", "RPE"). Null when blank.
     */
    public static String clause(String sentence) {
        if (sentence == null) {
            return null;
        }
        String s = sentence.strip().replaceAll("\\s+", " ");
        while (s.endsWith(".") || s.endsWith("!")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        if (s.isEmpty()) {
            return null;
        }
        boolean acronym = s.length() > 1 && Character.isUpperCase(s.charAt(1));
        return acronym ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    /** "What happened: why (source)." with the why and the source left out when there are none. */
    static String sentence(String what, String why, String source) {
        StringBuilder b = new StringBuilder(what);
        String because = clause(why);
        if (because != null) {
            b.append(": ").append(because);
        }
        if (source != null && !source.isBlank()) {
            b.append(" (").append(source).append(')');
        }
        return b.append('.').toString();
    }

    /** The run constraints in words: "running paused, then runs up to 3.0 km, at most EASY, ...". */
    static String constraints(RunConstraints c) {
        List<String> runs = new ArrayList<>();
        runs.add(c.maxDistanceKm() != null ? "runs up to " + km(c.maxDistanceKm()) : "no distance cap");
        runs.add(c.maxIntensity() != null ? "at most " + c.maxIntensity() : "any intensity");
        if (c.maxProgressionPercent() != null) {
            runs.add("at most +" + c.maxProgressionPercent() + "% over the longest run of 30 days");
        }
        if (c.minRestDaysBetweenRuns() > 0) {
            runs.add("no runs on consecutive days");
        }
        if (c.recoveryDayBeforeIntense()) {
            runs.add("a recovery day before intense runs");
        }
        if (c.cadenceTargetSpm() != null) {
            runs.add("a step rate of " + c.cadenceTargetSpm() + " steps/min");
        }
        String limits = String.join(", ", runs);
        if (!c.runningPaused()) {
            return limits;
        }
        return "running paused" + (c.pausedUntil() != null ? " until " + c.pausedUntil() : "") + ", then " + limits;
    }

    /**
     * "the gate into RETURN_TO_RUN with 2 criteria unmet (pain-free hops: hopping on the left leg without
     * pain, measured no; ...)", gates joined by "and".
     */
    static String unmetGates(List<GateReport> gates) {
        List<String> each = new ArrayList<>();
        for (GateReport g : gates) {
            List<String> criteria = g.missing().stream().map(c -> c.name().toLowerCase(Locale.ROOT) + ": " + c.requirement()
                    + ("not recorded".equals(c.observed()) ? ", not recorded" : ", measured " + c.observed())).toList();
            each.add("the gate into " + g.gateFor() + " with " + criteria.size() + (criteria.size() == 1 ? " criterion" : " criteria")
                    + " unmet (" + String.join("; ", criteria) + ")");
        }
        return String.join(" and ", each);
    }

    /** What earlier adjustments still impose, so a phase change says it out loud instead of dropping it. */
    static List<String> keptFromAdjustments(PlanTerms terms, LocalDate day) {
        ImposedLimits imposed = terms.imposed();
        List<String> kept = new ArrayList<>();
        if (imposed.maxDistanceKm() != null) {
            kept.add("a " + km(imposed.maxDistanceKm()) + " run cap");
        }
        if (imposed.maxIntensity() != null) {
            kept.add("runs at " + imposed.maxIntensity() + " or easier");
        }
        if (imposed.maxProgressionPercent() != null) {
            kept.add("a +" + imposed.maxProgressionPercent() + "% progression limit");
        }
        if (imposed.recoveryDayBeforeIntense()) {
            kept.add("a recovery day before intense runs");
        }
        if (imposed.cadenceTargetSpm() != null) {
            kept.add("a step-rate target of " + imposed.cadenceTargetSpm() + " steps/min");
        }
        if (terms.pauseRunsOn(day)) {
            kept.add("running paused until " + imposed.pausedUntil());
        }
        terms.addedExercises().forEach(e -> kept.add(RehabTemplate.spoken(e).toLowerCase(Locale.ROOT)));
        return kept;
    }
}
