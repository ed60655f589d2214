package io.strideback.plan.domain;

import java.time.Instant;

/**
 * The plan's own clock asks whether PROTECT is over (DOMAIN.md "The plan": PROTECT moves to
 * RESTORE_CAPACITY by itself after 7 days with no flare-up in the last 72 h). Causes no event when it
 * is not due.
 */
public record EndProtectIfDue(Instant at) implements PlanCommand {
}
