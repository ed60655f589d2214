package io.strideback.plan.store;

import io.strideback.support.messaging.TransientFailure;

/**
 * Another writer appended to the same plan first; the command is retried on the new history (and,
 * should it keep losing, the consumer retries the record: a race is never a reason to park it).
 */
public class ConcurrentPlanChangeException extends RuntimeException implements TransientFailure {
    public ConcurrentPlanChangeException(String clinicId, String athleteId) {
        super("plan " + clinicId + "/" + athleteId + " changed concurrently");
    }
}
