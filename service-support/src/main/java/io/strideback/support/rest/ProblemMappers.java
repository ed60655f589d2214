package io.strideback.support.rest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
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

    /**
     * Says what was sent, not what a JSON call takes: a FIT upload sent as application/json was told "send
     * application/json" (round 15, from outside). Each call's media types are its request body's in /q/openapi.
     */
    @ServerExceptionMapper
    public Response unsupported(NotSupportedException e, HttpHeaders headers) {
        String sent = headers.getHeaderString(HttpHeaders.CONTENT_TYPE);
        return response(Problem.of(415, "Unsupported media type",
                (sent == null ? "a body without a Content-Type" : "Content-Type '" + sent + "'")
                        + " is not taken by this call; the media types it takes are its request body's in /q/openapi"));
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

    /**
     * JSON that cannot be read at all: says what (a raw control character, nesting past Jackson's limit, ...),
     * where (line and column), and in which field when the parser knows it.
     */
    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e) {
        String what = printable(e.getOriginalMessage()).replaceAll(", from `[^`]*`", "");
        if (e instanceof StreamConstraintsException) {
            what = "the body is nested too deeply or holds a value too long to read: " + what;
        }
        JsonLocation at = e.getLocation();
        String where = at == null || at.getLineNr() < 0 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        String field = fieldOf(e);
        return response(Problem.of(400, "Malformed JSON", what + where,
                List.of(new FieldError(field == null ? "body" : field, what))));
    }

    /**
     * The field the parser was in when it failed ({@code note}, {@code run.distanceKm}, {@code character[1]}), or null.
     * Its context names the field being read only when the failure is in that field's value; a failure in a name or
     * between values is the enclosing object's (Jackson's messages say "name" for the former).
     */
    private static String fieldOf(JsonProcessingException e) {
        if (!(e.getProcessor() instanceof JsonParser parser)) {
            return null;
        }
        // A string value is decoded when read, after its token was returned: a failure in it is that field's. The
        // token is gone once the reader has closed the parser, so Jackson's words decide: they name a field name
        // or a separator when the failure is there.
        JsonToken token = parser.currentToken();
        String message = String.valueOf(e.getOriginalMessage());
        boolean inValue = (token == null || token == JsonToken.FIELD_NAME || token == JsonToken.VALUE_STRING)
                && !message.contains(" name") && !message.contains("separate");
        StringBuilder path = new StringBuilder();
        JsonStreamContext innermost = parser.getParsingContext();
        for (JsonStreamContext c = innermost; c != null && !c.inRoot(); c = c.getParent()) {
            if (c == innermost && !inValue) {
                continue;
            }
            if (c.inArray()) {
                path.insert(0, "[" + Math.max(c.getCurrentIndex(), 0) + "]");
            } else if (c.getCurrentName() != null) {
                path.insert(0, path.length() == 0 || path.charAt(0) == '[' ? "" : ".").insert(0, c.getCurrentName());
            }
        }
        String field = printable(path.toString());
        return field.isEmpty() || field.length() > TextRules.MAX_NAME ? null : field;
    }

    /** Jackson's message may quote the bad input: never echo a control character or a lone surrogate. */
    private static String printable(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), 300));
        for (int i = 0; i < text.length() && out.length() < 300; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) || Character.isSurrogate(c) ? '?' : c);
        }
        return out.toString();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        // Quarkus' JSON reader wraps what Jackson could not read (raw control bytes, nesting past the limit, a
        // value of the wrong type) in a bare 400 "HTTP 400 Bad Request" (review r9): answer what it was.
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof MismatchedInputException m) {
                return wrongShape(m);
            }
            if (t instanceof JsonProcessingException j) {
                return badJson(j);
            }
        }
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
