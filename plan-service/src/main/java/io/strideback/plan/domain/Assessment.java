package io.strideback.plan.domain;

import java.time.Instant;

/**
 * What a clinic measured (CONTRACT.md assessment body): single-leg calf raises per side, pain now
 * (0-10), pain-free walking and hops, and the heaviest calf raise as a multiple of bodyweight. Any
 * value may be missing; a missing value never meets a gate criterion.
 */
public record Assessment(String eventId, Instant recordedAt, Integer calfRaisesLeft, Integer calfRaisesRight,
                         Integer painNow, Boolean painFreeWalking, Boolean painFreeHops,
                         Double loadedRaiseStraightKneeBodyweight, Double loadedRaiseBentKneeBodyweight) {
}
