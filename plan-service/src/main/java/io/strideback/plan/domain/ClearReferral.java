package io.strideback.plan.domain;

import java.time.Instant;

/** A clinician ends an urgent referral, saying why: the only way one ends (DOMAIN.md "Red flags always escalate"). */
public record ClearReferral(String clinician, String why, Instant at) implements PlanCommand {
}
