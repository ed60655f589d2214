package io.strideback.plan.fhir;

import io.strideback.plan.domain.AdjustmentRejected;
import io.strideback.plan.domain.PhaseChanged;
import io.strideback.plan.domain.PlanEvent;
import io.strideback.plan.domain.ReferralCleared;
import io.strideback.plan.personal.PersonalData;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A plan's history with the clinicians' words in its reasons opened for one export (issue 16: the reason of a phase
 * change, a rejection or a referral clearance holds the clinician's words sealed). The events that carry a
 * clinician's words are the only ones rewritten; a reason whose words do not open (an erased athlete, intake
 * unreachable) is left out (null), never shown sealed. Folding the opened history gives the plan as the export shows
 * it: the reasons are the only difference.
 */
public final class OpenedHistory {

    private OpenedHistory() {
    }

    /** The history's reasons added to {@code batch}; the history with them opened once the batch is. */
    public static Supplier<List<PlanEvent>> prepare(List<PlanEvent> history, String athleteId, PersonalData.Batch batch) {
        List<Supplier<String>> reasons = new ArrayList<>(history.size());
        for (PlanEvent e : history) {
            reasons.add(clinicians(e) ? batch.addText(athleteId, e.reason()) : null);
        }
        return () -> {
            List<PlanEvent> out = new ArrayList<>(history.size());
            for (int i = 0; i < history.size(); i++) {
                PlanEvent e = history.get(i);
                out.add(reasons.get(i) == null ? e : withReason(e, reasons.get(i).get()));
            }
            return out;
        };
    }

    /** The events whose reason may hold a clinician's own words. */
    private static boolean clinicians(PlanEvent e) {
        return e instanceof PhaseChanged || e instanceof AdjustmentRejected || e instanceof ReferralCleared;
    }

    private static PlanEvent withReason(PlanEvent e, String reason) {
        if (e instanceof PhaseChanged p) {
            return new PhaseChanged(p.from(), p.to(), p.changedBy(), p.occurredAt(), reason, p.gatesOverridden(),
                    p.unmetGates());
        }
        if (e instanceof AdjustmentRejected r) {
            return new AdjustmentRejected(r.adjustmentId(), r.rejectedBy(), r.occurredAt(), reason, r.carriedOverFrom());
        }
        if (e instanceof ReferralCleared c) {
            return new ReferralCleared(c.clearedBy(), c.occurredAt(), reason);
        }
        return e;
    }
}
