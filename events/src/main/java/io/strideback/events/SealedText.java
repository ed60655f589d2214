package io.strideback.events;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * CONTRACT v2, crypto-shredding (issue 16): a personal field of an event (display name, note, a wearable's
 * source id) travels sealed with the athlete's own data key, so destroying that key makes every copy on every
 * topic unreadable. The field stays a JSON string, so readers that only pass it on need no change:
 * {@code sealed:v1:<base64url(nonce 12 B || AES-256-GCM ciphertext and tag)>}, with the athlete id as
 * associated data (a sealed value copied to another athlete's event does not open).
 */
public final class SealedText {

    public static final String PREFIX = "sealed:v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SealedText() {
    }

    /** True when the value is in the sealed format (it may still fail to open). */
    public static boolean isSealed(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    /** Seals a personal field with the athlete's 32-byte data key; null stays null. */
    public static String seal(String plain, byte[] dataKey, String athleteId) {
        if (plain == null) {
            return null;
        }
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, dataKey, nonce, athleteId);
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            ByteBuffer out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed);
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * Opens a sealed field; empty when it is not sealed, was sealed for another athlete or with another key,
     * or was tampered with. A value that is not in the sealed format is returned as is (events written
     * before sealing).
     */
    public static Optional<String> open(String value, byte[] dataKey, String athleteId) {
        if (value == null) {
            return Optional.empty();
        }
        if (!isSealed(value)) {
            return Optional.of(value);
        }
        try {
            byte[] all = Base64.getUrlDecoder().decode(value.substring(PREFIX.length()));
            if (all.length < NONCE_BYTES + TAG_BITS / 8) {
                return Optional.empty();
            }
            byte[] nonce = java.util.Arrays.copyOf(all, NONCE_BYTES);
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, dataKey, nonce, athleteId);
            byte[] plain = cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES);
            return Optional.of(new String(plain, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    private static Cipher cipher(int mode, byte[] dataKey, byte[] nonce, String athleteId)
            throws GeneralSecurityException {
        if (dataKey == null || dataKey.length != 32) {
            throw new IllegalArgumentException("a data key is 32 bytes (AES-256)");
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(dataKey, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(athleteId.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
