package io.strideback.loadmonitor.domain;

import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.PatternKind;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A plan change the monitor proposes, with everything DOMAIN.md asks each adjustment to carry: the pattern, the
 * rule and its parameters, the evidence event ids, and one plain sentence a clinician and an athlete can read.
 *
 * @param adjustmentId     a name-based UUID of athlete, clinic, type, rule, sorted evidence and parameters: the
 *                         same proposal always has the same id
 * @param parameters       what the plan service reads, e.g. {@code {"maxDistanceKm": 3.0}}; values are Integer,
 *                         Double, String or List of String
 * @param evidenceEventIds symptom reports and sessions behind the proposal, in event time
 * @param proposedAt       the event time at which it became due
 */
public record ProposedAdjustment(String adjustmentId, AdjustmentType type, PatternKind pattern, String rule,
                                 Map<String, Object> parameters, List<String> evidenceEventIds, String reason,
                                 Instant proposedAt) {

    public ProposedAdjustment {
        Objects.requireNonNull(adjustmentId, "adjustmentId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(proposedAt, "proposedAt");
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        evidenceEventIds = List.copyOf(evidenceEventIds);
    }
}
