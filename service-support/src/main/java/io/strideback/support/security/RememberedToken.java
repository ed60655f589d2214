package io.strideback.support.security;

import org.eclipse.microprofile.jwt.Claims;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A verified token as {@link VerifiedTokens} remembers it: its claims read once. A token's claims
 * never change, but smallrye-jwt's principal works them out again on every call: a custom claim such
 * as {@code clinic} is looked up by throwing and catching an {@code IllegalArgumentException}
 * ({@code Claims.valueOf}), and the groups are copied into a new set each time (issue 15, intake's
 * profile: a post read the clinic two or three times and the groups twice).
 */
final class RememberedToken implements JsonWebToken {

    /** Stands for a claim the token does not have (a ConcurrentHashMap holds no null). */
    private static final Object ABSENT = new Object();

    private final JsonWebToken token;
    private final Set<String> groups;
    private final ConcurrentHashMap<String, Object> claims = new ConcurrentHashMap<>();

    RememberedToken(JsonWebToken token) {
        this.token = token;
        Set<String> g = token.getGroups();
        this.groups = g == null ? null : Set.copyOf(g);
    }

    @Override
    public String getName() {
        return token.getName();
    }

    @Override
    public Set<String> getGroups() {
        return groups;
    }

    @Override
    public Set<String> getClaimNames() {
        return token.getClaimNames();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getClaim(String claimName) {
        Object value = claims.computeIfAbsent(claimName, name -> {
            Object v = token.getClaim(name);
            return v == null ? ABSENT : v;
        });
        if (value == ABSENT) {
            return null;
        }
        if (value instanceof Set<?> set) {
            return (T) Set.copyOf(set); // aud and groups: a caller may not change what the next one reads
        }
        return (T) value;
    }

    @Override
    public <T> T getClaim(Claims claim) {
        return getClaim(claim.name());
    }

    @Override
    public String toString() {
        return token.toString();
    }
}
