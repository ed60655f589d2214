package io.strideback.plan.audit;

import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.PatternKind;
import io.strideback.plan.domain.Adjustment;
import io.strideback.plan.domain.AdjustmentApplied;
import io.strideback.plan.domain.AdjustmentRejected;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Round 20: a clinician's decision the plan carried over to the same request under a new id (round 19) was audited
 * as a decision on the new id, in the clinician's name at the original time, saying nothing of the carry-over. The
 * entry now names the id the decision was made on.
 */
class PlanChangesAuditTest {

    private static final Instant DECIDED = Instant.parse("2026-04-11T09:00:00Z");
    private static final Adjustment PAUSE = new Adjustment("adj-2", AdjustmentType.PAUSE_RUNNING,
            PatternKind.RUNNING_TRIGGERED_REPEATED, "AT_LEAST_3_RUNNING_TRIGGERED_IN_14_DAYS", Map.of("days", 7),
            List.of("flare-1"), "Pause running for 7 days.", DECIDED);

    @Test
    void a_carried_over_approval_names_the_id_it_was_given_on() {
        var entries = PlanChangesAudit.entries("c-1", "a-1",
                List.of(new AdjustmentApplied(PAUSE, "dr-okafor", DECIDED, "r", "adj-1")));

        assertEquals(1, entries.size());
        AuditLog.Entry e = entries.get(0);
        assertEquals("adjustment.approved", e.what());
        assertEquals("dr-okafor", e.who());
        assertEquals(DECIDED, e.at());
        assertEquals("athlete/a-1/adjustment/adj-2", e.target());
        assertEquals("adj-1", e.after().path("carriedOverFrom").asText());
        assertEquals("APPLIED", e.after().path("status").asText());
    }

    @Test
    void a_carried_over_rejection_names_the_id_it_was_given_on() {
        var entries = PlanChangesAudit.entries("c-1", "a-1",
                List.of(new AdjustmentRejected("adj-2", "dr-okafor", DECIDED, "r", "adj-1")));

        assertEquals("adjustment.rejected", entries.get(0).what());
        assertEquals("adj-1", entries.get(0).after().path("carriedOverFrom").asText());
    }

    @Test
    void a_decision_made_on_the_adjustment_itself_names_no_other() {
        var entries = PlanChangesAudit.entries("c-1", "a-1", List.of(new AdjustmentApplied(PAUSE, "dr-okafor", DECIDED, "r"),
                new AdjustmentRejected("adj-3", "dr-okafor", DECIDED, "r")));

        assertEquals(2, entries.size());
        entries.forEach(e -> assertFalse(e.after().has("carriedOverFrom"), e::toString));
    }
}
