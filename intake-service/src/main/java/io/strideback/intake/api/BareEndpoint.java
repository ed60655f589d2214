package io.strideback.intake.api;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The benchmark's ceiling: the same Quarkus HTTP stack answering 202 and doing nothing else.
 * Off (404) unless {@code strideback.bench.bare-endpoint=true}, which only {@code ./strideback bench} sets.
 */
@Path("/bench/bare")
public class BareEndpoint {

    @ConfigProperty(name = "strideback.bench.bare-endpoint", defaultValue = "false")
    boolean enabled;

    @POST
    @PermitAll
    @Operation(hidden = true)
    public Response accept(String ignored) {
        return enabled ? Response.accepted().build() : Response.status(404).build();
    }
}
