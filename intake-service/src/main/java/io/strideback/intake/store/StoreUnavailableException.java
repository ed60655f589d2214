package io.strideback.intake.store;

/** The database could not be reached or refused the statement; the request may be retried. */
public class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(Throwable cause) {
        super("database unavailable: " + cause.getMessage(), cause);
    }
}
