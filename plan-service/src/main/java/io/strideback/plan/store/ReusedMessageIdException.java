package io.strideback.plan.store;

/**
 * A consumed record's {@code ce_id} was taken before by another body (round 17: only a rogue writer does this; a
 * redelivery carries the same bytes). The record is refused for good (parked on its DLQ with this message), the first
 * stands. The message is {@code EventCodec.idReused}'s, naming the id and both bodies.
 */
public final class ReusedMessageIdException extends RuntimeException {
    public ReusedMessageIdException(String reason) {
        super(reason, null, false, false);
    }
}
