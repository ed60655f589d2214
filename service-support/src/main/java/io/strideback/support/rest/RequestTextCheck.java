package io.strideback.support.rest;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.ArrayList;
import java.util.List;

/**
 * The strings of a request outside its body, checked once for every service (issue 12): path
 * parameters (ids), query parameters and the {@code Idempotency-Key} header hold no control
 * character or unpaired surrogate and are not over-long, and a query parameter is given once. A NUL in
 * a path id would otherwise reach a query, where PostgreSQL refuses it and the answer would be a
 * misleading 503.
 */
public class RequestTextCheck {

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    @ServerRequestFilter
    public Response checkIdsAndKeys(UriInfo uri, HttpHeaders headers) {
        List<FieldError> errors = new ArrayList<>();
        uri.getPathParameters().forEach((name, values) -> values.forEach(v ->
                TextRules.lineProblem(v, TextRules.MAX_ID).ifPresent(p -> errors.add(new FieldError(name, p)))));
        uri.getQueryParameters().forEach((name, values) -> {
            values.forEach(v -> TextRules.lineProblem(v, TextRules.MAX_FREE_TEXT)
                    .ifPresent(p -> errors.add(new FieldError(name, p))));
            // Round 19: every query parameter of the API takes one value; JAX-RS took the first of ?asOf=A&asOf=B and
            // dropped the other silently. Refused like a key given twice in a JSON object.
            if (values.size() > 1) {
                errors.add(new FieldError(name, "is given " + values.size() + " times; give it once"));
            }
        });
        String key = headers.getHeaderString(IDEMPOTENCY_KEY);
        if (key != null) {
            TextRules.lineProblem(key, TextRules.MAX_ID).ifPresent(p -> errors.add(new FieldError(IDEMPOTENCY_KEY, p)));
        }
        return errors.isEmpty() ? null : ProblemMappers.response(Problem.invalid(400,
                errors.size() + " field(s) are invalid", errors));
    }
}
