package io.strideback.plan.api;

import io.strideback.support.rest.Problem;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The plan's own problem answers, beside the shared ones (service-support ProblemMappers). */
public class PlanProblemMappers {

    @ServerExceptionMapper
    public Response gatesNotMet(GatesNotMetException e) {
        return Response.status(409).type(Problem.MEDIA_TYPE).entity(e.problem()).build();
    }
}
