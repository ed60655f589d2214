package io.strideback.loadmonitor.domain;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A plan's run limits over its timeline, as one plan version publishes them: each period holds from its instant
 * until the next one's, the first from when the plan was made. Before the first period there was no plan.
 *
 * @param planVersion the plan version that published it; a reader keeps the highest (a late adjustment or a
 *                    withdrawal rewrites earlier periods, DOMAIN.md "Convergence")
 */
public record ConstraintSchedule(long planVersion, List<Period> periods) {

    public record Period(Instant from, PlanLimits limits) {
    }

    public ConstraintSchedule {
        periods = periods.stream().sorted(Comparator.comparing(Period::from)).toList();
    }

    /** The period in force at {@code t}; empty before the plan existed. */
    public Optional<Period> inForceAt(Instant t) {
        Period in = null;
        for (Period p : periods) {
            if (p.from().isAfter(t)) {
                break;
            }
            in = p;
        }
        return Optional.ofNullable(in);
    }

    /**
     * When the limit a breach is over came into force: the start of the run of consecutive periods up to
     * {@code in} that already had it, so "the 4.0 km cap in force on 3 May" names the day it was set.
     */
    Instant inForceSince(Period in, Breach breach) {
        int i = periods.indexOf(in);
        while (i > 0 && breach.sameLimit(periods.get(i - 1).limits(), in.limits())) {
            i--;
        }
        return periods.get(i).from();
    }
}
