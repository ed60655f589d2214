package io.strideback.plan.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import io.strideback.support.rest.ContentCodingCheck;
import io.vertx.core.http.HttpServerRequest;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * CONTRACT "{@code POST /api/v1/adjustments/{id}/approve}, {@code .../reject} | 200": a rejection names no body, and
 * one posted as an approval is (no body, no Content-Type) was 415 "a body without a Content-Type", while the same
 * approval was 200 (round 21, from outside). A plan-service call sent with no body at all and no Content-Type is read
 * as JSON with nothing in it: a rejection without a reason, and a phase change, a clearance or a policy without their
 * fields a 400 naming them (each call already answers a missing body so), never a 415 about a body that was not sent.
 * A body that is there keeps its Content-Type and its checks.
 */
public class EmptyBodyAsJson {

    @ServerRequestFilter(preMatching = true)
    public void readNoBodyAsJson(ContainerRequestContext request, HttpServerRequest http) {
        String method = request.getMethod();
        // A body that may be there (a length, chunked, or HTTP/2 without a length: the review of round 21 found a
        // streamed HTTP/2 body read as JSON without its Content-Type) keeps its Content-Type check.
        if (!("POST".equals(method) || "PUT".equals(method))
                || request.getHeaderString(HttpHeaders.CONTENT_TYPE) != null || ContentCodingCheck.hasBody(http)) {
            return;
        }
        request.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
    }
}
