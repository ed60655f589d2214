package io.strideback.plan.domain;

import io.strideback.events.vocabulary.Phase;

import java.util.List;

/** The criteria of the gate into {@code gateFor}, split into met and missing from the latest assessment. */
public record GateReport(Phase gateFor, List<GateCriterion> met, List<GateCriterion> missing) {

    public GateReport {
        met = List.copyOf(met);
        missing = List.copyOf(missing);
    }

    /** Every criterion met: a clinician may move the plan on (the plan never moves itself). */
    public boolean passed() {
        return missing.isEmpty();
    }
}
