package io.strideback.events;

/** A record that cannot be turned into an event; its message is the reason written to the DLQ. */
public class UnreadableEventException extends RuntimeException {
    public UnreadableEventException(String reason) {
        super(reason);
    }

    public UnreadableEventException(String reason, Throwable cause) {
        super(reason + ": " + cause.getMessage(), cause);
    }
}
