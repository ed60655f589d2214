package io.strideback.support.messaging;

/**
 * How a piece of consumer work ended: applied (with its value), refused for good (a deterministic
 * failure: the record is parked or the step recorded), or stopped because the service is shutting
 * down (nothing is acknowledged, so the record comes again after the restart).
 */
public record Attempt<T>(Outcome outcome, T value, Throwable failure) {

    public enum Outcome { APPLIED, REFUSED, STOPPED }

    static <T> Attempt<T> ofApplied(T value) {
        return new Attempt<>(Outcome.APPLIED, value, null);
    }

    static <T> Attempt<T> ofRefused(Throwable failure) {
        return new Attempt<>(Outcome.REFUSED, null, failure);
    }

    static <T> Attempt<T> ofStopped() {
        return new Attempt<>(Outcome.STOPPED, null, null);
    }

    public boolean applied() {
        return outcome == Outcome.APPLIED;
    }

    public boolean refused() {
        return outcome == Outcome.REFUSED;
    }

    public boolean stopped() {
        return outcome == Outcome.STOPPED;
    }

    /** The refusal's reason, for a dead-letter header or the ops status. */
    public String reason() {
        return failure == null ? null : Failures.reason(failure);
    }
}
