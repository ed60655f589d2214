package io.strideback.support.security;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 15: a remembered token answers like smallrye-jwt's principal, reading each claim of it once. */
class RememberedTokenTest {

    /** smallrye-jwt's own principal, counting how often a claim is worked out. */
    static final class CountingPrincipal extends DefaultJWTCallerPrincipal {
        final AtomicInteger claimReads = new AtomicInteger();

        CountingPrincipal(JwtClaims claims) {
            super("raw-token-text", claims);
        }

        @Override
        public <T> T getClaim(String claimName) {
            claimReads.incrementAndGet();
            return super.getClaim(claimName);
        }
    }

    private static CountingPrincipal principal() {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("strideback");
        claims.setSubject("device-1");
        claims.setAudience("strideback");
        claims.setExpirationTimeMinutesInTheFuture(60);
        claims.setIssuedAtToNow();
        claims.setJwtId("jti-1");
        claims.setStringListClaim("groups", List.of("device", "clinician"));
        claims.setStringClaim("clinic", "clinic-7");
        return new CountingPrincipal(claims);
    }

    @Test
    void given_a_verified_token_when_its_clinic_is_read_three_times_then_the_principal_works_it_out_once() {
        CountingPrincipal verified = principal();
        Object asThePrincipalReadsIt = verified.getClaim("clinic");
        RememberedToken token = new RememberedToken(verified);
        int before = verified.claimReads.get();

        for (int i = 0; i < 3; i++) {
            Object clinic = token.getClaim("clinic");
            assertThat(clinic).isEqualTo(asThePrincipalReadsIt);
            assertThat(clinic.toString().replace("\"", "")).isEqualTo("clinic-7");
        }

        assertThat(verified.claimReads.get() - before).isEqualTo(1);
    }

    @Test
    void given_a_verified_token_then_every_claim_reads_as_the_principal_reads_it() {
        CountingPrincipal verified = principal();
        RememberedToken token = new RememberedToken(verified);

        assertThat(token.getSubject()).isEqualTo(verified.getSubject()).isEqualTo("device-1");
        assertThat(token.getIssuer()).isEqualTo("strideback");
        assertThat(token.getTokenID()).isEqualTo("jti-1");
        assertThat(token.getExpirationTime()).isEqualTo(verified.getExpirationTime());
        assertThat(token.getIssuedAtTime()).isEqualTo(verified.getIssuedAtTime());
        assertThat(token.getAudience()).isEqualTo(Set.of("strideback"));
        assertThat(token.getGroups()).isEqualTo(verified.getGroups()).isEqualTo(Set.of("device", "clinician"));
        assertThat(token.getRawToken()).isEqualTo(verified.getRawToken());
        assertThat(token.getName()).isEqualTo(verified.getName());
        assertThat(token.getClaimNames()).isEqualTo(verified.getClaimNames());
        assertThat((Object) token.getClaim("athlete_id")).isNull();
        assertThat((Object) token.getClaim("athlete_id")).isNull();
    }

    @Test
    void given_a_remembered_token_when_a_caller_changes_its_groups_then_it_cannot() {
        RememberedToken token = new RememberedToken(principal());

        assertThatThrownBy(() -> token.getGroups().add("clinic-admin")).isInstanceOf(UnsupportedOperationException.class);
        Set<String> audience = token.getClaim("aud");
        assertThatThrownBy(() -> audience.add("someone-else")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(token.getGroups()).isEqualTo(Set.of("device", "clinician"));
    }
}
