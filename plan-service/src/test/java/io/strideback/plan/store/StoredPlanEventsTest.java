package io.strideback.plan.store;

import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.Phase;
import io.strideback.events.vocabulary.Side;
import io.strideback.plan.domain.AdjustmentRejected;
import io.strideback.plan.domain.ChangePhase;
import io.strideback.plan.domain.ClearReferral;
import io.strideback.plan.domain.CreatePlan;
import io.strideback.plan.domain.PhaseChanged;
import io.strideback.plan.domain.PlanEvent;
import io.strideback.plan.domain.ReferralCleared;
import io.strideback.plan.domain.RehabPlan;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The rules v2 plan events survive the store's JSON, and events stored before v2 still read. */
class StoredPlanEventsTest {

    private static final Instant ENROLLED = Instant.parse("2026-04-01T08:00:00Z");

    @Test
    void an_overridden_phase_change_round_trips_and_a_v1_phase_change_reads_as_not_overridden() {
        List<PlanEvent> created = RehabPlan.empty().decide(new CreatePlan("a-1", "c-1", Diagnosis.CALF_STRAIN_SOLEUS,
                Side.LEFT, LocalDate.parse("2026-03-20"), 3.0, ENROLLED));
        PhaseChanged overridden = (PhaseChanged) RehabPlan.fold(created).decide(new ChangePhase(Phase.RETURN_TO_RUN, "dr",
                "Clinical judgement.", ENROLLED.plusSeconds(86_400), true)).get(0);
        assertTrue(overridden.gatesOverridden());
        assertEquals(overridden, PlanEventStore.read("PhaseChanged", PlanEventStore.write(overridden)));

        PhaseChanged v1 = (PhaseChanged) PlanEventStore.read("PhaseChanged", "{\"from\":\"PROTECT\",\"to\":\"RESTORE_CAPACITY\","
                + "\"changedBy\":\"dr\",\"occurredAt\":\"2026-04-08T08:00:00Z\",\"reason\":\"r\"}");
        assertFalse(v1.gatesOverridden());
        assertEquals(List.of(), v1.unmetGates());
    }

    /** Round 20: a decision carried over to a new id says from which id; one stored before reads as not carried. */
    @Test
    void a_carried_over_rejection_round_trips_and_one_stored_before_reads_as_not_carried_over() {
        AdjustmentRejected carried = new AdjustmentRejected("adj-2", "dr", ENROLLED, "r", "adj-1");
        assertEquals(carried, PlanEventStore.read("AdjustmentRejected", PlanEventStore.write(carried)));
        AdjustmentRejected before = (AdjustmentRejected) PlanEventStore.read("AdjustmentRejected",
                "{\"adjustmentId\":\"adj-1\",\"rejectedBy\":\"dr\",\"occurredAt\":\"2026-04-08T08:00:00Z\",\"reason\":\"r\"}");
        assertNull(before.carriedOverFrom());
        assertFalse(PlanEventStore.write(before).contains("carriedOverFrom"), "stored as before when not carried over");
    }

    @Test
    void a_referral_clearance_round_trips() {
        ReferralCleared cleared = new ReferralCleared("dr", ENROLLED, "Urgent referral cleared by dr: scan clear.");
        assertEquals(cleared, PlanEventStore.read("ReferralCleared", PlanEventStore.write(cleared)));
        assertNotNull(ClearReferral.class);
    }
}
