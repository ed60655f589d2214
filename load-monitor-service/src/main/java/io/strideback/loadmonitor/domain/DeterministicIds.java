package io.strideback.loadmonitor.domain;

import io.strideback.events.vocabulary.AdjustmentType;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Ids derived from content, so analysing the same set of events again gives the same ids and the same proposal
 * is recognisable downstream (a redelivered or re-analysed proposal is not a new one).
 */
final class DeterministicIds {

    private DeterministicIds() {
    }

    /** "ep-" and the first 12 hex digits of SHA-256 of the first report's event id. */
    static String episodeId(String firstReportEventId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(firstReportEventId.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder("ep-");
            for (int i = 0; i < 6; i++) {
                hex.append(String.format("%02x", hash[i]));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /**
     * Name-based UUID of athlete, clinic, type, rule, the sorted evidence ids and the parameters: the adjustment's
     * content. The rule enters without the clinic's numbers ({@link #ruleKey}), so changing a setting that does not
     * change the adjustment keeps its id (shared design for issue 13); a setting that changes what is asked (its
     * parameters) or why (its evidence) gives a new one.
     */
    static String adjustmentId(String athleteId, String clinicId, AdjustmentType type, String rule,
                               Collection<String> evidenceEventIds, Map<String, Object> parameters) {
        String name = String.join("\n", athleteId, clinicId, type.name(), ruleKey(rule),
                String.join(",", new TreeSet<>(evidenceEventIds)), canonical(parameters));
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** A rule name without the clinic's numbers: AT_LEAST_3_RUNNING_TRIGGERED_IN_14_DAYS -> AT_LEAST_N_..._IN_N_DAYS. */
    static String ruleKey(String rule) {
        return rule.replaceAll("[0-9]+", "N");
    }

    /** Sorted keys; numbers without trailing zeros, so 3.0 and 3 do not differ by accident of type. */
    static String canonical(Map<String, Object> parameters) {
        StringBuilder out = new StringBuilder("{");
        for (Map.Entry<String, Object> e : new TreeMap<>(parameters).entrySet()) {
            out.append(e.getKey()).append('=').append(value(e.getValue())).append(';');
        }
        return out.append('}').toString();
    }

    private static String value(Object v) {
        if (v instanceof Double d) {
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        if (v instanceof Number n) {
            return new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
        }
        if (v instanceof List<?> list) {
            StringBuilder out = new StringBuilder("[");
            for (Object item : list) {
                out.append(value(item)).append(',');
            }
            return out.append(']').toString();
        }
        return String.valueOf(v);
    }
}
