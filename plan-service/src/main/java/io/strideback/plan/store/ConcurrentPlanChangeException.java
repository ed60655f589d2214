package io.strideback.plan.store;

/** Another writer appended to the same plan first; the command is retried on the new history. */
public class ConcurrentPlanChangeException extends RuntimeException {
    public ConcurrentPlanChangeException(String clinicId, String athleteId) {
        super("plan " + clinicId + "/" + athleteId + " changed concurrently");
    }
}
