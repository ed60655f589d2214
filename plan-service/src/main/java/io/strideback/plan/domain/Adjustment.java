package io.strideback.plan.domain;

import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.PatternKind;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A change the load monitor proposes (DOMAIN.md patterns table): the pattern, the rule and its
 * parameters, the evidence event ids, and one plain sentence saying why. Parameter numbers may be
 * Integer, Long or Double (they come from JSON), so the plan reads them as {@link Number}.
 *
 * @param dueAt the event time at which the findings made it due (the monitor's {@code proposedAt}); the plan
 *              orders the adjustments in force by it, so their effect does not depend on when they arrived
 *              (DOMAIN.md "Convergence"). Null when unknown (then the time the plan took it in counts).
 */
public record Adjustment(String adjustmentId, AdjustmentType type, PatternKind pattern, String rule,
                         Map<String, Object> parameters, List<String> evidenceEventIds, String reason, Instant dueAt) {

    public Adjustment {
        // Defensive copies that tolerate null values inside the map (JSON null): Map.copyOf would throw.
        parameters = parameters == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        evidenceEventIds = evidenceEventIds == null ? List.of()
                : Collections.unmodifiableList(new ArrayList<>(evidenceEventIds));
    }

    /** An adjustment whose due time is not known. */
    public Adjustment(String adjustmentId, AdjustmentType type, PatternKind pattern, String rule,
                      Map<String, Object> parameters, List<String> evidenceEventIds, String reason) {
        this(adjustmentId, type, pattern, rule, parameters, evidenceEventIds, reason, null);
    }
}
