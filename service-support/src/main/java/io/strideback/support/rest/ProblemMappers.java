package io.strideback.support.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;

/** Every error leaves as RFC 9457 problem+json; nothing unexpected leaks a stack trace. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    public static Response response(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        Response.ResponseBuilder r = Response.status(e.problem().status()).type(Problem.MEDIA_TYPE).entity(e.problem());
        e.headers().forEach(r::header);
        return r.build();
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return Response.status(401).type(Problem.MEDIA_TYPE).header("WWW-Authenticate", "Bearer")
                .entity(Problem.of(401, "Unauthorized", "a valid bearer token is required")).build();
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e) {
        return unauthorized(new UnauthorizedException());
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return response(Problem.of(403, "Forbidden", "your role may not make this call"));
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return response(Problem.of(404, "Not found", "no such resource"));
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e) {
        return response(Problem.of(405, "Method not allowed", e.getMessage()));
    }

    @ServerExceptionMapper
    public Response unsupported(NotSupportedException e) {
        return response(Problem.of(415, "Unsupported media type", "send application/json"));
    }

    /**
     * A body of the wrong shape for a record ({@code "overrideGates": "yes"}, an array for an object):
     * without this Quarkus' own mapper answered 400 with no body at all, not problem+json.
     */
    @ServerExceptionMapper
    public Response wrongShape(MismatchedInputException e) {
        String field = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse("body");
        return response(Problem.invalid(400, "the body does not have the expected shape",
                List.of(new FieldError(field, "has the wrong type or shape"))));
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e) {
        return response(Problem.of(400, "Malformed JSON", e.getOriginalMessage()));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        return response(Problem.of(status, e.getResponse().getStatusInfo().getReasonPhrase(), e.getMessage()));
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException || t instanceof jakarta.transaction.RollbackException) {
                // The database is down or overloaded: the client may retry, nothing was half-written.
                LOG.warnf("database unavailable: %s", t.getMessage());
                return Response.status(503).type(Problem.MEDIA_TYPE).header("Retry-After", "5")
                        .entity(Problem.of(503, "Service unavailable", "the database is unavailable; retry shortly"))
                        .build();
            }
            if (t instanceof org.apache.kafka.common.KafkaException) {
                // The broker is down or restarting (issue 12: a metadata timeout once leaked as a 500).
                LOG.warnf("event log unavailable: %s", t.getMessage());
                return Response.status(503).type(Problem.MEDIA_TYPE).header("Retry-After", "5")
                        .entity(Problem.of(503, "Service unavailable", "the event log is unavailable; retry shortly"))
                        .build();
            }
        }
        LOG.error("unexpected failure", e);
        return response(Problem.of(500, "Internal error", "the request failed; it has been logged"));
    }
}
