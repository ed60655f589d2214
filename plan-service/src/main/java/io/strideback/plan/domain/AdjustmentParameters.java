package io.strideback.plan.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads an adjustment's parameters as they come from JSON: a number may be an Integer, a Long, a
 * Double or a numeric string; anything odd reads as absent, so the rule falls back instead of failing.
 */
final class AdjustmentParameters {

    private final Map<String, Object> values;

    AdjustmentParameters(Map<String, Object> values) {
        this.values = values == null ? Map.of() : values;
    }

    /** A finite number above zero, or null. */
    Double positive(String key) {
        Object v = values.get(key);
        Double d = null;
        if (v instanceof Number n) {
            d = n.doubleValue();
        } else if (v instanceof String s) {
            try {
                d = Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                d = null;
            }
        }
        return d != null && Double.isFinite(d) && d > 0 ? d : null;
    }

    /** A positive whole number (rounded), or null. */
    Integer positiveWhole(String key) {
        Double d = positive(key);
        if (d == null || d > Integer.MAX_VALUE) {
            return null;
        }
        long rounded = Math.round(d);
        return rounded > 0 ? (int) rounded : null;
    }

    /** An instant given as an ISO-8601 text (with an offset) or as an Instant; null when absent or unreadable. */
    java.time.Instant instant(String key) {
        Object v = values.get(key);
        if (v instanceof java.time.Instant i) {
            return i;
        }
        String s = text(key);
        if (s == null) {
            return null;
        }
        java.time.Instant stored = io.strideback.events.vocabulary.ContractInstants.read(s); // the shape events store, read without a formatter
        if (stored != null) {
            return stored;
        }
        try {
            return java.time.OffsetDateTime.parse(s).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** A non-blank text in upper case (codes such as "EASY", "NEURAL_GLIDES"), or null. */
    String code(String key) {
        String s = text(key);
        return s == null ? null : s.toUpperCase(Locale.ROOT);
    }

    /** A non-blank text as written, or null. */
    String text(String key) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        String s = String.valueOf(v).strip();
        return s.isEmpty() ? null : s;
    }

    /** A list of texts from a JSON array, a single string, or nothing. */
    List<String> texts(String key) {
        Object v = values.get(key);
        List<String> out = new ArrayList<>();
        if (v instanceof Collection<?> c) {
            c.stream().filter(x -> x != null && !String.valueOf(x).isBlank())
                    .forEach(x -> out.add(String.valueOf(x).strip()));
        } else if (v instanceof Object[] array) {
            for (Object x : array) {
                if (x != null && !String.valueOf(x).isBlank()) {
                    out.add(String.valueOf(x).strip());
                }
            }
        } else if (v != null && !String.valueOf(v).isBlank()) {
            out.add(String.valueOf(v).strip());
        }
        return List.copyOf(out);
    }
}
