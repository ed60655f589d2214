package io.strideback.events;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/** Issue 16: what travels for token revocation and for the clinics' audit log. */
public final class SecurityEvents {
    private SecurityEvents() {
    }

    /** What a revocation names: one token by its {@code jti}, or every token of a {@code sub} issued until then. */
    public enum RevokedBy {
        TOKEN_ID, SUBJECT
    }

    /**
     * An operator revoked {@code value} (a token id or a subject) at {@code revokedAt}. A subject's
     * revocation refuses the tokens issued ({@code iat}) at or before that instant; the identity
     * provider's next token for that subject is accepted again.
     */
    public record TokenRevoked(RevokedBy kind, String value, Instant revokedAt, String revokedBy, String reason) {
    }

    /**
     * One entry of a clinic's audit log (issue 16): {@code who} (the token's subject) did {@code what}
     * to {@code target} in {@code clinicId} at {@code at}; {@code before}/{@code after} are the
     * setting as it was and as it became (JSON; null where there was none).
     */
    public record AuditRecorded(String clinicId, String who, String what, String target, JsonNode before,
                                JsonNode after, Instant at) implements AboutClinic {
    }
}
