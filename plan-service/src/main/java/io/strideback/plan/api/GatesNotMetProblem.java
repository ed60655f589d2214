package io.strideback.plan.api;

import io.strideback.plan.domain.GateReport;

import java.util.List;

/**
 * The 409 answer to a phase change past a gate the latest assessment does not meet (CONTRACT v2): an
 * RFC 9457 problem with {@code unmetCriteria}, one entry per missing criterion, naming its gate.
 */
public record GatesNotMetProblem(String type, String title, int status, String detail, List<UnmetCriterion> unmetCriteria) {

    public static final String TYPE = "https://strideback.io/problems/gate-not-met";

    /** One criterion the latest assessment does not meet: the gate, what it requires and what was measured. */
    public record UnmetCriterion(String gate, String name, String requirement, String observed) {
    }

    static GatesNotMetProblem of(String detail, List<GateReport> gates) {
        return new GatesNotMetProblem(TYPE, "Gate not met", 409, detail, criteria(gates));
    }

    static List<UnmetCriterion> criteria(List<GateReport> gates) {
        return gates.stream().flatMap(g -> g.missing().stream()
                .map(c -> new UnmetCriterion(g.gateFor().name(), c.name(), c.requirement(), c.observed()))).toList();
    }
}
