package io.strideback.events;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * One SHA-256 digest per thread, reset at each use: no security-provider look-up and no new digest per request or
 * record (issue 15 for intake's request hash; round 18 for {@link EventCodec#bodyDigest}, run for every stored event
 * on the load monitor's stream thread and every record plan-service takes).
 */
public final class Sha256 {

    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    });

    private Sha256() {
    }

    /** This thread's digest, reset: update it and take its {@code digest()} before this thread asks again. */
    public static MessageDigest ofThisThread() {
        MessageDigest digest = DIGEST.get();
        digest.reset();
        return digest;
    }
}
