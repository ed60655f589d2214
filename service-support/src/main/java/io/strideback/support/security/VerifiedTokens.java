package io.strideback.support.security;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The JWT parser every service authenticates with, remembering tokens it already verified until
 * they expire. A watch or a clinic's integration sends the same token with every post; checking
 * its RS256 signature again each time was the largest single cost of a request in intake's profile
 * (issue 7). A token is the same bytes with the same signature, so only its time claims can change
 * the verdict: an expired one is never answered from here. A revoked one is refused on every call,
 * remembered or not ({@link RevocationList}, issue 16). What it remembers reads its claims once
 * ({@link RememberedToken}).
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class VerifiedTokens extends DefaultJWTParser {

    /** Bounded: a flood of distinct tokens empties the memory instead of growing it. */
    static final int MAX_TOKENS = 10_000;

    private final ConcurrentHashMap<String, JsonWebToken> verified = new ConcurrentHashMap<>();

    @Inject
    RevocationList revocations;

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        JsonWebToken jwt = verify(token);
        if (revocations != null && revocations.isRevoked(jwt)) {
            throw new ParseException("the token was revoked");
        }
        return jwt;
    }

    private JsonWebToken verify(String token) throws ParseException {
        JsonWebToken known = verified.get(token);
        if (known != null) {
            if (System.currentTimeMillis() / 1000 < known.getExpirationTime()) {
                return known;
            }
            verified.remove(token);
        }
        // throws for a bad signature, issuer or an expired token
        JsonWebToken jwt = new RememberedToken(super.parse(token));
        if (jwt.getExpirationTime() > 0) {
            if (verified.size() >= MAX_TOKENS) {
                verified.clear();
            }
            verified.put(token, jwt);
        }
        return jwt;
    }
}
