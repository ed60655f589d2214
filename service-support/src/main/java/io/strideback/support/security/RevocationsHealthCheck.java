package io.strideback.support.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready until the replica has read the token revocations already published (issue 16): a
 * replica that had not would accept a revoked token. After that it stays ready while the broker is
 * away (it keeps the revocations it read; no new one can be published meanwhile).
 */
@Readiness
@ApplicationScoped
public class RevocationsHealthCheck implements HealthCheck {

    @Inject
    RevocationList revocations;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("Token revocations").status(revocations.caughtUp())
                .withData("inForce", revocations.size());
        if (revocations.problem() != null) {
            response.withData("problem", revocations.problem());
        }
        return response.build();
    }
}
