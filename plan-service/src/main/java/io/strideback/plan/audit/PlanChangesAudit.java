package io.strideback.plan.audit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strideback.plan.domain.AdjustmentApplied;
import io.strideback.plan.domain.AdjustmentRejected;
import io.strideback.plan.domain.PhaseChanged;
import io.strideback.plan.domain.PlanEvent;
import io.strideback.plan.domain.ReferralCleared;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Which plan events a person caused, as audit entries (issue 16): a phase change (a clinician's, or
 * PROTECT ending by itself), an approval, a rejection, a referral clearance. An adjustment applied at
 * once by the clinic's policy was nobody's decision and is in the plan's history, not here. A decision carried
 * over to the same request under a new id says from which id ({@code after.carriedOverFrom}). Free-text
 * reasons stay in the plan's history: the audit log says who changed what, not the clinical notes.
 */
public final class PlanChangesAudit {

    public static final String SOURCE = "plan-service";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private PlanChangesAudit() {
    }

    public static List<AuditLog.Entry> entries(String clinicId, String athleteId, List<PlanEvent> events) {
        List<AuditLog.Entry> out = new ArrayList<>();
        String athlete = "athlete/" + athleteId;
        for (PlanEvent e : events) {
            if (e instanceof PhaseChanged p) {
                ObjectNode after = JSON.objectNode().put("phase", p.to().name());
                if (p.gatesOverridden()) {
                    after.put("gatesOverridden", true);
                }
                out.add(entry(clinicId, p, p.changedBy(), "plan.phase-changed", athlete,
                        JSON.objectNode().put("phase", p.from() == null ? null : p.from().name()), after));
            } else if (e instanceof AdjustmentApplied a && a.approvedBy() != null) {
                out.add(entry(clinicId, a, a.approvedBy(), "adjustment.approved",
                        athlete + "/adjustment/" + a.adjustment().adjustmentId(),
                        JSON.objectNode().put("status", "PENDING").put("type", a.adjustment().type().name()),
                        carried(JSON.objectNode().put("status", "APPLIED").put("type", a.adjustment().type().name()),
                                a.carriedOverFrom())));
            } else if (e instanceof AdjustmentRejected r) {
                out.add(entry(clinicId, r, r.rejectedBy(), "adjustment.rejected",
                        athlete + "/adjustment/" + r.adjustmentId(),
                        JSON.objectNode().put("status", "PENDING"),
                        carried(JSON.objectNode().put("status", "REJECTED"), r.carriedOverFrom())));
            } else if (e instanceof ReferralCleared c) {
                out.add(entry(clinicId, c, c.clearedBy(), "plan.referral-cleared", athlete,
                        JSON.objectNode().put("urgentReferral", true), JSON.objectNode().put("urgentReferral", false)));
            }
        }
        return out;
    }

    /**
     * Round 20: a decision the plan carried over from a withdrawn adjustment to the same request under a new id
     * (round 19) is the clinician's, made on the first id, at its time: the entry names that id, so an auditor does
     * not read it as a decision taken on the new one.
     */
    private static ObjectNode carried(ObjectNode after, String carriedOverFrom) {
        return carriedOverFrom == null ? after : after.put("carriedOverFrom", carriedOverFrom);
    }

    private static AuditLog.Entry entry(String clinicId, PlanEvent e, String who, String what, String target,
                                        ObjectNode before, ObjectNode after) {
        return new AuditLog.Entry(UUID.randomUUID().toString(), clinicId, e.occurredAt(),
                who == null ? "unknown" : who, what, target, before, after, SOURCE);
    }
}
